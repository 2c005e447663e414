// The state-store hook of runAudit: load the previous history of the run's accounts, diff, save, annotate results.
import type { CollectionError, Inventory, TrendPoint } from '../model/index.js';
import { RECENT_RUNS, buildCoverage, diffFindings, runRecord, withHistoryLock, type FindingDiff, type StateStore } from '../state/index.js';
import type { HistoryHook } from './run-audit.js';

/**
 * Account/region pairs that lost more than one kind of resource: a whole account whose collection crashed
 * (region `*`). List gaps of single kinds are handled precisely by the coverage; this is the coarse net under it.
 */
export function failedScopes(errors: readonly CollectionError[]): { accountId: string; region: string }[] {
  return errors.filter((e) => e.service === 'lens-audit').map((e) => ({ accountId: e.accountId, region: e.region === 'global' ? '*' : e.region }));
}

/** Runs the report's trend shows (this one included), when the store keeps its recent runs. */
export const TREND_RUNS = 20;

export function storeHistory(store: StateStore): HistoryHook & { lastDiff?: FindingDiff } {
  const hook: HistoryHook & { lastDiff?: FindingDiff } = {
    async regionsBefore(accountIds) {
      // The regions of the account's findings the history keeps (open and resolved, for the retention): where
      // earlier runs found something to judge.
      const regions = new Map<string, Set<string>>();
      for (const r of await store.load({ accountIds, runId: '', now: new Date() })) {
        if (r.region === 'global') continue;
        let set = regions.get(r.accountId);
        if (!set) regions.set(r.accountId, (set = new Set()));
        set.add(r.region);
      }
      return new Map([...regions].map(([a, set]) => [a, [...set].sort()]));
    },
    async apply({ runId, results, errors, scope, checks, now, skeleton, startedAt, passedIds, missingRegions }) {
      // Load → save holding the store's lock: a concurrent run on the same history waits, then sees this one's save.
      let trend: TrendPoint[] | undefined;
      const diff = await withHistoryLock(store, runId, async () => {
        const previous = await store.load({ accountIds: scope.accounts, runId, now });
        const failed = failedScopes(errors);
        const coverage = buildCoverage(results, skeleton as Pick<Inventory, 'accounts'>, {
          checks, failedScopes: failed, ...(missingRegions ? { incompleteAccounts: new Set(missingRegions.keys()) } : {}),
        });
        const d = diffFindings(previous, results, coverage, { runId, now, ...(passedIds ? { passedIds } : {}) });
        await store.save(d, runRecord(d, { runId, startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), accounts: scope.accounts, regions: scope.regions, failedScopes: failed }));
        // The trend: the last runs of this history, this one last. Left out: runs saved before openBySeverity existed,
        // and runs of other accounts only (two scans sharing one state file), whose counts are of something else.
        if (store.recentRuns) {
          const mine = new Set(scope.accounts);
          trend = (await store.recentRuns(RECENT_RUNS))
            .filter((r) => r.openBySeverity && (!r.accounts || r.accounts.some((a) => mine.has(a))))
            .slice(-TREND_RUNS)
            .map((r) => ({ runId: r.runId, finishedAt: r.finishedAt, openBySeverity: r.openBySeverity! }));
        }
        return d;
      });
      hook.lastDiff = diff;
      return {
        results: diff.results,
        resolved: diff.resolved.map((r) => ({
          findingId: r.findingId, checkId: r.checkId, title: r.title, severity: r.severity, accountId: r.accountId, region: r.region,
          resourceName: r.resourceName, resourceArn: r.resourceArn, resourceKind: r.resourceKind, firstSeen: r.firstSeen, ...(r.resolvedAt ? { resolvedAt: r.resolvedAt } : {}),
        })),
        diff,
        ...(trend && trend.length > 0 ? { trend } : {}),
      };
    },
  };
  return hook;
}
