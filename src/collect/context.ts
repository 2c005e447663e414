// The collect context: what a collector sees of one account-region (CollectContext in types.ts). One implementation,
// used by the engine (engine/collect-account.ts) and by the collector tests (test/collect/harness.ts).
import pLimit, { type LimitFunction } from 'p-limit';
import { RegionSkipped } from '../aws/breaker.js';
import type { ClientFactory } from '../aws/clients.js';
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

  /** The region's inventory (created, empty, on first use). */
  regionOf(region: string): RegionInventory {
    let r = this.account.regions.find((x) => x.region === region);
    if (!r) this.account.regions.push((r = { region, resources: {}, listGaps: [] }));
    return r;
  }

  /** The context a collector gets for `region` (`global` for account-wide collectors). */
  context(region: string, collectorName = 'collector'): CollectContext {
    const { factory, accountId, partition, options, log } = this.input;
    const inv = this.regionOf(region);
    const clientRegion = region === 'global' ? this.input.regions[0] ?? 'us-east-1' : region;
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
      client: (Ctor) => factory.get(Ctor, clientRegion),
      limit: (service, fn) => {
        const key = `${region}|${service}`;
        let l = this.limits.get(key);
        if (!l) this.limits.set(key, (l = pLimit(options.concurrency?.[service] ?? DEFAULT_CONCURRENCY[service] ?? DEFAULT_CONCURRENCY.default!)));
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
