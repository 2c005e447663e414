// The inventory: everything collected, JSON-serialisable, saved with --save-inventory and re-read with --inventory.
import type { AnyResource, Gap, Kind, ResourceOf } from './resources.js';

export const INVENTORY_SCHEMA_VERSION = 1;

/** Resources of `kind` below `scopeArn` could not be listed: checks on that kind there are NOT_ASSESSED. */
export interface ListGap extends Gap {
  kind: Kind;
  /** The ARN the gap is reported under: the parent (e.g. a REST API whose stages failed) or the account-region. */
  scopeArn: string;
  /** Display name for `scopeArn`. */
  scopeName?: string;
}

/** A failure that hit a whole service, region or account (design.md `errors`). */
export interface CollectionError {
  accountId: string;
  region: string;
  service: string;
  operation: string;
  code: string;
  message: string;
}

export type ResourcesByKind = { [K in Kind]?: ResourceOf<K>[] };

export interface RegionInventory {
  /** Region code, or `global` for IAM and account-wide data. */
  region: string;
  resources: ResourcesByKind;
  listGaps: ListGap[];
}

export interface AccountInventory {
  accountId: string;
  partition: string;
  /** The account's name in AWS Organizations (organization scans: ListAccounts), for display next to the id. */
  name?: string;
  /** The account alias (`iam:ListAccountAliases`), for display next to the id. */
  alias?: string;
  regions: RegionInventory[];
}

export interface Inventory {
  schemaVersion: typeof INVENTORY_SCHEMA_VERSION;
  tool: { name: string; version: string };
  collectedAt: string;
  accounts: AccountInventory[];
  errors: CollectionError[];
  /** API calls made while collecting, `service:Operation` → count. */
  apiCalls?: Record<string, number>;
}

export type { AnyResource };

/** An account's regions with their list gaps only, no resources: what the history's coverage needs of an inventory. */
export function skeletonOf(a: AccountInventory): AccountInventory {
  return { accountId: a.accountId, partition: a.partition, regions: a.regions.map((r) => ({ region: r.region, resources: {}, listGaps: r.listGaps })) };
}
