// Classifying Lambda event source mappings by their source.
import type { LambdaEventSourceMapping } from '../../src/model/index.js';

export type StreamSource = 'Kinesis' | 'DynamoDB Streams' | 'Kafka';

/**
 * The Kinesis stream ARN of an event source: the stream's own ARN, or, for an enhanced fan-out consumer
 * (`<stream ARN>/consumer/<name>:<creation timestamp>`, what a mapping on a registered consumer carries), the ARN of
 * the stream it reads. Undefined for anything that is not a Kinesis stream or stream consumer. Every join of event
 * source mappings to streams goes through this.
 */
export function kinesisStreamArnOf(arn: string | undefined): string | undefined {
  return /^(arn:[^:]+:kinesis:[^:]*:[^:]*:stream\/[^/:]+)(?:\/consumer\/[^/]+)?$/.exec(arn ?? '')?.[1];
}

/** True when a mapping reads the stream `streamArn`, directly or through an enhanced fan-out consumer. */
export function readsKinesisStream(m: LambdaEventSourceMapping, streamArn: string): boolean {
  return kinesisStreamArnOf(m.EventSourceArn) === streamArn;
}

/** The stream kind of a mapping's source, or undefined for queues (SQS, MQ) and other sources. */
export function streamSourceOf(m: LambdaEventSourceMapping): StreamSource | undefined {
  const arn = m.EventSourceArn ?? '';
  if (kinesisStreamArnOf(arn)) return 'Kinesis';
  if (/^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/[^/]+\/stream\//.test(arn)) return 'DynamoDB Streams';
  if (/^arn:[^:]+:kafka:/.test(arn) || m.SelfManagedEventSource?.Endpoints) return 'Kafka';
  return undefined;
}

/** A short label: the function name and the source name. */
export function mappingLabel(m: LambdaEventSourceMapping): string {
  const fn = (m.FunctionArn ?? '').split(':')[6] ?? m.UUID;
  return `${fn || m.UUID} ← ${sourceName(m.EventSourceArn)}`;
}

/** The name a person knows a source by: table name for a DynamoDB stream, stream, cluster or queue name otherwise. */
export function sourceName(arn: string | undefined): string {
  if (!arn) return 'self-managed Kafka';
  const table = /:table\/([^/]+)\/stream\//.exec(arn);
  if (table) return `table ${table[1]}`;
  const kinesis = kinesisStreamArnOf(arn);
  const consumer = /\/consumer\/([^/:]+)/.exec(arn);
  if (kinesis) return `stream ${kinesis.split('/')[1]}${consumer ? ` (consumer ${consumer[1]})` : ''}`;
  const stream = /:stream\/([^/]+)/.exec(arn);
  if (stream) return `stream ${stream[1]}`;
  const cluster = /:cluster\/([^/]+)/.exec(arn);
  if (cluster) return `cluster ${cluster[1]}`;
  return arn.split(':').slice(5).join(':') || arn;
}
