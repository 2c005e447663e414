import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { getMetricData, lookback, MAX_QUERIES_PER_CALL, packBatches } from '../../src/collect/metrics.js';
import { testFactory } from './harness.js';

const cw = mockClient(CloudWatchClient);
afterAll(() => cw.restore());
beforeEach(() => cw.reset());

const client = () => testFactory().get(CloudWatchClient, 'us-east-1');
const WINDOW = lookback(new Date('2026-06-01T00:00:30Z'), 14);
const stat = (id: string): MetricDataQuery => ({
  Id: id, ReturnData: true, MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: [{ Name: 'FunctionName', Value: id }] }, Period: 86400, Stat: 'Sum' },
});
const ids = (n: number, prefix = 'q') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('getMetricData', () => {
  it('sends at most 500 queries per call and never splits a group', async () => {
    cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
      MetricDataResults: input.MetricDataQueries!.filter((q) => q.ReturnData !== false).map((q) => ({ Id: q.Id, Label: q.Id, Timestamps: [], Values: [], StatusCode: 'Complete' })),
    }));
    // 499 single queries, then a metric + expression pair that does not fit in the first call, then 600 more.
    const pair: MetricDataQuery[] = [{ ...stat('m1'), ReturnData: false }, { Id: 'e1', Expression: 'm1 * 2', ReturnData: true }];
    const queries = [...ids(499).map(stat), pair, ...ids(600, 'r').map(stat)];
    const answer = await getMetricData(client(), queries, WINDOW);

    const sizes = cw.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input.MetricDataQueries!.length);
    expect(sizes).toEqual([499, 500, 102]);
    const second = cw.commandCalls(GetMetricDataCommand)[1]!.args[0].input.MetricDataQueries!;
    expect(second.slice(0, 2).map((q) => q.Id)).toEqual(['m1', 'e1']);
    expect(Object.keys(answer.points)).toHaveLength(499 + 1 + 600);
    expect(answer.points.m1).toBeUndefined();
    expect(answer.failed).toEqual({});
  });

  it('follows NextToken and joins the pages of each query, oldest first', async () => {
    const d = (iso: string) => new Date(iso);
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'a', Label: 'a', Timestamps: [d('2026-05-20T00:00:00Z'), d('2026-05-21T00:00:00Z')], Values: [1, 2], StatusCode: 'PartialData' },
        { Id: 'b', Label: 'b', Timestamps: [d('2026-05-20T00:00:00Z')], Values: [5], StatusCode: 'Complete' },
      ],
      NextToken: 'page-2',
    });
    cw.on(GetMetricDataCommand, { NextToken: 'page-2' }).resolves({
      MetricDataResults: [{ Id: 'a', Label: 'a', Timestamps: [d('2026-05-19T00:00:00Z'), d('2026-05-22T00:00:00Z')], Values: [7, 3], StatusCode: 'Complete' }],
    });
    const answer = await getMetricData(client(), [stat('a'), stat('b')], WINDOW);

    const calls = cw.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.NextToken)).toEqual([undefined, 'page-2']);
    expect(calls[0]).toMatchObject({ StartTime: new Date('2026-05-18T00:00:00Z'), EndTime: new Date('2026-06-01T00:00:00Z'), ScanBy: 'TimestampAscending' });
    expect(answer.points.a).toEqual({
      Timestamps: ['2026-05-19T00:00:00.000Z', '2026-05-20T00:00:00.000Z', '2026-05-21T00:00:00.000Z', '2026-05-22T00:00:00.000Z'],
      Values: [7, 1, 2, 3],
    });
    expect(answer.points.b).toEqual({ Timestamps: ['2026-05-20T00:00:00.000Z'], Values: [5] });
  });

  it('stops when the answer repeats a token', async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'a', Timestamps: [], Values: [], StatusCode: 'PartialData' }], NextToken: 'same' });
    await getMetricData(client(), [stat('a')], WINDOW);
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(2);
  });

  it('marks the queries of a failed call, and of a Forbidden answer, as failed; other calls still count', async () => {
    const first = ids(500).map(stat);
    cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
      if (input.MetricDataQueries![0]!.Id === 'q0') {
        throw Object.assign(new Error('Rate exceeded'), { name: 'LimitExceededException', $metadata: {} });
      }
      return {
        MetricDataResults: [
          { Id: 'x', Timestamps: [new Date('2026-05-30T00:00:00Z')], Values: [4], StatusCode: 'Complete' },
          { Id: 'y', Timestamps: [], Values: [], StatusCode: 'Forbidden', Messages: [{ Code: 'Forbidden', Value: 'cross-account access denied' }] },
        ],
      };
    });
    const answer = await getMetricData(client(), [...first, stat('x'), stat('y')], WINDOW);
    expect(Object.keys(answer.failed)).toHaveLength(501);
    expect(answer.failed.q0).toMatchObject({ operation: 'cloudwatch:GetMetricData', code: 'LimitExceededException' });
    expect(answer.failed.y).toEqual({ operation: 'cloudwatch:GetMetricData', code: 'Forbidden', message: 'Forbidden cross-account access denied' });
    expect(answer.points.x).toEqual({ Timestamps: ['2026-05-30T00:00:00.000Z'], Values: [4] });
    expect(answer.points.q0).toBeUndefined();
  });

  it('drops the points of a batch whose later page failed', async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'a', Timestamps: [new Date('2026-05-30T00:00:00Z')], Values: [9], StatusCode: 'PartialData' }], NextToken: 't2' });
    cw.on(GetMetricDataCommand, { NextToken: 't2' }).rejects(Object.assign(new Error('Internal'), { name: 'InternalServiceFault', $metadata: {} }));
    const answer = await getMetricData(client(), [stat('a')], WINDOW);
    expect(answer.points.a).toBeUndefined();
    expect(answer.failed.a).toMatchObject({ code: 'InternalServiceFault' });
  });
});

describe('packBatches', () => {
  it('refuses a group larger than one call', () => {
    expect(() => packBatches([ids(MAX_QUERIES_PER_CALL + 1).map(stat)])).toThrow(/at most 500/);
  });
  it('fills calls up to the limit', () => {
    expect(packBatches(ids(1000).map(stat)).map((b) => b.length)).toEqual([500, 500]);
  });
});
