import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { alarmEvaluation, lambdaTarget } from '../lib/alarms.js';

const check = defineCheck({
  id: 'lambda.no-error-alarm',
  title: 'Lambda function has no alarm on its Errors metric',
  description:
    'Without an alarm on AWS/Lambda Errors for the function, failing invocations go unnoticed until a user reports them. ' +
    'An alarm counts when it watches Errors with FunctionName=<function> (an extra Resource=<function>:<alias> dimension is fine), ' +
    'directly or inside a metric-math expression; an aggregate alarm with no dimensions counts only with countAggregateAlarms. ' +
    'The lens (SERVOPS 1) asks for alarms on Lambda Errors.',
  severity: 'MEDIUM',
  pillar: 'OPS',
  lens: ['SERVOPS 1'],
  lens2022: ['SERVOPS 1'],
  resourceKind: 'AwsLambdaFunction',
  uses: ['FunctionName'],
  needs: ['AwsCloudWatchAlarm'],
  cost: 'C',
  options: { countAggregateAlarms: false },
  remediation: {
    text: 'Create a CloudWatch alarm on AWS/Lambda Errors with dimension FunctionName=<function> (Sum over 1-5 minutes > 0, or an error-rate metric-math alarm) and send it to an SNS topic that reaches the on-call team.',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html',
  },
  peers: {},
  evaluate(fn, ctx) {
    return alarmEvaluation(ctx, lambdaTarget(fn.FunctionName, 'Errors'), `Function ${fn.name}`, 'an Errors');
  },
});
export default check;

export const examples: CheckExamples<'AwsLambdaFunction'> = {
  pass: [
    {
      name: 'plain alarm',
      resource: {},
      others: [{ kind: 'AwsCloudWatchAlarm', name: 'example-errors', Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'example' }] }],
    },
    {
      name: 'alias dimension',
      resource: {},
      others: [{
        kind: 'AwsCloudWatchAlarm', name: 'example-live-errors', Namespace: 'AWS/Lambda', MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: 'example' }, { Name: 'Resource', Value: 'example:live' }],
      }],
    },
    {
      name: 'metric-math error rate',
      resource: {},
      others: [{
        kind: 'AwsCloudWatchAlarm', name: 'example-error-rate',
        Metrics: [
          { Id: 'e', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'example' }] }, Stat: 'Sum', Period: 60 }, ReturnData: false },
          { Id: 'i', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: [{ Name: 'FunctionName', Value: 'example' }] }, Stat: 'Sum', Period: 60 }, ReturnData: false },
          { Id: 'rate', Expression: '100 * e / i', ReturnData: true },
        ],
      }],
    },
    {
      name: 'aggregate alarm counted when configured',
      resource: {},
      options: { countAggregateAlarms: true },
      others: [{ kind: 'AwsCloudWatchAlarm', name: 'all-errors', Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [] }],
    },
  ],
  fail: [
    { name: 'no alarms at all', resource: {} },
    {
      name: 'alarm on another function and an aggregate alarm',
      resource: {},
      others: [
        { kind: 'AwsCloudWatchAlarm', name: 'other-errors', Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'other' }] },
        { kind: 'AwsCloudWatchAlarm', name: 'all-errors', Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [] },
      ],
    },
    {
      name: 'alarm on Throttles only',
      resource: {},
      others: [{ kind: 'AwsCloudWatchAlarm', name: 'example-throttles', Namespace: 'AWS/Lambda', MetricName: 'Throttles', Dimensions: [{ Name: 'FunctionName', Value: 'example' }] }],
    },
  ],
  notAssessed: [{ name: 'alarms could not be listed', resource: {}, listGaps: ['AwsCloudWatchAlarm'] }],
};
