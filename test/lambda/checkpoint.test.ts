// A scan step that does not fit in one invocation continues in the next from its checkpoint (src/aws/journal.ts):
// the real collectors over the benchmark's simulated AWS (estate S), the state table on dynalite. The checkpointed
// scan, cut into many short invocations, must store the same inventory as one uninterrupted scan, replaying rather
// than repeating what earlier invocations were answered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedAws } from '../../bench/sim/aws.js';
import { ESTATES, accessKeyId, accountId } from '../../bench/sim/estate.js';
import { ALL_CHECKS } from '../../checks/index.js';
import { ALL_COLLECTORS } from '../../src/collect/index.js';
import { silentLogger } from '../../src/collect/types.js';
import { MAX_SCAN_RESUMES, createHandlers, type AccountPartial, type ScanOutput, type ScanPartial } from '../../src/lambda/handlers.js';
import { Partials } from '../../src/lambda/partials.js';
import type { Check, RegionInventory } from '../../src/model/index.js';
import { FAKE_CREDENTIALS, startDynalite, type LocalDynamo } from './dynalite.js';

const S = ESTATES.S;
const ACCOUNT = accountId(0);
const REGION = S.regions[0]!;
const STARTED = '2026-06-01T03:00:00.000Z';

let db: LocalDynamo;
beforeAll(async () => {
  db = await startDynalite();
});
afterAll(async () => {
  await db.close();
});

function handlersFor(table: string, sim: SimulatedAws, scanBudgetMs?: number) {
  return createHandlers({
    config: { scope: { accounts: [ACCOUNT], regions: [REGION], roleName: 'LensAuditReadOnly' }, audit: {}, securityHub: false },
    table,
    region: REGION,
    aws: { credentials: { accessKeyId: accessKeyId(0), secretAccessKey: 'simulated' }, requestHandler: sim, pacing: false, maxAttempts: 1 },
    sinkAws: { credentials: FAKE_CREDENTIALS, endpoint: db.endpoint, maxAttempts: 1 },
    collectors: ALL_COLLECTORS,
    checks: ALL_CHECKS as readonly Check[],
    log: silentLogger,
    ...(scanBudgetMs !== undefined ? { scanBudgetMs } : {}),
  });
}

/** The inventory, order-free: resources of each kind by ARN. */
function canonical(r: RegionInventory): Record<string, unknown[]> {
  return Object.fromEntries(
    Object.entries(r.resources).map(([kind, list]) => [kind, [...(list ?? [])].sort((a, b) => (a.arn < b.arn ? -1 : 1))]),
  );
}

describe('scan checkpoints', () => {
  it('a scan cut into short invocations stores the same inventory as one scan, replaying what was already answered', async () => {
    const table = await db.newTable();
    const partials = new Partials(db.client, table);

    // One uninterrupted scan: the reference.
    const refSim = new SimulatedAws({ spec: S, latencyMs: 4, limits: false });
    const ref = await handlersFor(table, refSim).scan({ runId: 'ref', startedAt: STARTED, accountId: ACCOUNT, region: REGION });
    expect(ref).toMatchObject({ done: true, resumes: 0, replayed: 0 });
    const refRequests = refSim.requests;
    const reference = (await partials.get<ScanPartial>('ref', `SCAN#${ACCOUNT}#${REGION}`))!;
    expect(reference.region.resources.AwsLambdaFunction).toHaveLength(S.perAccount.functions);

    // The same scan with a budget far below what it needs: the state machine invokes it again while it is not done.
    // The scan's length is its round trips (about 41 in a row for estate S) times the latency, plus this machine's CPU
    // (about 0.35 s idle, several seconds on a loaded CI machine, replays included). At 40 ms a call and a 500 ms
    // budget the CPU decided: 5 invocations idle, 10 to 13 with the two cores shared by ten busy processes, past
    // MAX_SCAN_RESUMES. At 100 ms a call the round trips alone (about 4 s) outlast a 2 s budget however fast the
    // machine, so the scan is cut at least once, and the budget is large against the CPU's share: 3 invocations idle,
    // about 5 under that load.
    const sim = new SimulatedAws({ spec: S, latencyMs: 100, limits: false });
    const h = handlersFor(table, sim, 2_000);
    const outs: ScanOutput[] = [];
    let resumes = 0;
    for (;;) {
      const out = await h.scan({ runId: 'cut', startedAt: STARTED, accountId: ACCOUNT, region: REGION, resumes });
      outs.push(out);
      if (out.done) break;
      expect(out.resumes).toBe(resumes + 1);
      // Nothing is stored as the region's inventory until a scan completes.
      expect(await partials.get<ScanPartial>('cut', `SCAN#${ACCOUNT}#${REGION}`)).toBeUndefined();
      resumes = out.resumes;
      expect(resumes).toBeLessThanOrEqual(MAX_SCAN_RESUMES);
    }
    expect(outs.length).toBeGreaterThanOrEqual(2);
    // The checkpoint as stored in the table holds no secret the estate carries: the simulated functions' live Stripe
    // keys (environment values) and the pending https subscriptions' `?token=` query (D1).
    const checkpoint = JSON.stringify(await partials.get('cut', `JOURNAL#${ACCOUNT}#${REGION}`));
    expect(checkpoint).toContain('lambda|');
    expect(checkpoint).toContain('STRIPE_KEY');
    expect(checkpoint).not.toMatch(/sk_live_|token=abc/);
    // Every resumed invocation replayed the earlier ones' answers and went on live.
    for (const out of outs.slice(1)) expect(out.replayed).toBeGreaterThan(0);
    // Every cut invocation made new calls (the last may have nothing left but replays: calls that were in flight at
    // the previous deadline and answered were journaled).
    for (const out of outs.slice(0, -1)) expect(out.apiCalls).toBeGreaterThan(0);

    const cut = (await partials.get<ScanPartial>('cut', `SCAN#${ACCOUNT}#${REGION}`))!;
    expect(cut.errors).toEqual([]);
    expect(cut.region.listGaps).toEqual([]);
    expect(canonical(cut.region)).toEqual(canonical(reference.region));
    // What reached AWS: the reference's calls, plus at most the calls each cut cancelled in flight.
    const live = outs.reduce((n, o) => n + o.apiCalls, 0);
    expect(sim.requests).toBe(live);
    expect(live).toBeLessThan(refRequests * 1.25);
    // The API-call counts of the region are every invocation's.
    expect(Object.values(cut.apiCalls).reduce((a, b) => a + b, 0)).toBe(live);

    // The account evaluates over the checkpointed inventory as over the reference one.
    await h.regions({ runId: 'cut', startedAt: STARTED, accountId: ACCOUNT });
    await h.evaluate({ runId: 'cut', startedAt: STARTED, accountId: ACCOUNT, regions: [REGION] });
    const evaluated = (await partials.get<AccountPartial>('cut', `ACCOUNT#${ACCOUNT}`))!;
    expect(evaluated.results.filter((r) => r.status === 'FAIL').length).toBeGreaterThan(0);
    expect(evaluated.errors.filter((e) => e.service === 'lens-audit')).toEqual([]);
  }, 120_000);

  it('a resume with no checkpoint, or beyond the limit, fails the step rather than scanning from nothing', async () => {
    const table = await db.newTable();
    const h = handlersFor(table, new SimulatedAws({ spec: S, latencyMs: 0, limits: false }));
    await expect(h.scan({ runId: 'r', startedAt: STARTED, accountId: ACCOUNT, region: REGION, resumes: 1 })).rejects.toThrow(/no checkpoint/);
    await expect(h.scan({ runId: 'r', startedAt: STARTED, accountId: ACCOUNT, region: REGION, resumes: MAX_SCAN_RESUMES + 1 })).rejects.toThrow(/event.resumes/);
  });

  it('a step that cannot make any progress before its deadline fails instead of looping', async () => {
    const table = await db.newTable();
    // AWS never answers: every call is still in flight at the deadline, and is cancelled then.
    let cancelled = 0;
    const hanging = {
      handle: (_req: unknown, opts?: { abortSignal?: AbortSignal }) =>
        new Promise<never>((_resolve, reject) => {
          opts?.abortSignal?.addEventListener('abort', () => (cancelled++, reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' }))));
        }),
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
      destroy() {},
    };
    const h = createHandlers({
      config: { scope: { accounts: [ACCOUNT], regions: [REGION], roleName: 'LensAuditReadOnly' }, audit: {}, securityHub: false },
      table, region: REGION,
      aws: { credentials: { accessKeyId: accessKeyId(0), secretAccessKey: 'simulated' }, requestHandler: hanging, pacing: false, maxAttempts: 1 },
      sinkAws: { credentials: FAKE_CREDENTIALS, endpoint: db.endpoint, maxAttempts: 1 },
      collectors: ALL_COLLECTORS, checks: ALL_CHECKS as readonly Check[], log: silentLogger, scanBudgetMs: 50,
    });
    await expect(h.scan({ runId: 'r', startedAt: STARTED, accountId: ACCOUNT, region: REGION })).rejects.toThrow(/made no progress/);
    expect(cancelled).toBeGreaterThan(0);
  });
});
