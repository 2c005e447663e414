// The finish stage of a split run (src/engine/finish-run.ts): the evaluated accounts merged, the history applied
// (a file store), the summary, the run's health and report.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import lambdaNoTracing from '../../checks/lambda/no-tracing.js';
import { silentLogger, type Collector } from '../../src/collect/types.js';
import { evaluateCollectedAccount, type CollectedRegion, type EvaluatedAccount } from '../../src/engine/account-stage.js';
import type { Suppression } from '../../src/engine/config.js';
import { makeResource } from '../../src/engine/examples.js';
import { finishRun, type FinishRunInput } from '../../src/engine/finish-run.js';
import type { Check, LambdaFunction } from '../../src/model/index.js';
import { openStore } from '../../src/state/index.js';

const A = '111122223333';
const B = '444455556666';
const CHECKS = [lambdaNoTracing as unknown as Check];
const lambdaCollector: Collector = { name: 'fake-lambda', kinds: ['AwsLambdaFunction'], scope: 'region', operations: [], async collect() {} };

function region(accountId: string, name: string, functions: string[]): CollectedRegion {
  return {
    region: { region: name, listGaps: [], resources: { AwsLambdaFunction: functions.map((f) => makeResource('AwsLambdaFunction', { name: f, accountId, region: name, TracingConfig: { Mode: f.startsWith('ok') ? 'Active' : 'PassThrough' } }) as LambdaFunction) } },
    errors: [], apiCalls: { 'lambda:ListFunctions': 1 },
  };
}

async function evaluated(accountId: string, runId: string, collected: CollectedRegion[], planned = ['eu-west-1', 'us-east-1']): Promise<EvaluatedAccount> {
  return evaluateCollectedAccount({
    accountId, partition: 'aws', runId, now: new Date(), collectedAt: new Date().toISOString(), planned, collected, regionsResolved: { errors: [] },
    homeRegion: 'us-east-1', collectors: [lambdaCollector], audit: { checks: CHECKS, checkOptions: {}, suppressions: [], metrics: false },
    clients: () => Promise.reject(new Error('no account-wide collector here')), log: silentLogger,
  });
}

let dir: string;
let state: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'finish-run-'));
  state = join(dir, 'state.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function finish(over: Partial<FinishRunInput> & Pick<FinishRunInput, 'runId' | 'evaluated'>) {
  const store = openStore(state);
  try {
    return await finishRun({ now: new Date(), accounts: [A, B], store, checks: CHECKS, ...over });
  } finally {
    store.close();
  }
}

describe('finishRun', () => {
  it('merges the accounts in the planned order; one not evaluated is AccountIncomplete and not assessed', async () => {
    const a = await evaluated(A, 'r1', [region(A, 'us-east-1', ['fn']), region(A, 'eu-west-1', ['other'])]);
    const run = await finish({ runId: 'r1', evaluated: new Map([[A, a]]) });
    expect(run.scope).toEqual({ accounts: [A, B], regions: ['eu-west-1', 'us-east-1'] });
    expect(run.accountsIncomplete).toEqual([B]);
    expect(run.errors).toEqual([{
      accountId: B, region: 'global', service: 'lens-audit', operation: 'evaluate', code: 'AccountIncomplete',
      message: `the scan of account ${B} did not complete (see execution r1): its findings are kept unchanged`,
    }]);
    expect(run.health).toMatchObject({ status: 'SUCCEEDED', accountsAssessed: [A], accountsNotAssessed: [B] });
    expect(run.diff.new.map((r) => r.resourceName).sort()).toEqual(['fn', 'other']);
    expect(run.summary.fail).toBe(2);
    expect(run.results.filter((r) => r.status === 'FAIL')).toHaveLength(2);
    expect(run.report).toBeUndefined();
  });

  it('keeps the findings of a region whose scan did not complete, resolves what was assessed', async () => {
    await finish({ runId: 'r1', evaluated: new Map([[A, await evaluated(A, 'r1', [region(A, 'us-east-1', ['fn']), region(A, 'eu-west-1', ['other'])])]]) });
    // Both fixed; only us-east-1 scanned this time (a passing function there: an account with nothing but a region
    // not scanned would be NothingAssessed, and keep everything).
    const run = await finish({ runId: 'r2', evaluated: new Map([[A, await evaluated(A, 'r2', [region(A, 'us-east-1', ['ok'])])]]) });
    expect(run.diff.resolved.map((r) => `${r.region} ${r.resourceName}`)).toEqual(['us-east-1 fn']);
    expect(run.diff.kept.map((r) => `${r.region} ${r.resourceName}`)).toEqual(['eu-west-1 other']);
    expect(run.errors.map((e) => `${e.code} ${e.accountId} ${e.region}`)).toEqual([`ScanIncomplete ${A} eu-west-1`, `AccountIncomplete ${B} global`]);
    expect(run.summary.resolved).toBe(1);
  });

  it('a run that assessed no account is FAILED', async () => {
    const run = await finish({ runId: 'r1', evaluated: new Map([[A, await evaluated(A, 'r1', [])]]) });
    expect(run.health).toMatchObject({ status: 'FAILED', accountsAssessed: [], accountsNotAssessed: [A, B] });
    expect(run.results).toEqual([]);
  });

  it('builds the run\'s report when asked: names, skipped checks, API calls, the errors so far; expired suppressions once', async () => {
    const expired: Suppression = { check: 'lambda.no-tracing', resource: 'fn', reason: 'later', expires: '2020-01-01' } as Suppression;
    const a = { ...(await evaluated(A, 'r1', [region(A, 'us-east-1', ['fn'])], ['us-east-1'])), name: 'alias-a', expiredSuppressions: [expired] };
    const b = { ...(await evaluated(B, 'r1', [region(B, 'us-east-1', [])], ['us-east-1'])), name: 'alias-b', expiredSuppressions: [{ ...expired }] };
    const run = await finish({
      runId: 'r1', evaluated: new Map([[A, a], [B, b]]),
      report: { tool: { name: 'lens-audit', version: '9.9.9' }, skipped: [{ checkId: 'x.y', reason: 'disabled' } as never], names: { [B]: 'org-b' } },
    });
    const report = run.report!;
    expect(report.runId).toBe('r1');
    expect(report.tool).toEqual({ name: 'lens-audit', version: '9.9.9' });
    // The Organizations name wins over the alias.
    expect(report.accountNames).toEqual({ [A]: 'alias-a', [B]: 'org-b' });
    expect(report.skipped).toEqual([{ checkId: 'x.y', reason: 'disabled' }]);
    expect(report.stats).toMatchObject({ apiCalls: { 'lambda:ListFunctions': 2 }, apiCallsTotal: 2, accountsAssessed: 2 });
    expect(report.summary).toEqual(run.summary);
    expect(report.scope).toEqual(run.scope);
    // The report's errors are a copy: what the delivery adds afterwards is the run's, not the report's.
    run.errors.push({ accountId: '', region: '', service: 'slack', operation: 'Post', code: 'X', message: 'x' });
    expect(report.errors).toEqual([]);
    expect(run.expiredSuppressions).toEqual([expired]);
  });
});
