// The benchmark's simulated AWS (bench/sim/): a scan of estate S through the real SDK clients finds exactly the
// estate's resources, and the simulator answers throttling errors, as the service does, once a rate limit is spent.
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { SNSClient, ListTopicsCommand } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { SimulatedAws } from '../bench/sim/aws.js';
import { dilateTime } from '../bench/sim/clock.js';
import { ESTATES, accessKeyId, accountId, expectedResources } from '../bench/sim/estate.js';
import { ALL_CHECKS } from '../checks/index.js';
import { ClientFactory } from '../src/aws/clients.js';
import { errorCode } from '../src/aws/errors.js';
import { ALL_COLLECTORS } from '../src/collect/index.js';
import type { Collector } from '../src/collect/types.js';
import { runAudit } from '../src/engine/run-audit.js';

const S = ESTATES.S;
const credentials = (i: number) => ({ accessKeyId: accessKeyId(i), secretAccessKey: 'simulated' });

/** Collectors that count what they add to the inventory. */
function counting(found: Record<string, number>): Collector[] {
  return ALL_COLLECTORS.map((c) => ({
    ...c,
    collect: (ctx) => c.collect({ ...ctx, add: (r) => ((found[r.kind] = (found[r.kind] ?? 0) + 1), ctx.add(r)) }),
  }));
}

describe('simulated AWS', () => {
  it('serves estate S to a full scan: every resource found, no gap, no error, no throttling under pacing', async () => {
    const sim = new SimulatedAws({ spec: S, latencyMs: 5 });
    const found: Record<string, number> = {};
    // S's rate-limit bound is about 9 s of Lambda calls: a 20× faster clock keeps the test short.
    const clock = dilateTime(0.05);
    let out: Awaited<ReturnType<typeof runAudit>>;
    try {
      out = await runAudit({
        checks: ALL_CHECKS,
        collectors: counting(found),
        regions: [...S.regions],
        keepInventory: true,
        aws: { credentials: credentials(0), requestHandler: sim },
      });
    } finally {
      clock.restore();
    }
    const { AwsAccountRegion, AwsAccount, ...collected } = expectedResources(S);
    expect(found).toEqual(collected);
    expect([AwsAccountRegion, AwsAccount]).toEqual([1, 1]);
    expect(out.report.scope.accounts).toEqual([accountId(0)]);
    expect(out.report.errors).toEqual([]);
    const inv = out.inventory!;
    const gaps = inv.accounts.flatMap((a) => a.regions.flatMap((r) => [
      ...r.listGaps,
      ...Object.values(r.resources).flatMap((list) => (list ?? []).filter((res) => res.gaps && Object.keys(res.gaps).length > 0)),
    ]));
    expect(gaps).toEqual([]);
    // The paced scan never exceeds a limit; every simulated call was made once.
    expect(sim.throttled).toBe(0);
    expect(sim.requests).toBe(out.report.stats.apiCallsTotal);
    // Per-function calls reached the simulator for each of the 50 functions.
    expect(out.report.stats.apiCalls['lambda:GetFunctionConcurrency']).toBe(S.perAccount.functions);
    // Checks ran on the collected estate: some pass, some fail.
    expect(out.report.summary.pass).toBeGreaterThan(0);
    expect(out.report.summary.fail).toBeGreaterThan(0);
  });

  it('answers TooManyRequestsException (REST-JSON) once a bucket is empty, and only then', async () => {
    // A bucket of 3 that refills once in 1,000 s: exactly three calls get through, whatever the timing.
    const sim = new SimulatedAws({ spec: S, latencyMs: 0, limits: { 'lambda:control': { rate: 0.001, burst: 3 } } });
    const client = new ClientFactory({ credentials: credentials(0), requestHandler: sim, pacing: false, maxAttempts: 1 }).get(LambdaClient, 'eu-west-1');
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, () => client.send(new ListFunctionsCommand({})).then((o) => `ok:${o.Functions?.length}`, (e) => errorCode(e))),
    );
    expect(outcomes.filter((o) => o === 'ok:50')).toHaveLength(3);
    expect(outcomes.filter((o) => o === 'TooManyRequestsException')).toHaveLength(3);
    expect(sim.throttled).toBe(3);
  });

  it('answers Throttling (AWS query XML, status 400) once a bucket is empty', async () => {
    const sim = new SimulatedAws({ spec: S, latencyMs: 0, limits: { 'sns:ListTopics': { rate: 0.001, burst: 1 } } });
    const noRetry = new ClientFactory({ credentials: credentials(0), requestHandler: sim, pacing: false, maxAttempts: 1 }).get(SNSClient, 'eu-west-1');
    const first = await noRetry.send(new ListTopicsCommand({}));
    expect(first.Topics).toHaveLength(S.perAccount.topics);
    const err = await noRetry.send(new ListTopicsCommand({})).catch((e: unknown) => e);
    expect(errorCode(err)).toBe('Throttling');
    expect((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(400);
  });

  it('keeps accounts apart by access key and refuses an unknown key', async () => {
    const spec = { ...S, accounts: 2 };
    const sim = new SimulatedAws({ spec, latencyMs: 0, limits: false });
    const lambda = (i: number) => new ClientFactory({ credentials: credentials(i), requestHandler: sim, maxAttempts: 1 }).get(LambdaClient, 'eu-west-1');
    const [a, b] = await Promise.all([lambda(0).send(new ListFunctionsCommand({})), lambda(1).send(new ListFunctionsCommand({}))]);
    expect(a.Functions?.[0]?.FunctionArn).toContain(`:${accountId(0)}:`);
    expect(b.Functions?.[0]?.FunctionArn).toContain(`:${accountId(1)}:`);
    const stranger = new ClientFactory({ credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'x' }, requestHandler: sim, maxAttempts: 1 }).get(LambdaClient, 'eu-west-1');
    expect(errorCode(await stranger.send(new ListFunctionsCommand({})).catch((e: unknown) => e))).toBe('UnrecognizedClientException');
  });

  it('answers an operation it does not simulate with an empty, well-formed result, and counts it', async () => {
    const sim = new SimulatedAws({ spec: S, latencyMs: 0 });
    const ec2 = new ClientFactory({ credentials: credentials(0), requestHandler: sim, maxAttempts: 1 }).get(EC2Client, 'eu-west-1');
    const out = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: ['subnet-1'] }));
    expect(out.Subnets ?? []).toEqual([]);
    expect(sim.unsimulated).toEqual({ 'ec2:DescribeSubnets': 1 });
  });
});
