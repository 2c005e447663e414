import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { mappingLabel, streamSourceOf } from '../lib/event-sources.js';

const check = defineCheck({
  id: 'lambda.esm-no-failure-destination',
  title: 'Stream event source mapping has no on-failure destination',
  description:
    'When a batch from a Kinesis, DynamoDB or Kafka stream keeps failing, Lambda retries it until the records expire and then drops them without a trace. ' +
    'An OnFailure destination keeps a record of what was skipped (SERVREL 5; serverless-rules ES1001).',
  severity: 'MEDIUM',
  pillar: 'REL',
  lens: ['SERVREL 5'],
  lens2022: ['SERVREL 2'],
  resourceKind: 'AwsLambdaEventSourceMapping',
  uses: ['EventSourceArn', 'State', 'DestinationConfig', 'SelfManagedEventSource', 'FunctionArn'],
  cost: 'C',
  remediation: {
    text: 'Add an on-failure destination (SQS queue, SNS topic, S3 bucket or Kafka topic) to the mapping: aws lambda update-event-source-mapping --uuid UUID --destination-config OnFailure={Destination=ARN}.',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html#services-kinesis-errors',
  },
  peers: { serverlessRules: ['ES1001'] },
  evaluate(m, ctx) {
    const source = streamSourceOf(m);
    if (!source || m.State !== 'Enabled') return; // queues have their own redrive; disabled mappings read nothing
    const destination = m.DestinationConfig?.OnFailure?.Destination;
    return destination
      ? ctx.pass(`Mapping ${mappingLabel(m)} sends failed ${source} batches to ${destination}.`)
      : ctx.fail(`Mapping ${mappingLabel(m)} (${source}) has no OnFailure destination: records that keep failing are dropped when they expire.`, { EventSourceArn: m.EventSourceArn ?? null });
  },
});
export default check;

const kinesis = { EventSourceArn: 'arn:aws:kinesis:us-east-1:111122223333:stream/orders', FunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:consumer', State: 'Enabled' };

export const examples: CheckExamples<'AwsLambdaEventSourceMapping'> = {
  pass: [
    { resource: { ...kinesis, DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:111122223333:failed' } } } },
    { name: 'SQS source: does not apply', resource: { EventSourceArn: 'arn:aws:sqs:us-east-1:111122223333:jobs', State: 'Enabled' }, count: 0 },
  ],
  fail: [
    { name: 'Kinesis', resource: kinesis },
    { name: 'DynamoDB stream', resource: { ...kinesis, EventSourceArn: 'arn:aws:dynamodb:us-east-1:111122223333:table/orders/stream/2026-01-01T00:00:00.000', DestinationConfig: { OnFailure: {} } } },
  ],
  notAssessed: [{ resource: { ...kinesis, gaps: { DestinationConfig: { operation: 'lambda:ListEventSourceMappings', code: 'ThrottlingException', message: 'rate exceeded' } } } }],
};
