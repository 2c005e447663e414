// Run health of the scheduled scan: which accounts and regions a run assessed, whether the run counts as a success,
// and the metrics finalize publishes in CloudWatch embedded metric format (EMF: one JSON log line that CloudWatch
// Logs turns into metrics, no PutMetricData call and no permission). The auditor stack's health alarms read them:
// no successful run in 26 hours (missing data breaching), any account not assessed (deploy/lib/auditor-stack.ts).
import type { CollectionError, ListGap } from '../model/index.js';

export const HEALTH_NAMESPACE = 'LensAudit';
/** Metric names (dimension `Stack`: the auditor stack's name). */
export const HEALTH_METRICS = {
  runSucceeded: 'RunSucceeded',
  accountsAssessed: 'AccountsAssessed',
  accountsNotAssessed: 'AccountsNotAssessed',
  regionsNotAssessed: 'RegionsNotAssessed',
  findingsNew: 'FindingsNew',
  findingsResolved: 'FindingsResolved',
  findingsOpen: 'FindingsOpen',
  runDuration: 'RunDurationSeconds',
} as const;

/** What finalize knows of one account: its evaluate step's partial, when that step completed. */
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

export interface HealthFigures {
  runId: string;
  stack: string;
  health: RunHealth;
  findings: { new: number; resolved: number; open: number };
  durationMs: number;
  now: Date;
}

/** The EMF log line: `_aws` names the namespace, dimension and metrics; the values are top-level fields. */
export function healthMetricsLine(f: HealthFigures): string {
  const m = HEALTH_METRICS;
  const values: [string, number, string][] = [
    [m.runSucceeded, f.health.status === 'SUCCEEDED' ? 1 : 0, 'Count'],
    [m.accountsAssessed, f.health.accountsAssessed.length, 'Count'],
    [m.accountsNotAssessed, f.health.accountsNotAssessed.length, 'Count'],
    [m.regionsNotAssessed, f.health.regionsNotAssessed.length, 'Count'],
    [m.findingsNew, f.findings.new, 'Count'],
    [m.findingsResolved, f.findings.resolved, 'Count'],
    [m.findingsOpen, f.findings.open, 'Count'],
    [m.runDuration, Math.round(f.durationMs / 1000), 'Seconds'],
  ];
  return JSON.stringify({
    _aws: {
      Timestamp: f.now.getTime(),
      CloudWatchMetrics: [{ Namespace: HEALTH_NAMESPACE, Dimensions: [['Stack']], Metrics: values.map(([Name, , Unit]) => ({ Name, Unit })) }],
    },
    Stack: f.stack,
    msg: 'run health',
    runId: f.runId,
    status: f.health.status,
    ...Object.fromEntries(values.map(([name, v]) => [name, v])),
  });
}
