import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { mappingLabel, streamSourceOf } from '../lib/event-sources.js';

const check = defineCheck({
  id: 'lambda.esm-unbounded-retries',
  title: 'Stream event source mapping retries a failing batch until the records expire',
  description:
    'With unlimited retry attempts, unlimited record age and no batch bisection, one poison record blocks its shard until it expires ' +
    '(up to the stream retention), and every record behind it waits (SERVREL 2, SERVREL 5). Kinesis and DynamoDB Streams mappings; ' +
    'absent values are read as the API defaults (-1, -1, false).',
  severity: 'MEDIUM',
  pillar: 'REL',
  lens: ['SERVREL 2', 'SERVREL 5'],
  lens2022: ['SERVREL 2'],
  resourceKind: 'AwsLambdaEventSourceMapping',
  uses: ['EventSourceArn', 'State', 'MaximumRetryAttempts', 'MaximumRecordAgeInSeconds', 'BisectBatchOnFunctionError', 'FunctionResponseTypes', 'SelfManagedEventSource', 'FunctionArn'],
  cost: 'C',
  remediation: {
    text: 'Bound the retries (--maximum-retry-attempts, --maximum-record-age-in-seconds), enable --bisect-batch-on-function-error, and add an on-failure destination.',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html#services-kinesis-errors',
  },
  peers: {},
  evaluate(m, ctx) {
    const source = streamSourceOf(m);
    if ((source !== 'Kinesis' && source !== 'DynamoDB Streams') || m.State !== 'Enabled') return;
    const retries = m.MaximumRetryAttempts ?? -1;
    const age = m.MaximumRecordAgeInSeconds ?? -1;
    const bisect = m.BisectBatchOnFunctionError ?? false;
    const evidence = { MaximumRetryAttempts: retries, MaximumRecordAgeInSeconds: age, BisectBatchOnFunctionError: bisect, FunctionResponseTypes: m.FunctionResponseTypes ?? [] };
    if (retries === -1 && age === -1 && !bisect) {
      return ctx.fail(`Mapping ${mappingLabel(m)} retries failing batches without limit (MaximumRetryAttempts -1, MaximumRecordAgeInSeconds -1, no bisection).`, evidence);
    }
    const bounds = [retries !== -1 && `at most ${retries} retries`, age !== -1 && `records older than ${age} s skipped`, bisect && 'failing batches bisected'].filter(Boolean);
    return ctx.pass(`Mapping ${mappingLabel(m)} bounds retries: ${bounds.join(', ')}.`, evidence);
  },
});
export default check;

const stream = { EventSourceArn: 'arn:aws:kinesis:us-east-1:111122223333:stream/orders', FunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:consumer', State: 'Enabled' };

export const examples: CheckExamples<'AwsLambdaEventSourceMapping'> = {
  pass: [
    { name: 'bounded retries', resource: { ...stream, MaximumRetryAttempts: 3, MaximumRecordAgeInSeconds: -1, BisectBatchOnFunctionError: false } },
    { name: 'bisect only', resource: { ...stream, MaximumRetryAttempts: -1, MaximumRecordAgeInSeconds: -1, BisectBatchOnFunctionError: true } },
  ],
  fail: [
    { name: 'API defaults', resource: { ...stream, MaximumRetryAttempts: -1, MaximumRecordAgeInSeconds: -1, BisectBatchOnFunctionError: false, FunctionResponseTypes: ['ReportBatchItemFailures'] } },
  ],
  notAssessed: [{ resource: { ...stream, gaps: { MaximumRetryAttempts: { operation: 'lambda:ListEventSourceMappings', code: 'AccessDeniedException', message: 'denied' } } } }],
};
