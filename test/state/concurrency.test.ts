// Two runs on one history at the same time (issue 20 point 6, probe 33): they take turns, and neither loses the
// other's findings. File store: a lock file around load → save. DynamoDB: a lease, and a commit that only the
// holder of the lease can make.
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../checks/index.js';
import { storeHistory } from '../../src/engine/history.js';
import { readInventory } from '../../src/engine/inventory-file.js';
import { runAudit } from '../../src/engine/run-audit.js';
import { selectChecks } from '../../src/engine/select.js';
import { DynamoStore, FileStore, StateError, type StateStore } from '../../src/state/index.js';
import { startDynalite, type LocalDynamo } from '../lambda/dynalite.js';

const sample = join(import.meta.dirname, '..', '..', 'examples', 'sample-inventory.json');
const inventory = readInventory(sample);
const checksOf = (glob: string) => selectChecks({ all: ALL_CHECKS, only: [glob] });

/** One CLI-like run of `glob` checks over the sample inventory into `store`; resolves with its failing finding ids. */
async function run(store: StateStore, glob: string): Promise<string[]> {
  const { report } = await runAudit({ checks: checksOf(glob), inventory, history: storeHistory(store) });
  return report.results.filter((r) => r.status === 'FAIL').map((r) => r.findingId);
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lens-audit-cc-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('file store: concurrent runs', () => {
  it('two runs in parallel (lambda.* and logs.*) keep the union of their findings, round after round', async () => {
    for (let round = 0; round < 6; round++) {
      const path = join(dir, `state-${round}.json`);
      const [lambda, logs] = await Promise.all([run(new FileStore(path), 'lambda.*'), run(new FileStore(path), 'logs.*')]);
      expect(lambda.length).toBeGreaterThan(0);
      expect(logs.length).toBeGreaterThan(0);
      const file = JSON.parse(await readFile(path, 'utf8')) as { findings: { findingId: string; status: string }[]; runs: unknown[] };
      const open = new Set(file.findings.filter((f) => f.status === 'OPEN').map((f) => f.findingId));
      expect([...new Set([...lambda, ...logs])].filter((id) => !open.has(id)), `round ${round}`).toEqual([]);
      expect(file.runs).toHaveLength(2);
    }
  });

  it('waits for a held lock, then fails clearly, leaving the history untouched', async () => {
    const path = join(dir, 'state.json');
    await run(new FileStore(path), 'lambda.*');
    const before = await readFile(path, 'utf8');
    const held = await new FileStore(path).lock('other-run');
    const waited = new FileStore(path, { lock: { waitMs: 300 } });
    await expect(run(waited, 'logs.*')).rejects.toThrow(StateError);
    await expect(run(waited, 'logs.*')).rejects.toThrow(/locked by run other-run \(pid \d+ on .+\); waited 0 s.*remove .*state\.json\.lock/);
    expect(await readFile(path, 'utf8')).toBe(before);
    await held.release();
    // Released: the next run goes through, and its lock is gone afterwards.
    await run(waited, 'logs.*');
    await expect(readFile(`${path}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('takes over a stale lock: a dead holder on this host, or one older than staleMs', async () => {
    const path = join(dir, 'state.json');
    // A process id that does not exist (above the kernel's pid_max).
    await writeFile(`${path}.lock`, JSON.stringify({ pid: 2 ** 30, host: (await import('node:os')).hostname(), runId: 'crashed', at: new Date().toISOString() }));
    await run(new FileStore(path, { lock: { waitMs: 200 } }), 'lambda.*');
    // A live holder elsewhere, but the lock is an hour old.
    await writeFile(`${path}.lock`, JSON.stringify({ pid: 1, host: 'another-host', runId: 'hung', at: '2026-01-01T00:00:00.000Z' }));
    const old = new Date(Date.now() - 3_600_000);
    await utimes(`${path}.lock`, old, old);
    await run(new FileStore(path, { lock: { waitMs: 200 } }), 'logs.*');
    // A fresh lock of a live holder elsewhere is honoured.
    await writeFile(`${path}.lock`, JSON.stringify({ pid: 1, host: 'another-host', runId: 'busy', at: new Date().toISOString() }));
    await expect(run(new FileStore(path, { lock: { waitMs: 200 } }), 'logs.*')).rejects.toThrow(/locked by run busy/);
  });
});

describe('DynamoDB store: overlapping runs', () => {
  let local: LocalDynamo;
  beforeAll(async () => {
    local = await startDynalite();
  });
  afterAll(async () => {
    await local.close();
  });

  it('two runs in parallel keep the union of their findings', async () => {
    const table = await local.newTable();
    const [lambda, logs] = await Promise.all([run(new DynamoStore(local.client, table), 'lambda.*'), run(new DynamoStore(local.client, table), 'logs.*')]);
    const loaded = await new DynamoStore(local.client, table).load({ accountIds: inventory.accounts.map((a) => a.accountId), runId: 'check', now: new Date() });
    const open = new Set(loaded.filter((r) => r.status === 'OPEN').map((r) => r.findingId));
    expect(lambda.length + logs.length).toBeGreaterThan(0);
    expect([...new Set([...lambda, ...logs])].filter((id) => !open.has(id))).toEqual([]);
    // No lease is left behind.
    expect((await local.scanAll(table)).filter((i) => i.PK?.S === 'LOCK')).toEqual([]);
  });

  it('two overlapping runs of the same checks: the second sees the first one\'s commit (nothing is NEW twice)', async () => {
    const table = await local.newTable();
    const once = async () => (await runAudit({ checks: checksOf('lambda.*'), inventory, history: storeHistory(new DynamoStore(local.client, table)) })).report.summary.new;
    const [a, b] = await Promise.all([once(), once()]);
    const failing = (await runAudit({ checks: checksOf('lambda.*'), inventory })).report.results.filter((r) => r.status === 'FAIL').length;
    expect(failing).toBeGreaterThan(0);
    expect(a + b).toBe(failing);
    expect(Math.min(a, b)).toBe(0);
  });

  it('a run that lost its lease cannot commit; a run waiting for a live lease fails clearly', async () => {
    const table = await local.newTable();
    let now = Date.parse('2026-06-01T00:00:00.000Z');
    const clock = () => now;
    const a = new DynamoStore(local.client, table, { lease: { durationMs: 60_000, waitMs: 0, clock } });
    const b = new DynamoStore(local.client, table, { lease: { durationMs: 60_000, waitMs: 0, clock } });
    await a.lock('run-a');
    // Held: b gives up at once (waitMs 0) and says who holds it.
    await expect(b.lock('run-b')).rejects.toThrow(/held by run run-a \(since 2026-06-01T00:00:00.000Z/);
    // a stalls past its lease; b takes over.
    now += 61_000;
    await b.lock('run-b');
    const diff = { new: [], persisting: [], resolved: [], kept: [], records: [], changes: [] };
    const record = (runId: string) => ({ runId, startedAt: '', finishedAt: '', accounts: [], regions: [], counts: { new: 0, persisting: 0, resolved: 0, kept: 0 }, failedScopes: [] });
    await expect(a.save(diff, record('run-a'))).rejects.toThrow(/run-a lost the history lease/);
    await b.save(diff, record('run-b'));
    const runs = (await local.scanAll(table)).filter((i) => i.PK?.S?.startsWith('RUN#')).map((i) => i.PK!.S);
    expect(runs).toEqual(['RUN#run-b']);
  });
});
