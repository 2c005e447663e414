// Organization-wide scope: member accounts from AWS Organizations, a read-only role assumed in each.
import {
  ListAccountsCommand, ListAccountsForParentCommand, ListOrganizationalUnitsForParentCommand, OrganizationsClient,
  type Account,
} from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import pLimit from 'p-limit';
import { ClientFactory, type ClientFactoryOptions, type Credentials } from '../aws/clients.js';
import { errorCode, errorMessage } from '../aws/errors.js';
import type { CollectionError } from '../model/index.js';
import type { AccountTarget } from './scope.js';
import { UsageError } from './errors.js';

/** The role assumed in each member account unless --role-name says otherwise (deploy/member-role.yaml creates it). */
export const DEFAULT_ROLE_NAME = 'LensAuditReadOnly';
/** Session name that identifies the tool in the member account's CloudTrail. */
export const SESSION_NAME = 'lens-audit';

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

async function pages<T>(fetch: (token?: string) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const p = await fetch(token);
    out.push(...p.items);
    token = p.next;
  } while (token);
  return out;
}

/** Active member accounts, optionally only those under the given OUs (recursively). */
export async function discoverAccounts(client: OrganizationsClient, ous?: string[]): Promise<Account[]> {
  if (!ous || ous.length === 0) {
    const all = await pages((NextToken) => client.send(new ListAccountsCommand({ NextToken })).then((r) => ({ items: r.Accounts ?? [], next: r.NextToken })));
    return all.filter((a) => a.Status === 'ACTIVE' || (a as { State?: string }).State === 'ACTIVE');
  }
  const found = new Map<string, Account>();
  const visit = async (parentId: string): Promise<void> => {
    const accounts = await pages((NextToken) => client.send(new ListAccountsForParentCommand({ ParentId: parentId, NextToken })).then((r) => ({ items: r.Accounts ?? [], next: r.NextToken })));
    for (const a of accounts) if (a.Id && (a.Status === 'ACTIVE' || (a as { State?: string }).State === 'ACTIVE')) found.set(a.Id, a);
    const children = await pages((NextToken) => client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parentId, NextToken })).then((r) => ({ items: r.OrganizationalUnits ?? [], next: r.NextToken })));
    for (const ou of children) if (ou.Id) await visit(ou.Id);
  };
  for (const ou of ous) await visit(ou);
  return [...found.values()];
}

/**
 * Resolves the accounts to scan into targets with their own credentials. The caller's account keeps its own
 * credentials; every other account gets an assumed role. An account whose role cannot be assumed is an error entry
 * and is left out; the others go on.
 */
export async function organizationTargets(input: OrgScopeInput): Promise<{ targets: AccountTarget[]; errors: CollectionError[] }> {
  const errors: CollectionError[] = [];
  let ids: string[];
  if (input.org) {
    let accounts: Account[];
    try {
      accounts = await discoverAccounts(input.factory.get(OrganizationsClient, input.homeRegion), input.ous);
    } catch (err) {
      throw new UsageError(`--org: cannot list the organization's accounts (${errorCode(err)}: ${errorMessage(err)}); run from the management or a delegated administrator account, or pass --accounts`);
    }
    ids = accounts.map((a) => a.Id!).filter(Boolean);
    if (input.accounts && input.accounts.length > 0) ids = ids.filter((id) => input.accounts!.includes(id));
  } else {
    ids = input.accounts ?? [];
  }
  const exclude = new Set(input.excludeAccounts ?? []);
  ids = [...new Set(ids)].filter((id) => !exclude.has(id)).sort();
  for (const id of ids) if (!/^\d{12}$/.test(id)) throw new UsageError(`"${id}" is not an AWS account id (12 digits)`);

  const roleName = input.roleName ?? DEFAULT_ROLE_NAME;
  const baseCredentials = input.aws?.credentials ?? input.factory.options.credentials;
  const assume =
    input.assumeRole ??
    ((roleArn: string, externalId: string | undefined) =>
      fromTemporaryCredentials({
        params: { RoleArn: roleArn, RoleSessionName: SESSION_NAME, DurationSeconds: 3600, ...(externalId ? { ExternalId: externalId } : {}) },
        ...(baseCredentials ? { masterCredentials: baseCredentials as never } : {}),
        clientConfig: { region: input.homeRegion, ...(input.aws?.profile && !baseCredentials ? { profile: input.aws.profile } : {}) },
      }));

  const limit = pLimit(8);
  const results = await Promise.all(
    ids.map((accountId) =>
      limit(async (): Promise<AccountTarget | undefined> => {
        if (accountId === input.callerAccountId) return { accountId };
        const roleArn = `arn:${input.partition}:iam::${accountId}:role/${roleName}`;
        const factory = new ClientFactory({ ...input.factory.options, counter: undefined, profile: undefined, credentials: assume(roleArn, input.externalId) });
        try {
          // Assume once up front: a role that cannot be assumed costs one error entry, not one per collector.
          const id = await factory.get(STSClient, input.homeRegion).send(new GetCallerIdentityCommand({}));
          if (id.Account !== accountId) throw Object.assign(new Error(`assumed role is in account ${id.Account}, not ${accountId}`), { name: 'WrongAccount' });
          return { accountId, factory };
        } catch (err) {
          errors.push({ accountId, region: 'global', service: 'sts', operation: 'sts:AssumeRole', code: errorCode(err), message: `cannot assume ${roleArn}: ${errorMessage(err)}` });
          return undefined;
        }
      }),
    ),
  );
  return { targets: results.filter((t): t is AccountTarget => t !== undefined), errors };
}
