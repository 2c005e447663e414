// Which checks run: defaults, config enable/disable, --checks/--skip-checks (ids or globs), severity floor.
import picomatch from 'picomatch';
import type { Check, CheckOptions, Severity } from '../model/index.js';
import { severityRank } from '../model/index.js';
import { UsageError } from './errors.js';
import { didYouMean } from './suggest.js';

export interface SelectInput {
  all: readonly Check[];
  /** --checks: only these (ids/globs). Explicitly named opt-in checks run. */
  only?: string[];
  /** --skip-checks */
  skip?: string[];
  /** config checks.enabled: add opt-in checks. */
  enable?: string[];
  /** config checks.disabled */
  disable?: string[];
  minSeverity?: Severity;
  /**
   * --metrics: per-resource metric checks (cost M) run only with it, unless named explicitly in --checks. Account- and
   * region-level metric checks run without it (needsMetricsFlag).
   */
  metrics?: boolean;
}

/** Matches ids/globs against check ids; a pattern that matches nothing is an error naming it. */
export function matchChecks(all: readonly Check[], patterns: string[], what: string): Set<string> {
  const ids = new Set<string>();
  for (const p of patterns) {
    let isMatch: (id: string) => boolean;
    try {
      isMatch = picomatch(p, { dot: true });
    } catch (err) {
      // picomatch refuses empty and overlong patterns.
      throw new UsageError(`invalid check pattern ${JSON.stringify(p.slice(0, 80))} in ${what}: ${(err as Error).message}`);
    }
    const hit = all.filter((c) => c.id === p || isMatch(c.id));
    if (hit.length === 0) {
      const hint = didYouMean(p, all.map((c) => c.id));
      throw new UsageError(`unknown check id ${JSON.stringify(p)} in ${what}${hint || ' (see "audit checks" for the list)'}`);
    }
    for (const c of hit) ids.add(c.id);
  }
  return ids;
}

/** Why a check did not run (JSON `skipped[].reason`, the table's summary line, the HTML report's section). */
export type SkipReason = 'opt-in' | 'needs --metrics' | 'below --severity' | 'disabled by config' | 'not selected' | 'covered by Security Hub CSPM';
export const SKIP_REASONS: readonly SkipReason[] = ['not selected', 'disabled by config', 'below --severity', 'needs --metrics', 'opt-in', 'covered by Security Hub CSPM'];

export interface SkippedCheck {
  checkId: string;
  reason: SkipReason;
}

/**
 * A metric check that needs --metrics: one that reads per-resource series (GetMetricData queries for every function,
 * table or stream). Account- and region-level metric checks (the resource is the account-region, e.g.
 * quota.lambda-concurrency-80) cost one GetMetricData call per region and run by default.
 */
export function needsMetricsFlag(c: Pick<Check, 'cost' | 'resourceKind'>): boolean {
  return c.cost === 'M' && c.resourceKind !== 'AwsAccountRegion' && c.resourceKind !== 'AwsAccount';
}

/** Whether a selection needs the account-region metric series (collected without --metrics for such checks). */
export function needsRegionMetrics(checks: readonly Pick<Check, 'cost' | 'resourceKind'>[]): boolean {
  return checks.some((c) => c.cost === 'M' && !needsMetricsFlag(c));
}

export function selectChecks(input: SelectInput): Check[] {
  return selectChecksExplained(input).checks;
}

/** The checks that run, and for every other check the reason it does not (in registry order). */
export function selectChecksExplained(input: SelectInput): { checks: Check[]; skipped: SkippedCheck[] } {
  const { all } = input;
  const enabled = matchChecks(all, input.enable ?? [], 'checks.enabled');
  const disabled = matchChecks(all, input.disable ?? [], 'checks.disabled');
  const skip = matchChecks(all, input.skip ?? [], '--skip-checks');
  const only = input.only && input.only.length > 0 ? matchChecks(all, input.only, '--checks') : undefined;
  const why = (c: Check): SkipReason | undefined => {
    if (skip.has(c.id)) return 'not selected';
    if (disabled.has(c.id)) return 'disabled by config';
    if (input.minSeverity && severityRank(c.severity) < severityRank(input.minSeverity)) return 'below --severity';
    if (only) {
      if (!only.has(c.id)) return 'not selected';
      // Named explicitly, a per-resource metric check runs; matched by a glob, it still needs --metrics.
      return input.metrics || !needsMetricsFlag(c) || input.only!.includes(c.id) ? undefined : 'needs --metrics';
    }
    if (needsMetricsFlag(c) && !input.metrics) return 'needs --metrics';
    return c.enabledByDefault !== false || enabled.has(c.id) ? undefined : 'opt-in';
  };
  const checks: Check[] = [];
  const skipped: SkippedCheck[] = [];
  for (const c of all) {
    const reason = why(c);
    if (reason) skipped.push({ checkId: c.id, reason });
    else checks.push(c);
  }
  return { checks, skipped };
}

/** Validates per-check options from the configuration against each check's declared defaults. */
export function validateCheckOptions(all: readonly Check[], options: Record<string, Record<string, unknown>> | undefined): Record<string, CheckOptions> {
  const out: Record<string, CheckOptions> = {};
  for (const [id, opts] of Object.entries(options ?? {})) {
    const check = all.find((c) => c.id === id);
    if (!check) throw new UsageError(`unknown check id "${id}" in checks.options${didYouMean(id, all.map((c) => c.id))}`);
    const defaults = (check.options ?? {}) as Record<string, unknown>;
    for (const [key, value] of Object.entries(opts)) {
      // Own keys only: `toString` or `hasOwnProperty` are not options (`in` would find them on Object.prototype).
      if (!Object.hasOwn(defaults, key)) {
        const known = Object.keys(defaults);
        throw new UsageError(`unknown option "${key}" for check ${id}${known.length ? ` (options: ${known.join(', ')})` : ' (it has no options)'}`);
      }
      const want = Array.isArray(defaults[key]) ? 'array' : typeof defaults[key];
      const got = Array.isArray(value) ? 'array' : typeof value;
      if (want !== got) throw new UsageError(`option "${key}" of check ${id} must be a ${want}, not a ${got}`);
    }
    out[id] = opts as CheckOptions;
  }
  return out;
}
