// runAudit: the whole flow — scope, collect, evaluate, suppress, history, report. The CLI and the Lambda handlers are
// thin shells around it.
import { randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { ApiCallCounter, ClientFactory, type ClientFactoryOptions } from '../aws/clients.js';
import { errorCode, errorMessage } from '../aws/errors.js';
import { ALL_COLLECTORS, neededKinds } from '../collect/index.js';
import type { Collector, Logger } from '../collect/types.js';
import { silentLogger } from '../collect/types.js';
import {
  INVENTORY_SCHEMA_VERSION, type AccountInventory, type Check, type CheckOptions, type CollectionError, type Inventory,
  type Result, skeletonOf, summarise, type AuditReport, type ResolvedFinding, type TrendPoint,
  buildReport,
} from '../model/index.js';
import type { FindingDiff } from '../state/store.js';
import type { Suppression } from './config.js';
import { NothingAssessedError } from './errors.js';
import { runAdmitted } from './admission.js';
import { evaluateAccount } from './evaluate.js';
import { missingRegionsOf, scanAccount, withTags } from './scan-account.js';
import { LiveCalls, defaultWorkers, scanInWorkers, type WorkerHook } from './workers.js';
import { resolveScope, type ScopeInput } from './scope.js';
import type { AccountTarget } from './organization.js';
import { needsRegionMetrics, type SkippedCheck } from './select.js';
import { ResultSpill, spillPath } from './result-spill.js';
import { spillAccountPasses } from './spill-passes.js';
import { applySuppressions } from './suppress.js';
import { TOOL } from '../version.js';

export { withTags } from './scan-account.js';
export { compareResults } from './result-order.js';
import { sortResults } from './result-order.js';

/** Hooks for the state store (new / resolved). Kept abstract so runAudit does not depend on a store implementation. */
export interface HistoryHook {
  /** Marks results NEW/PERSISTING (sets `history`) and returns the findings this run resolved. */
  apply(input: {
    runId: string;
    results: Result[];
    errors: CollectionError[];
    scope: { accounts: string[]; regions: string[] };
    checks: readonly Check[];
    now: Date;
    startedAt: Date;
    /** The run's accounts and regions with their list gaps only (what the coverage needs, without the resources). */
    skeleton: { accounts: AccountInventory[] };
    /** In a run whose passes went to disk: the ids of passes in scopes not assessed as a whole (they still resolve). */
    passedIds?: ReadonlySet<string>;
    /** Accounts this run covered fewer regions of than an earlier run (regionsBefore): those regions. */
    missingRegions?: ReadonlyMap<string, readonly string[]>;
  }): Promise<{ results: Result[]; resolved: ResolvedFinding[]; diff?: FindingDiff; trend?: TrendPoint[] }>;
  /**
   * The regions (not `global`) the history saw for each of these accounts, asked before evaluation: account-wide
   * checks (Check.accountWide) in a run that covers fewer are NOT_ASSESSED where they read across regions.
   */
  regionsBefore?(accountIds: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>>;
}

export interface AuditProgress {
  start(totalRegions: number): void;
  regionDone(accountId: string, region: string): void;
  /** Each collector of each account-region (`global` for account-wide ones), as it starts and ends. */
  collectorStart?(accountId: string, region: string, collector: string): void;
  collectorDone?(accountId: string, region: string, collector: string): void;
  update(stats: { apiCalls: number; throttled: number }): void;
  stop(): void;
}

export interface AuditOptions {
  checks: readonly Check[];
  checkOptions?: Record<string, CheckOptions>;
  suppressions?: Suppression[];
  /** Offline: evaluate this inventory, no AWS call. */
  inventory?: Inventory;
  /** Live: credentials, profile, endpoint ... for the audit clients. */
  aws?: ClientFactoryOptions;
  /** Live: regions (`all` = enabled for the account); default: the profile's region. */
  regions?: string[] | 'all';
  /** Live: explicit accounts with their own credentials — default: the caller's account. */
  accounts?: AccountTarget[];
  /** Live: organization / multi-account options (--org, --ou, --accounts, --role-name, --external-id). */
  organization?: ScopeInput['organization'];
  metrics?: boolean;
  /** The checks that do not run and why (selectChecksExplained): reported in `skipped`, never silently left out. */
  skipped?: readonly SkippedCheck[];
  collectors?: readonly Collector[];
  /** Keep the collected inventory in the outcome (--save-inventory). */
  keepInventory?: boolean;
  history?: HistoryHook;
  now?: Date;
  runId?: string;
  log?: Logger;
  progress?: AuditProgress;
  accountConcurrency?: number;
  regionConcurrency?: number;
  /** Results held in memory before passes go to disk (default SPILL_PASS_ABOVE). */
  spillPassAbove?: number;
  /** Where passes go (default: the system's temporary directory). */
  spillDir?: string;
  /** Resource tags copied onto each result (`Result.tags`), these keys only: for reports grouped by tag (--group-by-tag). */
  tagKeys?: readonly string[];
  /** Benchmark (bench/run.ts): CPU microseconds spent evaluating live accounts (index, checks, results) are added here. */
  evaluateCpu?: { micros: number };
  /**
   * Worker threads for a live multi-account scan (workers.ts): a number, or `auto` (one per core, at least
   * MIN_ACCOUNTS_PER_WORKER accounts each). Default 1: the scan runs in this thread. Needs workerEntry, and the
   * registry's checks and collectors (not custom `collectors`).
   */
  workers?: number | 'auto';
  /** The worker entry module (src/worker.ts, dist/worker.js): the entry point passes it. */
  workerEntry?: URL;
  /** Benchmark and tests: a module each worker loads first (WorkerHook). */
  workerHook?: WorkerHook;
}

export interface AuditOutcome {
  report: AuditReport;
  inventory?: Inventory;
  expiredSuppressions: Suppression[];
  /** What the run changed in the history (with a state store). */
  diff?: FindingDiff;
  /** Live runs: the account whose credentials ran the scan (Security Hub central mode imports there). */
  auditor?: { accountId: string; partition: string };
  /** Live runs: the threads that scanned accounts (1: this one). */
  workers?: number;
  /** What each worker's hook reported (workerHook). */
  workerReports?: unknown[];
  /** Each worker thread's peak heap, bytes (benchmark). */
  workerHeapPeaks?: number[];
}

/**
 * Account-regions scanned at once by default. Each is its own set of rate limits; what bounds this number is the
 * scanner's memory (the inventories of the accounts in flight, and about 30 KB per SDK client) and CPU, not AWS.
 */
export const ACCOUNT_REGIONS_AT_ONCE = 400;
/**
 * Results held in memory before a run's passes go to disk (result-spill.ts): about 90 MB of them. A run of a few
 * accounts never gets there; an organization-wide one (a million results and more) keeps only its failures and
 * not-assessed results in memory.
 */
export const SPILL_PASS_ABOVE = 200_000;
/** Accounts always scanned at once (when there are that many); more are admitted while the CPU has room. */
export const MIN_ACCOUNTS_AT_ONCE = 4;

/**
 * Heap growth of a large run: V8 lets the heap grow to two or three times what is live before it collects, which on an
 * organization-wide scan (a fast-allocating SDK, a slowly growing set of results) is a gigabyte of garbage. In a scan
 * of LARGE_RUN_ACCOUNTS accounts or more, or past the spill threshold, the heap may grow by
 * LARGE_RUN_HEAP_GROWTH_PERCENT only: more frequent collections (some CPU) for a far lower peak.
 * LENS_AUDIT_HEAP_GROWTH_PERCENT overrides it (0: V8's own choice).
 */
export const LARGE_RUN_HEAP_GROWTH_PERCENT = 40;
/** A scan of this many accounts is large from its start. */
export const LARGE_RUN_ACCOUNTS = 10;
let heapTuned = false;
function largeRunHeap(): void {
  if (heapTuned) return;
  heapTuned = true;
  const env = process.env.LENS_AUDIT_HEAP_GROWTH_PERCENT;
  const percent = env !== undefined && /^\d+$/.test(env) ? Number(env) : LARGE_RUN_HEAP_GROWTH_PERCENT;
  if (percent > 0 && !/heap-growing-percent/.test(`${process.env.NODE_OPTIONS ?? ''} ${process.execArgv.join(' ')}`)) {
    setFlagsFromString(`--heap-growing-percent=${percent}`);
  }
}

export async function runAudit(options: AuditOptions): Promise<AuditOutcome> {
  const startedAt = new Date();
  const now = options.now ?? startedAt;
  const runId = options.runId ?? randomUUID();
  const log = options.log ?? silentLogger;
  const errors: CollectionError[] = [];
  let results: Result[] = [];
  const scope = { accounts: [] as string[], regions: [] as string[] };
  const keep: AccountInventory[] = [];
  const skeleton: AccountInventory[] = [];
  let counter = new ApiCallCounter();
  let assessedRegions = 0;
  let accountsAtOnce: number | undefined;
  let workersUsed: number | undefined;
  let hookReports: unknown[] | undefined;
  let workerHeapPeaks: number[] | undefined;
  let liveCalls: LiveCalls | undefined;
  let workerControls: { spill(pathFor: (worker: number) => string): void } | undefined;
  let auditor: AuditOutcome['auditor'];

  // Regions an earlier run covered that this one does not, per account (account-wide checks, see HistoryHook).
  let regionsBefore: ReadonlyMap<string, readonly string[]> = new Map();
  const missingRegions = new Map<string, readonly string[]>();
  const missingFor = (accountId: string, regions: readonly string[]): readonly string[] => {
    const missing = missingRegionsOf(regionsBefore.get(accountId), regions);
    if (missing.length > 0) missingRegions.set(accountId, missing);
    return missing;
  };
  const evaluate = (account: AccountInventory) =>
    evaluateAccount(options.checks, account, { checkOptions: options.checkOptions, now, missingRegions: missingFor(account.accountId, account.regions.map((r) => r.region)) });
  // Display names of the accounts (report.accountNames): the Organizations name, else the account alias.
  const accountNames: Record<string, string> = {};
  const nameAccount = (account: AccountInventory) => {
    const name = account.name || account.alias;
    if (name) accountNames[account.accountId] = name;
  };

  // An account's results join the run's. Past `spillPassAbove` results, passes go to disk (result-spill.ts): with the
  // ids the history needs, those in a scope of the account not assessed as a whole.
  let spillAbove = options.spillPassAbove ?? SPILL_PASS_ABOVE;
  let spill: ResultSpill | undefined;
  const toSpill = (passes: Result[], account: AccountInventory) => {
    spillAccountPasses(spill!, passes, account, { checks: options.checks });
  };
  // Passes go to disk from here on, those held so far too (account by account: their coverage is their account's).
  // Without a writable temporary directory they stay in memory (more of it) and the run goes on.
  const startSpill = () => {
    try {
      spill = new ResultSpill(options.spillDir);
    } catch (err) {
      log.warn(`cannot keep passes on disk (${errorMessage(err)}): they stay in memory`);
      spillAbove = Number.POSITIVE_INFINITY;
      return;
    }
    // Worker threads write the passes of the accounts they finish from now on to files of their own, adopted here.
    const own = spill;
    workerControls?.spill((w) => {
      const path = spillPath(options.spillDir);
      own.adoptFile(path);
      return path;
    });
    largeRunHeap();
    const held = results;
    results = [];
    const byAccount = new Map<string, Result[]>();
    for (const r of held) {
      if (r.status !== 'PASS') results.push(r);
      else {
        let list = byAccount.get(r.accountId);
        if (!list) byAccount.set(r.accountId, (list = []));
        list.push(r);
      }
    }
    for (const [accountId, passes] of byAccount) {
      toSpill(passes, skeleton.find((a) => a.accountId === accountId) ?? { accountId, partition: 'aws', regions: [] });
    }
  };
  const accept = (accountResults: Result[], account: AccountInventory) => {
    if (!spill && results.length + accountResults.length > spillAbove) startSpill();
    if (!spill) {
      for (const r of accountResults) results.push(r);
      return;
    }
    const passes: Result[] = [];
    for (const r of accountResults) (r.status === 'PASS' ? passes : results).push(r);
    toSpill(passes, account);
  };

  if (options.inventory) {
    const inv = options.inventory;
    if (options.history?.regionsBefore) regionsBefore = await options.history.regionsBefore(inv.accounts.map((a) => a.accountId));
    errors.push(...inv.errors);
    for (const account of inv.accounts) {
      scope.accounts.push(account.accountId);
      for (const r of account.regions) if (r.region !== 'global' && !scope.regions.includes(r.region)) scope.regions.push(r.region);
      accept(withTags(evaluate(account), account, options.tagKeys), account);
      nameAccount(account);
      skeleton.push(skeletonOf(account));
      if (options.keepInventory) keep.push(account);
    }
    assessedRegions = inv.accounts.reduce((n, a) => n + a.regions.filter((r) => r.region !== 'global').length, 0);
  } else {
    const factory = new ClientFactory({ ...options.aws, counter });
    counter = factory.counter;
    const resolved = await resolveScope({ factory, regions: options.regions, accounts: options.accounts, organization: options.organization, aws: options.aws });
    errors.push(...resolved.errors);
    if (options.history?.regionsBefore) regionsBefore = await options.history.regionsBefore(resolved.targets.map((t) => t.accountId));
    auditor = resolved.caller;
    const kinds = neededKinds(options.checks);
    const collectors = options.collectors ?? ALL_COLLECTORS;
    const total = resolved.targets.reduce((n, t) => n + t.regions.length, 0);
    // An organization-wide scan: a tighter heap from the start (the peak comes early, with the accounts in flight).
    if (resolved.targets.length >= LARGE_RUN_ACCOUNTS) largeRunHeap();
    options.progress?.start(total);
    const tick = setInterval(
      () => options.progress?.update({ apiCalls: counter.total() + (liveCalls?.total() ?? 0), throttled: counter.throttled + (liveCalls?.throttled() ?? 0) }),
      250,
    );
    tick.unref?.();
    // Rate limits are per account and region, so a scan is fastest with every account-region busy at once: all
    // regions of an account, and as many accounts as keep ACCOUNT_REGIONS_AT_ONCE account-regions in flight.
    const widest = Math.max(1, ...resolved.targets.map((t) => t.regions.length));
    const regionsAtOnce = Math.max(1, Math.min(options.regionConcurrency ?? widest, widest));
    // Accounts at once: as many as asked (--account-concurrency), else adaptive — a few, and more only while the CPU
    // has room (admission.ts), up to ACCOUNT_REGIONS_AT_ONCE account-regions.
    const most = Math.max(1, Math.floor(ACCOUNT_REGIONS_AT_ONCE / regionsAtOnce));
    const admission = options.accountConcurrency
      ? { max: options.accountConcurrency, min: options.accountConcurrency }
      : { max: most, min: Math.min(MIN_ACCOUNTS_AT_ONCE, most) };
    const collectOptions = { metrics: options.metrics ?? false, regionMetrics: needsRegionMetrics(options.checks), kinds, now };
    // An account's scan joins the run's (in whichever thread it ran).
    const joinAccount = (account: AccountInventory, accountResults: Result[], missing: readonly string[]) => {
      if (missing.length > 0) missingRegions.set(account.accountId, missing);
      nameAccount(account);
      accept(accountResults, account);
      skeleton.push(skeletonOf(account));
      assessedRegions += account.regions.filter((r) => r.region !== 'global').length;
      if (options.keepInventory) keep.push(account);
    };
    const collectFailed = (accountId: string, err: { code: string; message: string }) =>
      errors.push({ accountId, region: 'global', service: 'lens-audit', operation: 'collect', code: err.code, message: err.message });
    for (const t of resolved.targets) {
      scope.accounts.push(t.accountId);
      for (const r of t.regions) if (!scope.regions.includes(r)) scope.regions.push(r);
    }
    const workerCount = options.workerEntry && !options.collectors ? Math.min(resolved.targets.length, options.workers === 'auto' ? defaultWorkers(resolved.targets.length) : Math.max(1, options.workers ?? 1)) : 1;
    try {
      if (workerCount > 1) {
        // Every core: the accounts sharded across worker threads (workers.ts), each worker admitting its own.
        log.debug(`scanning ${resolved.targets.length} accounts in ${workerCount} worker threads`);
        const live = new LiveCalls();
        liveCalls = live;
        const perWorker = { max: Math.max(1, Math.ceil(admission.max / workerCount)), min: Math.max(1, Math.ceil(admission.min / workerCount)) };
        const meter = options.evaluateCpu;
        const sharded = await scanInWorkers(
          resolved.targets.map((t) => ({
            accountId: t.accountId, partition: t.partition, regions: t.regions, ...(t.name ? { name: t.name } : {}),
            credentials: (t.factory ?? factory).options.credentials,
            ...(regionsBefore.has(t.accountId) ? { regionsBefore: regionsBefore.get(t.accountId) } : {}),
          })),
          {
            entry: options.workerEntry!, workers: workerCount, aws: factory.options, checks: options.checks, collectOptions, now,
            admission: perWorker, keepInventory: options.keepInventory ?? false, meterEvaluation: Boolean(meter), log,
            ...(options.checkOptions ? { checkOptions: options.checkOptions } : {}),
            ...(options.tagKeys ? { tagKeys: options.tagKeys } : {}),
            ...(options.regionConcurrency ? { regionConcurrency: options.regionConcurrency } : {}),
            ...(options.workerHook ? { hook: options.workerHook } : {}),
            onStarted: (controls) => (workerControls = controls),
            onRegionDone: (accountId, region) => options.progress?.regionDone(accountId, region),
            onCollector: (event, accountId, region, collector) =>
              event === 'start' ? options.progress?.collectorStart?.(accountId, region, collector) : options.progress?.collectorDone?.(accountId, region, collector),
            onAccount: (m) => {
              for (const [k, n] of Object.entries(m.calls)) counter.calls[k] = (counter.calls[k] ?? 0) + n;
              counter.attempts += m.attempts;
              counter.throttled += m.throttled;
              if (meter) meter.micros += m.evaluatedMicros;
              errors.push(...m.errors);
              // Passes the worker wrote to disk itself: adopted (it writes them only once this spill exists).
              if (m.spilled) spill!.adopt(m.spilled.segments, m.spilled.count, m.spilled.passedIds);
              if (m.failure || !m.account) collectFailed(m.accountId, m.failure ?? { code: 'WorkerFailed', message: 'no inventory' });
              else joinAccount(m.account, m.results ?? [], m.missingRegions ?? []);
            },
          },
          live,
        );
        liveCalls = undefined;
        workerControls = undefined;
        accountsAtOnce = sharded.peak;
        workersUsed = sharded.workers;
        hookReports = sharded.hookReports;
        workerHeapPeaks = sharded.heapPeaks;
      } else {
        const admitted = await runAdmitted(
          resolved.targets,
          async (t) => {
            const targetFactory = t.factory ?? factory;
            if (targetFactory !== factory) targetFactory.counter.onCall = (k) => counter.record(k);
            try {
              const scan = await scanAccount({
                factory: targetFactory, accountId: t.accountId, partition: t.partition, regions: t.regions, ...(t.name ? { name: t.name } : {}),
                checks: options.checks, collectors, collectOptions, now, log,
                ...(options.checkOptions ? { checkOptions: options.checkOptions } : {}),
                ...(options.regionConcurrency ? { regionConcurrency: options.regionConcurrency } : {}),
                ...(options.tagKeys ? { tagKeys: options.tagKeys } : {}),
                ...(regionsBefore.has(t.accountId) ? { regionsBefore: regionsBefore.get(t.accountId) } : {}),
                onRegionDone: (region) => options.progress?.regionDone(t.accountId, region),
                onCollector: (event, region, collector) =>
                  event === 'start' ? options.progress?.collectorStart?.(t.accountId, region, collector) : options.progress?.collectorDone?.(t.accountId, region, collector),
                ...(options.evaluateCpu ? { evaluated: (us: number) => (options.evaluateCpu!.micros += us) } : {}),
              });
              errors.push(...scan.errors);
              // Evaluated account by account: nothing keeps the whole organization's inventory alive unless asked to.
              joinAccount(scan.account, scan.results, scan.missingRegions);
            } catch (err) {
              collectFailed(t.accountId, { code: errorCode(err), message: errorMessage(err) });
            } finally {
              if (targetFactory !== factory) {
                counter.attempts += targetFactory.counter.attempts;
                counter.throttled += targetFactory.counter.throttled;
                // The account's clients (tens of KB each, one per service and region) and their sockets go now,
                // not at the end of the run.
                targetFactory.destroy();
              }
            }
          },
          admission,
        );
        accountsAtOnce = admitted.peak;
        workersUsed = 1;
      }
    } finally {
      clearInterval(tick);
      options.progress?.stop();
    }
  }

  // Nothing assessed at all (every region failed, no credentials): exit 3, not an empty green report.
  // The report is still built and handed over with the error (NothingAssessedError.report), the history untouched.
  const nothingAssessed = !(spill && spill.count > 0) && !results.some((r) => r.status !== 'NOT_ASSESSED') && (errors.length > 0 || results.length > 0);

  const suppressed = applySuppressions(results, options.suppressions ?? [], now);
  results = suppressed.results;
  let resolvedFindings: ResolvedFinding[] | undefined;
  let diff: FindingDiff | undefined;
  let trend: TrendPoint[] | undefined;
  if (options.history && !nothingAssessed) {
    const h = await options.history.apply({
      runId, results, errors, scope, checks: options.checks, now, startedAt, skeleton: { accounts: skeleton }, ...(spill ? { passedIds: spill.passedIds } : {}),
      ...(missingRegions.size > 0 ? { missingRegions } : {}),
    });
    results = h.results;
    resolvedFindings = h.resolved;
    diff = h.diff;
    trend = h.trend;
  }
  sortResults(results);

  const finishedAt = new Date();
  const summary = summarise(results, resolvedFindings?.length ?? 0);
  const report = buildReport({
    tool: TOOL, runId, startedAt, finishedAt, scope, accountNames,
    summary: { ...summary, pass: summary.pass + (spill?.count ?? 0) },
    results,
    ...(resolvedFindings ? { resolved: resolvedFindings } : {}),
    skipped: options.skipped ?? [],
    ...(trend ? { trend } : {}),
    errors,
    stats: {
      apiCalls: { ...counter.calls },
      apiCallsTotal: counter.total(),
      throttled: counter.throttled,
      accountsAssessed: scope.accounts.length,
      regionsAssessed: assessedRegions,
      ...(accountsAtOnce !== undefined ? { accountsAtOnce } : {}),
    },
    ...(spill ? { passSpill: spill } : {}),
  });
  const inventory: Inventory | undefined = options.keepInventory
    ? options.inventory ?? { schemaVersion: INVENTORY_SCHEMA_VERSION, tool: { ...TOOL }, collectedAt: startedAt.toISOString(), accounts: keep, errors, apiCalls: { ...counter.calls } }
    : undefined;
  const outcome: AuditOutcome = {
    report, inventory, expiredSuppressions: suppressed.expired, ...(diff ? { diff } : {}), ...(auditor ? { auditor } : {}),
    ...(workersUsed !== undefined ? { workers: workersUsed } : {}), ...(hookReports ? { workerReports: hookReports } : {}),
    ...(workerHeapPeaks ? { workerHeapPeaks } : {}),
  };
  if (nothingAssessed) {
    const first = errors[0];
    throw new NothingAssessedError(
      `nothing could be assessed${first ? `: ${first.service}:${first.operation} ${first.code} in ${first.accountId}/${first.region}: ${first.message}` : ''}`,
      outcome,
    );
  }
  return outcome;
}
