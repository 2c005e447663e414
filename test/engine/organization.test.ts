import { AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import {
  ListAccountsCommand, ListAccountsForParentCommand, ListOrganizationalUnitsForParentCommand, OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClientFactory } from '../../src/aws/clients.js';
import type { Collector } from '../../src/collect/types.js';
import { discoverAccounts, organizationTargets } from '../../src/engine/organization.js';
import { runAudit } from '../../src/engine/run-audit.js';
import type { Check } from '../../src/model/index.js';
import noTracing from '../../checks/lambda/no-tracing.js';

const MGMT = '111111111111';
const A = '222222222222';
const B = '333333333333';
const C = '444444444444';
const acct = (Id: string, Status: 'ACTIVE' | 'SUSPENDED' = 'ACTIVE') => ({ Id, Arn: `arn:aws:organizations::${MGMT}:account/o-abc/${Id}`, Email: `${Id}@example.com`, Name: `acct-${Id}`, Status, JoinedMethod: 'CREATED' as const });

const orgs = mockClient(OrganizationsClient);
const sts = mockClient(STSClient);
const account = mockClient(AccountClient);
const lambda = mockClient(LambdaClient);

/** Credentials whose access key names the account, so a mock can tell whose credentials a call used. */
const assumeRole = (roleArn: string) => ({ accessKeyId: `AKID-${roleArn.split(':')[4]}`, secretAccessKey: 'x', sessionToken: 't' });
const callerFactory = () => new ClientFactory({ credentials: { accessKeyId: `AKID-${MGMT}`, secretAccessKey: 'x' } });
async function accessKeyOf(getClient: () => unknown): Promise<string> {
  const creds = (getClient() as { config: { credentials: () => Promise<{ accessKeyId: string }> } }).config.credentials;
  return (await creds()).accessKeyId;
}

beforeEach(() => {
  for (const m of [orgs, sts, account, lambda]) m.reset();
  sts.on(GetCallerIdentityCommand).callsFake(async (_input, getClient) => {
    const key = await accessKeyOf(getClient);
    const id = key.replace('AKID-', '');
    if (id === C) throw Object.assign(new Error(`User: arn:aws:sts::${MGMT}:assumed-role/auditor is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${C}:role/LensAuditReadOnly`), { name: 'AccessDenied' });
    return { Account: id, Arn: `arn:aws:sts::${id}:assumed-role/LensAuditReadOnly/lens-audit`, UserId: 'AROA:lens-audit' };
  });
  account.on(ListRegionsCommand).resolves({ Regions: [{ RegionName: 'us-east-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' }, { RegionName: 'eu-west-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' }] });
});
afterEach(() => {
  for (const m of [orgs, sts, account, lambda]) m.reset();
});

describe('organization discovery', () => {
  it('pages through ListAccounts and keeps active accounts only', async () => {
    orgs.on(ListAccountsCommand, { NextToken: undefined }).resolves({ Accounts: [acct(MGMT), acct(A)], NextToken: 'page2' });
    orgs.on(ListAccountsCommand, { NextToken: 'page2' }).resolves({ Accounts: [acct(B), acct(C, 'SUSPENDED')] });
    const found = await discoverAccounts(new OrganizationsClient({ region: 'us-east-1' }));
    expect(found.map((a) => a.Id)).toEqual([MGMT, A, B]);
    expect(orgs.commandCalls(ListAccountsCommand)).toHaveLength(2);
  });

  it('walks OUs recursively, with pagination, for --ou', async () => {
    orgs.on(ListAccountsForParentCommand, { ParentId: 'ou-root-aaaa' }).resolves({ Accounts: [acct(A)], NextToken: 'n1' });
    orgs.on(ListAccountsForParentCommand, { ParentId: 'ou-root-aaaa', NextToken: 'n1' }).resolves({ Accounts: [acct(C, 'SUSPENDED')] });
    orgs.on(ListAccountsForParentCommand, { ParentId: 'ou-nested-bbbb' }).resolves({ Accounts: [acct(B)] });
    orgs.on(ListOrganizationalUnitsForParentCommand, { ParentId: 'ou-root-aaaa' }).resolves({ OrganizationalUnits: [{ Id: 'ou-nested-bbbb', Name: 'nested', Arn: 'arn:aws:organizations::1:ou/o-abc/ou-nested-bbbb' }] });
    orgs.on(ListOrganizationalUnitsForParentCommand, { ParentId: 'ou-nested-bbbb' }).resolves({ OrganizationalUnits: [] });
    const found = await discoverAccounts(new OrganizationsClient({ region: 'us-east-1' }), ['ou-root-aaaa']);
    expect(found.map((a) => a.Id).sort()).toEqual([A, B]);
    expect(orgs.commandCalls(ListAccountsCommand)).toHaveLength(0);
  });

  it('applies --accounts as a filter and --exclude-accounts, and reports an account whose role cannot be assumed', async () => {
    orgs.on(ListAccountsCommand).resolves({ Accounts: [acct(MGMT), acct(A), acct(B), acct(C)] });
    const { targets, errors } = await organizationTargets({
      factory: callerFactory(), homeRegion: 'us-east-1', callerAccountId: MGMT, partition: 'aws', org: true,
      excludeAccounts: [B], assumeRole,
    });
    expect(targets.map((t) => t.accountId)).toEqual([MGMT, A]);
    expect(targets.find((t) => t.accountId === MGMT)!.factory).toBeUndefined(); // own credentials
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ accountId: C, operation: 'sts:AssumeRole', code: 'AccessDenied' });
    expect(errors[0]!.message).toContain(`arn:aws:iam::${C}:role/LensAuditReadOnly`);
  });
});

describe('organization account names (issue 18)', () => {
  it('carries the Organizations name of each account onto its target', async () => {
    orgs.on(ListAccountsCommand).resolves({ Accounts: [acct(MGMT), { ...acct(A), Name: undefined }, acct(B)] });
    const { targets } = await organizationTargets({
      factory: callerFactory(), homeRegion: 'us-east-1', callerAccountId: MGMT, partition: 'aws', org: true, assumeRole,
    });
    expect(targets.map((t) => [t.accountId, t.name])).toEqual([[MGMT, `acct-${MGMT}`], [A, undefined], [B, `acct-${B}`]]);
  });
});

describe('organization scan', () => {
  it('scans each account with its own credentials and goes on past one that fails', async () => {
    orgs.on(ListAccountsCommand).resolves({ Accounts: [acct(MGMT), acct(A), acct(C)] });
    const seen: { key: string; region: string }[] = [];
    lambda.on(ListFunctionsCommand).callsFake(async (_input, getClient) => {
      const key = await accessKeyOf(getClient);
      const region = await (getClient() as { config: { region: () => Promise<string> } }).config.region();
      seen.push({ key, region });
      const id = key.replace('AKID-', '');
      return { Functions: [{ FunctionName: `fn-${id}`, FunctionArn: `arn:aws:lambda:${region}:${id}:function:fn-${id}`, Role: `arn:aws:iam::${id}:role/r`, TracingConfig: { Mode: 'PassThrough' } }] };
    });
    const collector: Collector = {
      name: 'test-lambda', kinds: ['AwsLambdaFunction'], scope: 'region', operations: ['lambda:ListFunctions'],
      async collect(ctx) {
        const out = await ctx.client(LambdaClient).send(new ListFunctionsCommand({}));
        for (const f of out.Functions ?? []) {
          ctx.add({ kind: 'AwsLambdaFunction', arn: f.FunctionArn!, name: f.FunctionName!, accountId: ctx.accountId, region: ctx.region, tags: {}, FunctionName: f.FunctionName!, FunctionArn: f.FunctionArn!, Role: f.Role!, TracingConfig: f.TracingConfig });
        }
      },
    };
    const { report } = await runAudit({
      checks: [noTracing as unknown as Check],
      collectors: [collector],
      aws: { credentials: { accessKeyId: `AKID-${MGMT}`, secretAccessKey: 'x' } },
      regions: ['us-east-1', 'eu-west-1'],
      organization: { org: true, assumeRole },
    });
    // Every call went out with the credentials of the account it scanned.
    for (const r of report.results) expect(r.resourceArn).toContain(`:${r.accountId}:function:fn-${r.accountId}`);
    expect(new Set(seen.map((s) => s.key))).toEqual(new Set([`AKID-${MGMT}`, `AKID-${A}`]));
    expect(seen).toHaveLength(4); // 2 accounts × 2 regions
    expect(report.scope.accounts.sort()).toEqual([MGMT, A]);
    expect(report.stats.accountsAssessed).toBe(2);
    expect(report.stats.regionsAssessed).toBe(4);
    expect(report.errors.map((e) => e.accountId)).toEqual([C]);
    expect(report.stats.apiCalls['lambda:ListFunctions']).toBe(4);
    // The Organizations names of the scanned accounts, for the reports (issue 18).
    expect(report.accountNames).toEqual({ [MGMT]: `acct-${MGMT}`, [A]: `acct-${A}` });
  });
});

describe('the member role is assumed through the run\'s own endpoint', () => {
  it('sends AssumeRole to --endpoint-url (an emulator), with the external id, and uses what it answers', async () => {
    const { createServer } = await import('node:http');
    const { memberRoleCredentials } = await import('../../src/engine/organization.js');
    const bodies: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        bodies.push(body);
        res.setHeader('content-type', 'text/xml');
        // The STS query protocol's AssumeRole answer, as AWS shapes it.
        res.end(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIAMEMBER0000000001</AccessKeyId><SecretAccessKey>member-secret</SecretAccessKey><SessionToken>member-token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROAEXAMPLE:lens-audit</AssumedRoleId><Arn>arn:aws:sts::444455556666:assumed-role/LensAuditReadOnly/lens-audit</Arn></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata></AssumeRoleResponse>`);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const provider = memberRoleCredentials('arn:aws:iam::444455556666:role/LensAuditReadOnly', {
        externalId: 'ext-123', region: 'us-east-1', aws: { endpoint, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' } },
      }) as () => Promise<{ accessKeyId: string; sessionToken?: string }>;
      const creds = await provider();
      expect(creds.accessKeyId).toBe('ASIAMEMBER0000000001');
      expect(creds.sessionToken).toBe('member-token');
      expect(bodies[0]).toMatch(/Action=AssumeRole/);
      expect(bodies[0]).toMatch(/ExternalId=ext-123/);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
