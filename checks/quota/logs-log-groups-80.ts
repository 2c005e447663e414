import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { judge, resolveLimit, serviceAccountArn } from '../lib/quota.js';

const check = defineCheck({
  id: 'quota.logs-log-groups-80',
  title: 'CloudWatch Logs log groups in a region are at or over 80% of the quota',
  description:
    'Every Lambda function writes to its own log group, and CloudWatch Logs caps log groups per account and region ' +
    '(1,000,000 by default, adjustable); at the cap new functions cannot create their log group and their logs are lost. ' +
    'The lens (SERVREL 1) asks to know when a service nears a limit. Usage is the number of log groups DescribeLogGroups ' +
    'returned; the limit is the "Log groups" quota (L-C7B9AAAB). Reported under arn:aws:logs:REGION:ACCOUNT:account.',
  severity: 'LOW',
  pillar: 'REL',
  lens: ['SERVREL 1'],
  lens2022: ['SERVREL 1'],
  resourceKind: 'AwsAccountRegion',
  uses: ['ServiceQuotas'],
  needs: ['AwsLogsLogGroup'],
  cost: 'C',
  options: { threshold: 80 },
  remediation: {
    text: 'Delete log groups of deleted functions and stacks, or request a higher "Log groups" quota for the region.',
    url: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html',
  },
  peers: {},
  evaluate(ar, ctx) {
    const extra = { resource: { arn: serviceAccountArn(ar.arn, 'logs') } };
    const limit = resolveLimit(ar, 'logs', 'L-C7B9AAAB', undefined);
    if ('reason' in limit) return ctx.notAssessed(`Log groups not assessed: ${limit.reason}.`, extra);
    return judge(ctx, { label: 'CloudWatch Logs log groups in the region', usage: ctx.list('AwsLogsLogGroup').length, limit, threshold: ctx.options.threshold, extra });
  },
});
export default check;

const groups = (n: number) => Array.from({ length: n }, (_, i) => ({ kind: 'AwsLogsLogGroup' as const, name: `/aws/lambda/f${i}`, logGroupName: `/aws/lambda/f${i}` }));

export const examples: CheckExamples<'AwsAccountRegion'> = {
  pass: [{ name: '5 of 1,000,000', resource: { ServiceQuotas: { 'logs/L-C7B9AAAB': { value: 1000000, source: 'applied' } } }, others: groups(5) }],
  fail: [
    { name: '4 of 5', resource: { ServiceQuotas: { 'logs/L-C7B9AAAB': { value: 5, source: 'applied' } } }, others: groups(4) },
    { name: '6 of 5', resource: { ServiceQuotas: { 'logs/L-C7B9AAAB': { value: 5, source: 'default' } } }, others: groups(6), severity: 'HIGH' },
  ],
  notAssessed: [
    { name: 'quota unreadable', resource: { gaps: { 'ServiceQuotas.logs/L-C7B9AAAB': { operation: 'servicequotas:GetAWSDefaultServiceQuota', code: 'AccessDeniedException', message: 'denied' } } } },
    { name: 'log groups not listed', resource: { ServiceQuotas: { 'logs/L-C7B9AAAB': { value: 1000000, source: 'default' } } }, listGaps: ['AwsLogsLogGroup'] },
  ],
};
