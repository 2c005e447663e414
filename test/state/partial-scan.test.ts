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
