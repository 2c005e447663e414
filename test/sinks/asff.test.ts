import { describe, expect, it } from 'vitest';
import noTracing from '../../checks/lambda/no-tracing.js';
import type { Check } from '../../src/model/index.js';
import { ASFF_TYPE, asffFindings, renderAsff, toArchivedAsff, toAsff, type AsffOptions } from '../../src/report/asff.js';
import type { FindingRecord } from '../../src/state/store.js';
import { ACCOUNT, OTHER_ACCOUNT, openRecord, result } from '../state/helpers.js';
import { asffProblems } from './asff-validate.js';

const NOW = new Date('2026-06-01T03:00:00.000Z');
const FIRST = '2026-04-01T03:00:00.000Z';
const check = noTracing as unknown as Check;
const opts: AsffOptions = { now: NOW, checkFor: (id) => (id === check.id ? check : undefined) };

function failing(name = 'fn') {
  return { ...result('FAIL', name), history: { state: 'PERSISTING' as const, firstSeen: FIRST } };
}

describe('toAsff', () => {
  it('a FAIL result: every required field, first observation from the history, check metadata', () => {
    const r = failing();
    const f = toAsff(r, opts);
    expect(asffProblems(f)).toEqual([]);
    expect(f).toMatchObject({
      SchemaVersion: '2018-10-08',
      Id: `lens-audit/${r.findingId}`,
      ProductArn: `arn:aws:securityhub:us-east-1:${ACCOUNT}:product/${ACCOUNT}/default`,
      GeneratorId: 'lambda.no-tracing',
      AwsAccountId: ACCOUNT,
      Types: [ASFF_TYPE],
      CreatedAt: FIRST,
      FirstObservedAt: FIRST,
      UpdatedAt: NOW.toISOString(),
      LastObservedAt: NOW.toISOString(),
      Severity: { Label: 'LOW' },
      FindingProviderFields: { Severity: { Label: 'LOW' }, Types: [ASFF_TYPE] },
      Title: check.title,
      Description: r.message,
      Resources: [{ Type: 'AwsLambdaFunction', Id: r.resourceArn, Partition: 'aws', Region: 'us-east-1' }],
      Compliance: { Status: 'FAILED', RelatedRequirements: ['Serverless Lens SERVOPS 1', 'Serverless Lens 2022 SERVOPS 1', 'Security Hub CSPM Lambda.7'] },
      Remediation: { Recommendation: { Text: check.remediation.text, Url: check.remediation.url } },
      RecordState: 'ACTIVE',
      Workflow: { Status: 'NEW' },
    });
    expect(f.ProductFields).toMatchObject({
      'lens-audit/CheckId': 'lambda.no-tracing', 'lens-audit/Pillar': 'OPS', 'lens-audit/LensQuestions': 'SERVOPS 1',
      'lens-audit/LensQuestions2022': 'SERVOPS 1', 'lens-audit/CspmControls': 'Lambda.7',
      'lens-audit/ResourceAccountId': ACCOUNT, 'lens-audit/ResourceName': 'fn',
    });
  });

  it('the Id is stable across runs; UpdatedAt moves forward, CreatedAt does not', () => {
    const a = toAsff(failing(), opts);
    const b = toAsff(failing(), { ...opts, now: new Date('2026-06-02T03:00:00.000Z') });
    expect(b.Id).toBe(a.Id);
    expect(b.CreatedAt).toBe(a.CreatedAt);
    expect(b.UpdatedAt! > a.UpdatedAt!).toBe(true);
  });

  it('without a history (no state store) the first observation is this run', () => {
    const f = toAsff(result('FAIL', 'fn'), opts);
    expect(f.CreatedAt).toBe(NOW.toISOString());
    expect(f.FirstObservedAt).toBe(NOW.toISOString());
  });

  it('maps PASS, NOT_ASSESSED and a suppressed FAIL to PASSED, NOT_AVAILABLE and WARNING', () => {
    expect(toAsff(result('PASS', 'a'), opts).Compliance!.Status).toBe('PASSED');
    expect(toAsff(result('NOT_ASSESSED', 'a'), opts).Compliance!.Status).toBe('NOT_AVAILABLE');
    const s = toAsff(result('FAIL', 'a', { suppressed: 'accepted until Q3' }), opts);
    expect(s.Compliance!.Status).toBe('WARNING');
    expect(s.ProductFields!['lens-audit/Suppressed']).toBe('accepted until Q3');
    expect(asffProblems(s)).toEqual([]);
  });

  it('resource types: ASFF names pass through, others become Other with details, account kinds become AwsAccount', () => {
    const logGroup = toAsff(result('FAIL', 'lg', { kind: 'AwsLogsLogGroup', arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/x` }), opts);
    expect(logGroup.Resources![0]).toEqual({
      Type: 'Other', Id: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/x`, Partition: 'aws', Region: 'us-east-1',
      Details: { Other: { ResourceKind: 'AwsLogsLogGroup', ResourceName: 'lg' } },
    });
    const acct = toAsff(result('FAIL', `${ACCOUNT}/us-east-1`, { kind: 'AwsAccountRegion', arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:account` }), opts);
    expect(acct.Resources![0]).toEqual({ Type: 'AwsAccount', Id: `AWS::::Account:${ACCOUNT}`, Partition: 'aws', Region: 'us-east-1' });
    const role = toAsff(result('FAIL', 'r', { kind: 'AwsIamRole', region: 'global', arn: `arn:aws:iam::${ACCOUNT}:role/r` }), { ...opts, globalRegion: 'eu-west-1' });
    expect(role.Resources![0]).toMatchObject({ Type: 'AwsIamRole', Region: 'eu-west-1' });
    expect(role.ProductArn).toBe(`arn:aws:securityhub:eu-west-1:${ACCOUNT}:product/${ACCOUNT}/default`);
    for (const f of [logGroup, acct, role]) expect(asffProblems(f)).toEqual([]);
  });

  it('takes the partition from the ARN', () => {
    const f = toAsff(result('FAIL', 'cn', { region: 'cn-north-1', arn: `arn:aws-cn:lambda:cn-north-1:${ACCOUNT}:function:cn` }), opts);
    expect(f.ProductArn).toBe(`arn:aws-cn:securityhub:cn-north-1:${ACCOUNT}:product/${ACCOUNT}/default`);
    expect(f.Resources![0]!.Partition).toBe('aws-cn');
  });

  it('central mode: the auditor account imports; the audited account stays in the resource and ProductFields', () => {
    const r = result('FAIL', 'fn', { accountId: OTHER_ACCOUNT });
    const f = toAsff(r, { ...opts, centralAccountId: ACCOUNT });
    expect(f.AwsAccountId).toBe(ACCOUNT);
    expect(f.ProductArn).toBe(`arn:aws:securityhub:us-east-1:${ACCOUNT}:product/${ACCOUNT}/default`);
    expect(f.Resources![0]!.Id).toBe(r.resourceArn);
    expect(f.Resources![0]!.Id).toContain(OTHER_ACCOUNT);
    expect(f.ProductFields!['lens-audit/ResourceAccountId']).toBe(OTHER_ACCOUNT);
    expect(asffProblems(f)).toEqual([]);
  });

  it('truncates long text to the ASFF limits and stays valid without check metadata', () => {
    const r = { ...failing(), message: 'x'.repeat(5000), checkId: 'unknown.check' };
    const f = toAsff(r, opts);
    expect(f.Description).toHaveLength(1024);
    expect(f.Description!.endsWith('...')).toBe(true);
    expect(f.Remediation).toBeUndefined();
    expect(f.Title).toBe(r.title);
    expect(asffProblems(f)).toEqual([]);
  });
});

describe('toArchivedAsff / renderAsff', () => {
  const resolved: FindingRecord = {
    ...openRecord(result('FAIL', 'gone'), FIRST), status: 'RESOLVED', lastSeen: '2026-05-31T03:00:00.000Z', resolvedAt: NOW.toISOString(),
  };

  it('a resolved finding is PASSED and ARCHIVED, keeping its first and last observation', () => {
    const f = toArchivedAsff(resolved, opts);
    expect(asffProblems(f)).toEqual([]);
    expect(f).toMatchObject({
      Id: `lens-audit/${resolved.findingId}`, Compliance: { Status: 'PASSED' }, RecordState: 'ARCHIVED',
      CreatedAt: FIRST, FirstObservedAt: FIRST, LastObservedAt: '2026-05-31T03:00:00.000Z', UpdatedAt: NOW.toISOString(),
    });
    expect(f.Description).toMatch(/^Resolved: no longer failing as of 2026-06-01T03:00:00.000Z/);
  });

  it('renders what the sink sends: FAIL results and resolved findings, as a JSON array', () => {
    const results = [failing('a'), result('PASS', 'b'), result('NOT_ASSESSED', 'c')];
    const parsed = JSON.parse(renderAsff(results, { ...opts, resolved: [resolved] })) as ReturnType<typeof toAsff>[];
    expect(parsed.map((f) => [f.ProductFields!['lens-audit/ResourceName'], f.RecordState])).toEqual([['a', 'ACTIVE'], ['gone', 'ARCHIVED']]);
    expect(parsed).toEqual(asffFindings(results, { ...opts, resolved: [resolved] }));
    for (const f of parsed) expect(asffProblems(f)).toEqual([]);
  });

  it('the validator itself rejects a finding missing a required field or with a bad ProductArn', () => {
    const f = toAsff(failing(), opts);
    expect(asffProblems({ ...f, Types: [] })).toContain('missing Types');
    expect(asffProblems({ ...f, ProductArn: `arn:aws:securityhub:us-east-1:${ACCOUNT}:product/${OTHER_ACCOUNT}/default` })).toHaveLength(1);
    expect(asffProblems({ ...f, Severity: {} })).toContain('Severity without Label/Normalized');
  });
});
