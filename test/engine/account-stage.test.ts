// The evaluate stage of a split run (src/engine/account-stage.ts): an account evaluated from the regions its scans
// collected, with no AWS call (fake collectors; the account's clients are asked for only by the account-wide ones).
import { describe, expect, it } from 'vitest';
import { fakeIamCollector } from '../fixtures/fake-iam-collector.js';
import iamExecRoleWildcard from '../../checks/iam/exec-role-wildcard.js';
import lambdaNoTracing from '../../checks/lambda/no-tracing.js';
import { ClientFactory } from '../../src/aws/clients.js';
import { silentLogger, type Collector } from '../../src/collect/types.js';
import { collectOptionsFor, evaluateCollectedAccount, withRegions, type CollectedRegion, type EvaluateAccountInput } from '../../src/engine/account-stage.js';
import { makeResource } from '../../src/engine/examples.js';
import type { Check, CollectionError, LambdaFunction, RegionInventory } from '../../src/model/index.js';

const A = '111122223333';
const ROLE = `arn:aws:iam::${A}:role/app`;
const CHECKS = [lambdaNoTracing, iamExecRoleWildcard] as unknown as Check[];
const NOW = new Date('2025-03-01T02:00:00Z');

const lambdaCollector: Collector = { name: 'fake-lambda', kinds: ['AwsLambdaFunction'], scope: 'region', operations: [], async collect() {} };
const iamCollector = fakeIamCollector;

function scanned(region: string, functions: string[], extra: Partial<CollectedRegion> = {}): CollectedRegion {
  const inv: RegionInventory = {
    region, listGaps: [],
    resources: { AwsLambdaFunction: functions.map((name) => makeResource('AwsLambdaFunction', { name, accountId: A, region, Role: ROLE, TracingConfig: { Mode: 'PassThrough' } }) as LambdaFunction) },
  };
  return { region: inv, errors: [], apiCalls: { 'lambda:ListFunctions': 1 }, ...extra };
}

/** A factory that reaches nothing (the fake collectors make no call). */
const offline = () => new ClientFactory({ credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'x' }, endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });

function input(over: Partial<EvaluateAccountInput>): EvaluateAccountInput {
  return {
    accountId: A, partition: 'aws', runId: 'run-1', now: NOW, collectedAt: '2025-03-01T02:00:00Z',
    planned: ['eu-west-1', 'us-east-1'], collected: [], regionsResolved: { errors: [] }, homeRegion: 'us-east-1',
    collectors: [lambdaCollector, iamCollector], audit: { checks: CHECKS, checkOptions: {}, suppressions: [], metrics: false },
    clients: async () => offline(), log: silentLogger,
    ...over,
  };
}

describe('evaluateCollectedAccount', () => {
  it('evaluates the scanned regions with the account-wide collectors seeing them', async () => {
    const a = await evaluateCollectedAccount(input({ collected: [scanned('us-east-1', ['fn']), scanned('eu-west-1', ['other'])] }));
    expect(a.accountId).toBe(A);
    expect(a.errors).toEqual([]);
    // The planned order, then the account-wide region.
    expect(a.regions.map((r) => r.region)).toEqual(['eu-west-1', 'us-east-1', 'global']);
    expect(a.apiCalls).toEqual({ 'lambda:ListFunctions': 2 });
    const fails = a.results.filter((r) => r.status === 'FAIL').map((r) => `${r.checkId} ${r.region} ${r.resourceName}`).sort();
    // The role came from the regional inventories (withRegions): its check ran.
    expect(fails).toEqual(['iam.exec-role-wildcard global app', 'lambda.no-tracing eu-west-1 other', 'lambda.no-tracing us-east-1 fn']);
  });

  it('a region whose scan did not complete gives ScanIncomplete gaps of the regional kinds and an error', async () => {
    const a = await evaluateCollectedAccount(input({ collected: [scanned('us-east-1', ['fn'])] }));
    const message = `the scan of ${A}/eu-west-1 did not complete (error or Lambda timeout after the retries; see execution run-1)`;
    expect(a.errors).toEqual([{ accountId: A, region: 'eu-west-1', service: 'lens-audit', operation: 'scan', code: 'ScanIncomplete', message }]);
    expect(a.regions.find((r) => r.region === 'eu-west-1')!.listGaps).toEqual([
      { kind: 'AwsLambdaFunction', scopeArn: `arn:aws:lambda:eu-west-1:${A}:account`, scopeName: `${A}/eu-west-1`, operation: 'lens-audit:scan', code: 'ScanIncomplete', message },
    ]);
    expect(a.regions.find((r) => r.region === 'us-east-1')!.listGaps).toEqual([]);
    // What was scanned is still evaluated.
    expect(a.results.some((r) => r.checkId === 'lambda.no-tracing' && r.region === 'us-east-1' && r.status === 'FAIL')).toBe(true);
    expect(a.results.some((r) => r.region === 'eu-west-1' && r.status === 'FAIL')).toBe(false);
  });

  it('an account whose role cannot be assumed gets its account-wide kinds unlisted, not empty', async () => {
    const denied = Object.assign(new Error('User is not authorized to perform: sts:AssumeRole'), { name: 'AccessDenied' });
    const a = await evaluateCollectedAccount(input({ collected: [scanned('us-east-1', ['fn']), scanned('eu-west-1', [])], clients: async () => { throw denied; } }));
    expect(a.regions.find((r) => r.region === 'global')).toEqual({
      region: 'global',
      listGaps: [{ kind: 'AwsIamRole', scopeArn: `arn:aws:iam::${A}:root`, scopeName: A, operation: 'sts:AssumeRole', code: 'AccessDenied', message: denied.message }],
    });
    expect(a.errors).toEqual([{ accountId: A, region: 'global', service: 'lens-audit', operation: 'collect', code: 'AccessDenied', message: denied.message }]);
    // The IAM check is not assessed (nothing of it can resolve); the regional checks are.
    expect(a.results.map((r) => `${r.checkId} ${r.status} ${r.region}`)).toEqual(['lambda.no-tracing FAIL us-east-1', 'iam.exec-role-wildcard NOT_ASSESSED global']);
  });

  it('no region scanned: no result, the clients never asked for, RegionsIncomplete when the regions were not resolved', async () => {
    let asked = 0;
    const clients = async () => {
      asked++;
      return offline();
    };
    const unresolved = await evaluateCollectedAccount(input({ planned: [], regionsResolved: undefined, clients }));
    expect(unresolved).toEqual({
      accountId: A, partition: 'aws', apiCalls: {}, results: [], regions: [], expiredSuppressions: [],
      errors: [{ accountId: A, region: 'global', service: 'lens-audit', operation: 'regions', code: 'RegionsIncomplete', message: `the regions of account ${A} were not resolved (see execution run-1)` }],
    });
    // The regions step reported why (its errors carry over), so no RegionsIncomplete.
    const noRegion: CollectionError = { accountId: A, region: 'global', service: 'lens-audit', operation: 'regions', code: 'NoRegion', message: 'none enabled' };
    const resolved = await evaluateCollectedAccount(input({ planned: [], regionsResolved: { errors: [noRegion] }, clients }));
    expect(resolved.errors).toEqual([noRegion]);
    // Every planned region incomplete: ScanIncomplete each, still nothing evaluated.
    const failed = await evaluateCollectedAccount(input({ clients }));
    expect(failed.errors.map((e) => `${e.code} ${e.region}`)).toEqual(['ScanIncomplete eu-west-1', 'ScanIncomplete us-east-1']);
    expect(failed.results).toEqual([]);
    expect(failed.regions).toEqual([]);
    expect(asked).toBe(0);
  });

  it('an account whose every result is NOT_ASSESSED is NothingAssessed, its regions kept for the history', async () => {
    const gap = { kind: 'AwsLambdaFunction' as const, scopeArn: `arn:aws:lambda:us-east-1:${A}:account`, scopeName: `${A}/us-east-1`, operation: 'lambda:ListFunctions', code: 'AccessDenied', message: 'denied' };
    const denied: CollectionError = { accountId: A, region: 'us-east-1', service: 'lambda', operation: 'ListFunctions', code: 'AccessDenied', message: 'denied' };
    const a = await evaluateCollectedAccount(input({
      planned: ['us-east-1'], collectors: [lambdaCollector], audit: { checks: [lambdaNoTracing as unknown as Check], checkOptions: {}, suppressions: [], metrics: false },
      collected: [{ region: { region: 'us-east-1', resources: {}, listGaps: [gap] }, errors: [denied], apiCalls: {} }],
    }));
    expect(a.results).toEqual([]);
    expect(a.regions).toEqual([{ region: 'us-east-1', listGaps: [gap] }]);
    expect(a.errors.map((e) => e.code)).toEqual(['AccessDenied', 'NothingAssessed']);
    expect(a.errors[1]).toMatchObject({ accountId: A, region: 'global', service: 'lens-audit', operation: 'evaluate' });
  });

  it('collectOptionsFor: the kinds the checks need, at the run\'s now', () => {
    const o = collectOptionsFor({ checks: CHECKS, metrics: false }, NOW);
    expect(o.now).toBe(NOW);
    expect([...o.kinds!].sort()).toEqual(['AwsIamRole', 'AwsLambdaFunction']);
  });

  it('withRegions: the collector sees the seed regions first, writes to its own inventory', async () => {
    const seen: string[] = [];
    const probe: Collector = { name: 'probe', kinds: ['AwsIamRole'], scope: 'account', operations: [], async collect(ctx) {
      seen.push(...ctx.inventory().regions.map((r) => r.region));
    } };
    const own = { accountId: A, partition: 'aws', regions: [{ region: 'global', resources: {}, listGaps: [] }] };
    await withRegions(probe, [{ region: 'us-east-1', resources: {}, listGaps: [] }]).collect({ inventory: () => own } as never);
    expect(seen).toEqual(['us-east-1', 'global']);
    expect(own.regions.map((r) => r.region)).toEqual(['global']);
  });
});
