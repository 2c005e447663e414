// Nothing silently skipped: account- and region-level metric checks run by default, per-resource metric checks need
// --metrics, and every output names the checks that did not run and why.
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../checks/index.js';
import { quotasCollector } from '../../src/collect/quotas.js';
import { runAudit } from '../../src/engine/run-audit.js';
import { readInventory } from '../../src/engine/inventory-file.js';
import { needsMetricsFlag, needsRegionMetrics, selectChecksExplained } from '../../src/engine/select.js';
import { renderHtml } from '../../src/report/html.js';
import { renderJson } from '../../src/report/json.js';
import { renderTable } from '../../src/report/table.js';
import { summarise } from '../../src/model/index.js';

const SAMPLE = new URL('../../examples/sample-inventory.json', import.meta.url).pathname;
const REGION_METRIC_CHECKS = ['quota.apigw-account-rps-80', 'quota.lambda-concurrency-80'];
const PER_RESOURCE_METRIC_CHECKS = ALL_CHECKS.filter((c) => c.cost === 'M' && !REGION_METRIC_CHECKS.includes(c.id)).map((c) => c.id).sort();

describe('selection with reasons', () => {
  it('a plain audit runs the account- and region-level metric checks and skips per-resource ones as needs --metrics', () => {
    const { checks, skipped } = selectChecksExplained({ all: ALL_CHECKS });
    const ran = new Set(checks.map((c) => c.id));
    for (const id of REGION_METRIC_CHECKS) expect(ran.has(id), id).toBe(true);
    expect(PER_RESOURCE_METRIC_CHECKS.length).toBeGreaterThan(0);
    expect(skipped.filter((s) => s.reason === 'needs --metrics').map((s) => s.checkId).sort()).toEqual(PER_RESOURCE_METRIC_CHECKS);
    expect(needsRegionMetrics(checks)).toBe(true);
    expect(checks.some(needsMetricsFlag)).toBe(false);
  });

  it('every check either runs or is skipped with one reason', () => {
    const { checks, skipped } = selectChecksExplained({ all: ALL_CHECKS, metrics: true });
    expect(checks.length + skipped.length).toBe(ALL_CHECKS.length);
    expect(skipped).toEqual(ALL_CHECKS.filter((c) => c.enabledByDefault === false).map((c) => ({ checkId: c.id, reason: 'opt-in' })));
  });

  it('names each reason exactly', () => {
    const { skipped } = selectChecksExplained({
      all: ALL_CHECKS,
      only: ['lambda.*', 'quota.*', 'logs.*'],
      skip: ['lambda.no-tracing'],
      disable: ['lambda.default-memory'],
      minSeverity: 'LOW',
    });
    const reason = (id: string) => skipped.find((s) => s.checkId === id)?.reason;
    expect(reason('lambda.no-tracing')).toBe('not selected');
    expect(reason('lambda.default-memory')).toBe('disabled by config');
    expect(reason('sns.public-policy')).toBe('not selected');
    expect(reason('lambda.timeouts')).toBe('needs --metrics');
    expect(reason('quota.lambda-concurrency-80')).toBeUndefined();
    const info = ALL_CHECKS.find((c) => c.severity === 'INFORMATIONAL' && /^(lambda|quota|logs)\./.test(c.id));
    if (info) expect(reason(info.id)).toBe('below --severity');
    expect(new Set(skipped.map((s) => s.reason))).toEqual(new Set(['not selected', 'disabled by config', 'needs --metrics', ...(info ? ['below --severity'] : [])]));
    expect(selectChecksExplained({ all: ALL_CHECKS }).skipped.find((s) => s.checkId === 'logs.retention-below-minimum')?.reason).toBe('opt-in');
  });
});

describe('the account-region metric series are collected without --metrics when a region-level metric check runs', () => {
  it('the quotas collector makes its one GetMetricData call on regionMetrics alone', async () => {
    const sent: string[] = [];
    const ar: Record<string, unknown> = {};
    const client = { send: async (cmd: { constructor: { name: string } }) => (sent.push(cmd.constructor.name), cmd.constructor.name === 'GetMetricDataCommand' ? { MetricDataResults: [] } : {}) };
    const ctx = {
      accountId: '111122223333', partition: 'aws', region: 'us-east-1',
      options: { metrics: false, regionMetrics: true, kinds: new Set(['AwsAccountRegion']), now: new Date('2026-12-02T00:00:00Z') },
      client: () => client, limit: (_s: string, fn: () => Promise<unknown>) => fn(), accountRegion: () => ar,
    };
    await quotasCollector.collect(ctx as never);
    expect(sent.filter((n) => n === 'GetMetricDataCommand')).toHaveLength(1);
    sent.length = 0;
    await quotasCollector.collect({ ...ctx, options: { ...ctx.options, regionMetrics: false } } as never);
    expect(sent.filter((n) => n === 'GetMetricDataCommand')).toHaveLength(0);
  });
});

describe('outputs name what did not run', async () => {
  const { checks, skipped } = selectChecksExplained({ all: ALL_CHECKS });
  const { report } = await runAudit({ checks, skipped, inventory: readInventory(SAMPLE) });

  it('JSON: skipped [{ checkId, reason }]', () => {
    const json = JSON.parse(renderJson(report)) as { skipped: { checkId: string; reason: string }[] };
    expect(json.skipped).toEqual(skipped);
    expect(json.skipped.length).toBe(PER_RESOURCE_METRIC_CHECKS.length + ALL_CHECKS.filter((c) => c.enabledByDefault === false).length);
    for (const s of json.skipped) expect(Object.keys(s).sort()).toEqual(['checkId', 'reason']);
  });

  it('table: one summary line under the table', () => {
    const lines = renderTable(report).trimEnd().split('\n');
    expect(lines.at(-2)).toMatch(/^Summary: /);
    expect(lines.at(-1)).toBe(`Not run: ${skipped.length} checks (${PER_RESOURCE_METRIC_CHECKS.length} need --metrics, 1 opt-in; --output json lists them under skipped)`);
  });

  it('HTML: a section listing each check and its reason', () => {
    const html = renderHtml(report);
    const section = html.slice(html.indexOf('<section id="skipped">'), html.indexOf('</section>', html.indexOf('<section id="skipped">')));
    expect(section).toContain(`Checks that did not run (${skipped.length})`);
    for (const s of skipped) expect(section).toContain(`<td>${s.checkId}</td><td>${s.reason}</td>`);
  });
});

describe('skipped everywhere a run is reported', () => {
  it('the CLI lists the checks --skip-cspm-overlap left out, with their reason', async () => {
    const { main } = await import('../../src/cli.js');
    const { PassThrough } = await import('node:stream');
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (d) => (out += d));
    const stderr = new PassThrough();
    stderr.resume();
    const code = await main(['--inventory', SAMPLE, '--output', 'json', '--skip-cspm-overlap', '--cspm-controls', 'Lambda.1,SNS.1', '--quiet'], { stdout, stderr, env: {} });
    expect(code).toBe(0);
    const json = JSON.parse(out) as { skipped: { checkId: string; reason: string }[]; results: { checkId: string }[] };
    const covered = json.skipped.filter((s) => s.reason === 'covered by Security Hub CSPM').map((s) => s.checkId);
    const expected = selectChecksExplained({ all: ALL_CHECKS }).checks.filter((c) => (c.peers.cspm ?? []).length > 0 && c.peers.cspm!.every((id) => ['Lambda.1', 'SNS.1'].includes(id))).map((c) => c.id);
    expect(covered.length).toBeGreaterThan(0);
    expect(covered.sort()).toEqual(expected.sort());
    for (const id of covered) expect(json.results.some((r) => r.checkId === id)).toBe(false);
  });

  it('the nightly report (Lambda finalize) lists them too', async () => {
    const { resolveAudit } = await import('../../src/lambda/config.js');
    // Finalize builds the bucket's report with buildReport, as the CLI does, from the configuration's skipped checks.
    const { buildReport } = await import('../../src/model/index.js');
    const { TOOL } = await import('../../src/version.js');
    const audit = resolveAudit({ checks: { disabled: ['lambda.no-tracing'] } }, ALL_CHECKS);
    expect(audit.skipped).toContainEqual({ checkId: 'lambda.no-tracing', reason: 'disabled by config' });
    const r = buildReport({
      tool: TOOL, runId: 'r', startedAt: new Date(0), finishedAt: new Date(1), scope: { accounts: [], regions: [] }, summary: summarise([]), results: [], resolved: [], errors: [],
      stats: { apiCalls: {}, accountsAssessed: 0 }, skipped: audit.skipped,
    });
    expect(r.skipped).toEqual(audit.skipped.map((s) => ({ checkId: s.checkId, reason: s.reason })));
  });
});
