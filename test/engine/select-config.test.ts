import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../checks/index.js';
import { loadConfig, validateConfig } from '../../src/engine/config.js';
import { UsageError } from '../../src/engine/errors.js';
import { selectChecks, validateCheckOptions } from '../../src/engine/select.js';
import { applySuppressions, validateSuppressions } from '../../src/engine/suppress.js';
import { parseDeployConfig } from '../../src/lambda/config.js';
import type { Result } from '../../src/model/index.js';

const ids = (checks: { id: string }[]) => checks.map((c) => c.id);

describe('check selection', () => {
  it('runs default-enabled checks by default: no per-resource metric check, the account- and region-level ones (issue 15 point 7)', () => {
    const selected = selectChecks({ all: ALL_CHECKS });
    expect(selected.length).toBeGreaterThan(50);
    expect(selected.every((c) => c.enabledByDefault !== false && (c.cost !== 'M' || c.resourceKind === 'AwsAccountRegion'))).toBe(true);
    expect(ids(selected)).toContain('quota.lambda-concurrency-80');
    expect(ids(selected)).not.toContain('logs.retention-below-minimum');
    expect(ids(selected)).not.toContain('lambda.high-error-rate');
  });
  it('adds metric checks with --metrics, and an explicitly named one without it', () => {
    expect(ids(selectChecks({ all: ALL_CHECKS, metrics: true }))).toContain('lambda.high-error-rate');
    expect(ids(selectChecks({ all: ALL_CHECKS, only: ['lambda.high-error-rate'] }))).toEqual(['lambda.high-error-rate']);
    expect(ids(selectChecks({ all: ALL_CHECKS, only: ['lambda.*'] }))).not.toContain('lambda.high-error-rate');
  });
  it('takes globs, skips, opt-ins and a severity floor', () => {
    const lambda = selectChecks({ all: ALL_CHECKS, only: ['lambda.*'], skip: ['lambda.no-tracing'] });
    expect(lambda.length).toBeGreaterThan(5);
    expect(lambda.every((c) => c.id.startsWith('lambda.') && c.id !== 'lambda.no-tracing')).toBe(true);
    expect(ids(selectChecks({ all: ALL_CHECKS, enable: ['logs.retention-below-minimum'] }))).toContain('logs.retention-below-minimum');
    expect(ids(selectChecks({ all: ALL_CHECKS, disable: ['logs.*'] })).some((id) => id.startsWith('logs.'))).toBe(false);
    expect(selectChecks({ all: ALL_CHECKS, minSeverity: 'HIGH' }).every((c) => c.severity === 'HIGH' || c.severity === 'CRITICAL')).toBe(true);
  });
  it('names an unknown id or a glob that matches nothing', () => {
    expect(() => selectChecks({ all: ALL_CHECKS, only: ['lambda.nope'] })).toThrow(/unknown check id "lambda.nope" in --checks/);
    expect(() => selectChecks({ all: ALL_CHECKS, disable: ['sqs.*'] })).toThrow(/unknown check id "sqs.\*" in checks.disabled/);
  });
});

describe('configuration', () => {
  it('accepts a full configuration', () => {
    const c = validateConfig({
      checks: { enabled: ['logs.retention-below-minimum'], disabled: ['lambda.default-memory'], options: { 'lambda.deprecated-runtime': { warningDays: 90 } } },
      suppressions: [{ check: 'lambda.shared-role', resource: 'arn:aws:lambda:*:*:function:legacy-*', reason: 'migration in Q3', expires: '2027-03-31' }],
      scope: { regions: ['us-east-1'], org: true, roleName: 'R' }, failOn: 'HIGH', store: 'dynamodb://t', slack: { always: true },
    });
    expect(c.suppressions![0]!.expires).toBe('2027-03-31');
  });
  it.each([
    [{ chekcs: {} }, /unknown key "chekcs"/],
    [{ checks: { enabeld: [] } }, /unknown key "checks.enabeld"/],
    [{ failOn: 'SEVERE' }, /failOn/],
    [{ suppressions: [{ check: 'x', resource: '*' }] }, /suppressions.0.reason/],
    [{ suppressions: [{ check: 'x', resource: '*', reason: 'ok ok', expires: 'tomorrow' }] }, /expires: expected a date/],
    [{ scope: { accounts: ['123'] } }, /account ids are 12 digits/],
  ])('rejects %j with a message naming it', (raw, pattern) => {
    expect(() => validateConfig(raw)).toThrow(UsageError);
    expect(() => validateConfig(raw)).toThrow(pattern);
  });
  it('validates per-check options against the check defaults', () => {
    expect(validateCheckOptions(ALL_CHECKS, { 'lambda.deprecated-runtime': { warningDays: 30 } })).toEqual({ 'lambda.deprecated-runtime': { warningDays: 30 } });
    expect(() => validateCheckOptions(ALL_CHECKS, { 'lambda.nope': {} })).toThrow(/unknown check id "lambda.nope" in checks.options/);
    expect(() => validateCheckOptions(ALL_CHECKS, { 'lambda.deprecated-runtime': { warnDays: 30 } })).toThrow(/unknown option "warnDays" for check lambda.deprecated-runtime \(options: warningDays/);
    expect(() => validateCheckOptions(ALL_CHECKS, { 'lambda.deprecated-runtime': { warningDays: '30' } })).toThrow(/must be a number, not a string/);
  });
});

describe('suppressions', () => {
  const result = (over: Partial<Result>): Result => ({
    findingId: 'f', checkId: 'lambda.shared-role', title: 't', status: 'FAIL', severity: 'MEDIUM', pillar: 'SEC', lens: ['SERVSEC 2'],
    accountId: '111122223333', region: 'us-east-1', resourceKind: 'AwsLambdaFunction', resourceArn: 'arn:aws:lambda:us-east-1:111122223333:function:legacy-a',
    resourceName: 'legacy-a', message: 'm', ...over,
  });
  const now = new Date('2026-11-23T00:00:00Z');
  it('marks matching failures, keeps them in the output, and reports expired ones', () => {
    const out = applySuppressions(
      [result({}), result({ resourceArn: 'arn:aws:lambda:us-east-1:111122223333:function:orders' }), result({ status: 'PASS' }), result({ resourceArn: 'arn:aws:apigateway:us-east-1::/restapis/a/stages/p', checkId: 'apigw.rest.no-waf' })],
      [
        { check: 'lambda.*', resource: 'arn:aws:lambda:*:*:function:legacy-*', reason: 'migrating' },
        { check: 'apigw.rest.no-waf', resource: 'arn:aws:apigateway:*::/restapis/**', reason: 'private', expires: '2026-01-01' },
        { check: 'sns.*', resource: '*', reason: 'unused one' },
      ],
      now,
    );
    expect(out.results.map((r) => r.suppressed?.reason)).toEqual(['migrating', undefined, undefined, undefined]);
    expect(out.expired.map((s) => s.check)).toEqual(['apigw.rest.no-waf']);
    expect(out.unused.map((s) => s.check)).toEqual(['sns.*']);
  });
  it('rejects a suppression for an unknown check id', () => {
    expect(() => validateSuppressions(ALL_CHECKS, [{ check: 'lambda.nope', resource: '*', reason: 'why not' }])).toThrow(/suppressions\[0\].check/);
  });
});

describe('configuration edge cases (issue 20 point 10, D16)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lens-audit-config-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const refusal = (f: () => unknown): string => {
    try {
      f();
    } catch (err) {
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).not.toMatch(/[\n\r]/);
      return (err as Error).message;
    }
    throw new Error('accepted');
  };

  it.each([
    ['top level, JSON', 'a.json', '{"__proto__": {"polluted": true}}', /key __proto__ is not allowed/],
    ['top level, YAML', 'a.yaml', '__proto__:\n  polluted: true\n', /key __proto__ is not allowed/],
    ['as a check id in checks.options, JSON', 'b.json', '{"checks": {"options": {"__proto__": {"warningDays": 1}}}}', /key checks\.options\.__proto__ is not allowed/],
    ['as an option name, JSON', 'c.json', '{"checks": {"options": {"lambda.deprecated-runtime": {"__proto__": 1}}}}', /key checks\.options\."lambda\.deprecated-runtime"\.__proto__ is not allowed/],
    ['as an option name, YAML', 'c.yaml', 'checks:\n  options:\n    lambda.deprecated-runtime:\n      __proto__: 3\n', /key checks\.options\."lambda\.deprecated-runtime"\.__proto__/],
    ['constructor as an option name', 'd.yaml', 'checks:\n  options:\n    lambda.deprecated-runtime:\n      constructor: 3\n', /\.constructor is not allowed/],
    ['prototype in a suppression', 'e.yaml', 'suppressions:\n  - check: lambda.*\n    resource: "*"\n    reason: because\n    prototype: {}\n', /key suppressions\.0\.prototype is not allowed/],
    ['under a YAML anchor', 'f.yaml', 'slack: &s\n  constructor: 1\n', /key slack\.constructor/],
  ])('refuses __proto__, constructor and prototype keys anywhere: %s', (_label, name, text, message) => {
    expect(refusal(() => loadConfig(file(name, text)))).toMatch(message);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses them in the deploy configuration too', () => {
    expect(refusal(() => parseDeployConfig(JSON.parse('{"audit": {"checks": {"options": {"__proto__": {}}}}}'), ALL_CHECKS))).toMatch(/key audit\.checks\.options\.__proto__ is not allowed/);
  });

  const suppression = (expires: string) => `suppressions:\n  - check: lambda.*\n    resource: "*"\n    reason: because\n    expires: ${expires}\n`;
  it.each(['2026-02-30', '2026-13-45', '2025-02-29', '2026-04-31', '2026-00-10', '2026-1-5', '2026-02-28T10:00:00Z', '20260228', "'2026-02-28 '"])(
    'refuses the impossible or non-ISO expiry date %s',
    (expires) => {
      expect(refusal(() => loadConfig(file('s.yaml', suppression(expires))))).toMatch(/suppressions\.0\.expires: expected a date YYYY-MM-DD that exists/);
    },
  );
  it('accepts real dates, leap days included, quoted or not', () => {
    expect(loadConfig(file('ok.yaml', suppression('2028-02-29'))).suppressions![0]!.expires).toBe('2028-02-29');
    expect(loadConfig(file('ok2.yaml', suppression('"2026-12-31"'))).suppressions![0]!.expires).toBe('2026-12-31');
    expect(validateConfig({ suppressions: [{ check: 'x', resource: '*', reason: 'ok ok', expires: new Date('2027-01-31T00:00:00Z') }] }).suppressions![0]!.expires).toBe('2027-01-31');
  });

  const options = (check: string, body: string) => `checks:\n  options:\n    ${check}:\n      ${body}\n`;
  it.each([
    ['lambda.deprecated-runtime', 'warningDays: -100000', /warningDays: must not be negative/],
    ['lambda.deprecated-runtime', 'warningDays: 1.5', /warningDays: must be a whole number, not 1\.5/],
    ['logs.retention-below-minimum', 'minimumDays: 0.5', /minimumDays: must be a whole number/],
    ['lambda.default-timeout', 'defaultTimeouts: [3, -6]', /must not be negative/],
    ['lambda.default-timeout', 'defaultTimeouts: [3, 2.5]', /defaultTimeouts: must be a whole number, not 2\.5/],
    ['lambda.high-error-rate', 'errorRatePercent: -1', /errorRatePercent: must not be negative/],
    ['lambda.deprecated-runtime', 'warningDays: .inf', /warningDays/],
  ])('refuses %s %s', (check, body, message) => {
    expect(refusal(() => loadConfig(file('o.yaml', options(check, body))))).toMatch(message);
  });
  it('names an option that only Object.prototype has as unknown, not as a function', () => {
    expect(() => validateCheckOptions(ALL_CHECKS, { 'lambda.deprecated-runtime': { toString: 3 } })).toThrow(/unknown option "toString" for check lambda.deprecated-runtime \(options: warningDays/);
    expect(() => validateCheckOptions(ALL_CHECKS, { 'lambda.deprecated-runtime': { hasOwnProperty: 'x' } })).toThrow(/unknown option "hasOwnProperty"/);
  });
  it('accepts fractions where a ratio or percentage is expected', () => {
    expect(loadConfig(file('r.yaml', options('lambda.timeouts', 'timeoutRatio: 0.9'))).checks!.options).toEqual({ 'lambda.timeouts': { timeoutRatio: 0.9 } });
  });
});

describe('one scope schema for the CLI configuration and the deploy configuration (issue 16 point 3)', () => {
  it('refuses the same bad scope, with the same words, in both', async () => {
    const { validateConfig } = await import('../../src/engine/config.js');
    const { DeployConfigSchema } = await import('../../src/lambda/config.js');
    for (const scope of [{ ous: ['engineering'] }, { roleName: 'has spaces' }, { externalId: 'x' }, { accounts: ['12345'] }, { regions: [] }]) {
      let cli = '';
      try {
        validateConfig({ scope });
      } catch (err) {
        cli = (err as Error).message;
      }
      const deploy = DeployConfigSchema.safeParse({ scope });
      expect(cli, JSON.stringify(scope)).not.toBe('');
      expect(deploy.success, JSON.stringify(scope)).toBe(false);
      expect(cli).toContain(deploy.error!.issues[0]!.message);
    }
    expect(validateConfig({ scope: { ous: ['ou-ab12-cdef3456'], roleName: 'LensAuditReadOnly', regions: 'all' } }).scope?.ous).toEqual(['ou-ab12-cdef3456']);
  });
});

describe('the command line is a layer over the configuration file (issue 16 point 3)', () => {
  it('a flag wins its key; the file keeps the others, nested ones included', async () => {
    const { overlayConfig } = await import('../../src/engine/config.js');
    const file = validateConfig({ metrics: true, failOn: 'HIGH', scope: { roleName: 'FromFile', externalId: 'ext-file', regions: ['eu-west-1'] }, securityHub: { enabled: true, mode: 'central' } });
    const flags = validateConfig({ failOn: 'LOW', scope: { roleName: 'FromFlag' }, securityHub: { enabled: false } });
    expect(overlayConfig(file, flags)).toEqual({
      metrics: true, failOn: 'LOW', scope: { roleName: 'FromFlag', externalId: 'ext-file', regions: ['eu-west-1'] }, securityHub: { enabled: false, mode: 'central' },
    });
    expect(overlayConfig(file, {})).toEqual(file);
  });
});
