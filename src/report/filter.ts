// --only-new and --status: one view of a report that every format renders. The summary keeps the run's full counts
// (a CI page says "3 new of 41 failing"); only the listed results are filtered.
import { resultSet, withResults, type AuditReport, type Result, type Status } from '../model/index.js';

export interface ResultFilter {
  /** Only failures first seen (or reopened) this run; resolved findings are not listed. */
  onlyNew?: boolean;
  /** Only results of these statuses. */
  status?: readonly Status[];
}

export function isFiltered(f: ResultFilter): boolean {
  return Boolean(f.onlyNew) || (f.status !== undefined && f.status.length > 0);
}

export function keeps(r: Pick<Result, 'status' | 'history'>, f: ResultFilter): boolean {
  if (f.status && f.status.length > 0 && !f.status.includes(r.status)) return false;
  if (f.onlyNew && !(r.status === 'FAIL' && r.history?.state === 'NEW')) return false;
  return true;
}

/** The report as the filter shows it: the same object when nothing is filtered. */
export function filterReport(report: AuditReport, f: ResultFilter): AuditReport {
  if (!isFiltered(f)) return report;
  const results = resultSet(report);
  // The passes a large run keeps on disk: listed only when PASS is asked for (never new).
  const passes = !f.onlyNew && (!f.status || f.status.length === 0 || f.status.includes('PASS'));
  const view = withResults(report, results.held.filter((r) => keeps(r, f)), passes);
  if (f.onlyNew) {
    if (report.resolved !== undefined) view.resolved = [];
  } else if (f.status && !f.status.includes('FAIL') && report.resolved !== undefined) view.resolved = [];
  return view;
}
