// Stage 3 of a run split over invocations (the scheduled scan, src/lambda/handlers.ts): evaluate one account whose
// regions were collected one account-region at a time. The account's regional inventories are merged in the planned
// order, a region whose scan did not complete is listed as it would look in the CLI when its every call failed (its
// kinds unlisted: ScanIncomplete), the account-wide collectors (IAM, account quotas) run seeing the regional
// inventories, then every check runs over the account's whole inventory (some compare resources across the account's
// regions, or join regional resources with IAM roles). The outcome is what the finish stage (finish-run.ts) merges.
import type { ClientFactory } from '../aws/clients.js';
import { errorCode, errorMessage } from '../aws/errors.js';
import { collectorsFor, neededKinds } from '../collect/index.js';
import type { CollectOptions, Collector, Logger } from '../collect/types.js';
import { TOOL } from '../version.js';
import {
  INVENTORY_SCHEMA_VERSION, type AccountInventory, type Check, type CheckOptions, type CollectionError, type Kind, type ListGap,
  type RegionInventory, type Result, accountArn, accountRegionArn, resultSet,
} from '../model/index.js';
import { collectAccount } from './collect-account.js';
import type { Suppression } from './config.js';
import { NothingAssessedError } from './errors.js';
import { runAudit } from './run-audit.js';
import { needsRegionMetrics } from './select.js';

/** What a run's configuration selects: the checks, their options, the suppressions, whether metrics are read. */
export interface AuditSelection {
  checks: readonly Check[];
  checkOptions: Record<string, CheckOptions>;
  suppressions: Suppression[];
  metrics: boolean;
}

/** The collect options of a run: what the selected checks need (kinds, metrics), at the run's `now`. */
export function collectOptionsFor(audit: Pick<AuditSelection, 'checks' | 'metrics'>, now: Date): CollectOptions {
  return { metrics: audit.metrics, regionMetrics: needsRegionMetrics(audit.checks), kinds: neededKinds(audit.checks), now };
}

/** One account-region's completed collection (the scan step's output). */
export interface CollectedRegion {
  region: RegionInventory;
  errors: CollectionError[];
  apiCalls: Record<string, number>;
}

/** One account evaluated: what the finish stage needs of it. */
export interface EvaluatedAccount {
  accountId: string;
  partition: string;
  results: Result[];
  /** Entries of service `lens-audit` (ScanIncomplete, NothingAssessed, ...) make the history keep that scope as it was. */
  errors: CollectionError[];
  /** The inventory's regions with their list gaps: what the history diff needs to know what was assessed. */
  regions: { region: string; listGaps: ListGap[] }[];
  expiredSuppressions: Suppression[];
  apiCalls: Record<string, number>;
  /** The account's display name (its alias) for the reports. */
  name?: string;
}

export interface EvaluateAccountInput {
  accountId: string;
  partition: string;
  runId: string;
  /** The run's `now` (metric windows, suppression expiry). */
  now: Date;
  /** The inventory's collectedAt (the run's start, as given). */
  collectedAt: string;
  /** The account's regions, as planned (resolved earlier); each without a completed collection is ScanIncomplete. */
  planned: readonly string[];
  /** The completed account-region collections. */
  collected: readonly CollectedRegion[];
  /** The outcome of resolving the account's regions; undefined when that step did not complete. */
  regionsResolved?: { errors: CollectionError[] };
  /** Where the account-wide collectors run (the auditor's home region). */
  homeRegion: string;
  collectors: readonly Collector[];
  audit: AuditSelection;
  /** The account's audit clients (the member role elsewhere than the auditor account): asked for only when needed. */
  clients: () => Promise<ClientFactory>;
  log: Logger;
}

/**
 * A collector whose `ctx.inventory()` also shows regions collected by earlier steps: the account-scope collectors
 * (IAM keeps the roles the functions use) run in their own step, after the regional scans.
 */
export function withRegions(collector: Collector, seed: readonly RegionInventory[]): Collector {
  return {
    ...collector,
    collect: (ctx) =>
      collector.collect({
        ...ctx,
        inventory: () => {
          const own = ctx.inventory();
          const regions = [...seed, ...own.regions.filter((r) => !seed.some((s) => s.region === r.region))];
          // A view: `regions` reads the seed too; anything a collector writes (the IAM collector's alias) goes to the
          // account's own inventory.
          return new Proxy(own, { get: (target, key, receiver) => (key === 'regions' ? regions : Reflect.get(target, key, receiver)) });
        },
      }),
  };
}

/** Evaluates one account from its collected regions: the account-wide collectors, then every check over the account. */
export async function evaluateCollectedAccount(input: EvaluateAccountInput): Promise<EvaluatedAccount> {
  const { accountId, partition, runId, now, planned, collected, audit, collectors, log } = input;
  const errors: CollectionError[] = [...(input.regionsResolved?.errors ?? [])];
  const apiCalls: Record<string, number> = {};
  const addCalls = (calls: Record<string, number>) => {
    for (const [k, n] of Object.entries(calls)) apiCalls[k] = (apiCalls[k] ?? 0) + n;
  };
  const kinds = neededKinds(audit.checks);
  const regionalKinds = [...new Set(collectors.filter((c) => c.scope === 'region').flatMap((c) => c.kinds))].filter((k) => kinds.has(k));
  const seed: RegionInventory[] = [];
  let scanned = 0;
  for (const r of planned) {
    const s = collected.find((p) => p.region.region === r);
    if (s) {
      seed.push(s.region);
      errors.push(...s.errors);
      addCalls(s.apiCalls);
      scanned++;
      continue;
    }
    // As a region whose every call failed looks in the CLI: its kinds unlisted, so checks there and checks that
    // compare across the account's regions are NOT_ASSESSED, and nothing there is resolved.
    const message = `the scan of ${accountId}/${r} did not complete (error or Lambda timeout after the retries; see execution ${runId})`;
    errors.push({ accountId, region: r, service: 'lens-audit', operation: 'scan', code: 'ScanIncomplete', message });
    seed.push({
      region: r, resources: {},
      listGaps: regionalKinds.map((kind) => ({ kind, scopeArn: accountRegionArn(partition, r, accountId), scopeName: `${accountId}/${r}`, operation: 'lens-audit:scan', code: 'ScanIncomplete', message })),
    });
  }
  const outcome = (p: Omit<EvaluatedAccount, 'accountId' | 'partition' | 'apiCalls'>): EvaluatedAccount => ({ accountId, partition, apiCalls, ...p });

  if (scanned === 0) {
    if (planned.length === 0 && !input.regionsResolved) {
      errors.push({ accountId, region: 'global', service: 'lens-audit', operation: 'regions', code: 'RegionsIncomplete', message: `the regions of account ${accountId} were not resolved (see execution ${runId})` });
    }
    return outcome({ results: [], errors, regions: [], expiredSuppressions: [] });
  }

  // Account-wide collectors (IAM, account quotas), seeing the regional inventories.
  const accountCollectors = collectorsFor(collectors, { kinds, metrics: audit.metrics, scope: 'account' });
  const regions: RegionInventory[] = [...seed];
  let alias: string | undefined;
  if (accountCollectors.length > 0) {
    try {
      const factory = await input.clients();
      const out = await collectAccount({
        factory, accountId, partition, regions: [input.homeRegion],
        collectors: accountCollectors.map((c) => withRegions(c, seed)), options: collectOptionsFor(audit, now), log,
      });
      const global = out.account.regions.find((r) => r.region === 'global');
      if (global) regions.push(global);
      alias = out.account.alias;
      errors.push(...out.errors.filter((e) => e.region === 'global'));
      addCalls(factory.counter.calls);
    } catch (err) {
      // The account-wide kinds are unlisted (their checks NOT_ASSESSED), not empty.
      const gaps: ListGap[] = [...new Set(accountCollectors.flatMap((c) => c.kinds))].map((kind: Kind) => ({
        kind, scopeArn: accountArn(partition, accountId), scopeName: accountId, operation: 'sts:AssumeRole', code: errorCode(err), message: errorMessage(err),
      }));
      regions.push({ region: 'global', resources: {}, listGaps: gaps });
      errors.push({ accountId, region: 'global', service: 'lens-audit', operation: 'collect', code: errorCode(err), message: errorMessage(err) });
    }
  }

  const account: AccountInventory = { accountId, partition, regions, ...(alias ? { alias } : {}) };
  const gaps = regions.map((r) => ({ region: r.region, listGaps: r.listGaps }));
  try {
    const { report, expiredSuppressions } = await runAudit({
      checks: audit.checks, checkOptions: audit.checkOptions, suppressions: audit.suppressions, now, runId, log,
      // One account's results go to its outcome whole: the finish stage counts and diffs them with every other account's.
      spillPassAbove: Number.POSITIVE_INFINITY,
      inventory: { schemaVersion: INVENTORY_SCHEMA_VERSION, tool: { ...TOOL }, collectedAt: input.collectedAt, accounts: [account], errors },
    });
    // Every result of the account (never spilled here: spillPassAbove is Infinity).
    return outcome({ results: [...resultSet(report)], errors: report.errors, regions: gaps, expiredSuppressions, ...(report.accountNames?.[accountId] ? { name: report.accountNames[accountId] } : {}) });
  } catch (err) {
    if (!(err instanceof NothingAssessedError)) throw err;
    errors.push({ accountId, region: 'global', service: 'lens-audit', operation: 'evaluate', code: 'NothingAssessed', message: err.message });
    return outcome({ results: [], errors, regions: gaps, expiredSuppressions: [] });
  }
}
