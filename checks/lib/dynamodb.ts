// DynamoDB capacity helpers shared by the autoscaling and over-provisioning checks.
import type { AccountRegion, DynamoDbTable } from '../../src/model/index.js';
import { derived } from './memo.js';

/** BillingModeSummary is absent on tables that were always PROVISIONED. */
export function isProvisioned(t: DynamoDbTable): boolean {
  return (t.BillingModeSummary?.BillingMode ?? 'PROVISIONED') === 'PROVISIONED';
}

/** Application Auto Scaling resource ids and dimensions that a provisioned table (and each GSI) needs. */
export function requiredScalingTargets(t: DynamoDbTable): { resourceId: string; dimension: string; label: string }[] {
  const out: { resourceId: string; dimension: string; label: string }[] = [];
  for (const d of ['Read', 'Write']) out.push({ resourceId: `table/${t.TableName}`, dimension: `dynamodb:table:${d}CapacityUnits`, label: `table ${d.toLowerCase()}` });
  for (const g of t.GlobalSecondaryIndexes ?? []) {
    for (const d of ['Read', 'Write']) {
      out.push({ resourceId: `table/${t.TableName}/index/${g.IndexName}`, dimension: `dynamodb:index:${d}CapacityUnits`, label: `index ${g.IndexName} ${d.toLowerCase()}` });
    }
  }
  return out;
}

/** The scalable targets of the region, or the reason they are unknown. */
export function scalableTargets(region: AccountRegion | undefined): { ok: true; targets: Set<string> } | { ok: false; reason: string } {
  const gap = region?.gaps?.DynamoDbScalableTargets;
  if (gap) return { ok: false, reason: `${gap.operation} failed: ${gap.code}` };
  if (!region?.DynamoDbScalableTargets) return { ok: false, reason: 'DynamoDB scalable targets were not collected' };
  const list = region.DynamoDbScalableTargets;
  return { ok: true, targets: derived(list, 'scalable-targets', () => new Set(list.map((s) => `${s.ResourceId}|${s.ScalableDimension}`))) };
}
