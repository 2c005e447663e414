// Which CloudWatch alarms the alarm.* checks look at, and composite alarm parents.
import type { CloudWatchAlarm } from '../../src/model/index.js';
import { derived } from './memo.js';

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

/** Composite alarms by the names and ARNs their rules refer to. */
function parentIndex(all: readonly CloudWatchAlarm[]): Map<string, CloudWatchAlarm[]> {
  return derived(all, 'alarm-parents', () => {
    const index = new Map<string, CloudWatchAlarm[]>();
    for (const c of all) {
      if (c.AlarmType !== 'CompositeAlarm') continue;
      for (const ref of new Set(ruleChildren(c.AlarmRule))) {
        const parents = index.get(ref);
        if (parents) parents.push(c);
        else index.set(ref, [c]);
      }
    }
    return index;
  });
}

/** Composite alarms whose rule names `alarm` (by name or ARN). */
export function parentsOf(alarm: CloudWatchAlarm, all: readonly CloudWatchAlarm[]): CloudWatchAlarm[] {
  const index = parentIndex(all);
  return [...new Set([...(index.get(alarm.AlarmName) ?? []), ...(index.get(alarm.AlarmArn) ?? [])])];
}

/** Alarms by name and by ARN. */
function alarmIndex(all: readonly CloudWatchAlarm[]): Map<string, CloudWatchAlarm> {
  return derived(all, 'alarm-by-ref', () => new Map(all.flatMap((a) => [[a.AlarmName, a], [a.AlarmArn, a]] as [string, CloudWatchAlarm][])));
}

/**
 * Is the alarm in scope: a metric alarm on a serverless namespace, or a composite alarm that (through its children)
 * watches one.
 */
export function inServerlessScope(alarm: CloudWatchAlarm, all: readonly CloudWatchAlarm[], namespaces: readonly string[], seen = new Set<string>()): boolean {
  if (seen.has(alarm.AlarmArn)) return false;
  seen.add(alarm.AlarmArn);
  if (alarm.AlarmType === 'MetricAlarm') return namespacesOf(alarm).some((n) => namespaces.includes(n));
  const byRef = alarmIndex(all);
  return ruleChildren(alarm.AlarmRule).some((ref) => {
    const child = byRef.get(ref);
    return child !== undefined && inServerlessScope(child, all, namespaces, seen);
  });
}
