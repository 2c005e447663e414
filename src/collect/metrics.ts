// CloudWatch GetMetricData for metric-based checks (cost class M): batching, pagination and per-query failures.
// Generic: callers build the MetricDataQuery list, this module only fetches and turns answers into MetricSeries.
import { GetMetricDataCommand, type CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { toGap } from '../aws/errors.js';
import type { Gap, MetricSeries } from '../model/index.js';

/** GetMetricData accepts at most 500 MetricDataQuery structures per call. */
export const MAX_QUERIES_PER_CALL = 500;
const OPERATION = 'cloudwatch:GetMetricData';

export interface MetricWindow {
  start: Date;
  end: Date;
}

export interface MetricDataAnswer {
  /** Query id → data points, oldest first (only queries with ReturnData true, or unset, come back). */
  points: Record<string, { Timestamps: string[]; Values: number[] }>;
  /** Query id → why its data is missing or incomplete (the call failed, or the answer said Forbidden / InternalError). */
  failed: Record<string, Gap>;
}

/**
 * Fetches every query, packing them into calls of at most 500 queries and following NextToken.
 * An element that is an array is a group (e.g. a metric and the expression that uses it): a group is never split
 * across calls, because an expression can only refer to ids in its own call. A failed call marks the ids of its
 * batch as failed and the other batches still run.
 */
export async function getMetricData(
  client: CloudWatchClient,
  queries: readonly (MetricDataQuery | readonly MetricDataQuery[])[],
  window: MetricWindow,
  limit: <T>(fn: () => Promise<T>) => Promise<T> = (fn) => fn(),
): Promise<MetricDataAnswer> {
  const answer: MetricDataAnswer = { points: {}, failed: {} };
  for (const batch of packBatches(queries)) await fetchBatch(client, batch, window, limit, answer);
  for (const p of Object.values(answer.points)) sortByTime(p);
  return answer;
}

export function packBatches(queries: readonly (MetricDataQuery | readonly MetricDataQuery[])[]): MetricDataQuery[][] {
  const batches: MetricDataQuery[][] = [];
  let current: MetricDataQuery[] = [];
  for (const item of queries) {
    const group = Array.isArray(item) ? (item as readonly MetricDataQuery[]) : [item as MetricDataQuery];
    if (group.length > MAX_QUERIES_PER_CALL) throw new Error(`a metric query group has ${group.length} queries; at most ${MAX_QUERIES_PER_CALL} fit in one call`);
    if (current.length + group.length > MAX_QUERIES_PER_CALL) {
      batches.push(current);
      current = [];
    }
    current.push(...group);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

async function fetchBatch(
  client: CloudWatchClient,
  batch: MetricDataQuery[],
  window: MetricWindow,
  limit: <T>(fn: () => Promise<T>) => Promise<T>,
  answer: MetricDataAnswer,
): Promise<void> {
  const seenTokens = new Set<string>();
  let NextToken: string | undefined;
  try {
    do {
      const out = await limit(() =>
        client.send(new GetMetricDataCommand({
          MetricDataQueries: batch, StartTime: window.start, EndTime: window.end, ScanBy: 'TimestampAscending', NextToken,
        })),
      );
      for (const r of out.MetricDataResults ?? []) {
        if (!r.Id) continue;
        const p = (answer.points[r.Id] ??= { Timestamps: [], Values: [] });
        (r.Timestamps ?? []).forEach((t, i) => {
          p.Timestamps.push(new Date(t).toISOString());
          p.Values.push(r.Values?.[i] ?? 0);
        });
        if (r.StatusCode === 'Forbidden' || r.StatusCode === 'InternalError') {
          const detail = (r.Messages ?? []).map((m) => `${m.Code ?? ''} ${m.Value ?? ''}`.trim()).join('; ');
          answer.failed[r.Id] = { operation: OPERATION, code: r.StatusCode, message: detail || `GetMetricData answered ${r.StatusCode} for ${r.Id}` };
        }
      }
      NextToken = out.NextToken && !seenTokens.has(out.NextToken) ? out.NextToken : undefined;
      if (NextToken) seenTokens.add(NextToken);
    } while (NextToken);
  } catch (err) {
    // Points from earlier pages of this batch are incomplete: drop them rather than report a partial peak.
    for (const q of batch) {
      if (!q.Id) continue;
      delete answer.points[q.Id];
      answer.failed[q.Id] = toGap(OPERATION, err);
    }
  }
}

function sortByTime(p: { Timestamps: string[]; Values: number[] }): void {
  const order = p.Timestamps.map((t, i) => [t, p.Values[i]!] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  p.Timestamps = order.map(([t]) => t);
  p.Values = order.map(([, v]) => v);
}

/** A MetricSeries for the inventory from fetched points. */
export function toSeries(points: { Timestamps: string[]; Values: number[] } | undefined, period: number, stat: string): MetricSeries {
  return { Timestamps: points?.Timestamps ?? [], Values: points?.Values ?? [], Period: period, Stat: stat };
}

/** The look-back window ending at `now`, both ends on a whole minute (so repeated runs ask for the same buckets). */
export function lookback(now: Date, days: number): MetricWindow {
  const end = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  return { start: new Date(end.getTime() - days * 86_400_000), end };
}
