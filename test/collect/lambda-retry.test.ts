// The SDK's own retry loop, end to end: aws-sdk-client-mock replaces `send` and so skips the retry middleware, so this
// test swaps the HTTP handler instead and lets a real LambdaClient serialize, sign, retry and deserialize.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { lambdaCollector } from '../../src/collect/lambda.js';
import { makeContext, testFactory } from './harness.js';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';

interface SeenRequest {
  method: string;
  path: string;
}

/** Answers each request with the next canned response: `{ statusCode, headers, body }` as the SDK's handlers do. */
function scriptedHandler(script: { status: number; headers: Record<string, string>; body: unknown }[]) {
  const seen: SeenRequest[] = [];
  return {
    seen,
    handler: {
      async handle(request: { method: string; path: string }) {
        seen.push({ method: request.method, path: request.path });
        const next = script.shift();
        if (!next) throw new Error(`no scripted response for ${request.method} ${request.path}`);
        return {
          response: {
            statusCode: next.status,
            headers: { 'content-type': 'application/json', 'x-amzn-requestid': `req-${seen.length}`, ...next.headers },
            body: Readable.from([Buffer.from(JSON.stringify(next.body))]),
          },
        };
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs() {
        return {};
      },
      destroy() {},
    },
  };
}

describe('lambda collector under throttling', () => {
  it('retries a 429 TooManyRequestsException and gets the function', async () => {
    const fn = {
      FunctionName: 'orders-api',
      FunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:orders-api`,
      Runtime: 'python3.13',
      Role: `arn:aws:iam::${ACCOUNT}:role/orders-api-role`,
      Handler: 'app.handler',
      CodeSize: 1024,
      Description: '',
      Timeout: 30,
      MemorySize: 512,
      LastModified: '2025-03-14T09:26:53.000+0000',
      CodeSha256: 'n2pMwo5vY6LFzqV1bvwGRwN9mN2rTtJvFa7Q0d3ZdWg=',
      Version: '$LATEST',
      TracingConfig: { Mode: 'PassThrough' },
      RevisionId: '4d3a8e2f-1c6b-4b8e-9a57-3f2c1d0e9b8a',
      PackageType: 'Zip',
      Architectures: ['x86_64'],
      EphemeralStorage: { Size: 512 },
      LoggingConfig: { LogFormat: 'Text', LogGroup: '/aws/lambda/orders-api' },
    };
    const { handler, seen } = scriptedHandler([
      {
        status: 429,
        headers: { 'x-amzn-errortype': 'TooManyRequestsException' },
        body: { Reason: 'CallerRateLimitExceeded', Type: 'User', message: 'Rate exceeded' },
      },
      { status: 200, headers: {}, body: { Functions: [fn], NextMarker: null } },
    ]);
    const factory = testFactory({ requestHandler: handler, maxAttempts: 3 });
    // Only functions, no per-function calls: the script covers exactly the two ListFunctions attempts.
    const t = makeContext({ region: REGION, accountId: ACCOUNT, factory, kinds: ['AwsIamRole'] });
    await lambdaCollector.collect(t.ctx);

    expect(seen).toEqual([
      { method: 'GET', path: '/2015-03-31/functions' },
      { method: 'GET', path: '/2015-03-31/functions' },
    ]);
    expect(t.region.resources.AwsLambdaFunction?.map((f) => f.arn)).toEqual([fn.FunctionArn]);
    expect(t.region.listGaps).toEqual([]);
    expect(t.errors).toEqual([]);
    // One logical call, two attempts, one of them throttled.
    expect(factory.counter.calls).toEqual({ 'lambda:ListFunctions': 1 });
    expect(factory.counter.attempts).toBe(2);
    expect(factory.counter.throttled).toBe(1);
  });

  it('gives up after maxAttempts and records a list gap with the throttling code', async () => {
    const throttled = { status: 429, headers: { 'x-amzn-errortype': 'TooManyRequestsException' }, body: { Reason: 'CallerRateLimitExceeded', Type: 'User', message: 'Rate exceeded' } };
    const { handler } = scriptedHandler([throttled, { ...throttled }]);
    const factory = testFactory({ requestHandler: handler, maxAttempts: 2, retryMode: 'standard' });
    const t = makeContext({ region: REGION, accountId: ACCOUNT, factory, kinds: ['AwsIamRole'] });
    await lambdaCollector.collect(t.ctx);
    expect(t.region.listGaps.map((g) => [g.kind, g.code])).toEqual([['AwsLambdaFunction', 'TooManyRequestsException']]);
    expect(factory.counter.throttled).toBe(2);
  });
});
