// The collector contract. A collector turns AWS responses into inventory resources; it never judges.
import type { ClientCtor } from '../aws/clients.js';
import type { AccountInventory, AccountRegion, Account, AnyResource, Kind } from '../model/index.js';

export interface Logger {
  debug(msg: string, extra?: Record<string, unknown>): void;
  info(msg: string, extra?: Record<string, unknown>): void;
  warn(msg: string, extra?: Record<string, unknown>): void;
  error(msg: string, extra?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export interface CollectOptions {
  /** Collect CloudWatch metric series (GetMetricData) for metric-based checks (--metrics). */
  metrics: boolean;
  /**
   * Collect the account-region metric series (one GetMetricData call per region: Lambda ConcurrentExecutions, API
   * Gateway request counts) for the account- and region-level metric checks, which run without --metrics.
   */
  regionMetrics?: boolean;
  /** Kinds the enabled checks need; a collector may skip kinds nobody needs. */
  kinds: ReadonlySet<Kind>;
  /** Per-service concurrency for per-resource calls. */
  concurrency?: Partial<Record<string, number>>;
  now?: Date;
}

export interface CollectContext {
  accountId: string;
  partition: string;
  /** Region code; `global` for account-scope collectors. */
  region: string;
  options: CollectOptions;
  log: Logger;
  /** An instrumented, read-only SDK client bound to this account and region (us-east-1 for `global`). */
  client<C>(Ctor: ClientCtor<C>): C;
  /** Runs `fn` under the per-service concurrency bound of this account-region (p-limit). */
  limit<T>(service: string, fn: () => Promise<T>): Promise<T>;
  /** Adds a resource to this region's inventory. */
  add(resource: AnyResource): void;
  /** Resources of `kind` below `scopeArn` could not be listed (also recorded in `errors`). */
  listGap(kind: Kind, scopeArn: string, operation: string, err: unknown, scopeName?: string): void;
  /** A failure that is not tied to one resource kind (recorded in `errors` only). */
  error(service: string, operation: string, err: unknown): void;
  /** The account-region pseudo resource (created on first use); collectors set fields and gaps on it. */
  accountRegion(): AccountRegion;
  /** The account pseudo resource (region `global`). */
  account(): Account;
  /** What has been collected so far for this account (stage-2 and account collectors read stage-1 output). */
  inventory(): AccountInventory;
}

export interface Collector {
  /** Short name, e.g. `lambda`, `apigateway-rest`. */
  name: string;
  /** Kinds this collector produces (or fills fields on). It runs when any is needed. */
  kinds: readonly Kind[];
  /** `region`: once per account-region; `account`: once per account (IAM, global). */
  scope: 'region' | 'account';
  /** Stage 2 runs after every stage-1 collector of the account has finished (default 1). */
  stage?: 1 | 2;
  /** IAM actions the collector may call, e.g. `lambda:ListFunctions` (for `audit permissions`). */
  operations: readonly string[];
  /** Only with --metrics. */
  requiresMetrics?: boolean;
  collect(ctx: CollectContext): Promise<void>;
}
