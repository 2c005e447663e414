import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/model/index.js';
import { csvCell, renderCsv } from '../../src/report/csv.js';
import type { AuditReport } from '../../src/report/types.js';

const report = JSON.parse(readFileSync(new URL('../fixtures/report.json', import.meta.url), 'utf8')) as AuditReport;

/** Strict RFC 4180: CRLF between records, quotes only around whole fields, "" inside quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
          i++;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`quote inside an unquoted field at ${i}`);
        field += text[i++];
      }
    }
    row.push(field);
    if (text[i] === ',') { i++; continue; }
    if (text[i] === '\n') throw new Error(`bare LF at ${i}`);
    if (text[i] === '\r') {
      if (text[i + 1] !== '\n') throw new Error(`bare CR at ${i}`);
      i += 2;
      rows.push(row);
      row = [];
      if (i === text.length) return rows;
      continue;
    }
    if (i >= text.length) throw new Error('last record not terminated by CRLF');
    throw new Error(`unexpected character at ${i}`);
  }
}

// The documented formula-injection guard, undone: what a spreadsheet user sees as text.
const guarded = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

function expectedRow(r: Result): string[] {
  return [
    r.findingId, r.status, r.severity, r.checkId, r.title, r.pillar, r.lens.join(';'), r.accountId, r.region, r.resourceKind,
    r.resourceArn, r.resourceName, r.message, r.suppressed ? 'true' : 'false', r.suppressed?.reason ?? '',
    r.history?.state === 'NEW' ? 'true' : 'false', (r.lens2022 ?? []).join(';'),
  ].map(guarded);
}

describe('renderCsv', () => {
  const csv = renderCsv(report);
  const rows = parseCsv(csv);

  it('has the stable header and one row per result, in order', () => {
    expect(rows[0]).toEqual([
      'findingId', 'status', 'severity', 'checkId', 'title', 'pillar', 'lens', 'accountId', 'region', 'resourceKind',
      'resourceArn', 'resourceName', 'message', 'suppressed', 'suppressionReason', 'new', 'lens2022',
    ]);
    expect(rows).toHaveLength(report.results.length + 1);
    rows.slice(1).forEach((row, i) => expect(row).toEqual(expectedRow(report.results[i]!)));
  });

  it('round-trips commas, quotes, newlines and non-ASCII text', () => {
    const tricky = report.results.find((r) => r.resourceName.includes('"quoted", with comma'))!;
    const row = rows.find((r) => r[0] === tricky.findingId)!;
    expect(row[11]).toBe(tricky.resourceName);
    expect(row[12]).toBe(tricky.message);
    expect(tricky.message).toContain('\n');
    expect(row[11]).toContain('παραγγελίες');
  });

  it('prefixes cells that a spreadsheet would run as a formula', () => {
    const names = rows.slice(1).map((r) => r[11]);
    expect(names).toContain(`'=HYPERLINK("http://evil.example/x","click me")`);
    expect(names).toContain(`'-cmd|' /C calc'!A0`);
    expect(names).toContain(`'@SUM(1+1)`);
    expect(names).toContain(`'+441234567890`);
    // no cell of the output starts a formula
    for (const row of rows.slice(1)) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('marks suppressed and new results', () => {
    const body = rows.slice(1);
    expect(body.filter((r) => r[13] === 'true')).toHaveLength(report.results.filter((r) => r.suppressed).length);
    expect(body.filter((r) => r[15] === 'true')).toHaveLength(report.results.filter((r) => r.history?.state === 'NEW').length);
    const sup = body.find((r) => r[13] === 'true')!;
    expect(sup[14]).not.toBe('');
  });

  it('writes only the header for an empty report', () => {
    expect(renderCsv({ ...report, results: [] })).toBe(`${rows[0]!.join(',')}\r\n`);
  });
});

describe('csvCell', () => {
  it('quotes only when needed and doubles quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvCell('')).toBe('');
  });
  it('guards formulas, including quoted ones', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('=A1,"x"')).toBe(`"'=A1,""x"""`);
    expect(csvCell('a=1')).toBe('a=1');
  });
});
