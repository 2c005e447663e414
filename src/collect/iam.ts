// IAM execution roles, from one bulk GetAccountAuthorizationDetails sweep (Filter Role + LocalManagedPolicy).
// Stage 2: the regional collectors have run, so every function's Role is known. Kept roles: those a function uses,
// plus those that trust lambda.amazonaws.com. A function whose role is elsewhere (another account) has no role resource.
// The account alias (ListAccountAliases) goes on the account's inventory, for reports to show next to the id.
// AWS-managed policies (arn:PARTITION:iam::aws:policy/...) are recorded by ARN only, without a document: their
// content is public and fixed, so checks judge them by ARN (AdministratorAccess, PowerUserAccess ...).
import {
  GetAccountAuthorizationDetailsCommand, IAMClient, ListAccountAliasesCommand, type ManagedPolicyDetail, type RoleDetail,
} from '@aws-sdk/client-iam';
import { toGap } from '../aws/errors.js';
import { paginate } from '../aws/paginate.js';
import { accountArn, type AccountInventory, type Gap, type IamRole, type PolicyDocument, type PolicyStatement } from '../model/index.js';
import { jsonSafe } from './json.js';
import type { CollectContext, Collector } from './types.js';

export const iamCollector: Collector = {
  name: 'iam',
  kinds: ['AwsIamRole'],
  scope: 'account',
  stage: 2,
  operations: ['iam:GetAccountAuthorizationDetails', 'iam:ListAccountAliases'],
  async collect(ctx) {
    const client = ctx.client(IAMClient);
    // An account has at most one alias. Display only: a failure is an error entry, no check depends on it.
    try {
      const out = await ctx.limit('iam', () => client.send(new ListAccountAliasesCommand({})));
      const alias = out?.AccountAliases?.find((a) => typeof a === 'string' && a !== '');
      if (alias) ctx.inventory().alias = alias;
    } catch (err) {
      ctx.error('iam', 'ListAccountAliases', err);
    }
    const roles: RoleDetail[] = [];
    const policies = new Map<string, ManagedPolicyDetail>();
    try {
      await ctx.limit('iam', () =>
        paginate(async (Marker) => {
          const out = await client.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role', 'LocalManagedPolicy'], MaxItems: 1000, Marker }));
          roles.push(...(out.RoleDetailList ?? []));
          for (const p of out.Policies ?? []) if (p.Arn) policies.set(p.Arn, p);
          return { items: [], next: out.IsTruncated ? out.Marker : undefined };
        }));
    } catch (err) {
      // A role's attached policies may sit on a page that was not read, so partial results are dropped.
      ctx.listGap('AwsIamRole', accountArn(ctx.partition, ctx.accountId), 'iam:GetAccountAuthorizationDetails', err, ctx.accountId);
      return;
    }
    const used = functionRoleArns(ctx.inventory());
    for (const raw of roles) {
      const role = toRole(ctx, raw, policies);
      // A role whose trust policy could not be read is kept: dropping it could hide an execution role.
      if (used.has(role.Arn) || !role.AssumeRolePolicyDocument || trustsService(role.AssumeRolePolicyDocument, 'lambda.amazonaws.com')) {
        ctx.add(role);
      }
    }
  },
};

function functionRoleArns(inv: AccountInventory): Set<string> {
  const arns = new Set<string>();
  for (const r of inv.regions) for (const fn of r.resources.AwsLambdaFunction ?? []) if (fn.Role) arns.add(fn.Role);
  return arns;
}

class InvalidPolicyDocument extends Error {
  override name = 'InvalidPolicyDocument';
}

/** IAM returns policy documents URL-encoded (RFC 3986); the JS SDK does not decode them. */
export function decodePolicyDocument(text: string): PolicyDocument {
  try {
    return JSON.parse(text.trimStart().startsWith('{') ? text : decodeURIComponent(text)) as PolicyDocument;
  } catch {
    throw new InvalidPolicyDocument('the policy document could not be decoded');
  }
}

export function statementsOf(doc: PolicyDocument | undefined): PolicyStatement[] {
  const s = doc?.Statement;
  return s === undefined ? [] : Array.isArray(s) ? s : [s];
}

export function trustsService(doc: PolicyDocument, service: string): boolean {
  return statementsOf(doc).some((st) => {
    if (st.Effect !== 'Allow' || !st.Principal || st.Principal === '*') return false;
    const svc = st.Principal.Service;
    return svc === service || (Array.isArray(svc) && svc.includes(service));
  });
}

function toRole(ctx: CollectContext, raw: RoleDetail, policies: Map<string, ManagedPolicyDetail>): IamRole {
  const arn = raw.Arn ?? `arn:${ctx.partition}:iam::${ctx.accountId}:role${raw.Path ?? '/'}${raw.RoleName ?? ''}`;
  const gaps: Record<string, Gap> = {};
  const op = 'iam:GetAccountAuthorizationDetails';
  const role: IamRole = {
    kind: 'AwsIamRole',
    arn,
    name: raw.RoleName ?? '',
    accountId: ctx.accountId,
    region: 'global',
    tags: Object.fromEntries((raw.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
    RoleName: raw.RoleName ?? '',
    Arn: arn,
  };
  if (raw.RoleId) role.RoleId = raw.RoleId;
  if (raw.Path) role.Path = raw.Path;
  if (raw.CreateDate) role.CreateDate = raw.CreateDate.toISOString();
  if (raw.PermissionsBoundary) role.PermissionsBoundary = jsonSafe(raw.PermissionsBoundary);
  if (raw.RoleLastUsed) role.RoleLastUsed = jsonSafe(raw.RoleLastUsed);
  if (raw.AttachedManagedPolicies) role.AttachedManagedPolicies = jsonSafe(raw.AttachedManagedPolicies);

  if (raw.AssumeRolePolicyDocument !== undefined) {
    try {
      role.AssumeRolePolicyDocument = decodePolicyDocument(raw.AssumeRolePolicyDocument);
    } catch (err) {
      gaps.AssumeRolePolicyDocument = toGap(op, err);
    }
  }
  try {
    role.RolePolicyList = (raw.RolePolicyList ?? []).map((p) => ({
      PolicyName: p.PolicyName,
      PolicyDocument: p.PolicyDocument === undefined ? undefined : decodePolicyDocument(p.PolicyDocument),
    }));
  } catch (err) {
    gaps.RolePolicyList = toGap(op, err);
  }

  const awsManagedPrefix = `arn:${ctx.partition}:iam::aws:policy/`;
  const docs: NonNullable<IamRole['AttachedPolicyDocuments']> = [];
  for (const attached of raw.AttachedManagedPolicies ?? []) {
    const PolicyArn = attached.PolicyArn ?? '';
    if (PolicyArn.startsWith(awsManagedPrefix)) {
      docs.push({ PolicyArn });
      continue;
    }
    const policy = policies.get(PolicyArn);
    const version = policy?.PolicyVersionList?.find((v) => v.IsDefaultVersion || v.VersionId === policy.DefaultVersionId);
    try {
      if (version?.Document === undefined) {
        throw Object.assign(new Error(`default version of ${PolicyArn} not in the response`), { name: 'NotCollected' });
      }
      docs.push({ PolicyArn, Document: decodePolicyDocument(version.Document) });
    } catch (err) {
      gaps.AttachedPolicyDocuments = toGap(op, err);
    }
  }
  if (!gaps.AttachedPolicyDocuments) role.AttachedPolicyDocuments = docs;
  if (Object.keys(gaps).length > 0) role.gaps = gaps;
  return role;
}
