import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { alarmMetrics, isAggregate, metricMatches, type AlarmTarget } from '../lib/alarms.js';

const TARGET: AlarmTarget = { namespace: 'AWS/Lambda', metricNames: ['ConcurrentExecutions', 'UnreservedConcurrentExecutions'], dimensions: {} };

const check = defineCheck({
  id: 'lambda.no-account-concurrency-alarm',
  title: 'Region with Lambda functions has no account concurrency alarm',
  description:
    'When the account runs out of concurrency every function in the region is throttled at once. An alarm on the region-wide ' +
    'ConcurrentExecutions or UnreservedConcurrentExecutions metric (no dimensions) warns before the limit is reached ' +
    '(SERVOPS 1, SERVREL 1). Reported under arn:aws:lambda:REGION:ACCOUNT:account; regions without functions are skipped.',
  severity: 'MEDIUM',
  pillar: 'OPS',
  lens: ['SERVOPS 1', 'SERVREL 1'],
  lens2022: ['SERVOPS 1', 'SERVREL 1'],
  resourceKind: 'AwsAccountRegion',
  uses: [],
  needs: ['AwsCloudWatchAlarm', 'AwsLambdaFunction'],
  cost: 'C',
  remediation: {
    text: 'Create an alarm on AWS/Lambda ConcurrentExecutions (Maximum, no dimensions) at about 80% of the account concurrency quota, or on UnreservedConcurrentExecutions, and send it to the on-call topic.',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-concurrency.html',
  },
  peers: {},
  evaluate(region, ctx) {
    const functions = ctx.list('AwsLambdaFunction');
    if (functions.length === 0) return;
    const alarms = ctx.list('AwsCloudWatchAlarm').filter((a) => alarmMetrics(a).some((m) => isAggregate(m) && metricMatches(m, TARGET, { countAggregateAlarms: true })));
    const names = alarms.map((a) => a.AlarmName);
    return names.length > 0
      ? ctx.pass(`Region ${region.region} has account concurrency alarm(s): ${names.join(', ')}.`, { alarms: names })
      : ctx.fail(`Region ${region.region} has ${functions.length} Lambda function(s) but no alarm on the account-level ConcurrentExecutions or UnreservedConcurrentExecutions metric.`, { functions: functions.length });
  },
});
export default check;

const fn = { kind: 'AwsLambdaFunction' as const, name: 'orders' };
const alarm = (MetricName: string, Dimensions: { Name: string; Value: string }[] = []) => ({ kind: 'AwsCloudWatchAlarm' as const, name: `a-${MetricName}`, AlarmName: `a-${MetricName}`, Namespace: 'AWS/Lambda', MetricName, Dimensions });

export const examples: CheckExamples<'AwsAccountRegion'> = {
  pass: [
    { resource: {}, others: [fn, alarm('ConcurrentExecutions')] },
    { name: 'no functions: does not apply', resource: {}, count: 0 },
  ],
  fail: [
    { name: 'per-function concurrency alarm only', resource: {}, others: [fn, alarm('ConcurrentExecutions', [{ Name: 'FunctionName', Value: 'orders' }])] },
    { name: 'no alarms', resource: {}, others: [fn] },
  ],
  notAssessed: [{ resource: {}, others: [fn], listGaps: ['AwsCloudWatchAlarm'] }],
};
