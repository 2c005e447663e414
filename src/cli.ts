// The `audit` command: a thin shell around runAudit.
import { terminalSafe } from './report/terminal.js';
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { ALL_CHECKS } from '../checks/index.js';
import { loadConfig, type Config } from './engine/config.js';
import { NothingAssessedError, UsageError } from './engine/errors.js';
import { readInventory } from './engine/inventory-file.js';
import { DEFAULT_ROLE_NAME } from './engine/organization.js';
import { requiredPolicy } from './engine/permissions.js';
import { KNOWN_REGIONS, parseRegions } from './engine/regions.js';
import { runAudit, type AuditOptions } from './engine/run-audit.js';
import { selectChecks, selectChecksExplained, validateCheckOptions } from './engine/select.js';
import { validateSuppressions } from './engine/suppress.js';
import { TOOL } from './version.js';
import { auditorAccount, deliver, globalFindingsRegion } from './engine/deliver.js';
import { storeHistory } from './engine/history.js';
import { renderAsff } from './report/asff.js';
import { renderChecks } from './report/checks-list.js';
import { csvChunks } from './report/csv.js';
import { ocsfChunks } from './report/ocsf.js';
import { enabledCspmControls, parseCspmControls, splitCspmOverlap } from './engine/cspm-overlap.js';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { ClientFactory } from './aws/clients.js';
import { renderHtml } from './report/html.js';
import { createProgress, renderEndSummary } from './report/progress.js';
import { SLACK_WEBHOOK_ENV, resolveWebhook, webhookSetting } from './sinks/slack.js';
import { isSecretRef } from './sinks/secret-ref.js';
import { DEFAULT_STATE_PATH, StateError, filePostedMarkerBeside, batches, openStore, writeFileAtomic, type FindingRecord } from './state/index.js';
import { SEVERITIES, checkLookup, severityRank, type AuditReport, type Check, type Severity } from './model/index.js';
import { renderJsonChunks } from './report/json.js';
import { jsonChunks } from './report/json-stream.js';
import { renderTable } from './report/table.js';

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

const OUTPUTS = ['table', 'json', 'csv', 'html', 'asff', 'ocsf'] as const;
type OutputFormat = (typeof OUTPUTS)[number];

interface AuditFlags {
  profile?: string;
  regions?: string;
  endpointUrl?: string;
  inventory?: string;
  saveInventory?: string;
  output: OutputFormat;
  out?: string;
  failOn?: Severity;
  config?: string;
  checks?: string;
  skipChecks?: string;
  severity?: Severity;
  metrics?: boolean;
  quiet?: boolean;
  color?: boolean;
  onlyNew?: boolean;
  showPass?: boolean;
  ocsfNdjson?: boolean;
  skipCspmOverlap?: boolean;
  cspmControls?: string;
  store?: string | false;
  securityHub?: boolean;
  securityHubMode?: 'member' | 'central';
  securityHubRegion?: string;
  slackWebhook?: string;
  slackAlways?: boolean;
  org?: boolean;
  ou?: string;
  accounts?: string;
  excludeAccounts?: string;
  roleName?: string;
  externalId?: string;
  accountConcurrency?: string;
}

const list = (v: string | undefined) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);

/** Every stderr line: one line (a suggestion or a value with a line break in it included), terminal-safe (AWS error text and resource names are not trusted). */
function oneLine(message: string): string {
  return terminalSafe(message.trim().replace(/\s*[\r\n]+\s*/g, ' '));
}

/** Fails before the run, so before the history is written, when an output file could not be written after it. */
function assertWritable(path: string | undefined, flag: string): void {
  if (!path) return;
  const dir = dirname(resolve(path));
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  } catch (err) {
    throw new UsageError(`${flag} ${path} cannot be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

function* withNewline(pieces: Iterable<string>): Generator<string> {
  yield* pieces;
  yield '\n';
}

function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command();
  program
    .name('audit')
    .description('Audit deployed serverless resources against the AWS Well-Architected Serverless Applications Lens.')
    .version(TOOL.version, '-V, --version')
    .exitOverride()
    // Options after a subcommand belong to it (`audit checks --output json`).
    .enablePositionalOptions()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s), outputError: (s, write) => write(`audit: ${oneLine(s.replace(/^error: /, ''))}\n`) })
    .showSuggestionAfterError(true)
    .option('--profile <name>', 'AWS profile (SSO, assume-role and credential-process profiles included)')
    .option('--regions <list>', 'comma-separated region codes, or "all" for every region enabled in the account (default: the profile\'s region)')
    .option('--endpoint-url <url>', 'send every AWS call to this endpoint (LocalStack, moto); AWS_ENDPOINT_URL[_SERVICE] also work')
    .option('--inventory <file>', 'evaluate a saved inventory instead of calling AWS')
    .option('--save-inventory <file>', 'save the collected inventory (JSON) for offline re-evaluation')
    .addOption(new Option('--output <format>', 'report format').choices(OUTPUTS).default('table'))
    .option('--out <file>', 'write the report to a file instead of standard output')
    .option('--ocsf-ndjson', 'with --output ocsf: one OCSF record a line (NDJSON) instead of a JSON array')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a failed result is at or above this severity').choices(SEVERITIES))
    .option('--config <file>', 'configuration file (YAML or JSON): checks, options, suppressions, scope')
    .option('--checks <list>', 'run only these check ids or globs (e.g. "lambda.*,logs.no-retention")')
    .option('--skip-checks <list>', 'skip these check ids or globs')
    .option('--skip-cspm-overlap', 'skip the checks whose Security Hub CSPM controls are all enabled (read from Security Hub, or --cspm-controls)')
    .option('--cspm-controls <list>', 'with --skip-cspm-overlap: the enabled CSPM control ids (Lambda.1,SNS.1,...) instead of reading them')
    .addOption(new Option('--severity <severity>', 'run only checks at or above this severity').choices(SEVERITIES))
    .option('--org', 'scan every active account of the AWS Organization (assumes --role-name in each)')
    .option('--ou <ids>', 'with --org: only accounts under these organizational units (nested OUs included)')
    .option('--accounts <ids>', 'scan these account ids (assumes --role-name in each); with --org, a filter')
    .option('--exclude-accounts <ids>', 'never scan these account ids')
    .option('--role-name <name>', `role assumed in member accounts (default ${DEFAULT_ROLE_NAME})`)
    .option('--external-id <id>', 'external id for the member-account role')
    .option('--account-concurrency <n>', 'accounts scanned at once (default: adaptive — 4, and more while the CPU has room)')
    .option('--metrics', 'also run metric-based checks (CloudWatch GetMetricData, billed per metric)')
    .option('--store <target>', `findings history: a file path or dynamodb://TABLE[?region=R] (default ${DEFAULT_STATE_PATH})`)
    .option('--no-store', 'keep no history (nothing is NEW or resolved)')
    .option('--only-new', 'list only findings that are new since the last run')
    .option('--security-hub', 'send the findings to AWS Security Hub (ASFF); resolved ones are archived')
    .addOption(new Option('--security-hub-mode <mode>', 'member: import into each finding\'s account (through its role); central: into the auditor\'s account').choices(['member', 'central']))
    .option('--security-hub-region <region>', 'Security Hub Region of global (IAM, account-wide) findings (default us-east-1; cn-north-1, us-gov-west-1 in those partitions)')
    .option('--slack-webhook <url|ssm:/name|secret:name>', `post a digest of NEW findings to Slack (or set ${SLACK_WEBHOOK_ENV})`)
    .option('--slack-always', 'post a heartbeat line even when nothing is new')
    .option('--show-pass', 'also list passed results in the table')
    .option('--quiet', 'no progress display')
    .option('--no-color', 'no colours in the table')
    .action(async (flags: AuditFlags) => {
      setExit(await audit(flags, io));
    });

  program
    .command('checks')
    .description('list every check: id, severity, pillar, lens question, title')
    .addOption(new Option('--output <format>', 'list format').choices(['table', 'json', 'markdown']).default('table'))
    .action(async (flags: { output: 'table' | 'json' | 'markdown' }) => {
      const listed = renderChecks(ALL_CHECKS, flags.output);
      io.stdout.write(flags.output === 'json' ? listed : terminalSafe(listed, { multiline: true }));
      setExit(0);
    });
  program
    .command('permissions')
    .description('print the minimal read-only IAM policy for the enabled checks (generated from what the collectors call)')
    .option('--config <file>', 'configuration file (enabled checks)')
    .option('--checks <list>', 'only these check ids or globs')
    .option('--metrics', 'include the metric-based checks')
    .option('--org', 'include the Organizations calls made in the calling account')
    .action(async (flags: { config?: string; checks?: string; metrics?: boolean; org?: boolean }) => {
      const config: Config = flags.config ? loadConfig(flags.config) : {};
      const checks = selectChecks({ all: ALL_CHECKS, only: list(flags.checks), enable: config.checks?.enabled, disable: config.checks?.disabled, metrics: flags.metrics ?? config.metrics });
      io.stdout.write(`${JSON.stringify(requiredPolicy(checks, { metrics: flags.metrics ?? config.metrics, org: flags.org }), null, 2)}\n`);
      setExit(0);
    });
  return program;
}

/** --skip-cspm-overlap (src/engine/cspm-overlap.ts): a list that cannot be read skips nothing, with one warning. */
async function skipCspmOverlap(checks: Check[], flags: AuditFlags, regions: unknown, io: Io): Promise<Check[]> {
  if (!flags.skipCspmOverlap) {
    if (flags.cspmControls !== undefined) throw new UsageError('--cspm-controls needs --skip-cspm-overlap');
    return checks;
  }
  let enabled: Set<string>;
  if (flags.cspmControls !== undefined) {
    try {
      enabled = parseCspmControls(list(flags.cspmControls) ?? []);
    } catch (err) {
      throw new UsageError(`--cspm-controls: ${(err as Error).message}`);
    }
  } else if (flags.inventory) {
    throw new UsageError('--skip-cspm-overlap with --inventory needs --cspm-controls (the enabled controls cannot be read offline)');
  } else {
    const home = Array.isArray(regions) && typeof regions[0] === 'string' ? regions[0] : io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? 'us-east-1';
    try {
      enabled = await enabledCspmControls(new ClientFactory({ profile: flags.profile, endpoint: flags.endpointUrl }).get(SecurityHubClient, home));
    } catch (err) {
      io.stderr.write(`audit: warning: ${oneLine(`could not read the enabled Security Hub CSPM standards in ${home} (${(err as { name?: string }).name ?? 'Error'}): no check skipped`)}\n`);
      return checks;
    }
  }
  const { keep, skipped } = splitCspmOverlap(checks, enabled);
  if (skipped.length > 0 && !flags.quiet) io.stderr.write(`audit: skipped ${skipped.length} checks Security Hub CSPM already runs: ${skipped.map((s) => `${s.check.id} (${s.controls.join(', ')})`).join(', ')}\n`);
  if (keep.length === 0) throw new UsageError('no check left after --skip-cspm-overlap');
  return keep;
}

async function audit(flags: AuditFlags, io: Io): Promise<number> {
  const config: Config = flags.config ? loadConfig(flags.config) : {};
  const checkOptions = validateCheckOptions(ALL_CHECKS, config.checks?.options);
  const suppressions = config.suppressions ?? [];
  validateSuppressions(ALL_CHECKS, suppressions);
  const selection = selectChecksExplained({
    all: ALL_CHECKS,
    only: list(flags.checks),
    skip: list(flags.skipChecks),
    enable: config.checks?.enabled,
    disable: config.checks?.disabled,
    minSeverity: flags.severity ?? config.checks?.minSeverity,
    metrics: flags.metrics ?? config.metrics ?? false,
  });
  let checks = selection.checks;
  const skipped = selection.skipped;
  if (checks.length === 0) throw new UsageError('no check selected (see --checks, --skip-checks, --severity)');
  const regions = parseRegions(flags.regions ?? (config.scope?.regions as string[] | 'all' | undefined));
  checks = await skipCspmOverlap(checks, flags, regions, io);
  const failOn = flags.failOn ?? config.failOn;

  const options: AuditOptions = {
    checks,
    checkOptions,
    suppressions,
    metrics: flags.metrics ?? config.metrics ?? false,
    skipped,
    keepInventory: Boolean(flags.saveInventory),
    // Warnings (a collector that crashed, passes that could not go to disk) on stderr, one line each.
    log: {
      debug() {},
      info() {},
      warn: (msg) => void io.stderr.write(`audit: warning: ${oneLine(msg)}\n`),
      error: (msg) => void io.stderr.write(`audit: ${oneLine(msg)}\n`),
    },
  };
  // Operators' knob (and the tests'): results held in memory before a large run's passes go to disk.
  const spillAbove = io.env.LENS_AUDIT_SPILL_ABOVE;
  if (spillAbove !== undefined && spillAbove !== '') {
    if (!/^\d+$/.test(spillAbove)) throw new UsageError(`LENS_AUDIT_SPILL_ABOVE must be a whole number of results, got ${JSON.stringify(spillAbove)}`);
    options.spillPassAbove = Number(spillAbove);
  }
  if (flags.inventory) {
    if (flags.profile || flags.regions || flags.endpointUrl) throw new UsageError('--inventory evaluates a saved inventory: it cannot be combined with --profile, --regions or --endpoint-url');
    options.inventory = readInventory(flags.inventory);
  } else {
    options.aws = { profile: flags.profile, endpoint: flags.endpointUrl };
    if (flags.accountConcurrency !== undefined) {
      const n = Number(flags.accountConcurrency);
      if (!Number.isInteger(n) || n < 1 || n > 1000) throw new UsageError(`--account-concurrency must be a whole number from 1 to 1000, got ${JSON.stringify(flags.accountConcurrency)}`);
      options.accountConcurrency = n;
    }
    options.regions = regions;
    const accounts = list(flags.accounts) ?? config.scope?.accounts;
    const org = flags.org ?? config.scope?.org ?? false;
    if (org || (accounts && accounts.length > 0)) {
      options.organization = {
        org,
        ous: list(flags.ou) ?? config.scope?.ous,
        accounts,
        excludeAccounts: list(flags.excludeAccounts) ?? config.scope?.excludeAccounts,
        roleName: flags.roleName ?? config.scope?.roleName,
        externalId: flags.externalId ?? config.scope?.externalId,
      };
    } else if (flags.ou || flags.excludeAccounts) {
      throw new UsageError('--ou and --exclude-accounts need --org or --accounts');
    }
  }

  const slackWebhook = webhookSetting(flags.slackWebhook ?? config.slack?.webhook, io.env);
  // Bad usage found before the run and before the history is opened: a webhook setting that is no URL (references
  // are resolved when posting), an output file that could not be written.
  if (slackWebhook && !isSecretRef(slackWebhook)) {
    const hook = await resolveWebhook(slackWebhook);
    if (hook.error) throw new UsageError(hook.error.message);
  }
  const outFile = flags.out ?? (flags.output === 'html' ? 'lens-audit-report.html' : undefined);
  assertWritable(outFile, '--out');
  assertWritable(flags.saveInventory, '--save-inventory');

  // History: the file store by default; --no-store keeps none. A store that cannot be read fails the run before any
  // AWS call, and nothing is written to it unless the whole run succeeded.
  const storeTarget = flags.store === false ? undefined : (flags.store ?? config.store ?? DEFAULT_STATE_PATH);
  const store = storeTarget ? openStore(storeTarget, { aws: { profile: flags.profile, endpoint: flags.endpointUrl } }) : undefined;
  if (store) {
    options.history = storeHistory(store);
    await store.load({ accountIds: [], runId: 'probe', now: new Date() });
  }
  const securityHub = flags.securityHub ?? config.securityHub?.enabled ?? false;
  if ((slackWebhook || securityHub) && !store) throw new UsageError('--slack-webhook and --security-hub need a findings history (drop --no-store)');
  // Security Hub's target (what is sent and what --output asff prints): the mode, the auditor account, and one fixed
  // Region for global findings, whatever --regions says.
  const shMode = flags.securityHubMode ?? config.securityHub?.mode ?? 'member';
  const shRegionSetting = flags.securityHubRegion ?? config.securityHub?.homeRegion;
  if (shRegionSetting !== undefined && !(KNOWN_REGIONS as readonly string[]).includes(shRegionSetting)) {
    throw new UsageError(`Security Hub Region: unknown region ${JSON.stringify(shRegionSetting)} (use one region code, e.g. us-east-1)`);
  }
  // Over a saved inventory the auditor is whoever the credentials are: asked now, before anything is stored.
  let auditor = flags.inventory && (securityHub || (flags.output === 'asff' && shMode === 'central')) ? await auditorAccount({}, shRegionSetting ?? globalFindingsRegion(options.inventory?.accounts[0]?.partition)) : undefined;

  const progress = createProgress({ enabled: Boolean(io.stderr.isTTY) && !flags.quiet && !flags.inventory, stream: io.stderr as NodeJS.WriteStream });
  options.progress = progress;
  let outcome: Awaited<ReturnType<typeof runAudit>>;
  try {
    outcome = await runAudit(options);
  } finally {
    store?.close();
  }
  const { report, inventory, expiredSuppressions } = outcome;
  for (const s of expiredSuppressions) io.stderr.write(`audit: ${oneLine(`suppression expired on ${s.expires} and no longer applies: ${s.check} ${s.resource} (${s.reason})`)}\n`);
  // Pieces (down to each resource): an organization's inventory can be longer than one JavaScript string.
  if (flags.saveInventory && inventory) writeFileAtomic(flags.saveInventory, withNewline(jsonChunks(inventory, 0, 7)));

  auditor ??= outcome.auditor?.accountId;
  const partition = outcome.auditor?.partition ?? options.inventory?.accounts[0]?.partition;
  const shRegion = globalFindingsRegion(partition, shRegionSetting);
  if (securityHub || slackWebhook) {
    // Where ssm:/secret: webhook references are read: the first region of the run.
    const homeRegion = Array.isArray(options.regions) ? options.regions[0]! : report.scope.regions[0] ?? 'us-east-1';
    const delivered = await deliver(outcome, checks, {
      ...(securityHub
        ? { securityHub: { mode: shMode, aws: options.aws ?? {}, callerAccountId: auditor ?? '', roleName: options.organization?.roleName, externalId: options.organization?.externalId, ...(partition ? { partition } : {}), homeRegion: shRegion } }
        : {}),
      ...(slackWebhook
        ? { slack: { webhook: slackWebhook, always: flags.slackAlways ?? config.slack?.always, reportUrl: config.slack?.reportUrl ?? flags.out, postedMarker: filePostedMarkerBeside(storeTarget!), aws: options.aws, region: homeRegion } }
        : {}),
    });
    report.errors.push(...delivered.errors);
    if (delivered.securityHub && !flags.quiet) io.stderr.write(`audit: Security Hub: ${delivered.securityHub.imported} imported, ${delivered.securityHub.archived} archived, ${delivered.securityHub.failed} failed\n`);
  }

  // The same account and Region as the sink's (deliver above).
  const asff = { resolved: outcome.diff?.resolved, globalRegion: shRegion, ...(shMode === 'central' && auditor ? { centralAccountId: auditor } : {}) };
  const text = render(report, { ...flags, out: outFile }, io, asff);
  if (outFile) {
    writeFileAtomic(outFile, text);
    if (!flags.quiet) io.stderr.write(renderEndSummary(report, { reportPath: outFile, color: Boolean(io.stderr.isTTY) && flags.color !== false }));
  } else if (typeof text === 'string') io.stdout.write(text);
  else for (const batch of batches(text)) io.stdout.write(batch);
  // A large run's passes were on disk until the report was written.
  report.passSpill?.dispose();

  if (failOn) {
    const hit = report.results.some((r) => r.status === 'FAIL' && !r.suppressed && severityRank(r.severity) >= severityRank(failOn));
    if (hit) return 1;
  }
  return 0;
}

function render(report: AuditReport, flags: AuditFlags, io: Io, asff: { resolved?: FindingRecord[]; centralAccountId?: string; globalRegion?: string } = {}): string | Iterable<string> {
  const lookup = checkLookup(ALL_CHECKS);
  switch (flags.output) {
    // In pieces: an organization-wide JSON or CSV can be longer than one JavaScript string.
    case 'json':
      return renderJsonChunks(report);
    case 'csv':
      return csvChunks(report);
    case 'html':
      return renderHtml(report, { checkInfo: lookup });
    case 'ocsf':
      return ocsfChunks(report, { checkFor: lookup, ndjson: flags.ocsfNdjson });
    case 'asff':
      // Exactly what --security-hub would send: this run's findings plus the resolved ones, archived.
      return renderAsff(report.results, { now: new Date(report.finishedAt), checkFor: lookup, ...asff });
    case 'table': {
      const tty = Boolean(io.stdout.isTTY) && !flags.out;
      return renderTable(report, { color: tty && flags.color !== false && !io.env.NO_COLOR, width: tty ? io.stdout.columns : undefined, onlyNew: flags.onlyNew, showPass: flags.showPass });
    }
  }
}

/** Runs the CLI; returns the exit code. Never throws, never prints a stack trace (unless LENS_AUDIT_DEBUG=1). */
export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  // The SDK's Node 20 end-of-support notice would print on every run; the README states the Node versions instead.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; every parse error is bad usage.
      return err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2;
    }
    const debug = io.env.LENS_AUDIT_DEBUG === '1';
    if (err instanceof UsageError || err instanceof StateError) {
      io.stderr.write(`audit: ${oneLine(err.message)}\n`);
      return 2;
    }
    if (err instanceof NothingAssessedError) {
      io.stderr.write(`audit: ${oneLine(err.message)}\n`);
      return 3;
    }
    io.stderr.write(`audit: ${oneLine(String((err as Error)?.message ?? err))}\n`);
    if (debug) io.stderr.write(`${terminalSafe((err as Error)?.stack ?? '', { multiline: true })}\n`);
    return 3;
  }
}

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

