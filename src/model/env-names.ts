// Environment variable names whose value is a limit, count, duration, port or flag (MAX_TOKENS, TOKEN_LIMIT,
// TOKEN_TTL_SECONDS, SECRETS_EXTENSION_HTTP_PORT, USE_SECRETS_MANAGER). Shared by the collector (src/collect/redact.ts:
// only for such names does the stored profile say that the value is a number, duration or boolean — for any other name
// that would narrow down a numeric secret) and by lambda.env-secrets (such a name with such a value is not a secret).

/** Words (between `_`, `-` or `.`) that make a name a limit, count, duration, port or flag. Matched on the upper-cased name. */
export const LIMIT_NAME_WORDS = [
  'MAX', 'MIN', 'LIMIT', 'LIMITS', 'COUNT', 'NUM', 'NUMBER', 'SIZE', 'LENGTH', 'LEN', 'PER',
  'TTL', 'TIMEOUT', 'EXPIRY', 'EXPIRATION', 'EXPIRES', 'EXPIRE', 'LIFETIME', 'DURATION', 'INTERVAL', 'AGE', 'WINDOW',
  'MS', 'MILLIS', 'MILLISECONDS', 'SEC', 'SECS', 'SECONDS', 'MINS', 'MINUTES', 'HOURS', 'DAYS',
  'RETRIES', 'ATTEMPTS', 'RATE', 'QUOTA', 'BUDGET', 'THRESHOLD', 'PORT',
  'ENABLED', 'DISABLED', 'ENABLE', 'DISABLE', 'USE', 'REQUIRED',
] as const;

const LIMIT_NAME = new RegExp(`(^|[_.-])(${LIMIT_NAME_WORDS.join('|')})($|[_.-])`);

/** Whether `name` is a limit, count, duration, port or flag name. */
export function isLimitName(name: string): boolean {
  return LIMIT_NAME.test(name.toUpperCase());
}
