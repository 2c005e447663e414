import { defineCheck, type CheckExamples } from '../../src/model/index.js';

const check = defineCheck({
  id: 'logs.retention-below-minimum',
  title: 'Serverless log group keeps logs for less than the required minimum',
  description:
    'Compliance mode for log retention: logs needed for investigations must be kept for at least minimumDays (default 365, as in ' +
    'Config cw-loggroup-retention-period-check and FSBP CloudWatch.16). "Never expire" passes here. Opt-in (catalogue §10 conflict 1): ' +
    'the lens (SERVCOST 2) asks for a retention period to be set at all, which logs.no-retention checks by default.',
  severity: 'MEDIUM',
  pillar: 'SEC',
  lens: ['SERVSEC 3'],
  lens2022: ['SERVOPS 1'],
  resourceKind: 'AwsLogsLogGroup',
  uses: ['retentionInDays'],
  cost: 'C',
  enabledByDefault: false,
  options: { minimumDays: 365 },
  remediation: {
    text: 'Raise the retention to at least the required minimum (aws logs put-retention-policy --log-group-name NAME --retention-in-days 365), or export older logs to S3.',
    url: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention',
  },
  peers: {
    cspm: ['CloudWatch.16'],
    config: ['cw-loggroup-retention-period-check'],
    trustedAdvisor: ['c18d2gz186'],
    prowler: ['cloudwatch_log_group_retention_policy_specific_days_enabled'],
  },
  evaluate(group, ctx) {
    const min = Number(ctx.options.minimumDays);
    const days = group.retentionInDays;
    if (days === undefined) return ctx.pass(`Log group ${group.name} never expires its logs.`, { retentionInDays: null });
    return days >= min
      ? ctx.pass(`Log group ${group.name} keeps logs for ${days} days (minimum ${min}).`, { retentionInDays: days })
      : ctx.fail(`Log group ${group.name} keeps logs for ${days} days, less than the required ${min}.`, { retentionInDays: days, minimumDays: min });
  },
});
export default check;

export const examples: CheckExamples<'AwsLogsLogGroup'> = {
  pass: [
    { name: '400 days', resource: { name: '/aws/lambda/orders', logGroupName: '/aws/lambda/orders', retentionInDays: 400 } },
    { name: 'never expire', resource: { name: '/aws/lambda/orders', logGroupName: '/aws/lambda/orders' } },
  ],
  fail: [
    { name: '14 days', resource: { name: '/aws/lambda/orders', logGroupName: '/aws/lambda/orders', retentionInDays: 14 } },
    { name: 'stricter option', resource: { retentionInDays: 400 }, options: { minimumDays: 731 } },
  ],
  notAssessed: [{ resource: { gaps: { retentionInDays: { operation: 'logs:DescribeLogGroups', code: 'AccessDeniedException', message: 'denied' } } } }],
};
