// The HTML report as text (no browser): embedding, escaping, CSP. test/report/html.browser.test.ts opens it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { consoleUrl } from '../../src/report/console-link.js';
import { escapeHtml, jsonForScript, renderHtml } from '../../src/report/html.js';
import type { AuditReport, CheckInfoLookup } from '../../src/report/types.js';

const report = JSON.parse(readFileSync(new URL('../fixtures/report.json', import.meta.url), 'utf8')) as AuditReport;
const checkInfo: CheckInfoLookup = (id) => ({
  remediation: { text: `Fix ${id} <b>now</b>`, url: `https://docs.example/${id}` },
  pillar: 'OPS',
  lens: [],
});

const between = (s: string, start: string, end: string) => {
  const i = s.indexOf(start);
  expect(i).toBeGreaterThanOrEqual(0);
  return s.slice(i + start.length, s.indexOf(end, i + start.length));
};

describe('renderHtml', () => {
  const html = renderHtml(report, { checkInfo });

  it('embeds the results and the remediation as JSON that parses back unchanged', () => {
    const data = JSON.parse(between(html, '<script type="application/json" id="report-data">', '</script>'));
    expect(data.results).toEqual(report.results);
    expect(data.remediation['lambda.no-tracing']).toEqual(checkInfo('lambda.no-tracing')!.remediation);
  });

  it('never lets data close a script, open a comment, or become markup', () => {
    expect(html.match(/<\/script/gi)).toHaveLength(2); // the data block and the app script
    expect(html).not.toContain('<!--');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<topic>');
    // static parts escape what they show
    expect(html).toContain('old-&#60;topic&#62;');
    expect(html).toContain('Access denied &#60;for&#62; &#34;role&#34;');
  });

  it('allows only its own inline style and script, by hash, and nothing from the network', () => {
    const csp = between(html, '<meta http-equiv="Content-Security-Policy" content="', '"').replaceAll('&#39;', "'");
    const style = between(html, '<style>', '</style>');
    const script = between(html, '<script>', '</script>');
    const hash = (s: string) => createHash('sha256').update(s).digest('base64');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`style-src 'sha256-${hash(style)}'`);
    expect(csp).toContain(`script-src 'sha256-${hash(script)}'`);
    // (the data block holds resource names such as `<img src=x …>`, escaped; look at the markup around it)
    const markup = html.replace(/<script type="application\/json"[^>]*>[^<]*<\/script>/, '');
    expect(markup.length).toBeLessThan(html.length);
    // (resource names shown as text, such as `&#60;img src=x …`, are not markup: look inside tags)
    expect(markup).not.toMatch(/<(link|img|iframe)\b|<[^>]*(\bsrc=|\burl\()/i);
  });

  it('says when no state store was used', () => {
    const noStore: AuditReport = { ...report, resolved: undefined, results: report.results.map(({ history: _h, ...r }) => r) };
    const out = renderHtml(noStore);
    expect(out).toContain('No state store was used');
    expect(out).not.toContain('data-summary="new"');
    expect(html).not.toContain('No state store was used');
  });
});

describe('jsonForScript', () => {
  it('escapes </script, <!-- and line separators, and stays valid JSON', () => {
    const v = { a: '</script><!-- x \u2028 \u2029 </SCRIPT' };
    const s = jsonForScript(v);
    expect(s).not.toMatch(/<\/script|<!--|\u2028|\u2029/i);
    expect(JSON.parse(s)).toEqual(v);
  });
});

// ---- issue 18 (reports): what to fix first, account names, grouping by tag, console links, trend ----

/** The rows of `<table class="… cls …">` as cell texts (tags dropped, entities decoded). */
function rowsOf(html: string, cls: string): string[][] {
  const start = html.search(new RegExp(`<table class="[^"]*\\b${cls}\\b`));
  expect(start, cls).toBeGreaterThanOrEqual(0);
  const body = html.slice(html.indexOf('<tbody>', start), html.indexOf('</tbody>', start));
  const text = (s: string) => s.replace(/<[^>]*>/g, ' ').replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))).replace(/\s+/g, ' ').trim();
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => text(c[1]!)));
}

describe('renderHtml: what to fix first (issue 18)', () => {
  const html = renderHtml(report, { checkInfo });

  it('opens on the unsuppressed failures rolled up by check: most severe first, then most resources', () => {
    expect(html.indexOf('id="fix-first"')).toBeGreaterThan(0);
    expect(html.indexOf('id="fix-first"')).toBeLessThan(html.indexOf('id="summary"'));
    const rows = rowsOf(html, 'fix-by-check');
    // columns: severity, check (id + title), resources, accounts, new, examples, show
    expect(rows.map((r) => [r[0], r[1]!.split(' ')[0], r[2], r[3], r[4]])).toEqual([
      ['CRITICAL', 'sns.public-policy', '1', '1', '1'],
      ['HIGH', 'lambda.function-url-public', '2', '2', '1'],
      ['MEDIUM', 'dynamodb.no-pitr', '3', '2', '0'],
      ['MEDIUM', 'apigw.rest.no-access-logs', '2', '2', '1'],
      ['MEDIUM', 'iam.exec-role-wildcard', '2', '2', '0'],
      ['MEDIUM', 'lambda.shared-role', '1', '1', '0'], // the suppressed failure on payments-worker is not counted
      ['MEDIUM', 'quota.lambda-concurrency-80', '1', '1', '1'],
      ['LOW', 'lambda.no-tracing', '5', '2', '1'],
      ['LOW', 'logs.no-retention', '3', '1', '1'],
      ['LOW', 'lambda.default-memory', '1', '1', '0'],
      ['INFORMATIONAL', 'lambda.no-reserved-concurrency', '1', '1', '0'],
    ]);
    const total = rows.reduce((n, r) => n + Number(r[2]), 0);
    expect(total).toBe(report.summary.fail); // one failure per resource in this fixture
    expect(html).toContain(`<span data-fix-total>${report.summary.fail}</span>`);
  });

  it('then rolls them up by account, with the counts by severity', () => {
    const rows = rowsOf(html, 'fix-by-account');
    // columns: account, critical, high, medium, low, informational, failures, checks, new
    expect(rows.map((r) => r.slice(0, 9))).toEqual([
      ['111122223333', '1', '1', '5', '7', '1', '15', '11', '5'],
      ['444455556666', '0', '1', '4', '2', '0', '7', '5', '1'],
    ]);
  });

  it('says so when nothing failed', () => {
    const clean: AuditReport = { ...report, results: report.results.filter((r) => r.status !== 'FAIL') };
    expect(renderHtml(clean)).toContain('No unsuppressed failures');
  });
});

describe('renderHtml: account names next to ids (issue 18)', () => {
  const names = { '111122223333': 'prod-payments', '444455556666': 'sandbox <b>x</b>' };
  const html = renderHtml({ ...report, accountNames: names }, { checkInfo });

  it('shows the name next to the id in the roll-ups, breakdowns, lists, errors and header', () => {
    for (const [cls, col] of [['fix-by-account', 0], ['by-account', 0], ['by-region', 0], ['list-new', 2], ['list-resolved', 2], ['errors-table', 0]] as const) {
      const cells = rowsOf(html, cls).map((r) => r[col]!);
      expect(cells.length, cls).toBeGreaterThan(0);
      for (const c of cells) expect(c, cls).toMatch(/^(111122223333 prod-payments|444455556666 sandbox <b>x<\/b>)$/);
    }
    expect(html).toContain('accounts: 111122223333 (prod-payments), 444455556666 (sandbox &#60;b&#62;x&#60;/b&#62;)');
    expect(html).not.toContain('<b>x</b>');
  });

  it('hands the names to the results table', () => {
    const data = JSON.parse(between(html, '<script type="application/json" id="report-data">', '</script>'));
    expect(data.accountNames).toEqual(names);
  });

  it('shows bare ids when no name is known', () => {
    expect(rowsOf(renderHtml(report), 'by-account').map((r) => r[0])).toEqual(['111122223333', '444455556666']);
  });
});

describe('renderHtml: grouping by a tag (issue 18)', () => {
  const tagged: AuditReport = {
    ...report,
    results: report.results.map((r) =>
      r.accountId === '111122223333' && r.region === 'us-east-1' ? { ...r, tags: { team: 'payments' } }
        : r.accountId === '444455556666' && r.resourceKind === 'AwsLambdaFunction' ? { ...r, tags: { team: 'inventory', owner: 'x' } }
          : r.region === 'eu-west-1' ? { ...r, tags: { owner: 'someone' } } : r),
  };

  it('adds a roll-up by the tag value, resources without the tag under "(untagged)"', () => {
    const html = renderHtml(tagged, { groupByTag: 'team' });
    const rows = rowsOf(html, 'fix-by-tag');
    // columns: value, critical, high, medium, low, informational, failures, resources, accounts, new
    expect(rows).toEqual([
      ['payments', '1', '1', '3', '5', '1', '11', '10', '1', '4'],
      ['inventory', '0', '1', '0', '2', '0', '3', '3', '1', '0'],
      ['(untagged)', '0', '0', '6', '2', '0', '8', '8', '2', '2'],
    ]);
    expect(rows.reduce((n, r) => n + Number(r[6]), 0)).toBe(report.summary.fail);
    expect(html).toContain('By tag <code>team</code>');
  });

  it('has no tag roll-up unless asked', () => {
    expect(renderHtml(tagged)).not.toMatch(/<table class="[^"]*fix-by-tag/);
  });
});

describe('renderHtml: console links (issue 18)', () => {
  const html = renderHtml(report, { checkInfo });
  const sns = report.results.find((r) => r.checkId === 'sns.public-policy' && r.status === 'FAIL')!;

  it('links the resources of the roll-ups and of the new and resolved lists to the AWS console', () => {
    const link = `href="${escapeHtml(consoleUrl(sns))}"`;
    expect(html).toContain(link);
    expect(consoleUrl(sns)).toMatch(/^https:\/\/us-east-1\.console\.aws\.amazon\.com\/sns\/v3\/home\?region=us-east-1#\/topic\/arn:aws:sns:/);
    const resolved = report.resolved![0]!;
    expect(html).toContain(`href="${escapeHtml(consoleUrl(resolved))}"`);
    const anchors = html.match(/<a class="console" [^>]*>/g) ?? [];
    expect(anchors.length).toBeGreaterThan(10);
    for (const a of anchors) expect(a).toMatch(/^<a class="console" href="https:\/\/[^"]+" target="_blank" rel="noopener noreferrer">$/);
  });

  it('gives the results table one console URL per resource', () => {
    const data = JSON.parse(between(html, '<script type="application/json" id="report-data">', '</script>'));
    const arns = new Set(report.results.map((r) => r.resourceArn));
    expect(Object.keys(data.links).sort()).toEqual([...arns].sort());
    for (const r of report.results) expect(data.links[r.resourceArn]).toBe(consoleUrl(r));
  });
});

describe('renderHtml: trend (issue 18)', () => {
  const trend = [
    { runId: 'run-1', finishedAt: '2026-05-18T08:00:00.000Z', openBySeverity: { INFORMATIONAL: 1, LOW: 12, MEDIUM: 10, HIGH: 3, CRITICAL: 1 } },
    { runId: 'run-2', finishedAt: '2026-05-19T08:00:00.000Z', openBySeverity: { INFORMATIONAL: 1, LOW: 10, MEDIUM: 9, HIGH: 2, CRITICAL: 0 } },
    { runId: 'run-<3>', finishedAt: '2026-05-20T08:00:00.000Z', openBySeverity: { INFORMATIONAL: 1, LOW: 9, MEDIUM: 9, HIGH: 2, CRITICAL: 1 } },
  ];

  it('draws open findings by severity over the runs as inline SVG, one column per run', () => {
    const html = renderHtml({ ...report, trend });
    const section = between(html, '<section id="trend">', '</section>');
    expect(section).toContain('<span data-trend-runs>3</span>');
    const cols = [...section.matchAll(/<g data-trend-run="([^"]*)" data-trend-total="(\d+)">/g)].map((m) => [m[1], m[2]]);
    expect(cols).toEqual([['run-1', '27'], ['run-2', '22'], ['run-&#60;3&#62;', '22']]);
    // stacked: one bar per severity with findings (run 2 has no CRITICAL)
    const run2 = between(section, 'data-trend-run="run-2"', '</g>');
    expect(run2.match(/<rect /g)).toHaveLength(4);
    expect(run2).not.toContain('sev-CRITICAL');
    expect(section).not.toMatch(/<script|\bsrc=|\burl\(/);
  });

  it('has no trend without a history', () => {
    expect(renderHtml(report)).not.toContain('id="trend"');
  });
});
