// The JSON report (design.md "JSON output", schemaVersion 1).
import type { CollectionError, Result, Severity } from '../model/index.js';
import { SEVERITIES } from '../model/index.js';
import type { ResultSpill } from '../engine/result-spill.js';
import { jsonChunks, LazyArray } from './json-stream.js';

export const REPORT_SCHEMA_VERSION = 1;

export interface ResolvedFinding {
  findingId: string;
  checkId: string;
  title: string;
  severity: string;
  accountId: string;
  region: string;
  resourceName: string;
  resourceArn: string;
  resourceKind?: string;
  firstSeen?: string;
  resolvedAt?: string;
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

export interface AuditReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: string; version: string };
  runId: string;
  startedAt: string;
  finishedAt: string;
  scope: { accounts: string[]; regions: string[] };
  summary: AuditSummary;
  results: Result[];
  /**
   * A large run's passes, on disk (not enumerable: never written as a field). When present, `results` holds the
   * failures and not-assessed results only; allResults() and the JSON and CSV writers add the passes.
   */
  passSpill?: ResultSpill;
  /** Findings of earlier runs that this run found fixed (only with a state store). */
  resolved?: ResolvedFinding[];
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

export function summarise(results: Result[], resolvedCount = 0): AuditSummary {
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

export function renderJson(report: AuditReport): string {
  return [...renderJsonChunks(report)].join('');
}

/**
 * The report's JSON one result at a time: the JSON of an organization-wide scan (a million and more results) is longer
 * than the longest string V8 can make.
 */
export function* renderJsonChunks(report: AuditReport): Generator<string> {
  // A large run: its passes follow the failures and not-assessed results, read back from disk one at a time.
  yield* jsonChunks(report.passSpill ? { ...report, results: new LazyArray(() => allResults(report)) } : report, 2, 2);
  yield '\n';
}

/** How many results a report has, the passes a large run kept on disk included. */
export function resultCount(report: Pick<AuditReport, 'results' | 'passSpill'>): number {
  return report.results.length + (report.passSpill?.count ?? 0);
}

/** Every result of a report: those it holds, then the passes a large run kept on disk. */
export function* allResults(report: Pick<AuditReport, 'results' | 'passSpill'>): Generator<Result> {
  yield* report.results;
  if (report.passSpill) yield* report.passSpill.read();
}
