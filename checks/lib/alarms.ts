// Alarm coverage matching shared by the "no alarm on metric X" checks (catalogue.md §7.5).
// An alarm covers a resource when its own metric (Namespace/MetricName/Dimensions), or any
// `Metrics[].MetricStat.Metric` of a metric-math alarm, is the resource's metric: same namespace and
// metric name, and every dimension that identifies the resource present with the same value. Extra
// dimensions narrow the alarm to part of the resource (an alias through `Resource=fn:alias`, a REST
// stage) and still count. An aggregate alarm (the metric with no dimensions at all) watches every
// resource at once and cannot say which one failed, so it counts only when the check's
// `countAggregateAlarms` option is on. Composite alarms carry no metric of their own.
import type { CloudWatchAlarm, EvalContext, Evaluation, MetricDimension } from '../../src/model/index.js';

export interface MetricRef {
  Namespace?: string;
  MetricName?: string;
  Dimensions?: MetricDimension[];
}

/** The metric(s) a resource is watched through: any of `metricNames`, with all of `dimensions`. */
export interface AlarmTarget {
  namespace: string;
  metricNames: readonly string[];
  dimensions: Readonly<Record<string, string>>;
}

export interface AlarmMatchOptions {
  countAggregateAlarms?: boolean;
}

/** Every metric an alarm evaluates: its own, or those of its metric-math queries. */
export function alarmMetrics(alarm: CloudWatchAlarm): MetricRef[] {
  if (alarm.AlarmType === 'CompositeAlarm') return [];
  const out: MetricRef[] = [];
  if (alarm.MetricName) out.push({ Namespace: alarm.Namespace, MetricName: alarm.MetricName, Dimensions: alarm.Dimensions });
  for (const q of alarm.Metrics ?? []) {
    const m = q.MetricStat?.Metric;
    if (m?.MetricName) out.push(m);
  }
  return out;
}

function sameMetric(metric: MetricRef, target: AlarmTarget): boolean {
  return metric.Namespace === target.namespace && target.metricNames.includes(metric.MetricName ?? '');
}

export function isAggregate(metric: MetricRef): boolean {
  return (metric.Dimensions ?? []).length === 0;
}

/** True when `metric` watches the target resource (see the file comment for the rules). */
export function metricMatches(metric: MetricRef, target: AlarmTarget, opts: AlarmMatchOptions = {}): boolean {
  if (!sameMetric(metric, target)) return false;
  if (isAggregate(metric)) return opts.countAggregateAlarms === true;
  const dims = metric.Dimensions ?? [];
  return Object.entries(target.dimensions).every(([name, value]) => dims.some((d) => d.Name === name && d.Value === value));
}

export interface AlarmCoverage {
  /** Names of the alarms that cover the resource. */
  covering: string[];
  /** Names of aggregate alarms on the same metric that were not counted (countAggregateAlarms off). */
  aggregateNotCounted: string[];
}

/**
 * Positions of the alarms that have a metric with a given namespace and name (`ns|name`), that metric with a given
 * dimension (`ns|name|Dim=value`), or that metric with no dimensions (`ns|name|`). Checks ask once per resource, so
 * scanning every alarm each time would make evaluation quadratic in a region's size.
 */
type AlarmIndex = Map<string, number[]>;
const indexes = new WeakMap<readonly CloudWatchAlarm[], { index: AlarmIndex; metrics: MetricRef[][] }>();

function indexOf(alarms: readonly CloudWatchAlarm[]): { index: AlarmIndex; metrics: MetricRef[][] } {
  let hit = indexes.get(alarms);
  if (hit) return hit;
  const index: AlarmIndex = new Map();
  const put = (key: string, pos: number) => {
    const list = index.get(key);
    if (!list) index.set(key, [pos]);
    else if (list.at(-1) !== pos) list.push(pos);
  };
  const metrics = alarms.map(alarmMetrics);
  metrics.forEach((ms, pos) => {
    for (const m of ms) {
      const base = `${m.Namespace ?? ''}|${m.MetricName ?? ''}`;
      put(base, pos);
      if (isAggregate(m)) put(`${base}|`, pos);
      for (const d of m.Dimensions ?? []) put(`${base}|${d.Name ?? ''}=${d.Value ?? ''}`, pos);
    }
  });
  // Only a list that cannot change later may be cached (ctx.list hands out frozen lists).
  hit = { index, metrics };
  if (Object.isFrozen(alarms)) indexes.set(alarms, hit);
  return hit;
}

/** Which alarms cover a resource watched through any of `targets`. */
export function alarmCoverage(
  alarms: readonly CloudWatchAlarm[],
  targets: AlarmTarget | readonly AlarmTarget[],
  opts: AlarmMatchOptions = {},
): AlarmCoverage {
  const list = (Array.isArray(targets) ? targets : [targets]) as readonly AlarmTarget[];
  const { index, metrics } = indexOf(alarms);
  // Candidates: alarms with a metric that has the target's first dimension, or none at all (aggregate); with a
  // dimensionless target, every alarm on the metric. Any other alarm can neither cover nor be an aggregate.
  const candidates = new Set<number>();
  for (const t of list) {
    const first = Object.entries(t.dimensions)[0];
    for (const name of t.metricNames) {
      const base = `${t.namespace}|${name}`;
      for (const key of first ? [`${base}|${first[0]}=${first[1]}`, `${base}|`] : [base]) for (const pos of index.get(key) ?? []) candidates.add(pos);
    }
  }
  const covering: string[] = [];
  const aggregateNotCounted: string[] = [];
  for (const pos of [...candidates].sort((a, b) => a - b)) {
    const ms = metrics[pos]!;
    if (ms.some((m) => list.some((t) => metricMatches(m, t, opts)))) covering.push(alarms[pos]!.AlarmName);
    else if (ms.some((m) => isAggregate(m) && list.some((t) => sameMetric(m, t)))) aggregateNotCounted.push(alarms[pos]!.AlarmName);
  }
  return { covering, aggregateNotCounted };
}

/** `AWS/Namespace Metric1|Metric2 (Dim=value, ...)` for messages. */
export function describeTarget(target: AlarmTarget): string {
  const dims = Object.entries(target.dimensions).map(([k, v]) => `${k}=${v}`).join(', ');
  return `${target.namespace} ${target.metricNames.join('/')} (${dims})`;
}

// ---------------------------------------------------------------- targets per resource kind

export function lambdaTarget(functionName: string, metricName: string): AlarmTarget {
  return { namespace: 'AWS/Lambda', metricNames: [metricName], dimensions: { FunctionName: functionName } };
}

/** REST APIs publish `5XXError` under `ApiName` (optionally with `Stage`, `Resource`, `Method`). */
export function restApi5xxTarget(apiName: string): AlarmTarget {
  return { namespace: 'AWS/ApiGateway', metricNames: ['5XXError'], dimensions: { ApiName: apiName } };
}

/**
 * HTTP APIs publish `5xx` under `ApiId` (optionally with `Stage`); WebSocket APIs have no 5xx metric,
 * their server-side failures are `ExecutionError` and `IntegrationError` under `ApiId`.
 * Undefined for a protocol type this does not know.
 */
export function v2ApiErrorTarget(api: { ApiId: string; ProtocolType?: string }): AlarmTarget | undefined {
  if (api.ProtocolType === 'HTTP') return { namespace: 'AWS/ApiGateway', metricNames: ['5xx'], dimensions: { ApiId: api.ApiId } };
  if (api.ProtocolType === 'WEBSOCKET') {
    return { namespace: 'AWS/ApiGateway', metricNames: ['ExecutionError', 'IntegrationError'], dimensions: { ApiId: api.ApiId } };
  }
  return undefined;
}

export function kinesisIteratorAgeTarget(streamName: string): AlarmTarget {
  return { namespace: 'AWS/Kinesis', metricNames: ['GetRecords.IteratorAgeMilliseconds'], dimensions: { StreamName: streamName } };
}

/** `arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]` → NAME (undefined for anything else). */
export function functionNameFromArn(arn: string | undefined): string | undefined {
  const m = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)(?::[^:]+)?$/.exec(arn ?? '');
  return m?.[1];
}

/** PASS naming the covering alarms, or FAIL naming the metric to alarm on (shared by the per-resource alarm checks). */
export function alarmEvaluation(
  ctx: Pick<EvalContext<{ countAggregateAlarms: boolean }>, 'list' | 'options' | 'pass' | 'fail'>,
  target: AlarmTarget,
  subject: string,
  metricLabel: string,
): Evaluation {
  const { covering, aggregateNotCounted } = alarmCoverage(ctx.list('AwsCloudWatchAlarm'), target, { countAggregateAlarms: ctx.options.countAggregateAlarms });
  if (covering.length > 0) return ctx.pass(`${subject} has ${metricLabel} alarm: ${covering.join(', ')}.`, { alarms: covering });
  return ctx.fail(`No CloudWatch alarm watches ${describeTarget(target)} for ${subject.charAt(0).toLowerCase()}${subject.slice(1)}.`, {
    metric: describeTarget(target),
    ...(aggregateNotCounted.length > 0 ? { aggregateAlarmsNotCounted: aggregateNotCounted } : {}),
  });
}
