// Live progress while collecting, and the summary printed at the end. Both go to stderr so that stdout
// carries only the report (`--output json > file` stays clean).
import { terminalSafe } from './terminal.js';
import { createLogUpdate } from 'log-update';
import pc from 'picocolors';
import { SEVERITIES } from '../model/index.js';
import { resultCount } from '../model/index.js';
import type { AuditReport } from './types.js';

export interface Progress {
  /** total: number of account-regions to collect. */
  start(total: number): void;
  regionDone(accountId: string, region: string): void;
  /** Running totals (not increments) from the client factory's counters. */
  update(counts: { apiCalls?: number; throttled?: number }): void;
  stop(): void;
}

export interface ProgressOptions {
  /** false with --quiet. The display is also off when the stream is not a TTY. */
  enabled: boolean;
  /** Defaults to process.stderr; never stdout. */
  stream?: NodeJS.WriteStream;
}

const REFRESH_MS = 100;
const BAR_WIDTH = 20;

export function createProgress({ enabled, stream = process.stderr }: ProgressOptions): Progress {
  if (!enabled || !stream.isTTY) return { start() {}, regionDone() {}, update() {}, stop() {} };

  const render = createLogUpdate(stream);
  let total = 0;
  let done = 0;
  let apiCalls = 0;
  let throttled = 0;
  let last = '';
  const accounts = new Set<string>();
  let startedAt = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let started = false;
  let stopped = false;

  const line = (): string => {
    const filled = total > 0 ? Math.round((done / total) * BAR_WIDTH) : 0;
    const bar = '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
    const secs = Math.round((Date.now() - startedAt) / 1000);
    return (
      `Collecting ${bar} ${done}/${total} account-regions (${accounts.size} account${accounts.size === 1 ? '' : 's'})` +
      ` · ${apiCalls} API calls · ${throttled} throttled · ${secs}s` +
      (last ? `\n  last done: ${last}` : '')
    );
  };

  return {
    start(n) {
      if (started || stopped) return;
      started = true;
      total = n;
      startedAt = Date.now();
      render(line());
      // Redraw on a timer rather than on every update(): update() may be called once per API call.
      timer = setInterval(() => render(line()), REFRESH_MS);
      timer.unref();
    },
    regionDone(accountId, region) {
      done++;
      accounts.add(accountId);
      last = terminalSafe(`${accountId} ${region}`);
    },
    update(counts) {
      if (counts.apiCalls !== undefined) apiCalls = counts.apiCalls;
      if (counts.throttled !== undefined) throttled = counts.throttled;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      if (!started) return;
      clearInterval(timer);
      last = '';
      render(line());
      render.done();
    },
  };
}

export function renderEndSummary(report: AuditReport, opts: { reportPath?: string | readonly string[]; color?: boolean } = {}): string {
  const c = pc.createColors(opts.color ?? false);
  const s = report.summary;
  const sevColor: Record<string, (t: string) => string> = {
    CRITICAL: (t) => c.bold(c.red(t)), HIGH: c.red, MEDIUM: c.yellow, LOW: c.cyan, INFORMATIONAL: c.dim,
  };
  const order = [...SEVERITIES].reverse() as string[];
  const sevKeys = [...order.filter((k) => k in s.bySeverity), ...Object.keys(s.bySeverity).filter((k) => !order.includes(k))];
  const bySev = sevKeys.map((k) => (sevColor[k] ?? ((t: string) => t))(`${k} ${(s.bySeverity as Record<string, number>)[k]}`)).join(' · ');
  const apiCalls = Object.values(report.stats.apiCalls).reduce((a, b) => a + b, 0);
  const scope = `${report.scope.accounts.length} account${report.scope.accounts.length === 1 ? '' : 's'} × ` +
    `${report.scope.regions.length} region${report.scope.regions.length === 1 ? '' : 's'}`;

  const lines = [
    `${c.bold(`${report.tool.name} ${report.tool.version}`)}: ${resultCount(report)} results, ${scope}, ` +
      `${(report.stats.durationMs / 1000).toFixed(1)}s, ${apiCalls} API calls`,
    `  ${c.red(`FAIL ${s.fail}`)}${bySev ? ` (${bySev})` : ''}   ${c.green(`PASS ${s.pass}`)}   ` +
      `NOT ASSESSED ${s.notAssessed}   suppressed ${s.suppressed}`,
  ];
  // Without a state store there is no previous run: new/resolved would be meaningless zeros.
  const hasHistory = report.resolved !== undefined || report.results.some((r) => r.history);
  if (hasHistory) lines.push(`  since the last run: ${s.new} new, ${s.resolved} resolved`);
  if (report.errors.length > 0) {
    lines.push(c.yellow(`  ${report.errors.length} collection error${report.errors.length === 1 ? '' : 's'} (listed in the report)`));
  }
  const paths = typeof opts.reportPath === 'string' ? [opts.reportPath] : opts.reportPath ?? [];
  if (paths.length === 1) lines.push(terminalSafe(`  report written to ${paths[0]}`));
  else if (paths.length > 1) lines.push(terminalSafe(`  reports written: ${paths.join(', ')}`));
  return lines.join('\n') + '\n';
}
