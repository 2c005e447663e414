// Service quotas: region-wide limits and usage on the AwsAccountRegion pseudo resource (`quotas`), and the
// account-wide IAM summary on the AwsAccount pseudo resource (`quotas-account`). The quota checks in
// checks/quota/ judge them; usage summed over resources (tables, APIs, topics, log groups) comes from the
// other collectors' inventory.
import { APIGatewayClient, GetAccountCommand } from '@aws-sdk/client-api-gateway';
import { CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { DescribeLimitsCommand as DynamoDbDescribeLimitsCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetAccountSummaryCommand, IAMClient } from '@aws-sdk/client-iam';
import { DescribeLimitsCommand as KinesisDescribeLimitsCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { GetAccountSettingsCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  GetAWSDefaultServiceQuotaCommand, GetServiceQuotaCommand, ServiceQuotasClient, type ServiceQuota,
} from '@aws-sdk/client-service-quotas';
import { errorCode, isUnreachable, toGap } from '../aws/errors.js';
import type { Account, AccountRegion, Gap } from '../model/index.js';
import { getMetricData, lookback, toSeries } from './metrics.js';
import type { CollectContext, Collector } from './types.js';

export interface QuotaRef {
  service: string;
  code: string;
  /** For readers of this file; the value read from AWS carries the real name. */
  name: string;
}

/**
 * The quotas the checks in checks/quota/ read, and only those: GetServiceQuota allows 5 requests per second.
 * Stored in `ServiceQuotas` under `service/code`.
 */
export const REGION_QUOTAS: readonly QuotaRef[] = [
  { service: 'lambda', code: 'L-B99A9384', name: 'Concurrent executions' },
  { service: 'lambda', code: 'L-2ACBD22F', name: 'Function and layer storage (GB)' },
  { service: 'dynamodb', code: 'L-34F6A552', name: 'Account-level read throughput limit (Provisioned mode)' },
  { service: 'dynamodb', code: 'L-34F8CCC8', name: 'Account-level write throughput limit (Provisioned mode)' },
  { service: 'kinesis', code: 'L-0918CF54', name: 'Shards per Region' },
  { service: 'apigateway', code: 'L-8A5B8E43', name: 'Throttle rate' },
  { service: 'apigateway', code: 'L-AA0FF27B', name: 'Regional APIs' },
  { service: 'apigateway', code: 'L-B97207D0', name: 'Edge-optimized APIs' },
  { service: 'apigateway', code: 'L-A966AB5C', name: 'Private APIs' },
  { service: 'sns', code: 'L-61103206', name: 'Topics per Account' },
  { service: 'logs', code: 'L-C7B9AAAB', name: 'Log groups' },
];

/** Global quotas: readable only through the us-east-1 endpoint (the account collector's client region). */
export const ACCOUNT_QUOTAS: readonly QuotaRef[] = [{ service: 'iam', code: 'L-FE177D64', name: 'Roles per account' }];

/** Metric series this collector puts in `AccountRegion.Metrics` (with --metrics). */
export const QUOTA_SERIES = {
  /** AWS/Lambda ConcurrentExecutions (no dimensions), Maximum per hour: the hourly maximum keeps every 1-minute peak. */
  lambdaConcurrency: 'ConcurrentExecutions',
  /** AWS/ApiGateway Count of every REST API (dimension ApiName only), summed, per 60 s. */
  apiGatewayRestCount: 'ApiGatewayRestCount',
  /** AWS/ApiGateway Count of every HTTP API (dimension ApiId only), summed, per 60 s. */
  apiGatewayHttpCount: 'ApiGatewayHttpCount',
} as const;

/** Days of metric history read for the peaks (1-minute data is kept for 15 days). */
export const METRIC_LOOKBACK_DAYS = 14;

type QuotaEntry = NonNullable<AccountRegion['ServiceQuotas']>[string];

const REGION_OPERATIONS = [
  'servicequotas:GetServiceQuota', 'servicequotas:GetAWSDefaultServiceQuota', 'lambda:GetAccountSettings', 'apigateway:GET',
  'dynamodb:DescribeLimits', 'kinesis:DescribeLimits', 'cloudwatch:GetMetricData',
] as const;

export const quotasCollector: Collector = {
  name: 'quotas',
  kinds: ['AwsAccountRegion'],
  scope: 'region',
  operations: REGION_OPERATIONS,
  async collect(ctx) {
    const ar = ctx.accountRegion();
    await Promise.all([
      read(ctx, ar, 'LambdaAccountSettings', 'lambda:GetAccountSettings', async () => {
        const out = await ctx.client(LambdaClient).send(new GetAccountSettingsCommand({}));
        return { AccountLimit: out.AccountLimit, AccountUsage: out.AccountUsage };
      }),
      read(ctx, ar, 'ApiGatewayAccount', 'apigateway:GetAccount', async () => {
        const out = await ctx.client(APIGatewayClient).send(new GetAccountCommand({}));
        return { cloudwatchRoleArn: out.cloudwatchRoleArn, throttleSettings: out.throttleSettings };
      }),
      read(ctx, ar, 'DynamoDbLimits', 'dynamodb:DescribeLimits', async () => {
        const out = await ctx.client(DynamoDBClient).send(new DynamoDbDescribeLimitsCommand({}));
        return {
          AccountMaxReadCapacityUnits: out.AccountMaxReadCapacityUnits, AccountMaxWriteCapacityUnits: out.AccountMaxWriteCapacityUnits,
          TableMaxReadCapacityUnits: out.TableMaxReadCapacityUnits, TableMaxWriteCapacityUnits: out.TableMaxWriteCapacityUnits,
        };
      }),
      read(ctx, ar, 'KinesisLimits', 'kinesis:DescribeLimits', async () => {
        const out = await ctx.client(KinesisClient).send(new KinesisDescribeLimitsCommand({}));
        return {
          ShardLimit: out.ShardLimit, OpenShardCount: out.OpenShardCount,
          OnDemandStreamCount: out.OnDemandStreamCount, OnDemandStreamCountLimit: out.OnDemandStreamCountLimit,
        };
      }),
      readQuotas(ctx, ar, REGION_QUOTAS),
      ctx.options.metrics || ctx.options.regionMetrics ? readMetrics(ctx, ar) : Promise.resolve(),
    ]);
  },
};

export const quotasAccountCollector: Collector = {
  name: 'quotas-account',
  kinds: ['AwsAccount'],
  scope: 'account',
  operations: ['iam:GetAccountSummary', 'servicequotas:GetServiceQuota', 'servicequotas:GetAWSDefaultServiceQuota'],
  async collect(ctx) {
    const account = ctx.account();
    await Promise.all([
      read(ctx, account, 'IamAccountSummary', 'iam:GetAccountSummary', async () => {
        const out = await ctx.client(IAMClient).send(new GetAccountSummaryCommand({}));
        return { ...out.SummaryMap };
      }),
      readQuotas(ctx, account, ACCOUNT_QUOTAS),
    ]);
  },
};

function setGap(resource: { gaps?: Record<string, Gap> }, key: string, gap: Gap): void {
  resource.gaps = { ...resource.gaps, [key]: gap };
}

/** One call that fills one field; a failure becomes a gap on that field. */
async function read<R extends AccountRegion | Account, F extends keyof R & string>(
  ctx: CollectContext, resource: R, field: F, operation: string, fn: () => Promise<R[F]>,
): Promise<void> {
  const service = operation.split(':')[0]!;
  try {
    resource[field] = await ctx.limit(service, fn);
  } catch (err) {
    setGap(resource, field, toGap(operation, err));
  }
}

/**
 * Applied value (GetServiceQuota) when AWS has one, else the AWS default (GetAWSDefaultServiceQuota). When neither
 * can be read, the entry is absent and the gap is recorded under `ServiceQuotas.service/code`, so that one unreadable
 * quota does not blank the checks of the others (a check then falls back to the service's own API, or is NOT_ASSESSED).
 * Called one after another: the Service Quotas API allows 5 requests per second.
 */
async function readQuotas(ctx: CollectContext, resource: AccountRegion | Account, quotas: readonly QuotaRef[]): Promise<void> {
  const client = ctx.client(ServiceQuotasClient);
  for (const q of quotas) {
    const key = `${q.service}/${q.code}`;
    const input = { ServiceCode: q.service, QuotaCode: q.code };
    let appliedError: unknown;
    try {
      const out = await ctx.limit('servicequotas', () => client.send(new GetServiceQuotaCommand(input)));
      const entry = entryOf(out.Quota, 'applied');
      if (entry) {
        resource.ServiceQuotas = { ...resource.ServiceQuotas, [key]: entry };
        continue;
      }
      appliedError = noValue(out.Quota);
    } catch (err) {
      appliedError = err;
      // A region that does not answer (or an expired session) would fail every remaining call the same way, each
      // after its full retries: gap them all now.
      if (isUnreachable(err)) {
        for (const rest of quotas.slice(quotas.indexOf(q))) setGap(resource, `ServiceQuotas.${rest.service}/${rest.code}`, toGap('servicequotas:GetServiceQuota', err));
        return;
      }
    }
    try {
      const out = await ctx.limit('servicequotas', () => client.send(new GetAWSDefaultServiceQuotaCommand(input)));
      const entry = entryOf(out.Quota, 'default');
      if (!entry) throw noValue(out.Quota);
      resource.ServiceQuotas = { ...resource.ServiceQuotas, [key]: entry };
    } catch (err) {
      const gap = toGap('servicequotas:GetAWSDefaultServiceQuota', err);
      setGap(resource, `ServiceQuotas.${key}`, { ...gap, message: `GetServiceQuota: ${errorCode(appliedError)}; GetAWSDefaultServiceQuota: ${gap.code}${gap.message ? ` (${gap.message})` : ''}` });
    }
  }
}

/** An answer without a value: the quota's ErrorReason (e.g. DEPENDENCY_THROTTLING_ERROR) becomes the error. */
function noValue(quota: ServiceQuota | undefined): Error {
  const reason = quota?.ErrorReason;
  return Object.assign(new Error(reason?.ErrorMessage ?? 'the answer carried no quota value'), { name: reason?.ErrorCode ?? 'NoValue' });
}

function entryOf(quota: ServiceQuota | undefined, source: 'applied' | 'default'): QuotaEntry | undefined {
  if (typeof quota?.Value !== 'number') return undefined;
  return { value: quota.Value, source, ...(quota.QuotaName ? { quotaName: quota.QuotaName } : {}) };
}

/** Peak inputs for the metric-based quotas, in one GetMetricData call. */
async function readMetrics(ctx: CollectContext, ar: AccountRegion): Promise<void> {
  const S = QUOTA_SERIES;
  const queries: MetricDataQuery[] = [
    {
      Id: 'lambdaConcurrency', ReturnData: true,
      MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'ConcurrentExecutions' }, Period: 3600, Stat: 'Maximum' },
    },
    // The schema `{AWS/ApiGateway,ApiName}` matches only the API-level series (not per stage or method), so each
    // request is counted once; REST APIs that share a name share this series too.
    { Id: 'apigwRest', ReturnData: true, Period: 60, Expression: `SUM(SEARCH('{AWS/ApiGateway,ApiName} MetricName="Count"', 'Sum', 60))` },
    { Id: 'apigwHttp', ReturnData: true, Period: 60, Expression: `SUM(SEARCH('{AWS/ApiGateway,ApiId} MetricName="Count"', 'Sum', 60))` },
  ];
  const series: [string, string, number, string][] = [
    ['lambdaConcurrency', S.lambdaConcurrency, 3600, 'Maximum'],
    ['apigwRest', S.apiGatewayRestCount, 60, 'Sum'],
    ['apigwHttp', S.apiGatewayHttpCount, 60, 'Sum'],
  ];
  let answer: Awaited<ReturnType<typeof getMetricData>>;
  try {
    answer = await getMetricData(
      ctx.client(CloudWatchClient), queries, lookback(ctx.options.now ?? new Date(), METRIC_LOOKBACK_DAYS), (fn) => ctx.limit('cloudwatch', fn),
    );
  } catch (err) {
    for (const [, name] of series) setGap(ar, `Metrics.${name}`, toGap('cloudwatch:GetMetricData', err));
    return;
  }
  for (const [id, name, period, stat] of series) {
    const failed = answer.failed[id];
    const points = answer.points[id];
    if (failed) setGap(ar, `Metrics.${name}`, failed);
    else if (!points) setGap(ar, `Metrics.${name}`, { operation: 'cloudwatch:GetMetricData', code: 'NoResult', message: `no result for query ${id}` });
    else ar.Metrics = { ...ar.Metrics, [name]: toSeries(points, period, stat) };
  }
}
