// Test harness for collectors: a CollectContext over an in-memory AccountInventory, with p-limit bounds per service.
import pLimit, { type LimitFunction } from 'p-limit';
import { ClientFactory, type ClientCtor } from '../../src/aws/clients.js';
import { toGap } from '../../src/aws/errors.js';
import type { CollectContext, CollectOptions } from '../../src/collect/types.js';
import {
  KINDS, type Account, type AccountInventory, type AccountRegion, type AnyResource, type CollectionError, type Kind,
  type RegionInventory,
} from '../../src/model/index.js';

export const TEST_ACCOUNT = '123456789012';
export const TEST_REGION = 'us-east-1';

/** A factory with static credentials (no credential chain lookup) and counting on. */
export function testFactory(extra: ConstructorParameters<typeof ClientFactory>[0] = {}): ClientFactory {
  return new ClientFactory({ credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' }, ...extra });
}

export interface MakeContextOptions {
  region?: string;
  accountId?: string;
  factory?: ClientFactory;
  /** Kinds the enabled checks need (default: every kind). */
  kinds?: Iterable<Kind>;
  /** Share one account inventory (and error list) between contexts, e.g. regional stage 1 then the IAM stage 2. */
  inventory?: AccountInventory;
  errors?: CollectionError[];
  concurrency?: CollectOptions['concurrency'];
}

export interface TestContext {
  ctx: CollectContext;
  inventory: AccountInventory;
  errors: CollectionError[];
  factory: ClientFactory;
  /** This context's region inventory. */
  region: RegionInventory;
}

export function makeContext(opts: MakeContextOptions = {}): TestContext {
  const accountId = opts.accountId ?? TEST_ACCOUNT;
  const regionName = opts.region ?? TEST_REGION;
  const factory = opts.factory ?? testFactory();
  const inventory: AccountInventory = opts.inventory ?? { accountId, partition: 'aws', regions: [] };
  const errors = opts.errors ?? [];
  const partition = inventory.partition;

  const regionOf = (name: string): RegionInventory => {
    let r = inventory.regions.find((x) => x.region === name);
    if (!r) inventory.regions.push((r = { region: name, resources: {}, listGaps: [] }));
    return r;
  };
  const region = regionOf(regionName);
  const add = (r: AnyResource, into = region) => {
    const list = (into.resources[r.kind] ??= []) as AnyResource[];
    list.push(r);
  };
  const limits = new Map<string, LimitFunction>();
  const options: CollectOptions = { metrics: false, kinds: new Set(opts.kinds ?? KINDS), concurrency: opts.concurrency };
  const recordError = (service: string, operation: string, err: unknown) => {
    const g = toGap(`${service}:${operation}`, err);
    errors.push({ accountId, region: regionName, service, operation, code: g.code, message: g.message });
  };

  const ctx: CollectContext = {
    accountId,
    partition,
    region: regionName,
    options,
    log: { debug() {}, info() {}, warn() {}, error() {} },
    client<C>(Ctor: ClientCtor<C>): C {
      return factory.get(Ctor, regionName === 'global' ? 'us-east-1' : regionName);
    },
    limit<T>(service: string, fn: () => Promise<T>): Promise<T> {
      let l = limits.get(service);
      if (!l) limits.set(service, (l = pLimit(options.concurrency?.[service] ?? 4)));
      return l(fn);
    },
    add: (r) => add(r),
    listGap(kind, scopeArn, operation, err, scopeName) {
      const g = toGap(operation, err);
      region.listGaps.push({ kind, scopeArn, ...(scopeName ? { scopeName } : {}), ...g });
      const [service = 'unknown', op = operation] = operation.split(':');
      recordError(service, op, err);
    },
    error: recordError,
    accountRegion(): AccountRegion {
      const existing = region.resources.AwsAccountRegion?.[0];
      if (existing) return existing;
      const ar: AccountRegion = {
        kind: 'AwsAccountRegion', arn: `arn:${partition}:lambda:${regionName}:${accountId}:account`,
        name: `${accountId}/${regionName}`, accountId, region: regionName, tags: {},
      };
      add(ar);
      return ar;
    },
    account(): Account {
      const g = regionOf('global');
      const existing = g.resources.AwsAccount?.[0];
      if (existing) return existing;
      const a: Account = { kind: 'AwsAccount', arn: `arn:${partition}:iam::${accountId}:root`, name: accountId, accountId, region: 'global', tags: {} };
      add(a, g);
      return a;
    },
    inventory: () => inventory,
  };
  return { ctx, inventory, errors, factory, region };
}
