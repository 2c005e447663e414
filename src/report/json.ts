// The JSON report (design.md "JSON output", schemaVersion 1).
import { resultSet, type AuditReport } from '../model/index.js';
import { jsonChunks, LazyArray } from './json-stream.js';

export function renderJson(report: AuditReport): string {
  return [...renderJsonChunks(report)].join('');
}

/**
 * The report's JSON one result at a time: the JSON of an organization-wide scan (a million and more results) is longer
 * than the longest string V8 can make.
 */
export function* renderJsonChunks(report: AuditReport): Generator<string> {
  // A large run: its passes follow the failures and not-assessed results, read back from disk one at a time.
  const results = resultSet(report);
  yield* jsonChunks(results.spilledPasses > 0 ? { ...report, results: new LazyArray(() => results) } : report, 2, 2);
  yield '\n';
}
