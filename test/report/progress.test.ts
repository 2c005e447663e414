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

  it('writes nothing when disabled (--quiet) or when the stream is not a TTY', () => {
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
