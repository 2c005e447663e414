// The minimal IAM policy for the enabled checks, generated from the operations the collectors declare,
// so that the policy and the code cannot drift apart (test/deploy/member-role.test.ts and test/hardening/read-only.test.ts check it).
import { ALL_COLLECTORS, collectorsFor, neededKinds } from '../collect/index.js';
import type { Collector } from '../collect/types.js';
import type { Check } from '../model/index.js';

/** Calls made by scope resolution itself (`--regions all`); sts:GetCallerIdentity needs no permission. */
export const SCOPE_OPERATIONS = ['account:ListRegions', 'ec2:DescribeRegions'] as const;
/** Organization discovery, made in the calling account only (--org). */
export const ORG_OPERATIONS = ['organizations:ListAccounts', 'organizations:ListAccountsForParent', 'organizations:ListOrganizationalUnitsForParent'] as const;

/** API Gateway resource paths (`arn:PARTITION:apigateway:*::PATH`) that the collectors read. */
export const APIGATEWAY_GET_PATHS = ['/restapis', '/restapis/*', '/apis', '/apis/*', '/account', '/usageplans', '/domainnames', '/domainnames/*'] as const;

/**
 * API Gateway reads are all `apigateway:GET`; limiting them to these paths keeps `GET /apikeys?includeValues=true`
 * (which returns API key values) out of reach (catalogue.md §9). `partition`: `aws`, `aws-cn`, `aws-us-gov` ..., or a
 * template's own (`${AWS::Partition}` in a CloudFormation `Fn::Sub`, CDK's `Aws.PARTITION`): never `arn:aws:` hard-coded,
 * which would deny every API Gateway read in the other partitions.
 */
export function apiGatewayGetResources(partition = 'aws'): string[] {
  return APIGATEWAY_GET_PATHS.map((path) => `arn:${partition}:apigateway:*::${path}`);
}

export interface PolicyOptions {
  metrics?: boolean;
  org?: boolean;
  collectors?: readonly Collector[];
  /** Partition of the ARNs in the policy (`aws` by default; `aws-cn`, `aws-us-gov` ...). */
  partition?: string;
}

/** Every IAM action the audit may call for these checks. */
export function requiredActions(checks: readonly Check[], opts: PolicyOptions = {}): string[] {
  const actions = new Set<string>(SCOPE_OPERATIONS);
  for (const c of collectorsFor(opts.collectors ?? ALL_COLLECTORS, { kinds: neededKinds(checks), metrics: opts.metrics ?? false })) {
    for (const op of c.operations) actions.add(op);
  }
  if (opts.org) for (const op of ORG_OPERATIONS) actions.add(op);
  return [...actions].sort();
}

export interface PolicyDocumentOut {
  Version: '2012-10-17';
  Statement: { Sid: string; Effect: 'Allow'; Action: string[]; Resource: string | string[] }[];
}

/** The IAM policy `audit permissions` prints (and the member role holds): `requiredPolicy(checks, { metrics, org, partition })`. */
export function requiredPolicy(checks: readonly Check[], opts: PolicyOptions = {}): PolicyDocumentOut {
  const actions = requiredActions(checks, opts);
  const apigw = actions.filter((a) => a.startsWith('apigateway:'));
  const rest = actions.filter((a) => !a.startsWith('apigateway:'));
  const statement: PolicyDocumentOut['Statement'] = [{ Sid: 'LensAuditRead', Effect: 'Allow', Action: rest, Resource: '*' }];
  if (apigw.length > 0) statement.push({ Sid: 'LensAuditApiGatewayReadNoApiKeys', Effect: 'Allow', Action: ['apigateway:GET'], Resource: apiGatewayGetResources(opts.partition) });
  return { Version: '2012-10-17', Statement: statement };
}
