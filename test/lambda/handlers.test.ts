// The Lambda handlers invoked locally with the events the state machine sends, in the order it sends them, over a
// dynalite state table. AWS calls outside the table are mocked (STS, Organizations, Account, Security Hub, Secrets
// Manager); the collectors are fakes that check they run with the scanned account's credentials.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import { ListAccountsCommand, OrganizationsClient, type Account } from '@aws-sdk/client-organizations';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { BatchImportFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeIamCollector } from '../fixtures/fake-iam-collector.js';
import iamExecRoleWildcard from '../../checks/iam/exec-role-wildcard.js';
import lambdaNoTracing from '../../checks/lambda/no-tracing.js';
import lambdaSharedRole from '../../checks/lambda/shared-role.js';
import type { Collector } from '../../src/collect/types.js';
import { silentLogger } from '../../src/collect/types.js';
import { makeResource } from '../../src/engine/examples.js';
import { createHandlers, type AccountPartial, type HandlerDeps, type Handlers, type RegionsPartial } from '../../src/lambda/handlers.js';
import { Partials } from '../../src/lambda/partials.js';
import type { RuntimeConfig } from '../../src/lambda/config.js';
import type { Check, LambdaFunction } from '../../src/model/index.js';
import { FAKE_CREDENTIALS, startDynalite, type LocalDynamo } from './dynalite.js';

const AUDITOR = '999900001111';
const A = '111122223333';
const B = '444455556666';
const DENIED = '777788889999';
const SUSPENDED = '222233334444';
const EXCLUDED = '555566667777';
const SHARED_ROLE = `arn:aws:iam::${A}:role/shared`;
const CHECKS = [lambdaNoTracing, lambdaSharedRole, iamExecRoleWildcard] as unknown as Check[];

const sts = mockClient(STSClient);
const orgs = mockClient(OrganizationsClient);
const account = mockClient(AccountClient);
const securityHub = mockClient(SecurityHubClient);
const secrets = mockClient(SecretsManagerClient);

let db: LocalDynamo;
let slack: Server;
let slackPosts: { text: string }[];
let webhook: string;

/** Functions per account and region, as the fake Lambda collector finds them. Tests change it between runs. */
let functions: Record<string, Record<string, { name: string; tracing: 'Active' | 'PassThrough'; role: string }[]>>;
let assumed: { roleArn: string; externalId: string | undefined }[];
let imported: AwsSecurityFinding[][];

/** The account behind a client's credentials (the auditor's own, or an assumed member role's). */
async function accountOf(getClient: () => unknown): Promise<string> {
  const client = getClient() as { config: { credentials: () => Promise<{ accessKeyId: string }> } };
  const creds = await client.config.credentials();
  return creds.accessKeyId === FAKE_CREDENTIALS.accessKeyId ? AUDITOR : creds.accessKeyId.slice(-12);
}

const lambdaCollector: Collector = {
  name: 'fake-lambda',
  kinds: ['AwsLambdaFunction'],
  scope: 'region',
  operations: [],
  async collect(ctx) {
    // The scan must run with the scanned account's credentials.
    const id = await ctx.client(STSClient).send(new GetCallerIdentityCommand({}));
    if (id.Account !== ctx.accountId) throw new Error(`collecting ${ctx.accountId} with the credentials of ${id.Account}`);
    for (const f of functions[ctx.accountId]?.[ctx.region] ?? []) {
      ctx.add(makeResource('AwsLambdaFunction', { name: f.name, accountId: ctx.accountId, region: ctx.region, Role: f.role, TracingConfig: { Mode: f.tracing } }) as LambdaFunction);
    }
  },
};

const iamCollector = fakeIamCollector;

const CONFIG: RuntimeConfig = {
  scope: { org: true, regions: ['us-east-1', 'eu-west-1'], roleName: 'LensAuditReadOnly', externalId: 'ext-123', excludeAccounts: [EXCLUDED] },
  audit: {},
  securityHub: true,
  slack: { always: false },
};

let metricLines: string[];
let written: { key: string; body: string; contentType: string }[];

function handlers(table: string, config: RuntimeConfig = CONFIG, extra: Partial<HandlerDeps> = {}): Handlers {
  const deps: HandlerDeps = {
    emitMetrics: (line) => metricLines.push(line),
    config,
    table,
    region: 'us-east-1',
    slackSecretArn: 'arn:aws:secretsmanager:us-east-1:999900001111:secret:lens-audit/slack-webhook-AbCdEf',
    // Anything not mocked goes to a closed local port, never to AWS.
    aws: { credentials: FAKE_CREDENTIALS, endpoint: 'http://127.0.0.1:9', maxAttempts: 1 },
    sinkAws: { credentials: FAKE_CREDENTIALS, endpoint: db.endpoint, maxAttempts: 1 },
    collectors: [lambdaCollector, iamCollector],
    checks: CHECKS,
    assumeRole: (roleArn, externalId) => {
      assumed.push({ roleArn, externalId });
      const id = roleArn.split(':')[4]!;
      if (id === DENIED) return async () => { throw Object.assign(new Error(`User is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`), { name: 'AccessDenied' }); };
      return { accessKeyId: `ASIAFAKE${id}`, secretAccessKey: 'example', sessionToken: 'example' };
    },
    log: silentLogger,
    ...extra,
  };
  return createHandlers(deps);
}

/** What the state machine does: plan, per account regions → scan per region → evaluate, then finalize. */
async function runStateMachine(h: Handlers, runId: string, startedAt: string, o: { skipScan?: (accountId: string, region: string) => boolean } = {}) {
  const run = { runId, startedAt };
  const plan = await h.plan(run);
  for (const accountId of plan.accounts) {
    const resolved = (await h.scanner({ action: 'regions', ...run, accountId })) as { regions: string[] };
    for (const region of resolved.regions) {
      // A skipped item is one whose Lambda timed out on every attempt: the Map catches it and goes on.
      if (o.skipScan?.(accountId, region)) continue;
      await h.scanner({ action: 'scan', ...run, accountId, region });
    }
    await h.scanner({ action: 'evaluate', ...run, accountId, regions: resolved.regions });
  }
  return { plan, final: await h.finalize(run) };
}

beforeAll(async () => {
  db = await startDynalite();
  slack = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      slackPosts.push(JSON.parse(body) as { text: string });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => slack.listen(0, '127.0.0.1', resolve));
  webhook = `http://127.0.0.1:${(slack.address() as AddressInfo).port}/services/T0000/B0000/abcdefabcdefabcdefabcdef`;
});
afterAll(async () => {
  await db.close();
  await new Promise((resolve) => slack.close(resolve));
  sts.restore();
  orgs.restore();
  account.restore();
  securityHub.restore();
  secrets.restore();
});

beforeEach(() => {
  slackPosts = [];
  metricLines = [];
  written = [];
  assumed = [];
  imported = [];
  functions = {
    [A]: {
      'us-east-1': [{ name: 'api', tracing: 'PassThrough', role: SHARED_ROLE }],
      'eu-west-1': [{ name: 'worker', tracing: 'Active', role: SHARED_ROLE }],
    },
    [B]: { 'us-east-1': [{ name: 'solo', tracing: 'Active', role: `arn:aws:iam::${B}:role/solo` }] },
  };
  for (const m of [sts, orgs, account, securityHub, secrets]) m.reset();
  sts.on(GetCallerIdentityCommand).callsFake(async (_input, getClient) => {
    const id = await accountOf(getClient);
    return { Account: id, Arn: id === AUDITOR ? `arn:aws:sts::${id}:assumed-role/LensAuditScanner/fn` : `arn:aws:sts::${id}:assumed-role/LensAuditReadOnly/lens-audit`, UserId: 'AROAEXAMPLE:lens-audit' };
  });
  const acct = (Id: string, Status: 'ACTIVE' | 'SUSPENDED' = 'ACTIVE'): Account => ({ Id, Arn: `arn:aws:organizations::${AUDITOR}:account/o-example/${Id}`, Email: `${Id}@example.com`, Name: Id, Status, JoinedMethod: 'CREATED' });
  orgs.on(ListAccountsCommand, { NextToken: undefined }).resolves({ Accounts: [acct(A), acct(SUSPENDED, 'SUSPENDED'), acct(AUDITOR)], NextToken: 'page-2' });
  orgs.on(ListAccountsCommand, { NextToken: 'page-2' }).resolves({ Accounts: [acct(B), acct(DENIED), acct(EXCLUDED)] });
  account.on(ListRegionsCommand).callsFake(async (_input, getClient) => {
    const id = await accountOf(getClient);
    const enabled = id === A ? ['ap-south-1', 'eu-west-1', 'us-east-1'] : ['us-east-1'];
    return { Regions: enabled.map((RegionName) => ({ RegionName, RegionOptStatus: RegionName === 'ap-south-1' ? 'ENABLED' : 'ENABLED_BY_DEFAULT' })) };
  });
  securityHub.on(BatchImportFindingsCommand).callsFake((input: { Findings: AwsSecurityFinding[] }) => {
    imported.push(input.Findings);
    return { FailedCount: 0, SuccessCount: input.Findings.length, FailedFindings: [] };
  });
  secrets.on(GetSecretValueCommand).callsFake(() => ({
    ARN: 'arn:aws:secretsmanager:us-east-1:999900001111:secret:lens-audit/slack-webhook-AbCdEf', Name: 'lens-audit/slack-webhook',
    VersionId: 'v1', SecretString: webhook, VersionStages: ['AWSCURRENT'],
  }));
});

describe('scheduled scan handlers', () => {
  it('plans the organization, scans each account-region with its own credentials, evaluates per account and reports', async () => {
    const table = await db.newTable();
    const h = handlers(table);
    const { plan, final } = await runStateMachine(h, 'run-1', '2026-06-01T03:00:00.000Z');

    // Active accounts of both pages, less the excluded one.
    expect(plan.accounts).toEqual([A, B, DENIED, AUDITOR].sort());
    expect(orgs.commandCalls(ListAccountsCommand)).toHaveLength(2);
    // Member roles assumed with the configured name and external id; the auditor account uses its own credentials.
    expect(new Set(assumed.map((a) => a.roleArn))).toEqual(new Set([A, B, DENIED].map((id) => `arn:aws:iam::${id}:role/LensAuditReadOnly`)));
    expect(assumed.every((a) => a.externalId === 'ext-123')).toBe(true);

    // Regions: configured ∩ enabled (A has both, B only us-east-1); the denied account has none and says why.
    const partials = new Partials(db.client, table);
    expect((await partials.get<RegionsPartial>('run-1', `REGIONS#${A}`))!.regions).toEqual(['us-east-1', 'eu-west-1']);
    expect((await partials.get<RegionsPartial>('run-1', `REGIONS#${B}`))!.regions).toEqual(['us-east-1']);
    const denied = (await partials.get<RegionsPartial>('run-1', `REGIONS#${DENIED}`))!;
    expect(denied.regions).toEqual([]);
    expect(denied.errors[0]!.message).toMatch(/cannot assume arn:aws:iam::777788889999:role\/LensAuditReadOnly/);

    // Account-wide evaluation: api (us-east-1) and worker (eu-west-1) share a role across regions, and the IAM
    // step saw both functions' roles.
    const a = (await partials.get<AccountPartial>('run-1', `ACCOUNT#${A}`))!;
    const fails = a.results.filter((r) => r.status === 'FAIL').map((r) => `${r.checkId} ${r.resourceName}`).sort();
    expect(fails).toEqual(['iam.exec-role-wildcard shared', 'lambda.no-tracing api', 'lambda.shared-role api', 'lambda.shared-role worker']);
    expect(a.regions.map((r) => r.region).sort()).toEqual(['eu-west-1', 'global', 'us-east-1']);

    expect(final.accounts).toBe(4);
    expect(final.accountsIncomplete).toEqual([]);
    expect(final.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(final.summary.fail).toBe(5); // A's four + B's role wildcard
    expect(final.history).toEqual({ new: 5, persisting: 0, resolved: 0, kept: 0 });
    expect(final.errors).toBeGreaterThanOrEqual(1); // the denied account

    // Security Hub, central mode: every finding imported into the auditor account, the audited account in ProductFields.
    expect(final.securityHub).toEqual({ imported: 5, archived: 0, failed: 0, unchanged: 0 });
    const findings = imported.flat();
    expect(findings.every((f) => f.AwsAccountId === AUDITOR && f.ProductArn!.includes(`:${AUDITOR}:product/${AUDITOR}/default`))).toBe(true);
    expect(findings.map((f) => f.ProductFields!['lens-audit/ResourceAccountId']).sort()).toEqual([A, A, A, A, B]);

    // One Slack digest with the new findings.
    expect(final.slack).toBe('posted');
    expect(slackPosts).toHaveLength(1);
    expect(slackPosts[0]!.text).toMatch(/^lens-audit: 5 new findings/);

    // The history is in the table under the same keys the CLI's --store dynamodb:// reads.
    const keys = (await db.scanAll(table)).map((i) => i.PK!.S!);
    expect(keys).toContain(`ACCT#${A}`);
    expect(keys).toContain('RUN#run-1');
  });

  it('a region whose scan never completed is not assessed: its findings and cross-region ones are kept, the rest resolves', async () => {
    const table = await db.newTable();
    await runStateMachine(handlers(table), 'run-1', '2026-06-01T03:00:00.000Z');
    slackPosts = [];
    imported = [];

    // Next night: api gets tracing; the scan of A/eu-west-1 times out on every attempt.
    functions[A]!['us-east-1'] = [{ name: 'api', tracing: 'Active', role: SHARED_ROLE }];
    const { final } = await runStateMachine(handlers(table), 'run-2', '2026-06-02T03:00:00.000Z', { skipScan: (id, r) => id === A && r === 'eu-west-1' });

    // no-tracing on api resolves (us-east-1 was assessed). shared-role on api cannot be judged without eu-west-1
    // (NOT_ASSESSED, kept); worker's findings are in the failed region (kept). The roles still fail (persisting).
    expect(final.history).toEqual({ new: 0, persisting: 2, resolved: 1, kept: 2 });
    const a = (await new Partials(db.client, table).get<AccountPartial>('run-2', `ACCOUNT#${A}`))!;
    expect(a.errors.find((e) => e.code === 'ScanIncomplete')).toMatchObject({ accountId: A, region: 'eu-west-1' });
    expect(a.results.find((r) => r.checkId === 'lambda.shared-role' && r.resourceName === 'api')!.status).toBe('NOT_ASSESSED');

    // Only what changed goes to Security Hub: of the two persisting findings, the one whose text changed is imported
    // again, the other is not (it was accepted last night); the resolved one is archived.
    expect(final.securityHub).toEqual({ imported: 1, archived: 1, failed: 0, unchanged: 1 });
    expect(final.pending).toEqual({ slackNew: 0, securityHubImport: 0, securityHubArchive: 0 });
    expect(imported.flat().find((f) => f.RecordState === 'ARCHIVED')!.ProductFields!['lens-audit/ResourceName']).toBe('api');
    // Nothing new this run: no Slack message (only the resolved one changed; --slack-always would post it).
    expect(slackPosts).toHaveLength(0);
  });

  it('finalize is idempotent on retry: same history outcome, no second Slack post', async () => {
    const table = await db.newTable();
    const h = handlers(table);
    const { final } = await runStateMachine(h, 'run-1', '2026-06-01T03:00:00.000Z');
    const again = await h.finalize({ runId: 'run-1', startedAt: '2026-06-01T03:00:00.000Z' });
    expect(again.history).toEqual(final.history);
    expect(again.slack).toBe('already-posted');
    expect(slackPosts).toHaveLength(1);
  });

  it('an account whose steps never ran is reported incomplete and keeps its findings', async () => {
    const table = await db.newTable();
    const h = handlers(table);
    await runStateMachine(h, 'run-1', '2026-06-01T03:00:00.000Z');
    // run-2: only the plan and finalize ran (the whole fan-out failed).
    await h.plan({ runId: 'run-2', startedAt: '2026-06-02T03:00:00.000Z' });
    const final = await h.finalize({ runId: 'run-2', startedAt: '2026-06-02T03:00:00.000Z' });
    expect(final.accountsIncomplete).toEqual([A, B, DENIED, AUDITOR].sort());
    expect(final.history).toEqual({ new: 0, persisting: 0, resolved: 0, kept: 5 });
  });

  it('writes report.html and report.json under a dated prefix and latest/, links the report in Slack, publishes run health', async () => {
    const table = await db.newTable();
    const h = handlers(table, CONFIG, {
      reportBucket: 'lens-audit-reports-example', stackName: 'LensAudit',
      reportWriter: { put: async (key, body, contentType) => void written.push({ key, body, contentType }) },
    });
    const { final } = await runStateMachine(h, 'run-1', '2026-06-01T03:00:00.000Z');
    expect(final.reports).toEqual(['reports/2026/06/01/run-1/report.html', 'reports/2026/06/01/run-1/report.json', 'latest/report.html', 'latest/report.json']);
    expect(written.map((w) => w.key).sort()).toEqual([...final.reports].sort());
    const json = JSON.parse(written.find((w) => w.key === 'latest/report.json')!.body);
    expect(json).toMatchObject({ schemaVersion: 1, runId: 'run-1', summary: { fail: 5, new: 5 } });
    expect(written.find((w) => w.key.endsWith('report.html'))!.contentType).toMatch(/^text\/html/);
    // The digest links the run's own HTML report in the S3 console.
    expect(JSON.stringify(slackPosts[0])).toContain('https://s3.console.aws.amazon.com/s3/object/lens-audit-reports-example?region=us-east-1&prefix=reports%2F2026%2F06%2F01%2Frun-1%2Freport.html');
    // Run health in embedded metric format: the denied account is not assessed, the run succeeded.
    expect(final.status).toBe('SUCCEEDED');
    expect(final.accountsNotAssessed).toEqual([DENIED]);
    const emf = JSON.parse(metricLines[0]!);
    expect(emf._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'LensAudit', Dimensions: [['Stack']] });
    expect(emf).toMatchObject({ Stack: 'LensAudit', RunSucceeded: 1, AccountsAssessed: 3, AccountsNotAssessed: 1, FindingsNew: 5, FindingsResolved: 0, FindingsOpen: 5 });
    expect(emf._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string }) => m.Name)).toEqual(
      ['RunSucceeded', 'AccountsAssessed', 'AccountsNotAssessed', 'RegionsNotAssessed', 'FindingsNew', 'FindingsResolved', 'FindingsOpen', 'RunDurationSeconds']);
  });

  it('a run in which every account was denied is a failed run: status FAILED, RunSucceeded 0, nothing resolved', async () => {
    const table = await db.newTable();
    const denied = { ...CONFIG, scope: { ...CONFIG.scope, org: false, accounts: [DENIED] } };
    const { final } = await runStateMachine(handlers(table, denied), 'run-1', '2026-06-01T03:00:00.000Z');
    expect(final.status).toBe('FAILED');
    expect(final.accountsNotAssessed).toEqual([DENIED]);
    expect(final.history.resolved).toBe(0);
    expect(JSON.parse(metricLines[0]!)).toMatchObject({ RunSucceeded: 0, AccountsAssessed: 0, AccountsNotAssessed: 1, status: 'FAILED' });
  });

  it('rejects malformed events with a one-line message', async () => {
    const h = handlers(await db.newTable());
    await expect(h.plan({ runId: 'bad id with spaces', startedAt: '2026-06-01T03:00:00Z' })).rejects.toThrow(/event.runId/);
    await expect(h.scanner({ action: 'scan', runId: 'r', startedAt: 'yesterday', accountId: A, region: 'us-east-1' })).rejects.toThrow(/event.startedAt/);
    await expect(h.scanner({ action: 'scan', runId: 'r', startedAt: '2026-06-01T03:00:00Z', accountId: '123', region: 'us-east-1' })).rejects.toThrow(/event.accountId/);
    await expect(h.scanner({ action: 'nope' } as never)).rejects.toThrow(/unknown scanner action "nope"/);
    await expect(h.finalize({ runId: 'never-planned', startedAt: '2026-06-01T03:00:00Z' })).rejects.toThrow(/has no plan/);
  });

  it('without Organizations, scans the auditor account alone in the stack region', async () => {
    const table = await db.newTable();
    functions[AUDITOR] = { 'us-east-1': [{ name: 'own', tracing: 'PassThrough', role: `arn:aws:iam::${AUDITOR}:role/own` }] };
    const h = handlers(table, { scope: { roleName: 'LensAuditReadOnly' }, audit: { checks: { disabled: ['iam.*'] } }, securityHub: false });
    const { plan, final } = await runStateMachine(h, 'run-1', '2026-06-01T03:00:00.000Z');
    expect(plan.accounts).toEqual([AUDITOR]);
    expect(orgs.commandCalls(ListAccountsCommand)).toHaveLength(0);
    expect(assumed).toEqual([]);
    expect(final.regions).toEqual(['us-east-1']);
    expect(final.summary.fail).toBe(1);
    expect(final.securityHub).toBe('off');
    expect(final.slack).toBe('off');
    expect(imported).toEqual([]);
  });
});
