// The report bucket: the deliver stage (engine/deliver.ts) writes report.html and report.json of each nightly run there,
// under a dated prefix (reports/YYYY/MM/DD/<runId>/) and as latest/, before the Slack digest and the Well-Architected
// notes, which link the run's HTML report (an S3 console link: opening it needs a console session with s3:GetObject on
// the bucket, nothing is public).
//
// S3 is written with a signed PUT (SigV4, @smithy/signature-v4, which the SDK clients already use) rather than the
// S3 client: one operation, one object at a time. The endpoint honours AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL (path style).
import { createHash, createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AuditReport, Check } from '../model/index.js';
import { renderJson } from '../report/json.js';
import { renderHtml } from '../report/html.js';

/** Key prefixes the reports are written under (the finalize role may put objects there only). */
export const REPORT_PREFIXES = ['reports/', 'latest/'] as const;

export interface ObjectWriter {
  put(key: string, body: string, contentType: string): Promise<void>;
}

export interface ReportKeys {
  html: string;
  json: string;
  latestHtml: string;
  latestJson: string;
}

/** reports/YYYY/MM/DD/<runId>/report.{html,json} (the run's start date, UTC) and latest/report.{html,json}. */
export function reportKeys(runId: string, startedAt: Date): ReportKeys {
  const day = startedAt.toISOString().slice(0, 10).replace(/-/g, '/');
  const dir = `reports/${day}/${runId}/`;
  return { html: `${dir}report.html`, json: `${dir}report.json`, latestHtml: 'latest/report.html', latestJson: 'latest/report.json' };
}

/** The S3 console page of one object. */
export function s3ConsoleUrl(bucket: string, key: string, region: string, partition = 'aws'): string {
  const host = partition === 'aws-cn' ? 'console.amazonaws.cn' : partition === 'aws-us-gov' ? 'console.amazonaws-us-gov.com' : 's3.console.aws.amazon.com';
  return `https://${host}/s3/object/${encodeURIComponent(bucket)}?region=${encodeURIComponent(region)}&prefix=${encodeURIComponent(key)}`;
}

export interface WrittenReports {
  keys: string[];
  /** Console link to the run's report.html. */
  url: string;
}

/** Writes the run's two reports under its dated prefix, then as latest/ (so latest/ is never older than a run's own). */
export async function writeRunReports(
  writer: ObjectWriter,
  target: { bucket: string; region: string; partition?: string },
  report: AuditReport,
  checkInfo: (checkId: string) => Check | undefined,
): Promise<WrittenReports> {
  const html = renderHtml(report, { checkInfo });
  const json = renderJson(report);
  const k = reportKeys(report.runId, new Date(report.startedAt));
  const HTML = 'text/html; charset=utf-8';
  const JSON_TYPE = 'application/json';
  await writer.put(k.json, json, JSON_TYPE);
  await writer.put(k.html, html, HTML);
  await writer.put(k.latestJson, json, JSON_TYPE);
  await writer.put(k.latestHtml, html, HTML);
  return { keys: [k.html, k.json, k.latestHtml, k.latestJson], url: s3ConsoleUrl(target.bucket, k.html, target.region, target.partition) };
}

// ------------------------------------------------------------------------------------------- the S3 writer

class Sha256 {
  private readonly h;
  constructor(secret?: string | Uint8Array | ArrayBuffer | ArrayBufferView) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
  update(data: string | Uint8Array | ArrayBuffer | ArrayBufferView): void {
    this.h.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
}
function toBuffer(d: string | Uint8Array | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof d === 'string') return Buffer.from(d, 'utf8');
  if (d instanceof ArrayBuffer) return Buffer.from(d);
  return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
}

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

export interface S3WriterOptions {
  bucket: string;
  region: string;
  /** Path-style endpoint (emulators, tests); default AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else the regional endpoint. */
  endpoint?: string;
  credentials?: Credentials | (() => Promise<Credentials>);
  env?: NodeJS.ProcessEnv;
  attempts?: number;
}

export class S3ReportWriteError extends Error {
  override name = 'S3ReportWriteError';
}

/** PutObject into one bucket, signed with SigV4, retried on 5xx, 429 and network errors. */
export class S3ObjectWriter implements ObjectWriter {
  private readonly signer: SignatureV4;
  private readonly base: URL;
  private readonly pathStyle: boolean;
  private readonly attempts: number;

  constructor(private readonly o: S3WriterOptions) {
    const env = o.env ?? process.env;
    const endpoint = o.endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
    const suffix = o.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    this.pathStyle = Boolean(endpoint);
    this.base = new URL(endpoint ?? `https://${o.bucket}.s3.${o.region}.${suffix}`);
    this.attempts = o.attempts ?? 3;
    this.signer = new SignatureV4({
      service: 's3', region: o.region, sha256: Sha256, applyChecksum: true, uriEscapePath: false,
      credentials: o.credentials ?? fromNodeProviderChain(),
    });
  }

  async put(key: string, body: string, contentType: string): Promise<void> {
    const data = Buffer.from(body, 'utf8');
    const encodedKey = key.split('/').map(encodeURIComponent).join('/');
    const basePath = this.base.pathname.replace(/\/$/, '');
    const path = this.pathStyle ? `${basePath}/${encodeURIComponent(this.o.bucket)}/${encodedKey}` : `/${encodedKey}`;
    const host = this.base.host;
    for (let attempt = 1; ; attempt++) {
      const signed = await this.signer.sign({
        method: 'PUT', protocol: this.base.protocol, hostname: this.base.hostname, port: this.base.port ? Number(this.base.port) : undefined, path,
        query: {}, headers: { host, 'content-type': contentType, 'content-length': String(data.length) }, body: data,
      } as never);
      let status = 0;
      let text = '';
      try {
        ({ status, text } = await send(this.base, path, (signed as unknown as { headers: Record<string, string> }).headers, data));
      } catch (err) {
        if (attempt >= this.attempts) throw new S3ReportWriteError(`s3://${this.o.bucket}/${key}: PutObject failed: ${(err as Error).message}`);
        continue;
      }
      if (status >= 200 && status < 300) return;
      if ((status >= 500 || status === 429) && attempt < this.attempts) {
        await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
        continue;
      }
      const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? `HTTP ${status}`;
      throw new S3ReportWriteError(`s3://${this.o.bucket}/${key}: PutObject failed: ${code}`);
    }
  }
}

function send(base: URL, path: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; text: string }> {
  const request = base.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = request({ method: 'PUT', hostname: base.hostname, port: base.port || undefined, path, headers, timeout: 30_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c.length < 4096 ? c : ''));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}
