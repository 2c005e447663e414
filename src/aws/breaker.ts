// The per-account-region circuit breaker. An endpoint that never answers costs every call its full retries (8 attempts
// of up to 30 s each), and a region that throttles everything costs every call its full backoff: one such region held a
// run for ten minutes and more. After BREAKER_THRESHOLD consecutive failures of that kind in one account-region, every
// remaining call there fails at once with RegionSkipped (no network), so its results are NOT_ASSESSED with one reason.
// One breaker per ClientFactory (one factory per account), keyed by region; a global endpoint (IAM, Organizations,
// Account) is a scope of its own (`global:iam`), so a hanging Account API does not skip IAM.
// Until it trips, a success there resets the count; once tripped, the region stays skipped for the rest of the run (of
// the scan step, in Lambda). Other regions and accounts are unaffected.
import { errorCode, isThrottling } from './errors.js';

/** Consecutive failures (timed-out or refused attempts, calls still throttled after their retries) that trip a region. */
export const BREAKER_THRESHOLD = 4;

/** Services whose endpoint is global (one per partition): their calls count for `global:<service>`, not the region. */
export const GLOBAL_ENDPOINT_SERVICES = new Set(['iam', 'organizations', 'account']);

/** The breaker scope of a client's calls: its region, or `global:<service>` for a global endpoint. */
export function breakerScope(service: string, region: string): string {
  return GLOBAL_ENDPOINT_SERVICES.has(service) ? `global:${service}` : region;
}

/** The region a scope's errors are listed under (`global` for global endpoints, as the collectors list them). */
export function scopeRegion(scope: string): string {
  return scope.startsWith('global:') ? 'global' : scope;
}

export type BreakerFailure = 'timeout' | 'connection' | 'throttle';

const TIMEOUT_CODES = /^(TimeoutError|RequestTimeout|RequestTimeoutException|ETIMEDOUT)$/;
const CONNECTION_CODES = /^(ECONNREFUSED|ECONNRESET|EPIPE|EHOSTUNREACH|ENETUNREACH|ECONNABORTED)$/;

/**
 * What an error says about the endpoint: it did not answer in time, it refused or dropped the connection, or it is
 * throttling; undefined when it answered (any other error, including DNS failures: a service that has no endpoint in a
 * region says nothing about the region's other endpoints).
 */
export function breakerFailure(err: unknown): BreakerFailure | undefined {
  if (err instanceof RegionSkipped) return undefined;
  const netCode = String((err as { code?: unknown })?.code ?? '');
  // The SDK's HTTP handler renames ECONNRESET/EPIPE errors TimeoutError: the Node code says which it was.
  if (CONNECTION_CODES.test(netCode)) return 'connection';
  const code = errorCode(err);
  if (TIMEOUT_CODES.test(code) || netCode === 'ETIMEDOUT') return 'timeout';
  if (CONNECTION_CODES.test(code)) return 'connection';
  if (isThrottling(err)) return 'throttle';
  return undefined;
}

/** Why an unreachable endpoint failed, in a few words: `timed out after 5 s`, `connection refused`. */
export function unreachableCause(err: unknown): string {
  const code = String((err as { code?: unknown })?.code ?? '') || errorCode(err);
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED') return 'connection reset';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'no route to host';
  const message = String((err as Error)?.message ?? '');
  const ms = /(\d+) ms\b/.exec(message);
  // The SDK's connection timeout: nothing accepted the connection (a black-holed address, a firewall dropping it).
  const what = /establish a connection/.test(message) ? 'connection timed out' : 'timed out';
  return ms ? `${what} after ${Number(ms[1]) / 1000} s` : what;
}

const named = new WeakSet<object>();
/**
 * An attempt that timed out or whose connection was refused or reset: its message becomes what happened, named for
 * the endpoint (`lambda.eu-west-1 endpoint unreachable (timed out after 5 s)`), not the HTTP handler's wording; its
 * code (TimeoutError, ECONNREFUSED ...) stays. Other errors are left as they are.
 */
export function nameUnreachable(err: unknown, endpoint: string): void {
  const failure = breakerFailure(err);
  if (!(err instanceof Error) || (failure !== 'timeout' && failure !== 'connection') || named.has(err)) return;
  named.add(err);
  err.message = `${endpoint} endpoint unreachable (${unreachableCause(err)})`;
}

/** The call was not sent: its account-region was skipped by the breaker. Not retried by the SDK (a client error). */
export class RegionSkipped extends Error {
  override name = 'RegionSkipped';
  /** The region the skip is listed under in `errors` (`global` for a global endpoint). */
  readonly region: string;
  constructor(readonly scope: string, message: string) {
    super(message);
    this.region = scopeRegion(scope);
  }
}

interface ScopeState {
  streak: number;
  kinds: Set<BreakerFailure>;
  first?: string;
  open?: RegionSkipped;
}

const WORDS: Record<BreakerFailure, string> = { timeout: 'timeouts', connection: 'connection failures', throttle: 'throttled calls' };

export class RegionBreaker {
  /** Named in the trip message (`region eu-west-1 of 111122223333 ...`) once known. */
  accountId?: string;
  private readonly scopes = new Map<string, ScopeState>();
  /** Errors already counted (an attempt's error is the call's error too when it was the last attempt). */
  private readonly counted = new WeakSet<object>();

  constructor(readonly threshold = BREAKER_THRESHOLD) {}

  /** The error every call of `scope` fails with while the breaker is open there. */
  open(scope: string): RegionSkipped | undefined {
    return this.scopes.get(scope)?.open;
  }

  /** Every tripped scope's error, once each. */
  trips(): RegionSkipped[] {
    return [...this.scopes.values()].flatMap((s) => (s.open ? [s.open] : []));
  }

  /** An answer from the endpoint (a success, or an error that is not a timeout or throttling): the count starts again. */
  success(scope: string): void {
    const s = this.scopes.get(scope);
    // Nothing to reset unless a failure was counted since (a new state per success was an allocation per call).
    if (s && !s.open && s.streak > 0) this.scopes.set(scope, { streak: 0, kinds: new Set() });
  }

  /**
   * The outcome of one attempt, or of one call after its retries (`final`). Timeouts and refused connections count
   * per attempt (each one cost a full timeout); throttling counts only when it survived the retries. `endpoint`
   * names the endpoint in the error's message (nameUnreachable). Returns `err`, to be thrown.
   */
  record(scope: string, endpoint: string, err: unknown, final: boolean): unknown {
    const failure = breakerFailure(err);
    if (!failure) {
      const name = (err as { name?: string })?.name;
      if (!(err instanceof RegionSkipped) && name !== 'AbortError' && name !== 'DeadlineReached') this.success(scope);
      return err;
    }
    nameUnreachable(err, endpoint);
    if (failure === 'throttle' && !final) return err;
    if (typeof err === 'object' && err !== null) {
      if (this.counted.has(err)) return err;
      this.counted.add(err);
    }
    const s = this.scopes.get(scope) ?? { streak: 0, kinds: new Set<BreakerFailure>() };
    this.scopes.set(scope, s);
    if (s.open) return err;
    s.streak++;
    s.kinds.add(failure);
    s.first ??= failure === 'throttle' ? `${endpoint} still throttling after the retries (${errorCode(err)}: ${String((err as Error)?.message ?? err)})` : (err as Error).message;
    if (s.streak >= this.threshold) {
      const where = scope.startsWith('global:') ? `the global ${scope.slice(7)} endpoint` : `region ${scope}`;
      const words = [...s.kinds].map((k) => WORDS[k]).join(' or ');
      s.open = new RegionSkipped(scope, `${where}${this.accountId ? ` of ${this.accountId}` : ''} skipped after ${s.streak} consecutive ${words}: ${s.first}`);
    }
    return err;
  }
}
