import { CloudWatchClient, CloudWatchServiceException, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { alarmsCollector } from '../../src/collect/alarms.js';
import type { CloudWatchAlarm } from '../../src/model/index.js';
import { makeContext } from './harness.js';

const ACCOUNT = '123456789012';
const REGION = 'us-west-2';
const alarmArn = (name: string) => `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${name}`;
const topic = `arn:aws:sns:${REGION}:${ACCOUNT}:ops-alerts`;
const TOKEN = 'eyJuZXh0IjoiYWxhcm0tMiJ9';

const cw = mockClient(CloudWatchClient);
beforeEach(() => cw.reset());

function mockPages() {
  cw.on(DescribeAlarmsCommand).callsFake((input: { NextToken?: string; AlarmTypes?: string[]; MaxRecords?: number }) => {
    // The collector must ask for both alarm types (metric alarms only is the API default) at 100 per page.
    if (JSON.stringify(input.AlarmTypes) !== JSON.stringify(['MetricAlarm', 'CompositeAlarm']) || input.MaxRecords !== 100) {
      throw new Error(`unexpected input ${JSON.stringify(input)}`);
    }
    if (input.NextToken === undefined) {
      return {
        MetricAlarms: [{
          AlarmName: 'orders-api-errors',
          AlarmArn: alarmArn('orders-api-errors'),
          AlarmConfigurationUpdatedTimestamp: new Date('2025-01-10T12:00:00Z'),
          ActionsEnabled: true,
          OKActions: [],
          AlarmActions: [topic],
          InsufficientDataActions: [],
          StateValue: 'OK',
          StateReason: 'Threshold Crossed: 1 datapoint [0.0] was not greater than or equal to the threshold (1.0).',
          StateReasonData: '{"version":"1.0","queryDate":"2025-03-01T00:00:00.000+0000"}',
          StateUpdatedTimestamp: new Date('2025-03-01T00:00:00Z'),
          MetricName: 'Errors',
          Namespace: 'AWS/Lambda',
          Statistic: 'Sum',
          Dimensions: [{ Name: 'FunctionName', Value: 'orders-api' }],
          Period: 60,
          EvaluationPeriods: 1,
          DatapointsToAlarm: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          TreatMissingData: 'notBreaching',
          StateTransitionedTimestamp: new Date('2025-03-01T00:00:00Z'),
        }],
        CompositeAlarms: [{
          AlarmName: 'orders-health',
          AlarmArn: alarmArn('orders-health'),
          ActionsEnabled: true,
          AlarmActions: [topic],
          AlarmRule: 'ALARM("orders-api-errors") OR ALARM("orders-api-error-rate")',
          StateValue: 'OK',
          StateUpdatedTimestamp: new Date('2025-03-01T00:00:00Z'),
          AlarmConfigurationUpdatedTimestamp: new Date('2025-01-10T12:00:00Z'),
        }],
        NextToken: TOKEN,
      };
    }
    if (input.NextToken === TOKEN) {
      return {
        MetricAlarms: [{
          AlarmName: 'orders-api-error-rate',
          AlarmArn: alarmArn('orders-api-error-rate'),
          ActionsEnabled: false,
          AlarmActions: [],
          StateValue: 'INSUFFICIENT_DATA',
          EvaluationPeriods: 3,
          Threshold: 5,
          ComparisonOperator: 'GreaterThanThreshold',
          Metrics: [
            { Id: 'e1', Expression: '100 * errors / invocations', Label: 'Error rate', ReturnData: true },
            { Id: 'errors', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'orders-api' }] }, Period: 300, Stat: 'Sum' }, ReturnData: false },
            { Id: 'invocations', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: [{ Name: 'FunctionName', Value: 'orders-api' }] }, Period: 300, Stat: 'Sum' }, ReturnData: false },
          ],
        }],
        CompositeAlarms: [],
      };
    }
    throw new Error(`unexpected NextToken ${input.NextToken}`);
  });
}

describe('alarms collector', () => {
  it('collects metric, metric-math and composite alarms across pages', async () => {
    mockPages();
    const t = makeContext({ region: REGION, accountId: ACCOUNT });
    await alarmsCollector.collect(t.ctx);
    const alarms = t.region.resources.AwsCloudWatchAlarm as CloudWatchAlarm[];
    const byName = (n: string) => alarms.find((a) => a.AlarmName === n)!;
    expect(alarms.map((a) => a.AlarmName).sort()).toEqual(['orders-api-error-rate', 'orders-api-errors', 'orders-health']);

    expect(byName('orders-api-errors')).toMatchObject({
      kind: 'AwsCloudWatchAlarm', arn: alarmArn('orders-api-errors'), name: 'orders-api-errors', region: REGION,
      AlarmType: 'MetricAlarm', Namespace: 'AWS/Lambda', MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: 'orders-api' }], AlarmActions: [topic], ActionsEnabled: true,
      StateUpdatedTimestamp: '2025-03-01T00:00:00.000Z',
    });
    expect(byName('orders-api-error-rate')).toMatchObject({ AlarmType: 'MetricAlarm', ActionsEnabled: false });
    expect(byName('orders-api-error-rate').Metrics).toHaveLength(3);
    expect(byName('orders-api-error-rate').Metrics![1]!.MetricStat!.Metric).toEqual({
      Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'orders-api' }],
    });
    expect(byName('orders-health')).toMatchObject({
      AlarmType: 'CompositeAlarm', AlarmRule: 'ALARM("orders-api-errors") OR ALARM("orders-api-error-rate")', AlarmActions: [topic],
    });
    expect(t.factory.counter.calls).toEqual({ 'cloudwatch:DescribeAlarms': 2 });
    expect(JSON.parse(JSON.stringify(t.inventory))).toEqual(t.inventory);
  });

  it('records a list gap and an error when DescribeAlarms fails', async () => {
    cw.on(DescribeAlarmsCommand).rejects(new CloudWatchServiceException({
      name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 },
      message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/auditor/s is not authorized to perform: cloudwatch:DescribeAlarms`,
    }));
    const t = makeContext({ region: REGION, accountId: ACCOUNT });
    await alarmsCollector.collect(t.ctx);
    expect(t.region.resources.AwsCloudWatchAlarm ?? []).toEqual([]);
    expect(t.region.listGaps).toEqual([expect.objectContaining({
      kind: 'AwsCloudWatchAlarm', scopeArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:account`, operation: 'cloudwatch:DescribeAlarms', code: 'AccessDenied',
    })]);
    expect(t.errors).toEqual([expect.objectContaining({ service: 'cloudwatch', operation: 'cloudwatch:DescribeAlarms', code: 'AccessDenied' })]);
  });
});
