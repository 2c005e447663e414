// Run health: which accounts and regions a run assessed, and whether the run counts as a success. The finish stage
// (finish-run.ts) assesses every run; the scheduled scan publishes it as metrics (src/lambda/run-health.ts).
import type { CollectionError, ListGap } from '../model/index.js';

/** What the finish stage knows of one account: its evaluation's outcome, when that completed. */
export interface AccountOutcome {
  regions: { region: string; listGaps: ListGap[] }[];
  errors: CollectionError[];
}

export interface RunHealth {
  /** FAILED when the run planned accounts and assessed none of them (every role denied, every scan failed). */
  status: 'SUCCEEDED' | 'FAILED';
  accountsAssessed: string[];
  accountsNotAssessed: string[];
  /** Account-regions whose scan did not complete (ScanIncomplete), or whose every list call failed. */
  regionsNotAssessed: { accountId: string; region: string }[];
}

/**
 * An account is assessed when its evaluate step completed, evaluated something (no NothingAssessed) and at least one of
 * its regions was scanned. Accounts whose role could not be assumed have no scanned region.
 */
export function assessRun(planned: readonly string[], done: ReadonlyMap<string, AccountOutcome>): RunHealth {
  const assessed: string[] = [];
  const notAssessed: string[] = [];
  const regionsNotAssessed: RunHealth['regionsNotAssessed'] = [];
  for (const accountId of planned) {
    const a = done.get(accountId);
    if (!a) {
      notAssessed.push(accountId);
      continue;
    }
    const incomplete = new Set(a.errors.filter((e) => e.code === 'ScanIncomplete').map((e) => e.region));
    let scanned = 0;
    for (const r of a.regions) {
      if (r.region === 'global') continue;
      // A region whose scan never completed is listed with every regional kind as a gap (ScanIncomplete).
      const failed = incomplete.has(r.region) || (r.listGaps.length > 0 && r.listGaps.every((g) => g.code === 'ScanIncomplete'));
      // A region with some kinds unlisted (one denied service) was still assessed: its checks say what was not.
      if (failed) regionsNotAssessed.push({ accountId, region: r.region });
      else scanned++;
    }
    const nothing = a.errors.some((e) => e.code === 'NothingAssessed');
    (scanned > 0 && !nothing ? assessed : notAssessed).push(accountId);
  }
  return {
    status: planned.length > 0 && assessed.length === 0 ? 'FAILED' : 'SUCCEEDED',
    accountsAssessed: assessed,
    accountsNotAssessed: notAssessed,
    regionsNotAssessed,
  };
}
