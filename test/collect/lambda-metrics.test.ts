import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SERIES } from '../../checks/lib/metric-series.js';
import { dailyPeakPerSecond, dynamodbSeries, kinesisSeries, lambdaMetricsCollector, lambdaSeries } from '../../src/collect/lambda-metrics.js';
import { makeResource } from '../../src/engine/examples.js';
import type { AnyResource, DynamoDbTable, KinesisStream, LambdaFunction } from '../../src/model/index.js';
import { makeContext, TEST_ACCOUNT } from './harness.js';

const cw = mockClient(CloudWatchClient);
afterAll(() => cw.restore());
beforeEach(() => cw.reset());

const NOW = new Date('2026-06-01T10:17:00Z');
const fn = (name: string) => makeResource('AwsLambdaFunction', { name, FunctionName: name, accountId: TEST_ACCOUNT }) as LambdaFunction;
const table = (name: string, mode: 'PROVISIONED' | 'PAY_PER_REQUEST', gsis: string[] = []) =>
  makeResource('AwsDynamoDbTable', { name, TableName: name, accountId: TEST_ACCOUNT, BillingModeSummary: { BillingMode: mode }, GlobalSecondaryIndexes: gsis.map((IndexName) => ({ IndexName })) }) as DynamoDbTable;
const stream = (name: string, mode: 'PROVISIONED' | 'ON_DEMAND') => makeResource('AwsKinesisStream', { name, StreamName: name, accountId: TEST_ACCOUNT, StreamModeDetails: { StreamMode: mode } }) as KinesisStream;

function setup(resources: AnyResource[]) {
  const t = makeContext();
  Object.assign(t.ctx.options, { metrics: true, now: NOW });
  for (const r of resources) t.ctx.add(r);
  return t;
}

const day = (d: number) => new Date(Date.UTC(2026, 4, d));
/** Answers every query the way GetMetricData does: one MetricDataResult per query with ReturnData, sparse points. */
function answerWith(points: (q: NonNullable<GetMetricDataCommandInput['MetricDataQueries']>[number]) => { Timestamps: Date[]; Values: number[] }) {
  cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
    MetricDataResults: input.MetricDataQueries!.map((q): MetricDataResult => ({ Id: q.Id, Label: q.MetricStat?.Metric?.MetricName, StatusCode: 'Complete', ...points(q) })),
    Messages: [],
  }));
}

describe('lambda-metrics collector', () => {
  it('asks for every series of the region in one call over 14 whole days and stores them under the names the checks read', async () => {
    const resources = [fn('orders'), fn('billing'), table('carts', 'PROVISIONED', ['byUser']), table('events', 'PAY_PER_REQUEST'), stream('clicks', 'PROVISIONED'), stream('audit', 'ON_DEMAND')];
    answerWith((q) => {
      const m = q.MetricStat!;
      const dim = m.Metric!.Dimensions!.map((d) => d.Value).join('/');
      if (m.Metric!.MetricName === 'ConsumedReadCapacityUnits') {
        // Two 5-minute sums on 30 May and one on 31 May.
        return { Timestamps: [new Date('2026-05-30T08:00:00Z'), new Date('2026-05-30T08:05:00Z'), new Date('2026-05-31T00:00:00Z')], Values: [600, 3000, 300] };
      }
      if (m.Metric!.MetricName === 'Errors' && dim === 'orders') return { Timestamps: [day(31)], Values: [12] };
      if (m.Metric!.MetricName === 'Invocations') return { Timestamps: [day(30), day(31)], Values: [100, 120] };
      return { Timestamps: [], Values: [] };
    });
    const { ctx, region } = setup(resources);
    await lambdaMetricsCollector.collect(ctx);

    const calls = cw.commandCalls(GetMetricDataCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]!.args[0].input;
    expect(input.StartTime).toEqual(new Date('2026-05-18T00:00:00Z'));
    expect(input.EndTime).toEqual(new Date('2026-06-01T00:00:00Z'));
    // 2 functions × 4, provisioned table 2 + 2 (GSI) + 2 (capacity), on-demand table 2, provisioned stream 2, on-demand stream 0.
    expect(input.MetricDataQueries).toHaveLength(8 + 6 + 2 + 2);
    const p99 = input.MetricDataQueries!.find((q) => q.MetricStat?.Stat === 'p99')!;
    expect(p99.MetricStat).toMatchObject({ Period: 14 * 86400, Metric: { Namespace: 'AWS/Lambda', MetricName: 'Duration' } });
    for (const q of input.MetricDataQueries!) expect(q.Id).toMatch(/^[a-z][A-Za-z0-9_]*$/);

    const byName: Record<string, { Metrics?: Record<string, unknown>; gaps?: unknown }> = Object.fromEntries(Object.values(region.resources).flat().map((r) => [r!.name, r as { Metrics?: Record<string, unknown> }]));
    expect(Object.keys(byName.orders!.Metrics!).sort()).toEqual(Object.values(SERIES.lambda).sort());
    expect(byName.orders!.Metrics!.Errors).toEqual({ Timestamps: ['2026-05-31T00:00:00.000Z'], Values: [12], Period: 86400, Stat: 'Sum' });
    expect(byName.billing!.Metrics!.Errors).toEqual({ Timestamps: [], Values: [], Period: 86400, Stat: 'Sum' });
    const d = SERIES.dynamodb;
    expect(Object.keys(byName.carts!.Metrics!).sort()).toEqual(
      [d.readThrottles, d.writeThrottles, d.gsiReadThrottles('byUser'), d.gsiWriteThrottles('byUser'), d.readPeak, d.writePeak].sort(),
    );
    // 3000 units in 5 minutes = 10 per second; the day's peak wins over the 2 per second of 08:00.
    expect(byName.carts!.Metrics![d.readPeak]).toMatchObject({ Timestamps: ['2026-05-30T00:00:00.000Z', '2026-05-31T00:00:00.000Z'], Values: [10, 1], Period: 86400 });
    expect(Object.keys(byName.events!.Metrics!).sort()).toEqual([d.readThrottles, d.writeThrottles].sort());
    expect(Object.keys(byName.clicks!.Metrics!).sort()).toEqual(Object.values(SERIES.kinesis).sort());
    expect(byName.audit!.Metrics).toBeUndefined();
    expect(byName.audit!.gaps).toBeUndefined();
  });

  it('packs 130 functions (520 queries) into two calls, never one per resource', async () => {
    answerWith(() => ({ Timestamps: [], Values: [] }));
    const { ctx } = setup(Array.from({ length: 130 }, (_, i) => fn(`f${i}`)));
    await lambdaMetricsCollector.collect(ctx);
    expect(cw.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input.MetricDataQueries!.length)).toEqual([500, 20]);
  });

  it('follows NextToken across pages', async () => {
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [{ Id: 'r0_s0', Label: 'Invocations', Timestamps: [day(29)], Values: [5], StatusCode: 'PartialData' }],
      NextToken: 'next-page',
      Messages: [],
    });
    cw.on(GetMetricDataCommand, { NextToken: 'next-page' }).resolves({
      MetricDataResults: [{ Id: 'r0_s0', Label: 'Invocations', Timestamps: [day(30)], Values: [7], StatusCode: 'Complete' }],
      Messages: [],
    });
    const { ctx, region } = setup([fn('orders')]);
    await lambdaMetricsCollector.collect(ctx);
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(2);
    expect((region.resources.AwsLambdaFunction![0]!).Metrics!.Invocations!.Values).toEqual([5, 7]);
  });

  it('turns a failed call into a Metrics gap on every resource of the batch, and a Forbidden series into a gap on its resource only', async () => {
    cw.on(GetMetricDataCommand).rejects(Object.assign(new Error('User is not authorized to perform: cloudwatch:GetMetricData'), { name: 'AccessDenied', $metadata: {} }));
    const denied = setup([fn('orders'), stream('clicks', 'PROVISIONED')]);
    await lambdaMetricsCollector.collect(denied.ctx);
    for (const r of [...denied.region.resources.AwsLambdaFunction!, ...denied.region.resources.AwsKinesisStream!]) {
      expect(r.Metrics).toBeUndefined();
      expect(r.gaps?.Metrics).toMatchObject({ operation: 'cloudwatch:GetMetricData', code: 'AccessDenied' });
    }

    cw.reset();
    cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
      MetricDataResults: input.MetricDataQueries!.map((q) =>
        q.MetricStat?.Metric?.Dimensions?.[0]?.Value === 'billing' && q.MetricStat.Metric.MetricName === 'Errors'
          ? { Id: q.Id, Timestamps: [], Values: [], StatusCode: 'Forbidden', Messages: [{ Code: 'Forbidden', Value: 'denied' }] }
          : { Id: q.Id, Timestamps: [], Values: [], StatusCode: 'Complete' },
      ),
      Messages: [],
    }));
    const partial = setup([fn('orders'), fn('billing')]);
    await lambdaMetricsCollector.collect(partial.ctx);
    const [orders, billing] = partial.region.resources.AwsLambdaFunction!;
    expect(orders!.gaps).toBeUndefined();
    expect(Object.keys(orders!.Metrics!)).toHaveLength(4);
    expect(billing!.Metrics).toBeUndefined();
    expect(billing!.gaps?.Metrics).toMatchObject({ code: 'Forbidden' });
  });

  it('makes no call without --metrics or without resources', async () => {
    const off = makeContext();
    off.ctx.add(fn('orders'));
    await lambdaMetricsCollector.collect(off.ctx);
    await lambdaMetricsCollector.collect(setup([]).ctx);
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(0);
  });
});

describe('series plans', () => {
  it('asks for consumed capacity only on provisioned tables and throughput only on provisioned streams', () => {
    expect(dynamodbSeries(table('t', 'PAY_PER_REQUEST')).map((s) => s.key)).not.toContain(SERIES.dynamodb.readPeak);
    expect(dynamodbSeries({ ...table('t', 'PROVISIONED'), BillingModeSummary: undefined }).map((s) => s.key)).toContain(SERIES.dynamodb.writePeak);
    expect(kinesisSeries(stream('s', 'ON_DEMAND'))).toEqual([]);
    expect(lambdaSeries(fn('f')).map((s) => s.key).sort()).toEqual(Object.values(SERIES.lambda).sort());
  });

  it('reduces 5-minute sums to daily per-second peaks', () => {
    expect(dailyPeakPerSecond({ Timestamps: ['2026-05-01T23:55:00.000Z', '2026-05-02T00:00:00.000Z'], Values: [1500, 30] })).toEqual({
      Timestamps: ['2026-05-01T00:00:00.000Z', '2026-05-02T00:00:00.000Z'], Values: [5, 0.1], Period: 86400, Stat: 'PeakPerSecond(Sum/300)',
    });
  });
});
