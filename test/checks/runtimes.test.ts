// The dated Lambda runtime table (checks/lib/runtimes.data.ts) and lambda.deprecated-runtime's phases over it.
import { describe, expect, it } from 'vitest';
import check from '../../checks/lambda/deprecated-runtime.js';
import { RUNTIME_PHASES, RUNTIME_TABLE, dayStart, runtimePhase, runtimeRow, type RuntimeRow } from '../../checks/lib/runtimes.js';
import { runExample } from '../../src/engine/examples.js';
import type { Result } from '../../src/model/index.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const rows = RUNTIME_TABLE.rows;

function at(row: RuntimeRow | string, now: Date | string, options?: Record<string, number>): Result {
  const id = typeof row === 'string' ? row : row.id;
  const results = runExample(check, { resource: { Runtime: id, PackageType: 'Zip' }, now: new Date(now).toISOString(), options });
  expect(results).toHaveLength(1);
  return results[0]!;
}

describe('runtime table rows', () => {
  it('has a valid as-of date and the AWS page it follows', () => {
    expect(RUNTIME_TABLE.asOf).toMatch(ISO_DAY);
    expect(dayStart(RUNTIME_TABLE.asOf).toISOString().slice(0, 10)).toBe(RUNTIME_TABLE.asOf);
    expect(RUNTIME_TABLE.page).toBe('https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html');
  });

  it('has one row per identifier', () => {
    const ids = rows.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(rows.map((r) => [r.id, r] as const))('%s is well-formed', (id, row) => {
    expect(id).toMatch(/^[a-z][a-z0-9.-]*$/);
    // dotnetcore2.1 → dotnet, go1.x → go, provided.al2 → provided, java8.al2023 → java
    expect(id.startsWith(row.family)).toBe(true);
    for (const day of [row.deprecation, row.blockCreate, row.blockUpdate]) {
      if (day === null) continue;
      expect(day).toMatch(ISO_DAY);
      expect(dayStart(day).toISOString().slice(0, 10), `${id}: ${day} is not a calendar day`).toBe(day);
    }
    expect(row.source.trim().length, `${id} says where its dates came from`).toBeGreaterThan(10);
    // A block date without a deprecation date would be a phase nobody announced.
    if (row.deprecation === null) expect([row.blockCreate, row.blockUpdate]).toEqual([null, null]);
  });

  // Before 2021 AWS blocked creation before (or on) deprecation, and the page still lists those dates so. Every other row
  // must read deprecation ≤ block create ≤ block update; a new exception has to be added here on purpose.
  const RETIRED_BEFORE_2021 = ['dotnetcore2.0', 'nodejs4.3', 'nodejs4.3-edge', 'nodejs6.10', 'nodejs8.10'];
  it('orders deprecation ≤ block create ≤ block update where present', () => {
    const misordered: string[] = [];
    for (const r of rows) {
      const days = [r.deprecation, r.blockCreate, r.blockUpdate].filter((d): d is string => d !== null);
      if (days.some((d, i) => i > 0 && d < days[i - 1]!)) misordered.push(r.id);
    }
    expect(misordered.sort()).toEqual(RETIRED_BEFORE_2021);
    for (const id of RETIRED_BEFORE_2021) expect(runtimeRow(id)!.blockUpdate! < '2021-01-01').toBe(true);
  });

  it('knows the newer identifiers', () => {
    for (const id of ['java8.al2023', 'java11.al2023', 'java17.al2023', 'java25', 'ruby4.0', 'dotnet10', 'nodejs24.x', 'python3.14', 'provided.al2023']) {
      expect(runtimeRow(id), id).toBeDefined();
    }
  });

  it('has the dates AWS moved in 2026', () => {
    // Pinned from the page copy of 2026-09-29: change them together with the table.
    const dates = (id: string) => {
      const r = runtimeRow(id)!;
      return [r.deprecation, r.blockCreate, r.blockUpdate];
    };
    expect(dates('dotnet8')).toEqual(['2026-11-10', '2027-02-01', '2027-03-03']);
    expect(dates('nodejs24.x')).toEqual(['2028-04-30', '2028-06-01', '2028-07-01']);
    expect(dates('java17')).toEqual(['2027-06-30', '2027-07-31', '2027-08-31']);
    expect(dates('python3.14')).toEqual(['2029-06-30', '2029-07-31', '2029-08-31']);
    expect(dates('java25')).toEqual(['2029-06-30', '2029-07-31', '2029-08-31']);
    expect(dates('provided.al2')).toEqual(['2026-07-31', '2027-02-01', '2027-03-03']);
  });
});

describe('runtime table age', () => {
  it('was checked against the AWS page within the last 180 days', () => {
    // Meant to fail one day: AWS moves these dates (several moved in 2026). When it does, re-check every row against
    // https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html, note each row's source, and move asOf.
    const ageDays = Math.floor((Date.now() - dayStart(RUNTIME_TABLE.asOf).getTime()) / DAY_MS);
    expect(
      ageDays,
      `checks/lib/runtimes.data.ts is ${ageDays} days old (asOf ${RUNTIME_TABLE.asOf}, more than 180): re-check every row against the AWS Lambda runtimes page and update asOf — this test fails on purpose to force that update`,
    ).toBeLessThanOrEqual(180);
  });
});

describe('lambda.deprecated-runtime phases', () => {
  // Every row with all three dates in order, around each of its boundaries (warningDays 120, the default).
  const ordered = rows.filter((r) => r.deprecation && r.blockCreate && r.blockUpdate && r.deprecation <= r.blockCreate && r.blockCreate <= r.blockUpdate);
  const cases = ordered.flatMap((r) => {
    const dep = dayStart(r.deprecation!).getTime();
    const create = dayStart(r.blockCreate!).getTime();
    const update = dayStart(r.blockUpdate!).getTime();
    const out: { id: string; now: number; status: string; severity: string; phase: string }[] = [
      { id: r.id, now: dep - 120 * DAY_MS - 1, status: 'PASS', severity: 'HIGH', phase: 'supported' },
      { id: r.id, now: dep - 120 * DAY_MS, status: 'FAIL', severity: 'LOW', phase: 'deprecation-soon' },
      { id: r.id, now: dep - 1, status: 'FAIL', severity: 'LOW', phase: 'deprecation-soon' },
    ];
    // Rows where deprecation and block create fall on one day have no "deprecated" phase, likewise for the blocks.
    if (create > dep) out.push({ id: r.id, now: dep, status: 'FAIL', severity: 'MEDIUM', phase: 'deprecated' }, { id: r.id, now: create - 1, status: 'FAIL', severity: 'MEDIUM', phase: 'deprecated' });
    if (update > create) out.push({ id: r.id, now: create, status: 'FAIL', severity: 'MEDIUM', phase: 'create-blocked' }, { id: r.id, now: update - 1, status: 'FAIL', severity: 'MEDIUM', phase: 'create-blocked' });
    out.push({ id: r.id, now: update, status: 'FAIL', severity: 'HIGH', phase: 'update-blocked' }, { id: r.id, now: update + 3650 * DAY_MS, status: 'FAIL', severity: 'HIGH', phase: 'update-blocked' });
    return out;
  });

  it('covers most of the table', () => {
    expect(ordered.length).toBeGreaterThan(35);
  });

  it.each(cases.map((c) => ({ ...c, when: new Date(c.now).toISOString() })))('$id at $when: $phase', ({ id, now, status, severity, phase }) => {
    const r = at(id, new Date(now));
    expect(r.status).toBe(status);
    expect(r.severity).toBe(severity);
    expect(r.evidence?.phase).toBe(phase);
  });

  it('ranks the phases: update blocked is worst, then create blocked and deprecated, then soon', () => {
    const rank = { INFORMATIONAL: 0, LOW: 1, MEDIUM: 2, HIGH: 3, CRITICAL: 4 } as const;
    const py38 = runtimeRow('python3.8')!;
    const severities = [
      at(py38, '2024-08-01T00:00:00Z').severity, // soon
      at(py38, '2025-01-01T00:00:00Z').severity, // deprecated
      at(py38, '2027-02-01T00:00:00Z').severity, // create blocked
      at(py38, '2027-03-03T00:00:00Z').severity, // update blocked
    ].map((s) => rank[s]);
    expect(severities).toEqual([...severities].sort((a, b) => a - b));
    expect(severities[3]).toBeGreaterThan(severities[1]!);
    expect(rank[check.severity]).toBe(Math.max(...severities)); // --severity HIGH still runs the check
  });

  it('takes the furthest phase whose date has passed when AWS listed block create first', () => {
    // nodejs8.10: deprecation 2020-03-06, block create 2020-02-04, block update 2020-03-06.
    const row = runtimeRow('nodejs8.10')!;
    expect(runtimePhase(row, new Date('2020-02-10T00:00:00Z'), 120).phase).toBe('create-blocked');
    expect(runtimePhase(row, new Date('2020-03-06T00:00:00Z'), 120).phase).toBe('update-blocked');
  });

  it('passes a runtime with no deprecation scheduled, whatever the day', () => {
    const r = at('nodejs26.x', '2040-01-01T00:00:00Z');
    expect(r.status).toBe('PASS');
    expect(r.evidence).toMatchObject({ phase: 'supported', deprecationDate: null, blockCreateDate: null, blockUpdateDate: null });
  });

  it('honours warningDays for the soon phase', () => {
    expect(at('nodejs22.x', '2026-06-01T00:00:00Z').status).toBe('PASS'); // 333 days ahead
    const r = at('nodejs22.x', '2026-06-01T00:00:00Z', { warningDays: 365 });
    expect([r.status, r.severity, r.evidence?.daysLeft]).toEqual(['FAIL', 'LOW', 333]);
  });

  it('puts the phase, the three dates and the table as-of date in the evidence of every phase', () => {
    const seen = new Set<string>();
    for (const now of ['2024-08-01', '2025-01-01', '2027-02-01', '2027-03-03']) {
      const r = at('python3.8', `${now}T00:00:00Z`);
      seen.add(String(r.evidence?.phase));
      expect(r.evidence).toMatchObject({
        Runtime: 'python3.8',
        deprecationDate: '2024-10-14',
        blockCreateDate: '2027-02-01',
        blockUpdateDate: '2027-03-03',
        tableAsOf: RUNTIME_TABLE.asOf,
      });
    }
    const pass = at('python3.14', '2026-12-03T00:00:00Z');
    expect(pass.evidence).toMatchObject({ phase: 'supported', tableAsOf: RUNTIME_TABLE.asOf });
    seen.add(String(pass.evidence?.phase));
    expect([...seen].sort()).toEqual([...RUNTIME_PHASES].sort());
  });

  it('names the next block dates in the message', () => {
    expect(at('dotnet8', '2026-12-03T00:00:00Z').message).toBe(
      'Function example runs on dotnet8, deprecated since 2026-11-10 (no security patches); creating functions on it is blocked from 2027-02-01 and updating them from 2027-03-03.',
    );
    expect(at('dotnet8', '2027-02-15T00:00:00Z').message).toBe(
      'Function example runs on dotnet8, deprecated since 2026-11-10; creating functions on it is blocked since 2027-02-01; updating functions on it is blocked from 2027-03-03.',
    );
  });

  it('says which table it used when a runtime is unknown', () => {
    const r = at('python3.99', '2026-12-03T00:00:00Z');
    expect(r.status).toBe('NOT_ASSESSED');
    expect(r.message).toContain(`as of ${RUNTIME_TABLE.asOf}`);
  });
});
