// CloudWatch alarms: metric and composite alarms of the region (DescribeAlarms, 100 per page).
import { CloudWatchClient, paginateDescribeAlarms, type CompositeAlarm, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchAlarm } from '../model/index.js';
import { jsonSafeWith } from './json.js';
import { profileText } from './redact.js';
import type { CollectContext, Collector } from './types.js';

export const alarmsCollector: Collector = {
  name: 'alarms',
  kinds: ['AwsCloudWatchAlarm'],
  scope: 'region',
  operations: ['cloudwatch:DescribeAlarms'],
  async collect(ctx) {
    const client = ctx.client(CloudWatchClient);
    await ctx.limit('cloudwatch', async () => {
      try {
        const input = { AlarmTypes: ['MetricAlarm' as const, 'CompositeAlarm' as const], MaxRecords: 100 };
        for await (const page of paginateDescribeAlarms({ client, stopOnSameToken: true }, input)) {
          for (const raw of page.MetricAlarms ?? []) ctx.add(toAlarm(ctx, raw, 'MetricAlarm'));
          for (const raw of page.CompositeAlarms ?? []) ctx.add(toAlarm(ctx, raw, 'CompositeAlarm'));
        }
      } catch (err) {
        ctx.listGap('AwsCloudWatchAlarm', ctx.accountRegion().arn, 'cloudwatch:DescribeAlarms', err, ctx.accountRegion().name);
      }
    });
  },
};

function toAlarm(ctx: CollectContext, raw: MetricAlarm | CompositeAlarm, AlarmType: CloudWatchAlarm['AlarmType']): CloudWatchAlarm {
  const AlarmName = raw.AlarmName ?? '';
  const AlarmArn = raw.AlarmArn ?? `arn:${ctx.partition}:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:${AlarmName}`;
  return jsonSafeWith(raw, {
    // Free text: profiled like an environment value (runbook notes end up holding keys and webhook URLs).
    ...(raw.AlarmDescription !== undefined ? { AlarmDescription: profileText(raw.AlarmDescription) } : {}),
    kind: 'AwsCloudWatchAlarm',
    arn: AlarmArn,
    name: AlarmName,
    accountId: ctx.accountId,
    region: ctx.region,
    tags: {},
    AlarmName,
    AlarmArn,
    AlarmType,
  }) as unknown as CloudWatchAlarm;
}
