import {
  DescribeStreamSummaryCommand, KinesisClient, ListStreamsCommand, ResourceNotFoundException,
} from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { STREAM_SUMMARY_FIELDS, kinesisCollector } from '../../src/collect/kinesis.js';
import { makeContext } from './harness.js';

const mock = mockClient(KinesisClient);
afterAll(() => mock.restore());
beforeEach(() => mock.reset());

const STREAM = (n: string) => `arn:aws:kinesis:us-east-1:123456789012:stream/${n}`;
const summary = (n: string, mode: 'PROVISIONED' | 'ON_DEMAND' = 'PROVISIONED') => ({
  StreamName: n, StreamARN: STREAM(n), StreamStatus: 'ACTIVE' as const, StreamModeDetails: { StreamMode: mode },
  StreamCreationTimestamp: new Date('2024-01-02T03:04:05Z'),
});

describe('kinesis collector', () => {
  it('lists streams over pages with NextToken and flattens DescribeStreamSummary; one denied stream gets gaps only', async () => {
    // As ListStreams answers: StreamNames (always present) next to StreamSummaries, HasMoreStreams, NextToken.
    mock.on(ListStreamsCommand).resolves({ StreamNames: ['clicks', 'orders'], StreamSummaries: [summary('clicks'), summary('orders', 'ON_DEMAND')], HasMoreStreams: true, NextToken: 'tok-2' });
    mock.on(ListStreamsCommand, { NextToken: 'tok-2' }).resolves({ StreamNames: ['audit', 'gone'], StreamSummaries: [summary('audit'), summary('gone')], HasMoreStreams: false });
    mock.on(DescribeStreamSummaryCommand, { StreamARN: STREAM('clicks') }).resolves({
      StreamDescriptionSummary: {
        StreamName: 'clicks', StreamARN: STREAM('clicks'), StreamStatus: 'ACTIVE', StreamModeDetails: { StreamMode: 'PROVISIONED' },
        RetentionPeriodHours: 24, StreamCreationTimestamp: new Date('2024-01-02T03:04:05Z'),
        EnhancedMonitoring: [{ ShardLevelMetrics: ['IncomingBytes'] }], EncryptionType: 'NONE', OpenShardCount: 4, ConsumerCount: 1,
      },
    });
    mock.on(DescribeStreamSummaryCommand, { StreamARN: STREAM('orders') }).resolves({
      StreamDescriptionSummary: {
        StreamName: 'orders', StreamARN: STREAM('orders'), StreamStatus: 'ACTIVE', StreamModeDetails: { StreamMode: 'ON_DEMAND' },
        RetentionPeriodHours: 168, StreamCreationTimestamp: new Date('2024-01-02T03:04:05Z'),
        EnhancedMonitoring: [{ ShardLevelMetrics: [] }], EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis', OpenShardCount: 2, ConsumerCount: 0,
      },
    });
    mock.on(DescribeStreamSummaryCommand, { StreamARN: STREAM('audit') }).rejects(
      Object.assign(new Error('User is not authorized to perform: kinesis:DescribeStreamSummary'), { name: 'AccessDeniedException', $metadata: {} }),
    );
    mock.on(DescribeStreamSummaryCommand, { StreamARN: STREAM('gone') }).rejects(new ResourceNotFoundException({ message: 'Stream gone not found', $metadata: {} }));

    const { ctx, region, factory } = makeContext();
    await kinesisCollector.collect(ctx);

    const streams = region.resources.AwsKinesisStream ?? [];
    expect(streams.map((s) => s.arn).sort()).toEqual([STREAM('audit'), STREAM('clicks'), STREAM('orders')]);
    const by = Object.fromEntries(streams.map((s) => [s.StreamName, s]));
    expect(by.clicks).toEqual({
      kind: 'AwsKinesisStream', arn: STREAM('clicks'), name: 'clicks', accountId: '123456789012', region: 'us-east-1', tags: {},
      StreamName: 'clicks', StreamARN: STREAM('clicks'), StreamStatus: 'ACTIVE', StreamModeDetails: { StreamMode: 'PROVISIONED' },
      StreamCreationTimestamp: '2024-01-02T03:04:05.000Z', RetentionPeriodHours: 24, EncryptionType: 'NONE',
      OpenShardCount: 4, ConsumerCount: 1, EnhancedMonitoring: [{ ShardLevelMetrics: ['IncomingBytes'] }],
    });
    expect(by.orders).toMatchObject({ EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis', RetentionPeriodHours: 168, StreamModeDetails: { StreamMode: 'ON_DEMAND' } });
    expect(by.orders!.gaps).toBeUndefined();

    // audit: the summary call was denied; what ListStreams gave stays, the rest is gapped.
    const audit = by.audit!;
    expect(audit.StreamModeDetails).toEqual({ StreamMode: 'PROVISIONED' });
    expect(audit.RetentionPeriodHours).toBeUndefined();
    expect(Object.keys(audit.gaps ?? {}).sort()).toEqual([...STREAM_SUMMARY_FIELDS].sort());
    expect(audit.gaps?.EncryptionType).toMatchObject({ operation: 'kinesis:DescribeStreamSummary', code: 'AccessDeniedException' });

    // The second page is asked for with NextToken alone (the API rejects it combined with other parameters).
    const inputs = mock.commandCalls(ListStreamsCommand).map((c) => c.args[0].input);
    expect(inputs).toEqual([{ Limit: 100 }, { NextToken: 'tok-2' }]);
    expect(factory.counter.calls).toEqual({ 'kinesis:ListStreams': 2, 'kinesis:DescribeStreamSummary': 4 });
    expect(region.listGaps).toEqual([]);
  });

  it('continues after the last stream name when HasMoreStreams comes without a token', async () => {
    mock.on(ListStreamsCommand).resolves({ StreamNames: ['a'], StreamSummaries: [summary('a')], HasMoreStreams: true });
    mock.on(ListStreamsCommand, { ExclusiveStartStreamName: 'a' }).resolves({ StreamNames: ['b'], StreamSummaries: [summary('b')], HasMoreStreams: false });
    mock.on(DescribeStreamSummaryCommand).rejects(Object.assign(new Error('slow down'), { name: 'LimitExceededException' }));
    const { ctx, region } = makeContext();
    await kinesisCollector.collect(ctx);
    expect(region.resources.AwsKinesisStream?.map((s) => s.StreamName).sort()).toEqual(['a', 'b']);
    expect(region.resources.AwsKinesisStream?.[0]?.gaps?.RetentionPeriodHours?.code).toBe('LimitExceededException');
  });

  it('records a list gap when ListStreams fails', async () => {
    mock.on(ListStreamsCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const { ctx, region, errors } = makeContext();
    await kinesisCollector.collect(ctx);
    expect(region.listGaps).toEqual([
      expect.objectContaining({ kind: 'AwsKinesisStream', scopeArn: ctx.accountRegion().arn, operation: 'kinesis:ListStreams', code: 'AccessDeniedException' }),
    ]);
    expect(errors).toEqual([expect.objectContaining({ service: 'kinesis', operation: 'kinesis:ListStreams' })]);
    expect(region.resources.AwsKinesisStream).toBeUndefined();
  });
});
