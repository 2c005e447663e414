// CloudWatch Logs: every log group of the region in one DescribeLogGroups sweep (50 per page).
import { CloudWatchLogsClient, paginateDescribeLogGroups, type LogGroup } from '@aws-sdk/client-cloudwatch-logs';
import type { LogsLogGroup } from '../model/index.js';
import { jsonSafeWith } from './json.js';
import type { CollectContext, Collector } from './types.js';

export const logsCollector: Collector = {
  name: 'logs',
  kinds: ['AwsLogsLogGroup'],
  scope: 'region',
  operations: ['logs:DescribeLogGroups'],
  async collect(ctx) {
    const client = ctx.client(CloudWatchLogsClient);
    await ctx.limit('logs', async () => {
      try {
        for await (const page of paginateDescribeLogGroups({ client, stopOnSameToken: true }, {})) {
          for (const raw of page.logGroups ?? []) ctx.add(toLogGroup(ctx, raw));
        }
      } catch (err) {
        ctx.listGap('AwsLogsLogGroup', ctx.accountRegion().arn, 'logs:DescribeLogGroups', err, ctx.accountRegion().name);
      }
    });
  },
};

/** Canonical log group ARN: `logGroupArn`, else `arn` without its trailing `:*`. */
export function logGroupArn(raw: LogGroup, ctx: Pick<CollectContext, 'partition' | 'region' | 'accountId'>): string {
  if (raw.logGroupArn) return raw.logGroupArn;
  if (raw.arn) return raw.arn.replace(/:\*$/, '');
  return `arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:${raw.logGroupName ?? ''}`;
}

function toLogGroup(ctx: CollectContext, raw: LogGroup): LogsLogGroup {
  // The base fields come last: the response's own `arn` (with `:*`) must not replace the canonical one.
  return jsonSafeWith(raw, {
    kind: 'AwsLogsLogGroup',
    arn: logGroupArn(raw, ctx),
    name: raw.logGroupName ?? '',
    accountId: ctx.accountId,
    region: ctx.region,
    tags: {},
    logGroupName: raw.logGroupName ?? '',
  }) as unknown as LogsLogGroup;
}
