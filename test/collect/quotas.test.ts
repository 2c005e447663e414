import { APIGatewayClient, GetAccountCommand } from '@aws-sdk/client-api-gateway';
import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { DescribeLimitsCommand as DynamoDbDescribeLimitsCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetAccountSummaryCommand, IAMClient } from '@aws-sdk/client-iam';
import { DescribeLimitsCommand as KinesisDescribeLimitsCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { GetAccountSettingsCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  AccessDeniedException, GetAWSDefaultServiceQuotaCommand, GetServiceQuotaCommand, NoSuchResourceException,
  ServiceQuotasClient, type GetServiceQuotaCommandInput, type ServiceQuota,
} from '@aws-sdk/client-service-quotas';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT_QUOTAS, QUOTA_SERIES, REGION_QUOTAS, quotasAccountCollector, quotasCollector } from '../../src/collect/quotas.js';
import type { AccountRegion } from '../../src/model/index.js';
import { makeContext } from './harness.js';

const lambda = mockClient(LambdaClient);
const apigw = mockClient(APIGatewayClient);
const ddb = mockClient(DynamoDBClient);
const kinesis = mockClient(KinesisClient);
const sq = mockClient(ServiceQuotasClient);
const cw = mockClient(CloudWatchClient);
const iam = mockClient(IAMClient);
const mocks = [lambda, apigw, ddb, kinesis, sq, cw, iam];
afterAll(() => mocks.forEach((m) => m.restore()));

const ACCOUNT = '123456789012';
const NOW = new Date('2026-06-01T10:30:45Z');
const denied = (what: string) => new AccessDeniedException({ message: `User is not authorized to perform: ${what}`, $metadata: {} });

/** A ServiceQuota as GetServiceQuota / GetAWSDefaultServiceQuota return it (the default has no account in its ARN). */
function quota(input: GetServiceQuotaCommandInput, Value: number, applied: boolean): { Quota: ServiceQuota } {
  return {
    Quota: {
      ServiceCode: input.ServiceCode, ServiceName: `Service ${input.ServiceCode}`, QuotaCode: input.QuotaCode,
      QuotaArn: `arn:aws:servicequotas:us-east-1:${applied ? ACCOUNT : ''}:${input.ServiceCode}/${input.QuotaCode}`,
      QuotaName: REGION_QUOTAS.concat(ACCOUNT_QUOTAS).find((q) => q.code === input.QuotaCode)?.name ?? 'unknown',
      Value, Unit: input.QuotaCode === 'L-2ACBD22F' ? 'Gigabytes' : 'None', Adjustable: true, GlobalQuota: input.ServiceCode === 'iam',
      ...(applied ? { QuotaAppliedAtLevel: 'ACCOUNT' as const } : {}),
    },
  };
}

function mockServiceApis(): void {
  lambda.on(GetAccountSettingsCommand).resolves({
    AccountLimit: { TotalCodeSize: 80530636800, CodeSizeUnzipped: 262144000, CodeSizeZipped: 52428800, ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 900 },
    AccountUsage: { TotalCodeSize: 1283734, FunctionCount: 12 },
  });
  apigw.on(GetAccountCommand).resolves({
    cloudwatchRoleArn: `arn:aws:iam::${ACCOUNT}:role/apigw-cloudwatch`, throttleSettings: { burstLimit: 5000, rateLimit: 10000 },
    features: ['UsagePlans'], apiKeyVersion: '4',
  });
  ddb.on(DynamoDbDescribeLimitsCommand).resolves({
    AccountMaxReadCapacityUnits: 80000, AccountMaxWriteCapacityUnits: 80000, TableMaxReadCapacityUnits: 40000, TableMaxWriteCapacityUnits: 40000,
  });
  kinesis.on(KinesisDescribeLimitsCommand).resolves({ ShardLimit: 20000, OpenShardCount: 12, OnDemandStreamCount: 2, OnDemandStreamCountLimit: 50 });
}

function regionContext() {
  const t = makeContext();
  t.ctx.options.now = NOW;
  return { ...t, ar: () => t.region.resources.AwsAccountRegion![0] as AccountRegion };
}

beforeEach(() => {
  mocks.forEach((m) => m.reset());
  mockServiceApis();
  sq.on(GetServiceQuotaCommand).callsFake((input: GetServiceQuotaCommandInput) => quota(input, 1000, true));
  sq.on(GetAWSDefaultServiceQuotaCommand).callsFake((input: GetServiceQuotaCommandInput) => quota(input, 500, false));
});

describe('quotas collector (region)', () => {
  it('fills the account-region from each service API and the applied quotas, without metrics by default', async () => {
    const { ctx, ar, factory, errors } = regionContext();
    await quotasCollector.collect(ctx);

    const r = ar();
    expect(r.arn).toBe(`arn:aws:lambda:us-east-1:${ACCOUNT}:account`);
    expect(r.gaps).toBeUndefined();
    expect(r.LambdaAccountSettings).toEqual({
      AccountLimit: { TotalCodeSize: 80530636800, CodeSizeUnzipped: 262144000, CodeSizeZipped: 52428800, ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 900 },
      AccountUsage: { TotalCodeSize: 1283734, FunctionCount: 12 },
    });
    // The account settings answer has more fields (features, apiKeyVersion); only these two are kept.
    expect(r.ApiGatewayAccount).toEqual({ cloudwatchRoleArn: `arn:aws:iam::${ACCOUNT}:role/apigw-cloudwatch`, throttleSettings: { burstLimit: 5000, rateLimit: 10000 } });
    expect(r.DynamoDbLimits).toEqual({ AccountMaxReadCapacityUnits: 80000, AccountMaxWriteCapacityUnits: 80000, TableMaxReadCapacityUnits: 40000, TableMaxWriteCapacityUnits: 40000 });
    expect(r.KinesisLimits).toEqual({ ShardLimit: 20000, OpenShardCount: 12, OnDemandStreamCount: 2, OnDemandStreamCountLimit: 50 });
    expect(Object.keys(r.ServiceQuotas ?? {}).sort()).toEqual(REGION_QUOTAS.map((q) => `${q.service}/${q.code}`).sort());
    expect(r.ServiceQuotas!['lambda/L-2ACBD22F']).toEqual({ value: 1000, source: 'applied', quotaName: 'Function and layer storage (GB)' });
    expect(r.Metrics).toBeUndefined();

    // Only the quotas the checks use, each asked once; no default needed; no metrics without --metrics.
    expect(sq.commandCalls(GetServiceQuotaCommand).map((c) => c.args[0].input)).toEqual(REGION_QUOTAS.map((q) => ({ ServiceCode: q.service, QuotaCode: q.code })));
    expect(sq.commandCalls(GetAWSDefaultServiceQuotaCommand)).toHaveLength(0);
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(0);
    expect(factory.counter.calls).toMatchObject({
      'lambda:GetAccountSettings': 1, 'apigateway:GetAccount': 1, 'dynamodb:DescribeLimits': 1, 'kinesis:DescribeLimits': 1,
      'servicequotas:GetServiceQuota': REGION_QUOTAS.length,
    });
    expect(errors).toEqual([]);
  });

  it('falls back to the AWS default, and gaps only the quota that neither call could read', async () => {
    sq.on(GetServiceQuotaCommand, { ServiceCode: 'lambda', QuotaCode: 'L-B99A9384' })
      .rejects(new NoSuchResourceException({ message: 'The request failed because the specified service quota does not exist.', $metadata: {} }));
    // An answer without a value (the quota carries an ErrorReason instead) counts as unreadable too.
    sq.on(GetServiceQuotaCommand, { ServiceCode: 'kinesis', QuotaCode: 'L-0918CF54' }).resolves({
      Quota: { ServiceCode: 'kinesis', QuotaCode: 'L-0918CF54', QuotaName: 'Shards per Region', ErrorReason: { ErrorCode: 'DEPENDENCY_THROTTLING_ERROR', ErrorMessage: 'throttled' } },
    });
    sq.on(GetServiceQuotaCommand, { ServiceCode: 'sns', QuotaCode: 'L-61103206' }).rejects(denied('servicequotas:GetServiceQuota'));
    sq.on(GetAWSDefaultServiceQuotaCommand, { ServiceCode: 'sns', QuotaCode: 'L-61103206' }).rejects(denied('servicequotas:GetAWSDefaultServiceQuota'));

    const { ctx, ar } = regionContext();
    await quotasCollector.collect(ctx);
    const r = ar();

    expect(r.ServiceQuotas!['lambda/L-B99A9384']).toEqual({ value: 500, source: 'default', quotaName: 'Concurrent executions' });
    expect(r.ServiceQuotas!['kinesis/L-0918CF54']).toMatchObject({ value: 500, source: 'default' });
    expect(r.ServiceQuotas!['sns/L-61103206']).toBeUndefined();
    expect(r.ServiceQuotas!['lambda/L-2ACBD22F']).toMatchObject({ value: 1000, source: 'applied' });
    expect(Object.keys(r.gaps ?? {})).toEqual(['ServiceQuotas.sns/L-61103206']);
    const gap = r.gaps!['ServiceQuotas.sns/L-61103206']!;
    expect(gap).toMatchObject({ operation: 'servicequotas:GetAWSDefaultServiceQuota', code: 'AccessDeniedException' });
    expect(gap.message).toContain('GetServiceQuota: AccessDeniedException');
    expect(sq.commandCalls(GetAWSDefaultServiceQuotaCommand).map((c) => c.args[0].input.QuotaCode).sort()).toEqual(['L-0918CF54', 'L-61103206', 'L-B99A9384']);
  });

  it.each([
    ['LambdaAccountSettings', () => lambda.on(GetAccountSettingsCommand).rejects(denied('lambda:GetAccountSettings')), 'lambda:GetAccountSettings'],
    ['ApiGatewayAccount', () => apigw.on(GetAccountCommand).rejects(denied('apigateway:GET')), 'apigateway:GetAccount'],
    ['DynamoDbLimits', () => ddb.on(DynamoDbDescribeLimitsCommand).rejects(denied('dynamodb:DescribeLimits')), 'dynamodb:DescribeLimits'],
    ['KinesisLimits', () => kinesis.on(KinesisDescribeLimitsCommand).rejects(denied('kinesis:DescribeLimits')), 'kinesis:DescribeLimits'],
  ] as const)('a failed call leaves a gap on exactly %s', async (field, fail, operation) => {
    fail();
    const { ctx, ar } = regionContext();
    await quotasCollector.collect(ctx);
    const r = ar();
    expect(Object.keys(r.gaps ?? {})).toEqual([field]);
    expect(r.gaps![field]).toMatchObject({ operation, code: 'AccessDeniedException' });
    expect(r[field]).toBeUndefined();
    for (const other of ['LambdaAccountSettings', 'ApiGatewayAccount', 'DynamoDbLimits', 'KinesisLimits'] as const) {
      if (other !== field) expect(r[other]).toBeDefined();
    }
  });

  describe('with --metrics', () => {
    const t = (iso: string) => new Date(iso);

    it('reads the concurrency and API Gateway peaks over 14 days in one GetMetricData call', async () => {
      cw.on(GetMetricDataCommand).resolves({
        MetricDataResults: [
          { Id: 'lambdaConcurrency', Label: 'ConcurrentExecutions', Timestamps: [t('2026-05-31T09:00:00Z'), t('2026-05-31T10:00:00Z')], Values: [17, 420], StatusCode: 'Complete' },
          { Id: 'apigwRest', Label: 'apigwRest', Timestamps: [t('2026-05-31T10:01:00Z')], Values: [1200], StatusCode: 'Complete' },
          // No HTTP API traffic: the expression answers with no points.
          { Id: 'apigwHttp', Label: 'apigwHttp', Timestamps: [], Values: [], StatusCode: 'Complete' },
        ],
        Messages: [],
      });
      const { ctx, ar } = regionContext();
      ctx.options.metrics = true;
      await quotasCollector.collect(ctx);

      const calls = cw.commandCalls(GetMetricDataCommand);
      expect(calls).toHaveLength(1);
      const input = calls[0]!.args[0].input as GetMetricDataCommandInput;
      expect(input.EndTime).toEqual(t('2026-06-01T10:30:00Z'));
      expect(input.StartTime).toEqual(t('2026-05-18T10:30:00Z'));
      expect(input.MetricDataQueries).toEqual([
        { Id: 'lambdaConcurrency', ReturnData: true, MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'ConcurrentExecutions' }, Period: 3600, Stat: 'Maximum' } },
        { Id: 'apigwRest', ReturnData: true, Period: 60, Expression: `SUM(SEARCH('{AWS/ApiGateway,ApiName} MetricName="Count"', 'Sum', 60))` },
        { Id: 'apigwHttp', ReturnData: true, Period: 60, Expression: `SUM(SEARCH('{AWS/ApiGateway,ApiId} MetricName="Count"', 'Sum', 60))` },
      ]);
      const r = ar();
      expect(r.Metrics).toEqual({
        [QUOTA_SERIES.lambdaConcurrency]: { Timestamps: ['2026-05-31T09:00:00.000Z', '2026-05-31T10:00:00.000Z'], Values: [17, 420], Period: 3600, Stat: 'Maximum' },
        [QUOTA_SERIES.apiGatewayRestCount]: { Timestamps: ['2026-05-31T10:01:00.000Z'], Values: [1200], Period: 60, Stat: 'Sum' },
        [QUOTA_SERIES.apiGatewayHttpCount]: { Timestamps: [], Values: [], Period: 60, Stat: 'Sum' },
      });
      expect(r.gaps).toBeUndefined();
    });

    it('gaps only the series GetMetricData could not answer', async () => {
      cw.on(GetMetricDataCommand).resolves({
        MetricDataResults: [
          { Id: 'lambdaConcurrency', Label: 'ConcurrentExecutions', Timestamps: [t('2026-05-31T10:00:00Z')], Values: [3], StatusCode: 'Complete' },
          { Id: 'apigwRest', Label: 'apigwRest', Timestamps: [], Values: [], StatusCode: 'Complete' },
          { Id: 'apigwHttp', Label: 'apigwHttp', Timestamps: [], Values: [], StatusCode: 'InternalError', Messages: [{ Code: 'InternalError', Value: 'Search failed' }] },
        ],
      });
      const { ctx, ar } = regionContext();
      ctx.options.metrics = true;
      await quotasCollector.collect(ctx);
      const r = ar();
      expect(Object.keys(r.Metrics ?? {}).sort()).toEqual([QUOTA_SERIES.apiGatewayRestCount, QUOTA_SERIES.lambdaConcurrency].sort());
      expect(r.gaps).toEqual({
        [`Metrics.${QUOTA_SERIES.apiGatewayHttpCount}`]: { operation: 'cloudwatch:GetMetricData', code: 'InternalError', message: 'InternalError Search failed' },
      });
    });

    it('gaps every series when the call is denied', async () => {
      cw.on(GetMetricDataCommand).rejects(Object.assign(new Error('User is not authorized to perform: cloudwatch:GetMetricData'), { name: 'AccessDenied', $metadata: {} }));
      const { ctx, ar } = regionContext();
      ctx.options.metrics = true;
      await quotasCollector.collect(ctx);
      const r = ar();
      expect(r.Metrics).toBeUndefined();
      expect(Object.keys(r.gaps ?? {}).sort()).toEqual(Object.values(QUOTA_SERIES).map((s) => `Metrics.${s}`).sort());
      expect(Object.values(r.gaps!).every((g) => g.code === 'AccessDenied')).toBe(true);
    });
  });
});

describe('quotas-account collector', () => {
  it('reads the IAM summary and the global roles quota through us-east-1', async () => {
    iam.on(GetAccountSummaryCommand).resolves({
      SummaryMap: { Roles: 412, RolesQuota: 1000, Users: 3, UsersQuota: 5000, Policies: 40, PoliciesQuota: 1500, InstanceProfiles: 2, InstanceProfilesQuota: 1000 },
    });
    const { ctx, inventory } = makeContext({ region: 'global' });
    await quotasAccountCollector.collect(ctx);

    const account = inventory.regions.find((r) => r.region === 'global')!.resources.AwsAccount![0]!;
    expect(account.arn).toBe(`arn:aws:iam::${ACCOUNT}:root`);
    expect(account.IamAccountSummary).toMatchObject({ Roles: 412, RolesQuota: 1000 });
    expect(account.ServiceQuotas).toEqual({ 'iam/L-FE177D64': { value: 1000, source: 'applied', quotaName: 'Roles per account' } });
    expect(account.gaps).toBeUndefined();
    const call = sq.commandCalls(GetServiceQuotaCommand)[0]!;
    expect(call.args[0].input).toEqual({ ServiceCode: 'iam', QuotaCode: 'L-FE177D64' });
    expect(await (call.thisValue as ServiceQuotasClient).config.region()).toBe('us-east-1');
  });

  it('gaps IamAccountSummary when GetAccountSummary is denied, and keeps the quota', async () => {
    iam.on(GetAccountSummaryCommand).rejects(Object.assign(new Error('not authorized to perform: iam:GetAccountSummary'), { name: 'AccessDenied', $metadata: {} }));
    const { ctx, inventory } = makeContext({ region: 'global' });
    await quotasAccountCollector.collect(ctx);
    const account = inventory.regions.find((r) => r.region === 'global')!.resources.AwsAccount![0]!;
    expect(Object.keys(account.gaps ?? {})).toEqual(['IamAccountSummary']);
    expect(account.gaps!.IamAccountSummary).toMatchObject({ operation: 'iam:GetAccountSummary', code: 'AccessDenied' });
    expect(account.IamAccountSummary).toBeUndefined();
    expect(account.ServiceQuotas?.['iam/L-FE177D64']).toBeDefined();
  });
});

describe('declared operations', () => {
  it('name every IAM action the collectors call', () => {
    expect([...quotasCollector.operations].sort()).toEqual([
      'apigateway:GET', 'cloudwatch:GetMetricData', 'dynamodb:DescribeLimits', 'kinesis:DescribeLimits', 'lambda:GetAccountSettings',
      'servicequotas:GetAWSDefaultServiceQuota', 'servicequotas:GetServiceQuota',
    ]);
    expect([...quotasAccountCollector.operations].sort()).toEqual(['iam:GetAccountSummary', 'servicequotas:GetAWSDefaultServiceQuota', 'servicequotas:GetServiceQuota']);
  });
});
