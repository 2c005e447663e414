// `npm run nightly:local`: the nightly pipeline end to end, on this machine. It synthesizes the auditor stack
// (aws-cdk-lib in process, bundling skipped), takes the state machine definition from the template and executes it
// with aws-local-stepfunctions; each Task state runs the real Lambda handler (src/lambda/handlers.ts) in process,
// against the simulated AWS of bench/sim for the audited account, dynalite for the state table, a local HTTP server as
// the Slack webhook, and recorded Security Hub, Secrets Manager and S3 calls.
//
//   npm run nightly:local                              estate S, one run
//   npm run nightly:local -- --runs 2 --fix            between runs, one flaw fixed and one added in the estate
//   npm run nightly:local -- --estate L --budget-ms 3000   force checkpoint continuations (scan budget 3 s)
//
// One JSON line per run on stdout: {runId, status, accountsAssessed, accountsNotAssessed, new, persisting, resolved,
// securityHubImported, slackPosts, reportKeys, invocations, continuations, cost}. `cost` carries what the cost table
// of deploy/README.md is computed from (Lambda GB-seconds, state transitions, DynamoDB request units, S3 PUTs,
// Security Hub findings).
//
// Where the interpreter differs from AWS (checked with aws-local-stepfunctions 3.0.0):
//  - a Task without TimeoutSeconds times out after 60 s there, while on AWS a Lambda task runs until the function's
//    own timeout: each Task gets TimeoutSeconds = its function's Timeout here (900 s), as on AWS;
//  - the Context object has no Execution.Name unless given: it is passed (the run id); Execution.StartTime is always
//    the real start (the interpreter overrides a given one), so runs are dated now, one after the other;
//  - it calls Promise.withResolvers (Node 22): polyfilled here for Node 20;
//  - Retry intervals are set to 0 (retryIntervalOverrides) so a retried item does not wait 30 s;
//  - a Distributed Map (scan.distributedMap) runs inline: ToleratedFailurePercentage and child executions are not
//    interpreted, so the local run uses the inline Map (the default), and the Distributed Map is tested as a template
//    (test/deploy/auditor-stack.test.ts).
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { StateMachine } from 'aws-local-stepfunctions';
import { SimulatedAws } from '../bench/sim/aws.js';
import { ESTATES, accessKeyId, accountId, type EstateSpec } from '../bench/sim/estate.js';
import { ALL_CHECKS } from '../checks/index.js';
import { AuditorStack } from '../deploy/lib/auditor-stack.js';
import { ClientFactory } from '../src/aws/clients.js';
import { silentLogger } from '../src/collect/types.js';
import { parseDeployConfig, runtimeConfig, type DeployConfig } from '../src/lambda/config.js';
import { createHandlers, type FinalizeOutput, type InvocationContext } from '../src/lambda/handlers.js';
import type { ObjectWriter } from '../src/sinks/report-bucket.js';
import { ensureTable } from '../src/state/dynamodb-store.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

// aws-local-stepfunctions 3.0.0 uses Promise.withResolvers (Node 22); this project runs on Node 20 too.
const P = Promise as unknown as { withResolvers?: () => unknown };
P.withResolvers ??= () => {
  let resolve!: (v: unknown) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};

const dynalite = createRequire(import.meta.url)('dynalite') as (opts: { createTableMs?: number }) => Server;

export interface NightlyOptions {
  estate?: 'S' | 'L' | 'XL';
  runs?: number;
  fix?: boolean;
  budgetMs?: number;
  /** Simulated AWS latency per call (ms); default 40 as in `npm run bench`. */
  latencyMs?: number;
  /** Pace to (and simulate) the published rate limits; default on. */
  limits?: boolean;
  /** First run's start; each further run starts one day later. */
  firstStart?: Date;
}

export interface RunLine {
  runId: string;
  status: string;
  accountsAssessed: number;
  accountsNotAssessed: number;
  new: number;
  persisting: number;
  resolved: number;
  securityHubImported: number;
  slackPosts: number;
  reportKeys: string[];
  invocations: Record<string, number>;
  continuations: number;
  cost: {
    lambdaGbSeconds: number;
    lambdaMs: Record<string, number>;
    stateTransitions: number;
    dynamodb: { writeUnits: number; readUnits: number; requests: number };
    s3Puts: number;
    s3Bytes: number;
    securityHubFindings: number;
  };
}

export interface NightlyResult {
  lines: RunLine[];
  /** What each run wrote to the report bucket (key → body), the Slack posts, and the finalize outputs. */
  reports: Map<string, string>[];
  slack: unknown[][];
  finals: FinalizeOutput[];
  estate: EstateSpec;
  /** The function indexes fixed and flawed before each run (empty for the first). */
  mutations: { fixed: number; flawed: number }[];
}

type Json = Record<string, unknown>;

// ------------------------------------------------------------------------------------------- the estate's changes

/**
 * Mutation k (before run k+1): function 3k-2 of the first region gets X-Ray tracing (a lambda.no-tracing failure
 * fixed: the estate traces every third function, 0, 3, 6 ...), function 3k-3 loses it (a flaw added).
 */
export function mutate(sim: SimulatedAws, k: number): { fixed: number; flawed: number } {
  const region = sim.spec.regions[0]!;
  const fixed = 3 * k - 2;
  const flawed = 3 * k - 3;
  sim.patchFunction(0, region, fixed, { TracingConfig: { Mode: 'Active' } });
  sim.patchFunction(0, region, flawed, { TracingConfig: { Mode: 'PassThrough' } });
  return { fixed, flawed };
}

// ------------------------------------------------------------------------------------------- template → definition

interface Template {
  Resources: Record<string, { Type: string; Properties: Json }>;
}

/** The deployed configuration of the local stack: the simulated account alone, every sink on. */
export function localDeployConfig(spec: EstateSpec): DeployConfig {
  return parseDeployConfig({
    stackName: 'LensAuditLocal',
    env: { account: accountId(0), region: spec.regions[0] },
    scope: { accounts: [accountId(0)], regions: [...spec.regions] },
    securityHub: { enabled: true },
    slack: { enabled: true },
    reports: { enabled: true },
  }, ALL_CHECKS, 'nightly:local');
}

/** Synthesizes the stack (bundling skipped: the definition does not depend on it) and returns its template. */
export function synthTemplate(config: DeployConfig): Template {
  const outdir = mkdtempSync(join(tmpdir(), 'lens-audit-nightly-'));
  try {
    const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
    new AuditorStack(app, config.stackName, { config, env: { account: config.env!.account!, region: config.env!.region! } });
    return app.synth().getStackByName(config.stackName).template as Template;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The definition with its CloudFormation tokens resolved: functions by a local ARN naming their logical id. */
export function definitionOf(template: Template, region: string, account: string): { definition: Json; functions: Map<string, { handler: string; timeout: number; memoryMb: number }> } {
  const [sm] = Object.values(template.Resources).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
  if (!sm) throw new Error('the template has no state machine');
  const functions = new Map<string, { handler: string; timeout: number; memoryMb: number }>();
  for (const [id, r] of Object.entries(template.Resources)) {
    if (r.Type !== 'AWS::Lambda::Function') continue;
    functions.set(`arn:aws:lambda:${region}:${account}:function:${id}`, {
      handler: String(r.Properties.Handler).replace(/^index\./, ''), timeout: Number(r.Properties.Timeout ?? 3), memoryMb: Number(r.Properties.MemorySize ?? 128),
    });
  }
  const resolve = (part: unknown): string => {
    if (typeof part === 'string') return part;
    const p = part as Json;
    if (p['Fn::GetAtt']) {
      const [id, attr] = p['Fn::GetAtt'] as [string, string];
      if (attr === 'Arn' && template.Resources[id]?.Type === 'AWS::Lambda::Function') return `arn:aws:lambda:${region}:${account}:function:${id}`;
      return `arn:aws:local:${region}:${account}:${id}`;
    }
    if (p.Ref === 'AWS::Partition') return 'aws';
    if (p.Ref === 'AWS::Region') return region;
    if (p.Ref === 'AWS::AccountId') return account;
    if (typeof p.Ref === 'string') return `arn:aws:local:${region}:${account}:${p.Ref}`;
    throw new Error(`unresolved token in the definition: ${JSON.stringify(part)}`);
  };
  const body = sm.Properties.DefinitionString as Json | string;
  const text = typeof body === 'string' ? body : ((body['Fn::Join'] as [string, unknown[]])[1]).map(resolve).join('');
  return { definition: JSON.parse(text) as Json, functions };
}

/** Every Task state (in Map item processors too), with its function; Retry names for the interval overrides. */
function walkStates(def: Json, visit: (name: string, state: Json) => void): void {
  for (const [name, state] of Object.entries(def.States as Record<string, Json>)) {
    visit(name, state);
    const inner = (state.ItemProcessor ?? state.Iterator) as Json | undefined;
    if (inner) walkStates(inner, visit);
    for (const b of (state.Branches ?? []) as Json[]) walkStates(b, visit);
  }
}

// ------------------------------------------------------------------------------------------- the sinks

/**
 * The sinks' endpoint (every sink client is pointed at it, as with AWS_ENDPOINT_URL): DynamoDB requests are passed to
 * dynalite, Secrets Manager's GetSecretValue is answered with the local webhook, Security Hub imports are recorded.
 */
class SinkServer {
  findings = 0;
  dynamoRequests = 0;
  writeUnits = 0;
  readUnits = 0;
  readonly server: Server;
  constructor(private readonly dynamo: URL, private readonly webhook: () => string) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void this.answer(req, Buffer.concat(chunks), res).catch((err: Error) => res.writeHead(500).end(err.message)));
    });
  }
  async listen(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
  private async answer(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
    const target = String(req.headers['x-amz-target'] ?? '');
    const json = (value: unknown) => res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'local' }).end(JSON.stringify(value));
    if (target.startsWith('DynamoDB_20120810.')) {
      this.dynamoRequests++;
      const op = target.split('.')[1]!;
      // Request units, approximately: a write is 1 WRU per KB written, a strongly consistent read 1 RRU per 4 KB read.
      if (/^(PutItem|BatchWriteItem|UpdateItem|DeleteItem)$/.test(op)) this.writeUnits += Math.max(1, Math.ceil(body.length / 1024));
      const out = await forward(this.dynamo, req, body);
      if (/^(Query|GetItem|BatchGetItem|Scan)$/.test(op)) this.readUnits += Math.max(1, Math.ceil(out.body.length / 4096));
      res.writeHead(out.status, out.headers).end(out.body);
      return;
    }
    if (target === 'secretsmanager.GetSecretValue') {
      json({ ARN: (JSON.parse(body.toString('utf8')) as { SecretId: string }).SecretId, Name: 'lens-audit/slack-webhook', VersionId: 'v1', SecretString: this.webhook(), VersionStages: ['AWSCURRENT'], CreatedDate: 1.7e9 });
      return;
    }
    if (req.method === 'POST' && req.url === '/findings/import') {
      const n = ((JSON.parse(body.toString('utf8')) as { Findings?: unknown[] }).Findings ?? []).length;
      this.findings += n;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ FailedCount: 0, SuccessCount: n, FailedFindings: [] }));
      return;
    }
    res.writeHead(400, { 'content-type': 'application/json', 'x-amzn-errortype': 'UnknownOperationException' }).end(JSON.stringify({ message: `nightly:local: no local answer for ${req.method} ${req.url} ${target}` }));
  }
}

function forward(to: URL, req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, host: to.host } as unknown as Record<string, string>;
    const r = httpRequest({ hostname: to.hostname, port: to.port, method: req.method, path: req.url, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 500, headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)])), body: Buffer.concat(chunks) }));
    });
    r.on('error', reject);
    r.end(body);
  });
}

class RecordingWriter implements ObjectWriter {
  objects = new Map<string, string>();
  puts = 0;
  bytes = 0;
  async put(key: string, body: string): Promise<void> {
    this.puts++;
    this.bytes += Buffer.byteLength(body);
    this.objects.set(key, body);
  }
}

// ------------------------------------------------------------------------------------------- the run

export async function runNightlyLocal(o: NightlyOptions = {}): Promise<NightlyResult> {
  const spec = ESTATES[o.estate ?? 'S'];
  if (!spec) throw new Error(`unknown estate ${o.estate} (S, L, XL)`);
  const runs = o.runs ?? 1;
  const region = spec.regions[0]!;
  const account = accountId(0);
  const config = localDeployConfig(spec);
  const debug = (m: string) => process.env.NIGHTLY_LOCAL_DEBUG && process.stderr.write(`nightly:local: ${new Date().toISOString()} ${m}\n`);
  debug('synth');
  const template = synthTemplate(config);
  debug('synthesized');
  const { definition, functions } = definitionOf(template, region, account);

  // The simulated estate, the state table, the webhook.
  const sim = new SimulatedAws({ spec, latencyMs: o.latencyMs ?? 40, ...(o.limits === false ? { limits: false as const } : {}) });
  const db = dynalite({ createTableMs: 0 });
  await new Promise<void>((r) => db.listen(0, '127.0.0.1', r));
  const dynamoEndpoint = new URL(`http://127.0.0.1:${(db.address() as AddressInfo).port}`);
  let posts: unknown[] = [];
  const slack = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      posts.push(JSON.parse(body));
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((r) => slack.listen(0, '127.0.0.1', r));
  const webhook = `http://127.0.0.1:${(slack.address() as AddressInfo).port}/services/T0000/B0000/localwebhooklocalwebhook`;
  const router = new SinkServer(dynamoEndpoint, () => webhook);
  const sinkEndpoint = await router.listen();
  const fake = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' };
  const table = `${config.stackName}-state`;
  const setup = new ClientFactory({ readOnly: false, endpoint: dynamoEndpoint.origin, credentials: fake, maxAttempts: 1 });
  await ensureTable(setup.get(DynamoDBClient, region), table, { ttl: false }); // dynalite has no UpdateTimeToLive
  setup.destroy();

  const writer = new RecordingWriter();
  const metrics: string[] = [];
  const handlers = createHandlers({
    config: runtimeConfig(config),
    table,
    region,
    slackSecretArn: `arn:aws:secretsmanager:${region}:${account}:secret:lens-audit/slack-webhook-AbCdEf`,
    aws: { credentials: { accessKeyId: accessKeyId(0), secretAccessKey: 'simulated' }, requestHandler: sim, ...(o.limits === false ? { pacing: false } : {}) },
    sinkAws: { credentials: fake, endpoint: sinkEndpoint, maxAttempts: 2 },
    checks: ALL_CHECKS,
    log: silentLogger,
    reportBucket: 'lensauditlocal-reports',
    reportWriter: writer,
    stackName: config.stackName,
    emitMetrics: (line) => metrics.push(line),
    ...(o.budgetMs !== undefined ? { scanBudgetMs: o.budgetMs } : {}),
  });
  const entry: Record<string, (event: never, context?: InvocationContext) => Promise<unknown>> = {
    plan: (e) => handlers.plan(e), scanner: (e, c) => handlers.scanner(e, c), finalize: (e) => handlers.finalize(e),
  };

  // Task states → the handler of their function, timed and counted; Task timeouts as on AWS; retries without waiting.
  let invocations: Record<string, number> = {};
  let lambdaMs: Record<string, number> = {};
  let gbSeconds = 0;
  let continuations = 0;
  const taskResourceLocalHandlers: Record<string, (input: unknown) => Promise<never>> = {};
  const retryIntervalOverrides: Record<string, number> = {};
  walkStates(definition, (name, state) => {
    if (state.Retry) retryIntervalOverrides[name] = 0;
    if (state.Type !== 'Task') return;
    const fn = functions.get(String(state.Resource));
    if (!fn) throw new Error(`Task ${name}: ${String(state.Resource)} is not a function of the stack`);
    state.TimeoutSeconds ??= fn.timeout;
    taskResourceLocalHandlers[name] = async (input: unknown) => {
      const started = Date.now();
      debug(`${name} ${JSON.stringify(input).slice(0, 120)}`);
      const context: InvocationContext = { getRemainingTimeInMillis: () => fn.timeout * 1000 - (Date.now() - started) };
      // A Lambda function's event is JSON: the handler gets a copy, as over the wire.
      const event = JSON.parse(JSON.stringify(input)) as never;
      try {
        const out = await entry[fn.handler]!(event, context);
        if (fn.handler === 'scanner' && (out as { done?: boolean })?.done === false) continuations++;
        return JSON.parse(JSON.stringify(out ?? null)) as never;
      } catch (err) {
        // The state machine retries or catches it, as on AWS; the reason goes to stderr (a Lambda's log).
        if (process.env.NIGHTLY_LOCAL_DEBUG) process.stderr.write(`nightly:local: ${name}: ${(err as Error).name}: ${(err as Error).message}\n`);
        throw err;
      } finally {
        const ms = Date.now() - started;
        invocations[fn.handler] = (invocations[fn.handler] ?? 0) + 1;
        lambdaMs[fn.handler] = (lambdaMs[fn.handler] ?? 0) + ms;
        // Lambda bills duration rounded up to the millisecond, times the configured memory.
        gbSeconds += (ms / 1000) * (fn.memoryMb / 1024);
      }
    };
  });
  const machine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });

  const result: NightlyResult = { lines: [], reports: [], slack: [], finals: [], estate: spec, mutations: [] };
  const first = o.firstStart ?? new Date('2026-06-01T03:00:00.000Z');
  try {
    for (let run = 0; run < runs; run++) {
      if (run > 0 && o.fix) result.mutations.push(mutate(sim, run));
      invocations = {};
      lambdaMs = {};
      gbSeconds = 0;
      continuations = 0;
      posts = [];
      writer.objects = new Map();
      const before = { findings: router.findings, w: router.writeUnits, r: router.readUnits, q: router.dynamoRequests, puts: writer.puts, bytes: writer.bytes };
      const runId = `local-${spec.name}-${run + 1}`;
      const startedAt = new Date(first.getTime() + run * 86_400_000).toISOString();
      const execution = machine.run({}, {
        overrides: { taskResourceLocalHandlers: taskResourceLocalHandlers as never, retryIntervalOverrides },
        context: { Execution: { Name: runId, StartTime: startedAt, Input: {} } },
      });
      let transitions = 0;
      const counting = (async () => {
        for await (const ev of execution.eventLogs) {
          const type = (ev as { type: string }).type;
          if (type === 'StateEntered') transitions++;
          if (/Failed|Retried|Caught/.test(type)) debug(`${type} ${JSON.stringify(ev).slice(0, 400)}`);
        }
      })();
      let status = 'SUCCEEDED';
      let final: FinalizeOutput | undefined;
      try {
        final = (await execution.result) as unknown as FinalizeOutput;
      } catch (err) {
        debug(`execution failed: ${(err as Error).message}`);
        status = `FAILED (${(err as Error).name}: ${(err as Error).message})`;
      }
      await counting.catch(() => undefined);
      // The finalize output is the execution's output (the Choice passes it through); a failed run ends in a Fail state.
      if (!final) {
        const out = metrics.at(-1);
        if (out && JSON.parse(out).runId === runId && JSON.parse(out).status === 'FAILED') status = 'FAILED';
      }
      const health = metrics.at(-1) ? (JSON.parse(metrics.at(-1)!) as Json) : {};
      result.finals.push(final!);
      result.reports.push(writer.objects);
      result.slack.push(posts);
      result.lines.push({
        runId,
        status: final?.status ?? status,
        accountsAssessed: Number(health.AccountsAssessed ?? 0),
        accountsNotAssessed: Number(health.AccountsNotAssessed ?? 0),
        new: final?.history.new ?? 0,
        persisting: final?.history.persisting ?? 0,
        resolved: final?.history.resolved ?? 0,
        securityHubImported: router.findings - before.findings,
        slackPosts: posts.length,
        reportKeys: final?.reports ?? [],
        invocations: { ...invocations },
        continuations,
        cost: {
          lambdaGbSeconds: Math.round(gbSeconds * 100) / 100,
          lambdaMs: { ...lambdaMs },
          stateTransitions: transitions,
          dynamodb: { writeUnits: router.writeUnits - before.w, readUnits: router.readUnits - before.r, requests: router.dynamoRequests - before.q },
          s3Puts: writer.puts - before.puts,
          s3Bytes: writer.bytes - before.bytes,
          securityHubFindings: router.findings - before.findings,
        },
      });
    }
  } finally {
    await router.close();
    await new Promise((r) => slack.close(r));
    await new Promise((r) => db.close(r));
  }
  return result;
}

// ------------------------------------------------------------------------------------------- command line

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      estate: { type: 'string', default: 'S' },
      runs: { type: 'string', default: '1' },
      fix: { type: 'boolean', default: false },
      'budget-ms': { type: 'string' },
      latency: { type: 'string', default: '40' },
      'no-limits': { type: 'boolean', default: false },
    },
  });
  const int = (name: string, v: string | undefined, min: number) => {
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v) || Number(v) < min) throw new Error(`--${name} must be a whole number ≥ ${min}, got ${JSON.stringify(v)}`);
    return Number(v);
  };
  const estate = values.estate!.toUpperCase();
  if (!['S', 'L', 'XL'].includes(estate)) throw new Error(`--estate must be S, L or XL, got ${JSON.stringify(values.estate)}`);
  const out = await runNightlyLocal({
    estate: estate as 'S' | 'L' | 'XL', runs: int('runs', values.runs, 1), fix: values.fix, budgetMs: int('budget-ms', values['budget-ms'], 1),
    latencyMs: int('latency', values.latency, 0), limits: !values['no-limits'],
  });
  for (const line of out.lines) process.stdout.write(`${JSON.stringify(line)}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err: Error) => {
    process.stderr.write(`nightly:local: ${err.message.split('\n')[0]}\n`);
    process.exitCode = 2;
  });
}
