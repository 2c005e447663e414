// Security Hub (CSPM) sink: BatchImportFindings of the run's FAIL results (ACTIVE) and of the findings the state
// diff resolved (Compliance PASSED, RecordState ARCHIVED). Nothing else is archived: unlike a "archive whatever
// this run did not send" sweep, a partial run (failed region, list gap, disabled check) archives nothing outside
// what it assessed.
//
// Limits (BatchImportFindings guidelines): ≤100 findings and ≤6 MB a call, ≤240 KB a finding, 10 TPS per account
// per Region with a burst of 30. The SDK retries throttled calls; a token bucket per account/Region keeps us under
// the rate so that retries are rare. FailedFindings (HTTP 200, partial failure) are retried a bounded number of
// times, then reported as errors.
//
// Modes: member (default) — findings of account X are imported in X through clientFor(X, region) (X's assumed
// role, which needs securityhub:BatchImportFindings); central — every finding is imported into the auditor account
// (AsffOptions.centralAccountId; see there for why AwsAccountId must then be the auditor account).
import { BatchImportFindingsCommand, type AwsSecurityFinding, type SecurityHubClient } from '@aws-sdk/client-securityhub';
import pLimit from 'p-limit';
import { errorCode, errorMessage, isAccessDenied, isThrottling } from '../aws/errors.js';
import type { CollectionError, Result } from '../model/index.js';
import { TokenBucket } from '../aws/rate-limits.js';
import { asffFindings, type AsffOptions } from '../report/asff.js';
import type { FindingRecord } from '../state/store.js';

export const MAX_BATCH_FINDINGS = 100;
/** 6 MB request limit, with room for the request envelope. */
export const MAX_BATCH_BYTES = 6_000_000;
export const MAX_FINDING_BYTES = 240 * 1024;

export type SecurityHubLike = Pick<SecurityHubClient, 'send'>;

export interface SecurityHubSinkOptions extends AsffOptions {
  /** A writing Security Hub client for (AwsAccountId of the finding, Region). May throw (e.g. role not assumable). */
  clientFor(accountId: string, region: string): SecurityHubLike;
  /** Calls per second and burst per account/Region. Default 8/s, burst 20 (the service allows 10/s, burst 30). */
  pace?: { rate: number; burst: number };
  /** Attempts per batch for FailedFindings and for throttling that outlasted the SDK's own retries. Default 4. */
  maxAttempts?: number;
  /** Account/Region groups sent in parallel. Default 4. */
  concurrency?: number;
  /** Called for each finding Security Hub accepted (its lens-audit finding id; archived: a resolved one). */
  onAccepted?: (findingId: string, archived: boolean) => void;
  /** Test hooks. */
  sleep?: (ms: number) => Promise<void>;
  clock?: () => number;
}

export interface SecurityHubReport {
  /** Findings accepted, ACTIVE ones. */
  imported: number;
  /** Findings accepted, ARCHIVED (resolved) ones. */
  archived: number;
  /** Findings not accepted (details in errors). */
  failed: number;
  /** One entry per account, Region and error code. */
  errors: CollectionError[];
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function bytes(f: AwsSecurityFinding): number {
  return Buffer.byteLength(JSON.stringify(f), 'utf8');
}

/** Splits findings into BatchImportFindings calls: ≤100 findings, ≤MAX_BATCH_BYTES of JSON. Oversized findings are returned apart. */
export function batchFindings(findings: readonly AwsSecurityFinding[], maxBytes = MAX_BATCH_BYTES): { batches: AwsSecurityFinding[][]; oversized: AwsSecurityFinding[] } {
  const batches: AwsSecurityFinding[][] = [];
  const oversized: AwsSecurityFinding[] = [];
  let current: AwsSecurityFinding[] = [];
  let size = 0;
  for (const f of findings) {
    const n = bytes(f);
    if (n > MAX_FINDING_BYTES) {
      oversized.push(f);
      continue;
    }
    // +1 per finding for the comma, +16 for `{"Findings":[]}`.
    if (current.length > 0 && (current.length >= MAX_BATCH_FINDINGS || size + n + 1 + 16 > maxBytes)) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(f);
    size += n + 1;
  }
  if (current.length > 0) batches.push(current);
  return { batches, oversized };
}

// FailedFindings codes that another attempt will not fix.
const PERMANENT = /InvalidInput|InvalidAccess|AccessDenied|Validation|TooLarge/i;

/** Sends the run's FAIL results and resolved findings to Security Hub. Never throws for AWS errors: see `errors`. */
export async function sendToSecurityHub(
  input: { results: readonly Result[]; resolved: readonly FindingRecord[] },
  opts: SecurityHubSinkOptions,
): Promise<SecurityHubReport> {
  const sleep = opts.sleep ?? defaultSleep;
  const clock = opts.clock ?? Date.now;
  const maxAttempts = opts.maxAttempts ?? 4;
  const pace = opts.pace ?? { rate: 8, burst: 20 };
  const report: SecurityHubReport = { imported: 0, archived: 0, failed: 0, errors: [] };
  const errors = new Map<string, { error: CollectionError; count: number }>();

  const fail = (accountId: string, region: string, code: string, message: string, findings: readonly AwsSecurityFinding[]) => {
    if (findings.length === 0) return;
    report.failed += findings.length;
    const key = `${accountId}|${region}|${code}`;
    const e = errors.get(key);
    if (e) e.count += findings.length;
    else errors.set(key, { error: { accountId, region, service: 'securityhub', operation: 'BatchImportFindings', code, message }, count: findings.length });
  };
  const accepted = (f: AwsSecurityFinding) => {
    if (f.RecordState === 'ARCHIVED') report.archived++;
    else report.imported++;
    opts.onAccepted?.(f.Id!.replace(/^lens-audit\//, ''), f.RecordState === 'ARCHIVED');
  };

  const groups = new Map<string, AwsSecurityFinding[]>();
  for (const f of asffFindings(input.results, { ...opts, resolved: input.resolved })) {
    const region = f.ProductArn!.split(':')[3]!;
    const key = `${f.AwsAccountId}|${region}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(f);
  }

  const sendGroup = async (accountId: string, region: string, findings: AwsSecurityFinding[]) => {
    const { batches, oversized } = batchFindings(findings);
    fail(accountId, region, 'FindingTooLarge', `finding over ${MAX_FINDING_BYTES} bytes not sent`, oversized);
    let client: SecurityHubLike;
    try {
      client = opts.clientFor(accountId, region);
    } catch (err) {
      fail(accountId, region, errorCode(err), errorMessage(err), batches.flat());
      return;
    }
    const bucket = new TokenBucket(pace.rate, pace.burst, clock);
    for (let b = 0; b < batches.length; b++) {
      let pending = batches[b]!;
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > 1) await sleep(Math.min(5000, 200 * 2 ** (attempt - 2)));
        await bucket.take(sleep);
        let out;
        try {
          out = await client.send(new BatchImportFindingsCommand({ Findings: pending }));
        } catch (err) {
          const code = errorCode(err);
          const retryable = !isAccessDenied(err) && (isThrottling(err) || /LimitExceeded|Internal|ServiceUnavailable/i.test(code));
          if (retryable && attempt < maxAttempts) continue;
          fail(accountId, region, code, errorMessage(err), pending);
          if (retryable) break;
          // Denied, Hub not enabled, invalid request: the rest of this account/Region would fail the same way.
          fail(accountId, region, code, errorMessage(err), batches.slice(b + 1).flat());
          return;
        }
        const failed = new Map((out.FailedFindings ?? []).map((e) => [e.Id, e]));
        const retry: AwsSecurityFinding[] = [];
        for (const f of pending) {
          const e = failed.get(f.Id);
          if (!e) accepted(f);
          else if (PERMANENT.test(e.ErrorCode ?? '') || attempt >= maxAttempts) fail(accountId, region, e.ErrorCode ?? 'FailedFinding', errorMessage(e.ErrorMessage ?? ''), [f]);
          else retry.push(f);
        }
        pending = retry;
      }
    }
  };

  const limit = pLimit(opts.concurrency ?? 4);
  await Promise.all([...groups].map(([key, findings]) => {
    const [accountId, region] = key.split('|') as [string, string];
    return limit(() => sendGroup(accountId, region, findings));
  }));

  for (const { error, count } of errors.values()) {
    report.errors.push({ ...error, message: `${count} finding(s) not imported: ${error.message}` });
  }
  return report;
}
