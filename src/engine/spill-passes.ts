// One account's passes onto a result spill (result-spill.ts), as the scanning thread and a worker thread both write
// them: in the report's order within the account, with the ids the history needs (passes in a scope of the account
// that was not assessed as a whole). Suppressions apply to failures only, so passes go as they are.
import { skeletonOf, type AccountInventory, type Check, type Result } from '../model/index.js';
import { buildCoverage, scopeKey } from '../state/diff.js';
import { sortResults } from './result-order.js';
import type { ResultSpill } from './result-spill.js';

export function spillAccountPasses(
  spill: ResultSpill,
  passes: Result[],
  account: AccountInventory,
  o: { checks: readonly Check[] },
): { passedIds: string[] } {
  const passedIds: string[] = [];
  if (passes.length === 0) return { passedIds };
  const coverage = buildCoverage(passes, { accounts: [skeletonOf(account)] }, { checks: o.checks });
  // In the report's order within the account (the spill reads accounts back in id order): see compareResults.
  for (const r of sortResults(passes)) {
    spill.add(r, account.accountId);
    if (!coverage.assessed.has(scopeKey(r.checkId, r.accountId, r.region))) {
      spill.passedIds.add(r.findingId);
      passedIds.push(r.findingId);
    }
  }
  return { passedIds };
}
