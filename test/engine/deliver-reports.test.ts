// The deliver stage writes the report bucket (issue 16: deliver owns every sink): report.json and report.html first,
// dated and as latest/; once written, their console link is the Slack digest's and the Well-Architected notes' report
// link; a failed write is a run error (s3 PutObject) and the other sinks are still delivered.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetAnswerCommand, ListAnswersCommand, UpdateAnswerCommand, WellArchitectedClient, type AnswerSummary } from '@aws-sdk/client-wellarchitected';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import noTracing from '../../checks/lambda/no-tracing.js';
import { deliver, type DeliverOptions, type DeliveryInput, type ObjectWriter } from '../../src/engine/deliver.js';
import { LENS_2022 } from '../../src/model/lens.js';
import { buildReport, summarise, type Check, type LensQuestion2022, type Result } from '../../src/model/index.js';
import { S3ReportWriteError, s3ConsoleUrl } from '../../src/sinks/report-bucket.js';
import { MemoryPostedMarker } from '../../src/state/posted-marker.js';
import { TOOL } from '../../src/version.js';
import { result } from '../state/helpers.js';

const checks = [noTracing] as unknown as Check[];
const checkFor = (id: string) => checks.find((c) => c.id === id);
const WORKLOAD = '0123456789abcdef0123456789abcdef';
const CONFIGURED = 'https://reports.example.com/configured/report.html';
const STARTED = new Date('2026-06-01T03:00:00.000Z');
const WRITTEN = s3ConsoleUrl('lens-audit-reports', 'reports/2026/06/01/run-1/report.html', 'eu-west-1');

/** What happened, in order: object puts, Slack posts and Well-Architected note updates. */
let events: string[];
let posts: string[];
let notes: string[];
let slack: Server;
let webhook: string;

const wa = mockClient(WellArchitectedClient);
function answer(q: LensQuestion2022): AnswerSummary {
  const { pillar, title } = LENS_2022[q];
  return { QuestionId: `fixture-${q.toLowerCase().replace(' ', '-')}`, PillarId: pillar, QuestionTitle: title, Choices: [], SelectedChoices: [], IsApplicable: true, Risk: 'MEDIUM', QuestionType: 'PRIORITIZED' };
}
const ANSWERS = (Object.keys(LENS_2022) as LensQuestion2022[]).map(answer);

beforeAll(async () => {
  slack = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      events.push('slack');
      posts.push(body);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => slack.listen(0, '127.0.0.1', r));
  webhook = `http://127.0.0.1:${(slack.address() as AddressInfo).port}/hook`;
});
afterAll(() => new Promise((r) => slack.close(r)));

beforeEach(() => {
  events = [];
  posts = [];
  notes = [];
  wa.reset();
  wa.on(ListAnswersCommand).resolves({ WorkloadId: WORKLOAD, LensAlias: 'serverless', AnswerSummaries: ANSWERS });
  wa.on(GetAnswerCommand).callsFake((i: { QuestionId: string }) => ({ WorkloadId: WORKLOAD, LensAlias: 'serverless', Answer: ANSWERS.find((a) => a.QuestionId === i.QuestionId) }));
  wa.on(UpdateAnswerCommand).callsFake((i: { Notes: string }) => {
    events.push('wa');
    notes.push(i.Notes);
    return { WorkloadId: WORKLOAD, LensAlias: 'serverless' };
  });
});

const results: Result[] = [
  { ...result('FAIL', 'orders'), history: { state: 'NEW', firstSeen: STARTED.toISOString() } },
  result('PASS', 'billing'),
];
const report = buildReport({
  tool: TOOL, runId: 'run-1', startedAt: STARTED, finishedAt: new Date('2026-06-01T03:10:00.000Z'), scope: { accounts: ['111122223333'], regions: ['us-east-1'] },
  summary: summarise(results), results, resolved: [], errors: [], stats: { apiCalls: {} },
});
const input: DeliveryInput = { runId: 'run-1', finishedAt: STARTED.toISOString(), scope: report.scope, results, counts: report.summary };

function recording(fail?: string): ObjectWriter & { puts: { key: string; body: string; contentType: string }[] } {
  const puts: { key: string; body: string; contentType: string }[] = [];
  return {
    puts,
    put: async (key, body, contentType) => {
      events.push(`put ${key}`);
      if (fail) throw new S3ReportWriteError(`s3://lens-audit-reports/${key}: PutObject failed: ${fail}`);
      puts.push({ key, body, contentType });
    },
  };
}

function options(writer: ObjectWriter | undefined): DeliverOptions {
  return {
    checkFor, checks, now: STARTED,
    ...(writer ? { reports: { bucket: 'lens-audit-reports', region: 'eu-west-1', partition: 'aws', report, writer } } : {}),
    slack: { webhook, always: true, postedMarker: new MemoryPostedMarker(), reportUrl: CONFIGURED },
    wellArchitected: { aws: { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' }, maxAttempts: 1 }, region: 'eu-west-1', workloadId: WORKLOAD, reportUrl: CONFIGURED, tuning: { sleep: async () => {} } },
  };
}

describe('deliver: the report bucket', () => {
  it('writes report.json and report.html first, and links them from Slack and the Well-Architected notes', async () => {
    const writer = recording();
    const out = await deliver(input, options(writer));
    expect(out.errors).toEqual([]);
    expect(out.reports).toEqual({ keys: ['reports/2026/06/01/run-1/report.html', 'reports/2026/06/01/run-1/report.json', 'latest/report.html', 'latest/report.json'], url: WRITTEN });
    // Dated first, then latest/; all before the digest and the notes.
    expect(events.slice(0, 4)).toEqual(['put reports/2026/06/01/run-1/report.json', 'put reports/2026/06/01/run-1/report.html', 'put latest/report.json', 'put latest/report.html']);
    expect(events.slice(4)).toContain('slack');
    expect(events.slice(4)).toContain('wa');
    expect(JSON.parse(writer.puts.find((p) => p.key === 'latest/report.json')!.body)).toMatchObject({ schemaVersion: 1, runId: 'run-1', summary: { fail: 1, pass: 1, new: 1 } });
    expect(writer.puts.find((p) => p.key === 'latest/report.html')!.contentType).toMatch(/^text\/html/);
    expect(writer.puts.find((p) => p.key === 'latest/report.json')!.contentType).toBe('application/json');
    // The link written wins over the one configured.
    expect(out.slack).toBe('posted');
    expect(posts).toHaveLength(1);
    expect(posts[0]).toContain(JSON.stringify(WRITTEN).slice(1, -1));
    expect(posts[0]).not.toContain(CONFIGURED);
    expect(notes.length).toBeGreaterThan(0);
    for (const n of notes) expect(n).toContain(`report: ${WRITTEN}`);
  });

  it('without a report bucket the configured links stay', async () => {
    const out = await deliver(input, options(undefined));
    expect(out.reports).toBeUndefined();
    expect(events.some((e) => e.startsWith('put '))).toBe(false);
    expect(posts[0]).toContain(CONFIGURED);
    for (const n of notes) expect(n).toContain(`report: ${CONFIGURED}`);
  });

  it('a failed write is a run error (s3 PutObject); Slack and the notes are still delivered, with the configured link', async () => {
    const out = await deliver(input, options(recording('AccessDenied')));
    expect(out.reports).toBeUndefined();
    expect(out.errors).toEqual([
      { accountId: '', region: 'eu-west-1', service: 's3', operation: 'PutObject', code: 'S3ReportWriteError', message: 's3://lens-audit-reports/reports/2026/06/01/run-1/report.json: PutObject failed: AccessDenied' },
    ]);
    expect(events[0]).toBe('put reports/2026/06/01/run-1/report.json');
    expect(out.slack).toBe('posted');
    expect(posts).toHaveLength(1);
    expect(posts[0]).toContain(CONFIGURED);
    expect(notes.length).toBeGreaterThan(0);
    for (const n of notes) expect(n).toContain(`report: ${CONFIGURED}`);
  });
});
