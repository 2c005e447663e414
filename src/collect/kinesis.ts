// Kinesis Data Streams: ListStreams (StreamSummaries) and DescribeStreamSummary per stream.
import { DescribeStreamSummaryCommand, KinesisClient, ListStreamsCommand, type StreamSummary } from '@aws-sdk/client-kinesis';
import { isNotFound, toGap } from '../aws/errors.js';
import type { KinesisStream } from '../model/index.js';
import type { CollectContext, Collector } from './types.js';

/** Fields that only `DescribeStreamSummary` → `StreamDescriptionSummary` provides. */
export const STREAM_SUMMARY_FIELDS = [
  'RetentionPeriodHours', 'EncryptionType', 'KeyId', 'OpenShardCount', 'ConsumerCount', 'EnhancedMonitoring',
] as const satisfies readonly (keyof KinesisStream)[];

export const kinesisCollector: Collector = {
  name: 'kinesis',
  kinds: ['AwsKinesisStream'],
  scope: 'region',
  operations: ['kinesis:ListStreams', 'kinesis:DescribeStreamSummary'],
  async collect(ctx) {
    const client = ctx.client(KinesisClient);
    const ar = ctx.accountRegion();
    let streams: StreamSummary[];
    try {
      streams = await listStreams(client);
    } catch (err) {
      ctx.listGap('AwsKinesisStream', ar.arn, 'kinesis:ListStreams', err, ar.name);
      return;
    }
    await Promise.all(streams.map((s) => ctx.limit('kinesis', () => collectStream(ctx, client, s))));
  },
};

async function listStreams(client: KinesisClient): Promise<StreamSummary[]> {
  const out: StreamSummary[] = [];
  let NextToken: string | undefined;
  for (;;) {
    // NextToken and ExclusiveStartStreamName are mutually exclusive; the latter is only a fallback for an answer
    // that says HasMoreStreams without a token.
    const page = await client.send(
      new ListStreamsCommand(NextToken ? { NextToken } : { Limit: 100, ExclusiveStartStreamName: out.at(-1)?.StreamName }),
    );
    const summaries = page.StreamSummaries ?? [];
    out.push(...summaries);
    if (!page.HasMoreStreams || summaries.length === 0 || (page.NextToken && page.NextToken === NextToken)) return out;
    NextToken = page.NextToken;
  }
}

async function collectStream(ctx: CollectContext, client: KinesisClient, s: StreamSummary): Promise<void> {
  const StreamName = s.StreamName!;
  const StreamARN = s.StreamARN ?? `arn:${ctx.partition}:kinesis:${ctx.region}:${ctx.accountId}:stream/${StreamName}`;
  const stream: KinesisStream = {
    kind: 'AwsKinesisStream',
    arn: StreamARN,
    name: StreamName,
    accountId: ctx.accountId,
    region: ctx.region,
    // Tags need ListTagsForStream / tag:GetResources, which this collector does not call.
    tags: {},
    StreamName,
    StreamARN,
    StreamStatus: s.StreamStatus,
    StreamModeDetails: s.StreamModeDetails ? { StreamMode: s.StreamModeDetails.StreamMode } : undefined,
    StreamCreationTimestamp: s.StreamCreationTimestamp?.toISOString(),
  };
  try {
    const { StreamDescriptionSummary: d } = await client.send(new DescribeStreamSummaryCommand({ StreamARN }));
    if (!d) throw Object.assign(new Error('DescribeStreamSummary returned no summary'), { name: 'EmptyResponse' });
    stream.StreamStatus = d.StreamStatus ?? stream.StreamStatus;
    if (d.StreamModeDetails) stream.StreamModeDetails = { StreamMode: d.StreamModeDetails.StreamMode };
    stream.RetentionPeriodHours = d.RetentionPeriodHours;
    stream.EncryptionType = d.EncryptionType;
    stream.KeyId = d.KeyId;
    stream.OpenShardCount = d.OpenShardCount;
    stream.ConsumerCount = d.ConsumerCount;
    stream.EnhancedMonitoring = (d.EnhancedMonitoring ?? []).map((m) => ({ ShardLevelMetrics: m.ShardLevelMetrics }));
  } catch (err) {
    // Deleted between ListStreams and DescribeStreamSummary: nothing left to assess.
    if (isNotFound(err)) return;
    const gap = toGap('kinesis:DescribeStreamSummary', err);
    const fields: string[] = [...STREAM_SUMMARY_FIELDS, ...(stream.StreamModeDetails ? [] : ['StreamModeDetails'])];
    stream.gaps = { ...stream.gaps, ...Object.fromEntries(fields.map((f) => [f, gap])) };
  }
  ctx.add(stream);
}
