// Delivery that survives outages (issue 20 point 5) and Security Hub imports of only what changed (issue 17 point 5):
// through the CLI, against the mocked estate, a file history and a local Slack webhook.
import { readFileSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { EXIT_DELIVERY_PENDING, main } from '../../src/cli.js';
import { SECURITY_HUB_REIMPORT_DAYS, reimportDays } from '../../src/engine/deliver.js';
import type { FindingRecord } from '../../src/state/index.js';
import { ANSWERS, Estate, FACTORY_CREDENTIALS, awsError } from '../hardening/estate.js';

const estate = new Estate();
let server: Server;
let webhook: string;
let slackStatus = 200;
let posts: string[] = [];

beforeAll(async () => {
  estate.install();
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      posts.push(body);
      res.statusCode = slackStatus;
      res.end(slackStatus === 200 ? 'ok' : 'server_error');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  webhook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/XXXX`;
});
afterAll(async () => {
  estate.restore();
  await new Promise<void>((r) => server.close(() => r()));
});
beforeEach(() => {
  estate.reset();
  posts = [];
  slackStatus = 200;
  vi.stubEnv('AWS_ACCESS_KEY_ID', FACTORY_CREDENTIALS.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', FACTORY_CREDENTIALS.secretAccessKey);
});
afterEach(() => vi.unstubAllEnvs());

async function cli(args: string[]): Promise<{ code: number; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let err = '';
  stdout.resume();
  stderr.on('data', (d) => (err += d));
  const code = await main([...args, '--regions', 'us-east-1', '--output', 'json', '--out', join(mkdtempSync(join(tmpdir(), 'lens-audit-out-')), 'r.json')], { stdout, stderr, env: {} });
  return { code, stderr: err };
}

function sent(): AwsSecurityFinding[] {
  return estate.calls.filter((c) => c.service === 'securityhub' && c.operation === 'BatchImportFindings').flatMap((c) => c.input.Findings as AwsSecurityFinding[]);
}

const records = (store: string): FindingRecord[] => JSON.parse(readFileSync(store, 'utf8')).findings;

/** The estate's functions with tracing on: lambda.no-tracing resolves. */
function fixTracing(): void {
  const list = ANSWERS['lambda:ListFunctions']!;
  estate.answers['lambda:ListFunctions'] = (input, region) => {
    const out = list(input, region) as { Functions: { TracingConfig?: { Mode: string } }[] };
    return { ...out, Functions: out.Functions.map((f) => ({ ...f, TracingConfig: { Mode: 'Active' } })) };
  };
}

const securityHubDown = () => {
  estate.fault = (c) => (c.service === 'securityhub' ? awsError('AccessDeniedException', 'Security Hub is not enabled in this account', 403) : undefined);
};

describe('Security Hub: only what changed, and nothing lost to an outage', () => {
  it('an outage is exit 5 and owed to the next run; an unchanged finding is not sent again', async () => {
    const store = join(mkdtempSync(join(tmpdir(), 'lens-audit-pending-')), 'state.json');
    securityHubDown();
    const first = await cli(['--store', store, '--security-hub']);
    expect(first.code, first.stderr).toBe(EXIT_DELIVERY_PENDING);
    expect(first.stderr).toMatch(/\d+ finding\(s\) not imported into Security Hub: kept in the history, the next run delivers them/);
    const open = records(store).filter((r) => r.status === 'OPEN');
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((r) => r.delivery?.securityHub === undefined)).toBe(true);

    // Security Hub is back: every open finding goes (they are persisting now, and owed).
    estate.reset();
    const second = await cli(['--store', store, '--security-hub']);
    expect(second.code, second.stderr).toBe(0);
    expect(sent().filter((f) => f.RecordState === 'ACTIVE')).toHaveLength(open.length);
    expect(records(store).filter((r) => r.status === 'OPEN').every((r) => r.delivery?.securityHub?.digest)).toBe(true);

    // Nothing changed: nothing is sent.
    estate.reset();
    const third = await cli(['--store', store, '--security-hub']);
    expect(third.code, third.stderr).toBe(0);
    expect(sent()).toHaveLength(0);
    expect(third.stderr).toMatch(new RegExp(`Security Hub: 0 imported, 0 archived, ${open.length} unchanged`));
  });

  it('a resolved finding whose archiving failed is archived by the next run', async () => {
    const store = join(mkdtempSync(join(tmpdir(), 'lens-audit-pending-')), 'state.json');
    expect((await cli(['--store', store, '--security-hub'])).code).toBe(0);
    const tracing = records(store).find((r) => r.checkId === 'lambda.no-tracing' && r.status === 'OPEN')!;

    estate.reset();
    fixTracing();
    securityHubDown();
    const second = await cli(['--store', store, '--security-hub']);
    expect(second.code, second.stderr).toBe(EXIT_DELIVERY_PENDING);
    expect(second.stderr).toMatch(/resolved finding\(s\) not archived in Security Hub/);
    expect(records(store).find((r) => r.findingId === tracing.findingId)).toMatchObject({ status: 'RESOLVED', delivery: { securityHubArchivePending: true } });

    // The next run resolves nothing new, yet archives what it owes.
    estate.reset();
    fixTracing();
    const third = await cli(['--store', store, '--security-hub']);
    expect(third.code, third.stderr).toBe(0);
    expect(sent().filter((f) => f.RecordState === 'ARCHIVED').map((f) => f.Id)).toContain(`lens-audit/${tracing.findingId}`);
    expect(records(store).find((r) => r.findingId === tracing.findingId)!.delivery).toBeUndefined();
  });

  it('re-imports an unchanged open finding every 21–30 days, fixed by its id', () => {
    const days = Array.from({ length: 200 }, (_, i) => reimportDays(i.toString(16).padStart(4, '0').padEnd(32, '0')));
    expect(Math.max(...days)).toBe(SECURITY_HUB_REIMPORT_DAYS);
    expect(Math.min(...days)).toBe(SECURITY_HUB_REIMPORT_DAYS - 9);
    expect(reimportDays('abcd'.padEnd(32, '0'))).toBe(reimportDays('abcd'.padEnd(32, 'f')));
  });
});

describe('Slack: a digest that failed is owed to the next run', () => {
  it('announces the findings of the failed post with the next digest, once', async () => {
    const store = join(mkdtempSync(join(tmpdir(), 'lens-audit-pending-')), 'state.json');
    slackStatus = 500;
    const first = await cli(['--store', store, '--slack-webhook', webhook]);
    expect(first.code, first.stderr).toBe(EXIT_DELIVERY_PENDING);
    const owed = records(store).filter((r) => r.delivery?.slackPending);
    expect(owed.length).toBeGreaterThan(0);
    expect(first.stderr).toContain(`${owed.length} new finding(s) not announced in Slack`);

    // Slack is back. Nothing is new this run, but the digest carries what the first one could not.
    estate.reset();
    slackStatus = 200;
    posts = [];
    const second = await cli(['--store', store, '--slack-webhook', webhook]);
    expect(second.code, second.stderr).toBe(0);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatch(new RegExp(`${owed.length} new finding`));
    expect(records(store).some((r) => r.delivery?.slackPending)).toBe(false);

    // And only once.
    estate.reset();
    posts = [];
    const third = await cli(['--store', store, '--slack-webhook', webhook]);
    expect(third.code, third.stderr).toBe(0);
    expect(posts).toHaveLength(0);
  });
});

describe('--debug', () => {
  it('logs every AWS call on one stderr line (service, operation, region, status, duration), never its parameters', async () => {
    const store = join(mkdtempSync(join(tmpdir(), 'lens-audit-debug-')), 'state.json');
    const r = await cli(['--store', store, '--debug']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('audit: debug: '));
    const calls = estate.calls.filter((c) => c.instrumented).length;
    expect(lines.length).toBe(calls);
    expect(lines).toContainEqual(expect.stringMatching(/^audit: debug: lambda ListFunctions us-east-1 (200|-) \d+ ms$/));
    // The planted secrets of the estate's answers and the call inputs never appear.
    expect(r.stderr).not.toMatch(/Marker|FunctionName|"/);
    const quiet = await cli(['--store', store]);
    expect(quiet.stderr).not.toContain('audit: debug:');
  });
});

describe('--wa-workload (issue 19 point 3)', () => {
  const WORKLOAD = '0123456789abcdef0123456789abcdef';

  it('writes the run into the Notes of the workload\'s Serverless Lens questions, and a milestone, from the CLI', async () => {
    const { mockClient } = await import('aws-sdk-client-mock');
    const wa = await import('@aws-sdk/client-wellarchitected');
    const { LENS_2022 } = await import('../../src/model/lens.js');
    const mock = mockClient(wa.WellArchitectedClient);
    try {
      const [q, info] = Object.entries(LENS_2022)[0]!;
      mock.on(wa.ListAnswersCommand).resolves({ WorkloadId: WORKLOAD, LensAlias: 'serverless', AnswerSummaries: [{ QuestionId: 'q-1', PillarId: info.pillar, QuestionTitle: info.title, SelectedChoices: ['c1'] }] });
      mock.on(wa.GetAnswerCommand).resolves({ WorkloadId: WORKLOAD, LensAlias: 'serverless', Answer: { QuestionId: 'q-1', Notes: '' } });
      mock.on(wa.UpdateAnswerCommand).resolves({ WorkloadId: WORKLOAD, LensAlias: 'serverless', Answer: { QuestionId: 'q-1' } });
      mock.on(wa.CreateMilestoneCommand).resolves({ WorkloadId: WORKLOAD, MilestoneNumber: 7 });
      const r = await cli(['--no-store', '--wa-workload', WORKLOAD, '--wa-milestone']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/Well-Architected Tool: 1 questions' notes written, .*milestone 7/);
      const update = mock.commandCalls(wa.UpdateAnswerCommand)[0]!.args[0].input;
      expect(Object.keys(update).sort()).toEqual(['LensAlias', 'Notes', 'QuestionId', 'WorkloadId']);
      expect(update.Notes).toMatch(/^lens-audit /);
      expect(q).toMatch(/^SERV/);
      expect(mock.commandCalls(wa.CreateMilestoneCommand)).toHaveLength(1);

      // The Well-Architected Tool down: a run error (exit 5), not a crash.
      mock.reset();
      mock.on(wa.ListAnswersCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } }));
      const down = await cli(['--no-store', '--wa-workload', WORKLOAD]);
      expect(down.code, down.stderr).toBe(EXIT_DELIVERY_PENDING);
      expect(down.stderr).toMatch(/wellarchitected: AccessDeniedException/);
    } finally {
      mock.restore();
    }
  });

  it('refuses a malformed workload and a milestone without one (exit 2)', async () => {
    expect((await cli(['--no-store', '--wa-workload', 'my-workload'])).code).toBe(2);
    expect((await cli(['--no-store', '--wa-milestone'])).code).toBe(2);
  });

  it('audit permissions --sinks lists the sink writes, Well-Architected included', async () => {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (d) => (out += d));
    const stderr = new PassThrough();
    stderr.resume();
    expect(await main(['permissions', '--sinks'], { stdout, stderr, env: {} })).toBe(0);
    const actions = (JSON.parse(out).Statement as { Action: string | string[] }[]).flatMap((s) => s.Action);
    expect(actions).toEqual(expect.arrayContaining(['securityhub:BatchImportFindings', 'wellarchitected:UpdateAnswer', 'wellarchitected:ListAnswers']));
  });
});
