// Secrets: values planted where AWS (or the user) hands them to lens-audit never come out again — not in any report
// format, the saved inventory, log lines, error entries, the CLI's streams, or the Slack payload and its errors.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { GetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ALL_CHECKS, checkById } from '../../checks/index.js';
import { errorMessage } from '../../src/aws/errors.js';
import { CallJournal } from '../../src/aws/journal.js';
import { parseInventory } from '../../src/engine/inventory-file.js';
import { main } from '../../src/cli.js';
import { ALL_COLLECTORS } from '../../src/collect/index.js';
import type { Collector, Logger } from '../../src/collect/types.js';
import { runAudit, type AuditOutcome } from '../../src/engine/run-audit.js';
import type { LambdaFunction, Result } from '../../src/model/index.js';
import { renderAsff } from '../../src/report/asff.js';
import { renderCsv } from '../../src/report/csv.js';
import { renderHtml } from '../../src/report/html.js';
import { renderJson } from '../../src/report/json.js';
import { renderEndSummary } from '../../src/report/progress.js';
import { renderTable } from '../../src/report/table.js';
import { buildDigest, postSlackDigest, SLACK_WEBHOOK_ENV, webhookSetting } from '../../src/sinks/slack.js';
import { MemoryPostedMarker } from '../../src/state/posted-marker.js';
import { awsError, cannedHandler, Estate, FACTORY_CREDENTIALS, SECRETS, SLACK_WEBHOOK_PATH, type Call } from './estate.js';

const estate = new Estate();
beforeAll(() => estate.install());
afterAll(() => estate.restore());
beforeEach(() => estate.reset());
afterEach(() => vi.unstubAllEnvs());

/** A stand-in for Slack on 127.0.0.1 that fails every post, echoing the URL it was called with. */
const slack = { server: undefined as Server | undefined, base: '', mode: 'error-echo' as 'error-echo' | 'reset' | 'hang', requests: 0 };
beforeAll(async () => {
  slack.server = createServer((req, res) => {
    slack.requests++;
    if (slack.mode === 'reset') return req.socket.destroy();
    if (slack.mode === 'hang') return;
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(`upstream failure for ${req.url} (${slack.base}${req.url})`);
  });
  await new Promise<void>((resolve) => slack.server!.listen(0, '127.0.0.1', resolve));
  slack.base = `http://127.0.0.1:${(slack.server!.address() as { port: number }).port}`;
});
afterAll(() => {
  slack.server?.closeAllConnections();
  slack.server?.close();
});

/** Every 10-character piece of every planted secret, raw and in the encodings outputs use (JSON, URL). */
const NEEDLES = [...new Set(Object.values(SECRETS).flatMap((s) => {
  const pieces: string[] = [];
  for (let i = 0; i + 10 <= s.length; i++) pieces.push(s.slice(i, i + 10));
  return [...pieces, encodeURIComponent(s), JSON.stringify(s).slice(1, -1)];
}))];

function leaks(text: string): string[] {
  return NEEDLES.filter((n) => text.includes(n));
}

const PRESIGNED = 'https://lens-audit-exports.s3.eu-west-1.amazonaws.com/report.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256'
  + `&X-Amz-Credential=${SECRETS.envAccessKeyId}%2F20250314%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date=20250314T092653Z&X-Amz-Expires=3600`
  + `&X-Amz-Security-Token=${SECRETS.presignedToken}&X-Amz-SignedHeaders=host&X-Amz-Signature=${SECRETS.presignedSignature}`;

/**
 * Faults that carry secrets: an AccessDenied whose message holds a presigned URL, and a ListFunctions answer that is
 * not valid JSON next to an environment value (parsers quote the text around the error).
 */
const secretFaults = (c: Call): Error | 'real' | undefined => {
  if (c.operation === 'DescribeContinuousBackups' && c.region === 'us-east-1') {
    return awsError('AccessDeniedException', `User: arn:aws:sts::111122223333:assumed-role/auditor/s is not authorized; details at ${PRESIGNED}`);
  }
  if (c.operation === 'ListStreams' && c.region === 'eu-west-1') return awsError('AccessDeniedException', `denied, see ${PRESIGNED}`);
  if (c.operation === 'ListFunctions' && c.region === 'eu-west-1') return 'real';
  return undefined;
};
const malformed = cannedHandler(() => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: `{"Functions":[{"FunctionName":"orders-api","Environment":{"Variables":{"DB_PASSWORD":${SECRETS.envPassword}, "K":"${SECRETS.envAccessKeyId}"}}}]}`,
}));

function capturingLogger(lines: string[]): Logger {
  const log = (level: string) => (msg: string, extra?: Record<string, unknown>) => lines.push(`${level} ${msg} ${extra ? JSON.stringify(extra) : ''}`);
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/**
 * A collector that lets an AWS error escape (a bug): the engine logs it and records list gaps. It calls an operation on
 * the read-only guard's allowlist (anything else is refused before it is sent), for a topic no other collector asks about.
 */
const CARELESS_TOPIC = 'arn:aws:sns:us-east-1:111122223333:careless';
const careless: Collector = {
  name: 'careless',
  kinds: ['AwsSnsTopic'],
  scope: 'region',
  operations: ['sns:GetTopicAttributes'],
  async collect(ctx) {
    await ctx.client(SNSClient).send(new GetTopicAttributesCommand({ TopicArn: CARELESS_TOPIC }));
  },
};

const SCAN_TIME = new Date('2025-03-15T03:00:00.000Z');

async function plantedScan(logLines: string[], journal?: CallJournal): Promise<AuditOutcome> {
  estate.fault = (c) => (c.operation === 'GetTopicAttributes' && c.input.TopicArn === CARELESS_TOPIC ? awsError('AccessDenied', `no; see ${PRESIGNED}`, 403) : secretFaults(c));
  return runAudit({
    checks: ALL_CHECKS,
    collectors: [...ALL_COLLECTORS, careless],
    aws: { credentials: FACTORY_CREDENTIALS, requestHandler: malformed.handler, ...(journal ? { journal } : {}) },
    now: SCAN_TIME,
    runId: 'planted',
    regions: ['eu-west-1', 'us-east-1'],
    metrics: true,
    keepInventory: true,
    log: capturingLogger(logLines),
  });
}

describe('planted secrets never come out', () => {
  it('not in any report format, the inventory, the errors or the log', async () => {
    const logLines: string[] = [];
    const { report, inventory } = await plantedScan(logLines);

    // The planted faults happened and are reported (without their secrets).
    expect(malformed.seen.length).toBe(1);
    expect(report.errors.map((e) => [e.region, e.operation, e.code])).toEqual(expect.arrayContaining([
      ['eu-west-1', 'lambda:ListFunctions', 'MalformedResponse'],
      ['eu-west-1', 'kinesis:ListStreams', 'AccessDeniedException'],
      ['us-east-1', 'dynamodb:DescribeContinuousBackups', 'AccessDeniedException'],
      ['us-east-1', 'careless:collect', 'AccessDenied'],
    ]));
    expect(logLines.some((l) => l.includes('careless'))).toBe(true);
    // The secret-bearing fields were read and judged: the env-secrets check fails on the planted variables.
    const envFail = report.results.find((r) => r.checkId === 'lambda.env-secrets' && r.status === 'FAIL');
    expect(envFail?.message).toMatch(/DB_PASSWORD/);
    expect(envFail?.message).toMatch(/UPSTREAM_KEY_ID/);
    expect(envFail?.message).toMatch(/SIGNING_KEY/);

    const checkInfo = (id: string) => checkById(id);
    const outputs: Record<string, string> = {
      json: renderJson(report),
      table: renderTable(report, { showPass: true }),
      csv: renderCsv(report as never),
      html: renderHtml(report as never, { checkInfo }),
      asff: renderAsff(report.results, { now: new Date(), checkFor: checkById }),
      summary: renderEndSummary(report as never),
      inventory: JSON.stringify(inventory),
      errors: JSON.stringify(report.errors),
      log: logLines.join('\n'),
    };
    for (const [name, text] of Object.entries(outputs)) {
      expect(text.length, name).toBeGreaterThan(0);
      expect(leaks(text), name).toEqual([]);
    }
  });

  it('not in a scan checkpoint (the call journal), and a scan replayed from it builds the same inventory', async () => {
    const journal = new CallJournal();
    const live = await plantedScan([], journal);
    expect(journal.recorded).toBeGreaterThan(50);
    const stored = JSON.stringify(journal.toJSON());
    // The secret-bearing operations were recorded, reduced.
    for (const op of ['lambda|us-east-1|ListFunctions', 'sns|us-east-1|ListSubscriptions', 'sns|us-east-1|GetSubscriptionAttributes', 'apigateway|us-east-1|GetResources', 'apigateway|us-east-1|GetStages', 'apigatewayv2|us-east-1|GetIntegrations', 'apigatewayv2|us-east-1|GetStages']) {
      expect(Object.keys(journal.toJSON().calls).some((k) => k.startsWith(op)), op).toBe(true);
    }
    expect(leaks(stored)).toEqual([]);

    // The next invocation of the step: everything answered comes from the stored checkpoint, none of it from AWS.
    estate.reset();
    const resumed = new CallJournal(JSON.parse(stored));
    const replayed = await plantedScan([], resumed);
    expect(resumed.replayed).toBeGreaterThan(journal.recorded * 0.9);
    // Made again: the calls that failed (not journaled), and none of the secret-bearing reads that answered.
    const again = estate.calls.map((c) => `${c.region} ${c.service}:${c.operation}`);
    expect(again).not.toContain('us-east-1 lambda:ListFunctions');
    expect(again.filter((c) => /sns:ListSubscriptions|GetSubscriptionAttributes|GetResources$|GetStages|GetIntegrations/.test(c) && !c.includes('tag:'))).toEqual([]);
    expect(replayed.inventory!.accounts).toEqual(live.inventory!.accounts);
    expect(replayed.report.results).toEqual(live.report.results);
  });

  it('free text — descriptions of functions, aliases and alarms — is profiled like an environment value, in the inventory and the checkpoint (issue 20 point 10, D17)', async () => {
    const planted = {
      alias: 'plantedAliasDescToken77', alarm: 'plantedAlarmDescToken55', restStage: 'plantedRestStageDesc31', httpApi: 'plantedHttpApiDesc64',
      httpStage: 'plantedHttpStageDesc28', policy: 'plantedPolicyDesc93', restApi: 'plantedRestApiDesc46',
    };
    // Descriptions the collectors do not keep, but a checkpoint stores the answer they come in.
    const wrap = (key: string, f: (out: any) => void) => {
      const answer = estate.answers[key]!;
      estate.answers[key] = (input, region) => {
        const out = answer(input, region) as any;
        f(out);
        return out;
      };
    };
    wrap('apigateway:GetRestApis', (o) => o.items?.forEach((a: any) => (a.description = `orders REST (key=${planted.restApi})`)));
    wrap('apigateway:GetStages', (o) => o.item?.forEach((s: any) => (s.description = `prod (key=${planted.restStage})`)));
    wrap('apigatewayv2:GetApis', (o) => o.Items?.forEach((a: any) => (a.Description = `orders http (key=${planted.httpApi})`)));
    wrap('apigatewayv2:GetStages', (o) => o.Items?.forEach((s: any) => (s.StageDescription = `live (key=${planted.httpStage})`)));
    wrap('iam:GetAccountAuthorizationDetails', (o) => (o.Policies = [{
      PolicyName: 'app', Arn: 'arn:aws:iam::111122223333:policy/app', DefaultVersionId: 'v1', Description: `app policy (token=${planted.policy})`,
      PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [] })) }],
    }]));
    // A function with an alias, and alarms, each described with a note a user would paste a token into.
    estate.answers['lambda:ListAliases'] = (input) => ({
      Aliases: [{ AliasArn: `arn:aws:lambda:us-east-1:111122223333:function:${String(input.FunctionName)}:live`, Name: 'live', FunctionVersion: '3', Description: `live traffic (token=${planted.alias})` }],
    });
    const alarms = estate.answers['cloudwatch:DescribeAlarms']!;
    estate.answers['cloudwatch:DescribeAlarms'] = (input, region) => {
      const out = alarms(input, region) as { MetricAlarms?: Record<string, unknown>[] };
      for (const a of out.MetricAlarms ?? []) a.AlarmDescription = `page the on-call (webhook key ${planted.alarm})`;
      return out;
    };
    const journal = new CallJournal();
    const { inventory } = await plantedScan([], journal);
    const saved = JSON.stringify(inventory);
    const stored = JSON.stringify(journal.toJSON());
    expect(Object.keys(journal.toJSON().calls).some((k) => k.startsWith('lambda|us-east-1|ListAliases'))).toBe(true);
    expect(Object.keys(journal.toJSON().calls).some((k) => k.startsWith('cloudwatch|us-east-1|DescribeAlarms'))).toBe(true);
    for (const op of ['apigateway|us-east-1|GetRestApis', 'apigateway|us-east-1|GetStages', 'apigatewayv2|us-east-1|GetApis', 'apigatewayv2|us-east-1|GetStages', 'iam|']) {
      expect(Object.keys(journal.toJSON().calls).some((k) => k.startsWith(op)), op).toBe(true);
    }
    for (const secret of [SECRETS.lambdaDescription, ...Object.values(planted)]) {
      expect(saved, secret).not.toContain(secret);
      expect(stored, secret).not.toContain(secret);
    }
    // Profiled, not dropped: what a reader may learn is the shape.
    const us = inventory!.accounts[0]!.regions.find((r) => r.region === 'us-east-1')!;
    const fn = us.resources.AwsLambdaFunction!.find((f) => f.Description)!;
    expect(fn.Description).toMatchObject({ redacted: true, length: `Orders API (legacy token=${SECRETS.lambdaDescription})`.length });
    expect(fn.Description).not.toHaveProperty('value');
    expect(fn.Aliases?.[0]).toMatchObject({ Name: 'live' });
    expect(us.resources.AwsApiGatewayRestApi![0]!.description).toMatchObject({ redacted: true, length: `orders REST (key=${planted.restApi})`.length });
    expect(us.resources.AwsCloudWatchAlarm![0]!.AlarmDescription).toMatchObject({ redacted: true, length: `page the on-call (webhook key ${planted.alarm})`.length });
    // And the saved inventory reads back (the validator knows these fields as profiles).
    expect(() => parseInventory(JSON.parse(saved))).not.toThrow();
  });

  it('the inventory keeps environment variable names with a redacted marker, and no value but the log level', async () => {
    const { inventory } = await plantedScan([]);
    const fn = inventory!.accounts[0]!.regions.find((r) => r.region === 'us-east-1')!.resources.AwsLambdaFunction![0] as LambdaFunction;
    const vars = fn.Environment!.Variables!;
    expect(Object.keys(vars).sort()).toEqual(['DB_PASSWORD', 'LOG_LEVEL', 'SIGNING_KEY', 'TABLE_NAME', 'UPSTREAM_KEY_ID']);
    for (const [name, profile] of Object.entries(vars)) {
      expect(profile.redacted, name).toBe(true);
      if (name === 'LOG_LEVEL') expect(profile.value).toBe('INFO');
      else expect(profile, name).not.toHaveProperty('value');
    }
    expect(vars.UPSTREAM_KEY_ID!.patterns).toContain('aws-access-key-id');
    expect(vars.SIGNING_KEY!.patterns).toContain('private-key');
  });

  it('not on the CLI streams, the report file, the saved inventory or the history, with secrets in the environment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lens-audit-secrets-'));
    // The webhook is this test's local server: the CLI posts its digest there (and gets an error back).
    const env = {
      [SLACK_WEBHOOK_ENV]: `${slack.base}${SLACK_WEBHOOK_PATH}`,
      AWS_ACCESS_KEY_ID: SECRETS.factoryAccessKeyId,
      AWS_SECRET_ACCESS_KEY: SECRETS.factorySecretKey,
      AWS_SESSION_TOKEN: SECRETS.factorySessionToken,
    };
    for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      for (const format of ['table', 'json', 'csv', 'html', 'asff', 'ocsf']) {
        estate.reset();
        estate.fault = (c) => (c.operation === 'ListFunctions' && c.region === 'eu-west-1' ? undefined : secretFaults(c));
        slack.requests = 0;
        const files = { out: join(dir, `report.${format}`), inventory: join(dir, `${format}.inventory.json`), store: join(dir, `${format}-state`, 'state.json') };
        const io = fakeIo({ ...process.env, ...env });
        const code = await main(
          ['--regions', 'eu-west-1,us-east-1', '--output', format, '--out', files.out, '--save-inventory', files.inventory, '--store', files.store, '--show-pass'],
          io,
        );
        // The webhook answers 500: the digest is owed to the next run (exit 5), the webhook named nowhere.
        expect(code, `${format}: ${io.err()}`).toBe(5);
        expect(slack.requests, format).toBe(1);
        const written = Object.fromEntries(Object.entries(files).map(([k, f]) => [k, readFileSync(f, 'utf8')]));
        expect(written.out!.length, format).toBeGreaterThan(100);
        for (const [name, text] of Object.entries({ stdout: io.out(), stderr: io.err(), ...written })) {
          expect(leaks(text), `${format} ${name}`).toEqual([]);
        }
      }
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('error messages', () => {
  it('lose signatures, tokens, credentials and the text a JSON parser quotes around its error', () => {
    const samples = [
      `AccessDenied: see ${PRESIGNED}`,
      `failed: https://hooks.slack.com${SLACK_WEBHOOK_PATH}`,
      `The security token ${SECRETS.factoryAccessKeyId} is invalid`,
    ];
    try {
      JSON.parse(`{"Variables":{"DB_PASSWORD":${SECRETS.envPassword}}}`);
    } catch (err) {
      samples.push((err as Error).message);
    }
    for (const s of samples) {
      expect(leaks(s).length, `sample carries a secret: ${s}`).toBeGreaterThan(0);
      expect(leaks(errorMessage(new Error(s))), s).toEqual([]);
    }
  });
});

describe('the Slack sink', () => {

  it('the digest payload carries no secret from the run', async () => {
    const { report } = await plantedScan([]);
    const digest = buildDigest({ runId: report.runId, scope: report.scope, newResults: report.results, resolved: [], counts: report.summary, reportUrl: `https://reports.example.com/${report.runId}.html` });
    expect(digest?.blocks.length).toBeGreaterThan(2);
    expect(leaks(JSON.stringify(digest))).toEqual([]);
  });

  it('no error entry names the webhook from LENS_AUDIT_SLACK_WEBHOOK, whatever the failure', async () => {
    const input = {
      runId: 'run-1',
      scope: { accounts: ['111122223333'], regions: ['us-east-1'] },
      newResults: [{
        findingId: '0'.repeat(32), checkId: 'lambda.env-secrets', title: 'Lambda environment variable appears to hold a secret', status: 'FAIL' as const,
        severity: 'HIGH' as const, pillar: 'SEC' as const, lens: ['SERVSEC 6'], accountId: '111122223333', region: 'us-east-1',
        resourceKind: 'AwsLambdaFunction', resourceArn: 'arn:aws:lambda:us-east-1:111122223333:function:orders-api', resourceName: 'orders-api',
        message: 'Function orders-api has environment variable(s) that look like secrets: DB_PASSWORD.',
      }] as Result[],
      resolved: [],
    };
    const settings = [
      ['error-echo', `${slack.base}${SLACK_WEBHOOK_PATH}`],
      ['reset', `${slack.base}${SLACK_WEBHOOK_PATH}`],
      ['hang', `${slack.base}${SLACK_WEBHOOK_PATH}`],
      ['error-echo', `http://hooks.example.com${SLACK_WEBHOOK_PATH}`],
      ['error-echo', `hooks.slack.com${SLACK_WEBHOOK_PATH}`],
    ] as const;
    for (const [m, url] of settings) {
      slack.mode = m;
      const webhook = webhookSetting(undefined, { [SLACK_WEBHOOK_ENV]: url });
      expect(webhook).toBe(url);
      const out = await postSlackDigest(input, { webhook: webhook!, postedMarker: new MemoryPostedMarker(), timeoutMs: 300, maxAttempts: 1 });
      expect(out.status, `${m} ${url}`).toBe('failed');
      expect(out.errors.length).toBe(1);
      expect(leaks(JSON.stringify(out)), `${m} ${url}: ${JSON.stringify(out)}`).toEqual([]);
    }
  });
});

function fakeIo(env: NodeJS.ProcessEnv) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  return { stdout, stderr, env, out: () => out, err: () => err };
}
