// `--output csv`: one row per result, RFC 4180 (comma separator, CRLF line ends, fields quoted when needed).
//
// Formula injection: spreadsheet programs run a cell that starts with = + - @ (and, in some, TAB or CR) as a
// formula, and resource names, tags and messages come from the audited accounts. Such a cell is written with a
// leading single quote ('=cmd|...), which spreadsheets show as text. A consumer that parses the CSV as data
// must strip that quote from cells whose next character is one of those.
import type { Result } from '../model/index.js';
import { resultSet } from '../model/index.js';
import type { AuditReport } from './types.js';

/** Public and stable: append new columns at the end only. */
export const CSV_COLUMNS = [
  'findingId', 'status', 'severity', 'checkId', 'title', 'pillar', 'lens', 'accountId', 'region', 'resourceKind',
  'resourceArn', 'resourceName', 'message', 'suppressed', 'suppressionReason', 'new', 'lens2022',
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string): string {
  const v = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

function row(r: Result): string[] {
  return [
    r.findingId, r.status, r.severity, r.checkId, r.title, r.pillar,
    r.lens.join(';'), // lens ids contain spaces ("SERVOPS 1"), so ';' separates them
    r.accountId, r.region, r.resourceKind, r.resourceArn, r.resourceName, r.message,
    r.suppressed ? 'true' : 'false', r.suppressed?.reason ?? '', r.history?.state === 'NEW' ? 'true' : 'false',
    (r.lens2022 ?? []).join(';'),
  ];
}

export function renderCsv(report: AuditReport): string {
  return [...csvChunks(report)].join('');
}

/** The CSV a line at a time: an organization-wide scan's CSV can be longer than one JavaScript string. */
export function* csvChunks(report: AuditReport): Generator<string> {
  yield `${CSV_COLUMNS.join(',')}\r\n`;
  for (const r of resultSet(report)) yield `${row(r).map(csvCell).join(',')}\r\n`;
}
