// The configuration file (--config, YAML or JSON), validated strictly: an unknown key or check id is an error naming it.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { SEVERITIES } from '../model/index.js';
import { errorMessage } from '../aws/errors.js';
import { UsageError } from './errors.js';

const severity = z.enum(SEVERITIES);
/** A calendar date `YYYY-MM-DD` that exists: `2026-02-30` or `2026-13-45` would silently extend or end a suppression. */
function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}
const isoDate = z
  .union([
    z.string().refine(isCalendarDate, { error: (iss) => `expected a date YYYY-MM-DD that exists, not ${JSON.stringify(String(iss.input).slice(0, 40))}` }),
    // A YAML 1.1 reader may hand over a timestamp.
    z.date().refine((d) => !Number.isNaN(d.getTime()), 'expected a date YYYY-MM-DD that exists'),
  ], { error: (iss) => `expected a date YYYY-MM-DD that exists, not ${typeof iss.input === 'number' ? iss.input : typeof iss.input}` })
  .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v));

/**
 * Options that count something (days, hours, invocations, zones, units, timeouts in seconds): whole numbers. Every
 * numeric option is finite and not negative (`warningDays: -100000` would silently turn a check off).
 */
const COUNT_OPTION = /^(days|defaultTimeouts)$|Days$|Hours$|^minimum/;
const optionNumber = z.number().min(0, 'must not be negative');
const optionValue = z.union([optionNumber, z.string(), z.boolean(), z.array(z.string()), z.array(optionNumber)]);
const checkOptions = z.record(z.string(), optionValue).superRefine((opts, ctx) => {
  for (const [key, value] of Object.entries(opts)) {
    if (!COUNT_OPTION.test(key)) continue;
    for (const n of Array.isArray(value) ? value : [value]) {
      if (typeof n === 'number' && !Number.isInteger(n)) ctx.addIssue({ code: 'custom', path: [key], message: `must be a whole number, not ${n}` });
    }
  }
});

/** Keys that would reach Object.prototype (or a prototype walk, `key in defaults`): refused wherever they appear. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The path of the first `__proto__`, `constructor` or `prototype` key in a parsed file (JSON.parse and the YAML reader
 * make them own keys), or undefined. Iterative: a deeply nested file cannot exhaust the stack.
 */
export function findReservedKey(raw: unknown): string | undefined {
  const stack: [unknown, string][] = [[raw, '']];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (!v || typeof v !== 'object' || seen.has(v)) continue;
    // YAML aliases share objects: each is walked once.
    seen.add(v);
    for (const k of Object.keys(v)) {
      const at = Array.isArray(v) ? `${path}${path ? '.' : ''}${k}` : `${path}${path ? '.' : ''}${/^[\w-]+$/.test(k) ? k : JSON.stringify(k)}`;
      if (!Array.isArray(v) && RESERVED_KEYS.has(k)) return at;
      stack.push([(v as Record<string, unknown>)[k], at]);
    }
  }
  return undefined;
}

export const SuppressionSchema = z.strictObject({
  /** Check id or glob (`lambda.*`). */
  check: z.string().min(1),
  /** Resource ARN or glob (`arn:aws:lambda:*:*:function:legacy-*`); `*` for every resource. */
  resource: z.string().min(1),
  reason: z.string().min(3, 'a suppression needs a reason'),
  /** Date after which the suppression stops applying (and is reported as expired). */
  expires: isoDate.optional(),
  accounts: z.array(z.string().regex(/^\d{12}$/, 'account ids are 12 digits')).optional(),
});
export type Suppression = z.infer<typeof SuppressionSchema>;

export const accountIdSchema = z.string().regex(/^\d{12}$/, 'account ids are 12 digits');
const accountId = accountIdSchema;

/** Who and where to scan (the `--org/--ou/--accounts/--regions/--role-name/--external-id` of the CLI). */
export const ScopeSchema = z.strictObject({
  /** Discover the accounts through AWS Organizations (the auditor account must be the management or a delegated administrator account). */
  org: z.boolean().optional(),
  /** Only accounts under these OUs (nested OUs included); implies `org`. */
  ous: z.array(z.string().regex(/^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/, 'expected an OU id (ou-xxxx-xxxxxxxx) or a root id (r-xxxx)')).optional(),
  /** Explicit account ids (with `org`: a filter). Neither `org` nor `accounts`: the auditor account alone. */
  accounts: z.array(accountId).optional(),
  excludeAccounts: z.array(accountId).optional(),
  /** Region codes, or `all` (the regions enabled in each account). Default: the auditor stack's region. */
  regions: z.union([z.literal('all'), z.array(z.string()).min(1)]).optional(),
  roleName: z.string().regex(/^[\w+=,.@-]{1,64}$/, 'not a valid IAM role name').optional(),
  externalId: z.string().regex(/^[\w+=,.@:/-]{2,1224}$/, 'an external id is 2-1224 characters of [\\w+=,.@:/-]').optional(),
});

export const ConfigSchema = z.strictObject({
  checks: z
    .strictObject({
      /** Ids/globs to run in addition to the default set (opt-in checks). */
      enabled: z.array(z.string()).optional(),
      /** Ids/globs never to run. */
      disabled: z.array(z.string()).optional(),
      /** Per-check options, merged over the defaults: `{ "logs.retention-below-minimum": { "minimumDays": 180 } }`. */
      options: z.record(z.string(), checkOptions).optional(),
      /** Severity floor: checks below are not run. */
      minSeverity: severity.optional(),
    })
    .optional(),
  suppressions: z.array(SuppressionSchema).optional(),
  scope: ScopeSchema.optional(),
  metrics: z.boolean().optional(),
  failOn: severity.optional(),
  store: z.string().optional(),
  securityHub: z.strictObject({ enabled: z.boolean().optional(), mode: z.enum(['member', 'central']).optional(), homeRegion: z.string().optional() }).optional(),
  slack: z.strictObject({ webhook: z.string().optional(), always: z.boolean().optional(), reportUrl: z.string().optional() }).optional(),
});
export type Config = z.infer<typeof ConfigSchema>;

function formatIssue(issue: z.core.$ZodIssue): string {
  // Keys come from the user's file: quoted as JSON strings so that odd characters (quotes, line breaks) stay visible
  // and the message stays on one line.
  const segment = (k: PropertyKey) => (/^[\w-]+$/.test(String(k)) ? String(k) : JSON.stringify(String(k)));
  const path = issue.path.map(segment).join('.');
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(`${path ? `${path}.` : ''}${k}`)).join(', ')}`;
  return `${path || '(root)'}: ${issue.message}`;
}

/** Validates a parsed configuration object; throws UsageError naming the first problem. */
export function validateConfig(raw: unknown, source = 'configuration'): Config {
  const reserved = findReservedKey(raw);
  if (reserved !== undefined) throw new UsageError(`${source}: key ${reserved} is not allowed (__proto__, constructor and prototype are refused anywhere)`);
  const parsed = ConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new UsageError(`${source}: ${formatIssue(parsed.error.issues[0]!)}`);
  return parsed.data;
}

/**
 * The command line as a layer over the configuration file: `top` (the flags, validated by the same schema as the file)
 * wins key by key, nested objects merged (a flag sets one key of `scope`, the file keeps the others). `false` and empty
 * values of `top` count; only absent keys fall through to `base`.
 */
export function overlayConfig(base: Config, top: Config): Config {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(top)) {
    if (v === undefined) continue;
    const under = (base as Record<string, unknown>)[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && under && typeof under === 'object' && !Array.isArray(under)
      ? Object.fromEntries([...Object.entries(under), ...Object.entries(v).filter(([, x]) => x !== undefined)])
      : v;
  }
  return out as Config;
}

export function loadConfig(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read config file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    // errorMessage: one line, and without the text JSON.parse quotes around the error (it may be the webhook URL).
    throw new UsageError(`config file ${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${errorMessage(err)}`);
  }
  return validateConfig(raw, `config file ${path}`);
}
