// The minimal IAM policy for the enabled checks, generated from the operations the collectors declare,
// so that the policy and the code cannot drift apart (test/deploy/member-role.test.ts and test/hardening/read-only.test.ts check it).
import { ALL_COLLECTORS, collectorsFor, neededKinds } from '../collect/index.js';
import type { Collector } from '../collect/types.js';
import type { Check } from '../model/index.js';
import { WELL_ARCHITECTED_ACTIONS, WELL_ARCHITECTED_MILESTONE_ACTION } from '../sinks/well-architected.js';

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

export interface SinkPolicyOptions {
  /** Partition of the ARNs (`aws` by default), as in PolicyOptions. */
  partition?: string;
  /** securityhub:BatchImportFindings into the default product (`--security-hub`). Default true. */
  securityHub?: boolean;
  /**
   * The Well-Architected Tool notes (`--wa-workload`). Default true: any workload. An object narrows it to one workload
   * (parts not given stay `*`); `milestone: false` leaves out wellarchitected:CreateMilestone (`--wa-milestone`).
   */
  wellArchitected?: boolean | { workloadId?: string; region?: string; accountId?: string; milestone?: boolean };
  /**
   * Reading the webhook reference (`--slack-webhook ssm:/name` or `secret:name`). Default true: any parameter and
   * secret. A reference narrows it to that one (a secret name matches its ARN's random suffix); a plain URL: false.
   */
  secretRef?: boolean | string;
}

/** The ARN a secret reference reads (`ssm:/path`, `ssm:name`, `secret:name`, or either with a full ARN). */
function secretRefResource(ref: string, partition: string): { action: string; resource: string } | undefined {
  const m = /^(ssm|secret):(.+)$/.exec(ref);
  if (!m) return undefined;
  const [, kind, name] = m as unknown as [string, 'ssm' | 'secret', string];
  if (kind === 'ssm') {
    return { action: 'ssm:GetParameter', resource: name.startsWith('arn:') ? name : `arn:${partition}:ssm:*:*:parameter${name.startsWith('/') ? '' : '/'}${name}` };
  }
  // Secrets Manager appends "-" and six random characters to a secret's name in its ARN.
  return { action: 'secretsmanager:GetSecretValue', resource: name.startsWith('arn:') ? name : `arn:${partition}:secretsmanager:*:*:secret:${name}-??????` };
}

/**
 * The permissions of the sinks (`audit permissions --sinks`): a policy of its own, apart from the read-only audit
 * policy, for the identity that runs the audit with a sink on. Each sink is a write (or a secret read) and runs only
 * when asked. `sinkPolicy()` covers every sink; `sinkPolicy({ securityHub: false, wellArchitected: { workloadId, region,
 * accountId }, secretRef: 'ssm:/lens-audit/slack' })` only what that run needs.
 */
export function sinkPolicy(opts: SinkPolicyOptions = {}): PolicyDocumentOut {
  const p = opts.partition ?? 'aws';
  const statement: PolicyDocumentOut['Statement'] = [];
  if (opts.securityHub ?? true) {
    // Member mode imports into each account's own default product; central mode into the auditor's.
    statement.push({ Sid: 'LensAuditSecurityHubImport', Effect: 'Allow', Action: ['securityhub:BatchImportFindings'], Resource: `arn:${p}:securityhub:*:*:product/*/default` });
  }
  const wa = opts.wellArchitected ?? true;
  if (wa !== false) {
    const w = wa === true ? {} : wa;
    const actions: string[] = [...WELL_ARCHITECTED_ACTIONS];
    if (w.milestone ?? true) actions.push(WELL_ARCHITECTED_MILESTONE_ACTION);
    statement.push({
      Sid: 'LensAuditWellArchitectedNotes', Effect: 'Allow', Action: actions.sort(),
      Resource: `arn:${p}:wellarchitected:${w.region ?? '*'}:${w.accountId ?? '*'}:workload/${w.workloadId ?? '*'}`,
    });
  }
  const ref = opts.secretRef ?? true;
  if (ref === true) {
    statement.push({ Sid: 'LensAuditReadWebhookParameter', Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: `arn:${p}:ssm:*:*:parameter/*` });
    statement.push({ Sid: 'LensAuditReadWebhookSecret', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: `arn:${p}:secretsmanager:*:*:secret:*` });
  } else if (typeof ref === 'string') {
    const r = secretRefResource(ref, p);
    if (r) statement.push({ Sid: r.action.startsWith('ssm:') ? 'LensAuditReadWebhookParameter' : 'LensAuditReadWebhookSecret', Effect: 'Allow', Action: [r.action], Resource: r.resource });
  }
  return { Version: '2012-10-17', Statement: statement };
}
