// One account of a live scan: collect it (collectAccount), then evaluate every check over its inventory. The same code
// runs in the scanning process (one worker) and in each worker thread of a sharded scan (workers.ts, scan-worker.ts).
import type { ClientFactory } from '../aws/clients.js';
import type { CollectOptions, Collector, Logger } from '../collect/types.js';
import type { AccountInventory, Check, CheckOptions, CollectionError, Result } from '../model/index.js';
import { collectAccount } from './collect-account.js';
import { AccountIndex, evaluateCheck } from './evaluate.js';

export interface ScanAccountInput {
  factory: ClientFactory;
  accountId: string;
  partition: string;
  regions: string[];
  /** The account's name in Organizations (it wins over the alias in the reports). */
  name?: string;
  checks: readonly Check[];
  checkOptions?: Record<string, CheckOptions>;
  collectors: readonly Collector[];
  collectOptions: CollectOptions;
  now: Date;
  log: Logger;
  regionConcurrency?: number;
  tagKeys?: readonly string[];
  /** The regions (not `global`) an earlier run saw for this account (HistoryHook.regionsBefore). */
  regionsBefore?: readonly string[];
  onRegionDone?: (region: string) => void;
  onCollector?: (event: 'start' | 'done', region: string, collector: string) => void;
  /**
   * Benchmark: told the microseconds each synchronous stretch of evaluation took (index, checks, results), as the
   * meter measures them (default: process CPU time).
   */
  evaluated?: (micros: number) => void;
  meter?: () => number;
}

export interface AccountScan {
  account: AccountInventory;
  results: Result[];
  errors: CollectionError[];
  /** Regions an earlier run covered that this one does not (the history's missingRegions). */
  missingRegions: readonly string[];
}

const cpuMicros = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** Regions of `before` (not `global`) that `regions` lacks, sorted. */
export function missingRegionsOf(before: readonly string[] | undefined, regions: readonly string[]): string[] {
  return (before ?? []).filter((r) => r !== 'global' && !regions.includes(r)).sort();
}

/** Collects and evaluates one account. Throws when the account could not be collected at all (the caller records it). */
export async function scanAccount(input: ScanAccountInput): Promise<AccountScan> {
  const { account, errors } = await collectAccount({
    factory: input.factory,
    accountId: input.accountId,
    partition: input.partition,
    regions: input.regions,
    collectors: input.collectors,
    options: input.collectOptions,
    log: input.log,
    regionConcurrency: input.regionConcurrency ?? input.regions.length,
    ...(input.onRegionDone ? { onRegionDone: input.onRegionDone } : {}),
    ...(input.onCollector ? { onCollector: input.onCollector } : {}),
  });
  // Check by check, yielding in between, so that the other accounts' calls keep flowing meanwhile.
  const meter = input.evaluated ? (input.meter ?? cpuMicros) : undefined;
  let t0 = meter?.();
  const metered = () => {
    if (!meter || t0 === undefined) return;
    input.evaluated!(meter() - t0);
  };
  const accountIndex = new AccountIndex(account);
  const results: Result[] = [];
  const missingRegions = missingRegionsOf(input.regionsBefore, account.regions.map((r) => r.region));
  for (const check of input.checks) {
    for (const r of evaluateCheck(check, accountIndex, { checkOptions: input.checkOptions, now: input.now, missingRegions })) results.push(r);
    metered();
    await new Promise((resolve) => setImmediate(resolve));
    t0 = meter?.();
  }
  if (input.name) account.name = input.name;
  withTags(results, account, input.tagKeys);
  metered();
  return { account, results, errors, missingRegions };
}

/** Copies the resource's tags of `keys` onto each result (Result.tags); results of resources without them get none. */
export function withTags(results: Result[], account: AccountInventory, keys: readonly string[] | undefined): Result[] {
  if (!keys || keys.length === 0) return results;
  const byArn = new Map<string, Record<string, string>>();
  for (const region of account.regions) {
    for (const list of Object.values(region.resources)) {
      for (const res of list ?? []) {
        const tags = res.tags;
        if (!tags) continue;
        const picked: Record<string, string> = {};
        for (const k of keys) if (Object.hasOwn(tags, k) && typeof tags[k] === 'string') picked[k] = tags[k];
        if (Object.keys(picked).length > 0) byArn.set(res.arn, picked);
      }
    }
  }
  for (const r of results) {
    const tags = byArn.get(r.resourceArn);
    if (tags) r.tags = { ...tags };
  }
  return results;
}
