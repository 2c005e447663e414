import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { alarmEvaluation, lambdaTarget } from '../lib/alarms.js';

const check = defineCheck({
  id: 'lambda.no-throttle-alarm',
  title: 'Lambda function has no alarm on its Throttles metric',
  description:
    'Throttled invocations are rejected requests (synchronous callers get 429s, stream shards stall). Without an alarm on ' +
    'AWS/Lambda Throttles for the function, hitting a concurrency limit goes unnoticed. Matching follows lambda.no-error-alarm: ' +
    'FunctionName=<function> (extra dimensions allowed), plain or metric-math; aggregate alarms count only with countAggregateAlarms. ' +
    'Lens SERVOPS 1 (alarm on Throttling) and SERVREL 2 (regulating access rates).',
  severity: 'LOW',
  pillar: 'OPS',
  lens: ['SERVOPS 1', 'SERVREL 2'],
  lens2022: ['SERVOPS 1', 'SERVREL 1'],
  resourceKind: 'AwsLambdaFunction',
  uses: ['FunctionName'],
  needs: ['AwsCloudWatchAlarm'],
  cost: 'C',
  options: { countAggregateAlarms: false },
  remediation: {
    text: 'Create a CloudWatch alarm on AWS/Lambda Throttles with dimension FunctionName=<function> (Sum > 0 over 5 minutes) and review reserved and account concurrency when it fires.',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html',
  },
  peers: {},
  evaluate(fn, ctx) {
    return alarmEvaluation(ctx, lambdaTarget(fn.FunctionName, 'Throttles'), `Function ${fn.name}`, 'a Throttles');
  },
});
export default check;

export const examples: CheckExamples<'AwsLambdaFunction'> = {
  pass: [
    {
      resource: {},
      others: [{ kind: 'AwsCloudWatchAlarm', name: 'example-throttles', Namespace: 'AWS/Lambda', MetricName: 'Throttles', Dimensions: [{ Name: 'FunctionName', Value: 'example' }] }],
    },
  ],
  fail: [
    {
      name: 'only an Errors alarm and an aggregate Throttles alarm',
      resource: {},
      others: [
        { kind: 'AwsCloudWatchAlarm', name: 'example-errors', Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'example' }] },
        { kind: 'AwsCloudWatchAlarm', name: 'all-throttles', Namespace: 'AWS/Lambda', MetricName: 'Throttles' },
      ],
    },
  ],
  notAssessed: [{ resource: {}, listGaps: ['AwsCloudWatchAlarm'] }],
};
