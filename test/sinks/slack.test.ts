// Slack digest sink: payload shape and limits, no-news / heartbeat, 429 retries, at-most-once per run id, secret
// hygiene; console links; ssm:/secret: references. A local HTTP server on 127.0.0.1 stands in for the webhook.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEVERITIES, type ResolvedFinding, type Result, type Severity } from '../../src/model/index.js';
import { consoleUrl } from '../../src/report/console-link.js';
import { resolveSecretRef } from '../../src/sinks/secret-ref.js';
import {
  SLACK_LIMITS, buildDigest, postSlackDigest, resolveWebhook, webhookSetting, type DigestInput, type SlackMessage,
} from '../../src/sinks/slack.js';
import { FilePostedMarker, MemoryPostedMarker, type PostedMarker } from '../../src/state/posted-marker.js';

// ------------------------------------------------------------------------------------------- fixtures

const A = '111122223333';
const B = '444455556666';

function result(p: Partial<Result> & { name: string }): Result {
  const region = p.region ?? 'us-east-1';
  const accountId = p.accountId ?? A;
  return {
    findingId: `${p.checkId ?? 'lambda.no-tracing'}|${p.name}`,
    checkId: 'lambda.no-tracing',
    title: 'Lambda function has no X-Ray tracing',
    status: 'FAIL',
    severity: 'MEDIUM',
    pillar: 'OPS',
    lens: ['SERVOPS 1'],
    accountId,
    region,
    resourceKind: 'AwsLambdaFunction',
    resourceArn: `arn:aws:lambda:${region}:${accountId}:function:${p.name}`,
    resourceName: p.name,
    message: 'TracingConfig.Mode is PassThrough',
    ...p,
  } as Result;
}

function resolvedFinding(name: string, severity: Severity = 'LOW'): ResolvedFinding {
  return {
    findingId: `resolved-${name}`, checkId: 'logs.no-retention', title: 'Log group keeps logs forever', severity, accountId: B, region: 'eu-west-1',
    resourceName: name, resourceArn: `arn:aws:logs:eu-west-1:${B}:log-group:${name}`,
  };
}

function input(p: Partial<DigestInput> = {}): DigestInput {
  return { runId: 'run-1', scope: { accounts: [A, B], regions: ['us-east-1', 'eu-west-1'] }, newResults: [], resolved: [], ...p };
}

// ------------------------------------------------------------------------------------------- webhook stand-in

type Reply = { status: number; body?: string; headers?: Record<string, string>; hang?: boolean };
interface Hit { path: string; body: SlackMessage & Record<string, unknown> }

let server: Server;
let base: string;
let replies: Reply[] = [];
let hits: Hit[] = [];

async function readBody(req: IncomingMessage): Promise<string> {
  let s = '';
  for await (const chunk of req) s += chunk;
  return s;
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const raw = await readBody(req);
    hits.push({ path: req.url ?? '', body: JSON.parse(raw) });
    const r = replies.shift() ?? { status: 200, body: 'ok' };
    if (r.hang) return; // never answers: the client's timeout must end the request
    res.writeHead(r.status, { 'content-type': 'text/plain', ...r.headers });
    res.end((r.body ?? '').replace('{url}', `${base}${req.url}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  replies = [];
  hits = [];
});

const HOOK_PATH = '/services/T0PLANTED/B0PLANTED/PLANTEDSECRETtoken123';
const noSleep = async () => {};

// ------------------------------------------------------------------------------------------- payload helpers

function sectionTexts(m: SlackMessage): string[] {
  return m.blocks.flatMap((b) => (b.type === 'section' ? [b.text.text] : []));
}
function allText(m: SlackMessage): string {
  return m.blocks
    .map((b) => (b.type === 'section' || b.type === 'header' ? b.text.text : b.type === 'context' ? b.elements.map((e) => e.text).join(' ') : ''))
    .join('\n');
}
/** Finding lines: `• <url|name> — title · region`. */
function findingLines(m: SlackMessage): string[] {
  return sectionTexts(m).flatMap((t) => t.split('\n')).filter((l) => l.startsWith('• <'));
}
function moreCounts(m: SlackMessage): Partial<Record<Severity, number>> {
  const out: Partial<Record<Severity, number>> = {};
  for (const x of allText(m).matchAll(/…and (\d+) more (CRITICAL|HIGH|MEDIUM|LOW|INFORMATIONAL)_/g)) out[x[2] as Severity] = Number(x[1]);
  return out;
}
function expectWithinLimits(m: SlackMessage): void {
  expect(m.blocks.length).toBeLessThanOrEqual(50);
  for (const t of sectionTexts(m)) expect(t.length).toBeLessThanOrEqual(3000);
  for (const b of m.blocks) if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(150);
  expect(JSON.stringify({ text: m.text, blocks: m.blocks }).length).toBeLessThanOrEqual(10_000);
  expect(m.text.length).toBeGreaterThan(0);
}

// ------------------------------------------------------------------------------------------- digest content

describe('postSlackDigest: a small digest', () => {
  it('posts one message with a header, findings grouped by severity then account, links, and the resolved section', async () => {
    const marker = new MemoryPostedMarker();
    const newResults = [
      result({ name: 'orders-api', severity: 'MEDIUM', accountId: B, region: 'eu-west-1' }),
      result({ name: 'payments', severity: 'HIGH', accountId: B }),
      result({ name: 'checkout', severity: 'HIGH', accountId: A, title: 'Lambda function shares its execution role' }),
      result({ name: 'ok-fn', status: 'PASS' }),
      result({ name: 'muted-fn', severity: 'CRITICAL', suppressed: { reason: 'accepted risk' } }),
    ];
    const out = await postSlackDigest(
      input({ newResults, resolved: [resolvedFinding('/aws/lambda/old')], counts: { fail: 9, bySeverity: { HIGH: 4, MEDIUM: 5 } }, reportUrl: 'https://reports.example.com/run-1.html' }),
      { webhook: `${base}${HOOK_PATH}`, postedMarker: marker },
    );
    expect(out).toEqual({ status: 'posted', attempts: 1, errors: [] });
    expect(hits).toHaveLength(1);
    expect(hits[0]!.path).toBe(HOOK_PATH);
    const m = hits[0]!.body;
    expectWithinLimits(m);
    expect(m.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'lens-audit: 3 new findings, 1 resolved' } });
    expect(m.text).toContain('3 new findings (2 HIGH, 1 MEDIUM)');
    const texts = allText(m);
    expect(texts).toContain('*New:* 2 HIGH · 1 MEDIUM');
    expect(texts).toContain('*Open:* 4 HIGH · 5 MEDIUM');
    expect(texts).toContain(`Accounts: ${A}, ${B}`);
    expect(texts).toContain('Regions: us-east-1, eu-west-1');
    // The PASS and the suppressed results are not findings to announce.
    expect(texts).not.toContain('ok-fn');
    expect(texts).not.toContain('muted-fn');

    const headings = sectionTexts(m).map((t) => t.split('\n')[0]!).filter((l) => /\*(HIGH|MEDIUM)\*/.test(l));
    expect(headings).toEqual([
      `:large_orange_circle: *HIGH* · account \`${A}\` — 1 new`,
      `:large_orange_circle: *HIGH* · account \`${B}\` — 1 new`,
      `:large_yellow_circle: *MEDIUM* · account \`${B}\` — 1 new`,
    ]);
    expect(findingLines(m)).toEqual([
      `• <https://us-east-1.console.aws.amazon.com/lambda/home?region=us-east-1#/functions/checkout|checkout> — Lambda function shares its execution role · us-east-1`,
      `• <https://us-east-1.console.aws.amazon.com/lambda/home?region=us-east-1#/functions/payments|payments> — Lambda function has no X-Ray tracing · us-east-1`,
      `• <https://eu-west-1.console.aws.amazon.com/lambda/home?region=eu-west-1#/functions/orders-api|orders-api> — Lambda function has no X-Ray tracing · eu-west-1`,
    ]);
    expect(texts).toContain(`*Resolved since the previous run* — 1\n• Log group keeps logs forever — /aws/lambda/old · \`${B}\` · eu-west-1`);
    expect(texts).toContain('Full report: <https://reports.example.com/run-1.html|https://reports.example.com/run-1.html>');
    expect(texts).not.toContain('more');
    expect(await marker.has('run-1')).toBe(true);
  });

  it('escapes Slack control characters in names and titles', () => {
    const m = buildDigest(input({ newResults: [result({ name: 'a<b>&c|d', title: 'x <!channel> y' })] }))!;
    const line = findingLines(m)[0]!;
    expect(line).toContain('|a&lt;b&gt;&amp;c¦d>');
    expect(line).toContain('x &lt;!channel&gt; y');
    expect(allText(m)).not.toContain('<!channel>');
  });

  it('posts nothing for a resolved-only run: nothing new, no message', () => {
    expect(buildDigest(input({ resolved: [resolvedFinding('/aws/lambda/gone')] }))).toBeUndefined();
  });

  it('with slackAlways, posts a resolved-only run with no findings section, leaving out suppressed resolved findings', () => {
    const m = buildDigest(input({ resolved: [resolvedFinding('/aws/lambda/gone'), { ...resolvedFinding('/aws/lambda/muted'), suppressed: true }] }), { slackAlways: true })!;
    expect(allText(m)).not.toContain('muted');
    expect(m.blocks[0]).toMatchObject({ text: { text: 'lens-audit: 0 new findings, 1 resolved' } });
    expect(findingLines(m)).toEqual([]);
    expect(allText(m)).toContain('/aws/lambda/gone');
  });
});

describe('postSlackDigest: a very large digest', () => {
  const accounts = Array.from({ length: 12 }, (_, i) => String(100000000000 + i));
  const regions = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'ap-northeast-1', 'sa-east-1'];
  const newResults: Result[] = [];
  for (let i = 0; i < 1500; i++) {
    const severity = SEVERITIES[i % 5]!;
    const region = regions[i % regions.length]!;
    newResults.push(result({ name: `function-with-a-rather-long-name-${i}`, severity, accountId: accounts[i % accounts.length], region }));
  }
  const total = (s: Severity) => newResults.filter((r) => r.severity === s).length;

  it('keeps Block Kit limits, lists the highest severities first and counts the rest by severity', async () => {
    const out = await postSlackDigest(
      input({ runId: 'big', scope: { accounts, regions }, newResults, resolved: Array.from({ length: 57 }, (_, i) => resolvedFinding(`/aws/lambda/r${i}`)), reportUrl: '/var/reports/big.html' }),
      { webhook: `${base}${HOOK_PATH}`, postedMarker: new MemoryPostedMarker() },
    );
    expect(out.status).toBe('posted');
    expect(hits).toHaveLength(1);
    const m = hits[0]!.body;
    expectWithinLimits(m);

    const lines = findingLines(m);
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.length).toBeLessThanOrEqual(SLACK_LIMITS.findings);
    // Only CRITICAL findings fit, so every listed line is CRITICAL and each severity adds up to its total.
    const more = moreCounts(m);
    expect(lines.length + more.CRITICAL!).toBe(total('CRITICAL'));
    for (const s of ['HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'] as const) expect(more[s], s).toBe(total(s));
    const text = allText(m);
    expect(text.indexOf('more CRITICAL')).toBeLessThan(text.indexOf('more HIGH'));
    expect(text.indexOf('more HIGH')).toBeLessThan(text.indexOf('more MEDIUM'));
    expect(text).toContain(`…and ${total('MEDIUM')} more MEDIUM`);
    expect(text).toContain('12 accounts');
    expect(text).toContain('7 regions');
    expect(text).toContain('…and 52 more resolved');
    expect(text).toContain('Full report: `/var/reports/big.html`');
    expect(m.text).toContain('1500 new findings');
  });

  it('stays within limits with huge names, titles and log group links, and many small groups', () => {
    const huge: Result[] = [];
    for (let i = 0; i < 200; i++) {
      const name = `/aws/lambda/${'x'.repeat(480)}-${i}`;
      huge.push(result({
        name, title: 'T'.repeat(2000), severity: 'HIGH', accountId: String(200000000000 + i), region: 'eu-west-1',
        resourceKind: 'AwsLogsLogGroup', resourceArn: `arn:aws:logs:eu-west-1:${200000000000 + i}:log-group:${name}`,
      }));
    }
    const m = buildDigest(input({
      runId: 'r'.repeat(500), newResults: huge, reportUrl: `https://reports.example.com/${'p'.repeat(3000)}`,
      resolved: Array.from({ length: 20 }, (_, i) => ({ ...resolvedFinding('n'.repeat(3000) + i), title: 't'.repeat(3000) })),
    }))!;
    expectWithinLimits(m);
    const lines = findingLines(m).length + sectionTexts(m).flatMap((t) => t.split('\n')).filter((l) => l.startsWith('• /aws/lambda/')).length;
    expect(lines + moreCounts(m).HIGH!).toBe(200);
  });

  it('splits one large group into several sections rather than passing 3,000 characters', () => {
    // 40 findings of one account and severity with ~300-character lines: more than one section's worth.
    const many = Array.from({ length: 40 }, (_, i) => result({ name: `fn-${'y'.repeat(60)}-${i}`, title: 'Z'.repeat(110), severity: 'LOW' }));
    const m = buildDigest(input({ newResults: many }))!;
    expectWithinLimits(m);
    const withLines = sectionTexts(m).filter((t) => t.includes('• <'));
    const listed = findingLines(m).length;
    expect(listed + (moreCounts(m).LOW ?? 0)).toBe(40);
    expect(listed).toBeGreaterThan(15);
    expect(withLines.length).toBeGreaterThan(1);
  });
});

// ------------------------------------------------------------------------------------------- when to post

describe('postSlackDigest: no news and heartbeat', () => {
  it('sends nothing when nothing is new or resolved', async () => {
    const marker = new MemoryPostedMarker();
    const quiet = input({
      newResults: [result({ name: 'fine', status: 'PASS' }), result({ name: 'muted', suppressed: { reason: 'accepted' } })],
      resolved: [{ ...resolvedFinding('/aws/lambda/muted'), suppressed: true }],
    });
    const out = await postSlackDigest(quiet, { webhook: `${base}${HOOK_PATH}`, postedMarker: marker });
    expect(out).toEqual({ status: 'nothing-new', attempts: 0, errors: [] });
    expect(hits).toHaveLength(0);
    expect(marker.runIds.size).toBe(0);
  });

  it('does not even resolve the webhook when there is nothing to say', async () => {
    const out = await postSlackDigest(input(), { webhook: 'not a url at all', postedMarker: new MemoryPostedMarker() });
    expect(out.status).toBe('nothing-new');
    expect(out.errors).toEqual([]);
  });

  it('posts a one-line heartbeat when slackAlways asks for it', async () => {
    const marker = new MemoryPostedMarker();
    const out = await postSlackDigest(input({ counts: { fail: 12, bySeverity: { HIGH: 2, LOW: 10 } } }), {
      webhook: `${base}${HOOK_PATH}`, postedMarker: marker, slackAlways: true,
    });
    expect(out).toEqual({ status: 'posted', attempts: 1, errors: [] });
    expect(hits).toHaveLength(1);
    const m = hits[0]!.body;
    expect(m.blocks).toHaveLength(1);
    expect(m.blocks[0]!.type).toBe('section');
    expect(allText(m)).toContain('no new or resolved findings');
    expect(allText(m)).toContain('*Open:* 2 HIGH · 10 LOW');
    expect(m.text).toBe('lens-audit: no new findings · 2 accounts, 2 regions');
    expect(await marker.has('run-1')).toBe(true);
  });
});

describe('postSlackDigest: at most once per run id', () => {
  const one = input({ runId: 'nightly-2026-06-01', newResults: [result({ name: 'f1' })] });

  it('does not post a run id twice with the same marker', async () => {
    const marker = new MemoryPostedMarker();
    const first = await postSlackDigest(one, { webhook: `${base}${HOOK_PATH}`, postedMarker: marker });
    const second = await postSlackDigest(one, { webhook: `${base}${HOOK_PATH}`, postedMarker: marker });
    expect(first.status).toBe('posted');
    expect(second).toEqual({ status: 'already-posted', attempts: 0, errors: [] });
    expect(hits).toHaveLength(1);
    // A different run still posts.
    expect((await postSlackDigest({ ...one, runId: 'nightly-2026-06-02' }, { webhook: `${base}${HOOK_PATH}`, postedMarker: marker })).status).toBe('posted');
    expect(hits).toHaveLength(2);
  });

  describe('FilePostedMarker', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'lens-audit-slack-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('remembers posted runs across instances (a retried process)', async () => {
      const path = join(dir, 'state', 'slack-posted.json');
      expect(await new FilePostedMarker(path).has('nightly-2026-06-01')).toBe(false);
      expect((await postSlackDigest(one, { webhook: `${base}${HOOK_PATH}`, postedMarker: new FilePostedMarker(path) })).status).toBe('posted');
      expect((await postSlackDigest(one, { webhook: `${base}${HOOK_PATH}`, postedMarker: new FilePostedMarker(path) })).status).toBe('already-posted');
      expect(hits).toHaveLength(1);
    });

    it('keeps only the most recent run ids', async () => {
      const marker = new FilePostedMarker(join(dir, 'm.json'), 3);
      for (const id of ['a', 'b', 'c', 'd']) await marker.mark(id);
      expect(await marker.has('a')).toBe(false);
      expect(await marker.has('d')).toBe(true);
      expect(await marker.has('b')).toBe(true);
    });
  });

  it('does not post when it cannot tell whether the run was posted, and reports why', async () => {
    const broken: PostedMarker = { has: async () => { throw new Error('state table unavailable'); }, mark: async () => {} };
    const out = await postSlackDigest(one, { webhook: `${base}${HOOK_PATH}`, postedMarker: broken });
    expect(out.status).toBe('failed');
    expect(out.errors).toEqual([{ accountId: '', region: '', service: 'slack', operation: 'PostedMarker.has', code: 'UnknownError', message: 'state table unavailable' }]);
    expect(hits).toHaveLength(0);
  });

  it('reports a marker that cannot record the post, without throwing', async () => {
    const broken: PostedMarker = { has: async () => false, mark: async () => { throw Object.assign(new Error('disk full'), { name: 'ENOSPC' }); } };
    const out = await postSlackDigest(one, { webhook: `${base}${HOOK_PATH}`, postedMarker: broken });
    expect(out.status).toBe('posted');
    expect(out.errors).toMatchObject([{ operation: 'PostedMarker.mark', code: 'ENOSPC', message: 'disk full' }]);
  });
});

// ------------------------------------------------------------------------------------------- failures

describe('postSlackDigest: 429 and other failures', () => {
  const one = input({ newResults: [result({ name: 'f1' })] });

  it('retries a 429 after Retry-After and posts', async () => {
    replies = [{ status: 429, body: 'rate_limited', headers: { 'Retry-After': '0' } }, { status: 200, body: 'ok' }];
    const marker = new MemoryPostedMarker();
    const out = await postSlackDigest(one, { webhook: `${base}${HOOK_PATH}`, postedMarker: marker });
    expect(out).toEqual({ status: 'posted', attempts: 2, errors: [] });
    expect(hits).toHaveLength(2);
    expect(hits[1]!.body).toEqual(hits[0]!.body);
    expect(await marker.has('run-1')).toBe(true);
  });

  it('waits the number of seconds Slack asks for', async () => {
    replies = [{ status: 429, headers: { 'Retry-After': '1' } }, { status: 429, headers: { 'Retry-After': '1' } }, { status: 200, body: 'ok' }];
    const waits: number[] = [];
    const out = await postSlackDigest(one, {
      webhook: `${base}${HOOK_PATH}`, postedMarker: new MemoryPostedMarker(), sleep: async (ms) => { waits.push(ms); },
    });
    expect(out.status).toBe('posted');
    expect(waits).toEqual([1000, 1000]);
    expect(hits).toHaveLength(3);
  });

  it('gives up after the bounded attempts and reports it', async () => {
    replies = Array.from({ length: 5 }, () => ({ status: 429, headers: { 'Retry-After': '0' } }));
    const marker = new MemoryPostedMarker();
    const out = await postSlackDigest(one, { webhook: `${base}${HOOK_PATH}`, postedMarker: marker, maxAttempts: 3 });
    expect(out.status).toBe('failed');
    expect(out.attempts).toBe(3);
    expect(hits).toHaveLength(3);
    expect(out.errors).toMatchObject([{ service: 'slack', operation: 'IncomingWebhook', code: 'HTTP429' }]);
    expect(out.errors[0]!.message).toContain('3 attempts');
    // Not marked: the next retry of this run may post.
    expect(await marker.has('run-1')).toBe(false);
  });

  it('does not wait longer than the bound', async () => {
    replies = [{ status: 429, headers: { 'Retry-After': '600' } }];
    const waits: number[] = [];
    const out = await postSlackDigest(one, { webhook: `${base}${HOOK_PATH}`, postedMarker: new MemoryPostedMarker(), sleep: async (ms) => { waits.push(ms); } });
    expect(out.status).toBe('failed');
    expect(waits).toEqual([]);
    expect(hits).toHaveLength(1);
    expect(out.errors[0]!.message).toContain('above the 30s bound');
  });

  it('does not retry other HTTP errors and keeps Slack\'s error code', async () => {
    replies = [{ status: 404, body: 'no_service' }];
    const out = await postSlackDigest(one, { webhook: `${base}${HOOK_PATH}`, postedMarker: new MemoryPostedMarker(), sleep: noSleep });
    expect(out.status).toBe('failed');
    expect(hits).toHaveLength(1);
    expect(out.errors).toEqual([{ accountId: '', region: '', service: 'slack', operation: 'IncomingWebhook', code: 'HTTP404', message: 'Slack webhook answered HTTP 404: no_service' }]);
  });
});

describe('the webhook URL never appears in returned errors', () => {
  const one = input({ newResults: [result({ name: 'f1' })] });
  const planted = () => `${base}${HOOK_PATH}`;
  function expectClean(errors: unknown[]): void {
    expect(errors.length).toBeGreaterThan(0);
    const s = JSON.stringify(errors);
    expect(s).not.toContain('PLANTEDSECRET');
    expect(s).not.toContain('T0PLANTED');
  }

  it('when the server echoes the URL in an error body', async () => {
    replies = [{ status: 500, body: 'upstream failure for {url}' }];
    const out = await postSlackDigest(one, { webhook: planted(), postedMarker: new MemoryPostedMarker(), sleep: noSleep });
    expect(out.errors[0]!.code).toBe('HTTP500');
    expectClean(out.errors);
  });

  it('when the connection is refused', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const out = await postSlackDigest(one, { webhook: `http://127.0.0.1:${port}${HOOK_PATH}`, postedMarker: new MemoryPostedMarker() });
    expect(out.status).toBe('failed');
    expect(out.errors[0]!.code).toBe('IncomingWebhookRequestError');
    expectClean(out.errors);
  });

  it('when the request times out', async () => {
    replies = [{ status: 200, hang: true }];
    const out = await postSlackDigest(one, { webhook: planted(), postedMarker: new MemoryPostedMarker(), timeoutMs: 200 });
    expect(out.status).toBe('failed');
    expectClean(out.errors);
  });

  it('when the setting is not a usable URL', async () => {
    for (const webhook of [`http://127.0.0.1:99999${HOOK_PATH}`, `http://hooks.example.com${HOOK_PATH}`, `PLANTEDSECRET${HOOK_PATH}`]) {
      const out = await postSlackDigest(one, { webhook, postedMarker: new MemoryPostedMarker() });
      expect(out.status, webhook).toBe('failed');
      expect(out.errors[0]!.code).toBe('InvalidWebhookUrl');
      expectClean(out.errors);
    }
    expect(hits).toHaveLength(0);
  });
});

describe('webhook setting', () => {
  it('takes the flag first, then LENS_AUDIT_SLACK_WEBHOOK', () => {
    expect(webhookSetting('ssm:/a', { LENS_AUDIT_SLACK_WEBHOOK: 'secret:b' })).toBe('ssm:/a');
    expect(webhookSetting(undefined, { LENS_AUDIT_SLACK_WEBHOOK: ' secret:b ' })).toBe('secret:b');
    expect(webhookSetting('', {})).toBeUndefined();
  });

  it('accepts https URLs and loopback http only', async () => {
    expect(await resolveWebhook('https://hooks.slack.com/services/T/B/x')).toEqual({ url: 'https://hooks.slack.com/services/T/B/x' });
    expect((await resolveWebhook('http://hooks.slack.com/services/T/B/x')).error?.code).toBe('InvalidWebhookUrl');
  });
});

// ------------------------------------------------------------------------------------------- secret references

describe('ssm: and secret: references', () => {
  const ssm = mockClient(SSMClient);
  const sm = mockClient(SecretsManagerClient);
  beforeEach(() => {
    ssm.reset();
    sm.reset();
  });
  afterAll(() => {
    ssm.restore();
    sm.restore();
  });

  it('reads an SSM SecureString with decryption and posts to it', async () => {
    ssm.on(GetParameterCommand).resolves({
      Parameter: {
        Name: '/lens-audit/slack', Type: 'SecureString', Value: `${base}${HOOK_PATH}`, Version: 3,
        LastModifiedDate: new Date('2026-05-01T00:00:00Z'), ARN: `arn:aws:ssm:eu-west-1:${A}:parameter/lens-audit/slack`, DataType: 'text',
      },
    });
    const out = await postSlackDigest(input({ newResults: [result({ name: 'f1' })] }), {
      webhook: 'ssm:/lens-audit/slack', postedMarker: new MemoryPostedMarker(), secretRef: { region: 'eu-west-1' },
    });
    expect(out).toEqual({ status: 'posted', attempts: 1, errors: [] });
    expect(hits).toHaveLength(1);
    const calls = ssm.commandCalls(GetParameterCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({ Name: '/lens-audit/slack', WithDecryption: true });
    expect(await calls[0]!.thisValue.config.region()).toBe('eu-west-1');
  });

  it('reads a Secrets Manager plain-text secret, in the region of its ARN', async () => {
    const arn = `arn:aws:secretsmanager:ap-southeast-2:${A}:secret:slack-hook-AbCdEf`;
    sm.on(GetSecretValueCommand).resolves({
      ARN: arn, Name: 'slack-hook', VersionId: 'EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE', SecretString: 'https://hooks.slack.com/services/T/B/x',
      VersionStages: ['AWSCURRENT'], CreatedDate: new Date('2026-05-01T00:00:00Z'),
    });
    expect(await resolveSecretRef(`secret:${arn}`, { region: 'us-east-1' })).toEqual({ value: 'https://hooks.slack.com/services/T/B/x' });
    const calls = sm.commandCalls(GetSecretValueCommand);
    expect(calls[0]!.args[0].input).toEqual({ SecretId: arn });
    expect(await calls[0]!.thisValue.config.region()).toBe('ap-southeast-2');
  });

  it('reports a missing parameter or secret as an error entry', async () => {
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: '', $metadata: { httpStatusCode: 400 } }));
    sm.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: { httpStatusCode: 400 } }));
    const a = await postSlackDigest(input({ newResults: [result({ name: 'f1' })] }), {
      webhook: 'ssm:/missing', postedMarker: new MemoryPostedMarker(), secretRef: { region: 'eu-west-1' },
    });
    expect(a.status).toBe('failed');
    expect(a.errors).toMatchObject([{ service: 'ssm', operation: 'GetParameter', region: 'eu-west-1', code: 'ParameterNotFound' }]);
    const b = await resolveSecretRef('secret:missing', { region: 'eu-west-1' });
    expect(b.error).toMatchObject({ service: 'secretsmanager', operation: 'GetSecretValue', code: 'ResourceNotFoundException' });
    expect(hits).toHaveLength(0);
  });

  it('never puts the secret value into an error, whatever is wrong with it', async () => {
    sm.on(GetSecretValueCommand).resolves({
      ARN: `arn:aws:secretsmanager:eu-west-1:${A}:secret:slack-hook-AbCdEf`, Name: 'slack-hook', VersionId: 'EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE',
      SecretString: '{"url":"https://hooks.slack.com/services/T/B/PLANTEDSECRET"}', VersionStages: ['AWSCURRENT'], CreatedDate: new Date('2026-05-01T00:00:00Z'),
    });
    ssm.on(GetParameterCommand).resolves({
      Parameter: {
        Name: '/x', Type: 'SecureString', Value: 'PLANTEDSECRET-not-a-url', Version: 1, LastModifiedDate: new Date('2026-05-01T00:00:00Z'),
        ARN: `arn:aws:ssm:eu-west-1:${A}:parameter/x`, DataType: 'text',
      },
    });
    const json = await resolveWebhook('secret:slack-hook', { region: 'eu-west-1' });
    expect(json.error?.code).toBe('UnsupportedSecretFormat');
    const bad = await resolveWebhook('ssm:/x', { region: 'eu-west-1' });
    expect(bad.error?.code).toBe('InvalidWebhookUrl');
    expect(JSON.stringify([json, bad])).not.toContain('PLANTEDSECRET');
  });
});

// ------------------------------------------------------------------------------------------- console links

describe('consoleUrl', () => {
  const cases: [string, Pick<Result, 'resourceArn' | 'region'>, string][] = [
    ['Lambda function', { resourceArn: `arn:aws:lambda:eu-west-1:${A}:function:orders`, region: 'eu-west-1' },
      'https://eu-west-1.console.aws.amazon.com/lambda/home?region=eu-west-1#/functions/orders'],
    ['REST API', { resourceArn: 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3', region: 'us-east-1' },
      'https://us-east-1.console.aws.amazon.com/apigateway/main/apis/a1b2c3/resources?api=a1b2c3&region=us-east-1'],
    ['REST stage', { resourceArn: 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3/stages/prod', region: 'us-east-1' },
      'https://us-east-1.console.aws.amazon.com/apigateway/main/apis/a1b2c3/stages?api=a1b2c3&region=us-east-1'],
    ['HTTP API', { resourceArn: 'arn:aws:apigateway:us-east-1::/apis/x9y8', region: 'us-east-1' },
      'https://us-east-1.console.aws.amazon.com/apigateway/main/api-detail?api=x9y8&region=us-east-1'],
    ['HTTP API stage', { resourceArn: 'arn:aws:apigateway:us-east-1::/apis/x9y8/stages/$default', region: 'us-east-1' },
      'https://us-east-1.console.aws.amazon.com/apigateway/main/api-detail?api=x9y8&region=us-east-1'],
    ['DynamoDB table', { resourceArn: `arn:aws:dynamodb:us-east-1:${A}:table/Orders`, region: 'us-east-1' },
      'https://us-east-1.console.aws.amazon.com/dynamodbv2/home?region=us-east-1#table?name=Orders'],
    ['Kinesis stream', { resourceArn: `arn:aws:kinesis:us-east-1:${A}:stream/clicks`, region: 'us-east-1' },
      'https://us-east-1.console.aws.amazon.com/kinesis/home?region=us-east-1#/streams/details/clicks/details'],
    ['SNS topic', { resourceArn: `arn:aws:sns:us-east-1:${A}:alerts`, region: 'us-east-1' },
      `https://us-east-1.console.aws.amazon.com/sns/v3/home?region=us-east-1#/topic/arn:aws:sns:us-east-1:${A}:alerts`],
    ['log group', { resourceArn: `arn:aws:logs:us-east-1:${A}:log-group:/aws/lambda/orders`, region: 'us-east-1' },
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Faws$252Flambda$252Forders'],
    ['log group ARN with :*', { resourceArn: `arn:aws:logs:us-east-1:${A}:log-group:/aws/lambda/orders:*`, region: 'us-east-1' },
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Faws$252Flambda$252Forders'],
    ['IAM role with a path', { resourceArn: `arn:aws:iam::${A}:role/service-role/orders-role`, region: 'global' },
      'https://console.aws.amazon.com/iam/home#/roles/details/orders-role'],
    ['alarm', { resourceArn: `arn:aws:cloudwatch:us-east-1:${A}:alarm:Orders errors > 1%`, region: 'us-east-1' },
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#alarmsV2:alarm/Orders%20errors%20%3E%201%25'],
    ['account-region pseudo resource', { resourceArn: `arn:aws:lambda:eu-west-1:${A}:account`, region: 'eu-west-1' },
      'https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1'],
    ['unknown service', { resourceArn: `arn:aws:states:eu-west-1:${A}:stateMachine:m`, region: 'eu-west-1' },
      'https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1'],
    ['account (global)', { resourceArn: `arn:aws:iam::${A}:root`, region: 'global' }, 'https://console.aws.amazon.com/console/home'],
    ['GovCloud function', { resourceArn: `arn:aws-us-gov:lambda:us-gov-west-1:${A}:function:f`, region: 'us-gov-west-1' },
      'https://console.amazonaws-us-gov.com/lambda/home?region=us-gov-west-1#/functions/f'],
  ];
  it.each(cases)('%s', (_name, r, url) => {
    expect(consoleUrl(r)).toBe(url);
  });
});
