// ARNs the tool makes itself (pseudo-resources, scopes of list gaps, member roles), in the account's partition: `aws`,
// `aws-cn` or `aws-us-gov`. The one place an ARN is spelled out; nothing else writes `arn:aws:`.

export type PartitionName = 'aws' | 'aws-cn' | 'aws-us-gov' | (string & {});

// The partition of a region code is the SDK's to say (its endpoint data): regionPartition() in src/engine/regions.ts.

/** The partition an ARN names (`aws` when it names none). */
export function partitionOfArn(arn: string): PartitionName {
  return /^arn:([^:]+):/.exec(arn)?.[1] ?? 'aws';
}

/** The account pseudo-resource (region `global`): `arn:P:iam::ACCOUNT:root`. */
export function accountArn(partition: string, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:root`;
}

/** The account-region pseudo-resource: `arn:P:lambda:REGION:ACCOUNT:account`. */
export function accountRegionArn(partition: string, region: string, accountId: string): string {
  return `arn:${partition}:lambda:${region}:${accountId}:account`;
}

/** The scope of a region's inventory: the account for `global`, else the account-region. */
export function regionScopeArn(partition: string, region: string, accountId: string): string {
  return region === 'global' ? accountArn(partition, accountId) : accountRegionArn(partition, region, accountId);
}

/** A role in an account: `arn:P:iam::ACCOUNT:role/NAME`. */
export function roleArn(partition: string, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/** The member role assumed in an audited account. */
export const memberRoleArn = roleArn;

/** Any regional resource ARN: `arn:P:SERVICE:REGION:ACCOUNT:RESOURCE` (region and account may be empty). */
export function resourceArn(partition: string, service: string, region: string, accountId: string, resource: string): string {
  return `arn:${partition}:${service}:${region}:${accountId}:${resource}`;
}

/** The role lens-audit assumes in member accounts unless told otherwise (deploy/member-role.yaml creates it). */
export const DEFAULT_ROLE_NAME = 'LensAuditReadOnly';
