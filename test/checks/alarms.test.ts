// Unit tests of the alarm-matching rules in checks/lib/alarms.ts (catalogue.md §7.5).
import { describe, expect, it } from 'vitest';
import {
  alarmCoverage, alarmMetrics, describeTarget, functionNameFromArn, kinesisIteratorAgeTarget, lambdaTarget, metricMatches,
  restApi5xxTarget, v2ApiErrorTarget,
} from '../../checks/lib/alarms.js';
import { makeResource } from '../../src/engine/examples.js';
import type { CloudWatchAlarm } from '../../src/model/index.js';

const alarm = (name: string, patch: Partial<CloudWatchAlarm>): CloudWatchAlarm => makeResource('AwsCloudWatchAlarm', { name, ...patch });
const dims = (d: Record<string, string>) => Object.entries(d).map(([Name, Value]) => ({ Name, Value }));

describe('metricMatches', () => {
  const target = lambdaTarget('orders', 'Errors');

  it('matches namespace, metric name and the identifying dimension', () => {
    expect(metricMatches({ Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: dims({ FunctionName: 'orders' }) }, target)).toBe(true);
  });
  it('accepts extra dimensions (an alias through Resource)', () => {
    expect(metricMatches({ Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: dims({ FunctionName: 'orders', Resource: 'orders:live' }) }, target)).toBe(true);
  });
  it('rejects another function, another metric, another namespace', () => {
    expect(metricMatches({ Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: dims({ FunctionName: 'orders-v2' }) }, target)).toBe(false);
    expect(metricMatches({ Namespace: 'AWS/Lambda', MetricName: 'Throttles', Dimensions: dims({ FunctionName: 'orders' }) }, target)).toBe(false);
    expect(metricMatches({ Namespace: 'Custom/Lambda', MetricName: 'Errors', Dimensions: dims({ FunctionName: 'orders' }) }, target)).toBe(false);
  });
  it('rejects a metric that has dimensions but not the identifying one', () => {
    expect(metricMatches({ Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: dims({ Resource: 'orders:live' }) }, target)).toBe(false);
  });
  it('is exact about dimension names and values', () => {
    expect(metricMatches({ Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: dims({ functionname: 'orders' }) }, target)).toBe(false);
    expect(metricMatches({ Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: dims({ FunctionName: 'Orders' }) }, target)).toBe(false);
  });
  it('counts an aggregate (dimensionless) metric only when asked to', () => {
    const aggregate = { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [] };
    expect(metricMatches(aggregate, target)).toBe(false);
    expect(metricMatches({ Namespace: 'AWS/Lambda', MetricName: 'Errors' }, target)).toBe(false);
    expect(metricMatches(aggregate, target, { countAggregateAlarms: true })).toBe(true);
  });
});

describe('alarmMetrics', () => {
  it('returns the metric of a plain alarm', () => {
    const a = alarm('a', { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: dims({ FunctionName: 'f' }) });
    expect(alarmMetrics(a)).toEqual([{ Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: dims({ FunctionName: 'f' }) }]);
  });
  it('returns every MetricStat of a metric-math alarm and skips expressions', () => {
    const a = alarm('rate', {
      Metrics: [
        { Id: 'e', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: dims({ FunctionName: 'f' }) }, Period: 60, Stat: 'Sum' }, ReturnData: false },
        { Id: 'i', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: dims({ FunctionName: 'f' }) }, Period: 60, Stat: 'Sum' }, ReturnData: false },
        { Id: 'r', Expression: 'e / i', ReturnData: true },
      ],
    });
    expect(alarmMetrics(a).map((m) => m.MetricName)).toEqual(['Errors', 'Invocations']);
  });
  it('returns nothing for a composite alarm', () => {
    const a = alarm('composite', { AlarmType: 'CompositeAlarm', AlarmRule: 'ALARM("orders-errors") OR ALARM("orders-throttles")' });
    expect(alarmMetrics(a)).toEqual([]);
  });
});

describe('alarmCoverage', () => {
  const alarms = [
    alarm('orders-errors', { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: dims({ FunctionName: 'orders' }) }),
    alarm('orders-error-rate', {
      Metrics: [
        { Id: 'e', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: dims({ FunctionName: 'orders', Resource: 'orders:live' }) } } },
        { Id: 'r', Expression: 'e * 100', ReturnData: true },
      ],
    }),
    alarm('billing-errors', { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: dims({ FunctionName: 'billing' }) }),
    alarm('all-errors', { Namespace: 'AWS/Lambda', MetricName: 'Errors' }),
    alarm('orders-composite', { AlarmType: 'CompositeAlarm', AlarmRule: 'ALARM("orders-errors")' }),
  ];

  it('lists the covering alarms and the aggregate ones it did not count', () => {
    expect(alarmCoverage(alarms, lambdaTarget('orders', 'Errors'))).toEqual({
      covering: ['orders-errors', 'orders-error-rate'],
      aggregateNotCounted: ['all-errors'],
    });
  });
  it('counts the aggregate alarm for every function when configured', () => {
    expect(alarmCoverage(alarms, lambdaTarget('payments', 'Errors'), { countAggregateAlarms: true })).toEqual({ covering: ['all-errors'], aggregateNotCounted: [] });
    expect(alarmCoverage(alarms, lambdaTarget('payments', 'Errors')).covering).toEqual([]);
  });
  it('accepts any of several targets (WebSocket ExecutionError or IntegrationError)', () => {
    const ws = v2ApiErrorTarget({ ApiId: 'w1', ProtocolType: 'WEBSOCKET' })!;
    const a = [alarm('ws-integration', { Namespace: 'AWS/ApiGateway', MetricName: 'IntegrationError', Dimensions: dims({ ApiId: 'w1', Stage: 'prod' }) })];
    expect(alarmCoverage(a, ws).covering).toEqual(['ws-integration']);
    expect(alarmCoverage(a, [kinesisIteratorAgeTarget('s'), ws]).covering).toEqual(['ws-integration']);
  });
});

describe('targets', () => {
  it('REST APIs are identified by ApiName, HTTP APIs by ApiId on 5xx', () => {
    expect(restApi5xxTarget('orders')).toEqual({ namespace: 'AWS/ApiGateway', metricNames: ['5XXError'], dimensions: { ApiName: 'orders' } });
    expect(v2ApiErrorTarget({ ApiId: 'h1', ProtocolType: 'HTTP' })).toEqual({ namespace: 'AWS/ApiGateway', metricNames: ['5xx'], dimensions: { ApiId: 'h1' } });
    expect(v2ApiErrorTarget({ ApiId: 'x', ProtocolType: 'GRPC' })).toBeUndefined();
  });
  it('a REST 5XXError alarm does not cover an HTTP API and vice versa', () => {
    const rest = alarm('rest-5xx', { Namespace: 'AWS/ApiGateway', MetricName: '5XXError', Dimensions: dims({ ApiName: 'orders' }) });
    const http = alarm('http-5xx', { Namespace: 'AWS/ApiGateway', MetricName: '5xx', Dimensions: dims({ ApiId: 'h1' }) });
    expect(alarmCoverage([rest, http], v2ApiErrorTarget({ ApiId: 'h1', ProtocolType: 'HTTP' })!).covering).toEqual(['http-5xx']);
    expect(alarmCoverage([rest, http], restApi5xxTarget('orders')).covering).toEqual(['rest-5xx']);
  });
  it('describes a target for messages', () => {
    expect(describeTarget(lambdaTarget('orders', 'Errors'))).toBe('AWS/Lambda Errors (FunctionName=orders)');
  });
  it('extracts the function name from a function ARN, with or without qualifier', () => {
    expect(functionNameFromArn('arn:aws:lambda:us-east-1:111122223333:function:orders')).toBe('orders');
    expect(functionNameFromArn('arn:aws:lambda:us-east-1:111122223333:function:orders:live')).toBe('orders');
    expect(functionNameFromArn('arn:aws:sqs:us-east-1:111122223333:orders')).toBeUndefined();
    expect(functionNameFromArn(undefined)).toBeUndefined();
  });
});
