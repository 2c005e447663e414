// SDK responses → inventory values (src/collect/json.ts).
import { describe, expect, it } from 'vitest';
import { jsonSafe, jsonSafeWith } from '../../src/collect/json.js';

// A MetricAlarm as the SDK gives it: dates as Date, absent members as undefined, nested lists and objects.
const alarm = {
  AlarmName: 'orders-api-errors',
  AlarmArn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:orders-api-errors',
  AlarmDescription: 'page the on-call: token=abc',
  AlarmConfigurationUpdatedTimestamp: new Date('2026-11-30T08:15:00.000Z'),
  ActionsEnabled: true,
  OKActions: [],
  AlarmActions: ['arn:aws:sns:eu-west-1:123456789012:oncall'],
  InsufficientDataActions: undefined,
  StateValue: 'OK',
  StateUpdatedTimestamp: new Date('2026-12-01T00:00:00.000Z'),
  MetricName: 'Errors',
  Namespace: 'AWS/Lambda',
  Statistic: 'Sum',
  Dimensions: [{ Name: 'FunctionName', Value: 'orders-api' }],
  Period: 60,
  EvaluationPeriods: 1,
  Threshold: 1.5,
  ComparisonOperator: 'GreaterThanOrEqualToThreshold',
  $metadata: { httpStatusCode: 200 },
};

describe('jsonSafe', () => {
  it('copies deeply: dates as ISO strings, undefined members and $metadata dropped', () => {
    const out = jsonSafe(alarm) as Record<string, unknown>;
    expect(out.AlarmConfigurationUpdatedTimestamp).toBe('2026-11-30T08:15:00.000Z');
    expect('InsufficientDataActions' in out).toBe(false);
    expect('$metadata' in out).toBe(false);
    expect(out.Dimensions).toEqual(alarm.Dimensions);
    expect(out.Dimensions).not.toBe(alarm.Dimensions);
  });
});

describe('jsonSafeWith: { ...jsonSafe(value), ...fields } without the spread', () => {
  it('the same members, values and order: fields already there keep their place and take the new value, new ones follow', () => {
    const fields = { AlarmDescription: '[text, 27 chars]', kind: 'AwsCloudWatchAlarm', arn: alarm.AlarmArn, name: alarm.AlarmName, tags: {}, AlarmName: alarm.AlarmName, AlarmType: 'MetricAlarm' };
    const spread = { ...jsonSafe(alarm), ...fields };
    const made = jsonSafeWith(alarm, fields);
    expect(Object.keys(made)).toEqual(Object.keys(spread));
    expect(JSON.stringify(made)).toBe(JSON.stringify(spread));
    expect(Object.keys(made).slice(0, 3)).toEqual(['AlarmName', 'AlarmArn', 'AlarmDescription']);
    expect(Object.keys(made).slice(-3)).toEqual(['name', 'tags', 'AlarmType']);
  });
});

describe('the copies are objects V8 keeps compact (one shape per member order, not a dictionary)', () => {
  it('alarm-shaped copies with a collector\'s fields, and copies of many members: fast properties, one shared shape', async () => {
    // V8's own view, asked through --allow-natives-syntax in a child process (a spread copy fails both; the fields set
    // on a copy built member by member fail the first).
    const { execFileSync } = await import('node:child_process');
    const script = `
      const { jsonSafeWith, jsonSafe } = await import(${JSON.stringify(new URL('../../src/collect/json.ts', import.meta.url).href)});
      const alarm = (i) => ({ ${Object.keys(alarm).filter((k) => k !== '$metadata').map((k) => `${k}: ${JSON.stringify(k)} + i`).join(', ')}, When: new Date(i), $metadata: {} });
      const made = Array.from({ length: 50 }, (_, i) => jsonSafeWith(alarm(i), { kind: 'AwsCloudWatchAlarm', arn: 'arn' + i, name: 'n' + i, accountId: '1', region: 'r', tags: {}, AlarmType: 'MetricAlarm' }));
      // More members than an alarm has here: V8 turns a member-by-member copy of 20 or more into a dictionary.
      const big = Array.from({ length: 50 }, (_, i) => jsonSafe({ ...alarm(i), ...Object.fromEntries(Array.from({ length: 12 }, (_, k) => ['Extra' + k, k])) }));
      const fast = [...made, ...big].every((o) => %HasFastProperties(o));
      const shared = made.every((o) => %HaveSameMap(o, made[0])) && big.every((o) => %HaveSameMap(o, big[0]));
      console.log(JSON.stringify({ fast, shared, when: made[3].When }));
    `;
    const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(out.trim())).toEqual({ fast: true, shared: true, when: '1970-01-01T00:00:00.003Z' });
  }, 30_000);
});
