// AWS faults: throttling bursts, AccessDenied on whole services, a region whose endpoint never answers, resets every
// connection or throttles every call (the circuit breaker), a session that expires mid-scan, truncated and malformed
// answers. Each run completes for everything else, reports each fault in `errors`,
// and a fault only ever turns results into NOT_ASSESSED: never a PASS where there was a FAIL, never a silent pass.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../checks/index.js';
import { BREAKER_THRESHOLD, RegionBreaker, RegionSkipped, breakerScope, unreachableCause } from '../../src/aws/breaker.js';
import { ClientFactory, type ClientFactoryOptions } from '../../src/aws/clients.js';
import { main } from '../../src/cli.js';
import { NothingAssessedError } from '../../src/engine/errors.js';
import { runAudit } from '../../src/engine/run-audit.js';
import type { Kind, Result } from '../../src/model/index.js';
import type { AuditReport } from '../../src/model/index.js';
import { ANSWERS, awsError, cannedHandler, Estate, FACTORY_CREDENTIALS, type Call, type Fault } from './estate.js';

const estate = new Estate();
beforeAll(() => estate.install());
afterAll(() => estate.restore());
beforeEach(() => estate.reset());

const REGIONS = ['us-east-1', 'eu-west-1'];

async function scan(fault?: Fault, aws: ClientFactoryOptions = {}, warnings: string[] = []): Promise<AuditReport> {
  estate.reset();
  estate.fault = fault;
  const log = { debug() {}, info() {}, error() {}, warn: (m: string) => void warnings.push(m) };
  const { report } = await runAudit({ checks: ALL_CHECKS, aws: { credentials: FACTORY_CREDENTIALS, ...aws }, regions: REGIONS, metrics: true, log });
  return report;
}

let baseline: AuditReport;
beforeAll(async () => {
  baseline = await scan();
  expect(baseline.errors).toEqual([]);
});

const key = (r: Result) => `${r.checkId} ${r.region} ${r.resourceName} ${r.status}`;

/**
 * The invariant of every fault: compared with the fault-free run, a result either keeps its status or becomes
 * NOT_ASSESSED; a result that disappeared (its resource could not be listed) is covered by a NOT_ASSESSED result of
 * the same check in the same account and region; nothing new is assessed.
 */
function expectOnlyNotAssessed(faulted: AuditReport): void {
  const before = new Map(baseline.results.map((r) => [r.findingId, r]));
  const after = new Map(faulted.results.map((r) => [r.findingId, r]));
  const flipped: string[] = [];
  const appeared: string[] = [];
  const vanished: string[] = [];
  const unexplained: string[] = [];
  // What a NOT_ASSESSED message may name to explain itself: the error code, or the call that failed.
  const codes = [...new Set(faulted.errors.flatMap((e) => [e.code, e.operation.split(':')[1]!]))];
  for (const r of faulted.results) {
    const b = before.get(r.findingId);
    if (!b) {
      if (r.status !== 'NOT_ASSESSED') appeared.push(key(r));
    } else if (r.status !== b.status && r.status !== 'NOT_ASSESSED') flipped.push(`${key(b)} -> ${r.status}`);
    // A result that is not assessed because of the fault says which failure it was.
    if (r.status === 'NOT_ASSESSED' && b?.status !== 'NOT_ASSESSED' && !codes.some((c) => r.message.includes(c))) unexplained.push(`${key(r)}: ${r.message}`);
  }
  for (const b of baseline.results) {
    if (after.has(b.findingId)) continue;
    const covered = faulted.results.some((r) => r.checkId === b.checkId && r.accountId === b.accountId && r.region === b.region && r.status === 'NOT_ASSESSED');
    if (!covered) vanished.push(key(b));
  }
  expect({ flipped, appeared, vanished, unexplained }).toEqual({ flipped: [], appeared: [], vanished: [], unexplained: [] });
}

const checkKinds = new Map(ALL_CHECKS.map((c) => [c.id, [c.resourceKind, ...(c.needs ?? [])] as Kind[]]));
/** Results about resources of `kinds` (by the result's resource kind, or the check's kind for scope-level results). */
function resultsTouching(report: AuditReport, kinds: Kind[], region?: string): Result[] {
  return report.results.filter((r) => (kinds.includes(r.resourceKind as Kind) || kinds.includes(checkKinds.get(r.checkId)![0]!)) && (!region || r.region === region));
}

const errorsOf = (report: AuditReport) => report.errors.map((e) => `${e.region} ${e.operation} ${e.code}`);

describe('throttling', () => {
  const throttled = { status: 429, headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException' }, body: JSON.stringify({ Reason: 'CallerRateLimitExceeded', Type: 'User', message: 'Rate exceeded' }) };
  const listFunctions = (region: string) => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(ANSWERS['lambda:ListFunctions']!({}, region)) });
  const regionOf = (host: string) => /[a-z]{2}-[a-z]+-\d/.exec(host)![0];

  it('a burst within the retry budget costs retries, not results', async () => {
    const seen = new Map<string, number>();
    const h = cannedHandler((req) => {
      const region = regionOf(req.hostname);
      const n = (seen.get(region) ?? 0) + 1;
      seen.set(region, n);
      return n <= 2 ? throttled : listFunctions(region);
    });
    const report = await scan((c) => (c.operation === 'ListFunctions' ? 'real' : undefined), { requestHandler: h.handler, maxAttempts: 4 });
    expect(Object.fromEntries(seen)).toEqual({ 'us-east-1': 3, 'eu-west-1': 3 });
    expect(report.errors).toEqual([]);
    expect(report.stats.throttled).toBe(4);
    expect(report.results.map(key).sort()).toEqual(baseline.results.map(key).sort());
  });

  it('throttling past the retries is an error and leaves the region\'s functions not assessed', async () => {
    const h = cannedHandler((req) => (regionOf(req.hostname) === 'eu-west-1' ? throttled : listFunctions(regionOf(req.hostname))));
    const report = await scan((c) => (c.operation === 'ListFunctions' ? 'real' : undefined), { requestHandler: h.handler, maxAttempts: 2, retryMode: 'standard' });
    expect(errorsOf(report)).toEqual(['eu-west-1 lambda:ListFunctions TooManyRequestsException']);
    const fn = report.results.filter((r) => r.resourceKind === 'AwsLambdaFunction' && r.region === 'eu-west-1');
    expect(fn.length).toBeGreaterThan(0);
    expect(fn.filter((r) => r.status !== 'NOT_ASSESSED').map(key)).toEqual([]);
    expect(report.results.filter((r) => r.resourceKind === 'AwsLambdaFunction' && r.region === 'us-east-1' && r.status !== 'NOT_ASSESSED').length).toBeGreaterThan(0);
    expectOnlyNotAssessed(report);
  });

  it('a throttled per-resource call becomes a field gap of that resource only', async () => {
    const report = await scan((c) => (c.operation === 'DescribeTable' ? awsError('ThrottlingException', 'Rate of requests exceeds the allowed throughput.') : undefined));
    expect(errorsOf(report).sort()).toEqual(['eu-west-1 dynamodb:DescribeTable ThrottlingException', 'us-east-1 dynamodb:DescribeTable ThrottlingException']);
    expect(resultsTouching(report, ['AwsDynamoDbTable']).some((r) => r.status === 'NOT_ASSESSED')).toBe(true);
    expectOnlyNotAssessed(report);
  });
});

describe('AccessDenied on whole services', () => {
  it('Kinesis, DynamoDB and IAM denied: their checks are not assessed, the rest is unchanged', async () => {
    const denied = new Set(['kinesis', 'dynamodb', 'iam']);
    const report = await scan((c) =>
      denied.has(c.service) ? awsError(c.service === 'iam' ? 'AccessDenied' : 'AccessDeniedException', `User: arn:aws:iam::111122223333:user/auditor is not authorized to perform: ${c.service}:${c.operation}`) : undefined);
    expect(errorsOf(report)).toEqual(expect.arrayContaining([
      'us-east-1 kinesis:ListStreams AccessDeniedException', 'eu-west-1 kinesis:ListStreams AccessDeniedException',
      'us-east-1 dynamodb:ListTables AccessDeniedException', 'eu-west-1 dynamodb:ListTables AccessDeniedException',
      'global iam:GetAccountAuthorizationDetails AccessDenied',
    ]));
    const touched = resultsTouching(report, ['AwsKinesisStream', 'AwsDynamoDbTable', 'AwsIamRole']);
    expect(touched.length).toBeGreaterThan(4);
    expect(touched.filter((r) => r.status !== 'NOT_ASSESSED').map(key)).toEqual([]);
    // Everything else ran: Lambda, SNS, API Gateway, logs results are as without the fault.
    expect(report.results.filter((r) => r.resourceKind === 'AwsSnsTopic' && r.status !== 'NOT_ASSESSED').length).toBeGreaterThan(0);
    expectOnlyNotAssessed(report);
  });

  it('everything denied: nothing assessed is an error (exit 3, one line), not an empty green report', async () => {
    estate.fault = (c) => (c.operation === 'GetCallerIdentity' ? undefined : awsError('AccessDeniedException', 'not authorized'));
    await expect(runAudit({ checks: ALL_CHECKS, aws: { credentials: FACTORY_CREDENTIALS }, regions: REGIONS })).rejects.toBeInstanceOf(NothingAssessedError);

    estate.reset();
    estate.fault = (c) => (c.operation === 'GetCallerIdentity' ? undefined : awsError('AccessDeniedException', 'not authorized'));
    const out = new PassThrough();
    const err = new PassThrough();
    let stderr = '';
    err.on('data', (d) => (stderr += d));
    const code = await main(['--regions', REGIONS.join(','), '--no-store', '--quiet', '--output', 'json'], { stdout: out, stderr: err, env: {} });
    expect(code).toBe(3);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^audit: nothing could be assessed/);
  });
});

/**
 * A loopback fault endpoint. `hang`: accepts connections and never says anything, like a black-holed regional endpoint
 * behind a proxy. `reset`: accepts, reads the request and resets the connection. `throttle`: an HTTP/1.1 server that
 * answers every call with throttling in the call's own protocol (awsJson `__type`, awsQuery XML, REST-JSON 429).
 */
class FaultEndpoint {
  connections = 0;
  requests = 0;
  url = '';
  private server: Server;
  private sockets = new Set<Socket>();
  constructor(readonly kind: 'hang' | 'reset' | 'throttle') {
    this.server = kind === 'throttle'
      ? createHttpServer((req, res) => {
        this.requests++;
        req.resume();
        req.on('end', () => throttle(req, res));
      })
      : createServer((s) => {
        s.on('error', () => {});
        if (kind === 'reset') s.once('data', () => (this.requests++, s.resetAndDestroy()));
        else s.once('data', () => this.requests++);
      });
    this.server.on('connection', (s: Socket) => {
      this.connections++;
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }
  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this;
  }
  reset(): void {
    this.connections = 0;
    this.requests = 0;
  }
  stop(): void {
    for (const s of this.sockets) s.destroy();
    this.server.close();
  }
}

function throttle(req: IncomingMessage, res: ServerResponse): void {
  const headers = { 'x-amzn-requestid': 'c0ffee00-0000-4000-8000-000000000000' };
  const target = req.headers['x-amz-target'];
  if (target) {
    // awsJson 1.0 / 1.1 (DynamoDB, Kinesis, Logs, CloudWatch, Service Quotas ...).
    res.writeHead(400, { ...headers, 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify({ __type: 'com.amazonaws.coral.availability#ThrottlingException', message: 'Rate exceeded' }));
  } else if (String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    // awsQuery / ec2Query (SNS, IAM, STS, EC2).
    res.writeHead(400, { ...headers, 'content-type': 'text/xml' });
    res.end('<ErrorResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>c0ffee00-0000-4000-8000-000000000000</RequestId></ErrorResponse>');
  } else {
    // REST-JSON (Lambda, API Gateway).
    res.writeHead(429, { ...headers, 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException' });
    res.end(JSON.stringify({ Reason: 'CallerRateLimitExceeded', Type: 'User', message: 'Rate exceeded' }));
  }
}

describe('faults that would take minutes: timeouts named unreachable, the per-region circuit breaker', () => {
  const endpoints = { hang: new FaultEndpoint('hang'), reset: new FaultEndpoint('reset'), throttle: new FaultEndpoint('throttle') };
  beforeAll(async () => {
    for (const e of Object.values(endpoints)) await e.start();
  });
  beforeEach(() => {
    for (const e of Object.values(endpoints)) e.reset();
  });
  afterAll(() => {
    for (const e of Object.values(endpoints)) e.stop();
  });
  // Short timeouts and few attempts keep each probe to seconds; the breaker's threshold is the default one.
  const fast = { requestTimeoutMs: 200, connectionTimeoutMs: 200, maxAttempts: 3 };

  it('a never-answering STS endpoint is named unreachable (not "no valid credentials"), after BREAKER_THRESHOLD attempts of 8', async () => {
    estate.fault = () => 'real';
    const err = await runAudit({ checks: ALL_CHECKS, aws: { credentials: FACTORY_CREDENTIALS, endpoint: endpoints.hang.url, requestTimeoutMs: 200, connectionTimeoutMs: 200, maxAttempts: 8 }, regions: ['us-east-1'] })
      .then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(NothingAssessedError);
    expect((err as Error).message).toMatch(/^cannot reach the AWS endpoint \(.*sts\.us-east-1 endpoint unreachable \(timed out after 0\.2 s\)\)/);
    expect(endpoints.hang.connections).toBe(BREAKER_THRESHOLD);
  });

  it('a connection reset on the identity call is named unreachable too', async () => {
    estate.fault = () => 'real';
    const err = await runAudit({ checks: ALL_CHECKS, aws: { credentials: FACTORY_CREDENTIALS, endpoint: endpoints.reset.url, maxAttempts: 2 }, regions: ['us-east-1'] })
      .then(() => undefined, (e: unknown) => e);
    expect((err as Error).message).toMatch(/^cannot reach the AWS endpoint \(.*sts\.us-east-1 endpoint unreachable \(connection reset\)\)/);
    expect(endpoints.reset.connections).toBe(2);
  });

  // `requests`: the most the endpoint may see. Measured: 17 (hang, reset) and 31 (throttle) requests with the breaker;
  // 60, 60 and 123 without it (every call of the region making its 3 attempts), the throttled one taking 128 s.
  const cases = [
    { kind: 'hang', requests: 30, why: /skipped after 4 consecutive timeouts: [\w-]+\.eu-west-1 endpoint unreachable \(timed out after 0\.2 s\)$/ },
    { kind: 'reset', requests: 30, why: /skipped after 4 consecutive connection failures: [\w-]+\.eu-west-1 endpoint unreachable \(connection reset\)$/ },
    { kind: 'throttle', requests: 60, why: /skipped after 4 consecutive throttled calls: [\w-]+\.eu-west-1 still throttling after the retries \(\w+: Rate exceeded\)$/ },
  ] as const;
  it.each(cases)('a region whose endpoint does $kind: the rest of it is skipped with one reason, the other region is complete', async ({ kind, requests, why }) => {
    const endpoint = endpoints[kind];
    const started = Date.now();
    const warnings: string[] = [];
    const report = await scan((c) => (c.region === 'eu-west-1' ? 'real' : undefined), { endpoint: endpoint.url, ...fast }, warnings);
    const elapsed = Date.now() - started;
    // No stderr line per collector the breaker stopped either.
    expect(warnings.filter((w) => /RegionSkipped|skipped after/.test(w))).toEqual([]);
    // Every eu-west-1 result is NOT_ASSESSED and says why: the endpoint, the throttling, or the breaker's trip.
    const eu = report.results.filter((r) => r.region === 'eu-west-1');
    expect(eu.length).toBeGreaterThan(10);
    expect(eu.filter((r) => r.status !== 'NOT_ASSESSED').map(key)).toEqual([]);
    expect(eu.filter((r) => !/RegionSkipped|endpoint unreachable|Throttl|TooManyRequests/.test(r.message)).map((r) => `${key(r)}: ${r.message}`)).toEqual([]);
    expect(eu.filter((r) => /RegionSkipped/.test(r.message)).length).toBeGreaterThan(eu.length / 2);
    // The trip is one error entry for the account-region; the calls that failed before it are listed as they are.
    const trips = report.errors.filter((e) => e.code === 'RegionSkipped');
    expect(trips).toEqual([{ accountId: '111122223333', region: 'eu-west-1', service: 'lens-audit', operation: 'circuit-breaker', code: 'RegionSkipped', message: expect.stringMatching(why) }]);
    expect(trips[0]!.message).toMatch(/^region eu-west-1 of 111122223333 skipped after/);
    const before = report.errors.filter((e) => e.region === 'eu-west-1' && e.code !== 'RegionSkipped');
    // (Measured: none for hang and reset, whose calls in flight fail at their next attempt; 3 for throttle; 21 without
    // the breaker.)
    expect(before.length).toBeLessThan(10);
    // Calls made: the first wave (one list call per collector, at once) and its attempts up to the trip.
    expect(endpoint.requests).toBeGreaterThan(0);
    expect(endpoint.requests).toBeLessThanOrEqual(requests);
    // us-east-1 was read in full: no error there, and its results are those of the fault-free run but for checks
    // that look across regions (expectOnlyNotAssessed: those name the failure).
    expect(report.errors.filter((e) => e.region !== 'eu-west-1')).toEqual([]);
    expect(report.results.filter((r) => r.region === 'us-east-1' && r.status !== 'NOT_ASSESSED').length).toBeGreaterThan(20);
    expectOnlyNotAssessed(report);
    // Not a timing assertion on the product: a guard that the probe stays bounded.
    expect(elapsed).toBeLessThan(30_000);
  });

  it('the same fault in one account-region does not skip the region of another account', async () => {
    // Two factories (two accounts): the breaker of one does not open the other's.
    const a = new ClientFactory({ credentials: FACTORY_CREDENTIALS, endpoint: endpoints.hang.url, ...fast });
    const b = new ClientFactory({ credentials: FACTORY_CREDENTIALS, endpoint: endpoints.hang.url, ...fast });
    estate.fault = () => 'real';
    const lambdaA = a.get(LambdaClient, 'eu-west-1');
    for (let i = 0; i < BREAKER_THRESHOLD; i++) await lambdaA.send(new ListFunctionsCommand({})).catch(() => undefined);
    const connections = endpoints.hang.connections;
    await expect(lambdaA.send(new ListFunctionsCommand({}))).rejects.toBeInstanceOf(RegionSkipped);
    await expect(a.get(SNSClient, 'eu-west-1').send(new ListTopicsCommand({}))).rejects.toBeInstanceOf(RegionSkipped);
    expect(endpoints.hang.connections).toBe(connections);
    // The other region of the same account, and the same region of the other account, still go to the network.
    await expect(a.get(LambdaClient, 'us-east-1').send(new ListFunctionsCommand({}))).rejects.toMatchObject({ name: 'TimeoutError', message: 'lambda.us-east-1 endpoint unreachable (timed out after 0.2 s)' });
    await expect(b.get(LambdaClient, 'eu-west-1').send(new ListFunctionsCommand({}))).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(endpoints.hang.connections).toBeGreaterThan(connections + 1);
    a.destroy();
    b.destroy();
  });

  it('a refused connection is named unreachable, and counts like a timeout', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    estate.fault = () => 'real';
    const f = new ClientFactory({ credentials: FACTORY_CREDENTIALS, endpoint: `http://127.0.0.1:${port}`, ...fast, maxAttempts: 2 });
    const lambda = f.get(LambdaClient, 'eu-west-1');
    await expect(lambda.send(new ListFunctionsCommand({}))).rejects.toMatchObject({ message: 'lambda.eu-west-1 endpoint unreachable (connection refused)' });
    expect(f.breaker!.open('eu-west-1')).toBeUndefined();
    await expect(lambda.send(new ListFunctionsCommand({}))).rejects.toMatchObject({ message: 'lambda.eu-west-1 endpoint unreachable (connection refused)' });
    await expect(lambda.send(new ListFunctionsCommand({}))).rejects.toMatchObject({
      name: 'RegionSkipped', message: 'region eu-west-1 skipped after 4 consecutive connection failures: lambda.eu-west-1 endpoint unreachable (connection refused)',
    });
    f.destroy();
  });

  it('a writing factory (state store, sinks) has no breaker, but its timeouts are named unreachable too', async () => {
    estate.fault = () => 'real';
    const f = new ClientFactory({ readOnly: false, credentials: FACTORY_CREDENTIALS, endpoint: endpoints.hang.url, ...fast, maxAttempts: 1 });
    expect(f.breaker).toBeUndefined();
    await expect(f.get(DynamoDBClient, 'eu-west-1').send(new DescribeTableCommand({ TableName: 'lens-audit-state' })))
      .rejects.toMatchObject({ name: 'TimeoutError', message: 'dynamodb.eu-west-1 endpoint unreachable (timed out after 0.2 s)' });
    f.destroy();
  });
});

describe('RegionBreaker', () => {
  const timeout = () => Object.assign(new Error('@smithy/node-http-handler - [ERROR] a request has exceeded the configured 5000 ms requestTimeout.'), { name: 'TimeoutError', code: 'ETIMEDOUT' });
  const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
  const throttled = () => awsError('ThrottlingException', 'Rate exceeded');

  it('trips after BREAKER_THRESHOLD consecutive failures in one region, only there', () => {
    const b = new RegionBreaker();
    b.accountId = '111122223333';
    const first = b.record('eu-west-1', 'lambda.eu-west-1', timeout(), false) as Error;
    expect(first.message).toBe('lambda.eu-west-1 endpoint unreachable (timed out after 5 s)');
    const connect = Object.assign(new Error('@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 5000 ms.'), { name: 'TimeoutError' });
    expect(unreachableCause(connect)).toBe('connection timed out after 5 s');
    for (let i = 1; i < BREAKER_THRESHOLD; i++) {
      expect(b.open('eu-west-1')).toBeUndefined();
      b.record('eu-west-1', 'sns.eu-west-1', i === 1 ? refused() : timeout(), false);
    }
    expect(b.open('eu-west-1')?.message).toBe(`region eu-west-1 of 111122223333 skipped after ${BREAKER_THRESHOLD} consecutive timeouts or connection failures: lambda.eu-west-1 endpoint unreachable (timed out after 5 s)`);
    expect(b.open('us-east-1')).toBeUndefined();
    expect(b.trips()).toHaveLength(1);
    // Once open it stays open for the run: a late answer does not close it.
    b.success('eu-west-1');
    expect(b.open('eu-west-1')).toBeInstanceOf(RegionSkipped);
  });

  it('a success resets the count; throttling counts only after the retries; DNS failures and denials do not count', () => {
    const b = new RegionBreaker();
    for (let i = 0; i < BREAKER_THRESHOLD - 1; i++) b.record('eu-west-1', 'lambda.eu-west-1', timeout(), false);
    b.success('eu-west-1');
    for (let i = 0; i < BREAKER_THRESHOLD - 1; i++) b.record('eu-west-1', 'lambda.eu-west-1', timeout(), false);
    expect(b.open('eu-west-1')).toBeUndefined();
    // An error answer is an answer: the endpoint is there.
    b.record('eu-west-1', 'lambda.eu-west-1', awsError('AccessDeniedException', 'not authorized'), true);
    for (let i = 0; i < 10; i++) b.record('eu-west-1', 'kinesis.eu-west-1', throttled(), false);
    for (let i = 0; i < 10; i++) b.record('eu-west-1', 'compute-optimizer.eu-west-1', Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }), true);
    expect(b.open('eu-west-1')).toBeUndefined();
    // The same error object seen per attempt and again after the retries counts once.
    const err = timeout();
    b.record('eu-west-1', 'lambda.eu-west-1', err, false);
    b.record('eu-west-1', 'lambda.eu-west-1', err, true);
    expect(b.open('eu-west-1')).toBeUndefined();
    b.success('eu-west-1');
    for (let i = 0; i < BREAKER_THRESHOLD; i++) b.record('eu-west-1', 'kinesis.eu-west-1', throttled(), true);
    expect(b.open('eu-west-1')?.message).toBe(`region eu-west-1 skipped after ${BREAKER_THRESHOLD} consecutive throttled calls: kinesis.eu-west-1 still throttling after the retries (ThrottlingException: Rate exceeded)`);
  });

  it('each global endpoint is a scope of its own: a hanging Account API does not skip IAM', () => {
    const b = new RegionBreaker();
    b.accountId = '111122223333';
    expect([breakerScope('iam', 'us-east-1'), breakerScope('account', 'us-east-1'), breakerScope('lambda', 'us-east-1')]).toEqual(['global:iam', 'global:account', 'us-east-1']);
    for (let i = 0; i < BREAKER_THRESHOLD; i++) b.record('global:account', 'account (global)', timeout(), false);
    const trip = b.open('global:account')!;
    expect({ region: trip.region, message: trip.message }).toEqual({
      region: 'global', message: `the global account endpoint of 111122223333 skipped after ${BREAKER_THRESHOLD} consecutive timeouts: account (global) endpoint unreachable (timed out after 5 s)`,
    });
    expect(b.open('global:iam')).toBeUndefined();
    expect(b.open('us-east-1')).toBeUndefined();
  });

  it('writing factories (state store, sinks) have no breaker unless asked; `breaker: false` turns it off', () => {
    expect(new ClientFactory({ readOnly: false }).breaker).toBeUndefined();
    expect(new ClientFactory({ breaker: false }).breaker).toBeUndefined();
    expect(new ClientFactory({}).breaker?.threshold).toBe(BREAKER_THRESHOLD);
    expect(new ClientFactory({ breaker: 2 }).breaker?.threshold).toBe(2);
  });
});

describe('a session that expires mid-scan', () => {
  it('calls after the expiry fail with ExpiredToken; what was read before is assessed, the rest is not', async () => {
    let answered = 0;
    const report = await scan((c: Call) => {
      if (c.operation === 'GetCallerIdentity') return undefined;
      answered++;
      return answered > 60 ? awsError('ExpiredTokenException', 'The security token included in the request is expired') : undefined;
    });
    expect(report.errors.length).toBeGreaterThan(0);
    expect(report.errors.filter((e) => e.code !== 'ExpiredTokenException')).toEqual([]);
    expect(report.results.filter((r) => r.status !== 'NOT_ASSESSED').length).toBeGreaterThan(0);
    expect(report.results.filter((r) => r.status === 'NOT_ASSESSED').length).toBeGreaterThan(0);
    expectOnlyNotAssessed(report);
  });
});

describe('truncated and malformed answers', () => {
  const json = (body: string) => ({ status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body });
  const xml = (body: string) => ({ status: 200, headers: { 'content-type': 'text/xml' }, body });
  const bodies: Record<string, (region: string) => { status: number; headers: Record<string, string>; body: string }> = {
    // REST-JSON, cut in the middle of a function.
    lambda: (r) => ({ ...json(JSON.stringify(ANSWERS['lambda:ListFunctions']!({}, r)).slice(0, 180)), headers: { 'content-type': 'application/json' } }),
    // awsJson 1.0, not JSON at all past the first member.
    dynamodb: () => json('{"Table":{"TableName":"orders","TableStatus":ACTIVE}}'),
    // awsQuery XML, cut inside the list.
    sns: (r) => xml(`<ListTopicsResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ListTopicsResult><Topics><member><TopicArn>arn:aws:sns:${r}:111122223333:orders-events</TopicArn></member><member><TopicArn>arn:aws:sns:${r}:1111`),
    // awsQuery XML, stopped right after a complete role.
    iam: () => xml('<GetAccountAuthorizationDetailsResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetAccountAuthorizationDetailsResult><IsTruncated>false</IsTruncated><RoleDetailList><member><RoleName>orders-role</RoleName><Arn>arn:aws:iam::111122223333:role/service-role/orders-role</Arn></member>'),
    // awsJson 1.1, an empty body with a 200.
    kinesis: () => ({ ...json(''), headers: { 'content-type': 'application/x-amz-json-1.1' } }),
  };
  const real: Record<string, string> = {
    lambda: 'ListFunctions', dynamodb: 'DescribeTable', sns: 'ListTopics', iam: 'GetAccountAuthorizationDetails', kinesis: 'DescribeStreamSummary',
  };

  it('the SDK\'s parser fails, the call is an error with code MalformedResponse, its results are not assessed', async () => {
    const h = cannedHandler((req) => {
      // Kinesis calls by stream ARN go to ACCOUNT.control-kinesis.REGION.amazonaws.com.
      const service = Object.keys(bodies).find((s) => req.hostname.includes(s))!;
      return bodies[service]!(/[a-z]{2}-[a-z]+-\d/.exec(req.hostname)?.[0] ?? 'us-east-1');
    });
    const report = await scan((c) => (real[c.service] === c.operation && (c.service === 'iam' || c.region === 'eu-west-1') ? 'real' : undefined), { requestHandler: h.handler, maxAttempts: 1 });
    expect(errorsOf(report).sort()).toEqual([
      'eu-west-1 dynamodb:DescribeTable MalformedResponse',
      'eu-west-1 kinesis:DescribeStreamSummary EmptyResponse',
      'eu-west-1 lambda:ListFunctions MalformedResponse',
      'eu-west-1 sns:ListTopics MalformedResponse',
      'global iam:GetAccountAuthorizationDetails MalformedResponse',
    ]);
    for (const kind of ['AwsLambdaFunction', 'AwsSnsTopic', 'AwsIamRole'] as Kind[]) {
      const hit = report.results.filter((r) => r.resourceKind === kind && (kind === 'AwsIamRole' || r.region === 'eu-west-1'));
      expect(hit.length, kind).toBeGreaterThan(0);
      expect(hit.filter((r) => r.status !== 'NOT_ASSESSED').map(key), kind).toEqual([]);
    }
    expectOnlyNotAssessed(report);
  });

  it('an answer of the wrong shape is not taken for data', async () => {
    const h = cannedHandler(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"Functions":"orders-api","NextMarker":null}' }));
    const report = await scan((c) => (c.operation === 'ListFunctions' && c.region === 'eu-west-1' ? 'real' : undefined), { requestHandler: h.handler, maxAttempts: 1 });
    expect(report.results.filter((r) => r.resourceKind === 'AwsLambdaFunction' && r.region === 'eu-west-1' && r.status !== 'NOT_ASSESSED').map(key)).toEqual([]);
    expect(errorsOf(report)).toEqual(['eu-west-1 lambda:collect MalformedResponse']);
    expectOnlyNotAssessed(report);
  });
});
