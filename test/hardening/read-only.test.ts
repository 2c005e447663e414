// Read-only by construction: a whole scan (every check, every collector, --regions all, --metrics) against a mocked
// estate issues only reads, only from instrumented audit clients, and only operations the collectors declare (the
// IAM policy `audit permissions` prints). The guard itself refuses writes and secret reads, also under mocks.
import { LambdaClient, InvokeCommand, ListFunctionsCommand, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetApiKeysCommand, APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { CloudWatchLogsClient, FilterLogEventsCommand, GetQueryResultsCommand, StartQueryCommand, StopQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetCredentialReportCommand, IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ALL_CHECKS } from '../../checks/index.js';
import { AUDIT_OPERATIONS, ClientFactory, isAuditOperation, isReadOperation, ReadOnlyViolation } from '../../src/aws/clients.js';
import { ALL_COLLECTORS } from '../../src/collect/index.js';
import { enabledCspmControls } from '../../src/engine/cspm-overlap.js';
import { discoverAccounts } from '../../src/engine/organization.js';
import { ORG_OPERATIONS, requiredActions, SCOPE_OPERATIONS } from '../../src/engine/permissions.js';
import { enabledRegions } from '../../src/engine/scope.js';
import { runAudit } from '../../src/engine/run-audit.js';
import { main } from '../../src/cli.js';
import { Estate, FACTORY_CREDENTIALS, REGIONS } from './estate.js';

const estate = new Estate();
beforeAll(() => estate.install());
afterAll(() => estate.restore());
beforeEach(() => estate.reset());
afterEach(() => vi.unstubAllEnvs());

/** IAM action for a call: API Gateway (REST and v2) reads are all `apigateway:GET`. */
function iamAction(service: string, operation: string): string {
  return service === 'apigateway' || service === 'apigatewayv2' ? 'apigateway:GET' : `${service}:${operation}`;
}

/** Needs no permission (and is the one call made before any scope is known). */
const UNPERMISSIONED = new Set(['sts:GetCallerIdentity']);

describe('a whole scan issues only declared reads', () => {
  it('every operation is a read, from an instrumented client, declared by a collector and in the generated policy', async () => {
    // `--regions all` asks the home region (the environment's) which regions are enabled.
    vi.stubEnv('AWS_REGION', 'us-east-1');
    const { report } = await runAudit({
      checks: ALL_CHECKS,
      aws: { credentials: FACTORY_CREDENTIALS },
      regions: 'all',
      metrics: true,
    });

    // The scan really ran across the estate: both regions, every collector kind that has data, passes and failures.
    expect(report.scope.regions.sort()).toEqual([...REGIONS]);
    expect(report.results.some((r) => r.status === 'PASS')).toBe(true);
    expect(report.results.some((r) => r.status === 'FAIL')).toBe(true);
    expect(report.errors.filter((e) => e.code === 'ReadOnlyViolation')).toEqual([]);
    expect(estate.calls.length).toBeGreaterThan(50);

    const notRead = estate.calls.filter((c) => !isReadOperation(c.operation)).map((c) => `${c.service}:${c.operation}`);
    expect(notRead).toEqual([]);
    const bypass = estate.calls.filter((c) => !c.instrumented).map((c) => `${c.service}:${c.operation}`);
    expect(bypass).toEqual([]);

    const policy = new Set(requiredActions(ALL_CHECKS, { metrics: true }));
    const declared = new Set([...SCOPE_OPERATIONS, ...ALL_COLLECTORS.flatMap((c) => c.operations)]);
    const actions = [...new Set(estate.calls.map((c) => iamAction(c.service, c.operation)))].filter((a) => !UNPERMISSIONED.has(a));
    expect(actions.filter((a) => !declared.has(a))).toEqual([]);
    expect(actions.filter((a) => !policy.has(a))).toEqual([]);

    // Alias policies: ListAliases is called, declared and in the generated policy (GetPolicy with Qualifier is GetPolicy).
    expect(estate.operations()).toContain('lambda:ListAliases');
    expect(policy.has('lambda:ListAliases')).toBe(true);
    // The counters in the report are the same calls (the code's own naming agrees with the command classes).
    expect(Object.keys(report.stats.apiCalls).sort()).toEqual(estate.operations());
    // Both regions were read for a regional service.
    expect(new Set(estate.calls.filter((c) => c.operation === 'ListFunctions').map((c) => c.region))).toEqual(new Set(REGIONS));
  });

  it('without --metrics, no GetMetricData call is made (billed per metric) unless a region-level metric check runs: then one per region', async () => {
    await runAudit({ checks: ALL_CHECKS.filter((c) => c.cost !== 'M'), aws: { credentials: FACTORY_CREDENTIALS }, regions: [...REGIONS] });
    expect(estate.operations().filter((o) => o.endsWith(':GetMetricData'))).toEqual([]);
    expect(estate.operations()).toContain('lambda:ListFunctions');
    const before = estate.operations().length;
    await runAudit({ checks: ALL_CHECKS, aws: { credentials: FACTORY_CREDENTIALS }, regions: [...REGIONS] });
    expect(estate.operations().slice(before).filter((o) => o.endsWith(':GetMetricData')).length).toBeLessThanOrEqual(REGIONS.length);
  });
});

describe('writes come only from the sinks', () => {
  it('a CLI run with a DynamoDB history and Security Hub writes only findings and history, each to its own place', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (d) => (err += d));
    stdout.resume();
    vi.stubEnv('AWS_ACCESS_KEY_ID', FACTORY_CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', FACTORY_CREDENTIALS.secretAccessKey);
    const code = await main(
      ['--regions', REGIONS.join(','), '--store', 'dynamodb://lens-audit-state?region=us-east-1', '--security-hub', '--output', 'json', '--quiet'],
      { stdout, stderr, env: {} },
    );
    expect(code, err).toBe(0);
    // Everything the audit guard would refuse: writes, and the history's own Query and GetItem (its recent-runs item;
    // audit clients never read items).
    const writes = estate.calls.filter((c) => !isReadOperation(c.operation));
    expect(writes.length).toBeGreaterThan(0);
    expect([...new Set(writes.map((c) => `${c.service}:${c.operation}`))].sort()).toEqual(
      expect.arrayContaining(['securityhub:BatchImportFindings']),
    );
    const allowed = new Set(['securityhub:BatchImportFindings', 'securityhub:BatchUpdateFindings', 'dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']);
    expect(writes.filter((c) => !allowed.has(`${c.service}:${c.operation}`)).map((c) => `${c.service}:${c.operation}`)).toEqual([]);
    // DynamoDB item calls go to the history table only, never to an audited table.
    const tables = writes.filter((c) => c.service === 'dynamodb').flatMap((c) => (c.input.TableName ? [c.input.TableName] : Object.keys((c.input.RequestItems as object) ?? {})));
    expect(new Set(tables)).toEqual(new Set(['lens-audit-state']));
    // The audit itself read the estate (the writes are not all there is).
    expect(estate.operations()).toContain('lambda:ListFunctions');
  });
});

describe('the read-only guard', () => {
  it('refuses writes and secret reads on audit clients before they reach AWS (here: the mock)', async () => {
    const factory = new ClientFactory({ credentials: FACTORY_CREDENTIALS });
    const refused = [
      () => factory.get(LambdaClient, 'us-east-1').send(new InvokeCommand({ FunctionName: 'orders-api' })),
      () => factory.get(LambdaClient, 'us-east-1').send(new UpdateFunctionConfigurationCommand({ FunctionName: 'orders-api', Timeout: 1 })),
      () => factory.get(DynamoDBClient, 'us-east-1').send(new PutItemCommand({ TableName: 'orders', Item: { pk: { S: 'x' } } })),
      // The audit reads configuration, never table items.
      () => factory.get(DynamoDBClient, 'us-east-1').send(new ScanCommand({ TableName: 'orders' })),
      () => factory.get(SecretsManagerClient, 'us-east-1').send(new GetSecretValueCommand({ SecretId: 'db' })),
      () => factory.get(APIGatewayClient, 'us-east-1').send(new GetApiKeysCommand({ includeValues: true })),
      () => factory.get(STSClient, 'us-east-1').send(new GetSessionTokenCommand({})),
    ];
    for (const send of refused) await expect(send()).rejects.toBeInstanceOf(ReadOnlyViolation);
    expect(estate.calls).toEqual([]);
    expect(factory.counter.total()).toBe(0);

    await factory.get(LambdaClient, 'us-east-1').send(new ListFunctionsCommand({}));
    expect(estate.operations()).toEqual(['lambda:ListFunctions']);
  });

  it("lets a sink's own client (readOnly: false) write", async () => {
    const factory = new ClientFactory({ credentials: FACTORY_CREDENTIALS, readOnly: false });
    await factory.get(DynamoDBClient, 'us-east-1').send(new PutItemCommand({ TableName: 'state', Item: { pk: { S: 'x' } } }));
    expect(estate.operations()).toEqual(['dynamodb:PutItem']);
  });

  it('classifies write verbs, credential minting and secret reads as not read, whatever follows', () => {
    const writeVerb = fc.constantFrom(
      'Create', 'Put', 'Delete', 'Update', 'Tag', 'Untag', 'Attach', 'Detach', 'Invoke', 'Publish', 'Send', 'Modify', 'Enable',
      'Disable', 'Add', 'Remove', 'Set', 'Reset', 'Register', 'Deregister', 'Associate', 'Disassociate', 'Subscribe', 'Unsubscribe',
      'Confirm', 'Execute', 'Run', 'Restore', 'Rotate', 'Cancel', 'Accept', 'Reject', 'Assume', 'Import', 'BatchWrite', 'BatchExecute',
      'Terminate', 'Reboot', 'Purge', 'Revoke', 'Authorize', 'Generate', 'Encrypt', 'Decrypt', 'Sign', 'Copy', 'Upload', 'Flush',
    );
    const noun = fc.stringMatching(/^[A-Z][A-Za-z]{0,20}$/);
    fc.assert(fc.property(writeVerb, noun, (verb, rest) => !isReadOperation(`${verb}${rest}`)));

    // Reads whose answer is a secret or a credential.
    for (const op of [
      'GetSecretValue', 'BatchGetSecretValue', 'GetParameter', 'GetParameters', 'GetParametersByPath', 'GetParameterHistory',
      'GetApiKey', 'GetApiKeys', 'GetSessionToken', 'GetFederationToken', 'GetAuthorizationToken', 'GetClusterCredentials',
      'GetRoleCredentials', 'GetCredentialsForIdentity', 'GetOpenIdToken', 'GetPasswordData',
      // data-plane reads: table items, stream records, objects, log events
      'GetItem', 'BatchGetItem', 'GetRecords', 'GetShardIterator', 'GetObject', 'GetLogEvents',
    ]) {
      expect(isReadOperation(op), op).toBe(false);
    }
    for (const op of ['ListFunctions', 'GetPolicy', 'DescribeTable', 'BatchGetBuilds', 'GetMetricData', 'GetAccountAuthorizationDetails', 'GetCredentialReport']) {
      expect(isReadOperation(op), op).toBe(true);
    }
  });
});

describe("the guard's allowlist: only what the audit calls (issue 20 point 10, D19)", () => {
  const allowed = () => Object.entries(AUDIT_OPERATIONS).flatMap(([service, ops]) => ops.map((op) => `${service}:${op}`)).sort();

  it('is exactly the operations a whole scan, the region fallback, organization discovery and the Security Hub controls lookup send', async () => {
    vi.stubEnv('AWS_REGION', 'us-east-1');
    // The estate, with what the rarer paths need: a function in a VPC (its subnets' zones), a CodeDeploy application,
    // a quota with no applied value (the AWS default is read instead).
    const functions = estate.answers['lambda:ListFunctions']!;
    estate.answers['lambda:ListFunctions'] = (input, region) => {
      const out = functions(input, region) as { Functions: Record<string, unknown>[] };
      out.Functions[0]!.VpcConfig = { SubnetIds: ['subnet-0a1b2c3d'], SecurityGroupIds: ['sg-0a1b2c3d'], VpcId: 'vpc-0a1b2c3d' };
      return out;
    };
    estate.answers['codedeploy:ListApplications'] = () => ({ applications: ['orders'] });
    estate.answers['codedeploy:ListDeploymentGroups'] = () => ({ applicationName: 'orders', deploymentGroups: ['orders-api'] });
    estate.answers['servicequotas:GetServiceQuota'] = () => ({});
    // Every collector, every check, --metrics, --regions all (account:ListRegions).
    await runAudit({ checks: ALL_CHECKS, aws: { credentials: FACTORY_CREDENTIALS }, regions: 'all', metrics: true });
    const factory = new ClientFactory({ credentials: FACTORY_CREDENTIALS });
    // ListRegions answering nothing: the EC2 fallback.
    estate.answers['account:ListRegions'] = () => ({ Regions: [] });
    await enabledRegions(factory, 'us-east-1', '111122223333', []);
    // --org, and --org --ou.
    await discoverAccounts(factory.get(OrganizationsClient, 'us-east-1'));
    await discoverAccounts(factory.get(OrganizationsClient, 'us-east-1'), ['ou-ab12-34cd5678']);
    // The CSPM overlap: the enabled standards, then each one's controls.
    estate.answers['securityhub:GetEnabledStandards'] = () => ({
      StandardsSubscriptions: [{ StandardsSubscriptionArn: 'arn:aws:securityhub:us-east-1:111122223333:subscription/aws-foundational-security-best-practices/v/1.0.0', StandardsStatus: 'READY' }],
    });
    await enabledCspmControls(factory.get(SecurityHubClient, 'us-east-1'));
    expect(estate.calls.filter((c) => !c.instrumented)).toEqual([]);
    // Both ways: nothing called that is not allowed (the guard would have refused it), nothing allowed that nothing calls.
    expect(estate.operations()).toEqual(allowed());
  });

  it('lists reads only, each covered by the generated IAM policy (or needing no permission)', () => {
    const policy = new Set(requiredActions(ALL_CHECKS, { metrics: true, org: true }));
    const notInPolicy = allowed().filter((key) => {
      const [service, operation] = key.split(':') as [string, string];
      expect(isReadOperation(operation), key).toBe(true);
      return !policy.has(iamAction(service, operation));
    });
    // sts:GetCallerIdentity needs no permission; the CSPM lookup runs as the caller, in the caller's account.
    expect(notInPolicy).toEqual(['securityhub:DescribeStandardsControls', 'securityhub:GetEnabledStandards', 'sts:GetCallerIdentity']);
    expect([...SCOPE_OPERATIONS, ...ORG_OPERATIONS].every((a) => allowed().includes(a))).toBe(true);
  });

  it('refuses reads that no collector makes before they are sent: log contents, billed queries, policy simulation, code URLs', async () => {
    const factory = new ClientFactory({ credentials: FACTORY_CREDENTIALS });
    const logs = factory.get(CloudWatchLogsClient, 'us-east-1');
    const iam = factory.get(IAMClient, 'us-east-1');
    const refused: [string, () => Promise<unknown>][] = [
      ['logs:FilterLogEvents', () => logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/orders-api' }))],
      ['logs:StartQuery', () => logs.send(new StartQueryCommand({ logGroupName: '/aws/lambda/orders-api', queryString: 'fields @message', startTime: 0, endTime: 1 }))],
      ['logs:StopQuery', () => logs.send(new StopQueryCommand({ queryId: 'q' }))],
      ['logs:GetQueryResults', () => logs.send(new GetQueryResultsCommand({ queryId: 'q' }))],
      ['iam:SimulatePrincipalPolicy', () => iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: 'arn:aws:iam::111122223333:role/r', ActionNames: ['s3:GetObject'] }))],
      ['iam:GetCredentialReport', () => iam.send(new GetCredentialReportCommand({}))],
      // Named like a read, and one: but its answer holds a presigned URL to the function's code.
      ['lambda:GetFunction', () => factory.get(LambdaClient, 'us-east-1').send(new GetFunctionCommand({ FunctionName: 'orders-api' }))],
    ];
    for (const [key, send] of refused) {
      const err = await send().catch((e: unknown) => e);
      expect(err, key).toBeInstanceOf(ReadOnlyViolation);
      expect((err as Error).message).toBe(`refused ${key}: audit clients are read-only and send only the reads the audit makes`);
      expect(isAuditOperation(...(key.split(':') as [string, string])), key).toBe(false);
    }
    expect(estate.calls).toEqual([]);
    expect(factory.counter.total()).toBe(0);
  });
});
