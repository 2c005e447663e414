import { defineCheck, type CheckExamples, type PolicyStatement } from '../../src/model/index.js';
import { roleDocuments } from '../lib/exec-role.js';
import { firstByArn } from '../lib/memo.js';
import { coversAction, coversResource, statementsOf } from '../lib/policy-statements.js';

/** AWS managed policies (recorded by ARN only) that allow creating log streams and writing events on every log group. */
const LOG_WRITING_AWS_POLICIES = new Set([
  'AWSLambdaBasicExecutionRole', 'AWSLambdaVPCAccessExecutionRole', 'AWSLambdaKinesisExecutionRole', 'AWSLambdaDynamoDBExecutionRole',
  'AWSLambdaSQSQueueExecutionRole', 'AWSLambdaExecute', 'CloudWatchLogsFullAccess', 'AdministratorAccess', 'PowerUserAccess',
]);

const check = defineCheck({
  id: 'iam.exec-role-cannot-log',
  title: 'Lambda execution role cannot write to the function log group',
  description:
    'Without logs:CreateLogStream and logs:PutLogEvents on its log group a function runs blind: its output and errors are lost (SERVSEC 3, SERVOPS 1). ' +
    'Static evaluation of the role documents (approximate): conditions are assumed to hold, permissions boundaries and SCPs are not evaluated; ' +
    'AWS managed policies are known by name (AWSLambdaBasicExecutionRole and the other Lambda execution-role policies grant logging).',
  severity: 'LOW',
  pillar: 'OPS',
  lens: ['SERVSEC 3', 'SERVOPS 1'],
  lens2022: ['SERVOPS 1'],
  resourceKind: 'AwsLambdaFunction',
  uses: ['Role', 'LoggingConfig', 'FunctionName'],
  needs: ['AwsIamRole'],
  cost: 'C',
  remediation: {
    text: 'Attach AWSLambdaBasicExecutionRole or allow logs:CreateLogStream and logs:PutLogEvents on arn:aws:logs:REGION:ACCOUNT:log-group:LOG_GROUP:* in the execution role.',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html',
  },
  peers: {},
  evaluate(fn, ctx) {
    const role = firstByArn(ctx.list('AwsIamRole', 'account')).get(fn.Role);
    if (!role) return ctx.notAssessed(`Execution role ${fn.Role} of function ${fn.name} is not in the IAM inventory.`);
    const roleGap = ['RolePolicyList', 'AttachedManagedPolicies', 'AttachedPolicyDocuments'].map((f) => role.gaps?.[f]).find(Boolean);
    if (roleGap) return ctx.notAssessed(`Role ${role.name} of function ${fn.name}: ${roleGap.operation} failed: ${roleGap.code}.`);
    const { docs, awsManaged, missing } = roleDocuments(role);
    const logGroup = fn.LoggingConfig?.LogGroup ?? `/aws/lambda/${fn.FunctionName}`;
    const partition = fn.arn.split(':')[1] ?? 'aws';
    const groupArn = `arn:${partition}:logs:${fn.region}:${fn.accountId}:log-group:${logGroup}`;
    const streamArn = `${groupArn}:log-stream:2026/01/01/[$LATEST]0123456789abcdef`;
    // CreateLogStream is authorised on the log group; policies commonly name it as GROUP or GROUP:*.
    const targets: Record<string, string[]> = {
      'logs:CreateLogStream': [groupArn, `${groupArn}:*`, streamArn],
      'logs:PutLogEvents': [streamArn],
    };
    const statements = docs.flatMap((d) => statementsOf(d.doc));
    const granting = awsManaged.filter((n) => LOG_WRITING_AWS_POLICIES.has(n));
    if (granting.length > 0) statements.push({ Effect: 'Allow', Action: Object.keys(targets), Resource: '*' });
    const unknown = awsManaged.filter((n) => !LOG_WRITING_AWS_POLICIES.has(n));
    const applies = (st: PolicyStatement, action: string) => coversAction(st, action) && targets[action]!.some((arn) => coversResource(st, arn));
    const lacking = Object.keys(targets).filter((action) => {
      // A conditional Deny may not apply; an unconditional one always does.
      const denied = statements.some((st) => st.Effect === 'Deny' && !st.Condition && applies(st, action));
      return denied || !statements.some((st) => st.Effect === 'Allow' && applies(st, action));
    });
    const evidence = { role: role.arn, logGroup, missingActions: lacking, ...(role.PermissionsBoundary ? { permissionsBoundaryNotEvaluated: role.PermissionsBoundary.PermissionsBoundaryArn ?? true } : {}) };
    if (lacking.length === 0) return ctx.pass(`Role ${role.name} lets function ${fn.name} write to ${logGroup}.`, evidence);
    if (missing.length > 0) return ctx.notAssessed(`Role ${role.name} of function ${fn.name}: document of attached policy ${missing.join(', ')} was not collected.`);
    if (unknown.length > 0) return ctx.notAssessed(`Role ${role.name} of function ${fn.name} lacks ${lacking.join(' and ')} in its own documents; AWS managed ${unknown.join(', ')} not evaluated.`);
    return ctx.fail(`Role ${role.name} does not let function ${fn.name} write to ${logGroup}: ${lacking.join(' and ')} not allowed.`, evidence);
  },
});
export default check;

const ROLE = 'arn:aws:iam::111122223333:role/example-role';
const role = (statements: object[]) => ({
  kind: 'AwsIamRole' as const, name: 'example-role', arn: ROLE, Arn: ROLE, RoleName: 'example-role',
  RolePolicyList: [{ PolicyName: 'logs', PolicyDocument: { Statement: statements } }], AttachedManagedPolicies: [], AttachedPolicyDocuments: [],
});
const write = (Resource: string) => ({ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource });

export const examples: CheckExamples<'AwsLambdaFunction'> = {
  pass: [
    {
      name: 'AWSLambdaBasicExecutionRole by ARN only',
      resource: { Role: ROLE },
      others: [{ ...role([]), AttachedManagedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' }], AttachedPolicyDocuments: [{ PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' }] }],
    },
    { name: 'scoped to the default group', resource: { Role: ROLE }, others: [role([write('arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/example:*')])] },
    { name: 'custom log group', resource: { Role: ROLE, LoggingConfig: { LogGroup: '/shared/app' } }, others: [role([write('arn:aws:logs:*:*:log-group:/shared/*')])] },
  ],
  fail: [
    { name: 'no logging permission at all', resource: { Role: ROLE }, others: [role([{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }])] },
    { name: 'only another group', resource: { Role: ROLE }, others: [role([write('arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/other:*')])] },
    { name: 'denied', resource: { Role: ROLE }, others: [role([write('*'), { Effect: 'Deny', Action: 'logs:PutLogEvents', Resource: '*' }])] },
  ],
  notAssessed: [
    {
      name: 'only an AWS managed policy the check does not know',
      resource: { Role: ROLE },
      others: [{ ...role([]), AttachedManagedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess' }], AttachedPolicyDocuments: [{ PolicyArn: 'arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess' }] }],
    },
    { name: 'IAM not listed', resource: { Role: ROLE }, listGaps: ['AwsIamRole'] },
    { name: 'role not collected', resource: { Role: ROLE } },
  ],
};
