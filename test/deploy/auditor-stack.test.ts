// CDK assertions over the synthesized auditor stack. One synth per configuration (esbuild runs once: the bundle is
// cached across stacks of the same process).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../checks/index.js';
import { AuditorStack } from '../../deploy/lib/auditor-stack.js';
import { APIGATEWAY_GET_PATHS, requiredActions } from '../../src/engine/permissions.js';
import { parseDeployConfig, runtimeConfig, RUNTIME_CONFIG_FILE, type DeployConfig } from '../../src/lambda/config.js';
import { tableSchema, TTL_ATTRIBUTE } from '../../src/state/index.js';
import { evaluateAccount } from '../../src/engine/evaluate.js';
import { selectChecks } from '../../src/engine/select.js';
import { templateInventory } from './template-inventory.js';

type Resource = { Type: string; Properties: Record<string, any> };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Sid?: string };

const EXAMPLE = JSON.parse(readFileSync(new URL('../../deploy/config.example.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const LARGE = { ...EXAMPLE, stackName: 'LensAuditLarge', scan: { distributedMap: true, accountConcurrency: 50 }, securityHub: { enabled: false }, slack: { enabled: false } };
const WORKLOAD = '0123456789abcdef0123456789abcdef';
/** Well-Architected Tool notes with a milestone per run (issue 19 point 3). */
const WELL_ARCHITECTED = { ...EXAMPLE, stackName: 'LensAuditWa', wellArchitected: { workloadId: WORKLOAD, milestone: true } };

/** Every configuration in one app and one synth: esbuild bundles the handlers once for all stacks. */
let synthesized: Promise<{ outdir: string; stacks: Record<string, { template: Template; config: DeployConfig; stack: Stack }> }> | undefined;
function synth() {
  synthesized ??= Promise.resolve().then(() => {
    const outdir = mkdtempSync(join(tmpdir(), 'lens-audit-cdk-'));
    const app = new App({ outdir });
    const built = [EXAMPLE, LARGE, WELL_ARCHITECTED].map((raw) => {
      const config = parseDeployConfig(raw, ALL_CHECKS);
      return { config, stack: new AuditorStack(app, config.stackName, { config, env: { account: '111122223333', region: 'eu-west-1' } }) };
    });
    app.synth();
    return { outdir, stacks: Object.fromEntries(built.map(({ config, stack }) => [config.stackName, { template: Template.fromStack(stack), config, stack }])) };
  });
  return synthesized;
}
afterAll(async () => {
  if (synthesized) rmSync((await synthesized).outdir, { recursive: true, force: true });
});

function resources(t: Template, type: string): [string, Resource][] {
  return Object.entries(t.toJSON().Resources as Record<string, Resource>).filter(([, r]) => r.Type === type);
}

/** The state machine definition with CloudFormation tokens replaced by placeholders. */
function definition(t: Template): any {
  const [[, sm]] = resources(t, 'AWS::StepFunctions::StateMachine') as [[string, Resource]];
  const parts = sm.Properties.DefinitionString['Fn::Join'][1] as unknown[];
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'TOKEN')).join(''));
}

/** Every identity-policy statement of the stack (managed policies excluded: there are none, see below). */
function identityStatements(t: Template): { policy: string; st: Statement }[] {
  const out: { policy: string; st: Statement }[] = [];
  for (const [id, p] of resources(t, 'AWS::IAM::Policy')) for (const st of p.Properties.PolicyDocument.Statement as Statement[]) out.push({ policy: id, st });
  for (const [id, r] of resources(t, 'AWS::IAM::Role')) {
    for (const p of (r.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]) for (const st of p.PolicyDocument.Statement) out.push({ policy: id, st });
  }
  return out;
}
const actionsOf = (st: Statement) => (Array.isArray(st.Action) ? st.Action : [st.Action]);

/** Statements of the default policy attached to the role whose logical id starts with `prefix`. */
function roleStatements(t: Template, prefix: string): Statement[] {
  const [[roleId]] = resources(t, 'AWS::IAM::Role').filter(([id]) => id.startsWith(prefix)) as [[string, Resource]];
  return resources(t, 'AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
}

describe('auditor stack (config.example.json)', () => {
  let t: Template;
  let config: DeployConfig;
  let outdir: string;
  beforeAll(async () => {
    const s = await synth();
    ({ template: t, config } = s.stacks.LensAudit!);
    outdir = s.outdir;
  }, 240_000);

  it('schedules the state machine nightly in the configured time zone, without retries into a second run', () => {
    const [[, s]] = resources(t, 'AWS::Scheduler::Schedule') as [[string, Resource]];
    expect(s.Properties).toMatchObject({
      ScheduleExpression: 'cron(0 3 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { RetryPolicy: { MaximumRetryAttempts: 0 }, DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/^DeadLetterQueue/), 'Arn'] } } },
    });
    expect(s.Properties.Target.Arn.Ref).toMatch(/^StateMachine/);
  });

  it('plans, fans out per account and per region with bounded concurrency, retries an item once, then finalizes', () => {
    const d = definition(t);
    expect(d.StartAt).toBe('Plan accounts');
    expect(d.States['Plan accounts'].Parameters).toEqual({ 'runId.$': '$$.Execution.Name', 'startedAt.$': '$$.Execution.StartTime' });
    const accounts = d.States['Scan accounts'];
    expect(accounts).toMatchObject({ Type: 'Map', ItemsPath: '$.accounts', MaxConcurrency: 5, ResultPath: null, Next: 'Finalize run' });
    expect(accounts.ItemProcessor.ProcessorConfig.Mode).toBe('INLINE');
    expect(accounts.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.fanOutError', Next: 'Finalize run' }]);

    const inner = accounts.ItemProcessor.States;
    expect(inner['Resolve regions'].Parameters.action).toBe('regions');
    expect(inner['Scan regions']).toMatchObject({ Type: 'Map', ItemsPath: '$.regions', MaxConcurrency: 4, ResultPath: null, Next: 'Evaluate account' });
    const scan = inner['Scan regions'].ItemProcessor.States['Scan account-region'];
    expect(scan.Parameters).toMatchObject({ action: 'scan', 'accountId.$': '$.accountId', 'region.$': '$.region' });
    expect(scan.Retry.at(-1)).toEqual({ ErrorEquals: ['States.ALL'], IntervalSeconds: 30, MaxAttempts: 1 });
    expect(scan.Catch[0]).toMatchObject({ ErrorEquals: ['States.ALL'], Next: 'Region not completed' });
    // An account-region too big for one invocation loops back from its checkpoint: done: false → resumes + 1.
    const regionStates = inner['Scan regions'].ItemProcessor.States;
    expect(inner['Scan regions'].ItemSelector).toMatchObject({ resumes: 0, 'region.$': '$$.Map.Item.Value' });
    expect(scan).toMatchObject({ ResultPath: '$.scan', Next: 'Region scanned?' });
    expect(scan.Parameters['resumes.$']).toBe('$.resumes');
    expect(regionStates['Region scanned?']).toMatchObject({
      Type: 'Choice', Choices: [{ Variable: '$.scan.done', BooleanEquals: false, Next: 'Continue from checkpoint' }], Default: 'Region scanned',
    });
    expect(regionStates['Continue from checkpoint']).toMatchObject({ Type: 'Pass', Next: 'Scan account-region' });
    expect(regionStates['Continue from checkpoint'].Parameters).toMatchObject({ 'resumes.$': '$.scan.resumes', 'accountId.$': '$.accountId', 'region.$': '$.region', 'runId.$': '$.runId' });
    expect(inner['Evaluate account']).toMatchObject({ OutputPath: '$.accountId', ResultPath: null });
    expect(inner['Evaluate account'].Parameters['regions.$']).toBe('$.regions');

    expect(d.States['Finalize run']).toMatchObject({ Next: 'Run assessed?', Parameters: { 'runId.$': '$.runId', 'startedAt.$': '$.startedAt' } });
    expect(d.States['Finalize run'].Catch[0].Next).toBe('Run failed');
    // A run that assessed no account is a failed execution, not a success.
    expect(d.States['Run assessed?']).toEqual({
      Type: 'Choice', Choices: [{ Variable: '$.status', StringEquals: 'FAILED', Next: 'Nothing assessed' }], Default: 'Run done',
    });
    expect(d.States['Nothing assessed']).toMatchObject({ Type: 'Fail', Error: 'LensAuditNothingAssessed' });

    const [[, sm]] = resources(t, 'AWS::StepFunctions::StateMachine') as [[string, Resource]];
    expect(sm.Properties.TracingConfiguration).toEqual({ Enabled: true });
    expect(sm.Properties.LoggingConfiguration.Level).toBe('ERROR');
  });

  it('runs every handler on nodejs22.x arm64 with tracing, a DLQ, reserved concurrency and its own log group', () => {
    const fns = resources(t, 'AWS::Lambda::Function');
    expect(fns.map(([, f]) => f.Properties.Handler).sort()).toEqual(['index.finalize', 'index.plan', 'index.scanner']);
    for (const [, f] of fns) {
      expect(f.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
      expect(f.Properties.DeadLetterConfig.TargetArn['Fn::GetAtt'][0]).toMatch(/^DeadLetterQueue/);
      expect(f.Properties.ReservedConcurrentExecutions).toBeGreaterThan(0);
      expect(f.Properties.LoggingConfig.LogGroup.Ref).toMatch(/Logs/);
      expect(f.Properties.MemorySize).toBeGreaterThan(128);
      expect(f.Properties.Timeout).toBeGreaterThan(3);
      expect(f.Properties.Environment.Variables.STATE_TABLE.Ref).toMatch(/^StateTable/);
      expect(f.Properties.Layers).toHaveLength(1);
    }
    const scanner = fns.find(([, f]) => f.Properties.Handler === 'index.scanner')![1];
    expect(scanner.Properties).toMatchObject({ ReservedConcurrentExecutions: 20, Timeout: 900 });
    for (const [, g] of resources(t, 'AWS::Logs::LogGroup')) {
      expect(g.Properties.RetentionInDays).toBe(90);
      expect(g.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] });
    }
  });

  it('bundles the runtime configuration the handlers read', () => {
    const [[, layer]] = resources(t, 'AWS::Lambda::LayerVersion') as [[string, Resource]];
    const hash = (layer.Properties.Content.S3Key as string).replace(/\.zip$/, '');
    const manifest = JSON.parse(readFileSync(join(outdir, `${config.stackName}.assets.json`), 'utf8')) as { files: Record<string, { source: { path: string } }> };
    const file = join(outdir, manifest.files[hash]!.source.path, RUNTIME_CONFIG_FILE);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(JSON.parse(JSON.stringify(runtimeConfig(config))));
  });

  it('keeps the history in a table with the keys and TTL attribute the DynamoDB store uses, with PITR', () => {
    const [[, table]] = resources(t, 'AWS::DynamoDB::Table') as [[string, Resource]];
    const schema = tableSchema('x');
    expect(table.Properties.KeySchema).toEqual(schema.KeySchema);
    expect(table.Properties.AttributeDefinitions).toEqual(schema.AttributeDefinitions);
    expect(table.Properties).toMatchObject({
      TableName: 'LensAudit-state',
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
  });

  it('alarms on every function\'s errors and throttles, failed and timed-out executions, table throttling and the DLQ, to an encrypted topic', () => {
    const alarms = resources(t, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    for (const fn of ['Plan', 'Scanner', 'Finalize']) {
      for (const metric of ['Errors', 'Throttles']) {
        const a = alarms.find((p) => p.MetricName === metric && p.Dimensions?.[0]?.Value?.Ref?.startsWith(fn));
        expect(a, `${fn} ${metric}`).toMatchObject({ Namespace: 'AWS/Lambda', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
      }
    }
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut']) expect(alarms.some((p) => p.Namespace === 'AWS/States' && p.MetricName === metric)).toBe(true);
    expect(alarms.some((p) => p.Namespace === 'AWS/SQS' && p.MetricName === 'ApproximateNumberOfMessagesVisible')).toBe(true);
    expect(alarms.filter((p) => p.Namespace === 'AWS/DynamoDB').map((p) => p.MetricName).sort()).toEqual(['ReadThrottleEvents', 'WriteThrottleEvents']);
    for (const a of alarms) expect(a.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^AlarmTopic/) }]);
    const [[, topic]] = resources(t, 'AWS::SNS::Topic') as [[string, Resource]];
    expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    const [[, key]] = resources(t, 'AWS::KMS::Key') as [[string, Resource]];
    expect(key.Properties.EnableKeyRotation).toBe(true);
  });

  it('alarms on run health: no successful run in 26 hours (missing data breaching) and any account not assessed', () => {
    const alarms = resources(t, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const health = alarms.filter((a) => a.Namespace === 'LensAudit');
    const noRun = health.find((a) => a.MetricName === 'RunSucceeded')!;
    expect(noRun).toMatchObject({
      Statistic: 'Sum', Period: 7200, EvaluationPeriods: 13, DatapointsToAlarm: 13, Threshold: 1,
      ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching', Dimensions: [{ Name: 'Stack', Value: 'LensAudit' }],
    });
    expect(noRun.Period * noRun.EvaluationPeriods).toBe(26 * 3600);
    expect(health.find((a) => a.MetricName === 'AccountsNotAssessed')).toMatchObject({
      Statistic: 'Maximum', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching',
    });
    const fn = resources(t, 'AWS::Lambda::Function').find(([, f]) => f.Properties.Handler === 'index.finalize')![1];
    expect(fn.Properties.Environment.Variables.LENS_AUDIT_STACK).toBe('LensAudit');
  });

  it('keeps reports in an encrypted, private, TLS-only bucket that expires them, written by finalize under two prefixes', () => {
    const [[bucketId, bucket]] = resources(t, 'AWS::S3::Bucket') as [[string, Resource]];
    const p = bucket.Properties;
    expect(p.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    expect(p.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(p.LifecycleConfiguration.Rules[0]).toMatchObject({ ExpirationInDays: 90, Status: 'Enabled' });
    const [[, policy]] = resources(t, 'AWS::S3::BucketPolicy') as [[string, Resource]];
    expect(policy.Properties.PolicyDocument.Statement).toContainEqual(expect.objectContaining({
      Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    }));
    const put = roleStatements(t, 'FinalizeRole').find((st) => st.Sid === 'WriteReports')!;
    expect(put.Action).toBe('s3:PutObject');
    expect(JSON.stringify(put.Resource)).toMatch(new RegExp(`${bucketId}.*/reports/\\*.*${bucketId}.*/latest/\\*`));
    const fn = resources(t, 'AWS::Lambda::Function').find(([, f]) => f.Properties.Handler === 'index.finalize')![1];
    expect(fn.Properties.Environment.Variables.REPORT_BUCKET).toEqual({ Ref: bucketId });
    // Expiry is configurable.
    expect(parseDeployConfig({ reports: { expiryDays: 30 } }, ALL_CHECKS).reports).toEqual({ enabled: true, expiryDays: 30 });
  });

  it('passes cdk-nag\'s AwsSolutions pack: every finding acknowledged, each with its reason', async () => {
    const { stack } = (await synth()).stacks.LensAudit!;
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(report.violations.map((v) => `${v.ruleName}: ${v.description}`)).toEqual([]);
    expect(report.success).toBe(true);
    // Not vacuous: the acknowledgements are there, each with a reason, and without them the pack finds something.
    // Metadata entries map "Annotation::<rule id>" to the reason.
    const acks = stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules')
      .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ id: id.replace(/^Annotation::/, ''), reason }))));
    expect(acks.length).toBeGreaterThanOrEqual(8);
    for (const a of acks) expect(a.reason.length, a.id).toBeGreaterThan(40);
    expect(acks.map((a) => a.id.replace(/\[.*$/s, ''))).toEqual(expect.arrayContaining(['AwsSolutions-IAM5', 'AwsSolutions-SF1', 'AwsSolutions-L1', 'AwsSolutions-SMG4', 'AwsSolutions-S1']));
  });

  it('grants no wildcard action and uses no managed policy', () => {
    const statements = identityStatements(t);
    expect(statements.length).toBeGreaterThan(10);
    for (const { policy, st } of statements) {
      for (const a of actionsOf(st)) expect(a === '*' || a.endsWith(':*'), `${policy}: ${a}`).toBe(false);
      expect(st).not.toHaveProperty('NotAction');
    }
    for (const [, r] of resources(t, 'AWS::IAM::Role')) expect(r.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('hard-codes no partition: every ARN it builds is in the stack\'s own (AWS::Partition), so it deploys to aws-cn and aws-us-gov (issue 20 point 10, D18)', () => {
    // Resources only: the Lambda bundle's asset hashes and descriptions are not ARNs.
    expect(JSON.stringify(t.toJSON().Resources)).not.toMatch(/arn:aws:/);
  });

  it('lets the scanner assume only the member role and read its own account with exactly the collectors\' actions', () => {
    const [[, role]] = resources(t, 'AWS::IAM::Role').filter(([id]) => id.startsWith('ScannerRole')) as [[string, Resource]];
    expect(role.Properties.RoleName).toBe('LensAuditScanner');
    const st = roleStatements(t, 'ScannerRole');
    const assume = st.filter((s) => actionsOf(s).includes('sts:AssumeRole'));
    expect(assume).toHaveLength(1);
    expect(assume[0]!.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/LensAuditReadOnly']] });
    const all = requiredActions(ALL_CHECKS, { metrics: true });
    expect(st.find((s) => s.Sid === 'ReadOwnAccount')!.Action).toEqual(all.filter((a) => !a.startsWith('apigateway:')));
    expect(st.find((s) => s.Sid === 'ReadOwnApiGatewayNoApiKeys')).toMatchObject({
      Action: 'apigateway:GET',
      Resource: APIGATEWAY_GET_PATHS.map((p) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:apigateway:*::${p}`]] })),
    });
    expect(st.flatMap(actionsOf).filter((a) => a.startsWith('dynamodb:') && !all.includes(a)).sort()).toEqual(['dynamodb:PutItem', 'dynamodb:Query']);
    expect(st.flatMap(actionsOf)).not.toContain('securityhub:BatchImportFindings');
  });

  it('gives finalize the table, Security Hub import into its own product, and the webhook secret only', () => {
    const st = roleStatements(t, 'FinalizeRole');
    expect(st.find((s) => s.Sid === 'ImportFindings')!.Resource).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':securityhub:*:111122223333:product/111122223333/default']],
    });
    const secret = st.filter((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:')));
    expect(secret).toEqual([expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: { Ref: expect.stringMatching(/^SlackWebhook/) } })]);
    expect(st.flatMap(actionsOf)).not.toContain('sts:AssumeRole');
    const fn = resources(t, 'AWS::Lambda::Function').find(([, f]) => f.Properties.Handler === 'index.finalize')![1];
    expect(fn.Properties.Environment.Variables.SLACK_WEBHOOK_SECRET_ARN).toEqual({ Ref: expect.stringMatching(/^SlackWebhook/) });
    expect(roleStatements(t, 'PlanRole').flatMap(actionsOf)).toEqual(expect.arrayContaining(['organizations:ListAccounts', 'organizations:ListOrganizationalUnitsForParent']));
  });

  it('passes its own audit: every default check over the deployed resources, no failure', () => {
    const account = templateInventory(t.toJSON() as never, { stackName: config.stackName, accountId: '111122223333', region: 'eu-west-1' });
    const results = evaluateAccount(selectChecks({ all: ALL_CHECKS }), account, { now: new Date('2026-06-01T00:00:00Z') });
    const fails = results.filter((r) => r.status === 'FAIL').map((r) => `${r.checkId} ${r.resourceName}: ${r.message}`);
    expect(fails).toEqual([]);
    // Not vacuous: the checks that matter for this stack did run and pass on each of its resources.
    const passed = (checkId: string) => results.filter((r) => r.checkId === checkId && r.status === 'PASS').length;
    for (const id of ['lambda.no-tracing', 'lambda.no-dlq', 'lambda.no-error-alarm', 'lambda.no-throttle-alarm', 'lambda.no-reserved-concurrency',
      'lambda.shared-role', 'lambda.env-secrets', 'iam.exec-role-wildcard', 'iam.exec-role-cannot-log', 'iam.exec-role-admin']) {
      expect(passed(id), id).toBe(3);
    }
    expect(passed('logs.no-retention')).toBe(4);
    expect(passed('logs.not-kms-encrypted')).toBe(4);
    expect(passed('dynamodb.no-throttle-alarm')).toBe(1);
    expect(passed('dynamodb.no-pitr')).toBe(1);
    expect(passed('sns.not-kms-encrypted')).toBe(1);
  });
});

describe('auditor stack for a large organization, without sinks', () => {
  it('uses a Distributed Map of standard child executions and drops the sink permissions', async () => {
    const { template: t } = (await synth()).stacks.LensAuditLarge!;
    const accounts = definition(t).States['Scan accounts'];
    expect(accounts.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    expect(accounts).toMatchObject({ MaxConcurrency: 50, ToleratedFailurePercentage: 100 });
    expect(resources(t, 'AWS::SecretsManager::Secret')).toHaveLength(0);
    const { stack } = (await synth()).stacks.LensAuditLarge!;
    expect(new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName)).toEqual([]);
    const actions = identityStatements(t).flatMap(({ st }) => actionsOf(st));
    expect(actions).not.toContain('securityhub:BatchImportFindings');
    expect(actions).not.toContain('secretsmanager:GetSecretValue');
    expect(actions).toContain('states:StartExecution');
    for (const a of actions) expect(a === '*' || a.endsWith(':*'), a).toBe(false);
    const scanner = resources(t, 'AWS::Lambda::Function').find(([, f]) => f.Properties.Handler === 'index.scanner')![1];
    expect(scanner.Properties.ReservedConcurrentExecutions).toBe(200);
  }, 240_000);
});

describe('auditor stack with Well-Architected Tool notes (issue 19 point 3)', () => {
  it('grants finalize the notes and milestone actions on that one workload, in the stack\'s own partition and Region, and bundles the option', async () => {
    const s = await synth();
    const { template: t } = s.stacks.LensAuditWa!;
    const wa = roleStatements(t, 'FinalizeRole').filter((st) => actionsOf(st).some((a) => a.startsWith('wellarchitected:')));
    expect(wa).toEqual([{
      Sid: 'WellArchitectedNotes', Effect: 'Allow',
      Action: ['wellarchitected:CreateMilestone', 'wellarchitected:GetAnswer', 'wellarchitected:ListAnswers', 'wellarchitected:UpdateAnswer'],
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:wellarchitected:eu-west-1:111122223333:workload/${WORKLOAD}`]] },
    }]);
    // No other function may write to the Well-Architected Tool.
    const elsewhere = identityStatements(t).filter(({ policy, st }) => !policy.startsWith('FinalizeRole') && actionsOf(st).some((a) => a.startsWith('wellarchitected:')));
    expect(elsewhere).toEqual([]);
    expect(JSON.stringify(t.toJSON().Resources)).not.toMatch(/arn:aws:/);
    // Without the option, no Well-Architected permission at all.
    for (const name of ['LensAudit', 'LensAuditLarge']) {
      expect(identityStatements(s.stacks[name]!.template).flatMap(({ st }) => actionsOf(st)).filter((a) => a.startsWith('wellarchitected:')), name).toEqual([]);
    }
    const [[, layer]] = resources(t, 'AWS::Lambda::LayerVersion') as [[string, Resource]];
    const hash = (layer.Properties.Content.S3Key as string).replace(/\.zip$/, '');
    const manifest = JSON.parse(readFileSync(join(s.outdir, 'LensAuditWa.assets.json'), 'utf8')) as { files: Record<string, { source: { path: string } }> };
    const bundled = JSON.parse(readFileSync(join(s.outdir, manifest.files[hash]!.source.path, RUNTIME_CONFIG_FILE), 'utf8'));
    expect(bundled.wellArchitected).toEqual({ workloadId: WORKLOAD, milestone: true });
  }, 240_000);
});
