import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { judge, metricSeries, peak, resolveLimit } from '../lib/quota.js';

const check = defineCheck({
  id: 'quota.lambda-concurrency-80',
  title: 'Peak Lambda concurrency is at or over 80% of the account limit',
  description:
    'When the functions of a region together reach the account concurrency limit, every further invocation is throttled, ' +
    'whichever function it is for. The lens (SERVREL 1) asks to know when a service nears a limit. Judged from the peak of the ' +
    'AWS/Lambda ConcurrentExecutions metric over 14 days (needs --metrics) against the concurrent executions quota (L-B99A9384). ' +
    'Reported under the region\'s Lambda account ARN, arn:aws:lambda:REGION:ACCOUNT:account.',
  severity: 'MEDIUM',
  pillar: 'REL',
  lens: ['SERVREL 1'],
  lens2022: ['SERVREL 1'],
  resourceKind: 'AwsAccountRegion',
  uses: ['LambdaAccountSettings', 'ServiceQuotas', 'Metrics'],
  cost: 'M',
  options: { threshold: 80 },
  remediation: {
    text: 'Request a higher "Concurrent executions" quota in Service Quotas (Lambda, L-B99A9384), and cap non-critical functions with reserved concurrency so they cannot take it all.',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html',
  },
  peers: {},
  evaluate(ar, ctx) {
    const series = metricSeries(ar, 'ConcurrentExecutions');
    if ('reason' in series) return ctx.notAssessed(`Lambda concurrency not assessed: ${series.reason}.`);
    const limit = resolveLimit(ar, 'lambda', 'L-B99A9384', ar.LambdaAccountSettings?.AccountLimit?.ConcurrentExecutions);
    if ('reason' in limit) return ctx.notAssessed(`Lambda concurrency not assessed: ${limit.reason}.`);
    const top = peak(series);
    return judge(ctx, {
      label: 'Peak Lambda concurrent executions over 14 days',
      usage: top.value,
      limit,
      threshold: ctx.options.threshold,
      evidence: { peakAt: top.at },
    });
  },
});
export default check;

const series = (values: number[]) => ({
  ConcurrentExecutions: {
    Timestamps: values.map((_, i) => `2026-05-${String(20 + i).padStart(2, '0')}T00:00:00.000Z`), Values: values, Period: 3600, Stat: 'Maximum',
  },
});
const applied = (value: number) => ({ 'lambda/L-B99A9384': { value, source: 'applied' as const } });

export const examples: CheckExamples<'AwsAccountRegion'> = {
  pass: [
    { name: 'peak 500 of 1000', resource: { ServiceQuotas: applied(1000), Metrics: series([120, 500, 90]) } },
    { name: 'no invocations in 14 days', resource: { ServiceQuotas: applied(1000), Metrics: series([]) } },
  ],
  fail: [
    { name: 'peak at 80%', resource: { ServiceQuotas: applied(1000), Metrics: series([800]) } },
    { name: 'peak at the limit', resource: { ServiceQuotas: applied(1000), Metrics: series([10, 1000]) }, severity: 'HIGH' },
    {
      name: 'new account: limit 10 from GetAccountSettings, not the 1000 default',
      resource: {
        ServiceQuotas: { 'lambda/L-B99A9384': { value: 1000, source: 'default' } },
        LambdaAccountSettings: { AccountLimit: { ConcurrentExecutions: 10 } },
        Metrics: series([9]),
      },
    },
  ],
  notAssessed: [
    { name: 'run without --metrics', resource: { ServiceQuotas: applied(1000) } },
    {
      name: 'GetMetricData failed',
      resource: {
        ServiceQuotas: applied(1000),
        gaps: { 'Metrics.ConcurrentExecutions': { operation: 'cloudwatch:GetMetricData', code: 'AccessDenied', message: 'denied' } },
      },
    },
    {
      name: 'no quota value from any source',
      resource: {
        Metrics: series([5]),
        gaps: { 'ServiceQuotas.lambda/L-B99A9384': { operation: 'servicequotas:GetAWSDefaultServiceQuota', code: 'AccessDeniedException', message: 'denied' } },
      },
    },
    {
      name: 'GetAccountSettings failed',
      resource: { Metrics: series([5]), gaps: { LambdaAccountSettings: { operation: 'lambda:GetAccountSettings', code: 'AccessDeniedException', message: 'denied' } } },
    },
  ],
};
