// The quota checks (checks/quota/): every quota below, at and above its threshold, at the quota (HIGH), each limit
// source and the order between them, an unreadable quota, the `threshold` option, evidence and result ARNs.
import { describe, expect, it } from 'vitest';
import apigwAccountRps from '../../checks/quota/apigw-account-rps-80.js';
import apigwRestApis from '../../checks/quota/apigw-rest-apis-80.js';
import dynamodbThroughput from '../../checks/quota/dynamodb-account-throughput-80.js';
import iamRoles from '../../checks/quota/iam-roles-80.js';
import kinesisShards from '../../checks/quota/kinesis-shards-80.js';
import lambdaCodeStorage from '../../checks/quota/lambda-code-storage-80.js';
import lambdaConcurrency from '../../checks/quota/lambda-concurrency-80.js';
import lambdaUnreserved from '../../checks/quota/lambda-unreserved-low.js';
import logsLogGroups from '../../checks/quota/logs-log-groups-80.js';
import snsTopics from '../../checks/quota/sns-topics-80.js';
import { ACCOUNT_QUOTAS, QUOTA_SERIES, REGION_QUOTAS } from '../../src/collect/quotas.js';
import { accountOf, EXAMPLE_ACCOUNT, makeResource } from '../../src/engine/examples.js';
import { evaluateAccount } from '../../src/engine/evaluate.js';
import { findingId } from '../../src/engine/finding-id.js';
import type { AnyResource, Check, CheckOptions, Kind, Result } from '../../src/model/index.js';

type Source = 'applied' | 'default' | 'service-api';
const GiB = 1024 ** 3;
const NOW = new Date('2026-06-01T00:00:00Z');

function run(check: Check, resources: AnyResource[], options?: CheckOptions, listGaps: { kind: Kind }[] = []): Result[] {
  const account = accountOf(resources, listGaps);
  const undeclared: string[] = [];
  const results = evaluateAccount([check], account, {
    now: NOW, checkOptions: options ? { [check.id]: options } : undefined, onUndeclaredRead: (_c, what) => undeclared.push(what),
  });
  expect(undeclared).toEqual([]);
  return results;
}

const ar = (p: Record<string, unknown>) => makeResource('AwsAccountRegion', p) as AnyResource;
const sq = (service: string, code: string, value: number, source: 'applied' | 'default') => ({ [`${service}/${code}`]: { value, source } });
/** A Service Quotas entry for `source`; for `service-api`, a default that disagrees, to show it is not used. */
const sqFor = (service: string, code: string, limit: number, source: Source) =>
  source === 'service-api' ? sq(service, code, limit * 7, 'default') : sq(service, code, limit, source);
const many = (kind: Kind, n: number, extra: (i: number) => Record<string, unknown> = () => ({})) =>
  Array.from({ length: n }, (_, i) => makeResource(kind, { name: `${kind}-${i}`, ...extra(i) }) as AnyResource);

interface Case {
  name: string;
  check: Check;
  service: string;
  subKey?: string;
  quotaCode: string | null;
  limit: number;
  sources: Source[];
  /** Resources for `usage` against `limit` read from `source`. */
  build(usage: number, limit: number, source: Source): AnyResource[];
}

const cases: Case[] = [
  {
    name: 'Lambda concurrency', service: 'lambda', check: lambdaConcurrency as Check, quotaCode: 'L-B99A9384', limit: 1000, sources: ['applied', 'service-api', 'default'],
    build: (usage, limit, source) => [ar({
      ServiceQuotas: sqFor('lambda', 'L-B99A9384', limit, source),
      LambdaAccountSettings: { AccountLimit: source === 'service-api' ? { ConcurrentExecutions: limit } : {} },
      Metrics: { ConcurrentExecutions: { Timestamps: ['2026-05-31T10:00:00.000Z', '2026-05-31T11:00:00.000Z'], Values: [1, usage], Period: 3600, Stat: 'Maximum' } },
    })],
  },
  {
    name: 'Lambda code storage', service: 'lambda', check: lambdaCodeStorage as Check, quotaCode: 'L-2ACBD22F', limit: 75 * GiB, sources: ['applied', 'service-api', 'default'],
    build: (usage, limit, source) => [ar({
      ServiceQuotas: sqFor('lambda', 'L-2ACBD22F', limit / GiB, source),
      LambdaAccountSettings: { AccountUsage: { TotalCodeSize: usage }, AccountLimit: source === 'service-api' ? { TotalCodeSize: limit } : {} },
    })],
  },
  ...(['read', 'write'] as const).map((dim): Case => ({
    name: `DynamoDB ${dim} capacity`, service: 'dynamodb', check: dynamodbThroughput as Check, subKey: dim, quotaCode: dim === 'read' ? 'L-34F6A552' : 'L-34F8CCC8',
    limit: 80000, sources: ['applied', 'service-api', 'default'],
    build: (usage, limit, source) => {
      const field = dim === 'read' ? 'ReadCapacityUnits' : 'WriteCapacityUnits';
      // Half on a table, a quarter on its index, a quarter on a second table; an on-demand table adds nothing.
      const pt = (n: number) => ({ [field]: n });
      return [
        ar({
          ServiceQuotas: { ...sqFor('dynamodb', 'L-34F6A552', limit, source), ...sqFor('dynamodb', 'L-34F8CCC8', limit, source) },
          DynamoDbLimits: source === 'service-api' ? { AccountMaxReadCapacityUnits: limit, AccountMaxWriteCapacityUnits: limit } : {},
        }),
        makeResource('AwsDynamoDbTable', {
          name: 't1', ProvisionedThroughput: pt(usage / 2),
          GlobalSecondaryIndexes: [{ IndexName: 'g', ProvisionedThroughput: pt(usage / 4) }],
        }) as AnyResource,
        makeResource('AwsDynamoDbTable', { name: 't2', BillingModeSummary: { BillingMode: 'PROVISIONED' }, ProvisionedThroughput: pt(usage / 4) }) as AnyResource,
        makeResource('AwsDynamoDbTable', { name: 't3', BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' }, ProvisionedThroughput: pt(999999) }) as AnyResource,
      ];
    },
  })),
  {
    name: 'Kinesis shards', service: 'kinesis', check: kinesisShards as Check, subKey: 'shards', quotaCode: 'L-0918CF54', limit: 1000, sources: ['applied', 'service-api', 'default'],
    build: (usage, limit, source) => [ar({
      ServiceQuotas: sqFor('kinesis', 'L-0918CF54', limit, source),
      KinesisLimits: { OpenShardCount: usage, OnDemandStreamCount: 0, OnDemandStreamCountLimit: 50, ...(source === 'service-api' ? { ShardLimit: limit } : {}) },
    })],
  },
  {
    name: 'Kinesis on-demand streams', service: 'kinesis', check: kinesisShards as Check, subKey: 'on-demand-streams', quotaCode: null, limit: 100, sources: ['service-api'],
    build: (usage, limit) => [ar({ KinesisLimits: { OpenShardCount: 0, ShardLimit: 1000, OnDemandStreamCount: usage, OnDemandStreamCountLimit: limit } })],
  },
  {
    name: 'API Gateway request rate', service: 'apigateway', check: apigwAccountRps as Check, quotaCode: 'L-8A5B8E43', limit: 10000, sources: ['applied', 'service-api', 'default'],
    build: (usage, limit, source) => {
      // usage rps in the busiest minute, split over REST and HTTP APIs.
      const t = ['2026-05-31T10:00:00.000Z', '2026-05-31T10:01:00.000Z'];
      return [ar({
        ServiceQuotas: sqFor('apigateway', 'L-8A5B8E43', limit, source),
        ApiGatewayAccount: { throttleSettings: source === 'service-api' ? { rateLimit: limit, burstLimit: 5000 } : {} },
        Metrics: {
          [QUOTA_SERIES.apiGatewayRestCount]: { Timestamps: t, Values: [60, usage * 30], Period: 60, Stat: 'Sum' },
          [QUOTA_SERIES.apiGatewayHttpCount]: { Timestamps: t, Values: [0, usage * 30], Period: 60, Stat: 'Sum' },
        },
      })];
    },
  },
  ...([
    ['regional', 'REGIONAL', 'L-AA0FF27B', 600],
    // Test limits that make every level a whole number of APIs (the real defaults are 120 and 600).
    ['edge', 'EDGE', 'L-B97207D0', 100],
    ['private', 'PRIVATE', 'L-A966AB5C', 200],
  ] as const).map(([key, type, code, limit]): Case => ({
    name: `API Gateway ${key} APIs`, service: 'apigateway', check: apigwRestApis as Check, subKey: key, quotaCode: code, limit, sources: ['applied', 'default'],
    build: (usage, lim, source) => {
      // Regional: half REST, half HTTP/WebSocket (both count); the other types: REST APIs of that type only.
      const restCount = key === 'regional' ? usage / 2 : usage;
      return [
        ar({ ServiceQuotas: { ...sq('apigateway', 'L-AA0FF27B', 600, 'applied'), ...sq('apigateway', 'L-B97207D0', 120, 'applied'), ...sq('apigateway', 'L-A966AB5C', 600, 'applied'), ...sq('apigateway', code, lim, source as 'applied' | 'default') } }),
        ...many('AwsApiGatewayRestApi', restCount, (i) => ({ name: `${key}-${i}`, endpointConfiguration: { types: [type] } })),
        ...(key === 'regional' ? many('AwsApiGatewayV2Api', usage / 2) : []),
        // An API of another type must not count here.
        ...many('AwsApiGatewayRestApi', 1, () => ({ name: `other-${key}`, endpointConfiguration: { types: [type === 'EDGE' ? 'PRIVATE' : 'EDGE'] } })),
      ];
    },
  })),
  {
    name: 'SNS topics', service: 'sns', check: snsTopics as Check, quotaCode: 'L-61103206', limit: 100, sources: ['applied', 'default'],
    build: (usage, limit, source) => [ar({ ServiceQuotas: sq('sns', 'L-61103206', limit, source as 'applied' | 'default') }), ...many('AwsSnsTopic', usage)],
  },
  {
    name: 'log groups', service: 'logs', check: logsLogGroups as Check, quotaCode: 'L-C7B9AAAB', limit: 100, sources: ['applied', 'default'],
    build: (usage, limit, source) => [ar({ ServiceQuotas: sq('logs', 'L-C7B9AAAB', limit, source as 'applied' | 'default') }), ...many('AwsLogsLogGroup', usage)],
  },
  {
    name: 'IAM roles', service: 'iam', check: iamRoles as Check, quotaCode: 'L-FE177D64', limit: 1000, sources: ['applied', 'service-api', 'default'],
    build: (usage, limit, source) => [makeResource('AwsAccount', {
      ServiceQuotas: sqFor('iam', 'L-FE177D64', limit, source),
      IamAccountSummary: { Roles: usage, ...(source === 'service-api' ? { RolesQuota: limit } : {}) },
    }) as AnyResource],
  },
];

/** The result of the case's quota: the only one, or the one with the case's sub-key (part of the finding id). */
function pick(c: Case, results: Result[]): Result {
  const r = results.find((x) => x.findingId === findingId(c.check.id, x.accountId, x.region, x.resourceArn, c.subKey));
  expect(r, `${c.name} result`).toBeDefined();
  return r!;
}

const levels = [
  { name: 'below the threshold (79%)', pct: 79, status: 'PASS', high: false },
  { name: 'at the threshold (80%)', pct: 80, status: 'FAIL', high: false },
  { name: 'above the threshold (90%)', pct: 90, status: 'FAIL', high: false },
  { name: 'at the quota (100%)', pct: 100, status: 'FAIL', high: true },
  { name: 'over the quota (120%)', pct: 120, status: 'FAIL', high: true },
] as const;

describe.each(cases)('$name', (c) => {
  it.each(levels)('$name', (level) => {
    const usage = (c.limit * level.pct) / 100;
    const r = pick(c, run(c.check, c.build(usage, c.limit, c.sources[0]!)));
    expect(r.status).toBe(level.status);
    expect(r.severity).toBe(level.high ? 'HIGH' : c.check.severity);
    expect(r.evidence).toMatchObject({ usage, limit: c.limit, percent: level.pct, quotaCode: c.quotaCode, source: c.sources[0], threshold: 80 });
    expect(r.evidence?.display).toMatch(new RegExp(` \\(${level.pct}\\.0%\\)$`));
  });

  it.each(c.sources)('reads the limit from source %s', (source) => {
    const r = pick(c, run(c.check, c.build((c.limit * 85) / 100, c.limit, source)));
    expect(r.status).toBe('FAIL');
    expect(r.evidence).toMatchObject({ source, limit: c.limit, percent: 85 });
  });

  it('follows the threshold option', () => {
    const resources = c.build((c.limit * 85) / 100, c.limit, c.sources[0]!);
    expect(pick(c, run(c.check, resources, { threshold: 90 })).status).toBe('PASS');
    expect(pick(c, run(c.check, resources, { threshold: 85 })).status).toBe('FAIL');
  });
});

describe('limit source order', () => {
  it('prefers the applied value, then the service API, then the AWS default', () => {
    const metrics = { ConcurrentExecutions: { Timestamps: ['2026-05-31T10:00:00.000Z'], Values: [9], Period: 3600, Stat: 'Maximum' } };
    const evalWith = (p: Record<string, unknown>) => run(lambdaConcurrency as Check, [ar({ Metrics: metrics, ...p })])[0]!;
    const all = evalWith({ ServiceQuotas: sq('lambda', 'L-B99A9384', 3000, 'applied'), LambdaAccountSettings: { AccountLimit: { ConcurrentExecutions: 10 } } });
    expect(all.evidence).toMatchObject({ source: 'applied', limit: 3000 });
    expect(all.status).toBe('PASS');
    // A new account: the default says 1000, GetAccountSettings says 10. The real limit wins.
    const newAccount = evalWith({ ServiceQuotas: sq('lambda', 'L-B99A9384', 1000, 'default'), LambdaAccountSettings: { AccountLimit: { ConcurrentExecutions: 10 } } });
    expect(newAccount.evidence).toMatchObject({ source: 'service-api', limit: 10 });
    expect(newAccount.status).toBe('FAIL');
    const defaultOnly = evalWith({ ServiceQuotas: sq('lambda', 'L-B99A9384', 1000, 'default'), LambdaAccountSettings: { AccountLimit: {} } });
    expect(defaultOnly.evidence).toMatchObject({ source: 'default', limit: 1000 });
  });

  it.each(cases.filter((c) => c.sources.includes('applied') && c.sources.length > 1))('$name: a quota no source gives is NOT_ASSESSED with the reason', (c) => {
    const resources = c.build((c.limit * 10) / 100, c.limit, 'default');
    const subject = resources[0] as AnyResource & { ServiceQuotas: Record<string, unknown> };
    const key = `${c.service}/${c.quotaCode}`;
    expect(subject.ServiceQuotas[key]).toBeDefined();
    delete subject.ServiceQuotas[key];
    subject.gaps = { [`ServiceQuotas.${key}`]: { operation: 'servicequotas:GetAWSDefaultServiceQuota', code: 'TooManyRequestsException', message: 'Rate exceeded' } };
    const r = pick(c, run(c.check, resources));
    expect(r.status).toBe('NOT_ASSESSED');
    expect(r.message).toContain('TooManyRequestsException');
    expect(r.message).toContain(c.quotaCode!);
  });
});

describe('metric-based quotas without metrics', () => {
  it.each([
    [lambdaConcurrency, { ServiceQuotas: sq('lambda', 'L-B99A9384', 1000, 'applied') }],
    [apigwAccountRps, { ServiceQuotas: sq('apigateway', 'L-8A5B8E43', 10000, 'applied') }],
  ] as const)('%s is NOT_ASSESSED and says the metrics are not in the inventory (a scan collects them without --metrics)', (check, p) => {
    const [r] = run(check as Check, [ar(p)]);
    expect(r!.status).toBe('NOT_ASSESSED');
    expect(r!.message).toContain('--metrics');
    expect(r!.message).toContain('not in this inventory');
  });

  it('reports the GetMetricData failure of the one series that failed', () => {
    const [r] = run(apigwAccountRps as Check, [ar({
      ServiceQuotas: sq('apigateway', 'L-8A5B8E43', 10000, 'applied'),
      Metrics: { [QUOTA_SERIES.apiGatewayRestCount]: { Timestamps: [], Values: [], Period: 60, Stat: 'Sum' } },
      gaps: { [`Metrics.${QUOTA_SERIES.apiGatewayHttpCount}`]: { operation: 'cloudwatch:GetMetricData', code: 'InternalError', message: 'boom' } },
    })]);
    expect(r!.status).toBe('NOT_ASSESSED');
    expect(r!.message).toContain('ApiGatewayHttpCount');
    expect(r!.message).toContain('InternalError');
  });

  it('adds REST and HTTP requests of the same minute before taking the peak', () => {
    const t = ['2026-05-31T10:00:00.000Z', '2026-05-31T10:01:00.000Z'];
    const [r] = run(apigwAccountRps as Check, [ar({
      ServiceQuotas: sq('apigateway', 'L-8A5B8E43', 1000, 'applied'),
      Metrics: {
        [QUOTA_SERIES.apiGatewayRestCount]: { Timestamps: t, Values: [30000, 6000], Period: 60, Stat: 'Sum' },
        [QUOTA_SERIES.apiGatewayHttpCount]: { Timestamps: t, Values: [0, 42000], Period: 60, Stat: 'Sum' },
      },
    })]);
    expect(r!.evidence).toMatchObject({ usage: 800, peakAt: t[1], percent: 80 });
    expect(r!.status).toBe('FAIL');
  });
});

describe('DynamoDB sum', () => {
  it('is NOT_ASSESSED when a table could not be described', () => {
    const results = run(dynamodbThroughput as Check, [
      ar({ DynamoDbLimits: { AccountMaxReadCapacityUnits: 80000, AccountMaxWriteCapacityUnits: 80000 } }),
      makeResource('AwsDynamoDbTable', { name: 'ok', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } }) as AnyResource,
      makeResource('AwsDynamoDbTable', { name: 'hidden', gaps: { ProvisionedThroughput: { operation: 'dynamodb:DescribeTable', code: 'AccessDeniedException', message: 'denied' } } }) as AnyResource,
    ]);
    expect(results.map((r) => r.status)).toEqual(['NOT_ASSESSED', 'NOT_ASSESSED']);
    expect(results[0]!.message).toContain('hidden');
  });
});

describe('quota.lambda-unreserved-low', () => {
  const evalUnreserved = (limit: number, unreserved: number, options?: CheckOptions) =>
    run(lambdaUnreserved as Check, [ar({ LambdaAccountSettings: { AccountLimit: { ConcurrentExecutions: limit, UnreservedConcurrentExecutions: unreserved } } })], options)[0]!;
  it.each([
    [1000, 500, 'PASS'],
    [1000, 200, 'PASS'], // exactly 20% left
    [1000, 199, 'FAIL'],
    [1000, 100, 'FAIL'],
  ] as const)('limit %d, unreserved %d → %s', (limit, unreserved, status) => {
    const r = evalUnreserved(limit, unreserved);
    expect(r.status).toBe(status);
    expect(r.evidence).toMatchObject({ usage: unreserved, limit, reserved: limit - unreserved, source: 'service-api', quotaCode: 'L-B99A9384' });
  });
  it('follows the threshold option', () => {
    expect(evalUnreserved(1000, 300, { threshold: 40 }).status).toBe('FAIL');
    expect(evalUnreserved(1000, 300, { threshold: 30 }).status).toBe('PASS');
  });
});

describe('result ARNs and display', () => {
  const region = 'us-east-1';
  it.each([
    [lambdaCodeStorage, ar({ LambdaAccountSettings: { AccountUsage: { TotalCodeSize: 30 * GiB }, AccountLimit: { TotalCodeSize: 75 * GiB } } }), `arn:aws:lambda:${region}:${EXAMPLE_ACCOUNT}:account`, '30.0 GiB / 75.0 GiB (40.0%)'],
    [kinesisShards, ar({ KinesisLimits: { OpenShardCount: 1500, ShardLimit: 6000, OnDemandStreamCount: 0, OnDemandStreamCountLimit: 50 } }), `arn:aws:kinesis:${region}:${EXAMPLE_ACCOUNT}:account`, '1,500 / 6,000 (25.0%)'],
    [snsTopics, ar({ ServiceQuotas: sq('sns', 'L-61103206', 100000, 'default') }), `arn:aws:sns:${region}:${EXAMPLE_ACCOUNT}:account`, '0 / 100,000 (0.0%)'],
    [iamRoles, makeResource('AwsAccount', { IamAccountSummary: { Roles: 5, RolesQuota: 1000 } }) as AnyResource, `arn:aws:iam::${EXAMPLE_ACCOUNT}:root`, '5 / 1,000 (0.5%)'],
  ] as const)('%s', (check, resource, arn, display) => {
    const [r] = run(check as Check, [resource]);
    expect(r!.resourceArn).toBe(arn);
    expect(r!.evidence?.display).toBe(display);
  });

  it('gives each sub-result its own finding id under the service ARN', () => {
    const results = run(dynamodbThroughput as Check, [ar({ DynamoDbLimits: { AccountMaxReadCapacityUnits: 80000, AccountMaxWriteCapacityUnits: 80000 } })]);
    expect(results.map((r) => r.resourceArn)).toEqual([`arn:aws:dynamodb:${region}:${EXAMPLE_ACCOUNT}:account`, `arn:aws:dynamodb:${region}:${EXAMPLE_ACCOUNT}:account`]);
    expect(new Set(results.map((r) => r.findingId)).size).toBe(2);
  });
});

describe('collector and checks agree on quota codes', () => {
  it('the collector reads every Service Quotas code a check uses, and no other', () => {
    const used = new Set(cases.map((c) => c.quotaCode).filter((c): c is string => c !== null));
    const read = new Set([...REGION_QUOTAS, ...ACCOUNT_QUOTAS].map((q) => q.code));
    expect([...read].sort()).toEqual([...used].sort());
  });
});
