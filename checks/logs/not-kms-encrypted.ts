import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { LOG_GROUP_SCOPE_NEEDS, SERVERLESS_LOG_GROUP_SCOPE_TEXT, serverlessLogGroupReason } from '../lib/log-group-scope.js';

const check = defineCheck({
  id: 'logs.not-kms-encrypted',
  title: 'Serverless log group is not encrypted with a KMS key',
  description:
    'Function and API logs often carry request data. A customer managed KMS key lets you control and audit who can read them, and revoke access ' +
    '(SERVSEC 6). CloudWatch Logs encrypts every group at rest either way; this checks for a KMS key of your own. ' +
    SERVERLESS_LOG_GROUP_SCOPE_TEXT,
  severity: 'LOW',
  pillar: 'SEC',
  lens: ['SERVSEC 6'],
  lens2022: [],
  resourceKind: 'AwsLogsLogGroup',
  uses: ['logGroupName', 'kmsKeyId'],
  needs: [...LOG_GROUP_SCOPE_NEEDS],
  cost: 'C',
  remediation: {
    text: 'Associate a KMS key with the log group (aws logs associate-kms-key --log-group-name NAME --kms-key-id KEY_ARN); the key policy must allow the logs service principal.',
    url: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html',
  },
  peers: { config: ['cloudwatch-log-group-encrypted'], prowler: ['cloudwatch_log_group_kms_encryption_enabled'] },
  evaluate(group, ctx) {
    const why = serverlessLogGroupReason(group.logGroupName, ctx, !group.kmsKeyId);
    if (!why) return undefined;
    return group.kmsKeyId
      ? ctx.pass(`Log group ${group.name} is encrypted with ${group.kmsKeyId}.`)
      : ctx.fail(`Log group ${group.name} has no KMS key (${why}).`, { kmsKeyId: null, reason: why });
  },
});
export default check;

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ACCESS_LOG_GROUP = 'arn:aws:logs:us-east-1:111122223333:log-group:orders-access';
const lambdaGroup = { name: '/aws/lambda/orders', logGroupName: '/aws/lambda/orders' };

export const examples: CheckExamples<'AwsLogsLogGroup'> = {
  pass: [
    { name: 'Lambda log group with a key', resource: { ...lambdaGroup, kmsKeyId: KEY } },
    {
      name: 'access-log destination with a key',
      resource: { name: 'orders-access', logGroupName: 'orders-access', kmsKeyId: KEY },
      others: [{ kind: 'AwsApiGatewayStage', name: 'prod', accessLogSettings: { destinationArn: ACCESS_LOG_GROUP, format: '{}' } }],
    },
  ],
  fail: [
    { name: 'Lambda log group', resource: lambdaGroup },
    {
      name: 'custom function log group',
      resource: { name: '/custom/orders', logGroupName: '/custom/orders' },
      others: [{ kind: 'AwsLambdaFunction', name: 'orders', LoggingConfig: { LogFormat: 'JSON', LogGroup: '/custom/orders' } }],
    },
  ],
  notAssessed: [
    { name: 'key not collected', resource: { ...lambdaGroup, gaps: { kmsKeyId: { operation: 'logs:DescribeLogGroups', code: 'AccessDeniedException', message: 'denied' } } } },
    { name: 'functions could not be listed', resource: { name: '/custom/orders', logGroupName: '/custom/orders' }, listGaps: ['AwsLambdaFunction'] },
  ],
};
