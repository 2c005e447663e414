// `--output html`: one self-contained file. The summary, charts (inline SVG) and breakdowns are rendered
// here as static HTML; the results table is drawn in the browser from the results embedded as JSON, one page
// at a time, so that 50,000 results stay usable. Nothing is loaded from the network: a Content-Security-Policy
// allows only this file's own style and script (by hash), so a missed escape cannot run injected code either.
import { createHash } from 'node:crypto';
import { LENS_2018, LENS_2022, SEVERITIES, resultSet } from '../model/index.js';
import type { Result, TrendPoint } from '../model/index.js';
import { consoleUrl } from './console-link.js';
import type { AuditReport, CheckInfoLookup } from './types.js';

export interface HtmlOptions {
  /** Check metadata, for remediation text and links. */
  checkInfo?: CheckInfoLookup;
  /**
   * Adds a "what to fix first" roll-up by the value of this resource tag (`--group-by-tag team`). The results carry
   * the tag when the run was asked for it (runAudit `tagKeys`); a result without it counts as "(untagged)".
   */
  groupByTag?: string;
}

/** The label of results whose resource does not carry the `groupByTag` tag. */
export const UNTAGGED = '(untagged)';

/** Lists (new findings, resolved, errors) longer than this are cut in the static part; the table has them all. */
const LIST_LIMIT = 200;

const PILLARS: Record<string, string> = {
  OPS: 'Operational excellence', SEC: 'Security', REL: 'Reliability', PERF: 'Performance efficiency', COST: 'Cost optimization',
};

const LENS_QUESTIONS: Record<string, string> = LENS_2018;
const LENS_2022_QUESTIONS: Record<string, string> = Object.fromEntries(Object.entries(LENS_2022).map(([q, d]) => [q, d.title]));

export function escapeHtml(s: string | number): string {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON safe inside <script type="application/json">: no `</script`, no `<!--`, no raw line separators. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

interface Counts { pass: number; fail: number; notAssessed: number; suppressed: number }


type Tally = Counts & { checks: Set<string> };

/** Counts one result under `key`, with the same rules as the JSON summary: suppressed counts suppressed FAILs. */
function add(m: Map<string, Tally>, key: string, r: Result): void {
  let c = m.get(key);
  if (!c) m.set(key, (c = { pass: 0, fail: 0, notAssessed: 0, suppressed: 0, checks: new Set() }));
  if (r.status === 'PASS') c.pass++;
  else if (r.status === 'NOT_ASSESSED') c.notAssessed++;
  else if (r.suppressed) c.suppressed++;
  else c.fail++;
  c.checks.add(r.checkId);
}

/** Rows of the results table, at most (failures and not-assessed results always; passes while there is room). */
export const TABLE_ROWS = 50_000;

/**
 * One pass over every result of the run (a large run's passes on disk included, read once): the counts the summary,
 * breakdown and lens tables show, and the results table's rows — failures and not-assessed results, then passes in
 * the report's order up to TABLE_ROWS rows in all (the JSON and CSV reports have every result). No list is kept
 * beyond the rows, so the same rule holds for a run held in memory and one whose passes are on disk.
 */
interface Tallies {
  byPillar: Map<string, Tally>;
  byAccount: Map<string, Tally>;
  byAccountRegion: Map<string, Tally>;
  byLens2022: Map<string, Tally>;
  byLens2018: Map<string, Tally>;
  rows: Result[];
  /** Passes left out of the rows. */
  left: number;
}

function tally(report: AuditReport): Tallies {
  const t: Tallies = { byPillar: new Map(), byAccount: new Map(), byAccountRegion: new Map(), byLens2022: new Map(), byLens2018: new Map(), rows: [], left: 0 };
  for (const r of resultSet(report)) {
    add(t.byPillar, r.pillar, r);
    add(t.byAccount, r.accountId, r);
    add(t.byAccountRegion, `${r.accountId}\u0000${r.region}`, r);
    for (const q of r.lens2022 ?? []) add(t.byLens2022, q, r);
    for (const q of r.lens) add(t.byLens2018, q, r);
    if (t.rows.length < TABLE_ROWS || r.status !== 'PASS') t.rows.push(r);
    else t.left++;
  }
  return t;
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list) list.push(it);
    else m.set(k, [it]);
  }
  return m;
}

interface Segment { value: number; cls: string; label: string }

/** Horizontal (stacked) bar chart as inline SVG; colours come from CSS classes. */
function barChart(title: string, rows: { label: string; segments: Segment[] }[]): string {
  const labelW = 170, barW = 300, rowH = 26, numW = 60;
  const max = Math.max(1, ...rows.map((r) => r.segments.reduce((a, s) => a + s.value, 0)));
  const parts: string[] = [];
  rows.forEach((row, i) => {
    const y = i * rowH;
    const total = row.segments.reduce((a, s) => a + s.value, 0);
    parts.push(`<text x="0" y="${y + 17}" class="chart-label">${escapeHtml(row.label)}</text>`);
    let x = labelW;
    for (const s of row.segments) {
      if (s.value === 0) continue;
      const w = Math.max(2, (s.value / max) * barW);
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y + 4}" width="${w.toFixed(1)}" height="${rowH - 8}" class="${s.cls}">` +
          `<title>${escapeHtml(`${row.label}: ${s.value} ${s.label}`)}</title></rect>`,
      );
      x += w;
    }
    parts.push(`<text x="${(x + 6).toFixed(1)}" y="${y + 17}" class="chart-value">${escapeHtml(total)}</text>`);
  });
  const h = rows.length * rowH;
  return (
    `<svg role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${labelW + barW + numW} ${h}" ` +
    `width="${labelW + barW + numW}" height="${h}"><title>${escapeHtml(title)}</title>${parts.join('')}</svg>`
  );
}

/** A table cell given as markup (built here from escaped parts), not as text. */
interface Raw { html: string; cls?: string }
type Cell = string | number | Raw;
const cellHtml = (c: Cell) => (typeof c === 'object' ? `<td${c.cls ? ` class="${c.cls}"` : ''}>${c.html}</td>` : `<td>${escapeHtml(c)}</td>`);

function table(head: string[], rows: Cell[][], cls = ''): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map(cellHtml).join('')}</tr>`).join('\n');
  return `<table class="${cls}"><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function more(shown: number, total: number, hint: string): string {
  return total > shown ? `<p class="note">… and ${total - shown} more: ${escapeHtml(hint)}</p>` : '';
}

type Names = Readonly<Record<string, string>>;
const nameOf = (names: Names, id: string): string | undefined => (Object.hasOwn(names, id) ? names[id] : undefined);

/** An account as text: `111122223333 (prod)` when its name is known. */
function accountText(names: Names, id: string): string {
  const n = nameOf(names, id);
  return n ? `${id} (${n})` : id;
}

/** An account as a cell: the id, and its name (muted) when known. */
function accountCell(names: Names, id: string): Raw {
  const n = nameOf(names, id);
  return { html: `${escapeHtml(id)}${n ? ` <span class="acct-name">${escapeHtml(n)}</span>` : ''}`, cls: 'acct' };
}

/** The resource's name, linked to its page in the AWS console (console-link.ts). */
function resourceLink(r: { resourceArn: string; region: string; resourceName: string }): string {
  return `<a class="console" href="${escapeHtml(consoleUrl(r))}" target="_blank" rel="noopener noreferrer">${escapeHtml(r.resourceName || r.resourceArn)}</a>`;
}

const SEV_DESC = [...SEVERITIES].reverse();
/** Resources a roll-up row names, as console links; the rest are counted. */
const EXAMPLES = 3;

interface Rollup { failures: Result[]; resources: Set<string>; accounts: Set<string>; fresh: number; bySeverity: Map<string, number> }

function rollup(failures: Result[], key: (r: Result) => string): Map<string, Rollup> {
  const m = new Map<string, Rollup>();
  for (const r of failures) {
    const k = key(r);
    let g = m.get(k);
    if (!g) m.set(k, (g = { failures: [], resources: new Set(), accounts: new Set(), fresh: 0, bySeverity: new Map() }));
    g.failures.push(r);
    g.resources.add(r.resourceArn);
    g.accounts.add(r.accountId);
    if (r.history?.state === 'NEW') g.fresh++;
    g.bySeverity.set(r.severity, (g.bySeverity.get(r.severity) ?? 0) + 1);
  }
  return m;
}

/** The most severe first, then the most failures. */
function bySeverityThenCount(a: Rollup, b: Rollup): number {
  const worst = (g: Rollup) => Math.max(...[...g.bySeverity.keys()].map((s) => SEVERITIES.indexOf(s as never)));
  if (worst(a) !== worst(b)) return worst(b) - worst(a);
  for (const sev of SEV_DESC) {
    const d = (b.bySeverity.get(sev) ?? 0) - (a.bySeverity.get(sev) ?? 0);
    if (d !== 0) return d;
  }
  return b.resources.size - a.resources.size;
}

function examples(g: Rollup): Raw {
  const seen = new Set<string>();
  const links: string[] = [];
  for (const r of g.failures) {
    if (seen.has(r.resourceArn)) continue;
    seen.add(r.resourceArn);
    links.push(resourceLink(r));
    if (links.length === EXAMPLES) break;
  }
  const rest = g.resources.size - links.length;
  return { html: `${links.join(', ')}${rest > 0 ? ` <span class="sub">and ${rest} more</span>` : ''}`, cls: 'examples' };
}

const sevCounts = (g: Rollup): Cell[] => SEV_DESC.map((s) => g.bySeverity.get(s) ?? 0);
const showButton = (attr: string, value: string) =>
  `<button type="button" class="show" ${attr}="${escapeHtml(value)}">show</button>`;

/**
 * What to fix first: the unsuppressed failures rolled up by check (most severe, then most resources first), by
 * account, and (groupByTag) by the value of a tag. The page opens on this section.
 */
function fixFirstSection(report: AuditReport, names: Names, groupByTag: string | undefined): string {
  const failures = resultSet(report).held.filter((r) => r.status === 'FAIL' && !r.suppressed);
  if (failures.length === 0) {
    return `<section id="fix-first"><h2>What to fix first</h2><p class="note">No unsuppressed failures${report.summary.notAssessed ? ` (${report.summary.notAssessed} results could not be assessed: see below)` : ''}.</p></section>`;
  }
  const byCheck = [...rollup(failures, (r) => r.checkId)].sort(([ka, a], [kb, b]) => bySeverityThenCount(a, b) || ka.localeCompare(kb));
  const checkRows = byCheck.map(([checkId, g]): Cell[] => {
    const sev = g.failures[0]!.severity;
    return [
      { html: `<span class="badge sev-${escapeHtml(sev)}">${escapeHtml(sev)}</span>` },
      { html: `<div>${escapeHtml(checkId)}</div><div class="sub">${escapeHtml(g.failures[0]!.title)}</div>` },
      { html: String(g.resources.size), cls: 'n' },
      { html: String(g.accounts.size), cls: 'n' },
      { html: String(g.fresh), cls: 'n' },
      examples(g),
      { html: showButton('data-show-check', checkId) },
    ];
  });
  const byAccount = [...rollup(failures, (r) => r.accountId)].sort(([ka, a], [kb, b]) => bySeverityThenCount(a, b) || ka.localeCompare(kb));
  const accountRows = byAccount.slice(0, LIST_LIMIT).map(([id, g]): Cell[] => [
    accountCell(names, id), ...sevCounts(g), g.failures.length, new Set(g.failures.map((r) => r.checkId)).size, g.fresh,
    { html: showButton('data-show-account', id) },
  ]);
  const sevHead = SEV_DESC.map((s) => s[0] + s.slice(1).toLowerCase());
  let tagPart = '';
  if (groupByTag) {
    const byTag = [...rollup(failures, (r) => (r.tags && Object.hasOwn(r.tags, groupByTag) ? r.tags[groupByTag]! : UNTAGGED))]
      .sort(([ka, a], [kb, b]) => bySeverityThenCount(a, b) || ka.localeCompare(kb));
    const tagRows = byTag.slice(0, LIST_LIMIT).map(([value, g]): Cell[] => [
      value === UNTAGGED ? { html: `<i>${escapeHtml(UNTAGGED)}</i>`, cls: 'untagged' } : value,
      ...sevCounts(g), g.failures.length, g.resources.size, g.accounts.size, g.fresh,
    ]);
    tagPart = `<h3>By tag <code>${escapeHtml(groupByTag)}</code></h3>
${table([groupByTag, ...sevHead, 'Failures', 'Resources', 'Accounts', 'New'], tagRows, 'num-table fix-by-tag')}
${more(LIST_LIMIT, byTag.length, 'the JSON report has every result with its tags.')}`;
  }
  return `<section id="fix-first"><h2>What to fix first</h2>
<p class="note">Unsuppressed failures (<span data-fix-total>${failures.length}</span>), most severe first, then those on the most resources. “show” lists them in the results table.</p>
<h3>By check</h3>
${table(['Severity', 'Check', 'Resources', 'Accounts', 'New', 'For example', ''], checkRows, 'fix-by-check')}
<h3>By account</h3>
${table(['Account', ...sevHead, 'Failures', 'Checks', 'New', ''], accountRows, 'num-table fix-by-account')}
${more(LIST_LIMIT, byAccount.length, 'filter the results table by account to see the others.')}
${tagPart}
</section>`;
}

/** Open findings by severity over the last runs (the history's trend): stacked columns, inline SVG. */
function trendSection(trend: readonly TrendPoint[] | undefined): string {
  if (!trend || trend.length === 0) return '';
  const colW = 34, gap = 10, chartH = 150, top = 16, labelH = 34, left = 40;
  const totals = trend.map((t) => SEVERITIES.reduce((a, s) => a + (t.openBySeverity[s] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const parts: string[] = [];
  // y axis: 0 and the maximum
  parts.push(`<text x="${left - 6}" y="${top + chartH}" class="chart-label" text-anchor="end">0</text>`);
  parts.push(`<text x="${left - 6}" y="${top + 10}" class="chart-label" text-anchor="end">${max}</text>`);
  trend.forEach((t, i) => {
    const x = left + i * (colW + gap);
    let y = top + chartH;
    const label = `${t.finishedAt.slice(0, 10)} ${t.finishedAt.slice(11, 16)}`;
    const detail = SEV_DESC.filter((s) => (t.openBySeverity[s] ?? 0) > 0).map((s) => `${s} ${t.openBySeverity[s]}`).join(', ') || 'none';
    parts.push(`<g data-trend-run="${escapeHtml(t.runId)}" data-trend-total="${totals[i]}"><title>${escapeHtml(`${label} (run ${t.runId}): ${totals[i]} open — ${detail}`)}</title>`);
    for (const s of SEVERITIES) {
      const n = t.openBySeverity[s] ?? 0;
      if (n === 0) continue;
      const h = Math.max(1, (n / max) * chartH);
      y -= h;
      parts.push(`<rect x="${x}" y="${y.toFixed(1)}" width="${colW}" height="${h.toFixed(1)}" class="sev-${s}"></rect>`);
    }
    parts.push(`<text x="${x + colW / 2}" y="${(y - 3).toFixed(1)}" class="chart-value" text-anchor="middle">${totals[i]}</text>`);
    parts.push(`<text x="${x + colW / 2}" y="${top + chartH + 14}" class="chart-label" text-anchor="middle">${escapeHtml(t.finishedAt.slice(5, 10))}</text>`);
    parts.push(`<text x="${x + colW / 2}" y="${top + chartH + 28}" class="chart-label" text-anchor="middle">${escapeHtml(t.finishedAt.slice(11, 16))}</text></g>`);
  });
  const w = left + trend.length * (colW + gap), h = top + chartH + labelH;
  const svg = `<svg role="img" aria-label="Open findings by severity, last ${trend.length} runs" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}"><title>Open findings by severity, last ${trend.length} runs</title>${parts.join('')}</svg>`;
  const legend = SEV_DESC.map((s) => `<li><i class="sev-${s}"></i>${s}</li>`).join('');
  return `<section id="trend"><h2>Trend</h2>
<figure><figcaption>Open findings by severity after each of the last <span data-trend-runs>${trend.length}</span> runs (UTC)</figcaption>${svg}
<ul class="legend">${legend}</ul></figure></section>`;
}

function summarySection(report: AuditReport, t: Tallies): string {
  const s = report.summary;
  const card = (key: string, label: string, value: number, cls: string) =>
    `<div class="card ${cls}"><div class="num" data-summary="${key}">${escapeHtml(value)}</div><div>${escapeHtml(label)}</div></div>`;
  const hasHistory = report.resolved !== undefined || resultSet(report).held.some((r) => r.history);
  const cards = [
    card('fail', 'failed', s.fail, 'c-fail'),
    card('pass', 'passed', s.pass, 'c-pass'),
    card('notAssessed', 'not assessed', s.notAssessed, 'c-na'),
    card('suppressed', 'suppressed', s.suppressed, 'c-sup'),
    ...(hasHistory ? [card('new', 'new since last run', s.new, 'c-new'), card('resolved', 'resolved since last run', s.resolved, 'c-pass')] : []),
  ];

  const order = [...SEVERITIES].reverse() as string[];
  const sevKeys = [...order, ...Object.keys(s.bySeverity).filter((k) => !order.includes(k))];
  const sevChart = barChart(
    'Failed findings by severity',
    sevKeys.map((k) => ({ label: k, segments: [{ value: (s.bySeverity as Record<string, number>)[k] ?? 0, cls: `sev-${k}`, label: 'failed' }] })),
  );
  const sevList = sevKeys
    .map((k) => `<li><span class="badge sev-${escapeHtml(k)}">${escapeHtml(k)}</span> <span data-severity="${escapeHtml(k)}">${escapeHtml((s.bySeverity as Record<string, number>)[k] ?? 0)}</span></li>`)
    .join('');

  const byPillar = t.byPillar;
  const pillarKeys = [...Object.keys(PILLARS), ...[...byPillar.keys()].filter((k) => !(k in PILLARS)).sort()];
  const pillarChart = barChart(
    'Results by pillar',
    pillarKeys.map((p) => {
      const c = byPillar.get(p) ?? { pass: 0, fail: 0, notAssessed: 0, suppressed: 0 };
      return {
        label: PILLARS[p] ?? p,
        segments: [
          { value: c.fail, cls: 'st-fail', label: 'failed' },
          { value: c.notAssessed, cls: 'st-na', label: 'not assessed' },
          { value: c.suppressed, cls: 'st-sup', label: 'suppressed' },
          { value: c.pass, cls: 'st-pass', label: 'passed' },
        ],
      };
    }),
  );
  return `<section id="summary"><h2>Summary</h2>
<div class="cards">${cards.join('')}</div>
<div class="charts">
<figure><figcaption>Failed findings by severity (suppressed excluded)</figcaption>${sevChart}<ul class="sev-list">${sevList}</ul></figure>
<figure><figcaption>Results by pillar</figcaption>${pillarChart}
<ul class="legend"><li><i class="st-fail"></i>failed</li><li><i class="st-na"></i>not assessed</li><li><i class="st-sup"></i>suppressed</li><li><i class="st-pass"></i>passed</li></ul></figure>
</div></section>`;
}

function historySection(report: AuditReport, names: Names): string {
  const hasHistory = report.resolved !== undefined || resultSet(report).held.some((r) => r.history);
  if (!hasHistory) {
    return '<section id="history"><h2>Changes since the last run</h2><p class="note">No state store was used, so new and resolved findings are not tracked.</p></section>';
  }
  // The same findings the summary counts as new: unsuppressed failures first seen in this run.
  const fresh = resultSet(report).held.filter((r) => r.status === 'FAIL' && !r.suppressed && r.history?.state === 'NEW');
  fresh.sort((a, b) => SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity));
  const resolved = report.resolved ?? [];
  const head = ['Severity', 'Check', 'Account', 'Region', 'Resource'];
  return `<section id="history"><h2>Changes since the last run</h2>
<h3>New findings (<span data-list="new">${fresh.length}</span>)</h3>
${fresh.length ? table(head, fresh.slice(0, LIST_LIMIT).map((r) => [r.severity, r.checkId, accountCell(names, r.accountId), r.region, { html: resourceLink(r) }]), 'list-new') : '<p class="note">None.</p>'}
${more(LIST_LIMIT, fresh.length, 'tick “new only” in the results table to see them all.')}
<h3>Resolved findings (<span data-list="resolved">${resolved.length}</span>)</h3>
${resolved.length ? table(head, resolved.slice(0, LIST_LIMIT).map((r) => [r.severity, r.checkId, accountCell(names, r.accountId), r.region, { html: resourceLink(r) }]), 'list-resolved') : '<p class="note">None.</p>'}
${more(LIST_LIMIT, resolved.length, 'the JSON report lists them all.')}
</section>`;
}

function breakdownSection(report: AuditReport, names: Names, t: Tallies): string {
  const errorsBy = groupBy(report.errors, (e) => `${e.accountId}\u0000${e.region}`);
  const errorsByAccount = groupBy(report.errors, (e) => e.accountId);
  const none: Counts = { pass: 0, fail: 0, notAssessed: 0, suppressed: 0 };
  const row = (label: Cell[], c: Counts | undefined, errors: number): Cell[] => {
    const n = c ?? none;
    return [...label, n.fail, n.notAssessed, n.suppressed, n.pass, errors];
  };
  // Every result counts (a large run's passes on disk included): see tally().
  const byAccount = t.byAccount;
  const accounts = [...new Set([...report.scope.accounts, ...byAccount.keys()])].sort();
  const accountRows = accounts.map((a) => row([accountCell(names, a)], byAccount.get(a), errorsByAccount.get(a)?.length ?? 0));
  const byAr = t.byAccountRegion;
  const arKeys = [...new Set([...byAr.keys(), ...errorsBy.keys()])].sort();
  const arRows = arKeys.map((k) => {
    const [a = '', region = ''] = k.split('\u0000');
    return row([accountCell(names, a), region], byAr.get(k), errorsBy.get(k)?.length ?? 0);
  });
  const cols = ['Failed', 'Not assessed', 'Suppressed', 'Passed', 'Collection errors'];
  return `<section id="breakdown"><h2>By account and region</h2>
<div class="two">
<div><h3>Accounts</h3>${table(['Account', ...cols], accountRows, 'num-table by-account')}</div>
<div><h3>Account and region</h3>${table(['Account', 'Region', ...cols], arRows, 'num-table by-region')}</div>
</div></section>`;
}

/** One lens revision's coverage table: every question of that revision, with the results of the checks serving it. */
function lensTable(byQ: Map<string, Tally>, questions: Record<string, string>, attr: string, cls: string): { covered: number; table: string } {
  const ids = [...Object.keys(questions), ...[...byQ.keys()].filter((q) => !(q in questions)).sort()];
  const covered = ids.filter((q) => byQ.has(q)).length;
  const rows = ids.map((q) => {
    const c = byQ.get(q);
    const text = `<td>${escapeHtml(q)}</td><td>${escapeHtml(questions[q] ?? '')}</td>`;
    if (!c) return `<tr class="uncovered">${text}<td colspan="5">not covered by the checks that ran</td></tr>`;
    const checks = c.checks.size;
    return `<tr>${text}${[checks, c.fail, c.notAssessed, c.suppressed, c.pass].map((n) => `<td class="n">${n}</td>`).join('')}</tr>`;
  });
  return {
    covered,
    table: `<table class="${cls}" ${attr}><thead><tr><th>Question</th><th></th><th>Checks</th><th>Failed</th><th>Not assessed</th><th>Suppressed</th><th>Passed</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`,
  };
}

function lensSection(t: Tallies): string {
  const today = lensTable(t.byLens2022, LENS_2022_QUESTIONS, 'data-lens-2022', 'lens-table lens2022-table');
  const old = lensTable(t.byLens2018, LENS_QUESTIONS, 'data-lens-2018', 'lens-table lens2018-table');
  return `<section id="lens"><h2>Serverless Lens questions</h2>
<p class="note"><span data-lens2022-covered>${today.covered}</span> of ${Object.keys(LENS_2022_QUESTIONS).length} questions covered (lens revision of July 2022, as in the Well-Architected Tool).</p>
${today.table}
<p class="note"><span data-lens-covered>${old.covered}</span> of ${Object.keys(LENS_QUESTIONS).length} questions covered (lens revision of November 2018).</p>
${old.table}</section>`;
}

function skippedSection(report: AuditReport): string {
  const skipped = report.skipped ?? [];
  if (skipped.length === 0) return '';
  const rows = [...skipped].sort((a, b) => a.reason.localeCompare(b.reason) || a.checkId.localeCompare(b.checkId)).map((s) => [s.checkId, s.reason]);
  return `<section id="skipped"><h2>Checks that did not run (${skipped.length})</h2>
<p class="note">These checks were not evaluated in this run, so they have no results here: not a pass.</p>
${table(['Check', 'Reason'], rows, 'skipped-table')}</section>`;
}

function errorsSection(report: AuditReport, names: Names): string {
  if (report.errors.length === 0) return '';
  const rows = report.errors.slice(0, LIST_LIMIT).map((e): Cell[] => [accountCell(names, e.accountId), e.region, `${e.service}:${e.operation}`, e.code, e.message]);
  return `<section id="errors"><h2>Collection errors (${report.errors.length})</h2>
<p class="note">These calls failed; the results that depend on them are NOT_ASSESSED, never passed.</p>
${table(['Account', 'Region', 'Operation', 'Code', 'Message'], rows, 'errors-table')}
${more(LIST_LIMIT, report.errors.length, 'the JSON report lists them all.')}</section>`;
}

const RESULTS_SECTION = `<section id="results"><h2>Results</h2>
<div class="filters">
<input id="f-text" type="search" placeholder="Filter: resource, check, message… (all words)" aria-label="Free-text filter">
<select id="f-status" aria-label="Status"><option value="">All statuses</option><option>FAIL</option><option>NOT_ASSESSED</option><option>PASS</option></select>
<select id="f-severity" aria-label="Severity"><option value="">All severities</option></select>
<select id="f-pillar" aria-label="Pillar"><option value="">All pillars</option></select>
<select id="f-account" aria-label="Account"><option value="">All accounts</option></select>
<select id="f-region" aria-label="Region"><option value="">All regions</option></select>
<select id="f-check" aria-label="Check"><option value="">All checks</option></select>
<select id="f-suppressed" aria-label="Suppressed"><option value="">With suppressed</option><option value="hide">Without suppressed</option><option value="only">Suppressed only</option></select>
<label><input id="f-new" type="checkbox"> new only</label>
<button id="f-clear" type="button">Clear</button>
</div>
<p><span id="count" data-count="0">0</span> of <span id="total"></span> results · <span id="page-info"></span>
<button id="prev" type="button">‹ Previous</button> <button id="next" type="button">Next ›</button></p>
<table id="results-table"><thead><tr>
<th data-sort="status">Status</th><th data-sort="severity">Severity</th><th data-sort="checkId">Check</th><th data-sort="pillar">Pillar</th>
<th data-sort="accountId">Account</th><th data-sort="region">Region</th><th data-sort="resourceName">Resource</th><th data-sort="message">Message</th>
<th>Remediation</th></tr></thead><tbody id="rows"></tbody></table>
<p class="note">Click a row for details (finding id, evidence). Click a column heading to sort.</p>
</section>`;

const CSS = `
:root{--fg:#1b1f24;--muted:#59636e;--bg:#fff;--panel:#f6f8fa;--line:#d1d9e0;--fail:#cf222e;--pass:#1a7f37;--na:#8250df;--sup:#8c959f;--new:#0969da}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;padding:16px 24px;max-width:1500px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:15px;margin:14px 0 6px}
.meta,.note{color:var(--muted)}.meta span{margin-right:14px;white-space:nowrap}
.cards{display:flex;flex-wrap:wrap;gap:10px}.card{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:130px}
.card .num{font-size:28px;font-weight:600}.c-fail .num{color:var(--fail)}.c-pass .num{color:var(--pass)}.c-na .num{color:var(--na)}.c-sup .num{color:var(--sup)}.c-new .num{color:var(--new)}
.charts{display:flex;flex-wrap:wrap;gap:28px;margin-top:14px}figure{margin:0}figcaption{font-weight:600;margin-bottom:6px}
svg{max-width:100%;height:auto}.chart-label,.chart-value{font-size:12px;fill:var(--fg)}
.sev-CRITICAL{fill:#82071e;background:#82071e;color:#fff}.sev-HIGH{fill:#cf222e;background:#cf222e;color:#fff}.sev-MEDIUM{fill:#bc4c00;background:#bc4c00;color:#fff}
.sev-LOW{fill:#9a6700;background:#9a6700;color:#fff}.sev-INFORMATIONAL{fill:#57606a;background:#57606a;color:#fff}
.st-fail{fill:var(--fail);background:var(--fail)}.st-pass{fill:var(--pass);background:var(--pass)}.st-na{fill:var(--na);background:var(--na)}.st-sup{fill:var(--sup);background:var(--sup)}
.legend,.sev-list{list-style:none;padding:0;margin:6px 0;display:flex;flex-wrap:wrap;gap:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
.badge{display:inline-block;border-radius:10px;padding:0 7px;font-size:11px;font-weight:600;white-space:nowrap}
.b-FAIL{background:var(--fail);color:#fff}.b-PASS{background:var(--pass);color:#fff}.b-NOT_ASSESSED{background:var(--na);color:#fff}.b-sup{background:var(--sup);color:#fff}.b-new{background:var(--new);color:#fff}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--panel)}#results-table th{position:sticky;top:0}.num-table td:nth-child(n+2),.n{text-align:right}.by-region td:nth-child(2){text-align:left}
.two{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1.4fr);gap:24px}@media (max-width:1000px){.two{grid-template-columns:1fr}}
.uncovered td{color:var(--muted)}.lens-table td:first-child{white-space:nowrap}
.filters{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin-bottom:8px}.filters input[type=search]{flex:1 1 280px;padding:5px 8px}
select,input,button{font:inherit}
#results-table th[data-sort]{cursor:pointer;user-select:none}#results-table th[aria-sort=ascending]::after{content:" ▲"}#results-table th[aria-sort=descending]::after{content:" ▼"}
#rows tr.row{cursor:pointer}#rows tr.row:hover{background:var(--panel)}.arn{color:var(--muted);font-size:11px;word-break:break-all}
.msg{white-space:pre-wrap;word-break:break-word}.sub{color:var(--muted);font-size:11px}
#rows td:nth-child(2),#rows td:nth-child(5),#rows td:nth-child(6){white-space:nowrap}.rem{font-size:12px;color:var(--muted)}
tr.detail td{background:var(--panel)}tr.detail pre{white-space:pre-wrap;word-break:break-all;margin:4px 0;font-size:12px}
.acct-name{color:var(--muted)}a.console{color:var(--new)}.examples{font-size:12px}.untagged{color:var(--muted)}button.show{font-size:12px;padding:0 6px}
#fix-first td:nth-child(n+3):not(.examples){white-space:nowrap}.fix-by-account,.fix-by-tag{width:auto;min-width:60%}.fix-by-check td.n{text-align:right}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--panel:#161b22;--line:#30363d}}
`;

// Runs in the browser. Plain ES2020, no template literals (this is itself one); builds rows with textContent only.
const CLIENT_JS = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var results = data.results, remediation = data.remediation, links = data.links || {}, names = data.accountNames || {};
  function accountName(id) { return Object.prototype.hasOwnProperty.call(names, id) ? names[id] : ''; }
  var PAGE = 100;
  var SEV = { INFORMATIONAL: 0, LOW: 1, MEDIUM: 2, HIGH: 3, CRITICAL: 4 };
  var STATUS = { PASS: 0, NOT_ASSESSED: 1, FAIL: 2 };
  function $(id) { return document.getElementById(id); }
  var f = { text: $('f-text'), status: $('f-status'), severity: $('f-severity'), pillar: $('f-pillar'), account: $('f-account'),
    region: $('f-region'), check: $('f-check'), suppressed: $('f-suppressed'), fresh: $('f-new') };

  function uniq(key) {
    var seen = {};
    for (var i = 0; i < results.length; i++) seen[results[i][key]] = true;
    return Object.keys(seen).sort();
  }
  function fill(sel, values, label) {
    values.forEach(function (v) { var o = document.createElement('option'); o.value = v; o.textContent = label ? label(v) : v; sel.appendChild(o); });
  }
  fill(f.severity, uniq('severity').sort(function (a, b) { return (SEV[b] || 0) - (SEV[a] || 0); }));
  fill(f.pillar, uniq('pillar'));
  fill(f.account, uniq('accountId'), function (id) { var n = accountName(id); return n ? id + ' (' + n + ')' : id; });
  fill(f.region, uniq('region'));
  fill(f.check, uniq('checkId'));
  $('total').textContent = String(results.length);

  var hay = null; // lower-cased searchable text per result, built on first text search
  function haystack(i) {
    var r = results[i];
    return [r.checkId, r.title, r.status, r.severity, r.pillar, r.accountId, accountName(r.accountId), r.region, r.resourceKind, r.resourceArn,
      r.resourceName, r.message, r.findingId, r.suppressed ? r.suppressed.reason : ''].join('\n').toLowerCase();
  }

  function sortValue(r, key) {
    if (key === 'severity') return SEV[r.severity] || 0;
    if (key === 'status') return STATUS[r.status] || 0;
    return r[key] || '';
  }
  function compare(a, b, key) {
    var x = sortValue(a, key), y = sortValue(b, key);
    if (typeof x === 'number') return x - y;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  // Default order: failures first, most severe first, then by check and resource.
  function defaultOrder(a, b) {
    return compare(b, a, 'status') || compare(b, a, 'severity') || compare(a, b, 'checkId') ||
      compare(a, b, 'accountId') || compare(a, b, 'region') || compare(a, b, 'resourceName');
  }
  var sortKey = '', sortDir = 1;
  var order = results.map(function (_, i) { return i; });
  function sortOrder() {
    order.sort(function (i, j) {
      var a = results[i], b = results[j];
      return (sortKey ? sortDir * compare(a, b, sortKey) : 0) || defaultOrder(a, b) || i - j;
    });
  }

  var view = [], page = 0, open = {};
  function apply() {
    var words = f.text.value.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length && !hay) { hay = new Array(results.length); for (var k = 0; k < results.length; k++) hay[k] = haystack(k); }
    var st = f.status.value, sev = f.severity.value, pil = f.pillar.value, acc = f.account.value, reg = f.region.value,
      chk = f.check.value, sup = f.suppressed.value, fresh = f.fresh.checked;
    view = order.filter(function (i) {
      var r = results[i];
      if (st && r.status !== st) return false;
      if (sev && r.severity !== sev) return false;
      if (pil && r.pillar !== pil) return false;
      if (acc && r.accountId !== acc) return false;
      if (reg && r.region !== reg) return false;
      if (chk && r.checkId !== chk) return false;
      if (sup === 'hide' && r.suppressed) return false;
      if (sup === 'only' && !r.suppressed) return false;
      if (fresh && !(r.history && r.history.state === 'NEW')) return false;
      for (var w = 0; w < words.length; w++) if (hay[i].indexOf(words[w]) < 0) return false;
      return true;
    });
    page = 0;
    render();
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function safeUrl(u) { return typeof u === 'string' && /^https:\/\//i.test(u) ? u : ''; }

  function detailRow(r) {
    var tr = el('tr', 'detail'), td = el('td');
    td.colSpan = 9;
    var info = { findingId: r.findingId, title: r.title, lens: r.lens, resourceKind: r.resourceKind, resourceArn: r.resourceArn };
    if (r.suppressed) info.suppressed = r.suppressed;
    if (r.history) info.history = r.history;
    if (r.evidence) info.evidence = r.evidence;
    td.appendChild(el('pre', '', JSON.stringify(info, null, 2)));
    var rem = remediation[r.checkId];
    if (rem) td.appendChild(el('div', '', rem.text));
    tr.appendChild(td);
    return tr;
  }

  function row(i) {
    var r = results[i], tr = el('tr', 'row');
    tr.dataset.index = String(i);
    var st = el('td'); st.appendChild(el('span', 'badge b-' + r.status, r.status));
    if (r.suppressed) { var s = el('span', 'badge b-sup', 'suppressed'); s.title = r.suppressed.reason; st.appendChild(document.createTextNode(' ')); st.appendChild(s); }
    if (r.history && r.history.state === 'NEW') { st.appendChild(document.createTextNode(' ')); st.appendChild(el('span', 'badge b-new', 'new')); }
    tr.appendChild(st);
    var sv = el('td'); sv.appendChild(el('span', 'badge sev-' + r.severity, r.severity)); tr.appendChild(sv);
    var ck = el('td'); ck.appendChild(el('div', '', r.checkId)); ck.appendChild(el('div', 'sub', r.title)); tr.appendChild(ck);
    tr.appendChild(el('td', '', r.pillar));
    var ac = el('td', 'acct', r.accountId), an = accountName(r.accountId);
    if (an) ac.appendChild(el('div', 'sub', an));
    tr.appendChild(ac);
    tr.appendChild(el('td', '', r.region));
    var res = el('td', 'resource'); res.appendChild(el('div', 'name', r.resourceName)); res.appendChild(el('div', 'arn', r.resourceArn));
    var cu = safeUrl(links[r.resourceArn]);
    if (cu) { var ca = el('a', 'console', 'open in the AWS console'); ca.href = cu; ca.target = '_blank'; ca.rel = 'noopener noreferrer'; res.appendChild(ca); }
    tr.appendChild(res);
    tr.appendChild(el('td', 'msg', r.message));
    var rm = el('td', 'rem'), rem = remediation[r.checkId];
    if (rem) {
      rm.appendChild(el('div', '', rem.text.length > 160 ? rem.text.slice(0, 157) + '…' : rem.text));
      var url = safeUrl(rem.url);
      if (url) { var a = el('a', '', 'documentation'); a.href = url; a.target = '_blank'; a.rel = 'noopener noreferrer'; rm.appendChild(a); }
    }
    tr.appendChild(rm);
    return tr;
  }

  function render() {
    var pages = Math.max(1, Math.ceil(view.length / PAGE));
    if (page >= pages) page = pages - 1;
    var frag = document.createDocumentFragment();
    view.slice(page * PAGE, (page + 1) * PAGE).forEach(function (i) {
      frag.appendChild(row(i));
      if (open[i]) frag.appendChild(detailRow(results[i]));
    });
    $('rows').replaceChildren(frag);
    $('count').textContent = String(view.length);
    $('count').dataset.count = String(view.length);
    $('page-info').textContent = 'page ' + (page + 1) + ' of ' + pages;
    $('prev').disabled = page === 0;
    $('next').disabled = page >= pages - 1;
  }

  $('rows').addEventListener('click', function (ev) {
    if (ev.target.closest('a')) return;
    var tr = ev.target.closest('tr.row');
    if (!tr) return;
    var i = Number(tr.dataset.index);
    open[i] = !open[i];
    render();
  });
  $('prev').addEventListener('click', function () { page--; render(); });
  $('next').addEventListener('click', function () { page++; render(); });
  document.querySelectorAll('#results-table th[data-sort]').forEach(function (th) {
    th.addEventListener('click', function () {
      var key = th.dataset.sort;
      sortDir = sortKey === key ? -sortDir : (key === 'severity' || key === 'status' ? -1 : 1);
      sortKey = key;
      document.querySelectorAll('#results-table th[data-sort]').forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', sortDir > 0 ? 'ascending' : 'descending');
      sortOrder();
      apply();
    });
  });
  Object.keys(f).forEach(function (k) { f[k].addEventListener(k === 'text' ? 'input' : 'change', apply); });
  function clearFilters() { Object.keys(f).forEach(function (k) { if (k === 'fresh') f[k].checked = false; else f[k].value = ''; }); }
  $('f-clear').addEventListener('click', function () { clearFilters(); apply(); });
  // "show" in the fix-first roll-ups: the unsuppressed failures of that check or account, in the table.
  document.getElementById('fix-first').addEventListener('click', function (ev) {
    var b = ev.target.closest('button.show');
    if (!b) return;
    clearFilters();
    f.status.value = 'FAIL';
    f.suppressed.value = 'hide';
    if (b.dataset.showCheck) f.check.value = b.dataset.showCheck;
    if (b.dataset.showAccount) f.account.value = b.dataset.showAccount;
    apply();
    $('results').scrollIntoView();
  });
  sortOrder();
  apply();
  document.body.dataset.ready = 'true';
})();
`;

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('base64');

export function renderHtml(report: AuditReport, opts: HtmlOptions = {}): string {
  const names: Names = report.accountNames ?? {};
  // Console links by resource ARN (a resource has several results; the table links each row from this).
  // The results table's rows: the same rule for a run held in memory and one whose passes are on disk.
  const tallies = tally(report);
  const { rows, left } = tallies;
  const links: Record<string, string> = {};
  for (const r of rows) if (!Object.hasOwn(links, r.resourceArn)) links[r.resourceArn] = consoleUrl(r);
  const remediation: Record<string, { text: string; url: string }> = {};
  for (const id of new Set(rows.map((r) => r.checkId))) {
    const info = opts.checkInfo?.(id);
    if (info) remediation[id] = info.remediation;
  }
  const apiCalls = Object.values(report.stats.apiCalls).reduce((a, b) => a + b, 0);
  const csp =
    `default-src 'none'; style-src 'sha256-${sha256(CSS)}'; script-src 'sha256-${sha256(CLIENT_JS)}'; ` +
    `img-src data:; base-uri 'none'; form-action 'none'`;
  const meta = [
    `${report.tool.name} ${report.tool.version}`,
    `run ${report.runId}`,
    `${report.startedAt} → ${report.finishedAt}`,
    `${(report.stats.durationMs / 1000).toFixed(1)} s`,
    `${apiCalls} API calls`,
    `accounts: ${report.scope.accounts.map((a) => accountText(names, a)).join(', ') || '-'}`,
    `regions: ${report.scope.regions.join(', ') || '-'}`,
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Serverless Lens audit · ${escapeHtml(report.runId)}</title>
<style>${CSS}</style>
</head><body>
<header><h1>Serverless Lens audit</h1><p class="meta">${meta.map((m) => `<span>${escapeHtml(m)}</span>`).join(' ')}</p></header>
${fixFirstSection(report, names, opts.groupByTag)}
${summarySection(report, tallies)}
${trendSection(report.trend)}
${historySection(report, names)}
${breakdownSection(report, names, tallies)}
${lensSection(tallies)}
${RESULTS_SECTION}${left > 0 ? `\n<p class="note">The table lists the failures, the results not assessed and the first ${escapeHtml(TABLE_ROWS)} results in all; ${escapeHtml(left)} more passes are in the JSON and CSV reports.</p>` : ''}
${skippedSection(report)}
${errorsSection(report, names)}
<script type="application/json" id="report-data">${jsonForScript({ results: rows, remediation, links, accountNames: names })}</script>
<script>${CLIENT_JS}</script>
</body></html>
`;
}
