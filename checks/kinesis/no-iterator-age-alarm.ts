import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { alarmCoverage, describeTarget, functionNameFromArn, kinesisIteratorAgeTarget, lambdaTarget } from '../lib/alarms.js';
import { readsKinesisStream } from '../lib/event-sources.js';

const INACTIVE_MAPPING_STATES = new Set(['Disabled', 'Disabling', 'Deleting']);

const check = defineCheck({
  id: 'kinesis.no-iterator-age-alarm',
  title: 'Kinesis stream has no alarm on consumer iterator age',
  description:
    'A growing iterator age means consumers fall behind; once it reaches the retention period, records are lost. The stream ' +
    'passes with an alarm on AWS/Kinesis GetRecords.IteratorAgeMilliseconds (StreamName=<stream>), or when every Lambda function ' +
    'consuming it through an active event source mapping (on the stream, or on one of its enhanced fan-out consumers) has an ' +
    'alarm on AWS/Lambda IteratorAge (FunctionName=<function>). ' +
    'A stream with no alarm and no consuming function, or with an uncovered consumer, fails. Lens SERVOPS 1.',
  severity: 'MEDIUM',
  pillar: 'OPS',
  lens: ['SERVOPS 1'],
  lens2022: ['SERVOPS 1'],
  resourceKind: 'AwsKinesisStream',
  uses: ['StreamName'],
  needs: ['AwsCloudWatchAlarm', 'AwsLambdaEventSourceMapping'],
  cost: 'C',
  options: { countAggregateAlarms: false },
  remediation: {
    text: 'Create a CloudWatch alarm on AWS/Kinesis GetRecords.IteratorAgeMilliseconds (StreamName=<stream>, Maximum) well below the retention period, or on AWS/Lambda IteratorAge for each consuming function.',
    url: 'https://docs.aws.amazon.com/streams/latest/dev/monitoring-with-cloudwatch.html',
  },
  peers: {},
  evaluate(stream, ctx) {
    const alarms = ctx.list('AwsCloudWatchAlarm');
    const opts = { countAggregateAlarms: ctx.options.countAggregateAlarms };
    const streamTarget = kinesisIteratorAgeTarget(stream.StreamName);
    const streamCoverage = alarmCoverage(alarms, streamTarget, opts);
    if (streamCoverage.covering.length > 0) {
      return ctx.pass(`Stream ${stream.name} has an iterator-age alarm: ${streamCoverage.covering.join(', ')}.`, { alarms: streamCoverage.covering });
    }

    const consumers = [
      ...new Set(
        ctx
          .list('AwsLambdaEventSourceMapping')
          .filter((m) => readsKinesisStream(m, stream.arn) && !INACTIVE_MAPPING_STATES.has(m.State ?? ''))
          .map((m) => functionNameFromArn(m.FunctionArn))
          .filter((n): n is string => n !== undefined),
      ),
    ].sort();
    const covered = consumers.map((fn) => ({ fn, alarms: alarmCoverage(alarms, lambdaTarget(fn, 'IteratorAge'), opts).covering }));
    const uncovered = covered.filter((c) => c.alarms.length === 0).map((c) => c.fn);
    if (consumers.length > 0 && uncovered.length === 0) {
      return ctx.pass(`Every function consuming stream ${stream.name} has an IteratorAge alarm (${consumers.join(', ')}).`, {
        consumers: covered.map((c) => ({ function: c.fn, alarms: c.alarms })),
      });
    }
    const evidence = {
      metric: describeTarget(streamTarget),
      consumers,
      ...(uncovered.length > 0 ? { consumersWithoutIteratorAgeAlarm: uncovered } : {}),
      ...(streamCoverage.aggregateNotCounted.length > 0 ? { aggregateAlarmsNotCounted: streamCoverage.aggregateNotCounted } : {}),
    };
    return consumers.length === 0
      ? ctx.fail(`No CloudWatch alarm watches ${describeTarget(streamTarget)} for stream ${stream.name}, and no Lambda consumer with an IteratorAge alarm was found.`, evidence)
      : ctx.fail(`No iterator-age alarm on stream ${stream.name}, and consuming function(s) ${uncovered.join(', ')} have no AWS/Lambda IteratorAge alarm.`, evidence);
  },
});
export default check;

const STREAM = 'arn:aws:kinesis:us-east-1:111122223333:stream/example';
const mapping = (name: string, fn: string, state = 'Enabled') => ({
  kind: 'AwsLambdaEventSourceMapping' as const, name, EventSourceArn: STREAM, FunctionArn: `arn:aws:lambda:us-east-1:111122223333:function:${fn}`, State: state,
});
const iteratorAgeAlarm = (fn: string) => ({
  kind: 'AwsCloudWatchAlarm' as const, name: `${fn}-iterator-age`, Namespace: 'AWS/Lambda', MetricName: 'IteratorAge',
  Dimensions: [{ Name: 'FunctionName', Value: fn }],
});

export const examples: CheckExamples<'AwsKinesisStream'> = {
  pass: [
    {
      name: 'stream-level alarm',
      resource: {},
      others: [{
        kind: 'AwsCloudWatchAlarm', name: 'example-iterator-age', Namespace: 'AWS/Kinesis', MetricName: 'GetRecords.IteratorAgeMilliseconds',
        Dimensions: [{ Name: 'StreamName', Value: 'example' }],
      }],
    },
    {
      name: 'every consumer has an IteratorAge alarm (one mapping through an alias)',
      resource: {},
      others: [
        mapping('m1', 'processor'),
        { ...mapping('m2', 'auditor'), FunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:auditor:live' },
        mapping('m3', 'retired', 'Disabled'),
        iteratorAgeAlarm('processor'),
        iteratorAgeAlarm('auditor'),
      ],
    },
    {
      // AWS's consumer ARN: <stream ARN>/consumer/<name>:<creation timestamp>.
      name: 'the only consumer reads through enhanced fan-out and has an IteratorAge alarm',
      resource: {},
      others: [{ ...mapping('m1', 'fanout'), EventSourceArn: `${STREAM}/consumer/fanout-app:1767225600` }, iteratorAgeAlarm('fanout')],
    },
  ],
  fail: [
    { name: 'no alarm and no consumer', resource: {} },
    {
      // The enhanced fan-out consumer's function is a consumer of the stream, although its mapping names the consumer.
      name: 'the function reading through an enhanced fan-out consumer has no IteratorAge alarm',
      resource: {},
      others: [mapping('m1', 'processor'), { ...mapping('m2', 'fanout'), EventSourceArn: `${STREAM}/consumer/fanout-app:1767225600` }, iteratorAgeAlarm('processor')],
    },
    {
      name: 'one consumer of two covered',
      resource: {},
      others: [mapping('m1', 'processor'), mapping('m2', 'auditor'), iteratorAgeAlarm('processor')],
    },
  ],
  notAssessed: [
    { name: 'alarms could not be listed', resource: {}, listGaps: ['AwsCloudWatchAlarm'] },
    { name: 'event source mappings could not be listed', resource: {}, listGaps: ['AwsLambdaEventSourceMapping'] },
  ],
};
