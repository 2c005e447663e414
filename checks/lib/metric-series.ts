// Metric series that the metric checks (cost class M) read from a resource's `Metrics` map.
// src/collect/lambda-metrics.ts fills them; test/collect/lambda-metrics.test.ts keeps both sides in step.
import type { MetricSeries } from '../../src/model/index.js';

/** Series names by resource kind. Daily series are Period 86400 over the last 14 days, aligned to UTC midnight. */
export const SERIES = {
  lambda: {
    /** AWS/Lambda Invocations, Sum per day. */
    invocations: 'Invocations',
    /** AWS/Lambda Errors, Sum per day. */
    errors: 'Errors',
    /** AWS/Lambda Duration, Maximum per day (ms). */
    durationMax: 'DurationMax',
    /** AWS/Lambda Duration, p99 over the whole 14 days (one point, ms). */
    durationP99: 'DurationP99',
  },
  dynamodb: {
    /** AWS/DynamoDB ReadThrottleEvents / WriteThrottleEvents (TableName), Sum per day. */
    readThrottles: 'ReadThrottleEvents',
    writeThrottles: 'WriteThrottleEvents',
    /** The same for a global secondary index (TableName, GlobalSecondaryIndexName). */
    gsiReadThrottles: (index: string) => `GSI:${index}:ReadThrottleEvents`,
    gsiWriteThrottles: (index: string) => `GSI:${index}:WriteThrottleEvents`,
    /** Consumed{Read,Write}CapacityUnits: per day, the highest 5-minute Sum ÷ 300 (units per second). PROVISIONED tables only. */
    readPeak: 'ConsumedReadCapacityPeak',
    writePeak: 'ConsumedWriteCapacityPeak',
  },
  kinesis: {
    /** AWS/Kinesis (StreamName), Sum per day. PROVISIONED streams only. */
    writeExceeded: 'WriteProvisionedThroughputExceeded',
    readExceeded: 'ReadProvisionedThroughputExceeded',
  },
} as const;

export const METRICS_NOT_COLLECTED = 'metric series were not collected (run with --metrics)';

/** The named series, or the reason they cannot be used. */
export function seriesOf(
  metrics: Record<string, MetricSeries> | undefined,
  names: readonly string[],
): { ok: true; series: Record<string, MetricSeries> } | { ok: false; reason: string } {
  if (!metrics) return { ok: false, reason: METRICS_NOT_COLLECTED };
  const missing = names.filter((n) => !metrics[n]);
  if (missing.length > 0) return { ok: false, reason: `metric series ${missing.join(', ')} not collected` };
  return { ok: true, series: Object.fromEntries(names.map((n) => [n, metrics[n]!])) };
}

/** Points of `s` whose bucket starts within the `days` before `now`, as [ISO day, value]. */
export function lastDays(s: MetricSeries, now: Date, days: number): [string, number][] {
  const from = now.getTime() - days * 86_400_000;
  const out: [string, number][] = [];
  s.Timestamps.forEach((t, i) => {
    if (Date.parse(t) >= from && Date.parse(t) <= now.getTime()) out.push([t.slice(0, 10), s.Values[i] ?? 0]);
  });
  return out;
}

export function total(s: MetricSeries, now: Date, days: number): number {
  return lastDays(s, now, days).reduce((a, [, v]) => a + v, 0);
}

/** Value by ISO day (a missing day means no datapoint: for counts, zero). */
export function byDay(s: MetricSeries, now: Date, days: number): Map<string, number> {
  return new Map(lastDays(s, now, days));
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** For examples and tests: a daily series whose last point is the day before `end` (the examples' evaluation day). */
export function dailySeries(values: number[], stat = 'Sum', end = '2026-06-01T00:00:00Z'): MetricSeries {
  const endMs = Date.parse(end);
  return {
    Timestamps: values.map((_, i) => new Date(endMs - (values.length - i) * 86_400_000).toISOString()),
    Values: values,
    Period: 86_400,
    Stat: stat,
  };
}
