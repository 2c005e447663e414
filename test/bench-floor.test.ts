// The benchmark's CPU floor (bench/floor.ts) and profile summary (bench/profile.ts), issue 21 point 1: the calls a
// scan sends are recorded below the scanner's wrapper and replayed by bare clients as the same calls (same operations,
// inputs, accounts and regions, so the same answers); a CPU profile's self time is aggregated per function. Nothing
// here is timed: the figures are `npm run bench`'s.
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { loadCalls, recordCalls, removeRecording, replayCalls, sdkClasses, type RecordedCall } from '../bench/floor.js';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allocationsBySource, selfTimeBySource, topAllocations, topSelfTime, type AllocationProfile, type CpuProfile } from '../bench/profile.js';
import { SimulatedAws } from '../bench/sim/aws.js';
import { dilateTime } from '../bench/sim/clock.js';
import { ESTATES, accessKeyId } from '../bench/sim/estate.js';
import { ALL_CHECKS } from '../checks/index.js';
import { runAudit } from '../src/engine/run-audit.js';

const S = ESTATES.S;
const credentials = (i: number) => ({ accessKeyId: accessKeyId(i), secretAccessKey: 'simulated' });
const base = Object.getPrototypeOf(LambdaClient.prototype) as { send: LambdaClient['send'] };
/** A stand-in for an SDK package: a shared client base whose send answers `answer` (and counts), a client, a command. */
function fakeSdk(answer?: unknown) {
  let sent = 0;
  class Base {
    send(_cmd: object): Promise<unknown> {
      sent++;
      return Promise.resolve(answer);
    }
  }
  class FakeClient extends Base {
    constructor(readonly config: { region: string; credentials: () => Promise<{ accessKeyId: string; secretAccessKey: string }> }) {
      super();
    }
  }
  class FakeCommand {
    constructor(readonly input: unknown) {}
  }
  return { Base, FakeClient, FakeCommand, sent: () => sent };
}
/** `account|region` → `service:Operation` → requests, as a simulator saw them. */
const seen = (sim: SimulatedAws) => Object.fromEntries(sim.stats().map((s) => [`${s.account}|${s.region}`, s.calls]));

describe('bench floor: the scan\'s calls replayed by bare SDK clients', () => {
  it('records every call a scan of estate S sends, and the replay sends the same calls to a simulator', async () => {
    const sim = new SimulatedAws({ spec: S, latencyMs: 5 });
    const recorder = recordCalls(base);
    const evaluateCpu = { micros: 0 };
    const clock = dilateTime(0.05);
    let out: Awaited<ReturnType<typeof runAudit>>;
    let recording: Awaited<ReturnType<typeof recorder.stop>>;
    try {
      out = await runAudit({ checks: ALL_CHECKS, regions: [...S.regions], aws: { credentials: credentials(0), requestHandler: sim }, evaluateCpu });
    } finally {
      clock.restore();
      recording = await recorder.stop();
    }
    let calls: RecordedCall[];
    try {
      calls = loadCalls([recording], await sdkClasses());
    } finally {
      removeRecording(recording);
    }
    expect(existsSync(recording.path)).toBe(false);
    expect(out.report.errors).toEqual([]);
    // Every call made, once: the recorder sits below counting, pacing and the read-only guard.
    expect(calls.length).toBe(out.report.stats.apiCallsTotal);
    expect(recording.count).toBe(calls.length);
    expect(calls.length).toBe(sim.requests);
    // The evaluation's CPU was metered apart (a count of microseconds, not a timing assertion).
    expect(evaluateCpu.micros).toBeGreaterThan(0);

    const replaySim = new SimulatedAws({ spec: S, latencyMs: 0, limits: false });
    const replayed = await replayCalls(calls, { requestHandler: replaySim, concurrency: 8 });
    expect(replayed.calls).toBe(calls.length);
    // Same operations in the same account-regions, as many times; the same answers (the policies not found ...).
    expect(seen(replaySim)).toEqual(seen(sim));
    expect(replaySim.requests).toBe(sim.requests);
    expect(replaySim.throttled).toBe(0);
    const notFound = calls.length - replayed.errors;
    expect(replayed.errors).toBeGreaterThan(0);
    expect(notFound).toBeGreaterThan(0);
    // One bare client per client of the scan, which made one per (client class, region): the clients collectors hand
    // back go only once no collector still to end declares their service (the IAM client waits for stage 2).
    const scanClients = new Set(calls.map((c) => c.client)).size;
    expect(replayed.clients).toBe(scanClients);
    expect(scanClients).toBe(new Set(calls.map((c) => `${c.client.Ctor.name}|${c.client.region}`)).size);
    expect(calls.every((c) => c.client.credentials?.accessKeyId === accessKeyId(0))).toBe(true);
  }, 60_000);

  it('puts send back when stopped: later calls are not recorded', async () => {
    const sim = new SimulatedAws({ spec: S, latencyMs: 0, limits: false });
    const original = base.send;
    const recorder = recordCalls(base);
    const client = new LambdaClient({ region: S.regions[0], credentials: credentials(0), requestHandler: sim });
    await client.send(new ListFunctionsCommand({ MaxItems: 50 }));
    const recording = await recorder.stop();
    expect(base.send).toBe(original);
    await client.send(new ListFunctionsCommand({}));
    const calls = loadCalls([recording], new Map([['LambdaClient', { LambdaClient, ListFunctionsCommand }]]));
    removeRecording(recording);
    expect(recording.count).toBe(1);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.Command).toBe(ListFunctionsCommand);
    expect(calls[0]!.input).toEqual({ MaxItems: 50 });
    expect(calls[0]!.client).toMatchObject({ Ctor: LambdaClient, region: S.regions[0], credentials: credentials(0) });
  });

  it('writes the calls to its file as they go, and reads them back as they were sent: order, clients, dates and bytes', async () => {
    const { Base, FakeClient, FakeCommand } = fakeSdk();
    const dir = mkdtempSync(join(tmpdir(), 'floor-test-'));
    const recorder = recordCalls(Base.prototype, { dir });
    const east = new FakeClient({ region: 'us-east-1', credentials: async () => ({ accessKeyId: 'AKIAEAST', secretAccessKey: 's1' }) });
    const west = new FakeClient({ region: 'us-west-2', credentials: async () => ({ accessKeyId: 'AKIAWEST', secretAccessKey: 's2' }) });
    // More calls than one batch: the recorder writes the full batches while the scan goes and keeps no more than one.
    const n = 5000;
    for (let i = 0; i < n; i++) await (i % 3 === 0 ? west : east).send(new FakeCommand({ i, at: new Date(1_700_000_000_000 + i), bytes: new Uint8Array([i & 255]) }));
    expect(recorder.count).toBe(n);
    // Two full batches are on disk before the recording stops; the rest is written by stop().
    const [file] = readdirSync(dir);
    const written = statSync(join(dir, file!)).size;
    expect(written).toBeGreaterThan(0);
    const recording = await recorder.stop();
    expect(statSync(recording.path).size).toBeGreaterThan(written);
    const calls = loadCalls([recording, recording], new Map([['FakeClient', { FakeClient, FakeCommand }]]));
    expect(calls).toHaveLength(2 * n);
    calls.slice(0, n).forEach((c, i) => {
      expect(c.Command).toBe(FakeCommand);
      expect(c.client).toEqual(i % 3 === 0
        ? { Ctor: FakeClient, region: 'us-west-2', credentials: { accessKeyId: 'AKIAWEST', secretAccessKey: 's2' } }
        : { Ctor: FakeClient, region: 'us-east-1', credentials: { accessKeyId: 'AKIAEAST', secretAccessKey: 's1' } });
      expect(c.input).toEqual({ i, at: new Date(1_700_000_000_000 + i), bytes: new Uint8Array([i & 255]) });
    });
    expect((calls[1]!.input as { at: unknown }).at).toBeInstanceOf(Date);
    // Two recordings read one after the other, each in its own order; an unknown class is an error, not a skip.
    expect((calls[n]!.input as { i: number }).i).toBe(0);
    expect(() => loadCalls([recording], new Map())).toThrow(/no SDK class FakeClient/);
    expect(() => loadCalls([recording], new Map([['FakeClient', { FakeClient }]]))).toThrow(/no SDK class FakeCommand in the package of FakeClient/);
    removeRecording(recording);
    expect(existsSync(recording.path)).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a call whose input cannot be recorded still goes out; the recording stops and says why, and leaves no file', async () => {
    const sdk = fakeSdk('answer');
    const { Base, FakeClient, FakeCommand } = sdk;
    const dir = mkdtempSync(join(tmpdir(), 'floor-test-'));
    const recorder = recordCalls(Base.prototype, { dir });
    const client = new FakeClient({ region: 'us-east-1', credentials: async () => ({ accessKeyId: 'AKIA', secretAccessKey: 's' }) });
    // A function cannot be serialised: the batch it is in fails when written, the calls do not.
    for (let i = 0; i < 3000; i++) expect(await client.send(new FakeCommand(i === 10 ? { i, f: () => i } : { i }))).toBe('answer');
    expect(sdk.sent()).toBe(3000);
    await expect(recorder.stop()).rejects.toThrow(/floor recording failed/);
    expect(readdirSync(dir)).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('bench profile: self time per function', () => {
  const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)') },
      { id: 2, callFrame: frame('(idle)') },
      { id: 3, callFrame: frame('signRequest', 'file:///work/main/node_modules/@smithy/signature-v4/dist-cjs/index.js', 519) },
      // The same function reached by another path: another node, the same function.
      { id: 4, callFrame: frame('signRequest', 'file:///work/main/node_modules/@smithy/signature-v4/dist-cjs/index.js', 519) },
      { id: 5, callFrame: { ...frame('', '/repo/src/collect/lambda.ts', 9), columnNumber: 4 } },
      { id: 6, callFrame: frame('(garbage collector)') },
    ],
    startTime: 1_000,
    // Samples at 1000, 2000, 4000, 5000, 6000 and 8000 µs; each lasts until the next one (the last, until endTime).
    samples: [3, 4, 5, 2, 6, 3],
    timeDeltas: [0, 1_000, 2_000, 1_000, 1_000, 2_000],
    endTime: 10_000,
  };

  it('aggregates nodes by function, leaves idle time out, largest first, with shares of the busy time', () => {
    expect(topSelfTime(profile, 15, '/repo')).toEqual([
      { name: 'signRequest node_modules/@smithy/signature-v4/dist-cjs/index.js:520:1', selfMs: 5, share: 0.625 },
      { name: '(garbage collector)', selfMs: 2, share: 0.25 },
      { name: '(anonymous) src/collect/lambda.ts:10:5', selfMs: 1, share: 0.125 },
    ]);
    expect(topSelfTime(profile, 1).map((f) => f.name)).toEqual(['signRequest node_modules/@smithy/signature-v4/dist-cjs/index.js:520:1']);
  });

  it('aggregates by source: a package, a directory of the project, V8 itself', () => {
    expect(selfTimeBySource(profile, '/repo')).toEqual([
      { name: '@smithy/signature-v4', selfMs: 5, share: 0.625 },
      { name: '(garbage collector)', selfMs: 2, share: 0.25 },
      { name: 'src/collect', selfMs: 1, share: 0.125 },
    ]);
  });

  it('falls back on hit counts when the profile has no sample list', () => {
    const counted: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(idle)'), hitCount: 6 },
        { id: 2, callFrame: frame('parse', '/x.js'), hitCount: 3 },
        { id: 3, callFrame: frame('parse', '/x.js'), hitCount: 1 },
      ],
      startTime: 0,
      endTime: 10_000,
    };
    expect(topSelfTime(counted)).toEqual([{ name: 'parse /x.js:1:1', selfMs: 4, share: 1 }]);
  });
});

describe('bench allocation profile: bytes per function and per source', () => {
  const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });
  const MB = 2 ** 20;
  // A sampling heap profile's tree: each node's selfSize is what was allocated in that frame, not in its callees.
  const profile: AllocationProfile = {
    head: {
      callFrame: frame('(root)'),
      selfSize: 0,
      children: [
        {
          callFrame: frame('send', '/repo/src/aws/clients.ts', 9),
          selfSize: 1 * MB,
          children: [
            { callFrame: frame('parse', 'file:///repo/node_modules/@smithy/core/dist-cjs/index.js', 99), selfSize: 4 * MB, children: [] },
          ],
        },
        // The same function reached by another path counts once, summed.
        { callFrame: frame('parse', 'file:///repo/node_modules/@smithy/core/dist-cjs/index.js', 99), selfSize: 2 * MB, children: [] },
        { callFrame: frame('(V8 API)'), selfSize: 0.5 * MB, children: [] },
      ],
    },
  };

  it('sums a function over every path that reaches it, largest first, with shares of all bytes', () => {
    expect(topAllocations(profile, 15, '/repo')).toEqual([
      { name: 'parse node_modules/@smithy/core/dist-cjs/index.js:100:1', mb: 6, share: 0.8 },
      { name: 'send src/aws/clients.ts:10:1', mb: 1, share: 0.133 },
      { name: '(V8 API)', mb: 0.5, share: 0.067 },
    ]);
    expect(topAllocations(profile, 1, '/repo')).toHaveLength(1);
  });

  it('groups by source as the CPU profile does', () => {
    expect(allocationsBySource(profile, '/repo')).toEqual([
      { name: '@smithy/core', mb: 6, share: 0.8 },
      { name: 'src/aws', mb: 1, share: 0.133 },
      { name: '(V8 API)', mb: 0.5, share: 0.067 },
    ]);
  });
});
