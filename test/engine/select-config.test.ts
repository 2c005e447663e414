import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../checks/index.js';
import { validateConfig } from '../../src/engine/config.js';
import { UsageError } from '../../src/engine/errors.js';
import { selectChecks, validateCheckOptions } from '../../src/engine/select.js';
import { applySuppressions, validateSuppressions } from '../../src/engine/suppress.js';
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
