// The report writer's signed PutObject, against a local HTTP/1.1 server answering as S3 does (path style, as with
// AWS_ENDPOINT_URL_S3), and the report keys and console link.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectWriter, reportKeys, s3ConsoleUrl } from '../../src/sinks/report-bucket.js';

const creds = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' };
let seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
let answer: (n: number) => { status: number; body?: string } = () => ({ status: 200 });
let endpoint: string;
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
    const a = answer(seen.length);
    res.writeHead(a.status, { 'content-type': 'application/xml', ...(a.status === 200 ? { etag: '"abc"' } : {}) }).end(a.body ?? '');
  });
});
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

describe('report writer', () => {
  it('PUTs the object path style with a SigV4 signature over its content', async () => {
    seen = [];
    answer = () => ({ status: 200 });
    const w = new S3ObjectWriter({ bucket: 'my-reports', region: 'eu-west-1', endpoint, credentials: creds });
    await w.put('reports/2026/06/01/run 1/report.html', '<html>é</html>', 'text/html; charset=utf-8');
    expect(seen).toHaveLength(1);
    const [r] = seen;
    expect(r!.method).toBe('PUT');
    expect(r!.url).toBe('/my-reports/reports/2026/06/01/run%201/report.html');
    expect(r!.body).toBe('<html>é</html>');
    expect(r!.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/s3\/aws4_request, SignedHeaders=[^,]*host[^,]*x-amz-content-sha256/);
    expect(r!.headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('retries a 503, then fails with the S3 error code on a 403 (never silently)', async () => {
    seen = [];
    answer = (n) => (n === 1 ? { status: 503, body: '<Error><Code>SlowDown</Code></Error>' } : { status: 200 });
    const w = new S3ObjectWriter({ bucket: 'b', region: 'us-east-1', endpoint, credentials: creds });
    await w.put('latest/report.json', '{}', 'application/json');
    expect(seen).toHaveLength(2);
    seen = [];
    answer = () => ({ status: 403, body: '<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>' });
    await expect(w.put('latest/report.json', '{}', 'application/json')).rejects.toThrow('s3://b/latest/report.json: PutObject failed: AccessDenied');
    expect(seen).toHaveLength(1);
  });

  it('names keys by the run start date and links the S3 console', () => {
    expect(reportKeys('exec-1', new Date('2026-06-01T03:00:00Z'))).toEqual({
      html: 'reports/2026/06/01/exec-1/report.html', json: 'reports/2026/06/01/exec-1/report.json', latestHtml: 'latest/report.html', latestJson: 'latest/report.json',
    });
    expect(s3ConsoleUrl('b', 'latest/report.html', 'eu-west-1')).toBe('https://s3.console.aws.amazon.com/s3/object/b?region=eu-west-1&prefix=latest%2Freport.html');
  });
});
