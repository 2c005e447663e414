// The report's order of results (one home): FAIL first, by severity, then check, account, region, resource. A large
// run's spill (result-spill.ts) keeps passes account by account in this order and reads them back in it.
import type { Result } from '../model/index.js';

const STATUS_ORDER = { FAIL: 0, NOT_ASSESSED: 1, PASS: 2 } as const;
const SEV_ORDER = { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3, INFORMATIONAL: 4 } as const;

/** Stable order: FAIL first, by severity, then check, account, region, resource. */
export function compareResults(a: Result, b: Result): number {
  return (
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    // Passes account by account first: a large run keeps them on disk per account (result-spill.ts) and reads them
    // back in this same order, so its reports equal those of a run held in memory.
    (a.status === 'PASS' ? (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0) : 0) ||
    SEV_ORDER[a.severity] - SEV_ORDER[b.severity] ||
    a.checkId.localeCompare(b.checkId) ||
    a.accountId.localeCompare(b.accountId) ||
    a.region.localeCompare(b.region) ||
    a.resourceArn.localeCompare(b.resourceArn) ||
    a.findingId.localeCompare(b.findingId)
  );
}

/**
 * Sorts `results` in place into compareResults' order, and returns them. The same order, reached without a string
 * collation per comparison: each field's distinct values are collated once (localeCompare, as compareResults does),
 * and the results are then sorted by those ranks — a large run holds half a million results, and localeCompare on
 * every comparison took seconds of the scanning thread at the end of the run. Ties keep their order (a stable sort,
 * as Array.prototype.sort is).
 */
export function sortResults(results: Result[]): Result[] {
  const n = results.length;
  if (n < 2) return results;
  const check = collationRanks(results, (r) => r.checkId);
  const account = collationRanks(results, (r) => r.accountId);
  const region = collationRanks(results, (r) => r.region);
  const arn = collationRanks(results, (r) => r.resourceArn);
  // Passes account by account, by code unit (compareResults' `<`); 0 for the other statuses.
  const passAccount = new Map<string, number>();
  for (const r of results) if (r.status === 'PASS') passAccount.set(r.accountId, 0);
  [...passAccount.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).forEach((a, i) => passAccount.set(a, i));
  // Two numbers per result, each field's rank packed into them in the order compareResults compares (every product
  // stays far below 2^53: accounts × regions × resources).
  const P = passAccount.size + 1;
  const C = check.size + 1;
  const R = region.size + 1;
  const A = arn.size + 1;
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = results[i]!;
    high[i] = ((STATUS_ORDER[r.status] * P + (r.status === 'PASS' ? passAccount.get(r.accountId)! : 0)) * 5 + SEV_ORDER[r.severity]) * C + check.get(r.checkId)!;
    low[i] = (account.get(r.accountId)! * R + region.get(r.region)!) * A + arn.get(r.resourceArn)!;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => high[a]! - high[b]! || low[a]! - low[b]! || results[a]!.findingId.localeCompare(results[b]!.findingId));
  // The order's slots become the results themselves, then go back in place.
  const sorted = order as unknown as Result[];
  for (let i = 0; i < n; i++) sorted[i] = results[order[i]!]!;
  for (let i = 0; i < n; i++) results[i] = sorted[i]!;
  return results;
}

/** Each distinct value of `pick` → its rank in localeCompare's order; values it holds equal share a rank. */
function collationRanks(results: readonly Result[], pick: (r: Result) => string): Map<string, number> {
  // One map, first of the distinct values, then of their ranks: no intermediate list or set of half a million values.
  const ranks = new Map<string, number>();
  for (const r of results) {
    const v = pick(r);
    if (!ranks.has(v)) ranks.set(v, 0);
  }
  const distinct = [...ranks.keys()].sort((a, b) => a.localeCompare(b));
  let rank = 0;
  for (let i = 0; i < distinct.length; i++) {
    if (i > 0 && distinct[i - 1]!.localeCompare(distinct[i]!) !== 0) rank++;
    ranks.set(distinct[i]!, rank);
  }
  return ranks;
}
