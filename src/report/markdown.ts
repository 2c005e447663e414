// `--output markdown`: a summary for CI job pages (GitHub's step summary, GitLab merge-request notes): counts by
// severity, new and resolved, the top failing checks and the new findings, each linked (check → its documentation,
// resource → the AWS console). Short by design: lists are capped, the full report is the JSON/HTML.
import { SEVERITIES, resultSet, type AuditReport, type Result, type Severity } from '../model/index.js';
import { checkDocsLink } from '../version.js';
import { consoleUrl } from './console-link.js';

export interface MarkdownOptions {
  /** Rows in the top-failing-checks table (default 10). */
  topChecks?: number;
  /** Rows in the new and resolved findings lists (default 25 each). */
  maxFindings?: number;
  /** A link to the full report (the HTML file, an S3 console link), shown under the heading. */
  reportUrl?: string;
}

/** Text inside a table cell or link label: no pipes, no line breaks, no HTML or Markdown that could run or render. */
export function mdText(s: string): string {
  return s
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_[\]<>|#!~]/g, (c) => `\\${c}`)
    .slice(0, 300);
}

function mdLink(label: string, url: string): string {
  return `[${mdText(label)}](${url.replace(/[()\s]/g, encodeURIComponent)})`;
}

const SEV_ORDER = [...SEVERITIES].reverse() as Severity[];

export function renderMarkdown(report: AuditReport, opts: MarkdownOptions = {}): string {
  const s = report.summary;
  const top = opts.topChecks ?? 10;
  const max = opts.maxFindings ?? 25;
  const out: string[] = [];
  const scope = `${report.scope.accounts.length} account${report.scope.accounts.length === 1 ? '' : 's'} × ${report.scope.regions.length} region${report.scope.regions.length === 1 ? '' : 's'}`;
  out.push(`## ${report.tool.name} ${report.tool.version}: Serverless Lens audit`, '');
  out.push(`Run \`${mdText(report.runId)}\` · ${scope} · finished ${report.finishedAt}`);
  if (opts.reportUrl) out.push('', mdLink('Full report', opts.reportUrl));
  out.push('');
  out.push('| Failing | ' + SEV_ORDER.map((k) => k.charAt(0) + k.slice(1).toLowerCase()).join(' | ') + ' | Passed | Not assessed | Suppressed |');
  out.push('|' + ' ---: |'.repeat(SEV_ORDER.length + 4));
  out.push(`| **${s.fail}** | ${SEV_ORDER.map((k) => s.bySeverity[k] ?? 0).join(' | ')} | ${s.pass} | ${s.notAssessed} | ${s.suppressed} |`);
  out.push('');
  const hasHistory = report.resolved !== undefined || resultSet(report).held.some((r) => r.history);
  if (hasHistory) out.push(`Since the last run: **${s.new} new**, ${s.resolved} resolved.`, '');

  // The listed results (the --only-new / --status view) rolled up by check: what to fix first.
  const fails = resultSet(report).held.filter((r) => r.status === 'FAIL' && !r.suppressed);
  const byCheck = new Map<string, { r: Result; count: number; isNew: number; accounts: Set<string> }>();
  for (const r of fails) {
    let e = byCheck.get(r.checkId);
    if (!e) byCheck.set(r.checkId, (e = { r, count: 0, isNew: 0, accounts: new Set() }));
    e.count++;
    if (r.history?.state === 'NEW') e.isNew++;
    e.accounts.add(r.accountId);
  }
  const rank = (x: Severity) => SEVERITIES.indexOf(x);
  const ranked = [...byCheck.values()].sort((a, b) => rank(b.r.severity) - rank(a.r.severity) || b.count - a.count || (a.r.checkId < b.r.checkId ? -1 : 1));
  if (ranked.length > 0) {
    out.push(`### Top failing checks${ranked.length > top ? ` (${top} of ${ranked.length})` : ''}`, '');
    out.push('| Check | Severity | Resources | New | Accounts |', '| --- | --- | ---: | ---: | ---: |');
    for (const e of ranked.slice(0, top)) {
      out.push(`| ${mdLink(e.r.checkId, checkDocsLink(e.r.checkId))}: ${mdText(e.r.title)} | ${e.r.severity} | ${e.count} | ${e.isNew} | ${e.accounts.size} |`);
    }
    out.push('');
  } else {
    out.push(s.fail === 0 ? 'No failing result.' : 'No failing result in this view (--only-new, --status).', '');
  }

  const newOnes = fails.filter((r) => r.history?.state === 'NEW').sort((a, b) => rank(b.severity) - rank(a.severity));
  if (newOnes.length > 0) {
    out.push(`### New findings${newOnes.length > max ? ` (${max} of ${newOnes.length})` : ''}`, '');
    out.push('| Severity | Check | Resource | Account | Region |', '| --- | --- | --- | --- | --- |');
    for (const r of newOnes.slice(0, max)) {
      out.push(`| ${r.severity} | ${mdLink(r.checkId, checkDocsLink(r.checkId))} | ${mdLink(r.resourceName || r.resourceArn, consoleUrl(r))} | ${r.accountId} | ${mdText(r.region)} |`);
    }
    out.push('');
  }
  const resolved = report.resolved ?? [];
  if (resolved.length > 0) {
    out.push(`### Resolved since the last run${resolved.length > max ? ` (${max} of ${resolved.length})` : ''}`, '');
    out.push('| Severity | Check | Resource | Account | Region |', '| --- | --- | --- | --- | --- |');
    for (const f of resolved.slice(0, max)) {
      out.push(`| ${f.severity} | ${mdLink(f.checkId, checkDocsLink(f.checkId))} | ${mdLink(f.resourceName || f.resourceArn, consoleUrl(f))} | ${f.accountId} | ${mdText(f.region)} |`);
    }
    out.push('');
  }
  const tail: string[] = [];
  if (s.notAssessed > 0) tail.push(`${s.notAssessed} results not assessed (denied, throttled or unavailable reads; see the full report)`);
  if ((report.skipped ?? []).length > 0) tail.push(`${report.skipped!.length} checks did not run (opt-in, --metrics, --severity or configuration)`);
  if (report.errors.length > 0) tail.push(`${report.errors.length} collection error${report.errors.length === 1 ? '' : 's'}`);
  if (tail.length > 0) out.push(...tail.map((t) => `- ${t}`), '');
  return out.join('\n');
}
