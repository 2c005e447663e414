// Partial scans over the real history path (runAudit → storeHistory → FileStore): a run that could not read part of
// what the previous run read keeps the findings that depend on it, whatever they are filed under.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../checks/index.js';
import { storeHistory } from '../../src/engine/history.js';
import { readInventory } from '../../src/engine/inventory-file.js';
import { runAudit } from '../../src/engine/run-audit.js';
import type { Check, Inventory } from '../../src/model/index.js';
import { FileStore } from '../../src/state/index.js';

const SAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'sample-inventory.json');
const checks = ALL_CHECKS as readonly Check[];

function sample(): Inventory {
  return readInventory(SAMPLE);
}

async function twoRuns(first: Inventory, second: Inventory, only?: (id: string) => boolean) {
  const store = new FileStore(join(mkdtempSync(join(tmpdir(), 'lens-audit-partial-')), 'state.json'));
  // lambda.no-tracing rides along: a run where nothing at all is assessed ends with exit 3 before the history.
  const selected = only ? checks.filter((c) => only(c.id) || c.id === 'lambda.no-tracing') : checks;
  const one = await runAudit({ checks: selected, inventory: first, history: storeHistory(store), now: new Date('2026-06-01T03:00:00Z') });
  const two = await runAudit({ checks: selected, inventory: second, history: storeHistory(store), now: new Date('2026-06-02T03:00:00Z') });
  return { one, two, store };
}

const denied = (operation: string) => ({ operation, code: 'AccessDeniedException', message: 'User is not authorized' });

describe('partial scan: a gap on a resource protects every finding under it (sub-resource ARNs)', () => {
  it('GetResources denied on a REST API: its method findings are kept, not resolved', async () => {
    const gapped = sample();
    const api = gapped.accounts[0]!.regions.find((r) => r.region === 'us-east-1')!.resources.AwsApiGatewayRestApi![0]! as unknown as Record<string, unknown>;
    delete api.resources;
    api.gaps = { ...(api.gaps as object | undefined), resources: denied('apigateway:GetResources') };
    const { one, two } = await twoRuns(sample(), gapped, (id) => id === 'apigw.rest.method-no-authorization');
    const methodFindings = one.report.results.filter((r) => r.status === 'FAIL' && r.checkId === 'apigw.rest.method-no-authorization');
    expect(methodFindings.length).toBeGreaterThan(0);
    expect(methodFindings.every((r) => r.resourceArn.startsWith(`${api.arn as string}/`))).toBe(true);
    // The second run says what it could not assess, under the API's own ARN, and resolves nothing.
    const mine = two.report.results.filter((r) => r.checkId === 'apigw.rest.method-no-authorization');
    expect(mine.map((r) => [r.status, r.resourceArn])).toEqual([['NOT_ASSESSED', api.arn]]);
    expect(two.report.summary.resolved).toBe(0);
    expect(two.diff!.kept.map((k) => k.findingId).sort()).toEqual(methodFindings.map((r) => r.findingId).sort());
  });

  it('GetRoutes throttled on an HTTP API: its route findings are kept, not resolved (nor archived)', async () => {
    const gapped = sample();
    const api = gapped.accounts[0]!.regions.find((r) => r.region === 'us-east-1')!.resources.AwsApiGatewayV2Api![0]! as unknown as Record<string, unknown>;
    delete api.Routes;
    api.gaps = { ...(api.gaps as object | undefined), Routes: { operation: 'apigateway:GetRoutes', code: 'TooManyRequestsException', message: 'Too Many Requests' } };
    const { one, two } = await twoRuns(sample(), gapped, (id) => id === 'apigw.v2.route-no-authorization');
    const routeFindings = one.report.results.filter((r) => r.status === 'FAIL' && r.checkId === 'apigw.v2.route-no-authorization');
    expect(routeFindings.length).toBeGreaterThan(0);
    expect(routeFindings.every((r) => r.resourceArn.startsWith(`${api.arn as string}/`))).toBe(true);
    expect(two.report.summary.resolved).toBe(0);
    expect(two.diff!.resolved).toEqual([]);
    expect(two.diff!.kept.map((k) => k.findingId).sort()).toEqual(routeFindings.map((r) => r.findingId).sort());
  });

  it('the same API read in full again resolves what was fixed (the protection is not a freeze)', async () => {
    const fixed = sample();
    const api = fixed.accounts[0]!.regions.find((r) => r.region === 'us-east-1')!.resources.AwsApiGatewayV2Api![0]! as unknown as { Routes: { AuthorizationType?: string }[] };
    for (const route of api.Routes) route.AuthorizationType = 'AWS_IAM';
    const { one, two } = await twoRuns(sample(), fixed, (id) => id === 'apigw.v2.route-no-authorization');
    const routeFindings = one.report.results.filter((r) => r.status === 'FAIL' && r.checkId === 'apigw.v2.route-no-authorization');
    expect(routeFindings.length).toBeGreaterThan(0);
    expect(two.diff!.resolved.map((r) => r.findingId).sort()).toEqual(routeFindings.map((r) => r.findingId).sort());
  });
});

describe('partial scan: fewer regions than the previous run (account-wide checks)', () => {
  const ACCT = '111122223333';
  const fnArn = (name: string) => `arn:aws:lambda:us-east-1:${ACCT}:function:${name}`;
  /** The sample, plus what ties us-east-1 to eu-west-1: an SNS subscription there invoking payments-refund, a Lambda@Edge replica log group there of a us-east-1 function. */
  function twoRegions(): Inventory {
    const inv = sample();
    const [us, eu] = [inv.accounts[0]!.regions.find((r) => r.region === 'us-east-1')!, inv.accounts[0]!.regions.find((r) => r.region === 'eu-west-1')!];
    const edge = { ...us.resources.AwsLambdaFunction!.find((f) => f.name === 'thumbnail-generator')!, name: 'edge-auth', FunctionName: 'edge-auth', arn: fnArn('edge-auth'), FunctionArn: fnArn('edge-auth'), Role: `arn:aws:iam::${ACCT}:role/edge-auth-role` };
    us.resources.AwsLambdaFunction!.push(edge);
    const subArn = `arn:aws:sns:eu-west-1:${ACCT}:refund-requests:0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0`;
    eu.resources.AwsSnsSubscription = [{
      kind: 'AwsSnsSubscription', arn: subArn, name: subArn.split(':').slice(5).join(':'), accountId: ACCT, region: 'eu-west-1', tags: {},
      SubscriptionArn: subArn, TopicArn: `arn:aws:sns:eu-west-1:${ACCT}:refund-requests`, Owner: ACCT, Protocol: 'lambda', Endpoint: fnArn('payments-refund'),
      Attributes: { Protocol: 'lambda', PendingConfirmation: 'false' },
    } as never];
    const group = '/aws/lambda/us-east-1.edge-auth';
    eu.resources.AwsLogsLogGroup!.push({ ...eu.resources.AwsLogsLogGroup![0]!, arn: `arn:aws:logs:eu-west-1:${ACCT}:log-group:${group}`, name: group, logGroupName: group, storedBytes: 4096 });
    return inv;
  }
  /** As `--regions us-east-1` would collect it. */
  function only(inv: Inventory, region: string): Inventory {
    for (const a of inv.accounts) a.regions = a.regions.filter((r) => r.region === region || r.region === 'global');
    return inv;
  }
  const ACCOUNT_WIDE = ['lambda.shared-role', 'lambda.async-no-failure-destination', 'logs.orphaned-lambda-log-group'];

  it('a one-region run after a two-region run keeps the cross-region findings open and names the missing region', async () => {
    const { one, two } = await twoRuns(twoRegions(), only(twoRegions(), 'us-east-1'), (id) => ACCOUNT_WIDE.includes(id));
    const fails = (o: typeof one, id: string) => o.report.results.filter((r) => r.checkId === id && r.status === 'FAIL');
    // Run 1 saw the cross-region facts.
    expect(fails(one, 'lambda.shared-role').map((r) => r.resourceName)).toEqual(expect.arrayContaining(['cleanup-expired-sessions', 'invoice-archiver']));
    expect(fails(one, 'lambda.async-no-failure-destination').map((r) => r.resourceName)).toContain('payments-refund');
    // Run 2 cannot judge them: NOT_ASSESSED with the reason, and nothing of the account-wide checks resolves.
    for (const [checkId, name] of [['lambda.shared-role', 'cleanup-expired-sessions'], ['lambda.async-no-failure-destination', 'payments-refund']] as const) {
      const r = two.report.results.find((x) => x.resourceName === name && x.checkId === checkId);
      expect(r?.status, `${name}: ${r?.message}`).toBe('NOT_ASSESSED');
      expect(r?.message).toMatch(/did not cover eu-west-1/);
    }
    expect(two.diff!.resolved.filter((r) => ACCOUNT_WIDE.includes(r.checkId))).toEqual([]);
    // Each finding of run 1 is still open: kept (not judged), or persisting (failing on what this run did see).
    const open = new Set([...two.diff!.kept, ...two.diff!.persisting].map((k) => k.findingId));
    for (const id of ACCOUNT_WIDE.slice(0, 2)) for (const r of fails(one, id)) expect(open.has(r.findingId), `${id} ${r.resourceName}`).toBe(true);
    expect(two.diff!.kept.map((k) => k.resourceName)).toEqual(expect.arrayContaining(['cleanup-expired-sessions', 'invoice-archiver', 'payments-refund']));
  });

  it('the Lambda@Edge replica group is not a false orphan when the run leaves out us-east-1', async () => {
    const { one, two } = await twoRuns(twoRegions(), only(twoRegions(), 'eu-west-1'), (id) => ACCOUNT_WIDE.includes(id));
    const edge = (o: typeof one) => o.report.results.find((r) => r.checkId === 'logs.orphaned-lambda-log-group' && r.resourceName === '/aws/lambda/us-east-1.edge-auth');
    expect(edge(one)?.status).toBe('PASS');
    expect(edge(two)?.status).toBe('NOT_ASSESSED');
    expect(two.diff!.new.filter((r) => r.checkId === 'logs.orphaned-lambda-log-group')).toEqual([]);
  });

  it('the same regions again judge as before (nothing is blocked without a missing region)', async () => {
    const { one, two } = await twoRuns(twoRegions(), twoRegions(), (id) => ACCOUNT_WIDE.includes(id));
    expect(two.report.results.filter((r) => r.status === 'NOT_ASSESSED').length).toBe(one.report.results.filter((r) => r.status === 'NOT_ASSESSED').length);
    expect(two.diff!.persisting.length).toBe(one.diff!.new.length);
  });
});

describe('account-wide checks are declared', () => {
  it('every check whose verdict reads a list across the account\'s regions says accountWide', async () => {
    const { readFileSync } = await import('node:fs');
    // Read for a message only (the functions using a role), or over global resources (IAM roles): not region-dependent.
    const exempt = new Set(['iam.exec-role-cannot-log', 'iam.exec-role-admin', 'iam.exec-role-wildcard', 'iam.exec-role-trust-too-broad']);
    const root = join(import.meta.dirname, '..', '..', 'checks');
    const { readdirSync } = await import('node:fs');
    const files = readdirSync(root, { recursive: true }).map(String).filter((f) => f.endsWith('.ts') && !f.startsWith('lib'));
    const reading = files.filter((f) => /list\([^)]*'account'\)/.test(readFileSync(join(root, f), 'utf8')));
    expect(reading.length).toBeGreaterThanOrEqual(3);
    for (const f of reading) {
      const id = /id: '([^']+)'/.exec(readFileSync(join(root, f), 'utf8'))![1]!;
      if (exempt.has(id)) continue;
      expect(checks.find((c) => c.id === id)?.accountWide, id).toBe(true);
    }
  });
});
