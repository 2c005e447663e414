// Suppressions: matched results stay in the output, marked; expired ones stop applying and are reported.
import picomatch from 'picomatch';
import type { Check, Result } from '../model/index.js';
import type { Suppression } from './config.js';
import { UsageError } from './errors.js';
import { matchChecks } from './select.js';

export interface SuppressionOutcome {
  results: Result[];
  /** Suppressions whose expiry date has passed (they no longer apply). */
  expired: Suppression[];
  /** Suppressions that matched no result this run (possibly stale). */
  unused: Suppression[];
}

/** Validates suppression check ids/globs against the registry (throws UsageError naming an unknown id). */
export function validateSuppressions(all: readonly Check[], suppressions: Suppression[]): void {
  suppressions.forEach((s, i) => {
    matchChecks(all, [s.check], `suppressions[${i}].check`);
    // Compiled here so that a glob picomatch refuses fails before the scan, not after it.
    try {
      picomatch(s.resource, { dot: true, bash: true });
    } catch (err) {
      throw new UsageError(`suppressions[${i}].resource is not a usable ARN glob: ${(err as Error).message}`);
    }
  });
}

export function applySuppressions(results: Result[], suppressions: Suppression[], now: Date): SuppressionOutcome {
  const today = now.toISOString().slice(0, 10);
  const active = suppressions.filter((s) => !s.expires || s.expires >= today);
  const expired = suppressions.filter((s) => s.expires && s.expires < today);
  const matchers = active.map((s) => ({
    s,
    check: picomatch(s.check, { dot: true }),
    resource: picomatch(s.resource, { dot: true, bash: true }),
    used: false,
  }));
  const out = results.map((r) => {
    if (r.status !== 'FAIL') return r;
    const m = matchers.find(
      (m) => (m.s.check === r.checkId || m.check(r.checkId)) && (m.s.resource === r.resourceArn || m.s.resource === '*' || m.resource(r.resourceArn)) && (!m.s.accounts || m.s.accounts.includes(r.accountId)),
    );
    if (!m) return r;
    m.used = true;
    return { ...r, suppressed: { reason: m.s.reason, ...(m.s.expires ? { expires: m.s.expires } : {}) } };
  });
  return { results: out, expired, unused: matchers.filter((m) => !m.used).map((m) => m.s) };
}
