// Kinesis against an `http://` endpoint (--endpoint-url, AWS_ENDPOINT_URL), as LocalStack and moto serve it: a plain
// HTTP/1.1 server on loopback answering the Kinesis JSON protocol (x-amz-json-1.1, X-Amz-Target
// Kinesis_20131202.<Operation>). The SDK's default Kinesis handler is HTTP/2, which such a server refuses
// (ERR_HTTP2_ERROR); the factory gives Kinesis the HTTP/1.1 handler of the other clients.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { kinesisCollector } from '../../src/collect/kinesis.js';
import { quotasCollector } from '../../src/collect/quotas.js';
import { makeContext, testFactory } from './harness.js';

const ARN = (n: string) => `arn:aws:kinesis:us-east-1:123456789012:stream/${n}`;
const CREATED = 1704164645; // epoch seconds, as the JSON protocol sends timestamps

// Response shapes of the Kinesis API reference (ListStreams, DescribeStreamSummary, DescribeLimits).
const ANSWERS: Record<string, (input: Record<string, unknown>) => unknown> = {
  ListStreams: () => ({
    StreamNames: ['clicks', 'orders'],
    HasMoreStreams: false,
    StreamSummaries: [
      { StreamName: 'clicks', StreamARN: ARN('clicks'), StreamStatus: 'ACTIVE', StreamModeDetails: { StreamMode: 'PROVISIONED' }, StreamCreationTimestamp: CREATED },
      { StreamName: 'orders', StreamARN: ARN('orders'), StreamStatus: 'ACTIVE', StreamModeDetails: { StreamMode: 'ON_DEMAND' }, StreamCreationTimestamp: CREATED },
    ],
  }),
  DescribeStreamSummary: (input) => {
    const name = String(input.StreamARN).split('/').pop()!;
    return {
      StreamDescriptionSummary: {
        StreamName: name, StreamARN: input.StreamARN, StreamStatus: 'ACTIVE',
        StreamModeDetails: { StreamMode: name === 'orders' ? 'ON_DEMAND' : 'PROVISIONED' },
        RetentionPeriodHours: name === 'orders' ? 168 : 24, StreamCreationTimestamp: CREATED,
        EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
        EncryptionType: name === 'orders' ? 'KMS' : 'NONE', ...(name === 'orders' ? { KeyId: 'alias/aws/kinesis' } : {}),
        OpenShardCount: name === 'orders' ? 4 : 2, ConsumerCount: 0,
      },
    };
  },
  DescribeLimits: () => ({ ShardLimit: 200, OpenShardCount: 6, OnDemandStreamCount: 1, OnDemandStreamCountLimit: 50 }),
};

let server: Server;
let endpoint: string;
const seen: { target: string; httpVersion: string }[] = [];

async function body(req: IncomingMessage): Promise<string> {
  let s = '';
  for await (const chunk of req) s += chunk;
  return s;
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const text = await body(req);
    const target = String(req.headers['x-amz-target'] ?? '');
    const [prefix, operation] = target.split('.');
    seen.push({ target, httpVersion: req.httpVersion });
    const answer = prefix === 'Kinesis_20131202' ? ANSWERS[operation!] : undefined;
    if (!answer) {
      // Any other service the quotas collector asks: a client error, not retried.
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: 'UnknownOperationException', message: `not served: ${target || req.url}` }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'req-1' });
    res.end(JSON.stringify(answer(text ? JSON.parse(text) : {})));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const saved = process.env.AWS_ENDPOINT_URL;
afterEach(() => {
  seen.length = 0;
  if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
  else process.env.AWS_ENDPOINT_URL = saved;
});

async function collect(endpointOption: string | undefined) {
  // Two attempts: a refused protocol fails fast instead of backing off eight times.
  const factory = testFactory({ endpoint: endpointOption, maxAttempts: 2, pacing: false });
  const t = makeContext({ factory });
  try {
    await kinesisCollector.collect(t.ctx);
    await quotasCollector.collect(t.ctx);
  } finally {
    factory.destroy();
  }
  return t;
}

function expectStreamsAndLimits(t: Awaited<ReturnType<typeof collect>>): void {
  expect(t.errors.filter((e) => e.service === 'kinesis')).toEqual([]);
  expect(t.region.listGaps).toEqual([]);
  const streams = t.region.resources.AwsKinesisStream ?? [];
  expect(streams.map((s) => [s.StreamName, s.RetentionPeriodHours, s.EncryptionType, s.OpenShardCount, s.gaps]).sort()).toEqual([
    ['clicks', 24, 'NONE', 2, undefined],
    ['orders', 168, 'KMS', 4, undefined],
  ]);
  expect(streams[0]!.StreamCreationTimestamp).toBe('2024-01-02T03:04:05.000Z');
  const ar = t.ctx.accountRegion();
  expect(ar.KinesisLimits).toEqual({ ShardLimit: 200, OpenShardCount: 6, OnDemandStreamCount: 1, OnDemandStreamCountLimit: 50 });
  expect(ar.gaps?.KinesisLimits).toBeUndefined();
  const kinesisCalls = seen.filter((s) => s.target.startsWith('Kinesis_20131202.'));
  expect(kinesisCalls.map((s) => s.target).sort()).toEqual([
    'Kinesis_20131202.DescribeLimits', 'Kinesis_20131202.DescribeStreamSummary', 'Kinesis_20131202.DescribeStreamSummary',
    'Kinesis_20131202.ListStreams',
  ]);
  expect(new Set(kinesisCalls.map((s) => s.httpVersion))).toEqual(new Set(['1.1']));
}

describe('Kinesis over an http:// endpoint (HTTP/1.1 server)', () => {
  it('collects streams and the shard limits through the endpoint option (--endpoint-url)', async () => {
    expectStreamsAndLimits(await collect(endpoint));
  });

  it('collects them through AWS_ENDPOINT_URL', async () => {
    process.env.AWS_ENDPOINT_URL = endpoint;
    expectStreamsAndLimits(await collect(undefined));
  });
});
