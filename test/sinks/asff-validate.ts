// An ASFF validator for tests, written from the Security Hub docs:
// - required top-level attributes: asff-required-attributes ("AwsAccountId, CreatedAt, Description, GeneratorId, Id,
//   ProductArn, Resources, SchemaVersion, Severity, Title, Types, UpdatedAt");
// - length limits: API_AwsSecurityFinding (Id, GeneratorId ≤512; Title ≤256; Description ≤1024; Resources 1–32;
//   ProductFields ≤50 pairs, key ≤128, value ≤2048), API_Recommendation (Text ≤512), API_Resource (Type ≤256, Region ≤16);
// - Severity needs Label or Normalized (Label: INFORMATIONAL|LOW|MEDIUM|HIGH|CRITICAL);
// - Types `namespace/category/classifier` from the types taxonomy;
// - private product ARN `arn:partition:securityhub:region:account-id:product/account-id/default`;
// - ≤240 KB per finding (BatchImportFindings).
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';

export const REQUIRED_ATTRIBUTES = [
  'AwsAccountId', 'CreatedAt', 'Description', 'GeneratorId', 'Id', 'ProductArn', 'Resources', 'SchemaVersion', 'Severity',
  'Title', 'Types', 'UpdatedAt',
] as const;

const TYPE_NAMESPACES = ['Software and Configuration Checks', 'TTPs', 'Effects', 'Unusual Behaviors', 'Sensitive Data Identifications'];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Every problem found; an empty list means valid. */
export function asffProblems(f: AwsSecurityFinding): string[] {
  const p: string[] = [];
  const rec = f as unknown as Record<string, unknown>;
  for (const a of REQUIRED_ATTRIBUTES) {
    const v = rec[a];
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) p.push(`missing ${a}`);
  }
  if (f.SchemaVersion !== '2018-10-08') p.push(`SchemaVersion ${f.SchemaVersion}`);
  if ((f.Id ?? '').length > 512) p.push('Id too long');
  if ((f.GeneratorId ?? '').length > 512) p.push('GeneratorId too long');
  if ((f.Title ?? '').length > 256) p.push('Title too long');
  if ((f.Description ?? '').length > 1024) p.push('Description too long');
  if (!/^\d{12}$/.test(f.AwsAccountId ?? '')) p.push(`AwsAccountId ${f.AwsAccountId}`);
  const arn = /^arn:(aws|aws-cn|aws-us-gov):securityhub:([a-z0-9-]+):(\d{12}):product\/(\d{12})\/default$/.exec(f.ProductArn ?? '');
  if (!arn || arn[3] !== arn[4]) p.push(`ProductArn ${f.ProductArn}`);
  for (const t of ['CreatedAt', 'UpdatedAt', 'FirstObservedAt', 'LastObservedAt'] as const) {
    const v = f[t];
    if (v !== undefined && (!ISO.test(v) || Number.isNaN(Date.parse(v)))) p.push(`${t} not ISO 8601: ${v}`);
  }
  if (f.CreatedAt && f.UpdatedAt && f.CreatedAt > f.UpdatedAt) p.push('CreatedAt after UpdatedAt');
  const labels = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
  if (!f.Severity || (f.Severity.Label === undefined && f.Severity.Normalized === undefined)) p.push('Severity without Label/Normalized');
  if (f.Severity?.Label !== undefined && !labels.includes(f.Severity.Label)) p.push(`Severity.Label ${f.Severity.Label}`);
  for (const t of f.Types ?? []) {
    const parts = t.split('/');
    if (parts.length > 3 || !TYPE_NAMESPACES.includes(parts[0]!)) p.push(`Type ${t}`);
  }
  const resources = f.Resources ?? [];
  if (resources.length > 32) p.push('more than 32 Resources');
  for (const r of resources) {
    if (!r.Type || r.Type.length > 256) p.push(`Resource.Type ${r.Type}`);
    if (!r.Id) p.push('Resource.Id missing');
    if (r.Partition && !['aws', 'aws-cn', 'aws-us-gov'].includes(r.Partition)) p.push(`Resource.Partition ${r.Partition}`);
    if (r.Region && r.Region.length > 16) p.push(`Resource.Region ${r.Region}`);
  }
  if (f.Compliance?.Status && !['PASSED', 'WARNING', 'FAILED', 'NOT_AVAILABLE'].includes(f.Compliance.Status)) p.push(`Compliance.Status ${f.Compliance.Status}`);
  if (f.RecordState && !['ACTIVE', 'ARCHIVED'].includes(f.RecordState)) p.push(`RecordState ${f.RecordState}`);
  if ((f.Remediation?.Recommendation?.Text ?? '').length > 512) p.push('Recommendation.Text too long');
  const pf = Object.entries(f.ProductFields ?? {});
  if (pf.length > 50) p.push('more than 50 ProductFields');
  for (const [k, v] of pf) if (k.length > 128 || v.length > 2048 || v === '') p.push(`ProductFields ${k}`);
  if (Buffer.byteLength(JSON.stringify(f)) > 240 * 1024) p.push('finding over 240 KB');
  return p;
}
