// New / persisting / resolved: a pure diff of the previous history against this run's results.
//
// Decisions (documented in the README through the lead):
// - Only FAIL results are findings. PASS and NOT_ASSESSED never open one.
// - A suppressed FAIL is still a finding: it is tracked like any other (flag `suppressed`), so lifting or expiring a
//   suppression does not produce a false NEW with a reset firstSeen. Consumers (summary counts, Slack) decide whether
//   to show suppressed ones; Security Hub receives them with Compliance WARNING.
// - A finding is resolved only where this run assessed it: its (checkId, accountId, region) is in coverage.assessed,
//   the account/region is not a failed scope, and neither its resource nor any resource it lies under has a
//   NOT_ASSESSED result of that check (`…/restapis/abc` not assessed keeps `…/restapis/abc/resources/x/methods/GET`,
//   `…:function:f` keeps `…:function:f:live`; see underNotAssessed). A PASS of the very same finding id also counts
//   as assessed (it is direct evidence), except in a failed scope.
// - A resolved finding that fails again is NEW again (it needs attention again) but keeps its original firstSeen;
//   `reopenedAt` records when it came back. After the retention (default 90 days) a resolved finding is forgotten and
//   a later FAIL starts a fresh history.
import type { Inventory, Kind, Result } from '../model/index.js';
import type { FindingDiff, FindingRecord } from './store.js';

export interface Coverage {
  /** `scopeKey(checkId, accountId, region)` of every check/account/region this run assessed without a list gap. */
  assessed: ReadonlySet<string>;
  /** Account/region pairs that lost a whole service: nothing is resolved there. Region `*` = the whole account. */
  failedScopes: readonly { accountId: string; region: string }[];
}

export function scopeKey(checkId: string, accountId: string, region: string): string {
  return `${checkId}|${accountId}|${region}`;
}

function resourceKey(checkId: string, accountId: string, region: string, resourceArn: string): string {
  return `${checkId}|${accountId}|${region}|${resourceArn}`;
}

export interface CoverageOptions {
  /**
   * The checks this run evaluated. With them, a check/account/region of the inventory that produced no result at all
   * (its last resource was deleted) counts as assessed unless its kind has a list gap there, so findings of deleted
   * resources resolve. Without them only check/account/regions that produced results are assessed.
   */
  checks?: readonly { id: string; resourceKind: Kind; resourceKinds?: readonly Kind[]; accountWide?: true }[];
  /**
   * Accounts this run covered fewer regions of than earlier runs: the account-wide checks (`accountWide`) assess
   * nothing there, in any region, so none of their findings in those accounts resolve (a PASS of the very same
   * finding still does: it did not depend on the missing regions).
   */
  incompleteAccounts?: ReadonlySet<string>;
  /** Account/region pairs from the run's errors that lost a whole service (region `*`: the whole account). */
  failedScopes?: readonly { accountId: string; region: string }[];
}

/**
 * What this run assessed: every (checkId, account, region) with results, none of which is the NOT_ASSESSED result
 * the engine emits for a list gap (identified against the inventory's listGaps). A NOT_ASSESSED result of one
 * resource (a field gap) does not remove the triple: diffFindings keeps only that resource's findings.
 */
export function buildCoverage(results: readonly Result[], inventory: Pick<Inventory, 'accounts'>, opts: CoverageOptions = {}): Coverage {
  const gapScopes = new Set<string>();
  for (const account of inventory.accounts) {
    for (const region of account.regions) {
      for (const g of region.listGaps) gapScopes.add(`${account.accountId}|${region.region}|${g.kind}|${g.scopeArn}`);
    }
  }
  const assessed = new Set<string>();
  const blocked = new Set<string>();
  for (const r of results) {
    const key = scopeKey(r.checkId, r.accountId, r.region);
    // A NOT_ASSESSED on an account-level pseudo resource (quota and account checks) stands for the whole
    // check in that account/region: its findings are reported under other ARNs, so nothing of it may resolve.
    const isListGap =
      r.status === 'NOT_ASSESSED' &&
      (gapScopes.has(`${r.accountId}|${r.region}|${r.resourceKind}|${r.resourceArn}`) || r.resourceKind === 'AwsAccountRegion' || r.resourceKind === 'AwsAccount');
    (isListGap ? blocked : assessed).add(key);
  }
  for (const check of opts.checks ?? []) {
    for (const account of inventory.accounts) {
      for (const region of account.regions) {
        const key = scopeKey(check.id, account.accountId, region.region);
        if (region.listGaps.some((g) => g.kind === check.resourceKind || (check.resourceKinds ?? []).includes(g.kind))) blocked.add(key);
        else assessed.add(key);
      }
    }
  }
  if (opts.incompleteAccounts?.size) {
    const accountWide = new Set((opts.checks ?? []).filter((c) => c.accountWide).map((c) => c.id));
    for (const key of assessed) {
      const [checkId = '', accountId = ''] = key.split('|', 2);
      if (accountWide.has(checkId) && opts.incompleteAccounts.has(accountId)) blocked.add(key);
    }
  }
  for (const key of blocked) assessed.delete(key);
  return { assessed, failedScopes: opts.failedScopes ?? [] };
}

function fromResult(r: Result): Omit<FindingRecord, 'status' | 'firstSeen' | 'lastSeen' | 'lastRunId'> {
  return {
    findingId: r.findingId,
    checkId: r.checkId,
    title: r.title,
    severity: r.severity,
    accountId: r.accountId,
    region: r.region,
    resourceArn: r.resourceArn,
    resourceName: r.resourceName,
    resourceKind: r.resourceKind,
    message: r.message,
    ...(r.suppressed ? { suppressed: true } : {}),
  };
}

/**
 * True when `arn` or a resource it lies under (a prefix of it ending before a `/` or `:`) has a NOT_ASSESSED result
 * of the check: a gap on an API protects its method and route findings, a gap on a function its alias findings, a gap
 * on a stream its consumers'. It errs on the side of keeping (a log group `/aws/lambda/a` not assessed also keeps
 * `/aws/lambda/a/b`), never of resolving.
 */
function underNotAssessed(notAssessed: ReadonlySet<string>, checkId: string, accountId: string, region: string, arn: string): boolean {
  if (notAssessed.has(resourceKey(checkId, accountId, region, arn))) return true;
  // An ARN's first five `:` separate partition, service, region and account: no resource ends before the sixth.
  let colons = 0;
  for (let i = 0; i < arn.length; i++) {
    const c = arn[i];
    if (c === ':') colons++;
    if ((c === '/' || c === ':') && colons >= 5 && i > 0 && notAssessed.has(resourceKey(checkId, accountId, region, arn.slice(0, i)))) return true;
  }
  return false;
}

const byId = (a: FindingRecord, b: FindingRecord) => (a.findingId < b.findingId ? -1 : a.findingId > b.findingId ? 1 : 0);

/**
 * Diffs the previous history (open and resolved records of the run's accounts) against this run's results.
 * Pure. Returns the diff plus `results` with `history` set on every FAIL result.
 */
export function diffFindings(
  previous: Iterable<FindingRecord>,
  results: readonly Result[],
  coverage: Coverage,
  run: { runId: string; now: Date; passedIds?: ReadonlySet<string> },
): FindingDiff & { results: Result[] } {
  const now = run.now.toISOString();
  const prev = new Map<string, FindingRecord>();
  for (const p of previous) prev.set(p.findingId, p);

  const failing = new Map<string, Result>();
  // Passes not among `results` (a large run keeps them on disk) that still count: runAudit gives their ids.
  const passed = new Set<string>(run.passedIds ?? []);
  const notAssessed = new Set<string>();
  for (const r of results) {
    if (r.status === 'FAIL') {
      if (!failing.has(r.findingId)) failing.set(r.findingId, r);
    } else if (r.status === 'PASS') passed.add(r.findingId);
    else notAssessed.add(resourceKey(r.checkId, r.accountId, r.region, r.resourceArn));
  }
  const inFailedScope = (accountId: string, region: string) =>
    coverage.failedScopes.some((s) => s.accountId === accountId && (s.region === region || s.region === '*'));

  const diff: FindingDiff = { new: [], persisting: [], resolved: [], kept: [], records: [], changes: [] };
  const history = new Map<string, NonNullable<Result['history']>>();

  for (const [id, r] of failing) {
    const before = prev.get(id);
    let after: FindingRecord;
    if (!before) {
      after = { ...fromResult(r), status: 'OPEN', firstSeen: now, lastSeen: now, lastRunId: run.runId };
      diff.new.push(after);
    } else if (before.status === 'RESOLVED') {
      after = { ...fromResult(r), status: 'OPEN', firstSeen: before.firstSeen, lastSeen: now, reopenedAt: now, lastRunId: run.runId };
      diff.new.push(after);
    } else {
      after = {
        ...fromResult(r), status: 'OPEN', firstSeen: before.firstSeen, lastSeen: now,
        ...(before.reopenedAt ? { reopenedAt: before.reopenedAt } : {}), lastRunId: run.runId,
        // What the sinks have of it, and what they are owed, carries over (a reopened finding starts afresh).
        ...(before.delivery ? { delivery: before.delivery } : {}),
      };
      diff.persisting.push(after);
    }
    history.set(id, { state: before?.status === 'OPEN' ? 'PERSISTING' : 'NEW', firstSeen: after.firstSeen });
    diff.records.push(after);
    diff.changes.push(before ? { before, after } : { after });
  }

  for (const before of prev.values()) {
    if (failing.has(before.findingId)) continue;
    if (before.status === 'RESOLVED') {
      diff.records.push(before);
      continue;
    }
    const assessed =
      !inFailedScope(before.accountId, before.region) &&
      !underNotAssessed(notAssessed, before.checkId, before.accountId, before.region, before.resourceArn) &&
      (passed.has(before.findingId) || coverage.assessed.has(scopeKey(before.checkId, before.accountId, before.region)));
    if (assessed) {
      const { reopenedAt: _reopened, ...rest } = before;
      const after: FindingRecord = { ...rest, status: 'RESOLVED', resolvedAt: now, lastRunId: run.runId };
      diff.resolved.push(after);
      diff.records.push(after);
      diff.changes.push({ before, after });
    } else {
      diff.kept.push(before);
      diff.records.push(before);
    }
  }

  for (const list of [diff.new, diff.persisting, diff.resolved, diff.kept, diff.records]) list.sort(byId);
  diff.changes.sort((a, b) => byId(a.after, b.after));
  const annotated = results.map((r) => (r.status === 'FAIL' && history.has(r.findingId) ? { ...r, history: history.get(r.findingId)! } : r));
  return { ...diff, results: annotated };
}
