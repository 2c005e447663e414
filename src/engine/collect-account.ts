// Runs the collectors of one account: regional stage 1 (regions concurrently), account stage 1, then stage 2.
import pLimit from 'p-limit';
import { RegionSkipped } from '../aws/breaker.js';
import type { ClientFactory } from '../aws/clients.js';
import { errorMessage } from '../aws/errors.js';
import { AccountCollection, serviceOf } from '../collect/context.js';
import { collectorsFor } from '../collect/index.js';
import type { CollectOptions, Collector, Logger } from '../collect/types.js';
import { regionScopeArn, type AccountInventory, type CollectionError, type Gap } from '../model/index.js';

export interface CollectAccountInput {
  factory: ClientFactory;
  accountId: string;
  partition: string;
  regions: string[];
  collectors: readonly Collector[];
  options: CollectOptions;
  log: Logger;
  /** How many regions of this account are collected at once. */
  regionConcurrency?: number;
  onRegionDone?: (region: string) => void;
  /** Progress of each collector in each region (`global` for account-wide ones). */
  onCollector?: (event: 'start' | 'done', region: string, collector: string) => void;
}

export interface CollectAccountOutput {
  account: AccountInventory;
  errors: CollectionError[];
}

export async function collectAccount(input: CollectAccountInput): Promise<CollectAccountOutput> {
  const { factory, accountId, partition, log } = input;
  const collection = new AccountCollection({ factory, accountId, partition, regions: input.regions, options: input.options, log });
  const { account, errors } = collection;
  const makeContext = (region: string, collectorName?: string) => collection.context(region, collectorName);

  const run = async (collector: Collector, region: string) => {
    const held = new Set<string>();
    const ctx = collection.context(region, collector.name, held);
    input.onCollector?.('start', region, collector.name);
    try {
      await collector.collect(ctx);
    } catch (err) {
      // A collector bug or an unexpected failure: every kind it produces is unlisted here, never a silent pass.
      for (const kind of collector.kinds) {
        ctx.listGap(kind, regionScopeArn(partition, region, accountId), `${collector.name}:collect`, err);
      }
      // A region the circuit breaker skipped is not a collector failure: its one error entry says it.
      if (!(err instanceof RegionSkipped)) log.warn(`collector ${collector.name} failed in ${accountId}/${region}: ${errorMessage(err)}`);
    } finally {
      collection.releaseClients(held, { region, operations: collector.operations });
      input.onCollector?.('done', region, collector.name);
    }
  };

  const wanted = collectorsFor(input.collectors, input.options);
  const regionLimit = pLimit(input.regionConcurrency ?? 4);
  // Every region gets an account-region resource and an entry, even when nothing is found there.
  for (const region of input.regions) makeContext(region).accountRegion();
  // What each collector will call, where: a client goes once none of those still to end there could use it.
  for (const c of wanted) {
    if (c.scope === 'account') collection.expectCollector('global', c.operations);
    else for (const region of input.regions) collection.expectCollector(region, c.operations);
  }
  if (wanted.some((c) => c.scope === 'account')) makeContext('global');

  for (const stage of [1, 2] as const) {
    const inStage = wanted.filter((c) => (c.stage ?? 1) === stage);
    const regional = inStage.filter((c) => c.scope === 'region');
    const global = inStage.filter((c) => c.scope === 'account');
    await Promise.all([
      ...input.regions.map((region) =>
        regionLimit(async () => {
          await Promise.all(regional.map((c) => run(c, region)));
          if (stage === 2 || !wanted.some((c) => c.scope === 'region' && (c.stage ?? 1) === 2)) input.onRegionDone?.(region);
        }),
      ),
      ...global.map((c) => run(c, 'global')),
    ]);
  }
  // A failed list call can also leave field gaps (shared counts): one error entry per failure, not two.
  errors.push(...summariseFieldGaps(account).filter((e) => !errors.some((x) => x.region === e.region && x.operation === e.operation && x.code === e.code)));
  // Calls the circuit breaker skipped are one entry per account-region (their field gaps included).
  const scopes = new Set([...input.regions, 'global']);
  for (const trip of factory.breaker?.trips() ?? []) if (scopes.has(trip.region)) collection.noteSkipped(trip);
  return { account, errors };
}

/** Field gaps become one error entry per (region, operation, code), with how many resources they hit. */
function summariseFieldGaps(account: AccountInventory): CollectionError[] {
  const groups = new Map<string, { region: string; gap: Gap; count: number }>();
  for (const r of account.regions) {
    for (const list of Object.values(r.resources)) {
      for (const res of list ?? []) {
        const seen = new Set<string>();
        for (const gap of Object.values(res.gaps ?? {})) {
          if (gap.code === 'RegionSkipped') continue; // one entry per account-region (collectAccount)
          const key = `${r.region}|${gap.operation}|${gap.code}`;
          if (seen.has(key)) continue; // several fields of one resource lost to one call count once
          seen.add(key);
          const g = groups.get(key);
          if (g) g.count++;
          else groups.set(key, { region: r.region, gap, count: 1 });
        }
      }
    }
  }
  return [...groups.values()].map(({ region, gap, count }) => ({
    accountId: account.accountId,
    region,
    service: serviceOf(gap.operation),
    operation: gap.operation,
    code: gap.code,
    message: `${gap.message}${count > 1 ? ` (and ${count - 1} more resources)` : ''}`.trim(),
  }));
}
