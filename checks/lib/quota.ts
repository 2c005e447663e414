// Shared logic of the service-quota checks (checks/quota/, catalogue.md §7.15).
//
// Limit source, in order:
//   1. `applied`: the Service Quotas applied value (GetServiceQuota);
//   2. `service-api`: the limit the service's own API reports (Lambda GetAccountSettings, DynamoDB and Kinesis
//      DescribeLimits, API Gateway GetAccount, IAM GetAccountSummary), where there is one;
//   3. `default`: the AWS default (GetAWSDefaultServiceQuota).
// The service's own figure ranks above the default because it is the account's real limit: a default "does not
// reflect any quota increases", nor the reduced limits of new accounts. A quota none of them gives is NOT_ASSESSED.
//
// Threshold: option `threshold` (percent, default 80). FAIL at or over it; at or over 100% the severity is HIGH.
// Evidence: `usage`, `limit`, `percent`, `quotaCode`, `source`, `threshold`, and `display` = "used / limit (pct)".
//
// Results are reported under an account-region ARN of the quota's service, `arn:PARTITION:SERVICE:REGION:ACCOUNT:account`
// (for Lambda that is the AwsAccountRegion resource's own ARN); IAM quotas under the account, `arn:PARTITION:iam::ACCOUNT:root`.
import type { EvalContext, Evaluation, Gap, MetricSeries } from '../../src/model/index.js';

export type QuotaSource = 'applied' | 'default' | 'service-api';

/** The slice of AwsAccountRegion / AwsAccount the helpers read. */
export interface QuotaHolder {
  arn: string;
  ServiceQuotas?: Record<string, { value: number; source: QuotaSource; quotaName?: string }>;
  gaps?: Record<string, Gap>;
}

export interface Limit {
  value: number;
  source: QuotaSource;
  /** Service Quotas code, or null when the limit exists only in the service's API. */
  quotaCode: string | null;
}

export const METRICS_REQUIRED =
  'this quota is judged from CloudWatch metrics, which are not in this inventory (a scan collects them without --metrics; an inventory saved before it did lacks them)';

/** A gap the collector recorded on one entry of a map field: `ServiceQuotas.lambda/L-B99A9384`, `Metrics.ConcurrentExecutions`. */
export function entryGap(res: { gaps?: Record<string, Gap> }, field: string, key: string): Gap | undefined {
  return res.gaps?.[`${field}.${key}`];
}

export function describe(g: Gap): string {
  return `${g.operation} failed: ${g.code}${g.message ? ` (${g.message})` : ''}`;
}

/**
 * The limit for quota `service/code`, by the order above. `scale` converts a Service Quotas value to the unit of
 * the usage (e.g. GB → bytes); the service API value must already be in that unit.
 */
export function resolveLimit(
  res: QuotaHolder, service: string, code: string | null, serviceApiValue: number | undefined, scale = 1,
): Limit | { reason: string } {
  const entry = code ? res.ServiceQuotas?.[`${service}/${code}`] : undefined;
  if (entry?.source === 'applied') return { value: entry.value * scale, source: 'applied', quotaCode: code };
  if (typeof serviceApiValue === 'number') return { value: serviceApiValue, source: 'service-api', quotaCode: code };
  if (entry) return { value: entry.value * scale, source: entry.source, quotaCode: code };
  const gap = code ? entryGap(res, 'ServiceQuotas', `${service}/${code}`) : undefined;
  const what = code ? `quota ${service}/${code}` : `the ${service} limit`;
  return { reason: gap ? `${what} could not be read: ${describe(gap)}` : `${what} was not collected` };
}

/** `arn:aws:lambda:us-east-1:111122223333:account` → `arn:aws:SERVICE:us-east-1:111122223333:account`. */
export function serviceAccountArn(accountRegionArn: string, service: string): string {
  const parts = accountRegionArn.split(':');
  parts[2] = service;
  return parts.join(':');
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

export function formatGiB(bytes: number): string {
  return `${(bytes / 1024 ** 3).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} GiB`;
}

export interface Measure {
  /** What is measured, for the message: "Lambda concurrent executions (peak over 14 days)". */
  label: string;
  usage: number;
  limit: Limit;
  threshold: number;
  format?: (n: number) => string;
  /** Extra evidence (breakdowns, peak time). */
  evidence?: Record<string, unknown>;
  /** Passed through to the result: sub-key and reporting resource. */
  extra?: Partial<Evaluation>;
}

/** PASS / FAIL / FAIL-HIGH for one usage against one limit. */
export function judge(ctx: EvalContext, m: Measure): Evaluation {
  const fmt = m.format ?? formatCount;
  if (!(m.limit.value > 0)) return ctx.notAssessed(`${m.label}: the limit reads ${m.limit.value} (${m.limit.source}); no percentage can be computed.`, m.extra);
  const percent = (m.usage * 100) / m.limit.value;
  const display = `${fmt(m.usage)} / ${fmt(m.limit.value)} (${percent.toFixed(1)}%)`;
  const evidence = {
    usage: m.usage, limit: m.limit.value, percent: Math.round(percent * 10) / 10, quotaCode: m.limit.quotaCode,
    source: m.limit.source, threshold: m.threshold, display, ...m.evidence,
  };
  const from = m.limit.source === 'applied' ? 'applied quota' : m.limit.source === 'default' ? 'AWS default quota' : 'limit reported by the service';
  // Compared multiplied out, so that exactly at the threshold is not lost to floating point (80 of 100 is 80%).
  if (m.usage >= m.limit.value) {
    return ctx.fail(`${m.label}: ${display} of the ${from}, at or over the quota.`, evidence, { ...m.extra, severity: 'HIGH' });
  }
  if (m.usage * 100 >= m.threshold * m.limit.value) {
    return ctx.fail(`${m.label}: ${display} of the ${from}, at or over the ${m.threshold}% threshold.`, evidence, m.extra);
  }
  return ctx.pass(`${m.label}: ${display} of the ${from}, below the ${m.threshold}% threshold.`, evidence, m.extra);
}

/** The named series from `Metrics`, or why it is missing (a gap on that series, or no --metrics). */
export function metricSeries(res: { Metrics?: Record<string, MetricSeries>; gaps?: Record<string, Gap> }, name: string): MetricSeries | { reason: string } {
  const s = res.Metrics?.[name];
  if (s) return s;
  const gap = entryGap(res, 'Metrics', name);
  return { reason: gap ? `metric ${name} could not be read: ${describe(gap)}` : METRICS_REQUIRED };
}

/** Largest value and when (no datapoints at all means no activity: zero). */
export function peak(s: MetricSeries): { value: number; at: string | null } {
  let best = { value: 0, at: null as string | null };
  s.Values.forEach((v, i) => {
    if (v > best.value) best = { value: v, at: s.Timestamps[i] ?? null };
  });
  return best;
}
