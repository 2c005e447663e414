// HTTPS_PROXY / HTTP_PROXY / NO_PROXY (issue 18): every client goes through the proxy the environment names, per host,
// against a loopback proxy that speaks HTTP/1.1 as corporate proxies do (absolute-form requests, CONNECT for TLS).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ListStreamsCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ClientFactory } from '../../src/aws/clients.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' };
let proxy: Server;
let proxyUrl: string;
const seen: { method: string; url: string }[] = [];

beforeAll(async () => {
  proxy = createServer((req: IncomingMessage, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '' });
    req.resume();
    req.on('end', () => {
      // Plays the AWS endpoint too: the Kinesis JSON protocol's answer to ListStreams.
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      res.end(JSON.stringify({ StreamNames: ['via-proxy'], HasMoreStreams: false, StreamSummaries: [] }));
    });
  });
  proxy.on('connect', (req: IncomingMessage, socket: Socket) => {
    seen.push({ method: 'CONNECT', url: req.url ?? '' });
    // No TLS behind it: the call fails, but the tunnel was asked of the proxy, which is what is tested.
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => proxy.close(() => r())));
afterEach(() => {
  vi.unstubAllEnvs();
  seen.length = 0;
});

describe('proxies from the environment', () => {
  it('sends http:// calls through HTTP_PROXY (absolute-form request), and NO_PROXY hosts direct', async () => {
    vi.stubEnv('HTTP_PROXY', proxyUrl);
    vi.stubEnv('NO_PROXY', '');
    const factory = new ClientFactory({ credentials, endpoint: 'http://kinesis.proxy-test.invalid', maxAttempts: 1 });
    try {
      const out = await factory.get(KinesisClient, 'us-east-1').send(new ListStreamsCommand({}));
      expect(out.StreamNames).toEqual(['via-proxy']);
      expect(seen).toEqual([{ method: 'POST', url: 'http://kinesis.proxy-test.invalid/' }]);
    } finally {
      factory.destroy();
    }

    seen.length = 0;
    vi.stubEnv('NO_PROXY', '.proxy-test.invalid');
    const direct = new ClientFactory({ credentials, endpoint: 'http://kinesis.proxy-test.invalid', maxAttempts: 1 });
    try {
      // Direct: the name does not resolve, and the proxy sees nothing.
      await expect(direct.get(KinesisClient, 'us-east-1').send(new ListStreamsCommand({}))).rejects.toThrow();
      expect(seen).toEqual([]);
    } finally {
      direct.destroy();
    }
  });

  it('tunnels https:// calls through HTTPS_PROXY with CONNECT to the service endpoint', async () => {
    vi.stubEnv('HTTPS_PROXY', proxyUrl);
    vi.stubEnv('NO_PROXY', '');
    const factory = new ClientFactory({ credentials, maxAttempts: 1 });
    try {
      await expect(factory.get(LambdaClient, 'eu-west-1').send(new ListFunctionsCommand({}))).rejects.toThrow();
      expect(seen).toEqual([{ method: 'CONNECT', url: 'lambda.eu-west-1.amazonaws.com:443' }]);
    } finally {
      factory.destroy();
    }
  });

  it('uses the SDK\'s own agents when no proxy is set', async () => {
    for (const v of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy']) vi.stubEnv(v, '');
    const { proxyAgents } = await import('../../src/aws/proxy.js');
    expect(proxyAgents()).toBeUndefined();
  });
});
