// A multi-account scan on every core: the accounts are handed out to worker threads as each has room for more, and each
// worker collects and evaluates its accounts (scan-account.ts, as the one-worker scan does) and streams each account's
// results back.
//
// Rate limits are per account and region, and an account lives in exactly one worker, so each worker's pacers see all
// the calls of their account-regions: pacing stays exact. The accounts wait in this thread, heaviest first, and go to
// whichever worker asks (its admission decides when, as in one thread): a worker that gets through its accounts faster
// takes more, so the workers finish together instead of one finishing alone. What stays in the scanning thread: scope
// resolution (the organization, the member roles, the regions), the credentials (a worker asks for an account's
// credentials when its clients need them, so a role is assumed once and refreshed in one place, and nothing secret is
// written anywhere), the results (spill, suppressions, history) and the report.
//
// The worker entry (src/worker.ts, dist/worker.js) is an entry point like the CLI's: it imports the check registry and
// selects the run's checks by id, so only checks of the registry run in workers (runAudit falls back to one worker
// otherwise). A worker that dies leaves its unfinished accounts as error entries, never as passes.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CallRecord, ClientFactoryOptions, Credentials } from '../aws/clients.js';
import type { CollectOptions, Collector, Logger } from '../collect/types.js';
import type { AccountInventory, Check, CheckOptions, CollectionError, Result } from '../model/index.js';
import { arraySource } from './admission.js';
import type { SpillSegment } from './result-spill.js';

/**
 * Heap a worker admits more accounts within (beyond its minimum). On the XL benchmark (2 workers) when an account in
 * flight held 9.5 MB: unbounded, 260–311 MB each and 1,195 MB RSS in all, 232 s; 160 MB, 1,107 MB and 247 s; 112 MB,
 * 1,025 MB but 323 s (16 accounts at once: too few to keep both cores busy). At 4.2 MB an account (stop 30): 160 MB,
 * 122.4 and 124.7 s, 990 and 1,034 MB; 152 MB, 122.7 s and 969 MB; 144 MB, 138.9 s and 963 MB. The scanning thread
 * holds the run's failures; the workers share the rest.
 */
export const WORKER_HEAP_BUDGET_BYTES = 152 * 2 ** 20;

/**
 * Accounts per worker below which another worker costs more (its start-up: 0.7–0.9 CPU-s from the bundle, measured at
 * stop 31) than it saves (an account of the XL benchmark costs about 2 CPU-s).
 */
export const MIN_ACCOUNTS_PER_WORKER = 4;

/** Workers for a scan of `accounts` accounts: one per core available, with at least MIN_ACCOUNTS_PER_WORKER each. */
export function defaultWorkers(accounts: number, cores = availableParallelism()): number {
  return Math.max(1, Math.min(cores, Math.floor(accounts / MIN_ACCOUNTS_PER_WORKER)));
}

/**
 * Benchmark and test hook: a module each worker imports before it scans. Its `setupScanWorker(data)` may return
 * SDK options for the worker's clients (a simulated AWS as requestHandler), and a `finish()` whose value comes back in
 * WorkerScanOutcome.hookReports.
 */
export interface WorkerHook {
  module: string;
  data?: unknown;
}

export interface WorkerSetup {
  aws?: Pick<ClientFactoryOptions, 'requestHandler'>;
  /** The collectors the worker runs, from the registry's (the benchmark counts what they add). */
  collectors?: (all: readonly Collector[]) => readonly Collector[];
  finish?: () => unknown;
}

/** Credentials as they cross to a worker: these fields only (a provider's identity may carry more). */
export interface Identity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

function identityOf(c: Identity): Identity {
  return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}), ...(c.expiration ? { expiration: c.expiration } : {}) };
}

/** How a worker gets an account's credentials: none (the profile's chain, resolved by the worker), given, or asked for. */
export type WorkerCredentials = { kind: 'chain' } | { kind: 'static'; value: Identity } | { kind: 'ask'; key: number };

export interface WorkerTargetData {
  accountId: string;
  partition: string;
  regions: string[];
  name?: string;
  credentials: WorkerCredentials;
  regionsBefore?: readonly string[];
}

/** What the worker entry is started with (workerData). */
export interface WorkerData {
  /** The audit clients' options, without what cannot cross a thread (credentials, counter, handler, hooks). */
  aws: Omit<ClientFactoryOptions, 'credentials' | 'counter' | 'requestHandler' | 'journal' | 'signal' | 'onCall'>;
  checkIds: string[];
  checkOptions?: Record<string, CheckOptions>;
  collectOptions: CollectOptions;
  now: Date;
  tagKeys?: readonly string[];
  regionConcurrency?: number;
  admission: { min: number; max: number };
  /** Bytes of heap above which the worker admits no further account (beyond the minimum). */
  heapBudget?: number;
  keepInventory: boolean;
  /** Forward every call record (--debug). */
  debug: boolean;
  /** Meter evaluation (benchmark). */
  meterEvaluation: boolean;
  hook?: WorkerHook;
  /** A TypeScript entry (development: tsx), loaded through worker-boot.mjs. */
  entry?: string;
}

/** One account's outcome, as a worker sends it. */
export interface AccountMessage {
  t: 'account';
  accountId: string;
  /** The inventory (whole with keepInventory; else its regions with list gaps only, alias and name kept). */
  account?: AccountInventory;
  results?: Result[];
  errors: CollectionError[];
  missingRegions?: readonly string[];
  /** When the account could not be collected at all. */
  failure?: { code: string; message: string };
  /**
   * The account's passes, written by the worker to its spill file once the scanning thread asked for it (a large
   * run): `results` then holds the failures and not-assessed results only.
   */
  spilled?: { segments: SpillSegment[]; count: number; passedIds: string[] };
  calls: Record<string, number>;
  attempts: number;
  throttled: number;
  evaluatedMicros: number;
}

export type WorkerMessage =
  | AccountMessage
  | { t: 'log'; level: keyof Logger; msg: string; extra?: Record<string, unknown> }
  | { t: 'region'; accountId: string; region: string }
  | { t: 'collector'; event: 'start' | 'done'; accountId: string; region: string; collector: string }
  | { t: 'calls'; total: number; throttled: number; heapUsed: number }
  | { t: 'call'; record: CallRecord }
  | { t: 'cred'; id: number; key: number }
  /** The worker has room for up to `n` more accounts (answered by a TargetsMessage). */
  | { t: 'want'; n: number }
  | { t: 'done'; peak: number; hook?: unknown };

/** Accounts for a worker, heaviest first; `exhausted`: there are no more for anyone. */
export interface TargetsMessage {
  t: 'targets';
  targets: WorkerTargetData[];
  exhausted: boolean;
}

export interface WorkerScanTarget {
  accountId: string;
  partition: string;
  regions: string[];
  name?: string;
  /** The account's credentials in this thread (the member role's, or the caller's); undefined: the profile's chain. */
  credentials?: Credentials;
  regionsBefore?: readonly string[];
}

export interface WorkerScanOptions {
  /** The worker entry module (src/worker.ts in development, dist/worker.js when built). */
  entry: URL;
  workers: number;
  aws: ClientFactoryOptions;
  checks: readonly Check[];
  checkOptions?: Record<string, CheckOptions>;
  collectOptions: CollectOptions;
  now: Date;
  tagKeys?: readonly string[];
  regionConcurrency?: number;
  /** Told, once the workers started, how to ask them to write passes to disk from then on (`pathFor`: each one's file). */
  onStarted?: (controls: { spill(pathFor: (worker: number) => string): void }) => void;
  /** Accounts at once in each worker (adaptive between the two, per worker's own event loop). */
  admission: { min: number; max: number };
  keepInventory: boolean;
  meterEvaluation: boolean;
  hook?: WorkerHook;
  log: Logger;
  onAccount(message: AccountMessage): void;
  onRegionDone?(accountId: string, region: string): void;
  onCollector?(event: 'start' | 'done', accountId: string, region: string, collector: string): void;
}

export interface WorkerScanOutcome {
  workers: number;
  /** The most accounts in flight at once, all workers together (the sum of each worker's peak). */
  peak: number;
  hookReports: unknown[];
  /** Each worker's peak heap (bytes used, as sampled every 250 ms). */
  heapPeaks: number[];
}

/** The order accounts are handed out in: most regions first (the longest scans start first), then as given. */
export function heaviestFirst<T extends { regions: readonly string[] }>(targets: readonly T[]): T[] {
  return targets.map((t, i) => ({ t, i })).sort((a, b) => b.t.regions.length - a.t.regions.length || a.i - b.i).map(({ t }) => t);
}

function isStatic(c: Credentials | undefined): c is Exclude<Credentials, (...a: never[]) => unknown> {
  return typeof c === 'object' && c !== null && typeof (c as { accessKeyId?: unknown }).accessKeyId === 'string';
}

/** The live call counts of a running worker scan, for the progress display; and each worker's peak heap. */
export class LiveCalls {
  private readonly byWorker = new Map<number, { total: number; throttled: number }>();
  readonly heapPeak = new Map<number, number>();
  set(worker: number, v: { total: number; throttled: number; heapUsed?: number }): void {
    this.byWorker.set(worker, { total: v.total, throttled: v.throttled });
    if (v.heapUsed !== undefined) this.heapPeak.set(worker, Math.max(this.heapPeak.get(worker) ?? 0, v.heapUsed));
  }
  total(): number {
    let n = 0;
    for (const v of this.byWorker.values()) n += v.total;
    return n;
  }
  throttled(): number {
    let n = 0;
    for (const v of this.byWorker.values()) n += v.throttled;
    return n;
  }
}

/**
 * Results as a worker sends them are copies: each has its own title, lens arrays, account and region strings, which in
 * one thread are shared with the check and the inventory. Held by the hundred thousand (a large run's failures), the
 * copies cost memory, so they are shared again here: the same field values of one check are one object; status,
 * severity, account, region and kind are one string each for the run; and within one account's results (`intern`
 * takes one account's at a time) a resource's ARN and name, a repeated message and the strings of the evidence are
 * one string each — an account's strings are not kept once its results are in (another account's ARNs differ).
 */
export class ResultInterner {
  private readonly byCheck = new Map<string, Pick<Result, 'checkId' | 'title' | 'pillar' | 'lens' | 'lens2022'>>();
  private readonly strings = new Map<string, string>();
  private str(v: string): string {
    return internIn(this.strings, v);
  }
  intern(results: Result[]): Result[] {
    const local = new Map<string, string>();
    const str = (v: string): string => internIn(local, v);
    for (const r of results) {
      let c = this.byCheck.get(r.checkId);
      // A check's fields are the same on every result of it (its metadata); the first result seen gives them.
      if (!c || c.title !== r.title) this.byCheck.set(r.checkId, (c = { checkId: r.checkId, title: r.title, pillar: r.pillar, lens: r.lens, ...(r.lens2022 ? { lens2022: r.lens2022 } : {}) }));
      r.checkId = c.checkId;
      r.title = c.title;
      r.pillar = c.pillar;
      if (sameList(r.lens, c.lens)) r.lens = c.lens;
      if (r.lens2022 && c.lens2022 && sameList(r.lens2022, c.lens2022)) r.lens2022 = c.lens2022;
      r.status = this.str(r.status) as Result['status'];
      r.severity = this.str(r.severity) as Result['severity'];
      r.accountId = this.str(r.accountId);
      r.region = this.str(r.region);
      r.resourceKind = this.str(r.resourceKind);
      r.resourceArn = str(r.resourceArn);
      r.resourceName = str(r.resourceName);
      r.message = str(r.message);
      if (r.evidence) internStrings(r.evidence, str);
    }
    return results;
  }
}

/** `v`, or the equal string `known` already holds (which then holds `v` if it had none). */
function internIn(known: Map<string, string>, v: string): string {
  const k = known.get(v);
  if (k !== undefined) return k;
  known.set(v, v);
  return v;
}

/** Replaces each string in a plain JSON-like value (objects and arrays, in place) by `str` of it. */
function internStrings(value: Record<string, unknown> | unknown[], str: (v: string) => string): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (typeof v === 'string') value[i] = str(v);
      else if (v !== null && typeof v === 'object') internStrings(v as Record<string, unknown>, str);
    }
    return;
  }
  for (const k of Object.keys(value)) {
    const v = value[k];
    if (typeof v === 'string') value[k] = str(v);
    else if (v !== null && typeof v === 'object') internStrings(v as Record<string, unknown>, str);
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Scans the targets in `options.workers` worker threads; resolves when every worker has finished or died. */
export async function scanInWorkers(targets: readonly WorkerScanTarget[], options: WorkerScanOptions, live = new LiveCalls()): Promise<WorkerScanOutcome> {
  const providers = new Map<number, () => Promise<Identity>>();
  const credentialsOf = (c: Credentials | undefined): WorkerCredentials => {
    if (c === undefined) return { kind: 'chain' };
    if (isStatic(c)) return { kind: 'static', value: identityOf(c) };
    const key = providers.size + 1;
    providers.set(key, c as () => Promise<Identity>);
    return { kind: 'ask', key };
  };
  // A worker's request for an account's credentials: this thread's provider answers (it caches and refreshes them).
  const answer = async (worker: Worker, id: number, key: number) => {
    try {
      worker.postMessage({ t: 'cred', id, identity: identityOf(await providers.get(key)!()) });
    } catch (err) {
      worker.postMessage({ t: 'cred', id, error: { name: (err as Error)?.name ?? 'CredentialsError', message: (err as Error)?.message ?? String(err) } });
    }
  };
  const { credentials: _c, counter: _n, requestHandler: _h, journal: _j, signal: _s, onCall, ...aws } = options.aws;
  // The accounts not yet handed to a worker, heaviest first; each worker asks for more as it has room.
  const queue = arraySource(heaviestFirst(targets));
  const workerCount = Math.min(Math.max(1, options.workers), targets.length);
  const dataOf = (t: WorkerScanTarget): WorkerTargetData => ({
    accountId: t.accountId, partition: t.partition, regions: t.regions, credentials: credentialsOf(t.credentials),
    ...(t.name ? { name: t.name } : {}), ...(t.regionsBefore ? { regionsBefore: t.regionsBefore } : {}),
  });
  // Accounts nobody reported: error entries, their scopes kept as they were by the history.
  const unreported = (accountId: string, why: string) =>
    options.onAccount({ t: 'account', accountId, errors: [], calls: {}, attempts: 0, throttled: 0, evaluatedMicros: 0, failure: { code: 'WorkerFailed', message: why } });
  const entry = options.entry;
  const typescript = entry.pathname.endsWith('.ts');
  const hookReports: unknown[] = [];
  const interner = new ResultInterner();
  let peak = 0;
  const running = new Map<number, Worker>();
  options.onStarted?.({
    spill(pathFor) {
      for (const [w, worker] of running) worker.postMessage({ t: 'spill', path: pathFor(w) });
    },
  });

  await Promise.all(
    Array.from(
      { length: workerCount },
      (_, w) =>
        new Promise<void>((resolve) => {
          // The accounts handed to this worker that it has not reported yet.
          const pending = new Set<string>();
          const data: WorkerData = {
            aws, checkIds: options.checks.map((c) => c.id), collectOptions: options.collectOptions, now: options.now,
            admission: options.admission, heapBudget: WORKER_HEAP_BUDGET_BYTES, keepInventory: options.keepInventory, debug: Boolean(onCall), meterEvaluation: options.meterEvaluation,
            ...(options.checkOptions ? { checkOptions: options.checkOptions } : {}),
            ...(options.tagKeys ? { tagKeys: options.tagKeys } : {}),
            ...(options.regionConcurrency ? { regionConcurrency: options.regionConcurrency } : {}),
            ...(options.hook ? { hook: options.hook } : {}),
            ...(typescript ? { entry: entry.href } : {}),
          };
          // In development the entry is TypeScript: worker-boot.mjs registers tsx in the worker, then imports it.
          const worker = new Worker(typescript ? new URL('../worker-boot.mjs', import.meta.url) : entry, { workerData: data, stdout: false, stderr: false });
          running.set(w, worker);
          let finished = false;
          let failure: string | undefined;
          const finish = () => {
            if (finished) return;
            finished = true;
            running.delete(w);
            for (const accountId of pending) unreported(accountId, `the worker thread scanning this account stopped: ${failure ?? 'it exited before reporting the account'}`);
            pending.clear();
            // The last worker gone with accounts never handed out (every worker died): those are error entries too.
            if (running.size === 0) {
              queue.request(Infinity, (rest) => {
                for (const t of rest) unreported(t.accountId, `no worker thread was left to scan this account: ${failure ?? 'the workers exited'}`);
              });
            }
            resolve();
          };
          worker.on('message', (m: WorkerMessage) => {
            switch (m.t) {
              case 'want':
                queue.request(Math.max(0, m.n), (given, exhausted) => {
                  for (const t of given) pending.add(t.accountId);
                  const reply: TargetsMessage = { t: 'targets', targets: given.map(dataOf), exhausted };
                  worker.postMessage(reply);
                });
                break;
              case 'account':
                pending.delete(m.accountId);
                if (m.results) interner.intern(m.results);
                options.onAccount(m);
                break;
              case 'log':
                options.log[m.level](m.msg, m.extra);
                break;
              case 'region':
                options.onRegionDone?.(m.accountId, m.region);
                break;
              case 'collector':
                options.onCollector?.(m.event, m.accountId, m.region, m.collector);
                break;
              case 'calls':
                live.set(w, m);
                break;
              case 'call':
                onCall?.(m.record);
                break;
              case 'cred':
                void answer(worker, m.id, m.key);
                break;
              case 'done':
                peak += m.peak;
                if (m.hook !== undefined) hookReports.push(m.hook);
                void worker.terminate();
                break;
            }
          });
          worker.on('error', (err) => {
            failure = err.message;
            options.log.warn(`scan worker ${w + 1} failed: ${err.message}`);
          });
          worker.on('exit', finish);
        }),
    ),
  );
  return { workers: workerCount, peak, hookReports, heapPeaks: [...live.heapPeak.values()] };
}
