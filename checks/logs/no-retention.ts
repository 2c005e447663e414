import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { LOG_GROUP_SCOPE_NEEDS, SERVERLESS_LOG_GROUP_SCOPE_TEXT, serverlessLogGroupReason } from '../lib/log-group-scope.js';

const check = defineCheck({
  id: 'logs.no-retention',
  title: 'Serverless log group keeps its logs forever',
  description:
    'A log group without a retention period ("Never expire") keeps every byte and bills storage for it indefinitely. ' +
    SERVERLESS_LOG_GROUP_SCOPE_TEXT +
    ' ' +
    'The lens (SERVCOST 2): "Use log retention periods for Amazon CloudWatch Logs groups for AWS Lambda". ' +
    'The compliance-style minimum (Config, FSBP CloudWatch.16: "never expire" passes) is logs.retention-below-minimum.',
  severity: 'LOW',
  pillar: 'COST',
  lens: ['SERVCOST 2'],
  lens2022: ['SERVCOST 1'],
  resourceKind: 'AwsLogsLogGroup',
  uses: ['logGroupName', 'retentionInDays'],
  needs: [...LOG_GROUP_SCOPE_NEEDS],
  cost: 'C',
  remediation: {
    text: 'Set a retention period on the log group (aws logs put-retention-policy --log-group-name NAME --retention-in-days 30), or declare the log group with RetentionInDays in the template so that the service does not create it without one.',
    url: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention',
  },
  peers: { serverlessRules: ['WS1004'] },
  evaluate(group, ctx) {
    const name = group.logGroupName;
    const retention = group.retentionInDays;

    const why = serverlessLogGroupReason(name, ctx, retention === undefined);
    if (!why) return undefined;

    return retention === undefined
      ? ctx.fail(`Log group ${name} never expires its logs (${why}).`, { logGroupName: name, retentionInDays: null, reason: why })
      : ctx.pass(`Log group ${name} keeps logs for ${retention} days.`, { retentionInDays: retention });
  },
});
export default check;

const ACCESS_LOG_GROUP = 'arn:aws:logs:us-east-1:111122223333:log-group:orders-access';

export const examples: CheckExamples<'AwsLogsLogGroup'> = {
  pass: [
    { name: 'Lambda log group with retention', resource: { name: '/aws/lambda/orders', logGroupName: '/aws/lambda/orders', retentionInDays: 30 } },
    {
      name: 'access-log destination with retention',
      resource: { name: 'orders-access', logGroupName: 'orders-access', retentionInDays: 90 },
      others: [{ kind: 'AwsApiGatewayStage', name: 'prod', accessLogSettings: { destinationArn: ACCESS_LOG_GROUP, format: '{}' } }],
    },
  ],
  fail: [
    { name: 'Lambda log group', resource: { name: '/aws/lambda/orders', logGroupName: '/aws/lambda/orders' } },
    { name: 'REST execution logs', resource: { name: 'API-Gateway-Execution-Logs_a1b2c3/prod', logGroupName: 'API-Gateway-Execution-Logs_a1b2c3/prod' } },
    {
      name: 'HTTP API access-log destination (ARN with :*)',
      resource: { name: 'orders-access', logGroupName: 'orders-access' },
      others: [{ kind: 'AwsApiGatewayV2Stage', name: '$default', AccessLogSettings: { DestinationArn: `${ACCESS_LOG_GROUP}:*` } }],
    },
    {
      name: 'custom function log group',
      resource: { name: '/custom/orders', logGroupName: '/custom/orders' },
      others: [{ kind: 'AwsLambdaFunction', name: 'orders', LoggingConfig: { LogFormat: 'JSON', LogGroup: '/custom/orders' } }],
    },
  ],
  notAssessed: [
    { name: 'retention not collected', resource: { name: '/aws/lambda/orders', logGroupName: '/aws/lambda/orders', gaps: { retentionInDays: { operation: 'logs:DescribeLogGroups', code: 'ThrottlingException', message: 'Rate exceeded' } } } },
    { name: 'stages could not be listed', resource: { name: 'orders-access', logGroupName: 'orders-access' }, listGaps: ['AwsApiGatewayStage'] },
  ],
};
