import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgress, renderEndSummary } from '../../src/report/progress.js';
import type { AuditReport } from '../../src/report/types.js';

const report = JSON.parse(readFileSync(new URL('../fixtures/report.json', import.meta.url), 'utf8')) as AuditReport;
// eslint-disable-next-line no-control-regex
const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

function fakeTerminal(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY, columns: 120, rows: 24 });
  return { stream, text: () => stripAnsi(chunks.join('')), chunks };
}

afterEach(() => vi.restoreAllMocks());

describe('createProgress', () => {
  it('shows regions done, accounts, API calls and throttles on a terminal, and never writes to stdout', () => {
    const stdout = vi.spyOn(process.stdout, 'write');
    const term = fakeTerminal(true);
    const p = createProgress({ enabled: true, stream: term.stream });
    p.start(4);
    expect(term.text()).toContain('0/4 account-regions');
    p.regionDone('111122223333', 'us-east-1');
    p.regionDone('444455556666', 'eu-west-1');
    p.update({ apiCalls: 120, throttled: 3 });
    p.update({ apiCalls: 130 }); // running totals: a missing field keeps its value
    p.stop();
    const out = term.text();
    const last = out.slice(out.lastIndexOf('Collecting'));
    expect(last).toContain('2/4 account-regions (2 accounts)');
    expect(last).toContain('130 API calls');
    expect(last).toContain('3 throttled');
    expect(stdout).not.toHaveBeenCalled();
  });

  it('does nothing after stop(), nor on stop() without start()', () => {
    const idle = fakeTerminal(true);
    createProgress({ enabled: true, stream: idle.stream }).stop();
    expect(idle.chunks).toEqual([]);
    const term = fakeTerminal(true);
    const p = createProgress({ enabled: true, stream: term.stream });
    p.start(1);
    p.stop();
    const n = term.chunks.length;
    p.regionDone('111122223333', 'us-east-1');
    p.update({ apiCalls: 5 });
    p.stop();
    expect(term.chunks.length).toBe(n);
  });

  it('writes nothing when disabled (--quiet), nor for a short run off a terminal', () => {
    for (const [enabled, isTTY] of [[false, true], [true, false]] as const) {
      const term = fakeTerminal(isTTY);
      const p = createProgress({ enabled, stream: term.stream });
      p.start(2);
      p.regionDone('111122223333', 'us-east-1');
      p.update({ apiCalls: 1, throttled: 0 });
      p.stop();
      expect(term.chunks).toEqual([]);
    }
  });

  it('off a terminal (CI), prints one plain line every few seconds while collecting, and a last one', () => {
    vi.useFakeTimers();
    try {
      const log = fakeTerminal(false);
      const p = createProgress({ enabled: true, stream: log.stream, plainEverySeconds: 5 });
      p.start(2);
      p.collectorStart!('111122223333', 'us-east-1', 'lambda');
      p.update({ apiCalls: 40, throttled: 1 });
      vi.advanceTimersByTime(4_999);
      expect(log.chunks).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(log.chunks).toHaveLength(1);
      expect(log.chunks[0]).toMatch(/^audit: collecting 0\/2 account-regions \(0 accounts\) · 40 API calls · 1 throttled · \d+s · 111122223333 us-east-1: 0 collectors done, running lambda\n$/);
      p.collectorDone!('111122223333', 'us-east-1', 'lambda');
      p.regionDone('111122223333', 'us-east-1');
      vi.advanceTimersByTime(5_000);
      expect(log.chunks).toHaveLength(2);
      p.stop();
      expect(log.chunks.at(-1)).toMatch(/^audit: collected 1\/2 account-regions/);
      // No colour, no cursor movement: a log file reads as plain lines.
      expect(log.chunks.join('')).not.toContain('\u001b');
    } finally {
      vi.useRealTimers();
    }
  });

  it('on a terminal, shows the collectors running in each account-region in flight', () => {
    vi.useFakeTimers();
    try {
      const term = fakeTerminal(true);
      const p = createProgress({ enabled: true, stream: term.stream });
      p.start(2);
      p.collectorStart!('111122223333', 'us-east-1', 'lambda');
      p.collectorStart!('111122223333', 'us-east-1', 'sns');
      p.collectorDone!('111122223333', 'us-east-1', 'sns');
      vi.advanceTimersByTime(150);
      expect(term.text()).toContain('111122223333 us-east-1: 1 collector done, running lambda');
      p.collectorDone!('111122223333', 'us-east-1', 'lambda');
      p.regionDone('111122223333', 'us-east-1');
      p.stop();
      const last = term.text().slice(term.text().lastIndexOf('Collecting'));
      expect(last).not.toContain('running');
    } finally {
      vi.useRealTimers();
    }
  });

  it('writes to stderr by default', () => {
    const stdout = vi.spyOn(process.stdout, 'write');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const had = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
    try {
      const p = createProgress({ enabled: true });
      p.start(1);
      p.regionDone('111122223333', 'us-east-1');
      p.stop();
    } finally {
      if (had) Object.defineProperty(process.stderr, 'isTTY', had);
      else delete (process.stderr as { isTTY?: boolean }).isTTY;
    }
    expect(stderr.mock.calls.map((c) => stripAnsi(String(c[0]))).join('')).toContain('1/1 account-regions');
    expect(stdout).not.toHaveBeenCalled();
  });
});

describe('renderEndSummary', () => {
  it('shows counts by severity, new and resolved, duration and the report path', () => {
    const text = renderEndSummary(report, { reportPath: 'out/audit.html' });
    const s = report.summary;
    expect(text).toContain(`FAIL ${s.fail}`);
    expect(text).toContain(`PASS ${s.pass}`);
    expect(text).toContain(`NOT ASSESSED ${s.notAssessed}`);
    expect(text).toContain(`suppressed ${s.suppressed}`);
    for (const [sev, n] of Object.entries(s.bySeverity)) expect(text).toContain(`${sev} ${n}`);
    expect(text).toMatch(/CRITICAL \d+ · HIGH \d+ · MEDIUM \d+ · LOW \d+ · INFORMATIONAL \d+/);
    expect(text).toContain(`${s.new} new, ${s.resolved} resolved`);
    expect(text).toContain(`${(report.stats.durationMs / 1000).toFixed(1)}s`);
    expect(text).toContain(`${report.errors.length} collection errors`);
    expect(text).toContain('report written to out/audit.html');
    expect(text).not.toContain('\u001b[');
  });

  it('leaves out new/resolved without a state store and the path when there is none', () => {
    const noStore: AuditReport = { ...report, resolved: undefined, results: report.results.map(({ history: _h, ...r }) => r) };
    const text = renderEndSummary(noStore);
    expect(text).not.toMatch(/new|resolved/);
    expect(text).not.toContain('report written');
  });

  it('colours only when asked', () => {
    expect(renderEndSummary(report, { color: true })).toContain('\u001b[');
  });
});
