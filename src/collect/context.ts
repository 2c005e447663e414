// The collect context: what a collector sees of one account-region (CollectContext in types.ts). One implementation,
// used by the engine (engine/collect-account.ts) and by the collector tests (test/collect/harness.ts).
import pLimit, { type LimitFunction } from 'p-limit';
import { RegionSkipped } from '../aws/breaker.js';
import { clientKey, serviceKey, type ClientCtor, type ClientFactory } from '../aws/clients.js';
import { errorCode, errorMessage } from '../aws/errors.js';
import {
  accountArn, accountRegionArn, regionScopeArn, type Account, type AccountInventory, type AccountRegion, type AnyResource,
  type CollectionError, type RegionInventory,
} from '../model/index.js';
import type { CollectContext, CollectOptions, Logger } from './types.js';

/** Default per-service concurrency for per-resource calls in one account-region (rate limits are per account and region). */
export const DEFAULT_CONCURRENCY: Record<string, number> = {
  lambda: 6, apigateway: 3, apigatewayv2: 3, dynamodb: 8, kinesis: 4, sns: 8, logs: 2, cloudwatch: 4, iam: 2, default: 4,
};

/** The concurrency of a service's per-resource calls in one account-region: the options', else the default. */
export function concurrencyOf(options: Pick<CollectOptions, 'concurrency'>, service: string): number {
  return options.concurrency?.[service] ?? DEFAULT_CONCURRENCY[service] ?? DEFAULT_CONCURRENCY.default!;
}

/**
 * Runs `fn` over `items`, at most `n` at once, in order; rejects with the first error once the items started have
 * ended (no further item starts after it). Unlike `Promise.all(items.map(fn))` under a limit, an item waiting for its
 * turn holds nothing: a region's hundreds of functions, each with five calls, are not all suspended in the queue
 * for the half-minute their calls take at the published rate.
 */
export async function eachAtMost<T>(items: readonly T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { err: unknown } | undefined;
  const runner = async () => {
    while (next < items.length && !failure) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (err) {
        failure ??= { err };
      }
    }
  };
  const runners = Number.isFinite(n) ? Math.max(1, Math.min(n, items.length)) : 1;
  await Promise.all(Array.from({ length: runners }, runner));
  if (failure) throw failure.err;
}

/** A client's service as collectors declare their calls (IAM prefixes: API Gateway's v2 API is `apigateway` there). */
function iamPrefixOf(client: unknown): string {
  const key = serviceKey((client as { config?: { serviceId?: string } }).config?.serviceId ?? 'unknown');
  return key === 'apigatewayv2' ? 'apigateway' : key;
}

/** The service part of `service:Operation`. */
export const serviceOf = (operation: string) => operation.split(':')[0] ?? 'unknown';

export interface AccountCollectionInput {
  factory: ClientFactory;
  accountId: string;
  partition: string;
  /** The account's regions; the first is where account-wide (`global`) clients go (default us-east-1). */
  regions: readonly string[];
  options: CollectOptions;
  log: Logger;
  /** Collect into this inventory (and error list) instead of new ones: several steps filling one account. */
  inventory?: AccountInventory;
  errors?: CollectionError[];
}

/**
 * One account's collection in progress: its inventory, its error entries, the per-service concurrency bounds of
 * each account-region and the pseudo-resources (account, account-region), handing out a context per region.
 */
export class AccountCollection {
  readonly account: AccountInventory;
  readonly errors: CollectionError[];
  private readonly limits = new Map<string, LimitFunction>();
  private readonly pseudo = new Map<string, AccountRegion | Account>();
  private readonly malformed = new Set<string>();
  /**
   * Per client (class and region) this account's collectors obtained through contexts given a `held` set: how many
   * running ones hold it, and its service. The account holds it in the factory (`ClientFactory.hold`) until it lets go.
   */
  private readonly holders = new Map<string, { count: number; Ctor: ClientCtor<unknown>; region: string; service: string; client: unknown }>();
  /** Per client region: the services (IAM prefixes) that collectors not yet ended there declare calls to, counted. */
  private readonly declared = new Map<string, Map<string, number>>();

  constructor(private readonly input: AccountCollectionInput) {
    this.account = input.inventory ?? { accountId: input.accountId, partition: input.partition, regions: [] };
    this.errors = input.errors ?? [];
    // The breaker names the account in its trip message (a factory serves one account).
    if (input.factory.breaker) input.factory.breaker.accountId ??= input.accountId;
  }

  /**
   * The circuit breaker skipped an account-region (RegionSkipped): one error entry for it, however many calls it
   * failed; the calls' gaps carry the same reason.
   */
  noteSkipped(err: RegionSkipped): void {
    const { accountId } = this.input;
    const message = errorMessage(err);
    if (this.errors.some((e) => e.accountId === accountId && e.region === err.region && e.code === 'RegionSkipped' && e.message === message)) return;
    this.errors.push({ accountId, region: err.region, service: 'lens-audit', operation: 'circuit-breaker', code: 'RegionSkipped', message });
  }

  /** The region (`global`: the first one) whose clients a context for `region` gets. */
  clientRegionOf(region: string): string {
    return region === 'global' ? this.input.regions[0] ?? 'us-east-1' : region;
  }

  /**
   * A collector will run in `region` (collectAccount says so for each before the first starts): while it has not
   * ended, the clients of the services it declares calls to (`operations`, IAM names) stay for it.
   */
  expectCollector(region: string, operations: readonly string[]): void {
    const r = this.clientRegionOf(region);
    let m = this.declared.get(r);
    if (!m) this.declared.set(r, (m = new Map()));
    for (const p of new Set(operations.map(serviceOf))) m.set(p, (m.get(p) ?? 0) + 1);
  }

  /**
   * A collector has ended (`ended`: where, and what it declared, if expectCollector was told of it): each client it
   * held goes (ClientFactory.release) once no running collector holds it and no collector still to end in its region
   * declares calls to its service. An account's Lambda calls take the half-minute its rate limit sets, where its
   * other services are done within seconds: their clients (about 35 KB each, a dozen per region) need not wait for it.
   * A client is not made twice by the rule (a credential chain would be resolved twice); were it asked for again, the
   * factory would make a new one, with the same pacer, breaker and counter (the factory's).
   */
  releaseClients(held: Set<string>, ended?: { region: string; operations: readonly string[] }): void {
    if (ended) {
      const m = this.declared.get(this.clientRegionOf(ended.region));
      for (const p of new Set(ended.operations.map(serviceOf))) if (m?.has(p)) m.set(p, m.get(p)! - 1);
    }
    for (const key of held) {
      const h = this.holders.get(key);
      if (h) h.count--;
    }
    held.clear();
    // Every client no running collector holds and none still to end could use: this one's, and any an ended
    // declaration was keeping.
    for (const [key, h] of this.holders) {
      if (h.count > 0 || (this.declared.get(h.region)?.get(h.service) ?? 0) > 0) continue;
      this.holders.delete(key);
      this.input.factory.release(h.Ctor, h.region);
    }
  }

  /** The region's inventory (created, empty, on first use). */
  regionOf(region: string): RegionInventory {
    let r = this.account.regions.find((x) => x.region === region);
    if (!r) this.account.regions.push((r = { region, resources: {}, listGaps: [] }));
    return r;
  }

  /**
   * The context a collector gets for `region` (`global` for account-wide collectors). With `held`, the clients it
   * obtains are recorded there, to be handed back by releaseClients when the collector ends.
   */
  context(region: string, collectorName = 'collector', held?: Set<string>): CollectContext {
    const { factory, accountId, partition, options, log } = this.input;
    const inv = this.regionOf(region);
    const clientRegion = this.clientRegionOf(region);
    const error = (service: string, operation: string, err: unknown) => {
      if (err instanceof RegionSkipped) return this.noteSkipped(err);
      this.errors.push({ accountId, region, service, operation, code: errorCode(err), message: errorMessage(err) });
    };
    const listGap: CollectContext['listGap'] = (kind, scopeArn, operation, err, scopeName) => {
      inv.listGaps.push({ kind, scopeArn, ...(scopeName ? { scopeName } : {}), operation, code: errorCode(err), message: errorMessage(err) });
      error(serviceOf(operation), operation, err);
    };
    const add = (resource: AnyResource) => {
      // An answer of the wrong shape (a string where a list was expected, members without their identifiers) makes
      // resources without an ARN or name: they are not evaluated, and the kind counts as not listed here.
      if (typeof resource.arn !== 'string' || !resource.arn.startsWith('arn:') || typeof resource.name !== 'string' || resource.name === '') {
        if (!this.malformed.has(`${region}|${resource.kind}`)) {
          this.malformed.add(`${region}|${resource.kind}`);
          listGap(resource.kind, regionScopeArn(partition, region, accountId), `${collectorName}:collect`, Object.assign(new Error(`an AWS answer gave a ${resource.kind} without an ARN or name`), { name: 'MalformedResponse' }));
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
      options,
      log,
      client: (Ctor) => {
        if (!held) return factory.get(Ctor, clientRegion);
        const key = clientKey(Ctor, clientRegion);
        const h = this.holders.get(key);
        // This account holds a client once in the factory, however many of its collectors use it.
        const client = h ? (h.client as InstanceType<typeof Ctor>) : factory.hold(Ctor, clientRegion);
        if (!held.has(key)) {
          held.add(key);
          if (h) h.count++;
          else this.holders.set(key, { count: 1, Ctor: Ctor as ClientCtor<unknown>, region: clientRegion, service: iamPrefixOf(client), client });
        }
        return client;
      },
      limit: (service, fn) => {
        const key = `${region}|${service}`;
        let l = this.limits.get(key);
        if (!l) this.limits.set(key, (l = pLimit(concurrencyOf(options, service))));
        return l(fn);
      },
      add,
      listGap,
      error,
      accountRegion: () => {
        const key = `${region}|AwsAccountRegion`;
        // A context over an inventory that already has it (a later step, a test sharing one) reuses it.
        let r = (this.pseudo.get(key) as AccountRegion | undefined) ?? inv.resources.AwsAccountRegion?.[0];
        if (!r) {
          r = { kind: 'AwsAccountRegion', arn: accountRegionArn(partition, region, accountId), name: `${accountId}/${region}`, accountId, region, tags: {} };
          this.pseudo.set(key, r);
          add(r);
        }
        return r;
      },
      account: () => {
        let r = (this.pseudo.get('account') as Account | undefined) ?? this.regionOf('global').resources.AwsAccount?.[0];
        if (!r) {
          r = { kind: 'AwsAccount', arn: accountArn(partition, accountId), name: accountId, accountId, region: 'global', tags: {} };
          this.pseudo.set('account', r);
          this.regionOf('global').resources.AwsAccount = [r];
        }
        return r;
      },
      inventory: () => this.account,
    };
  }
}
