// Keeping secrets out of the inventory: environment values become shape profiles, URLs lose what can authenticate.
import { isLimitName, type EnvValueClass, type EnvValueProfile } from '../model/index.js';

/**
 * Keys whose value is kept verbatim (short and secret-free only): the debug-log-level check needs the level itself.
 * Matched case-insensitively.
 */
export const ENV_VALUE_ALLOWLIST: ReadonlySet<string> = new Set([
  'LOG_LEVEL',
  'POWERTOOLS_LOG_LEVEL',
  'AWS_LAMBDA_LOG_LEVEL',
  'POWERTOOLS_LOGGER_LOG_EVENT',
]);
const MAX_KEPT_VALUE_LENGTH = 16;

/** Minimum bits per character (and length) for a token-like value to count as `high-entropy`. */
const HIGH_ENTROPY_BITS = 4.0;
const HIGH_ENTROPY_MIN_LENGTH = 20;

const PATTERNS: readonly { name: string; test: (v: string) => boolean }[] = [
  { name: 'aws-access-key-id', test: (v) => /(?<![A-Z0-9])(AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/.test(v) },
  {
    name: 'aws-secret-key-like',
    // 40 base64 characters standing alone. Mixed case is required so that 40-character hex digests (git SHAs) do not match.
    test: (v) => (v.match(/(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g) ?? []).some((m) => /[a-z]/.test(m) && /[A-Z]/.test(m)),
  },
  { name: 'private-key', test: (v) => /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/.test(v) },
  { name: 'jwt', test: (v) => /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/.test(v) },
  { name: 'slack-webhook', test: (v) => /https:\/\/hooks\.slack\.com\/(services|workflows|triggers)\//i.test(v) },
  { name: 'github-token', test: (v) => /\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}\b|\bgithub_pat_[A-Za-z0-9_]{22,}/.test(v) },
  { name: 'stripe-key', test: (v) => /\b(sk|rk)_live_[A-Za-z0-9]{10,}/.test(v) },
  { name: 'url-credentials', test: (v) => /\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i.test(v) },
  // Webhooks other than Slack's carry their secret in the path too (Discord, Teams, Zapier, Mattermost, generic /webhook/...).
  { name: 'webhook-url', test: (v) => webhookUrl(v) },
  // A credential in the query string (?token=, ?api_key=, ?sig=, Azure Functions' ?code=, presigned X-Amz-Signature).
  {
    name: 'url-secret-query',
    test: (v) => /\bhttps?:\/\/[^\s?#]+\?(?:[^\s#]*&)?(?:[a-z_-]*token|[a-z_-]*key|secret|password|passwd|sig|signature|code|auth|x-amz-signature)=[^&\s#]{6,}/i.test(v),
  },
];

/** An http(s) URL that names a webhook (host or path) and has a token-like path segment. */
function webhookUrl(v: string): boolean {
  const m = /\bhttps?:\/\/[^\s"'<>]+/i.exec(v);
  if (!m || !/webhook|(^|[/.])hooks?[./]/i.test(m[0].replace(/^https?:\/\//i, ''))) return false;
  let u: URL;
  try {
    u = new URL(m[0]);
  } catch {
    return false;
  }
  return u.pathname.split('/').some((seg) => looksLikeToken(decodeSafe(seg)));
}

/**
 * The class of a value that cannot be a secret, else `other`. Only these few unambiguous shapes are named: the class is
 * stored in the inventory instead of the value, and lets lambda.env-secrets tell `MAX_TOKENS=4096` from a token.
 */
export function valueClass(value: string): EnvValueClass {
  const v = value.trim();
  if (/^(true|false|yes|no|on|off|enabled|disabled)$/i.test(v)) return 'boolean';
  if (/^[-+]?\d{1,7}$/.test(v)) return 'small-integer';
  if (v.length <= 12 && /^[-+]?\d*\.\d+$|^[-+]?\d+\.\d*$|^[-+]?\d+(\.\d+)?e[-+]?\d{1,3}$/i.test(v)) return 'number';
  if (/^\d{1,7}(\.\d+)?\s?(ms|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)$/i.test(v)) return 'duration';
  if (/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/.test(v)) return 'duration';
  if (/^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}|aws)?:[^\s]+$/.test(v)) return 'arn';
  // Parameter Store hierarchy: /segment[/segment...], the characters AWS allows in parameter names, no token-like segment.
  if (v.length <= 2048 && /^(\/[A-Za-z0-9_.-]+)+$/.test(v) && !v.split('/').some((seg) => looksLikeToken(seg) && /\d/.test(seg))) return 'ssm-parameter-name';
  return 'other';
}

/** Shannon entropy in bits per character, rounded to 3 decimals. */
export function shannonEntropy(value: string): number {
  const chars = [...value];
  if (chars.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / chars.length;
    bits -= p * Math.log2(p);
  }
  return Math.round(bits * 1000) / 1000;
}

/** Names of the secret shapes recognised in `value`. */
export function secretPatterns(value: string, entropy = shannonEntropy(value)): string[] {
  const found = PATTERNS.filter((p) => p.test(value)).map((p) => p.name);
  // Token-like only (no `:` or spaces): ARNs, URLs and sentences have high entropy too but are not keys.
  if (
    value.length >= HIGH_ENTROPY_MIN_LENGTH &&
    entropy >= HIGH_ENTROPY_BITS &&
    /^[A-Za-z0-9+/=_.-]+$/.test(value) &&
    /[0-9]/.test(value) &&
    /[A-Za-z]/.test(value)
  ) {
    found.push('high-entropy');
  }
  return found;
}

/**
 * The class stored in the profile. References (ARNs, parameter names) are never secrets and are always named; that a
 * value is a number, duration or boolean is stored only under a limit/count/duration/flag name (isLimitName): under
 * DB_PASSWORD it would tell a reader of the inventory that the password is, say, four digits.
 */
function storedClass(key: string, value: string): EnvValueClass {
  const c = valueClass(value);
  return c === 'arn' || c === 'ssm-parameter-name' || c === 'other' || isLimitName(key) ? c : 'other';
}

/** The profile stored instead of an environment variable's value. The value itself is kept only for allowlisted log-level keys. */
export function profileEnvValue(key: string, value: string): EnvValueProfile {
  const entropy = shannonEntropy(value);
  const patterns = secretPatterns(value, entropy);
  const profile: EnvValueProfile = { redacted: true, length: value.length, entropy, patterns, class: storedClass(key, value) };
  if (ENV_VALUE_ALLOWLIST.has(key.toUpperCase()) && value.length <= MAX_KEPT_VALUE_LENGTH && patterns.length === 0) profile.value = value;
  return profile;
}

/** Every value of an environment map replaced by its profile. */
export function profileEnvironment(vars: Record<string, string | EnvValueProfile> | undefined): Record<string, EnvValueProfile> | undefined {
  if (!vars) return undefined;
  // A value already profiled (a scan replayed from its checkpoint, journalView) stays as it is.
  return Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, isProfile(v) ? v : profileEnvValue(k, v ?? '')]));
}

/**
 * `scheme://host[:port]/path` with user info, query and fragment removed. Path segments that look like tokens are
 * replaced by `*`, because webhook URLs (Slack, PagerDuty) carry their secret in the path. Unparseable input gives
 * `[unparseable URL]`, never the input.
 */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '[unparseable URL]';
  }
  const path = u.pathname
    .split('/')
    .map((seg) => (looksLikeToken(decodeSafe(seg)) ? '*' : seg))
    .join('/');
  return `${u.protocol}//${u.host}${path}`;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function looksLikeToken(seg: string): boolean {
  if (seg.length < 16) return false;
  // Lower-case words joined by separators (`order-events`, `my_function`) are names; anything else that long is treated as a token.
  return !/^[a-z]+([-_.][a-z0-9]+)*$/.test(seg);
}

/** A value that already is a profile (a checkpoint's view, see journalView): profiled again, it stays what it is. */
function isProfile(v: unknown): v is EnvValueProfile {
  return typeof v === 'object' && v !== null && (v as { redacted?: unknown }).redacted === true;
}

/**
 * Free text (a Lambda function's `Description`): profiled like an environment value, never kept — descriptions end up
 * holding `token=…` notes. A profile passes through unchanged.
 */
export function profileText(value: string | EnvValueProfile | undefined): EnvValueProfile | undefined {
  if (value === undefined || value === null) return undefined;
  if (isProfile(value)) return value;
  const { value: _never, ...profile } = profileEnvValue('', String(value));
  return profile;
}

/**
 * The endpoint as kept in the inventory: http(s) URLs reduced to scheme://host/path (no user info, query or token-like
 * path segments), e-mail addresses to `*@domain`, phone numbers removed. ARNs (sqs, lambda, firehose, application) stay.
 * Idempotent: a reduced endpoint reduces to itself.
 */
export function redactEndpoint(protocol: string | undefined, endpoint: string): string {
  switch (protocol) {
    case 'http':
    case 'https':
      return redactUrl(endpoint);
    case 'email':
    case 'email-json': {
      const at = endpoint.lastIndexOf('@');
      return at >= 0 ? `*@${endpoint.slice(at + 1)}` : '*';
    }
    case 'sms':
      return '*';
    default:
      return /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? redactUrl(endpoint) : endpoint;
  }
}

/**
 * Integration URIs are ARNs (Lambda, AWS services, load balancers) or backend URLs. URLs lose query, user info and
 * token-like path segments (backends get called with keys in the query string); ARNs are kept as they are.
 */
export function integrationUri(uri: string): string {
  return /^https?:\/\//i.test(uri) ? redactUrl(uri) : uri;
}

// ---- The call journal's view: what a scan checkpoint (src/aws/journal.ts) stores of an SDK output.
//
// A checkpoint holds SDK outputs, not inventory, and is stored (the state table, a week). Each output that carries
// a secret is stored as the collectors would keep it: environment values and descriptions as profiles, URLs reduced,
// stage variables and integration parameters/templates removed. Every collector's redaction is idempotent (a profile
// profiles to itself, a reduced URL reduces to itself), so a scan replayed from the checkpoint builds the same
// inventory as one that read AWS. Operations not listed carry nothing secret (test/hardening/secrets.test.ts plants
// secrets in every field and searches the journal).
type Json = Record<string, any>;
const omit = (o: Json | undefined, keys: readonly string[]): Json | undefined =>
  o && Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
const each = (list: unknown, f: (x: Json) => Json): unknown => (Array.isArray(list) ? list.map((x) => (x && typeof x === 'object' ? f(x as Json) : x)) : list);
const values = (o: unknown, f: (x: Json) => Json): unknown =>
  o && typeof o === 'object' ? Object.fromEntries(Object.entries(o as Json).map(([k, v]) => [k, v && typeof v === 'object' ? f(v as Json) : v])) : o;

function functionConfiguration(fn: Json): Json {
  const out: Json = { ...fn };
  if ('Description' in fn) out.Description = profileText(fn.Description);
  if (fn.Environment?.Variables) {
    out.Environment = { ...fn.Environment, Variables: profileEnvironment(fn.Environment.Variables) };
  }
  return out;
}
/** Free text of a resource (`Description` of an alias, `AlarmDescription`): profiled, as the collectors keep it. */
const described = (key: string) => (o: Json): Json => (key in o ? { ...o, [key]: profileText(o[key]) } : o);
const subscription = (s: Json): Json => (typeof s.Endpoint === 'string' ? { ...s, Endpoint: redactEndpoint(s.Protocol, s.Endpoint) } : s);
const restIntegration = (i: Json): Json => {
  const out = omit(i, ['requestParameters', 'requestTemplates', 'integrationResponses'])!;
  if (typeof i.uri === 'string') out.uri = integrationUri(i.uri);
  return out;
};
const restMethod = (m: Json): Json => (m.methodIntegration ? { ...m, methodIntegration: restIntegration(m.methodIntegration) } : m);
const v2Integration = (i: Json): Json => {
  const out = omit(i, ['RequestParameters', 'RequestTemplates', 'ResponseParameters'])!;
  if (typeof i.IntegrationUri === 'string') out.IntegrationUri = integrationUri(i.IntegrationUri);
  return out;
};

const JOURNAL_VIEWS: Record<string, (out: Json) => Json> = {
  'lambda:ListFunctions': (o) => ({ ...o, Functions: each(o.Functions, functionConfiguration) }),
  'lambda:ListVersionsByFunction': (o) => ({ ...o, Versions: each(o.Versions, functionConfiguration) }),
  'lambda:GetFunctionConfiguration': functionConfiguration,
  'lambda:GetFunction': (o) => (o.Configuration ? { ...o, Configuration: functionConfiguration(o.Configuration) } : o),
  // The collector keeps no alias description; the checkpoint keeps a profile of it.
  'lambda:ListAliases': (o) => ({ ...o, Aliases: each(o.Aliases, described('Description')) }),
  'cloudwatch:DescribeAlarms': (o) => ({ ...o, MetricAlarms: each(o.MetricAlarms, described('AlarmDescription')), CompositeAlarms: each(o.CompositeAlarms, described('AlarmDescription')) }),
  'sns:ListSubscriptions': (o) => ({ ...o, Subscriptions: each(o.Subscriptions, subscription) }),
  'sns:ListSubscriptionsByTopic': (o) => ({ ...o, Subscriptions: each(o.Subscriptions, subscription) }),
  // The collector drops the attribute (the reduced endpoint is the subscription's own).
  'sns:GetSubscriptionAttributes': (o) => ({ ...o, Attributes: omit(o.Attributes, ['Endpoint']) }),
  'apigateway:GetRestApis': (o) => ({ ...o, items: each(o.items, described('description')) }),
  'apigateway:GetResources': (o) => ({ ...o, items: each(o.items, (r) => (r.resourceMethods ? { ...r, resourceMethods: values(r.resourceMethods, restMethod) } : r)) }),
  'apigateway:GetMethod': restMethod,
  'apigateway:GetIntegration': restIntegration,
  'apigateway:GetStages': (o) => ({
    ...o,
    item: each(o.item, (s) => ({ ...described('description')(omit(s, ['variables'])!), ...(s.canarySettings ? { canarySettings: omit(s.canarySettings, ['stageVariableOverrides']) } : {}) })),
  }),
  'apigatewayv2:GetIntegrations': (o) => ({ ...o, Items: each(o.Items, v2Integration) }),
  'apigatewayv2:GetIntegration': v2Integration,
  'apigatewayv2:GetApis': (o) => ({ ...o, Items: each(o.Items, described('Description')) }),
  'apigatewayv2:GetStages': (o) => ({ ...o, Items: each(o.Items, (s) => described('StageDescription')(omit(s, ['StageVariables'])!)) }),
  'apigatewayv2:GetStage': (o) => described('StageDescription')(omit(o, ['StageVariables'])!),
  // Customer-managed policies' descriptions (the collector reads their documents only).
  'iam:GetAccountAuthorizationDetails': (o) => ({ ...o, Policies: each(o.Policies, described('Description')) }),
};

/** `output` as a checkpoint may store it (a new object; `output` itself is not changed). */
export function journalView(service: string, operation: string, output: unknown): unknown {
  const key = `${service}:${operation}`;
  return Object.hasOwn(JOURNAL_VIEWS, key) && output && typeof output === 'object' ? JOURNAL_VIEWS[key]!(output as Json) : output;
}
