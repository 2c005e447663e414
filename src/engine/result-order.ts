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
