// The benchmark's worker hook (engine/workers.ts WorkerHook): each worker thread of a sharded bench scan gets its own
// simulated AWS of the same estate, latency and clock scale. An account lives in exactly one worker, and the
// simulator's rate limits are per account and region, so the shards see the limits one simulator would. The worker
// reports back what the bench measures: the simulator's CPU, requests, throttling and per-scope calls, the resources
// the collectors added, and (for the floor) the calls it sent.
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { Collector } from '../../src/collect/types.js';
import { recordCalls, type Recording } from '../floor.js';
import { SimulatedAws, type ScopeStats } from './aws.js';
import { dilateTime } from './clock.js';
import type { EstateSpec } from './estate.js';

export interface BenchHookData {
  spec: EstateSpec;
  latencyMs: number;
  scale: number;
  /** Record the calls for the floor replay, into this directory (the scanning thread's: it removes it). */
  recordDir?: string;
}

export interface BenchHookReport {
  busyMs: number;
  requests: number;
  throttled: number;
  unsimulated: Record<string, number>;
  stats: ScopeStats[];
  collected: Record<string, number>;
  /** The calls it sent, for the floor (their file, in `recordDir`). */
  recording?: Recording;
}

export async function setupScanWorker(data: BenchHookData) {
  const clock = dilateTime(data.scale);
  const sim = new SimulatedAws({ spec: data.spec, latencyMs: data.latencyMs });
  const recorder = data.recordDir ? recordCalls(Object.getPrototypeOf(LambdaClient.prototype), { dir: data.recordDir }) : undefined;
  const collected: Record<string, number> = {};
  return {
    aws: { requestHandler: sim },
    collectors: (all: readonly Collector[]): Collector[] =>
      all.map((c) => ({ ...c, collect: (ctx: Parameters<typeof c.collect>[0]) => c.collect({ ...ctx, add: (r) => ((collected[r.kind] = (collected[r.kind] ?? 0) + 1), ctx.add(r)) }) })),
    async finish(): Promise<BenchHookReport> {
      const recording = await recorder?.stop();
      clock.restore();
      return {
        busyMs: sim.busyMs, requests: sim.requests, throttled: sim.throttled, unsimulated: { ...sim.unsimulated }, stats: sim.stats(), collected,
        ...(recording ? { recording } : {}),
      };
    },
  };
}
