// Runs the collectors of one account: regional stage 1 (regions concurrently), account stage 1, then stage 2.
import pLimit, { type LimitFunction } from 'p-limit';
import type { ClientFactory } from '../aws/clients.js';
import { errorCode, errorMessage } from '../aws/errors.js';
import type { CollectContext, CollectOptions, Collector, Logger } from '../collect/types.js';
import type {
  Account, AccountInventory, AccountRegion, AnyResource, CollectionError, Gap, RegionInventory,
} from '../model/index.js';

/** Default per-service concurrency for per-resource calls in one account-region (rate limits are per account and region). */
export const DEFAULT_CONCURRENCY: Record<string, number> = {
  lambda: 6, apigateway: 3, apigatewayv2: 3, dynamodb: 8, kinesis: 4, sns: 8, logs: 2, cloudwatch: 4, iam: 2, default: 4,
};

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
}

export interface CollectAccountOutput {
  account: AccountInventory;
  errors: CollectionError[];
}

const serviceOf = (operation: string) => operation.split(':')[0] ?? 'unknown';

export async function collectAccount(input: CollectAccountInput): Promise<CollectAccountOutput> {
  const { factory, accountId, partition, log } = input;
  const errors: CollectionError[] = [];
  const regionInv = new Map<string, RegionInventory>();
  const limits = new Map<string, LimitFunction>();
  const account: AccountInventory = { accountId, partition, regions: [] };

  const regionOf = (region: string) => {
    let r = regionInv.get(region);
    if (!r) {
      r = { region, resources: {}, listGaps: [] };
      regionInv.set(region, r);
      account.regions.push(r);
    }
    return r;
  };
  const pseudo = new Map<string, AccountRegion | Account>();

  const malformed = new Set<string>();

  const makeContext = (region: string, collectorName = 'collector'): CollectContext => {
    const inv = regionOf(region);
    const clientRegion = region === 'global' ? input.regions[0] ?? 'us-east-1' : region;
    const error = (service: string, operation: string, err: unknown) => {
      errors.push({ accountId, region, service, operation, code: errorCode(err), message: errorMessage(err) });
    };
    const listGap: CollectContext['listGap'] = (kind, scopeArn, operation, err, scopeName) => {
      inv.listGaps.push({ kind, scopeArn, ...(scopeName ? { scopeName } : {}), operation, code: errorCode(err), message: errorMessage(err) });
      error(serviceOf(operation), operation, err);
    };
    const add = (resource: AnyResource) => {
      // An answer of the wrong shape (a string where a list was expected, members without their identifiers) makes
      // resources without an ARN or name: they are not evaluated, and the kind counts as not listed here.
      if (typeof resource.arn !== 'string' || !resource.arn.startsWith('arn:') || typeof resource.name !== 'string' || resource.name === '') {
        if (!malformed.has(`${region}|${resource.kind}`)) {
          malformed.add(`${region}|${resource.kind}`);
          const scopeArn = region === 'global' ? `arn:${partition}:iam::${accountId}:root` : `arn:${partition}:lambda:${region}:${accountId}:account`;
          listGap(resource.kind, scopeArn, `${collectorName}:collect`, Object.assign(new Error(`an AWS answer gave a ${resource.kind} without an ARN or name`), { name: 'MalformedResponse' }));
        }
        return;
      }
      const list = ((inv.resources as Record<string, AnyResource[]>)[resource.kind] ??= []);
      list.push(resource);
    };
    return {
      accountId,
      partition,
      region,
      options: input.options,
      log,
      client: (Ctor) => factory.get(Ctor, clientRegion),
      limit: (service, fn) => {
        const key = `${region}|${service}`;
        let l = limits.get(key);
        if (!l) limits.set(key, (l = pLimit(input.options.concurrency?.[service] ?? DEFAULT_CONCURRENCY[service] ?? DEFAULT_CONCURRENCY.default!)));
        return l(fn);
      },
      add,
      listGap,
      error: (service, operation, err) => error(service, operation, err),
      accountRegion: () => {
        const key = `${region}|AwsAccountRegion`;
        let r = pseudo.get(key) as AccountRegion | undefined;
        if (!r) {
          r = { kind: 'AwsAccountRegion', arn: `arn:${partition}:lambda:${region}:${accountId}:account`, name: `${accountId}/${region}`, accountId, region, tags: {} };
          pseudo.set(key, r);
          add(r);
        }
        return r;
      },
      account: () => {
        let r = pseudo.get('account') as Account | undefined;
        if (!r) {
          r = { kind: 'AwsAccount', arn: `arn:${partition}:iam::${accountId}:root`, name: accountId, accountId, region: 'global', tags: {} };
          pseudo.set('account', r);
          regionOf('global').resources.AwsAccount = [r];
        }
        return r;
      },
      inventory: () => account,
    };
  };

  const run = async (collector: Collector, region: string) => {
    const ctx = makeContext(region, collector.name);
    try {
      await collector.collect(ctx);
    } catch (err) {
      // A collector bug or an unexpected failure: every kind it produces is unlisted here, never a silent pass.
      const scopeArn = region === 'global' ? `arn:${partition}:iam::${accountId}:root` : `arn:${partition}:lambda:${region}:${accountId}:account`;
      for (const kind of collector.kinds) {
        ctx.listGap(kind, scopeArn, `${collector.name}:collect`, err);
      }
      log.warn(`collector ${collector.name} failed in ${accountId}/${region}: ${errorMessage(err)}`);
    }
  };

  const wanted = input.collectors.filter((c) => (!c.requiresMetrics || input.options.metrics) && c.kinds.some((k) => input.options.kinds.has(k)));
  const regionLimit = pLimit(input.regionConcurrency ?? 4);
  // Every region gets an account-region resource and an entry, even when nothing is found there.
  for (const region of input.regions) makeContext(region).accountRegion();
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
