import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { allowStatements, functionsUsing, isWildcardAwsPolicy, roleDocuments, shortSource, trustsLambda, usedByText } from '../lib/exec-role.js';
import { asList } from '../lib/policy-statements.js';

const check = defineCheck({
  id: 'iam.exec-role-wildcard',
  title: 'Lambda execution role allows wildcard actions',
  description:
    'An Allow of "*" or "service:*" (or a NotAction) grants every present and future action of a service, far more than a function needs ' +
    '(SERVSEC 2; the serverless-rules WS1003 test, applied to inline and attached managed policies). Statements that also use Resource "*" are listed as detail. ' +
    'AWS managed policies are judged by name: *FullAccess, AdministratorAccess, PowerUserAccess, AWSLambdaExecute, AmazonAPIGatewayAdministrator, SecretsManagerReadWrite.',
  severity: 'MEDIUM',
  pillar: 'SEC',
  lens: ['SERVSEC 2'],
  lens2022: ['SERVSEC 2'],
  resourceKind: 'AwsIamRole',
  uses: ['AssumeRolePolicyDocument', 'RolePolicyList', 'AttachedManagedPolicies', 'AttachedPolicyDocuments'],
  needs: ['AwsLambdaFunction'],
  cost: 'C',
  remediation: {
    text: 'List the specific actions the function calls (e.g. dynamodb:GetItem, dynamodb:PutItem) instead of service:* and scope them to the resources it uses.',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
  },
  peers: {
    cspm: ['IAM.21'],
    config: ['iam-policy-no-statements-with-full-access'],
    serverlessRules: ['WS1003'],
  },
  evaluate(role, ctx) {
    if (!trustsLambda(role)) return;
    const { docs, awsManaged, missing } = roleDocuments(role);
    const wildcards: { policy: string; actions: string[]; resourceStar: boolean }[] = [];
    for (const name of awsManaged.filter(isWildcardAwsPolicy)) wildcards.push({ policy: name, actions: ['service:* (AWS managed, judged by name)'], resourceStar: true });
    for (const { source, st } of allowStatements(docs)) {
      const actions = st.NotAction !== undefined
        ? asList(st.NotAction).map((a) => `NotAction ${a}`)
        : asList(st.Action).filter((a) => a === '*' || a.includes(':*'));
      if (actions.length > 0) wildcards.push({ policy: shortSource(source), actions, resourceStar: asList(st.Resource).includes('*') });
    }
    const users = usedByText(functionsUsing(role, ctx));
    if (wildcards.length > 0) {
      const list = wildcards.map((w) => `${w.policy}: ${w.actions.join(', ')}${w.resourceStar ? ' on *' : ''}`);
      return ctx.fail(`Execution role ${role.name}${users} allows wildcard actions: ${list.join('; ')}.`, { statements: wildcards });
    }
    if (missing.length > 0) return ctx.notAssessed(`Execution role ${role.name}: document of attached policy ${missing.join(', ')} was not collected.`);
    return ctx.pass(`Execution role ${role.name}${users} names its actions explicitly.`);
  },
});
export default check;

const trust = { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
const basic = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
const basicDoc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }] };

export const examples: CheckExamples<'AwsIamRole'> = {
  pass: [
    {
      name: 'basic execution role plus explicit actions',
      resource: {
        AssumeRolePolicyDocument: trust,
        RolePolicyList: [{ PolicyName: 'app', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:List*'], Resource: 'arn:aws:s3:::bucket/*' }] } }],
        AttachedManagedPolicies: [{ PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: basic }],
        AttachedPolicyDocuments: [{ PolicyArn: basic, Document: basicDoc }],
      },
    },
    {
      name: 'AWS managed basic role recorded by ARN only',
      resource: { AssumeRolePolicyDocument: trust, RolePolicyList: [], AttachedManagedPolicies: [{ PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: basic }], AttachedPolicyDocuments: [{ PolicyArn: basic }] },
    },
  ],
  fail: [
    {
      name: 'dynamodb:* in a managed policy',
      resource: {
        AssumeRolePolicyDocument: trust, RolePolicyList: [],
        AttachedManagedPolicies: [{ PolicyName: 'app', PolicyArn: 'arn:aws:iam::111122223333:policy/app' }],
        AttachedPolicyDocuments: [{ PolicyArn: 'arn:aws:iam::111122223333:policy/app', Document: { Statement: [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }] } }],
      },
    },
    {
      name: 'AWS managed full-access policy',
      resource: {
        AssumeRolePolicyDocument: trust, RolePolicyList: [],
        AttachedManagedPolicies: [{ PolicyName: 'AmazonDynamoDBFullAccess', PolicyArn: 'arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess' }],
        AttachedPolicyDocuments: [{ PolicyArn: 'arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess' }],
      },
    },
    { name: 'NotAction', resource: { AssumeRolePolicyDocument: trust, RolePolicyList: [{ PolicyName: 'x', PolicyDocument: { Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] } }], AttachedManagedPolicies: [], AttachedPolicyDocuments: [] } },
  ],
  notAssessed: [
    { name: 'customer managed document missing', resource: { AssumeRolePolicyDocument: trust, RolePolicyList: [], AttachedManagedPolicies: [{ PolicyArn: 'arn:aws:iam::111122223333:policy/app' }], AttachedPolicyDocuments: [] } },
    { name: 'documents not collected', resource: { AssumeRolePolicyDocument: trust, gaps: { AttachedPolicyDocuments: { operation: 'iam:GetAccountAuthorizationDetails', code: 'NotCollected', message: 'default version missing' } } } },
  ],
};
