// Lambda managed runtimes: the dated table (checks/lib/runtimes.data.ts, which also declares its row type) and the phase of a runtime on a
// given day. Pure: the caller passes the evaluation time (ctx.now), nothing here reads the clock.
import { RUNTIME_TABLE } from './runtimes.data.js';

export type { IsoDay, RuntimeRow, RuntimeTable } from './runtimes.data.js';
import type { IsoDay, RuntimeRow } from './runtimes.data.js';

export { RUNTIME_TABLE };

/** Ordered from harmless to worst. */
export const RUNTIME_PHASES = ['supported', 'deprecation-soon', 'deprecated', 'create-blocked', 'update-blocked'] as const;
export type RuntimePhase = (typeof RUNTIME_PHASES)[number];

const DAY_MS = 24 * 60 * 60 * 1000;
const byId = new Map(RUNTIME_TABLE.rows.map((r) => [r.id, r]));

/** The row of a runtime identifier, or undefined when the table does not know it. */
export function runtimeRow(id: string): RuntimeRow | undefined {
  return byId.get(id);
}

/** Midnight UTC of a table day. */
export function dayStart(day: IsoDay): Date {
  return new Date(`${day}T00:00:00Z`);
}

/**
 * The phase of a runtime at `now`: the furthest phase whose date has passed (a date applies from 00:00 UTC that day), so a
 * row where AWS lists block-create before deprecation (runtimes retired before 2021) still ends up update-blocked.
 * Before deprecation, `deprecation-soon` when it is at most `warningDays` away; `daysLeft` counts the days to it.
 */
export function runtimePhase(row: RuntimeRow, now: Date, warningDays: number): { phase: RuntimePhase; daysLeft?: number } {
  const passed = (day: IsoDay | null) => day !== null && dayStart(day).getTime() <= now.getTime();
  if (passed(row.blockUpdate)) return { phase: 'update-blocked' };
  if (passed(row.blockCreate)) return { phase: 'create-blocked' };
  if (passed(row.deprecation)) return { phase: 'deprecated' };
  if (row.deprecation === null) return { phase: 'supported' };
  const daysLeft = Math.ceil((dayStart(row.deprecation).getTime() - now.getTime()) / DAY_MS);
  return { phase: daysLeft <= warningDays ? 'deprecation-soon' : 'supported', daysLeft };
}
