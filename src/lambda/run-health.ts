// Run health of the scheduled scan: the metrics finalize publishes of the run's health (which accounts and regions
// it assessed, whether it counts as a success: assessRun in src/engine/run-health.ts), in CloudWatch embedded metric
// format (EMF: one JSON log line that CloudWatch Logs turns into metrics, no PutMetricData call and no permission).
// The auditor stack's health alarms read them: no successful run in 26 hours (missing data breaching), any account
// not assessed (deploy/lib/auditor-stack.ts).
import type { RunHealth } from '../engine/run-health.js';

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
