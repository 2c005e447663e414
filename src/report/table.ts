// The terminal report: failures grouped by severity, then what could not be assessed, then a summary line.
import pc from 'picocolors';
import type { Result, Severity } from '../model/index.js';
import { resultSet, type AuditReport } from '../model/index.js';
import { terminalSafe as safe } from './terminal.js';
import { cutTo, displayWidth, padTo } from './width.js';

const ORDER: Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'];

export interface TableOptions {
  color?: boolean;
  /** Terminal width; messages are cut to fit when set. */
  width?: number;
  onlyNew?: boolean;
  /** Also list PASS results. */
  showPass?: boolean;
}

function sevColor(s: Severity, color: boolean): (t: string) => string {
  if (!color) return (t) => t;
  return s === 'CRITICAL' ? (t) => pc.bold(pc.red(t)) : s === 'HIGH' ? pc.red : s === 'MEDIUM' ? pc.yellow : s === 'LOW' ? pc.cyan : pc.dim;
}

const pad = padTo;

/** Cut to `n` columns; never below 10 (a message that narrow says nothing: the line wraps instead). */
function cut(s: string, n: number | undefined): string {
  return n === undefined ? s : cutTo(s, Math.max(10, n));
}

function detail(r: Result): string {
  const display = r.evidence?.display;
  return typeof display === 'string' && !r.message.includes(display) ? `${r.message} [${display}]` : r.message;
}

export function renderTable(report: AuditReport, opts: TableOptions = {}): string {
  const color = opts.color ?? false;
  const multiAccount = report.scope.accounts.length > 1;
  const lines: string[] = [];
  const dim = color ? pc.dim : (t: string) => t;
  const bold = color ? pc.bold : (t: string) => t;
  lines.push(
    bold(`${report.tool.name} ${report.tool.version}`) +
      dim(safe(` · account${report.scope.accounts.length > 1 ? 's' : ''} ${report.scope.accounts.join(', ') || '-'} · region${report.scope.regions.length > 1 ? 's' : ''} ${report.scope.regions.join(', ') || '-'}`)),
  );
  const results = resultSet(report);
  const fails = results.held.filter((r) => r.status === 'FAIL' && !r.suppressed && (!opts.onlyNew || r.history?.state === 'NEW'));
  const rows = (list: Result[]) => {
    const idW = Math.min(44, Math.max(...list.map((r) => displayWidth(safe(r.checkId)))));
    const whereW = Math.max(...list.map((r) => displayWidth(safe(multiAccount ? `${r.accountId}/${r.region}` : r.region))));
    let nameW = Math.min(40, Math.max(...list.map((r) => displayWidth(safe(r.resourceName)))));
    // On a narrow terminal the name column gives way first (down to 12), so that some of the message still shows.
    if (opts.width) nameW = Math.max(12, Math.min(nameW, opts.width - (6 + idW + 2 + 2 + whereW + 2) - 30));
    for (const r of list) {
      const mark = r.history?.state === 'NEW' ? (color ? pc.green('NEW ') : 'NEW ') : '    ';
      const where = safe(multiAccount ? `${r.accountId}/${r.region}` : r.region);
      // Names, messages and regions come from AWS or an inventory file: made inert before anything is coloured.
      const prefix = `  ${mark}${pad(cutTo(safe(r.checkId), idW), idW)}  ${pad(cutTo(safe(r.resourceName), nameW), nameW)}  ${pad(where, whereW)}  `;
      lines.push(prefix + cut(safe(detail(r)), opts.width ? opts.width - displayWidth(prefix) : undefined));
    }
  };
  for (const sev of ORDER) {
    const list = fails.filter((r) => r.severity === sev);
    if (list.length === 0) continue;
    lines.push('', sevColor(sev, color)(`${sev} (${list.length})`));
    rows(list);
  }
  const na = results.held.filter((r) => r.status === 'NOT_ASSESSED');
  if (na.length > 0 && !opts.onlyNew) {
    lines.push('', (color ? pc.magenta : (t: string) => t)(`NOT ASSESSED (${na.length})`));
    rows(na);
  }
  if (opts.showPass) {
    const pass = [...results].filter((r) => r.status === 'PASS');
    if (pass.length > 0) {
      lines.push('', (color ? pc.green : (t: string) => t)(`PASS (${pass.length})`));
      rows(pass);
    }
  }
  if (report.resolved && report.resolved.length > 0) {
    lines.push('', (color ? pc.green : (t: string) => t)(`RESOLVED since the last run (${report.resolved.length})`));
    for (const r of report.resolved) lines.push(safe(`  ${r.checkId}  ${r.resourceName}  ${r.region}`));
  }
  if (report.errors.length > 0) {
    lines.push('', dim(`Collection errors (${report.errors.length}):`));
    for (const e of report.errors.slice(0, 20)) lines.push(dim(safe(`  ${e.accountId}/${e.region} ${e.operation}: ${e.code} ${cut(e.message, 120)}`)));
    if (report.errors.length > 20) lines.push(dim(`  … and ${report.errors.length - 20} more (see --output json)`));
  }
  lines.push('', summaryLine(report, color));
  const notRun = skippedLine(report);
  if (notRun) lines.push(dim(notRun));
  return `${lines.join('\n')}\n`;
}

/** Reasons in the order the line lists them. */
const SKIP_ORDER = ['not selected', 'disabled by config', 'below --severity', 'needs --metrics', 'opt-in', 'covered by Security Hub CSPM'];

/** `Not run: 12 checks (7 need --metrics, 5 opt-in; --output json lists them under skipped)`, or undefined when every check ran. */
export function skippedLine(report: Pick<AuditReport, 'skipped'>): string | undefined {
  const skipped = report.skipped ?? [];
  if (skipped.length === 0) return undefined;
  const reasons = [...new Set([...SKIP_ORDER, ...skipped.map((s) => s.reason)])];
  const parts = reasons
    .map((r) => [r, skipped.filter((s) => s.reason === r).length] as const)
    .filter(([, n]) => n > 0)
    .map(([r, n]) => (r === 'needs --metrics' ? `${n} need${n === 1 ? 's' : ''} --metrics` : `${n} ${r}`));
  return `Not run: ${skipped.length} check${skipped.length === 1 ? '' : 's'} (${parts.join(', ')}; --output json lists them under skipped)`;
}

export function summaryLine(report: AuditReport, color = false): string {
  const s = report.summary;
  const bySev = ORDER.filter((sev) => s.bySeverity[sev] > 0).map((sev) => `${s.bySeverity[sev]} ${sev.toLowerCase()}`);
  const parts = [
    `${s.fail} failed${bySev.length ? ` (${bySev.join(', ')})` : ''}`,
    `${s.pass} passed`,
    `${s.notAssessed} not assessed`,
    `${s.suppressed} suppressed`,
  ];
  if (report.resolved !== undefined || s.new > 0) parts.push(`${s.new} new`, `${s.resolved} resolved`);
  const calls = report.stats.apiCallsTotal ?? Object.values(report.stats.apiCalls).reduce((a, b) => a + b, 0);
  parts.push(`${calls} API calls`, `${(report.stats.durationMs / 1000).toFixed(1)} s`);
  const text = `Summary: ${parts.join(' · ')}`;
  return color ? pc.bold(text) : text;
}
