// Metric series for the per-resource metric checks (cost class M, --metrics only): Lambda functions, DynamoDB tables
// and Kinesis streams of the region. Every query of the region goes into batched GetMetricData calls (500 queries per
// call, src/collect/metrics.ts), so a region costs a handful of calls however many resources it has.
// Series names are the ones checks/lib/metric-series.ts reads; test/collect/lambda-metrics.test.ts keeps both in step.
import { CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { AnyResource, DynamoDbTable, Gap, KinesisStream, LambdaFunction, MetricSeries } from '../model/index.js';
import { getMetricData, toSeries, type MetricWindow } from './metrics.js';
import type { CollectContext, Collector } from './types.js';

/** Days of history: daily buckets aligned to UTC midnight, today's partial day excluded. */
export const METRIC_DAYS = 14;
const DAY = 86_400;
/** Consumed-capacity resolution: 5-minute sums, reduced to one peak per day before they reach the inventory. */
const CAPACITY_PERIOD = 300;

type WithMetrics = LambdaFunction | DynamoDbTable | KinesisStream;

interface SeriesSpec {
  key: string;
  namespace: string;
  metric: string;
  dimensions: Record<string, string>;
  stat: string;
  period: number;
  /** Turns the fetched points into what is stored (default: stored as fetched). */
  reduce?: (points: { Timestamps: string[]; Values: number[] }) => MetricSeries;
}

/** The series of one function. */
export function lambdaSeries(fn: LambdaFunction): SeriesSpec[] {
  const dims = { FunctionName: fn.FunctionName };
  return [
    { key: 'Invocations', namespace: 'AWS/Lambda', metric: 'Invocations', dimensions: dims, stat: 'Sum', period: DAY },
    { key: 'Errors', namespace: 'AWS/Lambda', metric: 'Errors', dimensions: dims, stat: 'Sum', period: DAY },
    { key: 'DurationMax', namespace: 'AWS/Lambda', metric: 'Duration', dimensions: dims, stat: 'Maximum', period: DAY },
    // One bucket covering the whole window.
    { key: 'DurationP99', namespace: 'AWS/Lambda', metric: 'Duration', dimensions: dims, stat: 'p99', period: METRIC_DAYS * DAY },
  ];
}

/** The series of one table: throttling for the table and each GSI; consumed-capacity peaks for PROVISIONED tables. */
export function dynamodbSeries(t: DynamoDbTable): SeriesSpec[] {
  const dims = { TableName: t.TableName };
  const out: SeriesSpec[] = [
    { key: 'ReadThrottleEvents', namespace: 'AWS/DynamoDB', metric: 'ReadThrottleEvents', dimensions: dims, stat: 'Sum', period: DAY },
    { key: 'WriteThrottleEvents', namespace: 'AWS/DynamoDB', metric: 'WriteThrottleEvents', dimensions: dims, stat: 'Sum', period: DAY },
  ];
  for (const g of t.GlobalSecondaryIndexes ?? []) {
    if (!g.IndexName) continue;
    const gDims = { ...dims, GlobalSecondaryIndexName: g.IndexName };
    out.push(
      { key: `GSI:${g.IndexName}:ReadThrottleEvents`, namespace: 'AWS/DynamoDB', metric: 'ReadThrottleEvents', dimensions: gDims, stat: 'Sum', period: DAY },
      { key: `GSI:${g.IndexName}:WriteThrottleEvents`, namespace: 'AWS/DynamoDB', metric: 'WriteThrottleEvents', dimensions: gDims, stat: 'Sum', period: DAY },
    );
  }
  if ((t.BillingModeSummary?.BillingMode ?? 'PROVISIONED') === 'PROVISIONED' && !t.gaps?.BillingModeSummary) {
    for (const [key, metric] of [['ConsumedReadCapacityPeak', 'ConsumedReadCapacityUnits'], ['ConsumedWriteCapacityPeak', 'ConsumedWriteCapacityUnits']] as const) {
      out.push({ key, namespace: 'AWS/DynamoDB', metric, dimensions: dims, stat: 'Sum', period: CAPACITY_PERIOD, reduce: dailyPeakPerSecond });
    }
  }
  return out;
}

/** The series of one stream: throughput-exceeded counts, PROVISIONED streams only. */
export function kinesisSeries(s: KinesisStream): SeriesSpec[] {
  if (s.StreamModeDetails?.StreamMode !== 'PROVISIONED') return [];
  const dims = { StreamName: s.StreamName };
  return [
    { key: 'WriteProvisionedThroughputExceeded', namespace: 'AWS/Kinesis', metric: 'WriteProvisionedThroughputExceeded', dimensions: dims, stat: 'Sum', period: DAY },
    { key: 'ReadProvisionedThroughputExceeded', namespace: 'AWS/Kinesis', metric: 'ReadProvisionedThroughputExceeded', dimensions: dims, stat: 'Sum', period: DAY },
  ];
}

/** 5-minute sums → per UTC day, the highest average rate (units per second) of any 5 minutes. */
export function dailyPeakPerSecond(points: { Timestamps: string[]; Values: number[] }): MetricSeries {
  const byDay = new Map<string, number>();
  points.Timestamps.forEach((t, i) => {
    const day = `${t.slice(0, 10)}T00:00:00.000Z`;
    const rate = (points.Values[i] ?? 0) / CAPACITY_PERIOD;
    byDay.set(day, Math.max(byDay.get(day) ?? 0, rate));
  });
  const days = [...byDay.keys()].sort();
  return { Timestamps: days, Values: days.map((d) => byDay.get(d)!), Period: DAY, Stat: `PeakPerSecond(Sum/${CAPACITY_PERIOD})` };
}

/** The window: the METRIC_DAYS whole UTC days before `now`. */
export function metricWindow(now: Date): MetricWindow {
  const end = new Date(Math.floor(now.getTime() / (DAY * 1000)) * DAY * 1000);
  return { start: new Date(end.getTime() - METRIC_DAYS * DAY * 1000), end };
}

export const lambdaMetricsCollector: Collector = {
  name: 'lambda-metrics',
  kinds: ['AwsLambdaFunction', 'AwsDynamoDbTable', 'AwsKinesisStream'],
  scope: 'region',
  stage: 2,
  requiresMetrics: true,
  operations: ['cloudwatch:GetMetricData'],
  async collect(ctx) {
    if (!ctx.options.metrics) return;
    const region = ctx.inventory().regions.find((r) => r.region === ctx.region);
    if (!region) return;
    const wanted = <K extends 'AwsLambdaFunction' | 'AwsDynamoDbTable' | 'AwsKinesisStream'>(kind: K) =>
      ctx.options.kinds.has(kind) ? ((region.resources[kind] ?? []) as NonNullable<(typeof region.resources)[K]>) : [];
    const plan: { resource: WithMetrics; specs: SeriesSpec[] }[] = [
      ...wanted('AwsLambdaFunction').map((fn) => ({ resource: fn as WithMetrics, specs: lambdaSeries(fn) })),
      // Without DescribeTable the indexes are unknown: the throttling series would be incomplete.
      ...wanted('AwsDynamoDbTable').filter((t) => !t.gaps?.GlobalSecondaryIndexes).map((t) => ({ resource: t as WithMetrics, specs: dynamodbSeries(t) })),
      ...wanted('AwsKinesisStream').map((s) => ({ resource: s as WithMetrics, specs: kinesisSeries(s) })),
    ].filter((p) => p.specs.length > 0);
    if (plan.length === 0) return;
    await fetchSeries(ctx, plan);
  },
};

async function fetchSeries(ctx: CollectContext, plan: { resource: WithMetrics; specs: SeriesSpec[] }[]): Promise<void> {
  const queries: MetricDataQuery[] = [];
  const byId = new Map<string, { resource: WithMetrics; spec: SeriesSpec }>();
  plan.forEach(({ resource, specs }, r) =>
    specs.forEach((spec, s) => {
      // Ids must start with a lower-case letter and hold only letters, digits and underscores.
      const Id = `r${r}_s${s}`;
      byId.set(Id, { resource, spec });
      queries.push({
        Id,
        ReturnData: true,
        MetricStat: {
          Metric: { Namespace: spec.namespace, MetricName: spec.metric, Dimensions: Object.entries(spec.dimensions).map(([Name, Value]) => ({ Name, Value })) },
          Period: spec.period,
          Stat: spec.stat,
        },
      });
    }),
  );
  const answer = await getMetricData(ctx.client(CloudWatchClient), queries, metricWindow(ctx.options.now ?? new Date()), (fn) => ctx.limit('cloudwatch', fn));
  const failed = new Map<AnyResource, Gap>();
  for (const [id, { resource, spec }] of byId) {
    const gap = answer.failed[id];
    if (gap) {
      if (!failed.has(resource)) failed.set(resource, gap);
      continue;
    }
    const points = answer.points[id] ?? { Timestamps: [], Values: [] };
    (resource.Metrics ??= {})[spec.key] = spec.reduce ? spec.reduce(points) : toSeries(points, spec.period, spec.stat);
  }
  for (const [resource, gap] of failed) {
    // A series that could not be read would look like "no activity": the whole field becomes a gap instead.
    delete (resource as WithMetrics).Metrics;
    resource.gaps = { ...resource.gaps, Metrics: gap };
  }
}
