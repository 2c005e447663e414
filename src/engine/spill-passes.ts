// One account's passes onto a result spill (result-spill.ts), as the scanning thread and a worker thread both write
// them: suppressions applied, in the report's order within the account, and the ids the history needs (passes in a
// scope of the account that was not assessed as a whole).
import type { AccountInventory, Check, Result } from '../model/index.js';
import { buildCoverage, scopeKey } from '../state/diff.js';
import type { Suppression } from './config.js';
import { compareResults } from './result-order.js';
import type { ResultSpill } from './result-spill.js';
import { applySuppressions } from './suppress.js';

export function spillAccountPasses(
  spill: ResultSpill,
  passes: Result[],
  account: AccountInventory,
  o: { checks: readonly Check[]; suppressions?: readonly Suppression[]; now: Date },
): { passedIds: string[] } {
  const passedIds: string[] = [];
  if (passes.length === 0) return { passedIds };
  const skeleton = { accountId: account.accountId, partition: account.partition, regions: account.regions.map((r) => ({ region: r.region, resources: {}, listGaps: r.listGaps })) };
  const coverage = buildCoverage(passes, { accounts: [skeleton] }, { checks: o.checks });
  // In the report's order within the account (the spill reads accounts back in id order): see compareResults.
  for (const r of applySuppressions(passes, [...(o.suppressions ?? [])], o.now).results.sort(compareResults)) {
    spill.add(r, account.accountId);
    if (!coverage.assessed.has(scopeKey(r.checkId, r.accountId, r.region))) {
      spill.passedIds.add(r.findingId);
      passedIds.push(r.findingId);
    }
  }
  return { passedIds };
}
