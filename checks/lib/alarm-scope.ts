// Which CloudWatch alarms the alarm.* checks look at, and composite alarm parents.
import type { CloudWatchAlarm } from '../../src/model/index.js';

export const SERVERLESS_NAMESPACES = ['AWS/Lambda', 'AWS/ApiGateway', 'AWS/DynamoDB', 'AWS/Kinesis', 'AWS/SNS', 'AWS/States'];

/** Namespaces a metric alarm watches (its own, or those of its metric-math queries). */
export function namespacesOf(a: CloudWatchAlarm): string[] {
  return [a.Namespace, ...(a.Metrics ?? []).map((m) => m.MetricStat?.Metric?.Namespace)].filter((n): n is string => !!n);
}

/** Names or ARNs of the alarms a composite alarm rule refers to: ALARM(x), OK("x"), INSUFFICIENT_DATA('x'). */
export function ruleChildren(rule: string | undefined): string[] {
  const out: string[] = [];
  const re = /\b(?:ALARM|OK|INSUFFICIENT_DATA)\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]+))\s*\)/g;
  for (const m of (rule ?? '').matchAll(re)) out.push((m[1] ?? m[2] ?? m[3])!);
  return out;
}

/** Composite alarms whose rule names `alarm` (by name or ARN). */
export function parentsOf(alarm: CloudWatchAlarm, all: CloudWatchAlarm[]): CloudWatchAlarm[] {
  return all.filter((c) => c.AlarmType === 'CompositeAlarm' && ruleChildren(c.AlarmRule).some((ref) => ref === alarm.AlarmName || ref === alarm.AlarmArn));
}

/**
 * Is the alarm in scope: a metric alarm on a serverless namespace, or a composite alarm that (through its children)
 * watches one.
 */
export function inServerlessScope(alarm: CloudWatchAlarm, all: CloudWatchAlarm[], namespaces: readonly string[], seen = new Set<string>()): boolean {
  if (seen.has(alarm.AlarmArn)) return false;
  seen.add(alarm.AlarmArn);
  if (alarm.AlarmType === 'MetricAlarm') return namespacesOf(alarm).some((n) => namespaces.includes(n));
  const refs = new Set(ruleChildren(alarm.AlarmRule));
  return all.some((c) => (refs.has(c.AlarmName) || refs.has(c.AlarmArn)) && inServerlessScope(c, all, namespaces, seen));
}
