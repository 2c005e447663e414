import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildCoverage, diffFindings } from '../../src/state/diff.js';
import { FileStore, writeAtomic } from '../../src/state/file-store.js';
import { openStore } from '../../src/state/index.js';
import { StateError, runRecord, type FindingRecord } from '../../src/state/store.js';
import { ACCOUNT, OTHER_ACCOUNT, openRecord, result } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lens-audit-state-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const DAY1 = new Date('2026-06-01T00:00:00.000Z');
const DAY2 = new Date('2026-06-02T00:00:00.000Z');

/** One run through the store, as runAudit does it. */
async function runOnce(store: FileStore, results: ReturnType<typeof result>[], runId: string, now: Date, accounts = [ACCOUNT]) {
  const previous = await store.load({ accountIds: accounts, runId, now });
  const diff = diffFindings(previous, results, buildCoverage(results, { accounts: [] }), { runId, now });
  await store.save(diff, runRecord(diff, {
    runId, startedAt: now.toISOString(), finishedAt: now.toISOString(), accounts, regions: ['us-east-1'], failedScopes: [],
  }));
  return diff;
}

describe('FileStore', () => {
  it('is created on first use (directories included) and round-trips a history', async () => {
    const path = join(dir, 'nested', '.lens-audit', 'state.json');
    const store = new FileStore(path);
    expect(await store.load({ accountIds: [ACCOUNT], runId: 'r1', now: DAY1 })).toEqual([]);

    const d1 = await runOnce(store, [result('FAIL', 'a'), result('FAIL', 'b')], 'r1', DAY1);
    expect(d1.new).toHaveLength(2);
    const file = JSON.parse(await readFile(path, 'utf8'));
    expect(file.schemaVersion).toBe(1);
    expect(file.findings).toHaveLength(2);
    expect(file.runs).toEqual([expect.objectContaining({ runId: 'r1', counts: { new: 2, persisting: 0, resolved: 0, kept: 0 } })]);

    const d2 = await runOnce(store, [result('FAIL', 'a'), result('PASS', 'b'), result('FAIL', 'c')], 'r2', DAY2);
    expect(d2.new.map((r) => r.resourceName)).toEqual(['c']);
    expect(d2.persisting.map((r) => r.resourceName)).toEqual(['a']);
    expect(d2.persisting[0]!.firstSeen).toBe(DAY1.toISOString());
    expect(d2.resolved.map((r) => r.resourceName)).toEqual(['b']);

    const loaded = await store.load({ accountIds: [ACCOUNT], runId: 'r3', now: DAY2 });
    expect(loaded.map((r) => [r.resourceName, r.status]).sort()).toEqual([['a', 'OPEN'], ['b', 'RESOLVED'], ['c', 'OPEN']]);
  });

  it('keeps the findings of accounts outside the run and loads only the scope', async () => {
    const store = new FileStore(join(dir, 'state.json'));
    await runOnce(store, [result('FAIL', 'x', { accountId: OTHER_ACCOUNT })], 'r1', DAY1, [OTHER_ACCOUNT]);
    await runOnce(store, [result('FAIL', 'a')], 'r2', DAY2, [ACCOUNT]);
    expect((await store.load({ accountIds: [ACCOUNT], runId: 'r3', now: DAY2 })).map((r) => r.resourceName)).toEqual(['a']);
    expect((await store.load({ accountIds: [OTHER_ACCOUNT], runId: 'r3', now: DAY2 })).map((r) => r.resourceName)).toEqual(['x']);
  });

  it('forgets resolved findings after the retention (load and save)', async () => {
    const path = join(dir, 'state.json');
    const store = new FileStore(path, { retentionDays: 30 });
    await runOnce(store, [result('FAIL', 'a')], 'r1', DAY1);
    await runOnce(store, [result('PASS', 'a')], 'r2', DAY2);
    const day31 = new Date(DAY2.getTime() + 30 * 86_400_000);
    expect(await store.load({ accountIds: [ACCOUNT], runId: 'r3', now: new Date(day31.getTime() - 1) })).toHaveLength(1);
    expect(await store.load({ accountIds: [ACCOUNT], runId: 'r3', now: day31 })).toEqual([]);
    // Failing after that is a fresh finding.
    const d = await runOnce(store, [result('FAIL', 'a')], 'r3', day31);
    expect(d.new[0]!.firstSeen).toBe(day31.toISOString());
    expect(d.new[0]!.reopenedAt).toBeUndefined();
  });

  it('a corrupt state file is an error with one line, and is left untouched', async () => {
    const path = join(dir, 'state.json');
    await writeFile(path, '{"schemaVersion": 1, "findings": [');
    const store = new FileStore(path);
    const err = await store.load({ accountIds: [ACCOUNT], runId: 'r1', now: DAY1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateError);
    expect((err as Error).message).toMatch(/^state file .*state\.json is not valid JSON/);
    expect((err as Error).message).not.toContain('\n');
    // save re-reads the file, so it refuses too rather than overwrite history it could not read.
    const diff = diffFindings([], [result('FAIL', 'a')], buildCoverage([], { accounts: [] }), { runId: 'r1', now: DAY1 });
    await expect(store.save(diff, runRecord(diff, { runId: 'r1', startedAt: '', finishedAt: DAY1.toISOString(), accounts: [ACCOUNT], regions: [], failedScopes: [] })))
      .rejects.toBeInstanceOf(StateError);
    expect(await readFile(path, 'utf8')).toBe('{"schemaVersion": 1, "findings": [');
  });

  it('valid JSON that is not a state file is an error naming the offending field', async () => {
    const path = join(dir, 'state.json');
    const good = openRecord(result('FAIL', 'a'));
    const bad = { ...good, severity: 'SEVERE' } as unknown as FindingRecord;
    await writeFile(path, JSON.stringify({ schemaVersion: 1, updatedAt: '', findings: [bad], runs: [] }));
    await expect(new FileStore(path).load({ accountIds: [ACCOUNT], runId: 'r', now: DAY1 })).rejects.toThrow(/findings\.0\.severity/);
    await writeFile(path, JSON.stringify({ schemaVersion: 2, updatedAt: '', findings: [], runs: [] }));
    await expect(new FileStore(path).load({ accountIds: [ACCOUNT], runId: 'r', now: DAY1 })).rejects.toThrow(/schemaVersion/);
  });

  it('an unreadable state file is an error, not an empty history', async () => {
    const path = join(dir, 'state.json');
    await mkdir(path); // EISDIR on read
    await expect(new FileStore(path).load({ accountIds: [ACCOUNT], runId: 'r', now: DAY1 })).rejects.toThrow(/cannot be read \(EISDIR\)/);
  });

  it('writes atomically: a failed write leaves the old file and no temp file behind', async () => {
    const path = join(dir, 'state.json');
    await writeAtomic(path, 'old\n');
    expect(await readFile(path, 'utf8')).toBe('old\n');
    await writeAtomic(path, 'new\n');
    expect(await readFile(path, 'utf8')).toBe('new\n');
    expect(await readdir(dir)).toEqual(['state.json']);

    // A target that cannot be replaced (a non-empty directory): the rename fails after the temp file was written.
    const blocked = join(dir, 'blocked');
    await mkdir(blocked);
    await writeFile(join(blocked, 'keep'), 'x');
    await expect(writeAtomic(blocked, 'data')).rejects.toBeInstanceOf(StateError);
    expect((await readdir(dir)).sort()).toEqual(['blocked', 'state.json']);
    expect(await readdir(blocked)).toEqual(['keep']);
  });

  it('openStore picks the file store for a path and the default path when none is given', () => {
    expect(openStore(join(dir, 's.json')).location).toBe(`file ${join(dir, 's.json')}`);
    expect(openStore().location).toBe('file .lens-audit/state.json');
  });
});

describe('FileStore recent runs (issue 18, the trend)', () => {
  it('keeps each run\'s open findings by severity and reads the last runs back, oldest first', async () => {
    const path = join(dir, 'state.json');
    const store = new FileStore(path);
    const high = (name: string) => ({ ...result('FAIL', name, { checkId: 'lambda.function-url-public' }), severity: 'HIGH' as const });
    await runOnce(store, [result('FAIL', 'a'), result('FAIL', 'b'), high('h')], 'r1', DAY1);
    // b fixed, c suppressed (not counted as open), h still open
    await runOnce(store, [result('FAIL', 'a'), result('PASS', 'b'), result('FAIL', 'c', { suppressed: 'accepted' }), high('h')], 'r2', DAY2);
    const zero = { INFORMATIONAL: 0, LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0 };
    const runs = await store.recentRuns(10);
    expect(runs.map((r) => [r.runId, r.openBySeverity])).toEqual([
      ['r1', { ...zero, LOW: 2, HIGH: 1 }],
      ['r2', { ...zero, LOW: 1, HIGH: 1 }],
    ]);
    expect(runs[1]).toMatchObject({ finishedAt: DAY2.toISOString(), counts: { new: 1, persisting: 2, resolved: 1, kept: 0 } });
    expect(runs[1]).toMatchObject({ accounts: [ACCOUNT] });
    expect(runs[1]).not.toHaveProperty('regions');
    expect((await store.recentRuns(1)).map((r) => r.runId)).toEqual(['r2']);
    // what the file holds survives a re-read (the schema keeps the field)
    expect(JSON.parse(await readFile(path, 'utf8')).runs[0].openBySeverity).toEqual({ ...zero, LOW: 2, HIGH: 1 });
    expect(await new FileStore(join(dir, 'none.json')).recentRuns(5)).toEqual([]);
  });

  it('reads runs saved before the field existed', async () => {
    const path = join(dir, 'state.json');
    const store = new FileStore(path);
    await runOnce(store, [result('FAIL', 'a')], 'r1', DAY1);
    const file = JSON.parse(await readFile(path, 'utf8'));
    delete file.runs[0].openBySeverity;
    await writeFile(path, JSON.stringify(file));
    expect((await store.recentRuns(5)).map((r) => [r.runId, r.openBySeverity])).toEqual([['r1', undefined]]);
  });
});
