// Terminal width (issue 18): the table and the checks list fit the terminal, and wide characters and emoji align.
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../checks/index.js';
import type { AuditReport, Result } from '../../src/model/index.js';
import { renderChecks } from '../../src/report/checks-list.js';
import { renderTable } from '../../src/report/table.js';
import { cutTo, displayWidth, padTo } from '../../src/report/width.js';

const result = (name: string, message: string, region = 'us-east-1'): Result => ({
  findingId: name.padEnd(32, '0'), checkId: 'lambda.no-tracing', title: 't', status: 'FAIL', severity: 'LOW', pillar: 'OPS', lens: ['SERVOPS 1'],
  accountId: '111122223333', region, resourceKind: 'AwsLambdaFunction', resourceArn: `arn:aws:lambda:${region}:111122223333:function:${name}`, resourceName: name, message,
} as Result);

const report = (results: Result[]): AuditReport => ({
  schemaVersion: 1, tool: { name: 'lens-audit', version: '0' }, runId: 'r', startedAt: '', finishedAt: '', scope: { accounts: ['111122223333'], regions: ['us-east-1'] },
  summary: { pass: 0, fail: results.length, notAssessed: 0, suppressed: 0, bySeverity: { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: results.length, INFORMATIONAL: 0 }, new: 0, resolved: 0 },
  results, errors: [], stats: { durationMs: 0, apiCalls: {} },
});

describe('display width', () => {
  it('counts wide characters and emoji as two columns, and cuts whole graphemes', () => {
    expect(displayWidth('注文')).toBe(4);
    expect(displayWidth('🚀a')).toBe(3);
    expect(padTo('注文', 6)).toBe('注文  ');
    expect(cutTo('注文処理関数', 7)).toBe('注文処…');
    expect(displayWidth(cutTo('👩‍👩‍👧‍👦👩‍👩‍👧‍👦👩‍👩‍👧‍👦', 5))).toBeLessThanOrEqual(5);
    expect(cutTo('short', 10)).toBe('short');
  });
});

describe('the findings table', () => {
  const long = 'x'.repeat(300);
  const rows = [result('注文処理関数', `${long} 注文`), result('plain-name', long), result('🚀-launcher', long)];

  it('fits the terminal width, every line, and aligns the message column whatever the names', () => {
    for (const width of [80, 100, 160]) {
      const text = renderTable(report(rows), { width });
      const lines = text.split('\n').filter((l) => l.startsWith('  '));
      expect(lines.length).toBe(3);
      for (const l of lines) expect(displayWidth(l), `${width}: ${l}`).toBeLessThanOrEqual(width);
      const messageAt = lines.map((l) => displayWidth(l.slice(0, l.indexOf('xxx'))));
      expect(new Set(messageAt).size).toBe(1);
    }
  });

  it('is whole when not on a terminal (no width)', () => {
    expect(renderTable(report(rows))).toContain(long);
  });
});

describe('the checks list', () => {
  it('fits the terminal width: peers go first, then the lens, cost, default and pillar columns, then the title is cut', () => {
    for (const width of [80, 120, 200]) {
      const lines = renderChecks(ALL_CHECKS, 'table', { width }).trimEnd().split('\n');
      expect(lines).toHaveLength(ALL_CHECKS.length + 1);
      for (const l of lines) expect(displayWidth(l), `${width}: ${l}`).toBeLessThanOrEqual(width);
      expect(lines[0]).toMatch(/^ID\s+SEVERITY/);
    }
    expect(renderChecks(ALL_CHECKS, 'table', { width: 120 }).split('\n')[0]).not.toContain('PEERS');
    // Piped: every column, nothing cut.
    expect(renderChecks(ALL_CHECKS, 'table').split('\n')[0]).toContain('PEERS');
  });
});
