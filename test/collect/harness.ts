// Test harness for collectors: the production CollectContext (src/collect/context.ts) over an in-memory inventory.
import { ClientFactory } from '../../src/aws/clients.js';
import { AccountCollection } from '../../src/collect/context.js';
import { silentLogger, type CollectContext, type CollectOptions } from '../../src/collect/types.js';
import { KINDS, type AccountInventory, type CollectionError, type Kind, type RegionInventory } from '../../src/model/index.js';

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

/** A context of the production collect context (src/collect/context.ts) over a one-account inventory. */
export function makeContext(opts: MakeContextOptions = {}): TestContext {
  const accountId = opts.accountId ?? TEST_ACCOUNT;
  const regionName = opts.region ?? TEST_REGION;
  const factory = opts.factory ?? testFactory();
  const inventory: AccountInventory = opts.inventory ?? { accountId, partition: 'aws', regions: [] };
  const errors = opts.errors ?? [];
  const options: CollectOptions = { metrics: false, kinds: new Set(opts.kinds ?? KINDS), concurrency: opts.concurrency };
  const collection = new AccountCollection({
    factory, accountId, partition: inventory.partition, regions: [regionName === 'global' ? TEST_REGION : regionName], options, log: silentLogger, inventory, errors,
  });
  const ctx = collection.context(regionName);
  return { ctx, inventory, errors, factory, region: collection.regionOf(regionName) };
}
