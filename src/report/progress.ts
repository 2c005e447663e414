// Live progress while collecting, and the summary printed at the end. Both go to stderr so that stdout
// carries only the report (`--output json > file` stays clean).
import { terminalSafe } from './terminal.js';
import { createLogUpdate } from 'log-update';
import pc from 'picocolors';
import { SEVERITIES } from '../model/index.js';
import { resultSet } from '../model/index.js';
import type { AuditReport } from './types.js';

export interface Progress {
  /** total: number of account-regions to collect. */
  start(total: number): void;
  regionDone(accountId: string, region: string): void;
  /** A collector started or finished in an account-region (`global` for account-wide ones). */
  collectorStart?(accountId: string, region: string, collector: string): void;
  collectorDone?(accountId: string, region: string, collector: string): void;
  /** Running totals (not increments) from the client factory's counters. */
  update(counts: { apiCalls?: number; throttled?: number }): void;
  stop(): void;
}

export interface ProgressOptions {
  /** false with --quiet. */
  enabled: boolean;
  /** Defaults to process.stderr; never stdout. A terminal gets a live display, anything else (CI) a plain line now and then. */
  stream?: NodeJS.WriteStream;
  /** Plain mode: seconds between lines (default 5). */
  plainEverySeconds?: number;
}

const REFRESH_MS = 100;
const BAR_WIDTH = 20;

/** What is being collected now: account-region → collectors running and done. */
class InFlight {
  private readonly scopes = new Map<string, { running: Set<string>; done: number }>();
  start(key: string, collector: string): void {
    let s = this.scopes.get(key);
    if (!s) this.scopes.set(key, (s = { running: new Set(), done: 0 }));
    s.running.add(collector);
  }
  done(key: string, collector: string): void {
    const s = this.scopes.get(key);
    if (!s) return;
    s.running.delete(collector);
    s.done++;
  }
  finish(key: string): void {
    this.scopes.delete(key);
  }
  collectorsDone(): number {
    let n = 0;
    for (const s of this.scopes.values()) n += s.done;
    return n;
  }
  /** `111122223333 us-east-1: 9 collectors done, running lambda, sns` for the first few scopes in flight. */
  describe(max: number): string[] {
    const out: string[] = [];
    for (const [key, s] of this.scopes) {
      if (out.length >= max) {
        out.push(`… and ${this.scopes.size - max} more account-regions`);
        break;
      }
      const running = [...s.running];
      out.push(`${key}: ${s.done} collector${s.done === 1 ? '' : 's'} done${running.length ? `, running ${running.slice(0, 4).join(', ')}${running.length > 4 ? ` +${running.length - 4}` : ''}` : ''}`);
    }
    return out;
  }
}

export function createProgress({ enabled, stream = process.stderr, plainEverySeconds = 5 }: ProgressOptions): Progress {
  if (!enabled) return { start() {}, regionDone() {}, update() {}, stop() {} };
  const tty = Boolean(stream.isTTY);
  const render = tty ? createLogUpdate(stream) : undefined;
  let total = 0;
  let done = 0;
  let apiCalls = 0;
  let throttled = 0;
  let last = '';
  const accounts = new Set<string>();
  const inFlight = new InFlight();
  let startedAt = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let started = false;
  let stopped = false;
  let plainLines = 0;

  const counts = (): string => {
    const secs = Math.round((Date.now() - startedAt) / 1000);
    return `${done}/${total} account-regions (${accounts.size} account${accounts.size === 1 ? '' : 's'}) · ${apiCalls} API calls · ${throttled} throttled · ${secs}s`;
  };
  const line = (): string => {
    const filled = total > 0 ? Math.round((done / total) * BAR_WIDTH) : 0;
    const bar = '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
    const now = stopped ? [] : inFlight.describe(3).map((l) => `  ${terminalSafe(l)}`);
    return [`Collecting ${bar} ${counts()}`, ...now, ...(last ? [`  last done: ${last}`] : [])].join('\n');
  };
  // CI logs: one plain line every few seconds (nothing for a run shorter than that), and a last one if any was printed.
  const plain = () => {
    plainLines++;
    const now = inFlight.describe(1)[0];
    stream.write(`audit: collecting ${counts()}${now ? ` · ${terminalSafe(now)}` : ''}\n`);
  };

  return {
    start(n) {
      if (started || stopped) return;
      started = true;
      total = n;
      startedAt = Date.now();
      if (render) {
        render(line());
        // Redraw on a timer rather than on every update(): update() may be called once per API call.
        timer = setInterval(() => render(line()), REFRESH_MS);
      } else {
        timer = setInterval(plain, plainEverySeconds * 1000);
      }
      timer.unref();
    },
    regionDone(accountId, region) {
      done++;
      accounts.add(accountId);
      inFlight.finish(`${accountId} ${region}`);
      last = terminalSafe(`${accountId} ${region}`);
    },
    collectorStart(accountId, region, collector) {
      inFlight.start(`${accountId} ${region}`, collector);
    },
    collectorDone(accountId, region, collector) {
      inFlight.done(`${accountId} ${region}`, collector);
    },
    update(c) {
      if (c.apiCalls !== undefined) apiCalls = c.apiCalls;
      if (c.throttled !== undefined) throttled = c.throttled;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      if (!started) return;
      clearInterval(timer);
      last = '';
      if (render) {
        render(line());
        render.done();
      } else if (plainLines > 0) {
        stream.write(`audit: collected ${counts()}\n`);
      }
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
    `${c.bold(`${report.tool.name} ${report.tool.version}`)}: ${resultSet(report).size} results, ${scope}, ` +
      `${(report.stats.durationMs / 1000).toFixed(1)}s, ${apiCalls} API calls`,
    `  ${c.red(`FAIL ${s.fail}`)}${bySev ? ` (${bySev})` : ''}   ${c.green(`PASS ${s.pass}`)}   ` +
      `NOT ASSESSED ${s.notAssessed}   suppressed ${s.suppressed}`,
  ];
  // Without a state store there is no previous run: new/resolved would be meaningless zeros.
  const hasHistory = report.resolved !== undefined || resultSet(report).held.some((r) => r.history);
  if (hasHistory) lines.push(`  since the last run: ${s.new} new, ${s.resolved} resolved`);
  if (report.errors.length > 0) {
    lines.push(c.yellow(`  ${report.errors.length} collection error${report.errors.length === 1 ? '' : 's'} (listed in the report)`));
  }
  const paths = typeof opts.reportPath === 'string' ? [opts.reportPath] : opts.reportPath ?? [];
  if (paths.length === 1) lines.push(terminalSafe(`  report written to ${paths[0]}`));
  else if (paths.length > 1) lines.push(terminalSafe(`  reports written: ${paths.join(', ')}`));
  return lines.join('\n') + '\n';
}
