// `--output ocsf`: OCSF 1.6 Compliance Finding (class 2003) records, one per result plus one Close record per finding
// this run resolved. Security Lake takes only OCSF; the new Security Hub stores OCSF 1.6. The attribute lists these
// records are validated against are vendored in test/fixtures/ocsf/schema-1.6.0.json (scripts/vendor-ocsf.ts).
//
// Lifecycle: a failure seen for the first time is a Create record with status New; a failure seen before (PERSISTING) is
// an Update with status In Progress; a suppressed failure keeps its Create/Update activity with status Suppressed; a
// finding this run resolved is a Close record with status Resolved. PASS and NOT_ASSESSED results are evaluations with no
// open finding: an Update record with no status_id, compliance status Pass or Unknown (with the reason).
import type { Check, Result, Severity } from '../model/index.js';
import { TOOL } from '../version.js';
import { partitionOfArn, resultSet, type AuditReport, type ResolvedFinding } from '../model/index.js';

export const OCSF_VERSION = '1.6.0';
export const OCSF_STANDARD = 'AWS Well-Architected Serverless Lens';
const CLASS_UID = 2003;
const CATEGORY_UID = 2;

const ACTIVITY = { 1: 'Create', 2: 'Update', 3: 'Close' } as const;
const STATUS = { 1: 'New', 2: 'In Progress', 3: 'Suppressed', 4: 'Resolved' } as const;
const COMPLIANCE_STATUS = { 0: 'Unknown', 1: 'Pass', 3: 'Fail' } as const;
const SEVERITY_ID: Record<Severity, number> = { INFORMATIONAL: 1, LOW: 2, MEDIUM: 3, HIGH: 4, CRITICAL: 5 };
const SEVERITY_CAPTION: Record<number, string> = { 1: 'Informational', 2: 'Low', 3: 'Medium', 4: 'High', 5: 'Critical' };

export interface OcsfOptions {
  /** Check metadata (lens questions, remediation, CSPM controls) by check id. */
  checkFor: (checkId: string) => Check | undefined;
}

/** An OCSF Compliance Finding as we write it (a subset of the class's attributes). */
export interface OcsfComplianceFinding {
  activity_id: 1 | 2 | 3;
  activity_name: string;
  category_uid: 2;
  category_name: 'Findings';
  class_uid: 2003;
  class_name: 'Compliance Finding';
  type_uid: number;
  type_name: string;
  severity_id: number;
  severity: string;
  status_id?: number;
  status?: string;
  time: number;
  message: string;
  metadata: {
    version: string;
    product: { name: string; vendor_name: string; version: string; uid: string };
    profiles: string[];
    uid: string;
    correlation_uid: string;
  };
  finding_info: { uid: string; title: string; desc: string; first_seen_time?: number; last_seen_time?: number; types: string[] };
  compliance: { standards: string[]; control: string; requirements?: string[]; status_id: number; status: string; status_details?: string[] };
  cloud: { provider: 'AWS'; account: { uid: string; type_id: 10; type: 'AWS Account' }; region: string };
  resources: { uid: string; type: string; name?: string; region?: string; cloud_partition?: string }[];
  remediation?: { desc: string; references: string[] };
  unmapped?: Record<string, unknown>;
}

function ms(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
}

/** What a record is about: a result, or a resolved finding (which then has its kind). */
type Subject = Omit<ResolvedFinding, 'firstSeen' | 'resolvedAt' | 'suppressed'> & { resourceKind: string };

function record(
  s: Subject,
  report: Pick<AuditReport, 'runId' | 'finishedAt'>,
  opts: OcsfOptions,
  f: {
    activity: 1 | 2 | 3;
    status?: 1 | 2 | 3 | 4;
    compliance: 0 | 1 | 3;
    detail?: string;
    severity: number;
    message: string;
    firstSeen?: string;
    lastSeen?: string;
    extra?: Record<string, unknown>;
  },
): OcsfComplianceFinding {
  const check = opts.checkFor(s.checkId);
  const now = ms(report.finishedAt) ?? Date.now();
  const requirements = check ? [...check.lens2022] : [];
  const first = ms(f.firstSeen);
  const last = ms(f.lastSeen);
  const partition = s.resourceArn.startsWith('arn:') ? partitionOfArn(s.resourceArn) : undefined;
  const unmapped: Record<string, unknown> = { ...(f.extra ?? {}) };
  if (check) {
    unmapped.pillar = check.pillar;
    unmapped.lens_2018 = check.lens;
    if ((check.peers.cspm ?? []).length > 0) unmapped.cspm_controls = check.peers.cspm;
  }
  return {
    activity_id: f.activity,
    activity_name: ACTIVITY[f.activity],
    category_uid: CATEGORY_UID,
    category_name: 'Findings',
    class_uid: CLASS_UID,
    class_name: 'Compliance Finding',
    type_uid: CLASS_UID * 100 + f.activity,
    type_name: `Compliance Finding: ${ACTIVITY[f.activity]}`,
    severity_id: f.severity,
    severity: SEVERITY_CAPTION[f.severity]!,
    ...(f.status ? { status_id: f.status, status: STATUS[f.status] } : {}),
    time: now,
    message: f.message,
    metadata: {
      version: OCSF_VERSION,
      product: { name: TOOL.name, vendor_name: TOOL.name, version: TOOL.version, uid: TOOL.name },
      profiles: ['cloud'],
      uid: `${report.runId}/${s.findingId}`,
      correlation_uid: report.runId,
    },
    finding_info: {
      uid: s.findingId,
      title: check?.title ?? s.title,
      desc: check?.description ?? s.title,
      ...(first !== undefined ? { first_seen_time: first } : {}),
      ...(last !== undefined ? { last_seen_time: last } : {}),
      types: ['Software and Configuration Checks/AWS Well-Architected Serverless Lens'],
    },
    compliance: {
      standards: [OCSF_STANDARD],
      control: s.checkId,
      ...(requirements.length > 0 ? { requirements } : {}),
      status_id: f.compliance,
      status: COMPLIANCE_STATUS[f.compliance],
      ...(f.detail ? { status_details: [f.detail] } : {}),
    },
    cloud: { provider: 'AWS', account: { uid: s.accountId, type_id: 10, type: 'AWS Account' }, region: s.region },
    resources: [{
      uid: s.resourceArn,
      type: s.resourceKind,
      ...(s.resourceName ? { name: s.resourceName } : {}),
      ...(s.region ? { region: s.region } : {}),
      ...(partition ? { cloud_partition: partition } : {}),
    }],
    ...(check ? { remediation: { desc: check.remediation.text, references: [check.remediation.url] } } : {}),
    ...(Object.keys(unmapped).length > 0 ? { unmapped } : {}),
  };
}

/** The OCSF record of one result. */
export function ocsfOfResult(r: Result, report: Pick<AuditReport, 'runId' | 'finishedAt'>, opts: OcsfOptions): OcsfComplianceFinding {
  const extra = r.suppressed ? { suppression_reason: r.suppressed.reason, ...(r.suppressed.expires ? { suppression_expires: r.suppressed.expires } : {}) } : undefined;
  if (r.status === 'FAIL') {
    const persisting = r.history?.state === 'PERSISTING';
    return record(r, report, opts, {
      activity: persisting ? 2 : 1,
      status: r.suppressed ? 3 : persisting ? 2 : 1,
      compliance: 3,
      severity: SEVERITY_ID[r.severity],
      message: r.message,
      firstSeen: r.history?.firstSeen ?? report.finishedAt,
      lastSeen: report.finishedAt,
      extra,
    });
  }
  return record(r, report, opts, {
    activity: 2,
    compliance: r.status === 'PASS' ? 1 : 0,
    ...(r.status === 'NOT_ASSESSED' ? { detail: r.message } : {}),
    severity: r.status === 'PASS' ? 1 : SEVERITY_ID[r.severity],
    message: r.message,
    lastSeen: report.finishedAt,
    extra,
  });
}

const SEVERITY_NAMES = new Set(Object.keys(SEVERITY_ID));

/** The Close record of a finding this run resolved. */
export function ocsfOfResolved(f: ResolvedFinding, report: Pick<AuditReport, 'runId' | 'finishedAt'>, opts: OcsfOptions): OcsfComplianceFinding {
  const severity = SEVERITY_NAMES.has(f.severity) ? (f.severity as Severity) : 'MEDIUM';
  return record(
    { ...f, severity, resourceKind: f.resourceKind ?? 'Other' },
    report,
    opts,
    {
      activity: 3,
      status: 4,
      compliance: 1,
      severity: SEVERITY_ID[severity],
      message: `Resolved: ${f.title} (${f.resourceName || f.resourceArn}) no longer fails.`,
      firstSeen: f.firstSeen,
      lastSeen: f.resolvedAt ?? report.finishedAt,
    },
  );
}

/** Every record of a report: its results (passes a large run kept on disk included), then the resolved findings. */
export function* ocsfRecords(report: AuditReport, opts: OcsfOptions): Generator<OcsfComplianceFinding> {
  for (const r of resultSet(report)) yield ocsfOfResult(r, report, opts);
  for (const f of report.resolved ?? []) yield ocsfOfResolved(f, report, opts);
}

/** The records as a JSON array, or NDJSON (one record a line), in pieces: an organization's output is longer than one string. */
export function* ocsfChunks(report: AuditReport, opts: OcsfOptions & { ndjson?: boolean }): Generator<string> {
  if (opts.ndjson) {
    for (const rec of ocsfRecords(report, opts)) yield `${JSON.stringify(rec)}\n`;
    return;
  }
  let first = true;
  yield '[';
  for (const rec of ocsfRecords(report, opts)) {
    yield `${first ? '\n' : ',\n'}${JSON.stringify(rec)}`;
    first = false;
  }
  yield first ? ']\n' : '\n]\n';
}
