// AWS Security Finding Format: what the Security Hub sink sends and `--output asff` prints.
// Required top-level attributes (asff-required-attributes): AwsAccountId, CreatedAt, Description, GeneratorId, Id,
// ProductArn, Resources, SchemaVersion, Severity, Title, Types, UpdatedAt.
import type { AwsSecurityFinding, ComplianceStatus, Partition } from '@aws-sdk/client-securityhub';
import { partitionOfArn, type Check, type Result } from '../model/index.js';
import type { FindingRecord } from '../state/store.js';

export const ASFF_SCHEMA_VERSION = '2018-10-08';
export const ASFF_TYPE = 'Software and Configuration Checks/AWS Well-Architected/Serverless Lens';

/** Resource kinds that are ASFF resource types under the same name; every other kind is sent as `Other`. */
const ASFF_RESOURCE_TYPES = new Set([
  'AwsLambdaFunction', 'AwsApiGatewayRestApi', 'AwsApiGatewayStage', 'AwsApiGatewayV2Api', 'AwsApiGatewayV2Stage',
  'AwsDynamoDbTable', 'AwsKinesisStream', 'AwsSnsTopic', 'AwsIamRole', 'AwsCloudWatchAlarm', 'AwsAccount',
]);

export interface AsffOptions {
  /** This run's time: UpdatedAt (and LastObservedAt of what failed now). */
  now: Date;
  /** Check metadata (remediation, pillar, lens questions) by check id. */
  checkFor: (checkId: string) => Check | undefined;
  /**
   * Central mode: import every finding into this (auditor) account. BatchImportFindings with the default product
   * ARN only accepts findings whose AwsAccountId is the calling account ("the identifier of the account that you
   * are calling BatchImportFindings from needs to be the same as the AwsAccountId attribute", API reference), so in
   * central mode both ProductArn and AwsAccountId name the auditor account; the audited account stays visible in
   * the resource ARN and in ProductFields `lens-audit/ResourceAccountId`. Default (member mode): the result's account.
   */
  centralAccountId?: string;
  /** Security Hub Region for `global` (IAM, account-wide) results. Default us-east-1. */
  globalRegion?: string;
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 3)}...`;
}


/** What every finding of one resource shares, whether it fails now or was resolved. */
interface Subject {
  findingId: string;
  checkId: string;
  title: string;
  severity: Result['severity'];
  accountId: string;
  region: string;
  resourceArn: string;
  resourceName: string;
  resourceKind: string;
}

/**
 * Compliance.RelatedRequirements (at most 32): the 2018 lens questions as before ("Serverless Lens SERVSEC 1"), the
 * 2022 ones ("Serverless Lens 2022 SERVSEC 1") and the Security Hub CSPM controls covering the same ground
 * ("Security Hub CSPM Lambda.1"), so a CSPM user can set a lens-audit finding next to the control's own.
 */
export function relatedRequirements(check: Check): string[] {
  return [
    ...check.lens.map((q) => `Serverless Lens ${q}`),
    ...check.lens2022.map((q) => `Serverless Lens 2022 ${q}`),
    ...(check.peers.cspm ?? []).map((c) => `Security Hub CSPM ${c}`),
  ].slice(0, 32);
}

function build(
  s: Subject,
  opts: AsffOptions,
  f: { status: ComplianceStatus; description: string; firstSeen: string; lastObserved: string; archived: boolean; suppressed?: string },
): AwsSecurityFinding {
  const region = s.region === 'global' ? (opts.globalRegion ?? 'us-east-1') : s.region;
  const partition = partitionOfArn(s.resourceArn) as Partition;
  const productAccount = opts.centralAccountId ?? s.accountId;
  const check = opts.checkFor(s.checkId);
  const accountKind = s.resourceKind === 'AwsAccount' || s.resourceKind === 'AwsAccountRegion';
  const type = accountKind ? 'AwsAccount' : ASFF_RESOURCE_TYPES.has(s.resourceKind) ? s.resourceKind : 'Other';
  const productFields: Record<string, string> = {
    'lens-audit/CheckId': s.checkId,
    'lens-audit/ResourceAccountId': s.accountId,
    'lens-audit/ResourceKind': s.resourceKind,
  };
  if (s.resourceName) productFields['lens-audit/ResourceName'] = truncate(s.resourceName, 2048);
  if (check) {
    productFields['lens-audit/Pillar'] = check.pillar;
    productFields['lens-audit/LensQuestions'] = check.lens.join(', ');
    if (check.lens2022.length > 0) productFields['lens-audit/LensQuestions2022'] = check.lens2022.join(', ');
    if ((check.peers.cspm ?? []).length > 0) productFields['lens-audit/CspmControls'] = check.peers.cspm!.join(', ');
  }
  if (f.suppressed !== undefined) productFields['lens-audit/Suppressed'] = truncate(f.suppressed || 'suppressed', 2048);
  const title = truncate(check?.title ?? s.title, 256);
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: `lens-audit/${s.findingId}`,
    ProductArn: `arn:${partition}:securityhub:${region}:${productAccount}:product/${productAccount}/default`,
    ProductName: 'lens-audit',
    CompanyName: 'lens-audit',
    GeneratorId: s.checkId,
    AwsAccountId: productAccount,
    Types: [ASFF_TYPE],
    CreatedAt: f.firstSeen,
    UpdatedAt: opts.now.toISOString(),
    FirstObservedAt: f.firstSeen,
    LastObservedAt: f.lastObserved,
    Severity: { Label: s.severity },
    FindingProviderFields: { Severity: { Label: s.severity }, Types: [ASFF_TYPE] },
    Title: title,
    Description: truncate(f.description || title, 1024),
    Resources: [{
      Type: type,
      Id: accountKind ? `AWS::::Account:${s.accountId}` : s.resourceArn,
      Partition: partition,
      Region: region,
      ...(type === 'Other' ? { Details: { Other: { ResourceKind: s.resourceKind, ResourceName: truncate(s.resourceName || s.resourceArn, 1024) } } } : {}),
    }],
    Compliance: {
      Status: f.status,
      ...(check && relatedRequirements(check).length > 0 ? { RelatedRequirements: relatedRequirements(check) } : {}),
    },
    ...(check ? { Remediation: { Recommendation: { Text: truncate(check.remediation.text, 512), Url: check.remediation.url } } } : {}),
    ProductFields: productFields,
    RecordState: f.archived ? 'ARCHIVED' : 'ACTIVE',
    // Honoured only when the finding is created; later imports cannot change Workflow (it belongs to the user).
    Workflow: { Status: f.archived ? 'RESOLVED' : 'NEW' },
  };
}

const COMPLIANCE: Record<Result['status'], ComplianceStatus> = { PASS: 'PASSED', FAIL: 'FAILED', NOT_ASSESSED: 'NOT_AVAILABLE' };

/**
 * One result as an ASFF finding. CreatedAt / FirstObservedAt are the first observation from the state store
 * (`result.history.firstSeen`); without a history they are this run's time. A suppressed FAIL is WARNING.
 */
export function toAsff(result: Result, opts: AsffOptions): AwsSecurityFinding {
  const now = opts.now.toISOString();
  const suppressed = result.status === 'FAIL' && result.suppressed;
  return build(result, opts, {
    status: suppressed ? 'WARNING' : COMPLIANCE[result.status],
    description: result.message,
    firstSeen: result.history?.firstSeen ?? now,
    lastObserved: now,
    archived: false,
    ...(suppressed ? { suppressed: result.suppressed!.reason } : {}),
  });
}

/** A finding the state diff resolved: Compliance PASSED, RecordState ARCHIVED. */
export function toArchivedAsff(record: FindingRecord, opts: AsffOptions): AwsSecurityFinding {
  return build(record, opts, {
    status: 'PASSED',
    description: `Resolved: no longer failing as of ${record.resolvedAt ?? opts.now.toISOString()}. Last failure: ${record.message}`,
    firstSeen: record.firstSeen,
    lastObserved: record.lastSeen,
    archived: true,
  });
}

/**
 * What the sink sends: every FAIL result (ACTIVE) plus every finding the state diff resolved (ARCHIVED).
 * PASS and NOT_ASSESSED results are not sent: a fixed finding reaches Security Hub through `resolved`, which only
 * holds findings in the scope this run actually assessed.
 */
export function asffFindings(results: readonly Result[], opts: AsffOptions & { resolved?: readonly FindingRecord[] }): AwsSecurityFinding[] {
  return [
    ...results.filter((r) => r.status === 'FAIL').map((r) => toAsff(r, opts)),
    ...(opts.resolved ?? []).map((r) => toArchivedAsff(r, opts)),
  ];
}

/** `--output asff`: the findings the sink would send, as a JSON array. */
export function renderAsff(results: readonly Result[], opts: AsffOptions & { resolved?: readonly FindingRecord[] }): string {
  return JSON.stringify(asffFindings(results, opts), null, 2) + '\n';
}
