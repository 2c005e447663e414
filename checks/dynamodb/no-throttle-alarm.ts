import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { alarmCoverage, describeTarget, type AlarmTarget } from '../lib/alarms.js';

const check = defineCheck({
  id: 'dynamodb.no-throttle-alarm',
  title: 'DynamoDB table has no throttling alarm',
  description:
    'Throttled requests surface as latency and retries in the functions that call the table; without an alarm on ReadThrottleEvents, ' +
    'WriteThrottleEvents or ThrottledRequests with TableName=<table> nobody is told (SERVOPS 1). Aggregate alarms with no dimensions count ' +
    'only with countAggregateAlarms.',
  severity: 'LOW',
  pillar: 'OPS',
  lens: ['SERVOPS 1'],
  lens2022: ['SERVOPS 1'],
  resourceKind: 'AwsDynamoDbTable',
  uses: ['TableName'],
  needs: ['AwsCloudWatchAlarm'],
  cost: 'C',
  options: { countAggregateAlarms: false },
  remediation: {
    text: 'Create a CloudWatch alarm on AWS/DynamoDB ReadThrottleEvents and WriteThrottleEvents (or ThrottledRequests) with dimension TableName=<table>, Sum > 0 over 5 minutes.',
    url: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/creating-alarms.html',
  },
  peers: {},
  evaluate(table, ctx) {
    const target: AlarmTarget = { namespace: 'AWS/DynamoDB', metricNames: ['ReadThrottleEvents', 'WriteThrottleEvents', 'ThrottledRequests'], dimensions: { TableName: table.TableName } };
    const { covering, aggregateNotCounted } = alarmCoverage(ctx.list('AwsCloudWatchAlarm'), target, { countAggregateAlarms: ctx.options.countAggregateAlarms as boolean });
    if (covering.length > 0) return ctx.pass(`Table ${table.name} has a throttling alarm: ${covering.join(', ')}.`, { alarms: covering });
    return ctx.fail(`No CloudWatch alarm watches ${describeTarget(target)} for table ${table.name}.`, {
      metric: describeTarget(target),
      ...(aggregateNotCounted.length > 0 ? { aggregateAlarmsNotCounted: aggregateNotCounted } : {}),
    });
  },
});
export default check;

const alarm = (MetricName: string, Dimensions: { Name: string; Value: string }[]) => ({ kind: 'AwsCloudWatchAlarm' as const, name: `a-${MetricName}`, AlarmName: `a-${MetricName}`, Namespace: 'AWS/DynamoDB', MetricName, Dimensions });

export const examples: CheckExamples<'AwsDynamoDbTable'> = {
  pass: [
    { resource: {}, others: [alarm('WriteThrottleEvents', [{ Name: 'TableName', Value: 'example' }])] },
    { name: 'GSI alarm counts for the table', resource: {}, others: [alarm('ReadThrottleEvents', [{ Name: 'TableName', Value: 'example' }, { Name: 'GlobalSecondaryIndexName', Value: 'byDate' }])] },
  ],
  fail: [{ name: 'alarm on another table', resource: {}, others: [alarm('ReadThrottleEvents', [{ Name: 'TableName', Value: 'other' }])] }],
  notAssessed: [{ resource: {}, listGaps: ['AwsCloudWatchAlarm'] }],
};
