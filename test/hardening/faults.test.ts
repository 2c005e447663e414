// AWS faults: throttling bursts, AccessDenied on whole services, a region that never answers, a session that expires
// mid-scan, truncated and malformed answers. Each run completes for everything else, reports each fault in `errors`,
// and a fault only ever turns results into NOT_ASSESSED: never a PASS where there was a FAIL, never a silent pass.
import { createServer, type Server, type Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../checks/index.js';
import type { ClientFactoryOptions } from '../../src/aws/clients.js';
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

async function scan(fault?: Fault, aws: ClientFactoryOptions = {}): Promise<AuditReport> {
  estate.reset();
  estate.fault = fault;
  const { report } = await runAudit({ checks: ALL_CHECKS, aws: { credentials: FACTORY_CREDENTIALS, ...aws }, regions: REGIONS, metrics: true });
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

describe('a region that never answers', () => {
  let server: Server;
  const sockets: Socket[] = [];
  let endpoint = '';
  beforeAll(async () => {
    // Accepts connections and says nothing, like a black-holed regional endpoint behind a proxy.
    server = createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });

  it('times out through the factory\'s own request timeout; the other region is complete', async () => {
    const started = Date.now();
    const report = await scan((c) => (c.region === 'eu-west-1' ? 'real' : undefined), { endpoint, requestTimeoutMs: 150, connectionTimeoutMs: 150, maxAttempts: 2 });
    const elapsed = Date.now() - started;
    expect(sockets.length).toBeGreaterThan(0);
    const eu = report.errors.filter((e) => e.region === 'eu-west-1');
    expect(eu.length).toBeGreaterThan(5);
    expect(eu.filter((e) => e.code !== 'TimeoutError')).toEqual([]);
    expect(report.errors.filter((e) => e.region !== 'eu-west-1')).toEqual([]);
    expect(report.results.filter((r) => r.region === 'eu-west-1' && r.status !== 'NOT_ASSESSED').map(key)).toEqual([]);
    // us-east-1 was read in full; only checks that look across regions (a role shared by functions of both) lose
    // their answer there, and they say it was the timeout (expectOnlyNotAssessed).
    expect(report.results.filter((r) => r.region === 'us-east-1' && r.status !== 'NOT_ASSESSED').length).toBeGreaterThan(20);
    expectOnlyNotAssessed(report);
    // Not a timing assertion on the product: a guard that the test itself stays short.
    expect(elapsed).toBeLessThan(20_000);
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
