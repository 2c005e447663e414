// The pacer's pieces: which published limit a call draws from, the reservation token bucket, and where a client's
// call waits for it.
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { describe, expect, it, vi } from 'vitest';
import { ApiCallCounter, instrument } from '../src/aws/clients.js';
import { Pacer, TokenBucket, bucketsFor } from '../src/aws/rate-limits.js';

describe('bucketsFor', () => {
  it('maps calls to the limits AWS publishes for them', () => {
    expect(bucketsFor('lambda', 'GetPolicy')).toEqual(['lambda:GetPolicy']);
    expect(bucketsFor('lambda', 'ListFunctionUrlConfigs')).toEqual(['lambda:control']);
    expect(bucketsFor('lambda', 'ListFunctions')).toEqual(['lambda:control']);
    // REST and v2 share API Gateway's account-region limit; GetResources also has its own.
    expect(bucketsFor('apigatewayv2', 'GetRoutes')).toEqual(['apigateway:control']);
    expect(bucketsFor('apigateway', 'GetResources')).toEqual(['apigateway:control', 'apigateway:GetResources']);
    expect(bucketsFor('logs', 'DescribeLogGroups')).toEqual(['logs:DescribeLogGroups']);
    // No published limit: not paced.
    expect(bucketsFor('iam', 'GetAccountAuthorizationDetails')).toEqual([]);
    expect(bucketsFor('logs', 'FilterLogEvents')).toEqual([]);
  });
});

describe('TokenBucket', () => {
  it('lets a burst go at once, then books one slot per 1/rate in arrival order', () => {
    let now = 0;
    const b = new TokenBucket(10, 2, () => now);
    expect([b.reserve(), b.reserve(), b.reserve(), b.reserve()]).toEqual([0, 0, 100, 200]);
    // 300 ms later the two booked slots are spent and one more token has accrued.
    now = 300;
    expect(b.reserve()).toBe(0);
    expect(b.available()).toBe(false);
    // A long pause refills to the burst, not beyond.
    now = 10_000;
    expect([b.reserve(), b.reserve(), b.reserve()]).toEqual([0, 0, 100]);
  });
});

describe('Pacer', () => {
  it('waits for limited calls per region and never for unlimited ones', async () => {
    const pacer = new Pacer();
    expect(pacer.acquire('eu-west-1', 'iam', 'GetAccountAuthorizationDetails')).toBeUndefined();
    // Half of the published burst goes at once (Kinesis DescribeLimits: 1/s, burst 1 → 1) ...
    expect(pacer.acquire('eu-west-1', 'kinesis', 'DescribeLimits')).toBeUndefined();
    // ... the next one has to wait for the next token; another region has its own bucket.
    const wait = pacer.acquire('eu-west-1', 'kinesis', 'DescribeLimits');
    expect(wait).toBeInstanceOf(Promise);
    expect(pacer.acquire('us-east-1', 'kinesis', 'DescribeLimits')).toBeUndefined();
  });

  it('paces a region\'s client (forRegion) from the same buckets as acquire', () => {
    const pacer = new Pacer();
    const eu = pacer.forRegion('eu-west-1');
    expect(eu('iam', 'GetAccountAuthorizationDetails')).toBeUndefined();
    expect(eu('kinesis', 'DescribeLimits')).toBeUndefined();
    // The one token of eu-west-1's DescribeLimits bucket is spent, whichever way it is asked for.
    expect(pacer.acquire('eu-west-1', 'kinesis', 'DescribeLimits')).toBeInstanceOf(Promise);
    expect(eu('kinesis', 'DescribeLimits')).toBeInstanceOf(Promise);
    expect(pacer.forRegion('us-east-1')('kinesis', 'DescribeLimits')).toBeUndefined();
    // Lambda's control-plane calls share one bucket (burst 15 → 7 at once).
    const waits = Array.from({ length: 8 }, (_, i) => eu('lambda', i % 2 ? 'ListFunctions' : 'GetFunctionConcurrency'));
    expect(waits.slice(0, 7).every((w) => w === undefined)).toBe(true);
    expect(waits[7]).toBeInstanceOf(Promise);
  });
});

describe('instrument: where a call waits for its rate limit', () => {
  // A request handler that answers the first attempt with throttling (TooManyRequestsException, 429) and later ones
  // with an empty ListFunctions page, counting what reaches it.
  const handler = () => {
    const seen = { requests: 0 };
    return {
      seen,
      metadata: { handlerProtocol: 'http/1.1' },
      async handle() {
        seen.requests++;
        const throttle = seen.requests === 1;
        const body = throttle ? JSON.stringify({ message: 'Rate exceeded' }) : JSON.stringify({ Functions: [] });
        return {
          // As the simulated AWS answers (bench/sim/wire.ts): Lambda is REST-JSON, its error type in a header.
          response: {
            statusCode: throttle ? 429 : 200,
            headers: { 'content-type': 'application/json', 'x-amzn-requestid': 'r', ...(throttle ? { 'x-amzn-errortype': 'TooManyRequestsException' } : {}) },
            body: Buffer.from(body),
          },
        };
      },
      destroy() {},
    };
  };

  it('holds the first attempt before the SDK builds its request, and each retry after signing', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.99);
    const h = handler();
    const client = new LambdaClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' }, requestHandler: h, cacheMiddleware: true, maxAttempts: 3 });
    const built: number[] = [];
    // A call that reaches the serialize step is having its request built (then signed, and held until sent).
    client.middlewareStack.add((next) => (args) => (built.push(h.seen.requests), next(args)), { step: 'serialize', name: 'testBuilt', priority: 'high' });
    const waits: { requests: number; built: number; release: () => void }[] = [];
    const pace = () => new Promise<void>((release) => waits.push({ requests: h.seen.requests, built: built.length, release }));
    instrument(client as never, new ApiCallCounter(), true, pace);

    const call = client.send(new ListFunctionsCommand({}));
    await new Promise((r) => setImmediate(r));
    // Waiting for its token: nothing built yet.
    expect(waits).toHaveLength(1);
    expect(waits[0]).toMatchObject({ requests: 0, built: 0 });
    waits[0]!.release();
    // Throttled, retried: the retry waits for the limit again, its request built but not sent. The SDK's standard
    // retry waits a random 0–1,000 ms after a throttling error (base 500 ms, full jitter), so vi.waitFor's default
    // 1 s was too short about one run in a hundred (CI, stop 27).
    await vi.waitFor(() => expect(waits).toHaveLength(2), { timeout: 10_000 });
    expect(waits[1]).toMatchObject({ requests: 1, built: 1 });
    waits[1]!.release();
    await expect(call).resolves.toMatchObject({ Functions: [] });
    expect(h.seen.requests).toBe(2);

    // With cacheMiddleware one handler context serves every call of a command class: a second call is a first
    // attempt again, paced once in send.
    const again = client.send(new ListFunctionsCommand({}));
    await vi.waitFor(() => expect(waits).toHaveLength(3), { timeout: 10_000 });
    expect(waits[2]).toMatchObject({ requests: 2, built: 1 });
    waits[2]!.release();
    await expect(again).resolves.toMatchObject({ Functions: [] });
    expect(waits).toHaveLength(3);
  });

  it('a step below that throws is a rejected call, as from an async middleware, and no attempt is counted', async () => {
    const h = handler();
    const client = new LambdaClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' }, requestHandler: h, cacheMiddleware: true, maxAttempts: 1 });
    client.middlewareStack.add(() => () => {
      throw new Error('serializer broke');
    }, { step: 'serialize', name: 'testThrows', priority: 'high' });
    const counter = new ApiCallCounter();
    instrument(client as never, counter, true, () => undefined);
    let sent: Promise<unknown> | undefined;
    expect(() => (sent = client.send(new ListFunctionsCommand({})))).not.toThrow();
    await expect(sent).rejects.toThrow('serializer broke');
    expect(counter.attempts).toBe(0);
    expect(h.seen.requests).toBe(0);
  });
});
