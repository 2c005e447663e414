// The run's output (design.md "JSON output", schemaVersion 1): what the engine produces and every renderer and sink
// reads. Types and pure helpers only.
import type { CollectionError } from './inventory.js';
import type { Result } from './result.js';
import { SEVERITIES, type Severity } from './taxonomy.js';

export const REPORT_SCHEMA_VERSION = 1;

/**
 * A finding that was open before this run and is not any more. The history's FindingRecord fits; the JSON report's
 * `resolved` entries carry the fields below except `suppressed`.
 */
export interface ResolvedFinding {
  findingId: string;
  checkId: string;
  title: string;
  severity: Severity;
  accountId: string;
  region: string;
  resourceName: string;
  resourceArn: string;
  resourceKind?: string;
  firstSeen?: string;
  resolvedAt?: string;
  /** Suppressed when last seen (the history keeps it; the Slack digest does not list it). */
  suppressed?: boolean;
}

/** One earlier run (or this one) in the trend: the history's open findings after it, by severity. */
export interface TrendPoint {
  runId: string;
  finishedAt: string;
  openBySeverity: Record<Severity, number>;
}

export interface AuditSummary {
  pass: number;
  fail: number;
  notAssessed: number;
  suppressed: number;
  /** Unsuppressed FAIL results by severity. */
  bySeverity: Record<Severity, number>;
  new: number;
  resolved: number;
}

/** Passes of a large run kept on disk (engine/result-spill.ts implements it). */
export interface SpilledPasses {
  readonly count: number;
  /** The file they are in. */
  readonly path: string;
  read(): Iterable<Result>;
  dispose(): void;
}

export interface AuditReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: string; version: string };
  runId: string;
  startedAt: string;
  finishedAt: string;
  scope: { accounts: string[]; regions: string[] };
  /** Display names of the scope's accounts, id → name (the Organizations name, else the account alias); when known. */
  accountNames?: Record<string, string>;
  summary: AuditSummary;
  /** The results held in memory (the JSON report's `results` has every one: resultSet(report) reads them all). */
  results: Result[];
  /**
   * A large run's passes, on disk (not enumerable: never written as a field). When present, `results` holds the
   * failures and not-assessed results only. Read both through resultSet(report), never this field or `results` alone.
   */
  passSpill?: SpilledPasses;
  /** Findings of earlier runs that this run found fixed (only with a state store). */
  resolved?: ResolvedFinding[];
  /** The checks that did not run, and why (`opt-in`, `needs --metrics`, `below --severity`, `disabled by config`, `not selected`). */
  skipped?: { checkId: string; reason: string }[];
  /** Open findings by severity after each of the last runs of the history, oldest first (only with a state store). */
  trend?: TrendPoint[];
  errors: CollectionError[];
  stats: {
    durationMs: number;
    apiCalls: Record<string, number>;
    apiCallsTotal?: number;
    throttled?: number;
    accountsAssessed?: number;
    regionsAssessed?: number;
    /** Live scans: the most accounts scanned at once (adaptive admission, or --account-concurrency). */
    accountsAtOnce?: number;
  };
}

export function summarise(results: Iterable<Result>, resolvedCount = 0): AuditSummary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const s: AuditSummary = { pass: 0, fail: 0, notAssessed: 0, suppressed: 0, bySeverity, new: 0, resolved: resolvedCount };
  for (const r of results) {
    if (r.status === 'PASS') s.pass++;
    else if (r.status === 'NOT_ASSESSED') s.notAssessed++;
    else if (r.suppressed) s.suppressed++;
    else {
      s.fail++;
      bySeverity[r.severity]++;
      if (r.history?.state === 'NEW') s.new++;
    }
  }
  return s;
}

/**
 * The results of a run, as every renderer, sink and entry point reads them (`resultSet(report)`): in memory, or, in a
 * large run, the failures and not-assessed results in memory and the passes on disk. Iterating it yields every result
 * in the report's order — those held, then the passes on disk in the order they were written — each time anew.
 */
export interface ResultSet extends Iterable<Result> {
  /** How many results there are, the passes on disk included. */
  readonly size: number;
  /**
   * The results in memory, in the report's order: every failure and not-assessed result always, and the passes too
   * unless they went to disk.
   */
  readonly held: readonly Result[];
  /** How many passes are on disk (0 unless a large run kept them there). */
  readonly spilledPasses: number;
  /** Removes the passes on disk (nothing to do when there are none); reading them afterwards is an error. */
  dispose(): void;
}

/** The report's results as one set: what it holds, and the passes a large run kept on disk (`passSpill`). */
export function resultSet(report: Pick<AuditReport, 'results' | 'passSpill'>): ResultSet {
  const held = report.results;
  const spill = report.passSpill;
  return {
    size: held.length + (spill?.count ?? 0),
    held,
    spilledPasses: spill?.count ?? 0,
    *[Symbol.iterator]() {
      yield* held;
      if (spill) yield* spill.read();
    },
    dispose: () => spill?.dispose(),
  };
}

/**
 * A view of the report with other results (--only-new, --status: filter.ts): `held` in place of the results it holds,
 * and its passes on disk still in the set when `spilledPasses` is true. The report itself is left as it is.
 */
export function withResults(report: AuditReport, held: Result[], spilledPasses: boolean): AuditReport {
  const view: AuditReport = { ...report, results: held };
  if (spilledPasses && report.passSpill) Object.defineProperty(view, 'passSpill', { value: report.passSpill, enumerable: false });
  return view;
}

/** How many results a report has, the passes a large run kept on disk included (the model and engine; elsewhere resultSet). */
export function resultCount(report: Pick<AuditReport, 'results' | 'passSpill'>): number {
  return resultSet(report).size;
}

/** Every result of a report: those it holds, then the passes on disk (the model and engine; elsewhere resultSet). */
export function* allResults(report: Pick<AuditReport, 'results' | 'passSpill'>): Generator<Result> {
  yield* resultSet(report);
}

/** The pieces of a run's report, as the CLI's engine and the nightly finalize step have them. */
export interface ReportParts {
  tool: { name: string; version: string };
  runId: string;
  startedAt: Date;
  finishedAt: Date;
  scope: { accounts: string[]; regions: string[] };
  accountNames?: Record<string, string>;
  summary: AuditSummary;
  results: Result[];
  resolved?: ResolvedFinding[];
  skipped?: readonly { checkId: string; reason: string }[];
  trend?: TrendPoint[];
  errors: CollectionError[];
  /** apiCallsTotal defaults to the sum of apiCalls; durationMs is finishedAt - startedAt. */
  stats: Omit<AuditReport['stats'], 'durationMs' | 'apiCallsTotal'> & { apiCallsTotal?: number };
  passSpill?: SpilledPasses;
}

/** The one way a report is made (schemaVersion 1): the same fields in the same order from every entry point. */
export function buildReport(p: ReportParts): AuditReport {
  const { apiCallsTotal, ...stats } = p.stats;
  const report: AuditReport = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: p.tool.name, version: p.tool.version },
    runId: p.runId,
    startedAt: p.startedAt.toISOString(),
    finishedAt: p.finishedAt.toISOString(),
    scope: p.scope,
    ...(p.accountNames && Object.keys(p.accountNames).length > 0 ? { accountNames: p.accountNames } : {}),
    summary: p.summary,
    results: p.results,
    ...(p.resolved ? { resolved: p.resolved } : {}),
    skipped: (p.skipped ?? []).map((s) => ({ checkId: s.checkId, reason: s.reason })),
    ...(p.trend && p.trend.length > 0 ? { trend: p.trend } : {}),
    errors: p.errors,
    stats: {
      durationMs: p.finishedAt.getTime() - p.startedAt.getTime(),
      ...stats,
      apiCallsTotal: apiCallsTotal ?? Object.values(stats.apiCalls).reduce((a, b) => a + b, 0),
    },
  };
  // Not enumerable: the report's JSON is written with the spilled passes in `results` (renderJsonChunks), never as a field.
  if (p.passSpill) Object.defineProperty(report, 'passSpill', { value: p.passSpill, enumerable: false });
  return report;
}
