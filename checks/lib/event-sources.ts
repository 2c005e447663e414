// Classifying Lambda event source mappings by their source.
import type { LambdaEventSourceMapping } from '../../src/model/index.js';

export type StreamSource = 'Kinesis' | 'DynamoDB Streams' | 'Kafka';

/** The stream kind of a mapping's source, or undefined for queues (SQS, MQ) and other sources. */
export function streamSourceOf(m: LambdaEventSourceMapping): StreamSource | undefined {
  const arn = m.EventSourceArn ?? '';
  if (/^arn:[^:]+:kinesis:[^:]*:[^:]*:stream\//.test(arn)) return 'Kinesis';
  if (/^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/[^/]+\/stream\//.test(arn)) return 'DynamoDB Streams';
  if (/^arn:[^:]+:kafka:/.test(arn) || m.SelfManagedEventSource?.Endpoints) return 'Kafka';
  return undefined;
}

/** A short label: the function name and the source name. */
export function mappingLabel(m: LambdaEventSourceMapping): string {
  const fn = (m.FunctionArn ?? '').split(':')[6] ?? m.UUID;
  const src = (m.EventSourceArn ?? '').split(/[/:]/).filter(Boolean).slice(-3).join('/') || 'self-managed Kafka';
  return `${fn || m.UUID} ← ${src}`;
}
