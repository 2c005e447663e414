// The HTML report opened in headless Chromium: summary numbers, filtering, sorting, escaping, no network,
// 50,000 results, and the README screenshot. Skipped (with a message) when /usr/bin/chromium is missing.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../src/model/index.js';
import { consoleUrl } from '../../src/report/console-link.js';
import { renderHtml } from '../../src/report/html.js';
import type { AuditReport, CheckInfoLookup } from '../../src/report/types.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`SKIPPED html.browser tests: ${CHROMIUM} not found (install it with: apt-get install -y chromium)`);
}

const report = JSON.parse(readFileSync(new URL('../fixtures/report.json', import.meta.url), 'utf8')) as AuditReport;
const checkInfo: CheckInfoLookup = (id) =>
  id === 'sns.public-policy'
    ? { remediation: { text: 'Remove the public statement.', url: 'javascript:alert(1)' }, pillar: 'SEC', lens: [] }
    : { remediation: { text: `Fix ${id}: see the <b>docs</b>.`, url: `https://docs.aws.amazon.com/${id}.html` }, pillar: 'OPS', lens: [] };

/** What the free-text filter promises: every word occurs (case-insensitively) in one of these fields. */
function matchesText(r: Result, text: string): boolean {
  const hay = [r.checkId, r.title, r.status, r.severity, r.pillar, r.accountId, '', r.region, r.resourceKind, r.resourceArn,
    r.resourceName, r.message, r.findingId, r.suppressed?.reason ?? ''].join('\n').toLowerCase();
  return text.toLowerCase().split(/\s+/).filter(Boolean).every((w) => hay.includes(w));
}

async function shownCount(page: Page, expected: number): Promise<void> {
  // a string, evaluated in the page (this project's TypeScript has no DOM types)
  await page.waitForFunction(`document.getElementById('count')?.dataset.count === '${expected}'`);
}
const visibleRows = (page: Page) => page.locator('#rows tr.row').count();

describe.skipIf(!hasChromium)('HTML report in Chromium', () => {
  let browser: Browser;
  let dir: string;
  let page: Page;
  const requests: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run'],
    });
    dir = mkdtempSync(join(tmpdir(), 'lens-audit-html-'));
    const file = join(dir, 'report.html');
    writeFileSync(file, renderHtml(report, { checkInfo }));
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console: ${m.text()}`); });
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-ready="true"]');
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs its script without errors or CSP violations and loads nothing but itself', () => {
    expect(problems).toEqual([]);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
  });

  it('shows the summary numbers of the JSON', async () => {
    const s = report.summary;
    for (const key of ['fail', 'pass', 'notAssessed', 'suppressed', 'new', 'resolved'] as const) {
      expect(await page.locator(`[data-summary="${key}"]`).textContent(), key).toBe(String(s[key]));
    }
    for (const [sev, n] of Object.entries(s.bySeverity)) {
      expect(await page.locator(`[data-severity="${sev}"]`).textContent(), sev).toBe(String(n));
    }
    expect(await page.locator('[data-list="new"]').textContent()).toBe(String(s.new));
    expect(await page.locator('[data-list="resolved"]').textContent()).toBe(String(report.resolved!.length));
    expect(await page.locator('table.list-resolved tbody tr').count()).toBe(report.resolved!.length);
    // the per-account breakdown adds up to the same totals (columns: account, failed, n/a, suppressed, passed, errors)
    const cells = await page.locator('table.by-account tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    expect(cells.map((c) => c[0])).toEqual(report.scope.accounts.slice().sort());
    const col = (i: number) => cells.reduce((a, c) => a + Number(c[i]), 0);
    expect([col(1), col(2), col(3), col(4), col(5)]).toEqual([s.fail, s.notAssessed, s.suppressed, s.pass, report.errors.length]);
    expect(await page.locator('#total').textContent()).toBe(String(report.results.length));
    await shownCount(page, report.results.length);
    expect(await visibleRows(page)).toBe(report.results.length);
  });

  it('lists the lens questions the results cover', async () => {
    const covered = new Set(report.results.flatMap((r) => r.lens));
    expect(await page.locator('[data-lens-covered]').textContent()).toBe(String(covered.size));
    expect(await page.locator('.lens2018-table tbody tr:not(.uncovered)').count()).toBe(covered.size);
    const covered2022 = new Set(report.results.flatMap((r) => r.lens2022 ?? []));
    expect(await page.locator('[data-lens2022-covered]').textContent()).toBe(String(covered2022.size));
    expect(await page.locator('.lens2022-table tbody tr:not(.uncovered)').count()).toBe(covered2022.size);
  });

  it('filters by free text, by field and by "new only"', async () => {
    for (const text of ['orders', 'tracing 444455556666', 'ÉTÉ-Παραγγελ', 'no-such-thing-anywhere']) {
      const expected = report.results.filter((r) => matchesText(r, text));
      await page.fill('#f-text', text);
      await shownCount(page, expected.length);
      expect(await visibleRows(page), text).toBe(expected.length);
      const ids = await page.locator('#rows tr.row').evaluateAll((trs, rs) =>
        trs.map((tr) => (rs as { findingId: string }[])[Number((tr as unknown as { dataset: { index: string } }).dataset.index)]!.findingId), report.results);
      expect(ids.sort()).toEqual(expected.map((r) => r.findingId).sort());
    }
    await page.fill('#f-text', '');

    await page.selectOption('#f-status', 'FAIL');
    await page.selectOption('#f-account', '444455556666');
    await shownCount(page, report.results.filter((r) => r.status === 'FAIL' && r.accountId === '444455556666').length);
    await page.selectOption('#f-region', 'global');
    await page.selectOption('#f-pillar', 'SEC');
    await shownCount(page, report.results.filter((r) => r.status === 'FAIL' && r.accountId === '444455556666' &&
      r.region === 'global' && r.pillar === 'SEC').length);
    await page.click('#f-clear');
    await shownCount(page, report.results.length);

    await page.selectOption('#f-severity', 'MEDIUM');
    await page.selectOption('#f-check', 'dynamodb.no-pitr');
    await shownCount(page, report.results.filter((r) => r.severity === 'MEDIUM' && r.checkId === 'dynamodb.no-pitr').length);
    await page.click('#f-clear');

    await page.check('#f-new');
    await shownCount(page, report.results.filter((r) => r.history?.state === 'NEW').length);
    await page.uncheck('#f-new');
    await page.selectOption('#f-suppressed', 'only');
    await shownCount(page, report.results.filter((r) => r.suppressed).length);
    await page.selectOption('#f-suppressed', 'hide');
    await shownCount(page, report.results.filter((r) => !r.suppressed).length);
    await page.click('#f-clear');
    await shownCount(page, report.results.length);
  });

  it('sorts by column', async () => {
    const col = (n: number) => page.locator(`#rows tr.row td:nth-child(${n})`).allTextContents();
    await page.click('th[data-sort="resourceName"]');
    const names = await page.locator('#rows tr.row .name').allTextContents();
    expect(names).toEqual(report.results.map((r) => r.resourceName).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    await page.click('th[data-sort="severity"]');
    const desc = await col(2);
    expect(desc[0]).toBe('CRITICAL');
    expect(desc.at(-1)).toBe('INFORMATIONAL');
    await page.click('th[data-sort="severity"]');
    expect((await col(2))[0]).toBe('INFORMATIONAL');
    expect(await page.getAttribute('th[data-sort="severity"]', 'aria-sort')).toBe('ascending');
  });

  it('shows hostile text as text, and links only https remediation URLs', async () => {
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.locator('#rows img, #rows script, #rows b').count()).toBe(0);
    const hostile = report.results.filter((r) => /[<>]/.test(r.resourceName)).map((r) => r.resourceName);
    expect(hostile.length).toBeGreaterThan(2);
    const names = await page.locator('#rows tr.row .name').allTextContents();
    for (const n of hostile) expect(names).toContain(n);

    await page.selectOption('#f-check', 'lambda.no-tracing');
    const link = page.locator('#rows tr.row td.rem a').first();
    expect(await link.getAttribute('href')).toBe('https://docs.aws.amazon.com/lambda.no-tracing.html');
    expect(await page.locator('#rows tr.row td.rem').first().textContent()).toContain('see the <b>docs</b>.');
    await page.selectOption('#f-check', 'sns.public-policy');
    await shownCount(page, report.results.filter((r) => r.checkId === 'sns.public-policy').length);
    expect(await page.locator('#rows td.rem').first().textContent()).toContain('Remove the public statement.');
    expect(await page.locator('#rows td.rem a').count()).toBe(0);
    await page.click('#f-clear');
  });

  it('opens the details of a row on click', async () => {
    await page.fill('#f-text', 'onerror');
    const r = report.results.find((x) => x.resourceName.includes('onerror'))!;
    await shownCount(page, 1);
    await page.click('#rows tr.row');
    const detail = await page.locator('#rows tr.detail').textContent();
    expect(detail).toContain(r.findingId);
    expect(detail).toContain('<script>window.__pwned=3</script>'); // evidence, shown as text
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    await page.click('#rows tr.row');
    expect(await page.locator('#rows tr.detail').count()).toBe(0);
    await page.click('#f-clear');
  });

  it('opens on what to fix first; "show" lists a check\'s or an account\'s unsuppressed failures in the table (issue 18)', async () => {
    const first = await page.locator('body > section').first().getAttribute('id');
    expect(first).toBe('fix-first');
    await page.click('button[data-show-check="dynamodb.no-pitr"]');
    const noPitr = report.results.filter((r) => r.checkId === 'dynamodb.no-pitr' && r.status === 'FAIL' && !r.suppressed);
    await shownCount(page, noPitr.length);
    expect(await page.inputValue('#f-status')).toBe('FAIL');
    expect(await page.inputValue('#f-check')).toBe('dynamodb.no-pitr');
    await page.click('button[data-show-account="444455556666"]');
    await shownCount(page, report.results.filter((r) => r.accountId === '444455556666' && r.status === 'FAIL' && !r.suppressed).length);
    expect(await page.inputValue('#f-check')).toBe('');
    await page.click('#f-clear');
    await shownCount(page, report.results.length);
  });

  it('links each resource of the table to the AWS console (issue 18)', async () => {
    const hrefs = await page.locator('#rows tr.row td.resource a.console').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs).toHaveLength(report.results.length);
    const shown = await page.locator('#rows tr.row').evaluateAll((trs, rs) =>
      trs.map((tr) => (rs as Result[])[Number((tr as unknown as { dataset: { index: string } }).dataset.index)]!), report.results);
    expect(hrefs).toEqual(shown.map((r) => consoleUrl(r)));
  });

  it('shows account names next to ids, groups by a tag and draws the trend (issue 18)', async () => {
    const named: AuditReport = {
      ...report,
      accountNames: { '111122223333': 'prod-payments', '444455556666': 'sandbox <img src=x onerror="window.__pwned=9">' },
      results: report.results.map((r) => (r.accountId === '111122223333' ? { ...r, tags: { team: 'payments' } } : r)),
      trend: [
        { runId: 'r1', finishedAt: '2026-05-19T08:00:00.000Z', openBySeverity: { INFORMATIONAL: 1, LOW: 10, MEDIUM: 9, HIGH: 2, CRITICAL: 0 } },
        { runId: 'r2', finishedAt: '2026-05-20T08:00:00.000Z', openBySeverity: { INFORMATIONAL: 1, LOW: 9, MEDIUM: 9, HIGH: 2, CRITICAL: 1 } },
      ],
    };
    const file = join(dir, 'named.html');
    writeFileSync(file, renderHtml(named, { checkInfo, groupByTag: 'team' }));
    const p = await browser.newPage();
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(e.message));
    p.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`console: ${m.text()}`); });
    try {
      await p.goto(pathToFileURL(file).href);
      await p.waitForSelector('body[data-ready="true"]');
      const accountCells = await p.locator('#rows tr.row td.acct').allTextContents();
      expect(accountCells).toContain('111122223333prod-payments');
      expect(accountCells).toContain('444455556666sandbox <img src=x onerror="window.__pwned=9">');
      expect(await p.locator('#f-account option').allTextContents()).toEqual(['All accounts', '111122223333 (prod-payments)', '444455556666 (sandbox <img src=x onerror="window.__pwned=9">)']);
      // the free-text filter finds an account by its name
      await p.fill('#f-text', 'prod-payments');
      await shownCount(p, report.results.filter((r) => r.accountId === '111122223333').length);
      expect(await p.locator('table.fix-by-tag tbody tr td:first-child').allTextContents()).toEqual(['payments', '(untagged)']);
      expect(await p.locator('#trend svg g[data-trend-run]').count()).toBe(2);
      expect(await p.evaluate('window.__pwned')).toBeUndefined();
      expect(await p.locator('img').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it('takes the README screenshot', async () => {
    mkdirSync('docs', { recursive: true });
    const p = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    // The fixture with what a run with Organizations and a history adds: account names and the trend.
    const file = join(dir, 'screenshot.html');
    const sev = (CRITICAL: number, HIGH: number, MEDIUM: number, LOW: number) => ({ INFORMATIONAL: 1, LOW, MEDIUM, HIGH, CRITICAL });
    writeFileSync(file, renderHtml({
      ...report,
      accountNames: { '111122223333': 'payments-prod', '444455556666': 'inventory-prod' },
      trend: [sev(2, 4, 12, 14), sev(2, 3, 11, 12), sev(1, 3, 10, 11), sev(0, 2, 9, 10), { ...report.summary.bySeverity }]
        .map((openBySeverity, i) => ({ runId: `run-${i + 1}`, finishedAt: new Date(Date.UTC(2026, 4, 28 + i, 8)).toISOString(), openBySeverity })),
    }, { checkInfo }));
    try {
      await p.goto(pathToFileURL(file).href);
      await p.waitForSelector('body[data-ready="true"]');
      const png = await p.screenshot({ path: 'docs/report-screenshot.png' });
      expect(png.subarray(1, 4).toString()).toBe('PNG');
    } finally {
      await p.close();
    }
  });

  it('stays usable with 50,000 results', { timeout: 180_000 }, async () => {
    const big = bigReport(50_000);
    const file = join(dir, 'big.html');
    writeFileSync(file, renderHtml(big, { checkInfo }));
    const p = await browser.newPage();
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(e.message));
    try {
      await p.goto(pathToFileURL(file).href, { timeout: 120_000 });
      await p.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
      await shownCount(p, 50_000);
      expect(await visibleRows(p)).toBe(100); // one page, not 50,000 rows
      expect(await p.locator('#page-info').textContent()).toBe('page 1 of 500');

      const text = 'fn-0420';
      const expected = big.results.filter((r) => matchesText(r, text));
      expect(expected.length).toBeGreaterThan(0);
      await p.fill('#f-text', text);
      await shownCount(p, expected.length);
      expect(await visibleRows(p)).toBe(Math.min(100, expected.length));

      await p.fill('#f-text', '');
      await p.selectOption('#f-status', 'FAIL');
      await p.selectOption('#f-region', 'eu-west-1');
      await shownCount(p, big.results.filter((r) => r.status === 'FAIL' && r.region === 'eu-west-1').length);
      await p.click('th[data-sort="resourceName"]');
      await p.click('#next');
      expect(await p.locator('#page-info').textContent()).toMatch(/^page 2 of \d+$/);
      expect(await visibleRows(p)).toBe(100);
      expect(errors).toEqual([]);
    } finally {
      await p.close();
    }
  });
});

function bigReport(n: number): AuditReport {
  const checks = [...new Map(report.results.map((r) => [r.checkId, r])).values()];
  const regions = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
  const statuses = ['FAIL', 'PASS', 'PASS', 'NOT_ASSESSED'] as const;
  const results: Result[] = [];
  for (let i = 0; i < n; i++) {
    const c = checks[i % checks.length]!;
    const accountId = String(100000000000 + (i % 37) * 1111);
    const region = regions[i % regions.length]!;
    const name = `fn-${String(i % 9973).padStart(4, '0')}-${i}`;
    results.push({
      ...c, status: statuses[i % statuses.length]!, accountId, region, resourceName: name,
      findingId: i.toString(16).padStart(32, '0'),
      resourceArn: `arn:aws:lambda:${region}:${accountId}:function:${name}`,
      message: `Result ${i} for ${name}.`,
      suppressed: i % 101 === 0 ? { reason: 'accepted' } : undefined,
      history: i % 7 === 0 ? { state: 'NEW', firstSeen: report.startedAt } : undefined,
    });
  }
  return { ...report, results, summary: { ...report.summary, pass: 0, fail: 0 } };
}
