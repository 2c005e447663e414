import { ComputeOptimizerClient, GetLambdaFunctionRecommendationsCommand, OptInRequiredException, type LambdaFunctionRecommendation } from '@aws-sdk/client-compute-optimizer';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { computeOptimizerCollector } from '../../src/collect/compute-optimizer.js';
import { makeResource } from '../../src/engine/examples.js';
import type { LambdaFunction } from '../../src/model/index.js';
import { makeContext, TEST_ACCOUNT } from './harness.js';

const mock = mockClient(ComputeOptimizerClient);
afterAll(() => mock.restore());
beforeEach(() => mock.reset());

const ARN = (n: string) => `arn:aws:lambda:us-east-1:${TEST_ACCOUNT}:function:${n}`;
const fn = (name: string) => makeResource('AwsLambdaFunction', { name, FunctionName: name, accountId: TEST_ACCOUNT, MemorySize: 1024 }) as LambdaFunction;
/** A LambdaFunctionRecommendation as the API returns it (qualified functionArn plus functionVersion). */
const rec = (name: string, version: string, finding: string, reasons: string[], options: { rank: number; memorySize: number }[] = []): LambdaFunctionRecommendation => ({
  functionArn: `${ARN(name)}:${version}`,
  functionVersion: version,
  accountId: TEST_ACCOUNT,
  currentMemorySize: 1024,
  numberOfInvocations: 52_000,
  lookbackPeriodInDays: 14,
  lastRefreshTimestamp: new Date('2026-05-30T06:00:00Z'),
  finding: finding as LambdaFunctionRecommendation['finding'],
  findingReasonCodes: reasons as LambdaFunctionRecommendation['findingReasonCodes'],
  memorySizeRecommendationOptions: options.map((o) => ({ ...o, projectedUtilizationMetrics: [{ name: 'Duration', statistic: 'Expected', value: 120 }] })),
  currentPerformanceRisk: 'VeryLow',
});

function setup(names: string[]) {
  const t = makeContext();
  for (const n of names) t.ctx.add(fn(n));
  return t;
}

describe('compute-optimizer collector', () => {
  it('stores the $LATEST recommendation of each function, over pages; functions without one get null', async () => {
    mock.on(GetLambdaFunctionRecommendationsCommand).resolves({
      lambdaFunctionRecommendations: [
        rec('orders', '3', 'Optimized', []),
        rec('orders', '$LATEST', 'NotOptimized', ['MemoryOverprovisioned'], [{ rank: 2, memorySize: 768 }, { rank: 1, memorySize: 512 }]),
      ],
      nextToken: 'page-2',
    });
    mock.on(GetLambdaFunctionRecommendationsCommand, { nextToken: 'page-2' }).resolves({
      lambdaFunctionRecommendations: [rec('billing', '$LATEST', 'Unavailable', ['InsufficientData'])],
    });
    const { ctx, region } = setup(['orders', 'billing', 'quiet']);
    await computeOptimizerCollector.collect(ctx);

    expect(mock.commandCalls(GetLambdaFunctionRecommendationsCommand).map((c) => c.args[0].input)).toEqual([
      { nextToken: undefined, maxResults: 1000 },
      { nextToken: 'page-2', maxResults: 1000 },
    ]);
    const by = Object.fromEntries(region.resources.AwsLambdaFunction!.map((f) => [f.name, f]));
    expect(by.orders!.ComputeOptimizerFinding).toEqual({
      finding: 'NotOptimized', findingReasonCodes: ['MemoryOverprovisioned'], currentMemorySize: 1024, recommendedMemorySize: 512,
      numberOfInvocations: 52_000, lookbackPeriodInDays: 14, lastRefreshTimestamp: '2026-05-30T06:00:00.000Z',
    });
    expect(by.billing!.ComputeOptimizerFinding).toMatchObject({ finding: 'Unavailable', findingReasonCodes: ['InsufficientData'], recommendedMemorySize: undefined });
    expect(by.quiet!.ComputeOptimizerFinding).toBeNull();
    expect(by.quiet!.gaps).toBeUndefined();
  });

  it('turns OptInRequiredException into a gap that says how to opt in, without an error entry', async () => {
    mock.on(GetLambdaFunctionRecommendationsCommand).rejects(new OptInRequiredException({ message: 'The account is not opted in.', $metadata: { httpStatusCode: 403 } }));
    const { ctx, region, errors } = setup(['orders', 'billing']);
    await computeOptimizerCollector.collect(ctx);
    for (const f of region.resources.AwsLambdaFunction!) {
      expect(f.ComputeOptimizerFinding).toBeUndefined();
      expect(f.gaps?.ComputeOptimizerFinding).toMatchObject({ operation: 'compute-optimizer:GetLambdaFunctionRecommendations', code: 'OptInRequiredException' });
      expect(f.gaps!.ComputeOptimizerFinding!.message).toMatch(/not opted in to AWS Compute Optimizer/);
    }
    expect(errors).toEqual([]);
  });

  it('records other failures as gaps and as an error', async () => {
    mock.on(GetLambdaFunctionRecommendationsCommand).rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }));
    const { ctx, region, errors } = setup(['orders']);
    await computeOptimizerCollector.collect(ctx);
    expect(region.resources.AwsLambdaFunction![0]!.gaps?.ComputeOptimizerFinding?.code).toBe('AccessDeniedException');
    expect(errors).toEqual([expect.objectContaining({ service: 'compute-optimizer', operation: 'GetLambdaFunctionRecommendations', code: 'AccessDeniedException' })]);
  });

  it('makes no call in a region without functions', async () => {
    await computeOptimizerCollector.collect(makeContext().ctx);
    expect(mock.commandCalls(GetLambdaFunctionRecommendationsCommand)).toHaveLength(0);
  });
});
