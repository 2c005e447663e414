// One serverless log-group scope for logs.no-retention and logs.not-kms-encrypted: they never disagree on what is serverless.
import { describe, expect, it } from 'vitest';
import logsNoRetention from '../../checks/logs/no-retention.js';
import logsNotKmsEncrypted from '../../checks/logs/not-kms-encrypted.js';
import { evaluateAccount } from '../../src/engine/evaluate.js';
import { accountOf, makeResource } from '../../src/engine/examples.js';
import type { AnyResource, Check, Kind, Result } from '../../src/model/index.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const ACCESS = 'arn:aws:logs:us-east-1:111122223333:log-group';
const r = (kind: Kind, partial: Record<string, unknown>) => makeResource(kind, partial) as AnyResource;
const group = (name: string) => r('AwsLogsLogGroup', { name, logGroupName: name }); // no retention, no key: fails both if in scope
const scopedChecks = [logsNoRetention, logsNotKmsEncrypted] as unknown as Check[];

const estate: AnyResource[] = [
  group('/ecs/web-frontend'),
  group('/custom/orders'),
  group('/aws/lambda/payments'),
  group('API-Gateway-Execution-Logs_a1b2c3/prod'),
  group('/aws/vendedlogs/states/checkout'),
  group('orders-access'),
  group('http-access'),
  group('/ec2/syslog'),
  r('AwsLambdaFunction', { name: 'orders', LoggingConfig: { LogFormat: 'JSON', LogGroup: '/custom/orders' } }),
  r('AwsApiGatewayStage', { name: 'prod', accessLogSettings: { destinationArn: `${ACCESS}:orders-access`, format: '{}' } }),
  r('AwsApiGatewayV2Stage', { name: '$default', AccessLogSettings: { DestinationArn: `${ACCESS}:http-access:*`, Format: '{}' } }),
];

const judged = (check: Check, resources: AnyResource[], listGaps: { kind: Kind }[] = []): Map<string, Result> =>
  new Map(
    evaluateAccount([check], accountOf(resources, listGaps), { now: NOW })
      .filter((x) => x.resourceKind === 'AwsLogsLogGroup')
      .map((x) => [x.resourceName, x]),
  );

describe('serverless log-group scope (checks/lib/log-group-scope.ts)', () => {
  it.each(scopedChecks.map((c) => [c.id, c] as const))('%s: /ecs/web-frontend is out of scope, a LoggingConfig.LogGroup group is in', (_id, check) => {
    const res = judged(check, estate);
    expect(res.has('/ecs/web-frontend')).toBe(false);
    expect(res.has('/ec2/syslog')).toBe(false);
    expect(res.get('/custom/orders')?.status).toBe('FAIL');
    expect(res.get('/custom/orders')?.message).toContain('LoggingConfig.LogGroup');
  });

  it('both checks judge exactly the same log groups', () => {
    const [a, b] = scopedChecks.map((c) => [...judged(c, estate).keys()].sort());
    expect(a).toEqual(b);
    expect(a).toEqual([
      '/aws/lambda/payments', '/aws/vendedlogs/states/checkout', '/custom/orders',
      'API-Gateway-Execution-Logs_a1b2c3/prod', 'http-access', 'orders-access',
    ]);
  });

  it.each(scopedChecks.map((c) => [c.id, c] as const))('%s: a group outside the prefixes that would fail is NOT_ASSESSED when functions cannot be listed', (_id, check) => {
    const res = judged(check, estate.filter((x) => x.kind !== 'AwsLambdaFunction'), [{ kind: 'AwsLambdaFunction' }]);
    expect(res.get('/custom/orders')?.status).toBe('NOT_ASSESSED');
    expect(res.get('/ecs/web-frontend')?.status).toBe('NOT_ASSESSED');
    expect(res.get('/aws/lambda/payments')?.status).toBe('FAIL');
  });
});
