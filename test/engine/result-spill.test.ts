// A large run keeps its passes on disk (src/engine/result-spill.ts): the report it writes, its summary and the history
// it records must be those of the same run held in memory.
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../checks/index.js';
import { storeHistory } from '../../src/engine/history.js';
import { ResultSpill } from '../../src/engine/result-spill.js';
import { runAudit, type AuditOptions } from '../../src/engine/run-audit.js';
import { selectChecks } from '../../src/engine/select.js';
import type { Inventory, Result } from '../../src/model/index.js';
import { csvChunks } from '../../src/report/csv.js';
import { allResults, resultSet, withResults } from '../../src/model/index.js';
import { renderJsonChunks } from '../../src/report/json.js';
import { diffFindings } from '../../src/state/diff.js';
import { FileStore } from '../../src/state/file-store.js';

const work = mkdtempSync(join(tmpdir(), 'lens-spill-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const sampleText = readFileSync(new URL('../../examples/sample-inventory.json', import.meta.url), 'utf8');
/** The sample account three times over, under three account ids. */
function organization(mutate?: (text: string) => string): Inventory {
  const ids = ['111122223333', '222233334444', '333344445555'];
  const one = JSON.parse(mutate ? mutate(sampleText) : sampleText) as Inventory;
  const accounts = ids.map((id) => JSON.parse(JSON.stringify(one.accounts[0]).replaceAll('111122223333', id)));
  return { ...one, accounts };
}

const checks = selectChecks({ all: ALL_CHECKS, metrics: false });
const NOW = new Date('2026-11-20T03:00:00Z');
const key = (r: Result) => `${r.findingId}|${r.status}`;
const sorted = (rs: Iterable<Result>) => [...rs].sort((a, b) => (key(a) < key(b) ? -1 : 1));

async function run(inventory: Inventory, extra: Partial<AuditOptions> = {}) {
  return runAudit({ checks, inventory, now: NOW, runId: 'r', spillDir: work, ...extra });
}

describe('passes on disk', () => {
  it('writes the same report as a run held in memory: summary, JSON and CSV, passes included', async () => {
    const inv = organization();
    const held = await run(inv);
    const spilled = await run(inv, { spillPassAbove: 1 });
    const spill = spilled.report.passSpill!;
    expect(spill).toBeInstanceOf(ResultSpill);
    expect(held.report.passSpill).toBeUndefined();

    // In memory only failures and not-assessed results; the passes are in a private file.
    expect(spilled.report.results.some((r) => r.status === 'PASS')).toBe(false);
    expect(spill.count).toBe(held.report.summary.pass);
    expect(spill.count).toBeGreaterThan(100);
    expect(statSync(spill.path).mode & 0o777).toBe(0o600);
    expect(spilled.report.summary).toEqual(held.report.summary);

    // The JSON: valid, same fields, every result once; the passes follow the rest.
    const json = JSON.parse([...renderJsonChunks(spilled.report)].join(''));
    const heldJson = JSON.parse([...renderJsonChunks(held.report)].join(''));
    expect(Object.keys(json)).toEqual(Object.keys(heldJson));
    expect(json.passSpill).toBeUndefined();
    expect(sorted(json.results)).toEqual(sorted(heldJson.results));
    const firstPass = json.results.findIndex((r: Result) => r.status === 'PASS');
    expect(json.results.slice(firstPass).every((r: Result) => r.status === 'PASS')).toBe(true);
    expect(sorted(allResults(spilled.report))).toEqual(sorted(held.report.results));

    // The result set: what every renderer reads. Its size and its order are those of the run held in memory.
    const set = resultSet(spilled.report);
    const heldSet = resultSet(held.report);
    expect(set.size).toBe(heldSet.size);
    expect(set.size).toBe(held.report.results.length);
    expect(set.spilledPasses).toBe(spill.count);
    expect(heldSet.spilledPasses).toBe(0);
    expect(set.held).toBe(spilled.report.results);
    expect(set.held.every((r) => r.status !== 'PASS')).toBe(true);
    expect([...set].map(key)).toEqual(json.results.map(key));
    expect([...set].map(key)).toEqual([...allResults(spilled.report)].map(key));
    // Each iteration reads the passes again.
    expect([...set].length).toBe(set.size);
    // A view keeps the passes on disk, or leaves them out.
    const fails = set.held.filter((r) => r.status === 'FAIL');
    expect(resultSet(withResults(spilled.report, fails, true)).size).toBe(fails.length + spill.count);
    expect(resultSet(withResults(spilled.report, fails, false)).size).toBe(fails.length);
    expect(Object.keys(withResults(spilled.report, fails, true))).toEqual(Object.keys(spilled.report));

    // The CSV: the same rows.
    const rows = (chunks: Iterable<string>) => [...chunks].join('').split('\r\n').sort();
    expect(rows(csvChunks(spilled.report))).toEqual(rows(csvChunks(held.report)));

    set.dispose();
    expect(existsSync(spill.path)).toBe(false);
  });

  it('records the same history: new findings, then the ones fixed resolve', async () => {
    const fixed = (text: string) => text.replaceAll('"Mode": "PassThrough"', '"Mode": "Active"');
    const outcomes = [];
    for (const spillPassAbove of [undefined, 1]) {
      const store = new FileStore(join(work, `history-${spillPassAbove ?? 'held'}.json`));
      const first = await run(organization(), { history: storeHistory(store), ...(spillPassAbove ? { spillPassAbove } : {}) });
      const second = await run(organization(fixed), { history: storeHistory(store), runId: 'r2', now: new Date('2026-11-21T03:00:00Z'), ...(spillPassAbove ? { spillPassAbove } : {}) });
      outcomes.push({
        firstNew: first.diff!.new.map((f) => f.findingId).sort(),
        resolved: second.diff!.resolved.map((f) => f.findingId).sort(),
        kept: second.diff!.kept.length,
        summary: second.report.summary,
      });
      first.report.passSpill?.dispose();
      second.report.passSpill?.dispose();
    }
    const [held, spilled] = outcomes;
    expect(held!.resolved.length).toBeGreaterThan(0);
    expect(spilled).toEqual(held);
  });

  it('a run whose results are all passes on disk is assessed, not "nothing assessed"', async () => {
    const only = checks.filter((c) => c.id === 'lambda.cross-account-layer');
    const out = await runAudit({ checks: only, inventory: organization(), now: NOW, runId: 'r', spillDir: work, spillPassAbove: 1 });
    expect(out.report.results).toEqual([]);
    expect(out.report.summary.pass).toBe(36);
    out.report.passSpill!.dispose();
  });

  it('without a writable temporary directory the passes stay in memory, and the run says so', async () => {
    const warnings: string[] = [];
    const log = { debug() {}, info() {}, error() {}, warn: (m: string) => void warnings.push(m) };
    const out = await run(organization(), { spillPassAbove: 1, spillDir: join(work, 'no', 'such', 'dir'), log });
    expect(out.report.passSpill).toBeUndefined();
    expect(out.report.results.filter((r) => r.status === 'PASS').length).toBe(out.report.summary.pass);
    expect(warnings).toEqual([expect.stringMatching(/^cannot keep passes on disk \(.*ENOENT.*\): they stay in memory$/)]);
  });

  it('a spilled pass of a finding in a scope not assessed as a whole still resolves it', () => {
    const previous = [{
      findingId: 'f1', checkId: 'quota.lambda-concurrency-80', title: 't', severity: 'HIGH', accountId: '111122223333', region: 'eu-west-1',
      resourceKind: 'AwsAccountRegion', resourceArn: 'arn:aws:lambda:eu-west-1:111122223333:account', resourceName: 'x', status: 'OPEN' as const,
      firstSeen: '2026-11-01T00:00:00Z', lastSeen: '2026-11-01T00:00:00Z', lastRunId: 'r0',
    }];
    const coverage = { assessed: new Set<string>(), failedScopes: [] };
    const run = { runId: 'r1', now: NOW };
    expect(diffFindings(previous as never, [], coverage, run).resolved).toHaveLength(0);
    expect(diffFindings(previous as never, [], coverage, { ...run, passedIds: new Set(['f1']) }).resolved.map((f) => f.findingId)).toEqual(['f1']);
  });

  it('reads back what it wrote, characters split between reads included', () => {
    const spill = new ResultSpill(work);
    const results = Array.from({ length: 6000 }, (_, i) => ({ findingId: String(i), message: `é€😀 ${'x'.repeat(i % 400)}` }) as unknown as Result);
    for (const r of results) spill.add(r);
    expect([...spill.read()]).toEqual(results);
    // Readable more than once.
    expect([...spill.read()]).toHaveLength(6000);
    spill.dispose();
  });
});
