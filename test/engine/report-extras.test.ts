// What runAudit puts into the report for the reports people read (issue 18): account names, the tags asked for on the
// results, and the trend of open findings from the history.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../checks/index.js';
import { storeHistory } from '../../src/engine/history.js';
import { parseInventory, readInventory } from '../../src/engine/inventory-file.js';
import { runAudit } from '../../src/engine/run-audit.js';
import { SEVERITIES, type Check, type Inventory } from '../../src/model/index.js';
import { renderJson } from '../../src/report/json.js';
import { FileStore, buildCoverage, diffFindings, runRecord } from '../../src/state/index.js';

const SAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'sample-inventory.json');
const checks = ALL_CHECKS as readonly Check[];
const sample = (): Inventory => readInventory(SAMPLE);
const ACCOUNT = '111122223333';

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

describe('runAudit: account names (issue 18)', () => {
  it('takes the Organizations name, else the alias, into report.accountNames and the JSON', async () => {
    const inv = sample();
    inv.accounts[0]!.alias = 'acme-prod';
    const { report } = await runAudit({ checks, inventory: inv });
    expect(report.accountNames).toEqual({ [ACCOUNT]: 'acme-prod' });
    inv.accounts[0]!.name = 'Payments production';
    const named = (await runAudit({ checks, inventory: inv })).report;
    expect(named.accountNames).toEqual({ [ACCOUNT]: 'Payments production' });
    expect(JSON.parse(renderJson(named)).accountNames).toEqual({ [ACCOUNT]: 'Payments production' });
  });

  it('has no accountNames when no name is known', async () => {
    const { report } = await runAudit({ checks, inventory: sample() });
    expect(report).not.toHaveProperty('accountNames');
  });

  it('reads name and alias from an inventory file, and refuses a name that is not text', () => {
    const inv = JSON.parse(JSON.stringify(sample())) as Record<string, any>;
    inv.accounts[0].alias = 'acme-prod';
    inv.accounts[0].name = 'Payments production';
    expect(parseInventory(inv).accounts[0]).toMatchObject({ alias: 'acme-prod', name: 'Payments production' });
    inv.accounts[0].alias = { toString: 'x' };
    expect(() => parseInventory(inv, 'inv.json')).toThrow(/accounts\.0\.alias/);
  });
});

describe('runAudit: tags on results (issue 18, grouping by tag)', () => {
  it('copies only the asked tag keys of each resource onto its results', async () => {
    const { report } = await runAudit({ checks, inventory: sample(), tagKeys: ['team'] });
    const inv = sample();
    const teamOf = new Map<string, string>();
    for (const r of inv.accounts[0]!.regions) for (const list of Object.values(r.resources)) for (const res of list ?? []) if (res.tags?.team) teamOf.set(res.arn, res.tags.team);
    expect(teamOf.size).toBeGreaterThan(0);
    const tagged = report.results.filter((r) => r.tags);
    expect(tagged.length).toBeGreaterThan(0);
    for (const r of report.results) {
      const team = teamOf.get(r.resourceArn);
      if (team) expect(r.tags, r.resourceArn).toEqual({ team });
      else expect(r.tags, r.resourceArn).toBeUndefined();
    }
  });

  it('copies no tags unless asked', async () => {
    const { report } = await runAudit({ checks, inventory: sample() });
    expect(report.results.filter((r) => r.tags)).toEqual([]);
  });
});

describe('runAudit with a history: the trend (issue 18)', () => {
  it('reports the open findings by severity after each run, this one last', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lens-audit-trend-'));
    dirs.push(dir);
    const store = new FileStore(join(dir, 'state.json'));
    const one = await runAudit({ checks, inventory: sample(), history: storeHistory(store), now: new Date('2026-06-01T03:00:00Z'), runId: 'run-1' });
    expect(one.report.trend).toEqual([{ runId: 'run-1', finishedAt: expect.any(String), openBySeverity: one.report.summary.bySeverity }]);

    // Second run: one account's Lambda functions all fixed for tracing (fewer LOW findings).
    const inv = sample();
    for (const r of inv.accounts[0]!.regions) for (const fn of r.resources.AwsLambdaFunction ?? []) (fn as { TracingConfig?: unknown }).TracingConfig = { Mode: 'Active' };
    const two = await runAudit({ checks, inventory: inv, history: storeHistory(store), now: new Date('2026-06-02T03:00:00Z'), runId: 'run-2' });
    expect(two.report.trend!.map((t) => t.runId)).toEqual(['run-1', 'run-2']);
    expect(two.report.trend![1]!.openBySeverity).toEqual(two.report.summary.bySeverity);
    const total = (s: Record<string, number>) => SEVERITIES.reduce((n, k) => n + (s[k] ?? 0), 0);
    expect(total(two.report.trend![1]!.openBySeverity)).toBeLessThan(total(two.report.trend![0]!.openBySeverity));
    expect(JSON.parse(renderJson(two.report)).trend).toHaveLength(2);
  });

  it('leaves out the runs of other accounts sharing the state file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lens-audit-trend-'));
    dirs.push(dir);
    const store = new FileStore(join(dir, 'state.json'));
    await runAudit({ checks, inventory: sample(), history: storeHistory(store), now: new Date('2026-06-01T03:00:00Z'), runId: 'mine-1' });
    // A scan of another account into the same file.
    const other = diffFindings([], [], buildCoverage([], { accounts: [] }), { runId: 'other', now: new Date('2026-06-01T04:00:00Z') });
    await store.save(other, runRecord(other, { runId: 'other', startedAt: '2026-06-01T04:00:00.000Z', finishedAt: '2026-06-01T04:00:00.000Z', accounts: ['999988887777'], regions: ['us-east-1'], failedScopes: [] }));
    const two = await runAudit({ checks, inventory: sample(), history: storeHistory(store), now: new Date('2026-06-02T03:00:00Z'), runId: 'mine-2' });
    expect(two.report.trend!.map((t) => t.runId)).toEqual(['mine-1', 'mine-2']);
  });

  it('has no trend without a history', async () => {
    const { report } = await runAudit({ checks, inventory: sample() });
    expect(report).not.toHaveProperty('trend');
  });
});
