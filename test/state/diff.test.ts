import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import noTracing from '../../checks/lambda/no-tracing.js';
import { evaluateAccount } from '../../src/engine/evaluate.js';
import { accountOf, makeResource } from '../../src/engine/examples.js';
import type { AccountInventory, AnyResource, Check, Result } from '../../src/model/index.js';
import { buildCoverage, diffFindings, scopeKey, type Coverage } from '../../src/state/diff.js';
import type { FindingRecord } from '../../src/state/store.js';
import { ACCOUNT, OTHER_ACCOUNT, openRecord, result } from './helpers.js';

const NOW = new Date('2026-06-01T00:00:00.000Z');
const RUN = { runId: 'run-1', now: NOW };
const T = NOW.toISOString();
const noInventory = { accounts: [] };

function coverageOf(results: Result[], failedScopes: Coverage['failedScopes'] = []): Coverage {
  return buildCoverage(results, noInventory, { failedScopes });
}
const ids = (rs: FindingRecord[]) => rs.map((r) => r.resourceName).sort();

describe('diffFindings: opening and persisting', () => {
  it('first run: every FAIL is NEW with firstSeen = now; PASS and NOT_ASSESSED open nothing', () => {
    const results = [result('FAIL', 'a'), result('FAIL', 'b'), result('PASS', 'c'), result('NOT_ASSESSED', 'd')];
    const d = diffFindings([], results, coverageOf(results), RUN);
    expect(ids(d.new)).toEqual(['a', 'b']);
    expect(d.persisting).toEqual([]);
    expect(d.resolved).toEqual([]);
    expect(d.new.every((r) => r.status === 'OPEN' && r.firstSeen === T && r.lastSeen === T && r.lastRunId === 'run-1')).toBe(true);
    expect(d.records).toHaveLength(2);
    expect(d.changes.map((c) => c.before)).toEqual([undefined, undefined]);
    // History on the results: only FAIL results carry it.
    expect(d.results.find((r) => r.resourceName === 'a')!.history).toEqual({ state: 'NEW', firstSeen: T });
    expect(d.results.find((r) => r.resourceName === 'c')!.history).toBeUndefined();
    expect(d.results.find((r) => r.resourceName === 'd')!.history).toBeUndefined();
  });

  it('a finding failing again persists: firstSeen kept, lastSeen and message updated', () => {
    const prev = openRecord(result('FAIL', 'a'));
    const now = result('FAIL', 'a');
    now.message = 'changed message';
    const d = diffFindings([prev], [now], coverageOf([now]), RUN);
    expect(d.new).toEqual([]);
    expect(d.persisting).toHaveLength(1);
    expect(d.persisting[0]).toMatchObject({ firstSeen: prev.firstSeen, lastSeen: T, message: 'changed message', status: 'OPEN', lastRunId: 'run-1' });
    expect(d.changes).toEqual([{ before: prev, after: d.persisting[0] }]);
    expect(d.results[0]!.history).toEqual({ state: 'PERSISTING', firstSeen: prev.firstSeen });
  });

  it('resolves a finding whose resource now passes, and one whose resource is gone from an assessed check/region', () => {
    const prevA = openRecord(result('FAIL', 'a'));
    const prevGone = openRecord(result('FAIL', 'gone'));
    const results = [result('PASS', 'a'), result('PASS', 'other')];
    const d = diffFindings([prevA, prevGone], results, coverageOf(results), RUN);
    expect(ids(d.resolved)).toEqual(['a', 'gone']);
    expect(d.resolved.every((r) => r.status === 'RESOLVED' && r.resolvedAt === T && r.lastSeen === prevA.lastSeen)).toBe(true);
    expect(d.kept).toEqual([]);
    expect(d.changes).toHaveLength(2);
  });

  it('a finding that comes back after being resolved is NEW again but keeps its original firstSeen', () => {
    const resolved: FindingRecord = { ...openRecord(result('FAIL', 'a')), status: 'RESOLVED', resolvedAt: '2026-03-01T00:00:00.000Z' };
    const now = [result('FAIL', 'a')];
    const d = diffFindings([resolved], now, coverageOf(now), RUN);
    expect(d.new).toHaveLength(1);
    expect(d.new[0]).toMatchObject({ status: 'OPEN', firstSeen: resolved.firstSeen, lastSeen: T, reopenedAt: T });
    expect(d.new[0]!.resolvedAt).toBeUndefined();
    expect(d.results[0]!.history).toEqual({ state: 'NEW', firstSeen: resolved.firstSeen });
    // Failing on the next run: persisting, reopenedAt kept.
    const next = diffFindings(d.records, now, coverageOf(now), { runId: 'run-2', now: new Date('2026-06-02T00:00:00Z') });
    expect(next.persisting[0]).toMatchObject({ firstSeen: resolved.firstSeen, reopenedAt: T });
  });

  it('a resolved finding that stays away is carried unchanged and not rewritten', () => {
    const resolved: FindingRecord = { ...openRecord(result('FAIL', 'a')), status: 'RESOLVED', resolvedAt: '2026-03-01T00:00:00.000Z' };
    const results = [result('PASS', 'a')];
    const d = diffFindings([resolved], results, coverageOf(results), RUN);
    expect(d.resolved).toEqual([]);
    expect(d.records).toEqual([resolved]);
    expect(d.changes).toEqual([]);
  });

  it('a suppressed FAIL is tracked (flagged), so lifting the suppression is not a false NEW', () => {
    const first = [result('FAIL', 'a', { suppressed: 'accepted risk' })];
    const d1 = diffFindings([], first, coverageOf(first), RUN);
    expect(d1.new).toHaveLength(1);
    expect(d1.new[0]!.suppressed).toBe(true);
    const second = [result('FAIL', 'a')];
    const d2 = diffFindings(d1.records, second, coverageOf(second), { runId: 'run-2', now: new Date('2026-06-02T00:00:00Z') });
    expect(d2.new).toEqual([]);
    expect(d2.persisting[0]!.suppressed).toBeUndefined();
    expect(d2.persisting[0]!.firstSeen).toBe(T);
  });
});

describe('diffFindings: resolves only what this run assessed', () => {
  it('a region that failed (failed scope) resolves nothing there; other regions still resolve', () => {
    const east = openRecord(result('FAIL', 'a'));
    const west = openRecord(result('FAIL', 'w', { region: 'us-west-2' }));
    // Both regions produced results (PASS elsewhere), but us-west-2 lost a whole service.
    const results = [result('PASS', 'x'), result('PASS', 'y', { region: 'us-west-2' })];
    const d = diffFindings([east, west], results, coverageOf(results, [{ accountId: ACCOUNT, region: 'us-west-2' }]), RUN);
    expect(ids(d.resolved)).toEqual(['a']);
    expect(ids(d.kept)).toEqual(['w']);
    expect(d.changes.map((c) => c.after.resourceName)).toEqual(['a']);
  });

  it('a failed scope with region * protects the whole account, even against a PASS of the same finding', () => {
    const prev = openRecord(result('FAIL', 'a'));
    const results = [result('PASS', 'a')];
    const d = diffFindings([prev], results, coverageOf(results, [{ accountId: ACCOUNT, region: '*' }]), RUN);
    expect(d.resolved).toEqual([]);
    expect(d.kept).toEqual([prev]);
  });

  it('a region with no results at all (not scanned) resolves nothing', () => {
    const west = openRecord(result('FAIL', 'w', { region: 'us-west-2' }));
    const results = [result('PASS', 'x')];
    const d = diffFindings([west], results, coverageOf(results), RUN);
    expect(d.kept).toEqual([west]);
  });

  it('a check disabled this run (no results for it) resolves nothing for it', () => {
    const other = openRecord(result('FAIL', 'a', { checkId: 'lambda.shared-role' }));
    const results = [result('PASS', 'a')]; // lambda.no-tracing ran, lambda.shared-role did not
    const d = diffFindings([other], results, coverageOf(results), RUN);
    expect(d.kept).toEqual([other]);
    expect(d.resolved).toEqual([]);
  });

  it('another account of the history is not touched by a run over one account', () => {
    const mine = openRecord(result('FAIL', 'a'));
    const theirs = openRecord(result('FAIL', 'b', { accountId: OTHER_ACCOUNT }));
    const results = [result('PASS', 'a')];
    const d = diffFindings([mine, theirs], results, coverageOf(results), RUN);
    expect(ids(d.resolved)).toEqual(['a']);
    expect(d.kept).toEqual([theirs]);
  });

  it('a resource not assessed (field gap) keeps its own findings, including sub-key ones; the rest of the region resolves', () => {
    const gapped = openRecord(result('FAIL', 'g'));
    const gappedSub = openRecord(result('FAIL', 'g', { subKey: 'alias:live' }));
    const fixed = openRecord(result('FAIL', 'f'));
    const results = [result('NOT_ASSESSED', 'g'), result('PASS', 'f')];
    const d = diffFindings([gapped, gappedSub, fixed], results, coverageOf(results), RUN);
    expect(ids(d.resolved)).toEqual(['f']);
    expect(d.kept.map((r) => r.findingId).sort()).toEqual([gapped.findingId, gappedSub.findingId].sort());
    expect(d.records.find((r) => r.findingId === gapped.findingId)).toBe(gapped);
  });
});

describe('buildCoverage + diffFindings over real evaluation (lambda.no-tracing)', () => {
  const check = noTracing as unknown as Check;
  const fn = (name: string, mode: 'Active' | 'PassThrough', region = 'us-east-1') =>
    makeResource('AwsLambdaFunction', { name, region, TracingConfig: { Mode: mode } }) as AnyResource;
  const evaluate = (account: AccountInventory) => evaluateAccount([check], account, { now: NOW });

  it('a check not assessed in a region (list gap) resolves nothing there, while another region resolves', () => {
    const first = accountOf([fn('a', 'PassThrough'), fn('w', 'PassThrough', 'us-west-2')]);
    const d1 = diffFindings([], evaluate(first), buildCoverage(evaluate(first), { accounts: [first] }), RUN);
    expect(ids(d1.new)).toEqual(['a', 'w']);

    // Next run: ListFunctions denied in us-east-1 (a list gap there), 'w' fixed in us-west-2.
    const second = accountOf([fn('w', 'Active', 'us-west-2')], [{ kind: 'AwsLambdaFunction', region: 'us-east-1' }]);
    const results = evaluate(second);
    expect(results.filter((r) => r.status === 'NOT_ASSESSED')).toHaveLength(1);
    const coverage = buildCoverage(results, { accounts: [second] });
    expect(coverage.assessed.has(scopeKey(check.id, ACCOUNT, 'us-east-1'))).toBe(false);
    expect(coverage.assessed.has(scopeKey(check.id, ACCOUNT, 'us-west-2'))).toBe(true);
    const d2 = diffFindings(d1.records, results, coverage, { runId: 'run-2', now: new Date('2026-06-02T00:00:00Z') });
    expect(ids(d2.resolved)).toEqual(['w']);
    expect(ids(d2.kept)).toEqual(['a']);
  });

  it('a NOT_ASSESSED of one resource (field gap) does not block its region; it protects only that resource', () => {
    const first = accountOf([fn('a', 'PassThrough'), fn('b', 'PassThrough')]);
    const d1 = diffFindings([], evaluate(first), buildCoverage(evaluate(first), { accounts: [first] }), RUN);
    const gapped = makeResource('AwsLambdaFunction', {
      name: 'a', gaps: { TracingConfig: { operation: 'lambda:GetFunctionConfiguration', code: 'ThrottlingException', message: 'slow down' } },
    }) as AnyResource;
    const second = accountOf([gapped, fn('b', 'Active')]);
    const results = evaluate(second);
    const coverage = buildCoverage(results, { accounts: [second] });
    expect(coverage.assessed.has(scopeKey(check.id, ACCOUNT, 'us-east-1'))).toBe(true);
    const d2 = diffFindings(d1.records, results, coverage, { runId: 'run-2', now: new Date('2026-06-02T00:00:00Z') });
    expect(ids(d2.resolved)).toEqual(['b']);
    expect(ids(d2.kept)).toEqual(['a']);
  });

  it('with the run\'s checks, the finding of a deleted last resource resolves; a list gap still blocks', () => {
    const first = accountOf([fn('a', 'PassThrough')]);
    const d1 = diffFindings([], evaluate(first), buildCoverage(evaluate(first), { accounts: [first] }), RUN);
    const empty = accountOf([]);
    const later = { runId: 'run-2', now: new Date('2026-06-02T00:00:00Z') };

    // From results alone, an empty region is not known to be assessed.
    expect(diffFindings(d1.records, [], buildCoverage([], { accounts: [empty] }), later).kept).toHaveLength(1);
    // Given the checks that ran, it is.
    const withChecks = buildCoverage([], { accounts: [empty] }, { checks: [check] });
    expect(ids(diffFindings(d1.records, [], withChecks, later).resolved)).toEqual(['a']);
    // Unless the kind could not be listed there.
    const gapped = accountOf([], [{ kind: 'AwsLambdaFunction' }]);
    const blocked = buildCoverage(evaluate(gapped), { accounts: [gapped] }, { checks: [check] });
    expect(diffFindings(d1.records, evaluate(gapped), blocked, later).kept).toHaveLength(1);
  });

  it('a PASS of the very same finding resolves it even where a list gap blocks the region', () => {
    const prev = openRecord(result('FAIL', 'a'));
    // Region partially listed: 'a' was listed (and passes), another page failed.
    const account = accountOf([fn('a', 'Active')], [{ kind: 'AwsLambdaFunction' }]);
    const results = evaluate(account);
    const d = diffFindings([prev], results, buildCoverage(results, { accounts: [account] }), RUN);
    expect(ids(d.resolved)).toEqual(['a']);
  });
});

describe('diffFindings invariants (property)', () => {
  const names = ['a', 'b', 'c', 'd', 'e'];
  const regions = ['us-east-1', 'us-west-2'];
  const arbRecord = fc.record({
    name: fc.constantFrom(...names), region: fc.constantFrom(...regions), resolved: fc.boolean(),
  });
  const arbResult = fc.record({
    name: fc.constantFrom(...names), region: fc.constantFrom(...regions), status: fc.constantFrom('PASS', 'FAIL', 'NOT_ASSESSED' as const),
  });

  it('every previous open finding ends up in exactly one list; nothing in a failed scope resolves; failing ones are open', () => {
    fc.assert(fc.property(
      fc.array(arbRecord, { maxLength: 10 }), fc.array(arbResult, { maxLength: 10 }), fc.subarray(regions),
      (recs, res, failedRegions) => {
        const prevMap = new Map<string, FindingRecord>();
        for (const r of recs) {
          const rec = openRecord(result('FAIL', r.name, { region: r.region }));
          prevMap.set(rec.findingId, r.resolved ? { ...rec, status: 'RESOLVED', resolvedAt: '2026-05-01T00:00:00.000Z' } : rec);
        }
        const seen = new Set<string>();
        const results = res.map((r) => result(r.status, r.name, { region: r.region })).filter((r) => !seen.has(r.findingId) && seen.add(r.findingId));
        const failedScopes = failedRegions.map((region) => ({ accountId: ACCOUNT, region }));
        const d = diffFindings(prevMap.values(), results, coverageOf(results, failedScopes), RUN);

        const failing = new Set(results.filter((r) => r.status === 'FAIL').map((r) => r.findingId));
        for (const p of prevMap.values()) {
          if (p.status !== 'OPEN') continue;
          const lists = [d.persisting, d.resolved, d.kept].filter((l) => l.some((r) => r.findingId === p.findingId));
          expect(lists).toHaveLength(1);
        }
        for (const r of d.resolved) {
          expect(failedRegions).not.toContain(r.region);
          expect(failing.has(r.findingId)).toBe(false);
        }
        for (const id of failing) expect(d.records.find((r) => r.findingId === id)?.status).toBe('OPEN');
        const all = new Set([...prevMap.keys(), ...failing]);
        expect(d.records.map((r) => r.findingId).sort()).toEqual([...all].sort());
      },
    ));
  });
});
