// Checks that read other resources (ctx.list), evaluated over several-resource, several-region inventories.
import { describe, expect, it } from 'vitest';
import apigwNo5xxAlarm from '../../checks/apigw/no-5xx-alarm.js';
import methodNoAuthorization from '../../checks/apigw/rest/method-no-authorization.js';
import routeNoAuthorization from '../../checks/apigw/v2/route-no-authorization.js';
import kinesisNoIteratorAgeAlarm from '../../checks/kinesis/no-iterator-age-alarm.js';
import deprecatedRuntime from '../../checks/lambda/deprecated-runtime.js';
import envSecrets from '../../checks/lambda/env-secrets.js';
import publicResourcePolicy from '../../checks/lambda/public-resource-policy.js';
import noErrorAlarm from '../../checks/lambda/no-error-alarm.js';
import sharedRole from '../../checks/lambda/shared-role.js';
import logsNoRetention from '../../checks/logs/no-retention.js';
import { kinesisStreamArnOf, sourceName, streamSourceOf } from '../../checks/lib/event-sources.js';
import { evaluateAccount } from '../../src/engine/evaluate.js';
import { accountOf, makeResource } from '../../src/engine/examples.js';
import { findingId } from '../../src/engine/finding-id.js';
import type { AnyResource, Check, Kind, Result } from '../../src/model/index.js';

const ACCOUNT = '111122223333';
const NOW = new Date('2026-06-01T00:00:00Z');
const r = (kind: Kind, partial: Record<string, unknown>) => makeResource(kind, partial) as AnyResource;
const run = (check: unknown, resources: AnyResource[], listGaps: { kind: Kind; region?: string }[] = [], checkOptions?: Record<string, unknown>) =>
  evaluateAccount([check as Check], accountOf(resources, listGaps), {
    now: NOW,
    ...(checkOptions ? { checkOptions: { [(check as Check).id]: checkOptions as never } } : {}),
  });
const byName = (results: Result[]) => Object.fromEntries(results.map((x) => [x.resourceName, x]));
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

describe('lambda.shared-role across regions', () => {
  const fns = [
    r('AwsLambdaFunction', { name: 'orders-create', Role: role('orders') }),
    r('AwsLambdaFunction', { name: 'orders-get', Role: role('orders') }),
    r('AwsLambdaFunction', { name: 'payments', Role: role('payments') }),
    r('AwsLambdaFunction', { name: 'orders-replica', region: 'eu-west-1', Role: role('orders') }),
    r('AwsLambdaFunction', { name: 'invoices', region: 'eu-west-1', Role: role('invoices') }),
  ];

  it('fails every function of a shared role and names the others, in every region', () => {
    const res = byName(run(sharedRole, fns));
    expect(res['orders-create']!.status).toBe('FAIL');
    expect(res['orders-create']!.message).toContain('orders-get (us-east-1)');
    expect(res['orders-create']!.message).toContain('orders-replica (eu-west-1)');
    expect(res['orders-create']!.evidence).toEqual({
      Role: role('orders'),
      functionsSharingRole: [
        { name: 'orders-replica', region: 'eu-west-1', arn: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:orders-replica` },
        { name: 'orders-get', region: 'us-east-1', arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:orders-get` },
      ],
    });
    expect(res['orders-replica']!.status).toBe('FAIL');
    expect(res['orders-replica']!.region).toBe('eu-west-1');
    expect(res['orders-replica']!.message).toContain('orders-create (us-east-1)');
    expect(res['payments']!.status).toBe('PASS');
    expect(res['invoices']!.status).toBe('PASS');
  });

  it('cannot decide anywhere when functions of one region could not be listed', () => {
    const results = run(sharedRole, fns, [{ kind: 'AwsLambdaFunction', region: 'eu-west-1' }]);
    // Five functions plus the unlisted eu-west-1 scope.
    expect(results).toHaveLength(6);
    expect(results.every((x) => x.status === 'NOT_ASSESSED')).toBe(true);
  });
});

describe('alarm checks read alarms of the same region only', () => {
  const errorsAlarm = (name: string, fn: string, region: string) =>
    r('AwsCloudWatchAlarm', { name, region, Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: fn }] });

  it('an alarm for a same-named function in another region does not count', () => {
    const results = run(noErrorAlarm, [
      r('AwsLambdaFunction', { name: 'orders' }),
      r('AwsLambdaFunction', { name: 'orders', region: 'eu-west-1' }),
      errorsAlarm('orders-errors-eu', 'orders', 'eu-west-1'),
    ]);
    const us = results.find((x) => x.region === 'us-east-1')!;
    const eu = results.find((x) => x.region === 'eu-west-1')!;
    expect(us.status).toBe('FAIL');
    expect(eu.status).toBe('PASS');
    expect(eu.evidence).toEqual({ alarms: ['orders-errors-eu'] });
  });

  it('reports aggregate alarms it did not count, and counts them when configured', () => {
    const inv = [r('AwsLambdaFunction', { name: 'orders' }), r('AwsCloudWatchAlarm', { name: 'all-errors', Namespace: 'AWS/Lambda', MetricName: 'Errors' })];
    const [off] = run(noErrorAlarm, inv);
    expect(off!.status).toBe('FAIL');
    expect(off!.evidence).toMatchObject({ aggregateAlarmsNotCounted: ['all-errors'] });
    const [on] = run(noErrorAlarm, inv, [], { countAggregateAlarms: true });
    expect(on!.status).toBe('PASS');
  });

  it('apigw.no-5xx-alarm judges each REST API by its name', () => {
    const results = byName(
      run(apigwNo5xxAlarm, [
        r('AwsApiGatewayRestApi', { name: 'orders', id: 'a1b2c3' }),
        r('AwsApiGatewayRestApi', { name: 'billing', id: 'd4e5f6' }),
        r('AwsCloudWatchAlarm', { name: 'orders-5xx', Namespace: 'AWS/ApiGateway', MetricName: '5XXError', Dimensions: [{ Name: 'ApiName', Value: 'orders' }, { Name: 'Stage', Value: 'prod' }] }),
      ]),
    );
    expect(results['orders']!.status).toBe('PASS');
    expect(results['billing']!.status).toBe('FAIL');
    expect(results['billing']!.message).toContain('AWS/ApiGateway 5XXError (ApiName=billing)');
  });
});

describe('kinesis.no-iterator-age-alarm follows event source mappings', () => {
  const stream = r('AwsKinesisStream', { name: 'orders-events' });
  const other = r('AwsKinesisStream', { name: 'clickstream' });
  const esm = (uuid: string, fn: string, source = stream.arn) =>
    r('AwsLambdaEventSourceMapping', { name: uuid, EventSourceArn: source, FunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${fn}`, State: 'Enabled' });
  const iteratorAge = (fn: string) =>
    r('AwsCloudWatchAlarm', { name: `${fn}-iterator-age`, Namespace: 'AWS/Lambda', MetricName: 'IteratorAge', Dimensions: [{ Name: 'FunctionName', Value: fn }] });

  it('names the consumers without an IteratorAge alarm', () => {
    const results = byName(run(kinesisNoIteratorAgeAlarm, [stream, other, esm('u1', 'projector'), esm('u2', 'auditor'), esm('u3', 'clicks', other.arn), iteratorAge('projector'), iteratorAge('clicks')]));
    expect(results['orders-events']!.status).toBe('FAIL');
    expect(results['orders-events']!.evidence).toMatchObject({ consumers: ['auditor', 'projector'], consumersWithoutIteratorAgeAlarm: ['auditor'] });
    expect(results['clickstream']!.status).toBe('PASS');
  });

  it('a stream-level alarm covers every consumer', () => {
    const alarm = r('AwsCloudWatchAlarm', {
      name: 'orders-events-age', Namespace: 'AWS/Kinesis', MetricName: 'GetRecords.IteratorAgeMilliseconds', Dimensions: [{ Name: 'StreamName', Value: 'orders-events' }],
    });
    const [res] = run(kinesisNoIteratorAgeAlarm, [stream, esm('u1', 'projector'), alarm]);
    expect(res!.status).toBe('PASS');
  });

  it('maps an enhanced fan-out consumer back to its stream (and not to a stream whose name it starts with)', () => {
    // As Lambda reports a mapping on a registered consumer: <stream ARN>/consumer/<name>:<creation timestamp>.
    const consumer = `${stream.arn}/consumer/projector-efo:1767225600`;
    const prefixed = r('AwsKinesisStream', { name: 'orders' });
    const results = byName(run(kinesisNoIteratorAgeAlarm, [stream, prefixed, esm('u1', 'projector', consumer), esm('u2', 'auditor', `${stream.arn}/consumer/audit:1767225601`), iteratorAge('projector')]));
    expect(results['orders-events']!.status).toBe('FAIL');
    expect(results['orders-events']!.evidence).toMatchObject({ consumers: ['auditor', 'projector'], consumersWithoutIteratorAgeAlarm: ['auditor'] });
    expect(results['orders']!.evidence).toMatchObject({ consumers: [] });
    const [pass] = run(kinesisNoIteratorAgeAlarm, [stream, esm('u1', 'projector', consumer), iteratorAge('projector')]);
    expect(pass!.status).toBe('PASS');
  });
});

describe('kinesisStreamArnOf (one home for mapping → stream joins)', () => {
  const STREAM = 'arn:aws:kinesis:eu-west-1:111122223333:stream/orders';
  it.each([
    [STREAM, STREAM],
    [`${STREAM}/consumer/app:1767225600`, STREAM],
    [`${STREAM.replace(':aws:', ':aws-cn:')}/consumer/app-2.v1_x:1`, STREAM.replace(':aws:', ':aws-cn:')],
    ['arn:aws:dynamodb:eu-west-1:111122223333:table/orders/stream/2026-01-01T00:00:00.000', undefined],
    ['arn:aws:sqs:eu-west-1:111122223333:orders', undefined],
    [`${STREAM}/shard/1`, undefined],
    [undefined, undefined],
  ])('%s → %s', (arn, expected) => {
    expect(kinesisStreamArnOf(arn)).toBe(expected);
  });
  it('labels a consumer mapping by stream and consumer', () => {
    expect(sourceName(`${STREAM}/consumer/app:1767225600`)).toBe('stream orders (consumer app)');
    expect(streamSourceOf({ EventSourceArn: `${STREAM}/consumer/app:1767225600` } as never)).toBe('Kinesis');
  });
});

describe('logs.no-retention decides which log groups are serverless', () => {
  const group = (name: string, retentionInDays?: number) => r('AwsLogsLogGroup', { name, logGroupName: name, ...(retentionInDays ? { retentionInDays } : {}) });
  const logArn = (name: string) => `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${name}`;
  const inventory = [
    group('/aws/lambda/orders'),
    group('/aws/lambda/payments', 14),
    group('/aws/vendedlogs/states/checkout-Logs'),
    group('orders-api-access', 90),
    group('payments-http-access'),
    group('/custom/gdpr-export'),
    group('/aws/rds/instance/legacy/error'),
    group('/ecs/batch', 30),
    r('AwsApiGatewayStage', { name: 'prod', accessLogSettings: { destinationArn: logArn('orders-api-access'), format: '{}' } }),
    r('AwsApiGatewayStage', { name: 'dev' }),
    r('AwsApiGatewayV2Stage', { name: '$default', AccessLogSettings: { DestinationArn: `${logArn('payments-http-access')}:*` } }),
    r('AwsLambdaFunction', { name: 'gdpr-export', LoggingConfig: { LogFormat: 'JSON', LogGroup: '/custom/gdpr-export' } }),
  ];

  it('judges prefixed groups, access-log destinations and function log groups, and nothing else', () => {
    const results = byName(run(logsNoRetention, inventory));
    expect(Object.keys(results).sort()).toEqual([
      '/aws/lambda/orders', '/aws/lambda/payments', '/aws/vendedlogs/states/checkout-Logs', '/custom/gdpr-export', 'orders-api-access', 'payments-http-access',
    ]);
    expect(results['/aws/lambda/orders']!.status).toBe('FAIL');
    expect(results['/aws/lambda/payments']!.status).toBe('PASS');
    expect(results['/aws/vendedlogs/states/checkout-Logs']!.status).toBe('FAIL');
    expect(results['orders-api-access']!.status).toBe('PASS');
    expect(results['payments-http-access']!.status).toBe('FAIL');
    expect(results['payments-http-access']!.message).toContain('access-log destination of API stage $default');
    expect(results['/custom/gdpr-export']!.status).toBe('FAIL');
    expect(results['/custom/gdpr-export']!.message).toContain('function gdpr-export');
  });

  it('when stages cannot be listed, only groups that could fail become NOT_ASSESSED', () => {
    const results = byName(run(logsNoRetention, inventory, [{ kind: 'AwsApiGatewayStage' }]));
    // Prefixed groups are still judged; unknown groups without retention cannot be, groups with retention give nothing.
    expect(results['/aws/lambda/orders']!.status).toBe('FAIL');
    expect(results['payments-http-access']!.status).toBe('NOT_ASSESSED');
    expect(results['/aws/rds/instance/legacy/error']!.status).toBe('NOT_ASSESSED');
    expect(results['orders-api-access']).toBeUndefined();
    expect(results['/ecs/batch']).toBeUndefined();
  });
});

describe('per-method and per-route results', () => {
  it('apigw.rest.method-no-authorization reports each open method under its own ARN', () => {
    const api = r('AwsApiGatewayRestApi', {
      name: 'orders', id: 'a1b2c3', endpointConfiguration: { types: ['REGIONAL'] }, policy: null,
      resources: [
        { id: 'root', path: '/', resourceMethods: { GET: { authorizationType: 'NONE' } } },
        { id: 'r1', path: '/orders', resourceMethods: { POST: { authorizationType: 'AWS_IAM' }, OPTIONS: { authorizationType: 'NONE' } } },
        { id: 'r2', path: '/orders/{id}', resourceMethods: { GET: { authorizationType: 'NONE', apiKeyRequired: true } } },
      ],
    });
    const results = run(methodNoAuthorization, [api]);
    expect(results.map((x) => [x.status, x.resourceArn, x.resourceName])).toEqual([
      ['FAIL', 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3/resources/root/methods/GET', 'orders GET /'],
      ['FAIL', 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3/resources/r2/methods/GET', 'orders GET /orders/{id}'],
    ]);
    expect(results[1]!.message).toContain('API keys identify callers, they are not authorization');
    expect(new Set(results.map((x) => x.findingId)).size).toBe(2);
  });

  it('the per-API PASS has its own finding id', () => {
    const api = r('AwsApiGatewayRestApi', { name: 'orders', id: 'a1b2c3', endpointConfiguration: { types: ['REGIONAL'] }, policy: null, resources: [] });
    const [pass] = run(methodNoAuthorization, [api]);
    expect(pass!.status).toBe('PASS');
    expect(pass!.resourceArn).toBe(api.arn);
    expect(pass!.findingId).toBe(findingId('apigw.rest.method-no-authorization', ACCOUNT, 'us-east-1', api.arn, 'api'));
  });

  it('apigw.v2.route-no-authorization reports routes under route ARNs', () => {
    const api = r('AwsApiGatewayV2Api', {
      name: 'payments', ApiId: 'h1', ProtocolType: 'HTTP',
      Routes: [{ RouteId: 'x1', RouteKey: 'POST /webhooks/stripe', AuthorizationType: 'NONE' }, { RouteId: 'x2', RouteKey: 'OPTIONS /payments', AuthorizationType: 'NONE' }],
    });
    const results = run(routeNoAuthorization, [api]);
    expect(results.map((x) => [x.status, x.resourceArn, x.resourceName])).toEqual([
      ['FAIL', 'arn:aws:apigateway:us-east-1::/apis/h1/routes/x1', 'payments POST /webhooks/stripe'],
    ]);
  });
});

describe('single-resource rules that examples cannot express', () => {
  it('lambda.deprecated-runtime gives no result for container-image functions', () => {
    expect(run(deprecatedRuntime, [r('AwsLambdaFunction', { PackageType: 'Image', Runtime: undefined })])).toEqual([]);
  });

  it('lambda.env-secrets never echoes a value, even one the inventory kept', () => {
    const fn = r('AwsLambdaFunction', {
      Environment: {
        Variables: {
          DB_PASSWORD: { redacted: true, length: 18, entropy: 3.9, patterns: [], value: 'sup3r-s3cret-v4lue' },
          STRIPE_KEY: { redacted: true, length: 32, entropy: 4.8, patterns: ['stripe-key', 'high-entropy'] },
        },
      },
    });
    const [res] = run(envSecrets, [fn]);
    expect(res!.status).toBe('FAIL');
    expect(JSON.stringify(res)).not.toContain('sup3r-s3cret-v4lue');
    expect(res!.evidence).toEqual({
      variables: [
        { variable: 'DB_PASSWORD', reasons: ['name matches *PASSWORD*'] },
        { variable: 'STRIPE_KEY', reasons: ['value looks like stripe-key', 'value looks like high-entropy'] },
      ],
    });
  });
});

describe('lambda.public-resource-policy judges each alias policy', () => {
  const fnArn = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:orders-api`;
  // As GetPolicy --qualifier live answers after `add-permission --qualifier live --principal '*'`; the unqualified
  // GetPolicy answers ResourceNotFoundException (no policy: null).
  const livePolicy = {
    Version: '2012-10-17', Id: 'default',
    Statement: [{ Sid: 'anyone', Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunction', Resource: `${fnArn}:live` }],
  };
  const fn = r('AwsLambdaFunction', {
    name: 'orders-api',
    Policy: null,
    Aliases: [
      { AliasArn: `${fnArn}:live`, Name: 'live', FunctionVersion: '7', Policy: livePolicy },
      { AliasArn: `${fnArn}:canary`, Name: 'canary', FunctionVersion: '8', Policy: null },
      { AliasArn: `${fnArn}:staging`, Name: 'staging', FunctionVersion: '8', gaps: { Policy: { operation: 'lambda:GetPolicy', code: 'AccessDeniedException', message: 'denied' } } },
    ],
  });

  it('a public grant on an alias only fails under the alias ARN; the function and the other aliases keep their own results', () => {
    const results = run(publicResourcePolicy, [fn]);
    const by = Object.fromEntries(results.map((x) => [x.resourceArn, x]));
    expect(Object.keys(by).sort()).toEqual([fnArn, `${fnArn}:canary`, `${fnArn}:live`, `${fnArn}:staging`]);
    expect(by[fnArn]).toMatchObject({ status: 'PASS', resourceName: 'orders-api' });
    expect(by[`${fnArn}:live`]).toMatchObject({ status: 'FAIL', resourceName: 'orders-api:live', resourceKind: 'AwsLambdaFunction', severity: 'CRITICAL' });
    expect(by[`${fnArn}:live`]!.message).toContain('Alias orders-api:live has a public resource policy: statement anyone');
    expect(by[`${fnArn}:live`]!.evidence).toMatchObject({ function: fnArn, aliasVersion: '7' });
    expect(by[`${fnArn}:canary`]!.status).toBe('PASS');
    expect(by[`${fnArn}:staging`]).toMatchObject({ status: 'NOT_ASSESSED' });
    expect(by[`${fnArn}:staging`]!.message).toContain('AccessDeniedException');
    // Each alias result is its own finding.
    expect(new Set(results.map((x) => x.findingId)).size).toBe(4);
    expect(by[`${fnArn}:live`]!.findingId).toBe(findingId('lambda.public-resource-policy', ACCOUNT, 'us-east-1', `${fnArn}:live`));
  });

  it('an inventory without aliases (collected before they were) judges the function alone and says so', () => {
    const [only, ...rest] = run(publicResourcePolicy, [r('AwsLambdaFunction', { name: 'old', Policy: null })]);
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ status: 'PASS' });
    expect(only!.message).toContain('aliases were not collected');
  });
});

describe('lambda.shared-role grouped once per account', () => {
  // What the check computed before it grouped the functions by role: every other function scanned for each one.
  const naive = (fn: AnyResource & { Role?: string }, all: (AnyResource & { Role?: string })[]) =>
    all
      .filter((o) => o.arn !== fn.arn && o.Role?.toLowerCase() === fn.Role!.toLowerCase())
      .map((o) => ({ name: o.name, region: o.region, arn: o.arn }))
      .sort((a, b) => a.region.localeCompare(b.region) || a.name.localeCompare(b.name));

  it('names the same functions in the same order as a scan of every function', () => {
    const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
    const spellings = ['shared', 'Shared', 'SHARED', 'other', 'solo-1', 'solo-2'];
    const fns: (AnyResource & { Role?: string })[] = [];
    for (let i = 0; i < 60; i++) {
      const region = regions[(i * 7) % 3]!;
      // Repeated names (in other regions) and a function without a role.
      const name = `fn-${(i * 13) % 17}`;
      const Role = i === 5 ? undefined : role(spellings[(i * 5) % spellings.length]!);
      fns.push({ ...r('AwsLambdaFunction', { name, region }), arn: `arn:aws:lambda:${region}:${ACCOUNT}:function:${name}-${i}`, Role } as AnyResource & { Role?: string });
    }
    const results = run(sharedRole, fns);
    expect(results).toHaveLength(60);
    for (const [i, fn] of fns.entries()) {
      const res = results.find((x) => x.resourceArn === fn.arn)!;
      if (i === 5) {
        expect(res.status).toBe('NOT_ASSESSED');
        continue;
      }
      const others = naive(fn, fns);
      expect(res.status).toBe(others.length ? 'FAIL' : 'PASS');
      if (others.length) expect((res.evidence as { functionsSharingRole: unknown }).functionsSharingRole).toEqual(others);
    }
  });
});
