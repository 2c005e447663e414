// After a run: write the reports to the report bucket, send to Security Hub, post the Slack digest, write the
// Well-Architected notes. Shared by the CLI and the Lambda finalize step. Never throws for AWS or Slack failures: they
// come back as error entries for the report.
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { ClientFactory, type ClientFactoryOptions } from '../aws/clients.js';
import { createHash } from 'node:crypto';
import { errorCode, errorMessage } from '../aws/errors.js';
import { memberRoleArn, type AuditReport, type Check, type CollectionError, type Result, type Severity } from '../model/index.js';
import { S3ObjectWriter, writeRunReports, type ObjectWriter, type WrittenReports } from '../sinks/report-bucket.js';
import { sendToSecurityHub } from '../sinks/security-hub.js';
import { regionPartition } from './regions.js';
import { postSlackDigest } from '../sinks/slack.js';
import { deliverToWellArchitected, type WellArchitectedDelivery } from '../sinks/well-architected.js';
import type { PostedMarker } from '../state/posted-marker.js';
import type { DeliveryMarks, FindingDiff, FindingRecord, StateStore } from '../state/store.js';
import { DEFAULT_ROLE_NAME, memberRoleCredentials } from './organization.js';
import { callerAccount } from './scope.js';

export type { ObjectWriter, WrittenReports } from '../sinks/report-bucket.js';

/**
 * Security Hub Region of `global` findings (IAM roles, account-wide checks) when none is configured: one fixed Region
 * per partition, so that the order or set of `--regions` never moves (and duplicates) them.
 */
export const DEFAULT_GLOBAL_FINDINGS_REGION: Readonly<Record<string, string>> = { aws: 'us-east-1', 'aws-cn': 'cn-north-1', 'aws-us-gov': 'us-gov-west-1' };

export function globalFindingsRegion(partition: string | undefined, configured?: string): string {
  return configured ?? DEFAULT_GLOBAL_FINDINGS_REGION[partition ?? 'aws'] ?? 'us-east-1';
}

/**
 * The auditor account: the account of these credentials (sts:GetCallerIdentity). A live run knows it already
 * (AuditOutcome.auditor); a run over a saved inventory asks, for central mode.
 */
export async function auditorAccount(aws: ClientFactoryOptions, region: string): Promise<string> {
  const factory = new ClientFactory({ ...aws, counter: undefined });
  try {
    return (await callerAccount(factory, region)).accountId;
  } finally {
    factory.destroy();
  }
}

export interface SecurityHubDelivery {
  /** `member` (default): each account's findings are imported through that account's role; `central`: under the auditor's account. */
  mode: 'member' | 'central';
  /** Credentials of the auditor (the caller). */
  aws: ClientFactoryOptions;
  /** The auditor's account id (central mode, and to recognise the caller's own findings). Never empty. */
  callerAccountId: string;
  /** Member role (member mode) — the member role must then allow securityhub:BatchImportFindings. */
  roleName?: string;
  externalId?: string;
  /** Partition of the member roles (default: the home region's). */
  partition?: string;
  /** Region of `global` findings (globalFindingsRegion). */
  homeRegion: string;
}

/** The report bucket (the nightly run's REPORT_BUCKET): the run's report.json and report.html, dated and as latest/. */
export interface ReportBucketDelivery {
  bucket: string;
  /** The bucket's Region, and its partition (for the console link; default aws). */
  region: string;
  partition?: string;
  /** The run's report, as the CLI's JSON report (buildReport). */
  report: AuditReport;
  /** Writes the objects; default a signed S3 PutObject into the bucket, with the caller's credentials. */
  writer?: ObjectWriter;
}

export interface SlackDelivery {
  webhook: string;
  always?: boolean;
  reportUrl?: string;
  postedMarker: PostedMarker;
  aws?: ClientFactoryOptions;
  region?: string;
}

/**
 * Unchanged open findings are imported again after at most this many days. Security Hub archives a finding that was
 * not updated for 90 days; 30 leaves two more chances (two months of failed nightly runs) before that, while an
 * unchanged finding costs about 14 ingestion events a year instead of 365. Each finding's interval is 21 to 30 days,
 * fixed by its id, so that findings first imported on one night (the night Security Hub was turned on) come due over
 * ten nights, not all on one.
 */
export const SECURITY_HUB_REIMPORT_DAYS = 30;

/** The re-import interval of one finding, in days: SECURITY_HUB_REIMPORT_DAYS minus 0–9 days, by its id. */
export function reimportDays(findingId: string): number {
  const n = Number.parseInt(findingId.slice(0, 4), 16);
  return SECURITY_HUB_REIMPORT_DAYS - (Number.isFinite(n) ? n % 10 : 0);
}

/** What a later run still has to deliver (kept in the history as DeliveryMarks). */
export interface DeliveryPending {
  /** New findings the Slack digest did not announce. */
  slackNew: number;
  /** Open findings Security Hub did not accept (new or changed). */
  securityHubImport: number;
  /** Resolved findings Security Hub did not archive. */
  securityHubArchive: number;
}

export interface DeliveryOutcome {
  errors: CollectionError[];
  /** The report objects written, and the console link of the run's report.html (none when the write failed). */
  reports?: WrittenReports;
  securityHub?: { imported: number; archived: number; failed: number; unchanged: number };
  slack?: string;
  /** Notes written in the Well-Architected Tool (questions updated, and those left alone). */
  wellArchitected?: { updated: number; unmatched: number; uncovered: number; failed: number; milestone?: number };
  /** Owed to the next run; all zero when every sink took everything. */
  pending: DeliveryPending;
}

/** The run as the sinks see it (an AuditReport, or the Lambda finalize step's pieces). */
export interface DeliveryInput {
  runId: string;
  finishedAt: string;
  scope: { accounts: string[]; regions: string[] };
  /** This run's results, FAIL ones annotated with their history state. */
  results: readonly Result[];
  /** The history after this run: every record of the run's accounts, and those this run resolved. */
  diff?: Pick<FindingDiff, 'records' | 'resolved'>;
  counts?: { fail?: number; bySeverity?: Partial<Record<Severity, number>> };
}

export interface DeliverOptions {
  checkFor: (checkId: string) => Check | undefined;
  /**
   * The report bucket: written first, since the Slack digest and the Well-Architected notes link the report. Once
   * written, its console link is their reportUrl (in place of one configured for them).
   */
  reports?: ReportBucketDelivery;
  /** The checks the run evaluated (the Well-Architected notes cover their questions, failing or not). */
  checks?: readonly Check[];
  securityHub?: SecurityHubDelivery;
  slack?: SlackDelivery;
  /** Notes on the Serverless Lens questions of one workload (a write: only when asked). */
  wellArchitected?: WellArchitectedDelivery & { reportUrl?: string };
  /** Where the delivery marks go (the history the run was diffed against). Without it, nothing is remembered. */
  store?: Pick<StateStore, 'saveDelivery'>;
  now?: Date;
}

/** What Security Hub's copy of a finding carries that can change while it stays open. */
export function securityHubDigest(r: Pick<Result, 'severity' | 'title' | 'message' | 'suppressed'>): string {
  return createHash('sha256').update(`${r.severity}\u0000${r.title}\u0000${r.message}\u0000${r.suppressed ? r.suppressed.reason || 'suppressed' : ''}`).digest('hex').slice(0, 16);
}

/** A record owed to the Slack digest, in the shape the digest lists. */
function pendingAsResult(r: FindingRecord): Result {
  return {
    findingId: r.findingId, checkId: r.checkId, title: r.title, severity: r.severity, accountId: r.accountId, region: r.region,
    resourceArn: r.resourceArn, resourceName: r.resourceName, resourceKind: r.resourceKind, status: 'FAIL', message: r.message,
    history: { state: 'NEW', firstSeen: r.firstSeen },
  } as Result;
}

function withMarks(r: FindingRecord, change: (d: DeliveryMarks) => void): FindingRecord {
  const d: DeliveryMarks = { ...(r.delivery ?? {}) };
  change(d);
  const { delivery: _old, ...rest } = r;
  return Object.keys(d).length > 0 ? { ...rest, delivery: d } : rest;
}

function pendingLine(p: DeliveryPending): string | undefined {
  const parts = [
    p.slackNew > 0 ? `${p.slackNew} new finding(s) not announced in Slack` : '',
    p.securityHubImport > 0 ? `${p.securityHubImport} finding(s) not imported into Security Hub` : '',
    p.securityHubArchive > 0 ? `${p.securityHubArchive} resolved finding(s) not archived in Security Hub` : '',
  ].filter(Boolean);
  return parts.length > 0 ? `${parts.join(', ')}: kept in the history, the next run delivers them` : undefined;
}

/** Whether anything is owed to a sink. */
export function hasPending(p: DeliveryPending): boolean {
  return p.slackNew + p.securityHubImport + p.securityHubArchive > 0;
}

/**
 * The deliver stage, the only caller of the sinks (CLI and Lambda finalize): the report bucket gets the run's reports
 * (first: the others link them), Security Hub gets what changed since it
 * last accepted it (new, changed, resolved, and unchanged open findings every SECURITY_HUB_REIMPORT_DAYS) plus what
 * earlier runs could not deliver; Slack announces the new findings, with those an earlier digest failed to announce.
 * What a sink did not take is marked in the history (store.saveDelivery) and counted in `pending`. Never throws for
 * AWS, Slack or store failures: they come back in `errors`.
 */
export async function deliver(input: DeliveryInput, opts: DeliverOptions): Promise<DeliveryOutcome> {
  const errors: CollectionError[] = [];
  const pending: DeliveryPending = { slackNew: 0, securityHubImport: 0, securityHubArchive: 0 };
  const out: DeliveryOutcome = { errors, pending };
  const now = opts.now ?? new Date(input.finishedAt);
  const records = new Map((input.diff?.records ?? []).map((r) => [r.findingId, r]));
  const resolvedNow = input.diff?.resolved ?? [];
  const changed = new Map<string, FindingRecord>();
  const mark = (id: string, change: (d: DeliveryMarks) => void) => {
    const r = changed.get(id) ?? records.get(id);
    if (r) changed.set(id, withMarks(r, change));
  };

  // The reports first: the Slack digest and the Well-Architected notes link the run's report.html.
  if (opts.reports) {
    const b = opts.reports;
    try {
      out.reports = await writeRunReports(b.writer ?? new S3ObjectWriter({ bucket: b.bucket, region: b.region }), { bucket: b.bucket, region: b.region, ...(b.partition ? { partition: b.partition } : {}) }, b.report, opts.checkFor);
    } catch (err) {
      errors.push({ accountId: '', region: b.region, service: 's3', operation: 'PutObject', code: errorCode(err), message: errorMessage(err) });
    }
  }
  /** The link to the run's report: the one just written, else the one configured. */
  const reportUrlOr = (configured: string | undefined) => out.reports?.url ?? configured;

  // Security Hub rejects a finding whose AwsAccountId is not the importing account: never send an empty one.
  if (opts.securityHub && !/^\d{12}$/.test(opts.securityHub.callerAccountId)) {
    errors.push({ accountId: '', region: opts.securityHub.homeRegion, service: 'securityhub', operation: 'BatchImportFindings', code: 'NoAuditorAccount', message: `nothing sent: the auditor account id is unknown (${JSON.stringify(opts.securityHub.callerAccountId)})` });
  } else if (opts.securityHub) {
    const sh = opts.securityHub;
    const fails = input.results.filter((r) => r.status === 'FAIL');
    const due = (r: Result) => {
      const sent = records.get(r.findingId)?.delivery?.securityHub;
      return !sent || sent.digest !== securityHubDigest(r) || !(now.getTime() - Date.parse(sent.sentAt) < reimportDays(r.findingId) * 86_400_000);
    };
    const toImport = fails.filter(due);
    const archiveIds = new Set(resolvedNow.map((r) => r.findingId));
    const toArchive: FindingRecord[] = [...resolvedNow];
    for (const r of records.values()) {
      if (r.status === 'RESOLVED' && r.delivery?.securityHubArchivePending && !archiveIds.has(r.findingId)) {
        toArchive.push(r);
        archiveIds.add(r.findingId);
      }
    }
    const acceptedActive = new Set<string>();
    const acceptedArchived = new Set<string>();
    const factories = new Map<string, ClientFactory>();
    const factoryFor = (accountId: string): ClientFactory => {
      const key = sh.mode === 'central' || accountId === sh.callerAccountId ? 'caller' : accountId;
      let f = factories.get(key);
      if (!f) {
        const credentials =
          key === 'caller'
            ? sh.aws.credentials
            : memberRoleCredentials(memberRoleArn(sh.partition ?? regionPartition(sh.homeRegion), accountId, sh.roleName ?? DEFAULT_ROLE_NAME), {
                externalId: sh.externalId, aws: sh.aws, region: sh.homeRegion,
              });
        f = new ClientFactory({ ...sh.aws, readOnly: false, counter: undefined, ...(credentials ? { credentials, profile: key === 'caller' ? sh.aws.profile : undefined } : {}) });
        factories.set(key, f);
      }
      return f;
    };
    try {
      const r = await sendToSecurityHub(
        { results: toImport, resolved: toArchive },
        {
          now,
          checkFor: opts.checkFor,
          ...(sh.mode === 'central' ? { centralAccountId: sh.callerAccountId } : {}),
          globalRegion: sh.homeRegion,
          clientFor: (accountId, region) => factoryFor(accountId).get(SecurityHubClient, region),
          onAccepted: (id, archived) => (archived ? acceptedArchived : acceptedActive).add(id),
        },
      );
      errors.push(...r.errors);
      out.securityHub = { imported: r.imported, archived: r.archived, failed: r.failed, unchanged: fails.length - toImport.length };
    } catch (err) {
      errors.push({ accountId: '', region: sh.homeRegion, service: 'securityhub', operation: 'BatchImportFindings', code: errorCode(err), message: errorMessage(err) });
    } finally {
      for (const f of factories.values()) f.destroy();
    }
    const sentAt = now.toISOString();
    for (const r of toImport) {
      if (acceptedActive.has(r.findingId)) {
        const digest = securityHubDigest(r);
        mark(r.findingId, (d) => void (d.securityHub = { sentAt, digest }));
      } else pending.securityHubImport++;
    }
    for (const r of toArchive) {
      if (acceptedArchived.has(r.findingId)) {
        mark(r.findingId, (d) => {
          delete d.securityHubArchivePending;
          delete d.securityHub;
        });
      } else {
        pending.securityHubArchive++;
        if (!r.delivery?.securityHubArchivePending) mark(r.findingId, (d) => void (d.securityHubArchivePending = true));
      }
    }
  }

  if (opts.slack) {
    const s = opts.slack;
    const newNow = input.results.filter((r) => r.status === 'FAIL' && !r.suppressed && r.history?.state === 'NEW');
    const newIds = new Set(newNow.map((r) => r.findingId));
    // Owed by an earlier run's failed post, and still open.
    const owed = [...records.values()].filter((r) => r.status === 'OPEN' && r.delivery?.slackPending && !newIds.has(r.findingId) && !r.suppressed);
    const posted = await postSlackDigest(
      { runId: input.runId, scope: input.scope, newResults: [...newNow, ...owed.map(pendingAsResult)], resolved: resolvedNow, ...(input.counts ? { counts: input.counts } : {}), ...(reportUrlOr(s.reportUrl) ? { reportUrl: reportUrlOr(s.reportUrl)! } : {}) },
      { webhook: s.webhook, postedMarker: s.postedMarker, slackAlways: s.always, secretRef: { region: s.region, aws: s.aws } },
    );
    errors.push(...posted.errors);
    out.slack = posted.status;
    if (posted.status === 'failed') {
      pending.slackNew = newNow.length + owed.length;
      for (const r of newNow) mark(r.findingId, (d) => void (d.slackPending = true));
    } else {
      for (const r of owed) mark(r.findingId, (d) => void delete d.slackPending);
    }
    // Owed findings that were resolved or suppressed meanwhile are owed nothing any more.
    for (const r of records.values()) {
      if (r.delivery?.slackPending && (r.status !== 'OPEN' || r.suppressed) && !changed.has(r.findingId)) mark(r.findingId, (d) => void delete d.slackPending);
    }
  }

  if (opts.wellArchitected) {
    const { reportUrl: configured, ...wa } = opts.wellArchitected;
    const reportUrl = reportUrlOr(configured);
    const r = await deliverToWellArchitected(
      { runId: input.runId, finishedAt: input.finishedAt, results: input.results, checkFor: opts.checkFor, ...(opts.checks ? { checks: opts.checks } : {}), ...(reportUrl ? { reportUrl } : {}) },
      wa,
    );
    errors.push(...r.errors);
    out.wellArchitected = { updated: r.updated, unmatched: r.unmatched, uncovered: r.uncovered, failed: r.failed, ...(r.milestone !== undefined ? { milestone: r.milestone } : {}) };
  }

  if (changed.size > 0) {
    if (!opts.store) {
      // Nothing to remember it in: what was not delivered is reported, and sent again only as a new run finds it.
    } else {
      try {
        await opts.store.saveDelivery([...changed.values()]);
      } catch (err) {
        errors.push({ accountId: '', region: '', service: 'lens-audit', operation: 'saveDelivery', code: errorCode(err), message: `delivery marks not saved (the next run delivers the same again): ${errorMessage(err)}` });
      }
    }
  }
  const line = pendingLine(pending);
  if (line) errors.push({ accountId: '', region: '', service: 'lens-audit', operation: 'deliver', code: 'DeliveryPending', message: line });
  return out;
}
