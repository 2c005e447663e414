// Stage 4 of a run split over invocations (the scheduled scan, src/lambda/handlers.ts): finish the run from its
// evaluated accounts. Their results and errors are merged in the planned order (an account whose evaluation did not
// complete is an AccountIncomplete error: its findings are kept unchanged), the history is applied through the CLI's
// hook (storeHistory: only what this run assessed can resolve; the failed scopes come from the lens-audit errors,
// list gaps from the skeleton inventory), then the summary, the run's health and, when asked, the run's report. What
// is delivered (engine/deliver.ts) is the caller's next step.
import type { AuditReport, AuditSummary, Check, CollectionError, AccountInventory, Result, TrendPoint } from '../model/index.js';
import { buildReport, summarise } from '../model/index.js';
import type { FindingDiff, StateStore } from '../state/index.js';
import type { EvaluatedAccount } from './account-stage.js';
import type { Suppression } from './config.js';
import { storeHistory } from './history.js';
import { assessRun, type RunHealth } from './run-health.js';
import type { SkippedCheck } from './select.js';

export interface FinishRunInput {
  runId: string;
  /** The run's `now` (its start): history timestamps, suppression expiry, the report's startedAt. */
  now: Date;
  /** The accounts the run planned, in order. */
  accounts: readonly string[];
  /** Each account whose evaluation completed. */
  evaluated: ReadonlyMap<string, EvaluatedAccount>;
  /** The findings history (the caller opens and closes it). */
  store: StateStore;
  /** The checks that ran: a check that did not run resolves nothing. */
  checks: readonly Check[];
  /** Build the run's report (for the report bucket): the report's errors are those of the run so far. */
  report?: {
    tool: { name: string; version: string };
    skipped: readonly SkippedCheck[];
    /** The accounts' names in Organizations; else an account is named by its alias. */
    names?: Record<string, string>;
  };
}

export interface FinishedRun {
  /** Every result of the run, annotated by the history (first seen, ...). */
  results: Result[];
  /** The run's errors: the accounts', then one AccountIncomplete per account not evaluated. Open for what follows. */
  errors: CollectionError[];
  scope: { accounts: string[]; regions: string[] };
  /** Planned accounts whose evaluation did not complete. */
  accountsIncomplete: string[];
  /** The suppressions found expired, once each. */
  expiredSuppressions: Suppression[];
  health: RunHealth;
  diff: FindingDiff;
  summary: AuditSummary;
  trend?: TrendPoint[];
  report?: AuditReport;
}

/** Merges the evaluated accounts, applies the history, summarises and (when asked) builds the run's report. */
export async function finishRun(input: FinishRunInput): Promise<FinishedRun> {
  const { runId, now, accounts, evaluated: done } = input;
  const results: Result[] = [];
  const errors: CollectionError[] = [];
  const skeleton: { accounts: AccountInventory[] } = { accounts: [] };
  const regions = new Set<string>();
  const incomplete: string[] = [];
  const expired = new Map<string, Suppression>();
  for (const accountId of accounts) {
    const a = done.get(accountId);
    if (!a) {
      incomplete.push(accountId);
      errors.push({ accountId, region: 'global', service: 'lens-audit', operation: 'evaluate', code: 'AccountIncomplete', message: `the scan of account ${accountId} did not complete (see execution ${runId}): its findings are kept unchanged` });
      continue;
    }
    results.push(...a.results);
    errors.push(...a.errors);
    skeleton.accounts.push({ accountId, partition: a.partition, regions: a.regions.map((r) => ({ region: r.region, resources: {}, listGaps: r.listGaps })) });
    for (const r of a.regions) if (r.region !== 'global') regions.add(r.region);
    for (const s of a.expiredSuppressions) expired.set(JSON.stringify(s), s);
  }
  const scope = { accounts: [...accounts], regions: [...regions].sort() };
  const health = assessRun(accounts, done);

  // History, through the CLI's hook: only what this run assessed can resolve (the failed scopes come from the
  // lens-audit errors above — ScanIncomplete, AccountIncomplete, ... — and list gaps come from the skeleton).
  const history = await storeHistory(input.store).apply({
    runId, results, errors, scope, checks: input.checks, now, startedAt: now, skeleton,
  });
  const diff = history.diff!;
  const annotated = history.results;
  const summary = summarise(annotated, diff.resolved.length);

  // The run's report, as the CLI's: its errors are those of the run so far.
  let report: AuditReport | undefined;
  if (input.report) {
    const apiCalls: Record<string, number> = {};
    for (const a of done.values()) for (const [k, n] of Object.entries(a.apiCalls)) apiCalls[k] = (apiCalls[k] ?? 0) + n;
    report = buildReport({
      tool: input.report.tool, runId, startedAt: now, finishedAt: new Date(), scope,
      // The Organizations name, else the alias (as the CLI's report names them).
      accountNames: { ...Object.fromEntries([...done.values()].filter((a) => a.name).map((a) => [a.accountId, a.name!])), ...input.report.names },
      summary, results: annotated, resolved: diff.resolved, skipped: input.report.skipped,
      ...(history.trend ? { trend: history.trend } : {}),
      errors: [...errors],
      stats: { apiCalls, accountsAssessed: health.accountsAssessed.length },
    });
  }

  return {
    results: annotated, errors, scope, accountsIncomplete: incomplete, expiredSuppressions: [...expired.values()], health, diff, summary,
    ...(history.trend ? { trend: history.trend } : {}),
    ...(report ? { report } : {}),
  };
}
