// The configuration file (--config, YAML or JSON), validated strictly: an unknown key or check id is an error naming it.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { SEVERITIES } from '../model/index.js';
import { errorMessage } from '../aws/errors.js';
import { UsageError } from './errors.js';

const severity = z.enum(SEVERITIES);
const isoDate = z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'expected a date YYYY-MM-DD'), z.date()]).transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v));
const optionValue = z.union([z.number(), z.string(), z.boolean(), z.array(z.string()), z.array(z.number())]);

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

export const ConfigSchema = z.strictObject({
  checks: z
    .strictObject({
      /** Ids/globs to run in addition to the default set (opt-in checks). */
      enabled: z.array(z.string()).optional(),
      /** Ids/globs never to run. */
      disabled: z.array(z.string()).optional(),
      /** Per-check options, merged over the defaults: `{ "logs.retention-below-minimum": { "minimumDays": 180 } }`. */
      options: z.record(z.string(), z.record(z.string(), optionValue)).optional(),
      /** Severity floor: checks below are not run. */
      minSeverity: severity.optional(),
    })
    .optional(),
  suppressions: z.array(SuppressionSchema).optional(),
  scope: z
    .strictObject({
      regions: z.union([z.literal('all'), z.array(z.string())]).optional(),
      accounts: z.array(z.string().regex(/^\d{12}$/, 'account ids are 12 digits')).optional(),
      excludeAccounts: z.array(z.string().regex(/^\d{12}$/, 'account ids are 12 digits')).optional(),
      org: z.boolean().optional(),
      ous: z.array(z.string()).optional(),
      roleName: z.string().optional(),
      externalId: z.string().optional(),
    })
    .optional(),
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
  const parsed = ConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new UsageError(`${source}: ${formatIssue(parsed.error.issues[0]!)}`);
  return parsed.data;
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
