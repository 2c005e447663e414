import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { allowStatements, functionsUsing, roleDocuments, shortSource, trustsLambda, usedByText } from '../lib/exec-role.js';
import { asList } from '../lib/policy-statements.js';

const ADMIN_POLICIES = ['AdministratorAccess', 'PowerUserAccess'].map((n) => `:iam::aws:policy/${n}`);

const check = defineCheck({
  id: 'iam.exec-role-admin',
  title: 'Lambda execution role has administrative permissions',
  description:
    'A function with AdministratorAccess, PowerUserAccess or an Allow of every action on every resource hands the whole account to anyone ' +
    'who can run code in it (a vulnerable dependency, an injection). The lens (SERVSEC 2) asks for least privilege per function. ' +
    'Applies to roles that trust lambda.amazonaws.com; inline and attached policies are read.',
  severity: 'HIGH',
  pillar: 'SEC',
  lens: ['SERVSEC 2'],
  lens2022: ['SERVSEC 2'],
  resourceKind: 'AwsIamRole',
  uses: ['AssumeRolePolicyDocument', 'RolePolicyList', 'AttachedManagedPolicies', 'AttachedPolicyDocuments'],
  needs: ['AwsLambdaFunction'],
  cost: 'C',
  remediation: {
    text: 'Replace the administrative policy with one that lists only the actions and resources the function uses (IAM Access Analyzer can generate one from CloudTrail activity).',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html',
  },
  peers: {
    cspm: ['IAM.1'],
    config: ['iam-policy-no-statements-with-admin-access'],
    serverlessRules: ['WS1003'],
    prowler: ['iam_role_administratoraccess_policy', 'iam_inline_policy_no_administrative_privileges', 'iam_customer_attached_policy_no_administrative_privileges', 'iam_aws_attached_policy_no_administrative_privileges'],
  },
  evaluate(role, ctx) {
    if (!trustsLambda(role)) return;
    const reasons: string[] = [];
    for (const a of role.AttachedManagedPolicies ?? []) {
      if (ADMIN_POLICIES.some((suffix) => (a.PolicyArn ?? '').endsWith(suffix))) reasons.push(`${a.PolicyName ?? a.PolicyArn} attached`);
    }
    // AWS managed policies carry no document in the inventory; the administrative ones are matched by ARN above.
    const { docs, missing } = roleDocuments(role);
    for (const { source, st } of allowStatements(docs)) {
      const everyAction = asList(st.Action).includes('*') || st.NotAction !== undefined;
      if (everyAction && asList(st.Resource).includes('*')) {
        reasons.push(`${shortSource(source)} allows ${st.NotAction !== undefined ? `every action except ${asList(st.NotAction).join(', ')}` : 'Action "*"'} on Resource "*"`);
      }
    }
    const users = usedByText(functionsUsing(role, ctx));
    if (reasons.length > 0) return ctx.fail(`Execution role ${role.name}${users} is administrative: ${[...new Set(reasons)].join('; ')}.`, { reasons: [...new Set(reasons)] });
    if (missing.length > 0) return ctx.notAssessed(`Execution role ${role.name}: document of attached policy ${missing.join(', ')} was not collected.`);
    return ctx.pass(`Execution role ${role.name}${users} has no administrative permissions.`);
  },
});
export default check;

const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
const inline = (Action: string | string[], Resource: string | string[] = '*') => [{ PolicyName: 'app', PolicyDocument: { Statement: [{ Effect: 'Allow', Action, Resource }] } }];

export const examples: CheckExamples<'AwsIamRole'> = {
  pass: [
    {
      name: 'scoped inline policy, used by a function',
      resource: { AssumeRolePolicyDocument: trust, RolePolicyList: inline(['dynamodb:GetItem'], 'arn:aws:dynamodb:us-east-1:111122223333:table/orders'), AttachedManagedPolicies: [], AttachedPolicyDocuments: [] },
      others: [{ kind: 'AwsLambdaFunction', Role: 'arn:aws:iam::111122223333:role/example' }],
    },
    {
      name: 'AWS managed basic role by ARN only',
      resource: {
        AssumeRolePolicyDocument: trust, RolePolicyList: [],
        AttachedManagedPolicies: [{ PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' }],
        AttachedPolicyDocuments: [{ PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' }],
      },
    },
    { name: 'not a Lambda role: does not apply', resource: { AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }, RolePolicyList: inline('*') }, count: 0 },
  ],
  fail: [
    {
      name: 'AdministratorAccess attached',
      resource: { AssumeRolePolicyDocument: trust, RolePolicyList: [], AttachedManagedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }], AttachedPolicyDocuments: [] },
    },
    {
      name: 'PowerUserAccess recorded by ARN only, next to the basic role',
      resource: {
        AssumeRolePolicyDocument: trust, RolePolicyList: [],
        AttachedManagedPolicies: [
          { PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' },
          { PolicyName: 'PowerUserAccess', PolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' },
        ],
        AttachedPolicyDocuments: [{ PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' }, { PolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' }],
      },
    },
    { name: 'inline * on *', resource: { AssumeRolePolicyDocument: trust, RolePolicyList: inline('*'), AttachedManagedPolicies: [], AttachedPolicyDocuments: [] } },
  ],
  notAssessed: [
    {
      name: 'attached document missing',
      resource: { AssumeRolePolicyDocument: trust, RolePolicyList: [], AttachedManagedPolicies: [{ PolicyName: 'custom', PolicyArn: 'arn:aws:iam::111122223333:policy/custom' }], AttachedPolicyDocuments: [] },
    },
    { name: 'IAM not readable', resource: { AssumeRolePolicyDocument: trust, gaps: { RolePolicyList: { operation: 'iam:GetAccountAuthorizationDetails', code: 'AccessDenied', message: 'denied' } } } },
  ],
};
