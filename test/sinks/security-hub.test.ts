import { TokenBucket } from '../../src/aws/rate-limits.js';
import {
  BatchImportFindingsCommand, SecurityHubClient, ThrottlingException, InvalidAccessException, type AwsSecurityFinding,
  type BatchImportFindingsRequest,
} from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import noTracing from '../../checks/lambda/no-tracing.js';
import type { Check, Result } from '../../src/model/index.js';
import {
  MAX_BATCH_BYTES, batchFindings, sendToSecurityHub, type SecurityHubSinkOptions,
} from '../../src/sinks/security-hub.js';
import { buildCoverage, diffFindings } from '../../src/state/diff.js';
import { ACCOUNT, OTHER_ACCOUNT, openRecord, result } from '../state/helpers.js';
import { asffProblems } from './asff-validate.js';

const NOW = new Date('2026-06-01T03:00:00.000Z');
const check = noTracing as unknown as Check;
const hub = mockClient(SecurityHubClient);

/** Fake time: sleeping advances the clock; nothing really waits. */
function fakeTime() {
  let t = 0;
  const sleeps: number[] = [];
  return { clock: () => t, sleep: async (ms: number) => { sleeps.push(ms); t += ms; }, sleeps, now: () => t };
}

let time: ReturnType<typeof fakeTime>;
let clientsFor: string[];
function options(extra: Partial<SecurityHubSinkOptions> = {}): SecurityHubSinkOptions {
  return {
    now: NOW,
    checkFor: (id) => (id === check.id ? check : undefined),
    clientFor: (accountId, region) => {
      clientsFor.push(`${accountId}|${region}`);
      return new SecurityHubClient({ region, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' } });
    },
    clock: time.clock,
    sleep: time.sleep,
    ...extra,
  };
}

/** BatchImportFindings answers: every finding accepted. */
function acceptAll() {
  hub.on(BatchImportFindingsCommand).callsFake((input: BatchImportFindingsRequest) => ({
    FailedCount: 0, SuccessCount: input.Findings!.length, FailedFindings: [],
  }));
}
const sent = () => hub.commandCalls(BatchImportFindingsCommand).map((c) => c.args[0].input.Findings!);

const fails = (n: number, o: Parameters<typeof result>[2] = {}) =>
  Array.from({ length: n }, (_, i) => result('FAIL', `fn${String(i).padStart(4, '0')}`, o));

beforeEach(() => {
  hub.reset();
  time = fakeTime();
  clientsFor = [];
});
afterEach(() => hub.reset());

describe('sendToSecurityHub: batching', () => {
  it('sends at most 100 findings a call; every finding is valid ASFF', async () => {
    acceptAll();
    const report = await sendToSecurityHub({ results: fails(250), resolved: [] }, options());
    expect(sent().map((b) => b.length)).toEqual([100, 100, 50]);
    expect(report).toEqual({ imported: 250, archived: 0, failed: 0, errors: [] });
    for (const f of sent().flat()) expect(asffProblems(f)).toEqual([]);
  });

  it('sends only FAIL results (PASS and NOT_ASSESSED reach the Hub only as resolved findings)', async () => {
    acceptAll();
    await sendToSecurityHub({ results: [result('FAIL', 'a'), result('PASS', 'b'), result('NOT_ASSESSED', 'c')], resolved: [] }, options());
    expect(sent().flat().map((f) => f.ProductFields!['lens-audit/ResourceName'])).toEqual(['a']);
  });

  it('splits by JSON size under 6 MB and keeps oversized findings out', () => {
    const big = (i: number) => ({ Id: `big-${i}`, Description: 'x'.repeat(200 * 1024) }) as AwsSecurityFinding;
    const findings = Array.from({ length: 70 }, (_, i) => big(i)); // ≈14 MB in 70 findings: the count limit is not what splits
    const { batches, oversized } = batchFindings([...findings, { Id: 'huge', Description: 'y'.repeat(241 * 1024) } as AwsSecurityFinding]);
    expect(oversized.map((f) => f.Id)).toEqual(['huge']);
    expect(batches.length).toBeGreaterThanOrEqual(3);
    expect(batches.flat()).toEqual(findings);
    for (const b of batches) expect(Buffer.byteLength(JSON.stringify({ Findings: b }))).toBeLessThanOrEqual(MAX_BATCH_BYTES);
    // A smaller limit splits sooner; one finding a batch when each exceeds half the limit.
    expect(batchFindings(findings.slice(0, 5), 300 * 1024).batches.map((b) => b.length)).toEqual([1, 1, 1, 1, 1]);
  });

  it('reports an oversized finding as an error instead of sending it', async () => {
    acceptAll();
    // Text fields are truncated to ASFF limits; only an absurd resource id can push a finding over 240 KB.
    const huge = result('FAIL', 'huge', { arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${'n'.repeat(250 * 1024)}` });
    const report = await sendToSecurityHub({ results: [huge, result('FAIL', 'ok')], resolved: [] }, options());
    expect(sent().flat().map((f) => f.ProductFields!['lens-audit/ResourceName'])).toEqual(['ok']);
    expect(report).toMatchObject({ imported: 1, failed: 1 });
    expect(report.errors).toEqual([expect.objectContaining({ code: 'FindingTooLarge', message: expect.stringMatching(/^1 finding\(s\) not imported/) })]);
  });

  it('member mode: each account and Region is imported through its own client, with its own findings', async () => {
    acceptAll();
    const results = [
      ...fails(2), ...fails(1, { region: 'eu-west-1' }), ...fails(3, { accountId: OTHER_ACCOUNT }),
    ];
    const report = await sendToSecurityHub({ results, resolved: [] }, options());
    expect(report.imported).toBe(6);
    expect(clientsFor.sort()).toEqual([`${ACCOUNT}|eu-west-1`, `${ACCOUNT}|us-east-1`, `${OTHER_ACCOUNT}|us-east-1`]);
    for (const batch of sent()) {
      expect(new Set(batch.map((f) => f.AwsAccountId)).size).toBe(1);
      expect(new Set(batch.map((f) => f.ProductArn)).size).toBe(1);
      for (const f of batch) expect(f.ProductArn).toContain(`:${f.AwsAccountId}:product/${f.AwsAccountId}/default`);
    }
  });

  it('central mode: everything goes through the auditor account, per Region', async () => {
    acceptAll();
    const results = [...fails(2), ...fails(3, { accountId: OTHER_ACCOUNT }), ...fails(1, { accountId: OTHER_ACCOUNT, region: 'eu-west-1' })];
    await sendToSecurityHub({ results, resolved: [] }, options({ centralAccountId: ACCOUNT }));
    expect(clientsFor.sort()).toEqual([`${ACCOUNT}|eu-west-1`, `${ACCOUNT}|us-east-1`]);
    expect(sent().flat().every((f) => f.AwsAccountId === ACCOUNT)).toBe(true);
    expect(sent().flat().filter((f) => f.ProductFields!['lens-audit/ResourceAccountId'] === OTHER_ACCOUNT)).toHaveLength(4);
  });
});

describe('sendToSecurityHub: failures', () => {
  it('retries FailedFindings that may succeed, not the invalid ones, and reports what is left', async () => {
    const results = fails(5);
    let call = 0;
    hub.on(BatchImportFindingsCommand).callsFake((input: BatchImportFindingsRequest) => {
      call++;
      const ids = input.Findings!.map((f) => f.Id!);
      if (call === 1) {
        return {
          FailedCount: 3, SuccessCount: 2,
          FailedFindings: [
            { Id: ids[0], ErrorCode: 'InternalException', ErrorMessage: 'Internal service error' },
            { Id: ids[1], ErrorCode: 'InternalException', ErrorMessage: 'Internal service error' },
            { Id: ids[2], ErrorCode: 'InvalidInput', ErrorMessage: 'Finding does not adhere to Amazon Finding Format.' },
          ],
        };
      }
      return { FailedCount: 0, SuccessCount: ids.length, FailedFindings: [] };
    });
    const report = await sendToSecurityHub({ results, resolved: [] }, options());
    const calls = sent();
    expect(calls).toHaveLength(2);
    expect(calls[1]!.map((f) => f.Id)).toEqual(calls[0]!.slice(0, 2).map((f) => f.Id));
    expect(report.imported).toBe(4);
    expect(report.failed).toBe(1);
    expect(report.errors).toEqual([{
      accountId: ACCOUNT, region: 'us-east-1', service: 'securityhub', operation: 'BatchImportFindings', code: 'InvalidInput',
      message: '1 finding(s) not imported: Finding does not adhere to Amazon Finding Format.',
    }]);
  });

  it('gives up on a finding after the bounded attempts', async () => {
    hub.on(BatchImportFindingsCommand).callsFake((input: BatchImportFindingsRequest) => ({
      FailedCount: 1, SuccessCount: input.Findings!.length - 1,
      FailedFindings: [{ Id: input.Findings![0]!.Id, ErrorCode: 'InternalException', ErrorMessage: 'try again' }],
    }));
    const report = await sendToSecurityHub({ results: fails(3), resolved: [] }, options({ maxAttempts: 3 }));
    expect(sent().map((b) => b.length)).toEqual([3, 1, 1]);
    expect(report).toMatchObject({ imported: 2, failed: 1 });
    expect(report.errors[0]).toMatchObject({ code: 'InternalException', message: '1 finding(s) not imported: try again' });
  });

  it('throttling that outlasts the SDK retries is retried after a backoff, then succeeds', async () => {
    hub.on(BatchImportFindingsCommand)
      .rejectsOnce(new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } }))
      .callsFake((input: BatchImportFindingsRequest) => ({ FailedCount: 0, SuccessCount: input.Findings!.length, FailedFindings: [] }));
    const report = await sendToSecurityHub({ results: fails(3), resolved: [] }, options());
    expect(sent()).toHaveLength(2);
    expect(report).toEqual({ imported: 3, archived: 0, failed: 0, errors: [] });
    expect(time.sleeps.some((ms) => ms >= 200)).toBe(true);
  });

  it('an account without Security Hub (InvalidAccess) stops that account/Region only, and reports every finding of it', async () => {
    hub.on(BatchImportFindingsCommand).callsFake((input: BatchImportFindingsRequest) => {
      if (input.Findings![0]!.AwsAccountId === OTHER_ACCOUNT) {
        throw new InvalidAccessException({ message: 'Account 444455556666 is not subscribed to AWS Security Hub', $metadata: { httpStatusCode: 401 } });
      }
      return { FailedCount: 0, SuccessCount: input.Findings!.length, FailedFindings: [] };
    });
    const report = await sendToSecurityHub({ results: [...fails(250, { accountId: OTHER_ACCOUNT }), ...fails(10)], resolved: [] }, options());
    expect(sent().filter((b) => b[0]!.AwsAccountId === OTHER_ACCOUNT)).toHaveLength(1); // no hammering
    expect(report.imported).toBe(10);
    expect(report.failed).toBe(250);
    expect(report.errors).toEqual([expect.objectContaining({ accountId: OTHER_ACCOUNT, code: 'InvalidAccessException', message: expect.stringMatching(/^250 finding\(s\) not imported: Account/) })]);
  });

  it('a client that cannot be made (role not assumable) is an error for that account, not a crash', async () => {
    acceptAll();
    const report = await sendToSecurityHub({ results: [...fails(2, { accountId: OTHER_ACCOUNT }), ...fails(1)], resolved: [] }, options({
      clientFor: (accountId, region) => {
        if (accountId === OTHER_ACCOUNT) throw Object.assign(new Error('not authorized to perform sts:AssumeRole'), { name: 'AccessDenied' });
        return new SecurityHubClient({ region, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' } });
      },
    }));
    expect(report).toMatchObject({ imported: 1, failed: 2 });
    expect(report.errors[0]).toMatchObject({ accountId: OTHER_ACCOUNT, code: 'AccessDenied' });
  });
});

describe('sendToSecurityHub: pacing', () => {
  it('keeps each account/Region under 10 calls a second with bursts of at most 30', async () => {
    const stamps: number[] = [];
    hub.on(BatchImportFindingsCommand).callsFake((input: BatchImportFindingsRequest) => {
      stamps.push(time.now());
      return { FailedCount: 0, SuccessCount: input.Findings!.length, FailedFindings: [] };
    });
    const report = await sendToSecurityHub({ results: fails(6000), resolved: [] }, options());
    expect(report.imported).toBe(6000);
    expect(stamps).toHaveLength(60);
    for (let i = 0; i < stamps.length; i++) {
      const inWindow = stamps.filter((t) => t >= stamps[i]! && t < stamps[i]! + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(30);
    }
    // Sustained rate: after the burst, 10 more calls never fit in one second.
    for (let i = 30; i + 10 < stamps.length; i++) expect(stamps[i + 10]! - stamps[i]!).toBeGreaterThanOrEqual(1000);
  });

  it('TokenBucket: a burst passes at once, then calls are spaced at the rate', async () => {
    const t = fakeTime();
    const bucket = new TokenBucket(10, 30, t.clock);
    for (let i = 0; i < 35; i++) await bucket.take(t.sleep);
    expect(t.now()).toBe(500);
    expect(t.sleeps).toEqual([100, 100, 100, 100, 100]);
  });
});

describe('sendToSecurityHub: archival follows the state diff', () => {
  it('archives only findings resolved in the assessed scope, never those of a failed region', async () => {
    acceptAll();
    const eastFixed = openRecord(result('FAIL', 'east-fixed'));
    const eastStill = openRecord(result('FAIL', 'east-still'));
    const westA = openRecord(result('FAIL', 'west-a', { region: 'us-west-2' }));
    const westB = openRecord(result('FAIL', 'west-b', { region: 'us-west-2' }));
    // This run: us-east-1 assessed (east-fixed passes), us-west-2 lost its Lambda service (failed scope).
    const results: Result[] = [result('PASS', 'east-fixed'), result('FAIL', 'east-still'), result('PASS', 'west-a', { region: 'us-west-2' })];
    const diff = diffFindings([eastFixed, eastStill, westA, westB], results, buildCoverage(results, { accounts: [] }, {
      failedScopes: [{ accountId: ACCOUNT, region: 'us-west-2' }],
    }), { runId: 'r2', now: NOW });
    const report = await sendToSecurityHub({ results: diff.results, resolved: diff.resolved }, options());

    const all = sent().flat();
    const archived = all.filter((f) => f.RecordState === 'ARCHIVED');
    expect(archived.map((f) => f.Id)).toEqual([`lens-audit/${eastFixed.findingId}`]);
    expect(archived[0]!.Compliance!.Status).toBe('PASSED');
    expect(all.filter((f) => f.RecordState === 'ACTIVE').map((f) => f.Id)).toEqual([`lens-audit/${eastStill.findingId}`]);
    expect(all.some((f) => f.Resources![0]!.Region === 'us-west-2')).toBe(false);
    expect(report).toEqual({ imported: 1, archived: 1, failed: 0, errors: [] });
    // The persisting finding keeps its first observation.
    expect(all.find((f) => f.RecordState === 'ACTIVE')!.CreatedAt).toBe(eastStill.firstSeen);
  });
});
