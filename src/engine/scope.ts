// Scope resolution: which accounts and regions to scan, with which credentials.
import { AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { loadSharedConfigFiles } from '@smithy/core/config';
import type { ClientFactory, ClientFactoryOptions } from '../aws/clients.js';
import { errorCode, errorMessage, isUnreachable } from '../aws/errors.js';
import type { CollectionError } from '../model/index.js';
import { regionPartition } from './regions.js';
import { NothingAssessedError, UsageError } from './errors.js';
import { organizationTargets, type AccountTarget, type OrgScopeInput } from './organization.js';

export interface ResolvedTarget {
  accountId: string;
  partition: string;
  regions: string[];
  factory?: ClientFactory;
  /** The account's name in AWS Organizations, when the scope came from it. */
  name?: string;
}

export interface ScopeInput {
  factory: ClientFactory;
  regions?: string[] | 'all';
  /** Explicit targets (already with credentials). */
  accounts?: AccountTarget[];
  /** Organization / multi-account options (--org, --ou, --accounts, --exclude-accounts, --role-name, --external-id). */
  organization?: Omit<OrgScopeInput, 'factory' | 'homeRegion' | 'callerAccountId' | 'partition' | 'aws'>;
  aws?: ClientFactoryOptions;
}

/** Fails with a one-line usage error when a named profile does not exist in ~/.aws/config or ~/.aws/credentials. */
export async function assertProfileExists(profile: string): Promise<void> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles();
  if (!configFile[profile] && !credentialsFile[profile]) {
    const known = [...new Set([...Object.keys(configFile), ...Object.keys(credentialsFile)])].filter((p) => !p.includes(' '));
    throw new UsageError(`unknown profile "${profile}"${known.length ? ` (profiles found: ${known.slice(0, 10).join(', ')})` : ' (no AWS config or credentials file found)'}`);
  }
}

/** The region the environment or profile names (AWS_REGION, AWS_DEFAULT_REGION, the profile's `region`). */
export async function defaultRegion(factory: ClientFactory): Promise<string> {
  // The AWS CLI's order: AWS_REGION, then AWS_DEFAULT_REGION (which the SDK for JavaScript ignores), then the profile.
  const fromEnv = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION;
  if (fromEnv) return fromEnv;
  try {
    const client = factory.create(STSClient, undefined as unknown as string);
    const region = await (client as unknown as { config: { region: () => Promise<string> } }).config.region();
    if (region) return region;
  } catch {
    // fall through to the usage error
  }
  throw new UsageError('no region: pass --regions (e.g. --regions us-east-1,eu-west-1 or --regions all), set AWS_REGION, or set a region in the profile');
}

/** The regions enabled for the account: Account ListRegions, else EC2 DescribeRegions. */
export async function enabledRegions(factory: ClientFactory, homeRegion: string, accountId: string, errors: CollectionError[]): Promise<string[]> {
  try {
    const out: string[] = [];
    let token: string | undefined;
    do {
      const page = await factory.get(AccountClient, homeRegion).send(
        new ListRegionsCommand({ RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'], MaxResults: 50, NextToken: token }),
      );
      out.push(...(page.Regions ?? []).map((r) => r.RegionName!).filter(Boolean));
      token = page.NextToken;
    } while (token);
    if (out.length > 0) return out.sort();
  } catch (err) {
    errors.push({ accountId, region: homeRegion, service: 'account', operation: 'account:ListRegions', code: errorCode(err), message: errorMessage(err) });
  }
  try {
    const page = await factory.get(EC2Client, homeRegion).send(new DescribeRegionsCommand({ AllRegions: false }));
    const out = (page.Regions ?? []).map((r) => r.RegionName!).filter(Boolean);
    if (out.length > 0) return out.sort();
  } catch (err) {
    errors.push({ accountId, region: homeRegion, service: 'ec2', operation: 'ec2:DescribeRegions', code: errorCode(err), message: errorMessage(err) });
  }
  // Neither call worked: scan the home region only, and say so in errors.
  return [homeRegion];
}

export async function callerAccount(factory: ClientFactory, region: string): Promise<{ accountId: string; partition: string; arn: string }> {
  try {
    const id = await factory.get(STSClient, region).send(new GetCallerIdentityCommand({}));
    const arn = id.Arn ?? '';
    return { accountId: id.Account!, partition: arn.split(':')[1] || regionPartition(region), arn };
  } catch (err) {
    const code = errorCode(err);
    const msg = errorMessage(err);
    if (/could not be found|Could not resolve credentials using profile/i.test(msg)) throw new UsageError(`credentials: ${msg}`);
    // A timeout, a refused or reset connection (named unreachable by the client), or a region the breaker skipped.
    if ((isUnreachable(err) && !/Expired/i.test(code)) || /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|getaddrinfo|connect/i.test(`${code} ${msg}`)) {
      throw new NothingAssessedError(`cannot reach the AWS endpoint (${code}: ${msg}); check --endpoint-url / AWS_ENDPOINT_URL and the network`);
    }
    throw new NothingAssessedError(`no valid credentials: sts:GetCallerIdentity failed with ${code}: ${msg}`);
  }
}

/** The scope of a live run, and who runs it (the auditor account: Security Hub's central mode imports there). */
export interface ResolvedScope {
  targets: ResolvedTarget[];
  errors: CollectionError[];
  caller: { accountId: string; partition: string };
}

export async function resolveScope(input: ScopeInput): Promise<ResolvedScope> {
  const { factory } = input;
  const errors: CollectionError[] = [];
  // AWS_PROFILE names a profile as --profile does (unless keys in the environment win, as in the SDK's chain).
  const profile = input.aws?.profile ?? (process.env.AWS_ACCESS_KEY_ID ? undefined : process.env.AWS_PROFILE || undefined);
  if (profile) await assertProfileExists(profile);
  const home = Array.isArray(input.regions) && input.regions.length > 0 ? input.regions[0]! : await defaultRegion(factory);
  const me = await callerAccount(factory, home);
  const caller = { accountId: me.accountId, partition: me.partition };
  const regionsFor = async (f: ClientFactory, accountId: string) =>
    input.regions === 'all' ? enabledRegions(f, home, accountId, errors) : input.regions && input.regions.length > 0 ? input.regions : [home];

  const org = input.organization;
  if (org && (org.org || (org.accounts && org.accounts.length > 0))) {
    const found = await organizationTargets({ ...org, factory, homeRegion: home, callerAccountId: caller.accountId, partition: caller.partition, aws: input.aws });
    errors.push(...found.errors);
    if (found.targets.length === 0) {
      throw new NothingAssessedError(`no account could be scanned${found.errors[0] ? `: ${found.errors[0].message}` : ''}`);
    }
    // Per account: the regions enabled there, intersected with --regions.
    const targets: ResolvedTarget[] = await Promise.all(
      found.targets.map(async (t) => {
        const f = t.factory ?? factory;
        const enabled = await enabledRegions(f, home, t.accountId, errors);
        const regions = Array.isArray(input.regions) && input.regions.length > 0 ? input.regions.filter((r) => enabled.includes(r)) : input.regions === 'all' ? enabled : enabled.includes(home) ? [home] : [];
        return { accountId: t.accountId, partition: caller.partition, regions, ...(t.factory ? { factory: t.factory } : {}), ...(t.name ? { name: t.name } : {}) };
      }),
    );
    return { targets: targets.filter((t) => t.regions.length > 0), errors, caller };
  }
  if (!input.accounts || input.accounts.length === 0) {
    return { targets: [{ accountId: caller.accountId, partition: caller.partition, regions: await regionsFor(factory, caller.accountId) }], errors, caller };
  }
  const targets: ResolvedTarget[] = [];
  for (const a of input.accounts) {
    const f = a.factory ?? factory;
    targets.push({ accountId: a.accountId, partition: caller.partition, regions: a.regions ?? (await regionsFor(f, a.accountId)), ...(a.factory ? { factory: a.factory } : {}), ...(a.name ? { name: a.name } : {}) });
  }
  return { targets, errors, caller };
}
