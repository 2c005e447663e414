// Organization-wide scope: member accounts from AWS Organizations, a read-only role assumed in each.
import {
  ListAccountsCommand, ListAccountsForParentCommand, ListOrganizationalUnitsForParentCommand, OrganizationsClient,
  type Account,
} from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import pLimit from 'p-limit';
import { ClientFactory, DEFAULT_CONNECTION_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS, type ClientFactoryOptions, type Credentials } from '../aws/clients.js';
import { proxyAgents } from '../aws/proxy.js';
import { errorCode, errorMessage } from '../aws/errors.js';
import type { CollectionError } from '../model/index.js';
import { paginate } from '../aws/paginate.js';
import { memberRoleArn } from '../model/index.js';
import { UsageError } from './errors.js';

/** The role assumed in each member account unless --role-name says otherwise (deploy/member-role.yaml creates it). */
export { DEFAULT_ROLE_NAME } from '../model/arn.js';
import { DEFAULT_ROLE_NAME } from '../model/arn.js';
/** Session name that identifies the tool in the member account's CloudTrail. */
export const SESSION_NAME = 'lens-audit';

/** An account to scan. Without a factory, the caller's own credentials are used. */
export interface AccountTarget {
  accountId: string;
  /** Regions for this account (already intersected with the requested ones). */
  regions?: string[];
  factory?: ClientFactory;
  /** The account's name in AWS Organizations (organization scans), for display. */
  name?: string;
}

export interface OrgScopeInput {
  /** Factory with the caller's credentials (the management or delegated-admin account). */
  factory: ClientFactory;
  homeRegion: string;
  callerAccountId: string;
  partition: string;
  /** --org: discover accounts through Organizations. */
  org?: boolean;
  /** --ou: only accounts under these OUs (nested OUs included). */
  ous?: string[];
  /** --accounts: explicit ids (with --org: a filter; without: the list to scan). */
  accounts?: string[];
  excludeAccounts?: string[];
  roleName?: string;
  externalId?: string;
  /** Builds the credential provider for a member account (tests inject a fake). Default: STS AssumeRole, refreshed. */
  assumeRole?: (roleArn: string, externalId: string | undefined) => Credentials;
  aws?: ClientFactoryOptions;
}

/** Active member accounts, optionally only those under the given OUs (recursively). */
export async function discoverAccounts(client: OrganizationsClient, ous?: string[]): Promise<Account[]> {
  if (!ous || ous.length === 0) {
    const all = await paginate((NextToken) => client.send(new ListAccountsCommand({ NextToken })).then((r) => ({ items: r.Accounts ?? [], next: r.NextToken })));
    return all.filter((a) => a.Status === 'ACTIVE' || (a as { State?: string }).State === 'ACTIVE');
  }
  const found = new Map<string, Account>();
  const visit = async (parentId: string): Promise<void> => {
    const accounts = await paginate((NextToken) => client.send(new ListAccountsForParentCommand({ ParentId: parentId, NextToken })).then((r) => ({ items: r.Accounts ?? [], next: r.NextToken })));
    for (const a of accounts) if (a.Id && (a.Status === 'ACTIVE' || (a as { State?: string }).State === 'ACTIVE')) found.set(a.Id, a);
    const children = await paginate((NextToken) => client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parentId, NextToken })).then((r) => ({ items: r.OrganizationalUnits ?? [], next: r.NextToken })));
    for (const ou of children) if (ou.Id) await visit(ou.Id);
  };
  for (const ou of ous) await visit(ou);
  return [...found.values()];
}

export interface AccountSelection {
  /** Discover the accounts through Organizations (`scope.org`, `--org`); implied by `ous`. */
  org?: boolean;
  /** Only accounts under these OUs (nested OUs included). */
  ous?: string[];
  /** With org: a filter; without: the accounts to scan. */
  accounts?: string[];
  excludeAccounts?: string[];
  /** Without org or accounts: the one account scanned (the caller's). */
  callerAccountId?: string;
  organizations: () => OrganizationsClient;
  /** The error to throw when the organization cannot be listed (each entry point words its own remedy). */
  cannotList: (err: unknown) => Error;
}

/**
 * Stage 1 of a run: the accounts in scope. Organizations discovery (or the given ids, or the caller's account),
 * filtered by `accounts`, less `excludeAccounts`, without duplicates, sorted. Used by the CLI (through
 * organizationTargets) and by the Lambda plan step.
 */
export async function selectAccounts(s: AccountSelection): Promise<string[]> {
  return (await selectNamedAccounts(s)).ids;
}

/** selectAccounts, with the names Organizations gave the accounts it listed (id → Name). */
export async function selectNamedAccounts(s: AccountSelection): Promise<{ ids: string[]; names: Map<string, string> }> {
  const names = new Map<string, string>();
  let ids: string[];
  if (s.org || (s.ous && s.ous.length > 0)) {
    let found: Account[];
    try {
      found = await discoverAccounts(s.organizations(), s.ous);
    } catch (err) {
      throw s.cannotList(err);
    }
    ids = found.map((a) => a.Id ?? '').filter(Boolean);
    for (const a of found) if (a.Id && a.Name) names.set(a.Id, a.Name);
    if (s.accounts && s.accounts.length > 0) ids = ids.filter((id) => s.accounts!.includes(id));
  } else {
    ids = s.accounts && s.accounts.length > 0 ? s.accounts : s.callerAccountId ? [s.callerAccountId] : [];
  }
  const exclude = new Set(s.excludeAccounts ?? []);
  return { ids: [...new Set(ids)].filter((id) => !exclude.has(id)).sort(), names };
}

/**
 * Credentials of a member-account role (STS AssumeRole, refreshed), assumed with the auditor's credentials (or its
 * profile). The one place a member role is assumed: scans (organizationTargets) and Security Hub's member mode.
 */
export function memberRoleCredentials(
  roleArn: string,
  o: { externalId?: string; aws?: Pick<ClientFactoryOptions, 'credentials' | 'profile' | 'endpoint' | 'connectionTimeoutMs' | 'requestTimeoutMs'>; region: string; durationSeconds?: number },
): Credentials {
  const base = o.aws?.credentials;
  return fromTemporaryCredentials({
    params: { RoleArn: roleArn, RoleSessionName: SESSION_NAME, ...(o.durationSeconds ? { DurationSeconds: o.durationSeconds } : {}), ...(o.externalId ? { ExternalId: o.externalId } : {}) },
    ...(base ? { masterCredentials: base as never } : {}),
    // The STS client behind the role: the same endpoint (--endpoint-url: an emulator), timeouts and proxy as every
    // other client, so that an unreachable STS fails in seconds, not minutes.
    clientConfig: {
      region: o.region,
      ...(o.aws?.profile && !base ? { profile: o.aws.profile } : {}),
      ...(o.aws?.endpoint ? { endpoint: o.aws.endpoint } : {}),
      requestHandler: {
        connectionTimeout: o.aws?.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
        requestTimeout: o.aws?.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
        throwOnRequestTimeout: true,
        ...proxyAgents(),
      },
    },
  }) as Credentials;
}

/**
 * Resolves the accounts to scan into targets with their own credentials. The caller's account keeps its own
 * credentials; every other account gets an assumed role. An account whose role cannot be assumed is an error entry
 * and is left out; the others go on.
 */
export async function organizationTargets(input: OrgScopeInput): Promise<{ targets: AccountTarget[]; errors: CollectionError[] }> {
  const errors: CollectionError[] = [];
  const { ids, names } = await selectNamedAccounts({
    org: input.org ?? false, ous: input.org ? input.ous : undefined, accounts: input.accounts, excludeAccounts: input.excludeAccounts,
    organizations: () => input.factory.get(OrganizationsClient, input.homeRegion),
    cannotList: (err) => new UsageError(`--org: cannot list the organization's accounts (${errorCode(err)}: ${errorMessage(err)}); run from the management or a delegated administrator account, or pass --accounts`),
  });
  for (const id of ids) if (!/^\d{12}$/.test(id)) throw new UsageError(`"${id}" is not an AWS account id (12 digits)`);

  const roleName = input.roleName ?? DEFAULT_ROLE_NAME;
  const assume =
    input.assumeRole ??
    ((roleArn: string, externalId: string | undefined) =>
      memberRoleCredentials(roleArn, { externalId, aws: { ...input.aws, credentials: input.aws?.credentials ?? input.factory.options.credentials }, region: input.homeRegion, durationSeconds: 3600 }));

  const limit = pLimit(8);
  const results = await Promise.all(
    ids.map((accountId) =>
      limit(async (): Promise<AccountTarget | undefined> => {
        const name = names.get(accountId);
        const named = name ? { name } : {};
        if (accountId === input.callerAccountId) return { accountId, ...named };
        const roleArn = memberRoleArn(input.partition, accountId, roleName);
        const factory = new ClientFactory({ ...input.factory.options, counter: undefined, profile: undefined, credentials: assume(roleArn, input.externalId) });
        try {
          // Assume once up front: a role that cannot be assumed costs one error entry, not one per collector.
          const id = await factory.get(STSClient, input.homeRegion).send(new GetCallerIdentityCommand({}));
          if (id.Account !== accountId) throw Object.assign(new Error(`assumed role is in account ${id.Account}, not ${accountId}`), { name: 'WrongAccount' });
          return { accountId, factory, ...named };
        } catch (err) {
          errors.push({ accountId, region: 'global', service: 'sts', operation: 'sts:AssumeRole', code: errorCode(err), message: `cannot assume ${roleArn}: ${errorMessage(err)}` });
          return undefined;
        }
      }),
    ),
  );
  return { targets: results.filter((t): t is AccountTarget => t !== undefined), errors };
}
