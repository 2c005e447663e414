// The findings history contract: what a store keeps per finding, what one run changes, and the store interface.
// Two implementations: file (default, src/state/file-store.ts) and DynamoDB (src/state/dynamodb-store.ts).
import { SEVERITIES, type Severity } from '../model/index.js';

/**
 * One finding (a FAIL of one check on one resource) as the history keeps it. Carries everything needed to
 * report it after it is resolved, when no result of this run describes it any more.
 */
export interface FindingRecord {
  findingId: string;
  checkId: string;
  title: string;
  severity: Severity;
  accountId: string;
  region: string;
  resourceArn: string;
  resourceName: string;
  resourceKind: string;
  status: 'OPEN' | 'RESOLVED';
  /** First observation. Kept when a resolved finding comes back (see diffFindings). */
  firstSeen: string;
  /** Last run that observed it failing. */
  lastSeen: string;
  /** Set while RESOLVED: the run that no longer saw it failing. */
  resolvedAt?: string;
  /** Set when a RESOLVED finding failed again: the run that reopened it. */
  reopenedAt?: string;
  /** The FAIL was suppressed when last seen (it stays in the history; consumers decide whether to show it). */
  suppressed?: boolean;
  /** Last FAIL message. */
  message: string;
  /** Run that last changed this record. */
  lastRunId: string;
  /** What the sinks have of this finding, and what they are still owed (engine/deliver.ts). */
  delivery?: DeliveryMarks;
}

/**
 * Per-finding delivery state, kept in the history so that a sink outage loses nothing: the next run delivers what is
 * owed. Security Hub gets only what changed (and unchanged open findings again every SECURITY_HUB_REIMPORT_DAYS).
 */
export interface DeliveryMarks {
  /** The last ACTIVE import Security Hub accepted: when, and a digest of what it carried (severity, title, text). */
  securityHub?: { sentAt: string; digest: string };
  /** Resolved, and the archiving import was not accepted yet. */
  securityHubArchivePending?: true;
  /** New, and the Slack digest announcing it was not posted yet. */
  slackPending?: true;
}

/** What one run did to the history (output of diffFindings, input of StateStore.save). */
export interface FindingDiff {
  /** Failing now and not open before: first seen, or reopened after being resolved. */
  new: FindingRecord[];
  /** Open before and failing now. */
  persisting: FindingRecord[];
  /** Open before and, where this run assessed it, no longer failing. */
  resolved: FindingRecord[];
  /** Open before but not assessed this run (failed region, list gap, resource not assessed, check not run): unchanged. */
  kept: FindingRecord[];
  /** Every record of the loaded scope after this run, unchanged ones included. */
  records: FindingRecord[];
  /** Records whose stored form changed this run, with what they were before (absent: did not exist). */
  changes: { before?: FindingRecord; after: FindingRecord }[];
}

/** A run, as stored next to the findings. */
export interface RunRecord {
  runId: string;
  startedAt: string;
  finishedAt: string;
  accounts: string[];
  regions: string[];
  counts: { new: number; persisting: number; resolved: number; kept: number };
  failedScopes: { accountId: string; region: string }[];
  /** Open (unsuppressed) findings of the run's accounts after it, by severity (for the report's trend). Absent in older runs. */
  openBySeverity?: Record<Severity, number>;
}

/**
 * A run as the trend needs it: a run record without its regions and failed scopes, and with its accounts only when
 * there are few (RUN_SUMMARY_ACCOUNTS: an organization's list would outgrow a DynamoDB item).
 */
export type RunSummary = Omit<RunRecord, 'accounts' | 'regions' | 'failedScopes'> & { accounts?: string[] };

/** A run summary keeps its account list up to this many accounts. */
export const RUN_SUMMARY_ACCOUNTS = 100;

export function runSummary(run: RunRecord): RunSummary {
  const { accounts, regions: _r, failedScopes: _f, ...rest } = run;
  return accounts.length <= RUN_SUMMARY_ACCOUNTS ? { ...rest, accounts } : rest;
}

/** Runs a store keeps for recentRuns (the DynamoDB store's RUNS/RECENT item holds this many). */
export const RECENT_RUNS = 30;

export interface LoadScope {
  /** Accounts of this run: only their findings are loaded (and, for the file store, replaced on save). */
  accountIds: readonly string[];
  /** This run's id. A store ignores what an earlier attempt of the same run wrote (re-runs are idempotent). */
  runId: string;
  /** Resolved findings older than the retention are dropped as of this time. */
  now: Date;
}

/** Held by one run from its load to its save (withHistoryLock). */
export interface HistoryLock {
  release(): Promise<void>;
}

export interface StateStore {
  /** Where the history lives, for messages (`file .lens-audit/state.json`, `dynamodb://table`). */
  readonly location: string;
  /**
   * Waits (bounded) until no other run holds the history, then holds it for `runId`. Throws StateError naming the
   * holder when the wait runs out. A second run on the same history loads only after the first saved.
   */
  lock(runId: string): Promise<HistoryLock>;
  /** The history of the scope's accounts. Throws StateError when the history exists but cannot be read. */
  load(scope: LoadScope): Promise<FindingRecord[]>;
  /** Persists this run's changes, then the run record. Throws StateError when that did not fully succeed. */
  save(diff: FindingDiff, run: RunRecord): Promise<void>;
  /**
   * Persists the delivery marks of these records (after save, once the sinks answered). Only `delivery` is written;
   * a record no longer in the history is skipped. Throws StateError.
   */
  saveDelivery(records: readonly FindingRecord[]): Promise<void>;
  /** The last `n` (at most RECENT_RUNS) saved runs, oldest first. Throws StateError. */
  recentRuns?(n: number): Promise<RunSummary[]>;
}

/** A history that cannot be read or written. The message is one line and names the store. */
export class StateError extends Error {
  override name = 'StateError';
}

/** Resolved findings are kept this long (then forgotten: a later FAIL is NEW with a new firstSeen). */
export const DEFAULT_RETENTION_DAYS = 90;

export function runRecord(diff: FindingDiff, run: Omit<RunRecord, 'counts' | 'openBySeverity'>): RunRecord {
  return {
    ...run,
    counts: { new: diff.new.length, persisting: diff.persisting.length, resolved: diff.resolved.length, kept: diff.kept.length },
    openBySeverity: openBySeverity(diff.records),
  };
}

/** Open, unsuppressed findings by severity (kept ones included: they are still open). */
export function openBySeverity(records: readonly FindingRecord[]): Record<Severity, number> {
  const out = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const r of records) if (r.status === 'OPEN' && !r.suppressed && Object.hasOwn(out, r.severity)) out[r.severity]++;
  return out;
}

/** A resolved record past its retention at `now`. */
export function isExpired(r: FindingRecord, now: Date, retentionDays: number): boolean {
  return r.status === 'RESOLVED' && r.resolvedAt !== undefined && Date.parse(r.resolvedAt) + retentionDays * 86_400_000 <= now.getTime();
}

/** Runs `fn` (load → diff → save) holding the store's lock for `runId`; released also when `fn` throws. */
export async function withHistoryLock<T>(store: StateStore, runId: string, fn: () => Promise<T>): Promise<T> {
  const lock = await store.lock(runId);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}
