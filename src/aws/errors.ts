// Turning SDK errors into gaps and error entries.
import type { Gap } from '../model/index.js';

export function errorCode(err: unknown): string {
  const e = err as { name?: string; Code?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  if (e?.name === 'ReadOnlyViolation') return 'ReadOnlyViolation';
  // The SDK could not parse an answer (truncated or malformed body): its error is a bare SyntaxError or Error.
  if (/Deserialization error/.test(String((err as Error)?.message ?? ''))) return 'MalformedResponse';
  // Node network errors are plain Errors with the useful part in `code` (ECONNREFUSED, ETIMEDOUT ...).
  const code = e?.Code ?? (e?.name && e.name !== 'Error' ? e.name : undefined) ?? e?.code;
  if (code && code !== 'Error') return code;
  if (e?.$metadata?.httpStatusCode) return `HTTP${e.$metadata.httpStatusCode}`;
  return 'UnknownError';
}

/** Error message with anything that could be a secret (signatures, tokens, credentials) cut away. */
export function errorMessage(err: unknown): string {
  const raw = String((err as Error)?.message ?? err ?? '')
    // JSON.parse quotes the text around its error (`Unexpected token 'p', ..."PASSWORD":p4ss"... is not valid JSON`);
    // in an AWS answer or a user's file that text can be a secret.
    .replace(/(?:, )?(?:\.\.\.)?"[\s\S]*"(?:\.\.\.)? is not valid JSON/, ' (not valid JSON)')
    .split('\n')[0]!
    .slice(0, 300);
  return raw
    .replace(/(X-Amz-Signature|X-Amz-Security-Token|X-Amz-Credential|Signature|token|password|secret)=[^&\s]+/gi, '$1=REDACTED')
    .replace(/\bAKIA[0-9A-Z]{16}\b/g, 'AKIA****')
    .replace(/\bASIA[0-9A-Z]{16}\b/g, 'ASIA****')
    .replace(/https:\/\/hooks\.slack\.com\/[^\s"']+/g, 'https://hooks.slack.com/REDACTED');
}

export function isThrottling(err: unknown): boolean {
  return /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown|RateExceeded|ProvisionedThroughputExceeded/i.test(errorCode(err));
}

export function isAccessDenied(err: unknown): boolean {
  return /AccessDenied|UnauthorizedOperation|AuthorizationError|Forbidden|NotAuthorized|UnrecognizedClient|InvalidClientTokenId|ExpiredToken/i.test(errorCode(err));
}

/**
 * The endpoint does not answer, the session is gone, or the region was skipped by the circuit breaker (breaker.ts):
 * the next call to the same place would fail the same way.
 */
export function isUnreachable(err: unknown): boolean {
  return /^(TimeoutError|RequestTimeout|ETIMEDOUT|ECONNREFUSED|ECONNRESET|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ExpiredToken|ExpiredTokenException|RequestExpired|RegionSkipped)$/.test(errorCode(err));
}

export function isNotFound(err: unknown): boolean {
  return /NotFound|NoSuch/i.test(errorCode(err));
}

export function toGap(operation: string, err: unknown): Gap {
  return { operation, code: errorCode(err), message: errorMessage(err) };
}
