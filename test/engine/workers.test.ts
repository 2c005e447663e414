// A scan in worker threads (engine/workers.ts): accounts scanned in worker threads give the same results, calls and
// summary as the same scan in one thread; accounts go to whichever worker has room; credentials a worker cannot be
// given are asked for; a worker that dies leaves the accounts it had as error entries, never as passes.
import { join } from 'node:path';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { ESTATES, accessKeyId, accountId, scaled } from '../../bench/sim/estate.js';
import { SimulatedAws } from '../../bench/sim/aws.js';
import { dilateTime } from '../../bench/sim/clock.js';
import type { BenchHookData, BenchHookReport } from '../../bench/sim/worker-hook.js';
import { selectChecks } from '../../src/engine/select.js';
import { ALL_CHECKS } from '../../checks/index.js';
import { ClientFactory } from '../../src/aws/clients.js';
import { runAudit, type AuditOptions } from '../../src/engine/run-audit.js';
import { resultSet } from '../../src/model/index.js';
import { ResultInterner, defaultWorkers, heaviestFirst } from '../../src/engine/workers.js';
import type { UnevenHookData, UnevenHookReport } from '../fixtures/uneven-worker-hook.js';
import type { Result } from '../../src/model/index.js';

const SCALE = 0.05;
const spec = { ...scaled(ESTATES.XL, 0.2), name: 'W', accounts: 6, regions: ['us-east-1', 'eu-west-1'] };
const credentials = (i: number) => ({ accessKeyId: accessKeyId(i), secretAccessKey: 'simulated' });
const entry = new URL('../../src/worker.ts', import.meta.url);
const hook = (data: Partial<BenchHookData> = {}) => ({ module: new URL('../../bench/sim/worker-hook.ts', import.meta.url).href, data: { spec, latencyMs: 5, scale: SCALE, record: false, ...data } });

async function scan(extra: Partial<AuditOptions>, asked?: { n: number }) {
  const sim = new SimulatedAws({ spec, latencyMs: 5 });
  const clock = dilateTime(SCALE);
  try {
    return await runAudit({
      checks: selectChecks({ all: ALL_CHECKS, metrics: false }),
      regions: [...spec.regions],
      now: new Date('2026-12-01T00:00:00Z'),
      aws: { credentials: credentials(0), requestHandler: sim },
      accounts: Array.from({ length: spec.accounts }, (_, i) => ({
        accountId: accountId(i),
        regions: [...spec.regions],
        // Account 1's credentials are a provider (as an assumed role's are): the worker asks this thread for them.
        ...(i === 0 ? {} : { factory: new ClientFactory({ requestHandler: sim, credentials: i === 1 && asked ? async () => (asked.n++, credentials(i)) : credentials(i) }) }),
      })),
      workerEntry: entry,
      ...extra,
    });
  } finally {
    clock.restore();
  }
}

const statuses = (out: Awaited<ReturnType<typeof runAudit>>) => [...resultSet(out.report)].map((r) => `${r.findingId} ${r.status} ${r.checkId}`).sort();

// The scans here are CPU bound (three threads on a 2-core machine): 12 to 24 s each idle, 50 to 94 s with six busy
// processes beside them, which came within 26 s of the 120 s these tests had. The timeouts bound a hang, not the speed.
describe('worker threads', () => {
  it('a scan sharded across two workers equals the one-thread scan: results, calls, summary', async () => {
    const asked = { n: 0 };
    const one = await scan({ workers: 1 });
    const two = await scan({ workers: 2, workerHook: hook() }, asked);
    expect(one.workers).toBe(1);
    expect(two.workers).toBe(2);
    expect(two.report.errors).toEqual([]);
    expect(statuses(two)).toEqual(statuses(one));
    expect(statuses(two).length).toBeGreaterThan(100);
    // Field for field, in the report's order (the copies a worker sends, shared again, are the same values).
    expect([...resultSet(two.report)]).toEqual([...resultSet(one.report)]);
    expect(two.report.summary).toEqual(one.report.summary);
    expect(two.report.stats.apiCalls).toEqual(one.report.stats.apiCalls);
    expect(two.report.stats.regionsAssessed).toBe(one.report.stats.regionsAssessed);
    expect(two.report.scope).toEqual(one.report.scope);
    // Account 1's provider was asked by its worker (the secret never left this process).
    expect(asked.n).toBeGreaterThan(0);
    const reports = two.workerReports as BenchHookReport[];
    expect(reports).toHaveLength(2);
    expect(reports.reduce((n, r) => n + r.requests, 0)).toBeGreaterThan(0);
  }, 360_000);

  it('a large sharded run: the workers write passes to disk themselves, and the report equals the one-thread run held in memory', async () => {
    const spillDir = mkdtempSync(join(tmpdir(), 'lens-audit-worker-spill-'));
    const one = await scan({ workers: 1 });
    const two = await scan({ workers: 2, workerHook: hook(), spillPassAbove: 50, spillDir });
    expect(one.report.passSpill).toBeUndefined();
    const set = resultSet(two.report);
    expect(set.spilledPasses).toBeGreaterThan(0);
    // Some of the passes were written by the workers (files of their own, adopted by this thread's spill).
    expect(readdirSync(spillDir).length).toBeGreaterThan(1);
    expect(statuses(two)).toEqual(statuses(one));
    expect([...set].map((r) => r.findingId)).toEqual([...resultSet(one.report)].map((r) => r.findingId));
    expect(two.report.summary).toEqual(one.report.summary);
    set.dispose();
    expect(readdirSync(spillDir)).toEqual([]);
  }, 360_000);

  it('a worker that dies leaves its accounts as error entries, not passes', async () => {
    const out = await scan({ workers: 2, workerHook: { module: new URL('../fixtures/failing-worker-hook.ts', import.meta.url).href } }).then(
      () => expect.fail('a scan that assessed nothing must throw NothingAssessedError'),
      (e: { name: string; report?: unknown }) => (expect(e.name).toBe('NothingAssessedError'), e.report as Awaited<ReturnType<typeof runAudit>>),
    );
    const failed = out.report.errors.filter((e) => e.code === 'WorkerFailed');
    expect(failed.map((e) => e.accountId).sort()).toEqual(Array.from({ length: spec.accounts }, (_, i) => accountId(i)));
    expect(failed.every((e) => e.service === 'lens-audit' && e.operation === 'collect' && /simulated worker failure/.test(e.message))).toBe(true);
    expect([...resultSet(out.report)].filter((r) => r.status === 'PASS')).toEqual([]);
  }, 180_000);

  // One account at a time in each worker (--account-concurrency 2), so who scans what follows only from who is free.
  const uneven = (odd: UnevenHookData['odd']) => {
    const lockDir = mkdtempSync(join(tmpdir(), 'lens-audit-uneven-'));
    const base = hook().data as BenchHookData;
    return scan({ workers: 2, accountConcurrency: 2, workerHook: { module: new URL('../fixtures/uneven-worker-hook.ts', import.meta.url).href, data: { base, lockDir, odd } satisfies UnevenHookData } });
  };

  it('accounts go to whichever worker is free: a worker whose AWS answers 200 times slower scans fewer, and no account waits for it', async () => {
    const out = await uneven('slow');
    expect(out.report.errors).toEqual([]);
    const reports = out.workerReports as UnevenHookReport[];
    const slow = reports.find((r) => r.odd)!;
    const fast = reports.find((r) => !r.odd)!;
    // Split in halves up front, each would have had 3 of the 6.
    expect(slow.accounts.length).toBeLessThan(3);
    expect(fast.accounts.length).toBeGreaterThan(3);
    expect([...slow.accounts, ...fast.accounts].sort()).toEqual(Array.from({ length: spec.accounts }, (_, i) => accountId(i)).sort());
  }, 360_000);

  it('a worker that exits mid-scan leaves the account it had as an error entry; the other worker scans the rest', async () => {
    const out = await uneven('exit');
    const failed = out.report.errors.filter((e) => e.code === 'WorkerFailed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.message).toMatch(/worker thread scanning this account stopped/);
    expect(out.report.errors.filter((e) => e.code !== 'WorkerFailed')).toEqual([]);
    const lost = failed[0]!.accountId;
    const results = [...resultSet(out.report)];
    expect(results.filter((r) => r.accountId === lost && r.status !== 'NOT_ASSESSED')).toEqual([]);
    // Every other account was assessed, by the worker that stayed.
    const assessed = new Set(results.filter((r) => r.status !== 'NOT_ASSESSED').map((r) => r.accountId));
    expect([...assessed].sort()).toEqual(Array.from({ length: spec.accounts }, (_, i) => accountId(i)).filter((a) => a !== lost).sort());
    expect((out.workerReports as UnevenHookReport[]).map((r) => r.odd)).toEqual([false]);
  }, 360_000);

  it('the built worker entry (dist/worker.js, as npm run build makes it) scans as the source one', async () => {
    const root = join(import.meta.dirname, '..', '..');
    // Inside the project, as dist/ is: the bundle's packages (the SDK, p-limit) resolve from its node_modules.
    const outdir = join(root, 'dist', 'test', 'workers');
    await build({ entryPoints: [join(root, 'src', 'cli.ts'), join(root, 'src', 'worker.ts')], bundle: true, platform: 'node', target: 'node20', format: 'esm', packages: 'external', splitting: true, outdir, chunkNames: 'chunks/[name]-[hash]', logLevel: 'silent' });
    // The simulator hook, bundled too: the built worker runs plain JavaScript, no tsx.
    await build({ entryPoints: { hook: join(root, 'bench', 'sim', 'worker-hook.ts') }, bundle: true, platform: 'node', target: 'node20', format: 'esm', packages: 'external', outdir, outExtension: { '.js': '.mjs' }, logLevel: 'silent' });
    const source = await scan({ workers: 2, workerHook: hook() });
    const built = await scan({ workers: 2, workerEntry: pathToFileURL(join(outdir, 'worker.js')), workerHook: { ...hook(), module: pathToFileURL(join(outdir, 'hook.mjs')).href } });
    expect(built.workers).toBe(2);
    expect(built.report.errors).toEqual([]);
    expect(statuses(built)).toEqual(statuses(source));
  }, 360_000);

  it('--workers takes a whole number from 1 to 256: anything else is one line and exit 2, before any call', async () => {
    for (const bad of ['0', 'two', '1.5', '300']) {
      const stderr = new PassThrough();
      let err = '';
      stderr.on('data', (d) => (err += d));
      const stdout = new PassThrough();
      stdout.resume();
      const code = await main(['--workers', bad, '--regions', 'us-east-1', '--no-store', '--quiet'], { stdout, stderr, env: {} });
      expect(code).toBe(2);
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(err).toMatch(/--workers must be a whole number from 1 to 256/);
    }
  });

  it('hands accounts out heaviest (most regions) first, else as given; one worker per core with at least four accounts each', () => {
    const t = (id: string, n: number) => ({ id, regions: Array.from({ length: n }, (_, i) => `r${i}`) });
    expect(heaviestFirst([t('a', 1), t('b', 4), t('c', 2), t('d', 2), t('e', 1)]).map((x) => x.id)).toEqual(['b', 'c', 'd', 'a', 'e']);
    expect(defaultWorkers(3, 8)).toBe(1);
    expect(defaultWorkers(8, 8)).toBe(2);
    expect(defaultWorkers(100, 2)).toBe(2);
    expect(defaultWorkers(100, 1)).toBe(1);
  });
});

describe('ResultInterner', () => {
  const result = (i: number, evidence: Record<string, unknown>): Result => ({
    findingId: `f${i}`, checkId: 'lambda.no-dlq', title: 'Asynchronously invoked function has no failure destination', status: 'FAIL', severity: 'MEDIUM',
    pillar: 'REL', lens: ['SERVREL 2'], lens2022: ['SERVREL 2'], accountId: '111122223333', region: 'eu-west-1', resourceKind: 'AwsLambdaFunction',
    resourceArn: `arn:aws:lambda:eu-west-1:111122223333:function:fn${i % 2}`, resourceName: `fn${i % 2}`, message: i % 2 ? 'odd' : 'even', evidence,
  });

  it('changes no value of what it shares: nested evidence, arrays, nulls, numbers, dates, and another account\'s results', () => {
    const evidence = (i: number) => ({
      statements: [{ Sid: `s${i}`, Principal: '*', Action: ['lambda:InvokeFunction', 'lambda:GetFunction'], conditions: null }, 'plain', 3],
      nested: { deeper: { list: [['a', 'b'], ['a']], flag: true, count: i } },
      at: new Date(Date.UTC(2026, 0, i + 1)),
    });
    const batches = [Array.from({ length: 4 }, (_, i) => result(i, evidence(i))), Array.from({ length: 3 }, (_, i) => ({ ...result(i, evidence(i)), accountId: '444455556666' }))];
    // As a worker's message delivers them: copies.
    const received = batches.map((b) => structuredClone(b));
    const interner = new ResultInterner();
    const interned = received.map((b) => interner.intern(b));
    expect(interned).toEqual(batches);
    // A check's metadata is one object again: the same arrays on every result of it.
    expect(interned[0]![0]!.lens).toBe(interned[1]![2]!.lens);
  });
});
