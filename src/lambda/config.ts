// Configuration of the scheduled deployment (deploy/): the file the CDK app reads, and the part of it the Lambda
// handlers read at run time. One schema for both, so a setting the handlers cannot honour fails `cdk synth`.
import { readFileSync } from 'node:fs';
import { ConfigSchema, ScopeSchema, accountIdSchema as accountId, findReservedKey } from '../engine/config.js';
import { UsageError } from '../engine/errors.js';
import { DEFAULT_ROLE_NAME } from '../engine/organization.js';
import { parseRegions } from '../engine/regions.js';
import { selectChecksExplained, validateCheckOptions, type SkippedCheck } from '../engine/select.js';
import { validateSuppressions } from '../engine/suppress.js';
import type { Check, CheckOptions } from '../model/index.js';
import type { Suppression } from '../engine/config.js';
import { z } from 'zod';

/** Who and where to scan: the one scope schema, shared with the CLI's configuration file (engine/config.ts). */
export { ScopeSchema };
export type DeployScope = z.infer<typeof ScopeSchema>;

/**
 * The Well-Architected Tool notes (src/sinks/well-architected.ts): the workload, in the auditor stack's Region, whose
 * Serverless Lens answers get the run's summary in their Notes; `milestone`: a milestone per run. (The id pattern is
 * the sink's WA_WORKLOAD_ID, repeated here so that every handler's bundle does not carry the WA Tool client.)
 */
export const WellArchitectedSchema = z.strictObject({
  workloadId: z.string().regex(/^[0-9a-f]{32}$/, 'a workload id is 32 hex characters (the WA Tool console shows it in the workload ARN)'),
  milestone: z.boolean().optional(),
});

/** What to check: the `checks`, `suppressions` and `metrics` keys of the lens-audit configuration file. */
export const AuditSchema = ConfigSchema.pick({ checks: true, suppressions: true, metrics: true });

/** Read by the handlers at run time (bundled next to them as lens-audit.config.json). */
export const RuntimeConfigSchema = z.strictObject({
  scope: ScopeSchema,
  audit: AuditSchema,
  securityHub: z.boolean(),
  /** Present when the Slack digest is on; the webhook itself is in the secret named by SLACK_WEBHOOK_SECRET_ARN. */
  slack: z.strictObject({ always: z.boolean().optional(), reportUrl: z.string().optional() }).optional(),
  /** Present when the Well-Architected Tool notes are on (the workload is in the stack's Region). */
  wellArchitected: WellArchitectedSchema.optional(),
  /** Days a resolved finding is remembered in the state table. */
  retentionDays: z.number().int().min(1).max(3650).optional(),
});
export type RuntimeConfig = z.infer<typeof RuntimeConfigSchema>;

/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** The deploy/ configuration file (`-c configFile=...`) or the `lensAudit` context object. */
export const DeployConfigSchema = z.strictObject({
  /** CloudFormation stack name. */
  stackName: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/).default('LensAudit'),
  /** Where the auditor stack goes; default: the account and region of the CLI credentials. */
  env: z.strictObject({ account: accountId.optional(), region: z.string().optional() }).optional(),
  scope: ScopeSchema.default({}),
  schedule: z
    .strictObject({
      /** EventBridge Scheduler expression: cron(...), rate(...) or at(...). */
      expression: z.string().regex(/^(cron|rate|at)\(.+\)$/, 'expected cron(...), rate(...) or at(...)').default('cron(0 3 * * ? *)'),
      /** IANA time zone the cron expression is read in. */
      timeZone: z.string().default('UTC'),
      enabled: z.boolean().default(true),
    })
    .prefault({}),
  scan: z
    .strictObject({
      /** Accounts scanned at once (Map MaxConcurrency). */
      accountConcurrency: z.number().int().min(1).max(1000).default(5),
      /** Regions of one account scanned at once (inner Map MaxConcurrency). */
      regionConcurrency: z.number().int().min(1).max(40).default(4),
      /** Distributed Map for the accounts (large organizations: more than a few hundred accounts). */
      distributedMap: z.boolean().default(false),
      scannerMemoryMb: z.number().int().min(256).max(10240).default(1769),
      finalizeMemoryMb: z.number().int().min(256).max(10240).default(3008),
    })
    .prefault({}),
  audit: AuditSchema.default({}),
  securityHub: z.strictObject({ enabled: z.boolean().default(true) }).prefault({}),
  slack: z
    .strictObject({
      enabled: z.boolean().default(false),
      /** Name of the Secrets Manager secret the stack creates for the webhook URL (you put the URL in it). */
      secretName: z.string().regex(/^[\w/+=.@-]{1,512}$/).default('lens-audit/slack-webhook'),
      /** Post a heartbeat line when nothing is new. */
      always: z.boolean().default(false),
      reportUrl: z.string().optional(),
    })
    .prefault({}),
  /** Well-Architected Tool notes on one workload in the stack's Region (off unless set): finalize writes them after each run. */
  wellArchitected: WellArchitectedSchema.optional(),
  /** The report bucket: report.html and report.json of every run (reports/YYYY/MM/DD/<runId>/ and latest/). */
  reports: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Days a run's reports are kept (S3 lifecycle expiration; latest/ is rewritten by every run). */
      expiryDays: z.number().int().min(1).max(3650).default(90),
    })
    .prefault({}),
  /** E-mail address subscribed to the alarm topic (optional). */
  alarmEmail: z.string().email().optional(),
  /** Days a resolved finding is remembered (state table TTL). */
  retentionDays: z.number().int().min(1).max(3650).default(90),
  /** Retention of the stack's own log groups. */
  logRetentionDays: z.number().int().refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), 'not a CloudWatch Logs retention period').default(90),
  /** Fixed name of the scanner's role: the member roles trust exactly this ARN (deploy/member-role.yaml ScannerRoleArn). */
  scannerRoleName: z.string().regex(/^[\w+=,.@-]{1,64}$/).default('LensAuditScanner'),
});
export type DeployConfig = z.infer<typeof DeployConfigSchema>;

function formatIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${path ? `${path}.` : ''}${k}"`).join(', ')}`;
  return `${path || '(root)'}: ${issue.message}`;
}

/** The checks, options and suppressions a configuration selects; throws UsageError naming an unknown check or option. */
export function resolveAudit(audit: z.infer<typeof AuditSchema>, all: readonly Check[]): { checks: Check[]; skipped: SkippedCheck[]; checkOptions: Record<string, CheckOptions>; suppressions: Suppression[]; metrics: boolean } {
  // The checks that run, and for every other one the reason (the run's report lists them under `skipped`).
  const { checks, skipped } = selectChecksExplained({ all, enable: audit.checks?.enabled, disable: audit.checks?.disabled, minSeverity: audit.checks?.minSeverity, metrics: audit.metrics ?? false });
  const checkOptions = validateCheckOptions(all, audit.checks?.options);
  const suppressions = audit.suppressions ?? [];
  validateSuppressions(all, suppressions);
  return { checks, skipped, checkOptions, suppressions, metrics: audit.metrics ?? false };
}

function validateScope(scope: DeployScope, source: string): void {
  if (Array.isArray(scope.regions)) {
    try {
      parseRegions(scope.regions);
    } catch (err) {
      throw new UsageError(`${source}: scope.regions: ${(err as Error).message.replace(/^--regions /, '')}`);
    }
  }
}

/** Whether the scope reaches accounts other than the auditor's own (they are entered through the member role). */
export function scansMemberAccounts(config: Pick<DeployConfig, 'scope' | 'env'>): boolean {
  const s = config.scope;
  if (s.org || (s.ous && s.ous.length > 0)) return true;
  const own = config.env?.account;
  return (s.accounts ?? []).some((id) => id !== own);
}

/**
 * deploy/member-role.yaml trusts the scanner only with the external id (its ExternalId parameter is required): a stack
 * that would assume it without one is denied in every member account, night after night. That is a synth error.
 */
function checkExternalId(config: DeployConfig, source: string): void {
  if (config.scope.externalId || !scansMemberAccounts(config)) return;
  throw new UsageError(
    `${source}: scope.externalId is missing, but the scope reaches member accounts and deploy/member-role.yaml only trusts the scanner ` +
      'with an external id (its ExternalId parameter): every member account would deny the scan. Set scope.externalId (or -c externalId=...) ' +
      'to the value the member-role stacks were given.',
  );
}

/** Validates a deploy configuration (and the checks it names) and fills in the defaults. */
export function parseDeployConfig(raw: unknown, all: readonly Check[], source = 'deploy configuration'): DeployConfig {
  const reserved = findReservedKey(raw);
  if (reserved !== undefined) throw new UsageError(`${source}: key ${reserved} is not allowed (__proto__, constructor and prototype are refused anywhere)`);
  const parsed = DeployConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new UsageError(`${source}: ${formatIssue(parsed.error.issues[0]!)}`);
  const config = parsed.data;
  if (config.scope.ous?.length && config.scope.org === false) throw new UsageError(`${source}: scope.ous needs scope.org (it is an Organizations filter)`);
  if (config.scope.ous?.length) config.scope.org = true;
  validateScope(config.scope, source);
  checkExternalId(config, source);
  try {
    resolveAudit(config.audit, all);
  } catch (err) {
    throw new UsageError(`${source}: audit: ${(err as Error).message}`);
  }
  return config;
}

/** The part of the deploy configuration the handlers read. */
export function runtimeConfig(config: DeployConfig): RuntimeConfig {
  return {
    scope: { ...config.scope, roleName: config.scope.roleName ?? DEFAULT_ROLE_NAME },
    audit: config.audit,
    securityHub: config.securityHub.enabled,
    ...(config.slack.enabled ? { slack: { always: config.slack.always, ...(config.slack.reportUrl ? { reportUrl: config.slack.reportUrl } : {}) } } : {}),
    ...(config.wellArchitected ? { wellArchitected: { workloadId: config.wellArchitected.workloadId, ...(config.wellArchitected.milestone ? { milestone: true } : {}) } } : {}),
    retentionDays: config.retentionDays,
  };
}

/** File name of the runtime configuration inside the Lambda bundle. */
export const RUNTIME_CONFIG_FILE = 'lens-audit.config.json';

/**
 * The runtime configuration: LENS_AUDIT_CONFIG (inline JSON, for local runs), else the file LENS_AUDIT_CONFIG_FILE,
 * else lens-audit.config.json in the Lambda task root.
 */
export function loadRuntimeConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  let text = env.LENS_AUDIT_CONFIG;
  let source = 'LENS_AUDIT_CONFIG';
  if (!text) {
    source = env.LENS_AUDIT_CONFIG_FILE ?? `${env.LAMBDA_TASK_ROOT ?? '.'}/${RUNTIME_CONFIG_FILE}`;
    try {
      text = readFileSync(source, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read the runtime configuration ${source}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${source} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = RuntimeConfigSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(`${source}: ${formatIssue(parsed.error.issues[0]!)}`);
  validateScope(parsed.data.scope, source);
  return parsed.data;
}
