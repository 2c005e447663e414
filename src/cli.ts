// The `audit` command: a thin shell around runAudit.
import { terminalSafe } from './report/terminal.js';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { ALL_CHECKS } from '../checks/index.js';
import { loadConfig, type Config } from './engine/config.js';
import { NothingAssessedError, UsageError } from './engine/errors.js';
import { readInventory } from './engine/inventory-file.js';
import { DEFAULT_ROLE_NAME } from './engine/organization.js';
import { requiredPolicy } from './engine/permissions.js';
import { assertRegion, newRegionWarnings, parseRegions } from './engine/regions.js';
import { didYouMean } from './engine/suggest.js';
import { deferSave } from './cli/history.js';
import { OUTPUT_FORMATS, OutputError, assertWritable, assertWritableDir, parseOutputs, planOutputs, writeOutput, type OutputTarget } from './cli/outputs.js';
import { render, type RenderContext } from './cli/render.js';
import { runAudit, type AuditOptions } from './engine/run-audit.js';
import { selectChecks, selectChecksExplained, validateCheckOptions, type SkippedCheck } from './engine/select.js';
import { validateSuppressions } from './engine/suppress.js';
import { TOOL } from './version.js';
import { auditorAccount, deliver, globalFindingsRegion, hasPending } from './engine/deliver.js';
import { storeHistory } from './engine/history.js';
import { renderChecks } from './report/checks-list.js';
import { enabledCspmControls, parseCspmControls, splitCspmOverlap } from './engine/cspm-overlap.js';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { ClientFactory } from './aws/clients.js';
import { createProgress, renderEndSummary } from './report/progress.js';
import { SLACK_WEBHOOK_ENV, resolveWebhook, webhookSetting } from './sinks/slack.js';
import { isSecretRef } from './sinks/secret-ref.js';
import { DEFAULT_STATE_PATH, StateError, filePostedMarkerBeside, batches, openStore } from './state/index.js';
import { SEVERITIES, checkLookup, severityRank, type AuditReport, type Check, type Severity, type Status } from './model/index.js';
import type { AuditOutcome } from './engine/run-audit.js';
import { jsonChunks } from './report/json-stream.js';

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

interface AuditFlags {
  profile?: string;
  regions?: string;
  region?: string;
  endpointUrl?: string;
  inventory?: string;
  saveInventory?: string;
  output: string;
  out?: string;
  outDir?: string;
  status?: Status[];
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

/** Exit code of a run whose report or inventory could not be written (the history is then left unchanged). */
export const EXIT_OUTPUT_FAILED = 4;
/** Exit code of a run whose findings a sink (Security Hub, Slack) did not all take: kept in the history, delivered by the next run. */
export const EXIT_DELIVERY_PENDING = 5;

const list = (v: string | undefined) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);

/** `--checks ''` would silently mean "every check": refused, as is any list flag given with nothing in it. */
function nonEmptyList(v: string | undefined, flag: string): string[] | undefined {
  if (v === undefined) return undefined;
  const l = list(v);
  if (!l || l.length === 0) throw new UsageError(`${flag} is empty: give one or more ids (or drop the flag)`);
  return l;
}

/** Severities and statuses are taken in any case (`--fail-on high`), with a suggestion for a typo. */
function choiceParser<T extends string>(flag: string, allowed: readonly T[]): (value: string) => T {
  return (value) => {
    const v = value.trim().toUpperCase().replace(/[ -]/g, '_');
    if ((allowed as readonly string[]).includes(v)) return v as T;
    throw new UsageError(`${flag}: unknown value ${JSON.stringify(value)}${didYouMean(v, allowed)} (one of ${allowed.join(', ')})`);
  };
}
const STATUSES: readonly Status[] = ['FAIL', 'PASS', 'NOT_ASSESSED'];
const statusListParser = (value: string): Status[] => {
  const one = choiceParser('--status', STATUSES);
  const names = value.split(',').map((s) => s.trim());
  if (names.some((n) => n === '')) throw new UsageError(`--status ${JSON.stringify(value)}: empty status (one or more of ${STATUSES.join(', ')})`);
  return [...new Set(names.map(one))];
};

/** Every stderr line: one line (a suggestion or a value with a line break in it included), terminal-safe (AWS error text and resource names are not trusted). */
function oneLine(message: string): string {
  return terminalSafe(message.trim().replace(/\s*[\r\n]+\s*/g, ' '));
}

function* withNewline(pieces: Iterable<string>): Generator<string> {
  yield* pieces;
  yield '\n';
}

/** Standard output that a reader may close (`| head`): from then on nothing more is written, and the run ends normally. */
interface Stdout {
  write(text: string | Iterable<string>): void;
  readonly closed: boolean;
}

function stdoutOf(io: Io): Stdout {
  let closed = false;
  let failure: Error | undefined;
  const stream = io.stdout as NodeJS.WritableStream & { on?: NodeJS.WritableStream['on'] };
  stream.on?.('error', (err: NodeJS.ErrnoException) => {
    // EPIPE: the reader went away. Anything else (a full disk behind a redirect) is an output failure.
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') closed = true;
    else failure ??= err;
  });
  return {
    get closed() {
      return closed;
    },
    write(text) {
      for (const piece of typeof text === 'string' ? [text] : batches(text)) {
        if (failure) throw new OutputError(`standard output could not be written (${(failure as NodeJS.ErrnoException).code ?? failure.message})`);
        if (closed) return;
        try {
          io.stdout.write(piece);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EPIPE') closed = true;
          else throw new OutputError(`standard output could not be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
        }
      }
    },
  };
}

function buildProgram(io: Io, out: Stdout, setExit: (code: number) => void): Command {
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
    .option('--regions <list>', 'comma-separated region codes, or "all" for every region enabled in the account (default: AWS_REGION, AWS_DEFAULT_REGION, the profile\'s region)')
    .option('--region <list>', 'the same as --regions (the AWS CLI\'s spelling)')
    .option('--endpoint-url <url>', 'send every AWS call to this endpoint (LocalStack, moto); AWS_ENDPOINT_URL[_SERVICE] also work')
    .option('--inventory <file>', 'evaluate a saved inventory instead of calling AWS')
    .option('--save-inventory <file>', 'save the collected inventory (JSON) for offline re-evaluation')
    .option('--output <formats>', `report formats, comma-separated: ${OUTPUT_FORMATS.join(', ')}`, 'table')
    .option('--out <file>', 'write the report to a file instead of standard output (one format)')
    .option('--out-dir <dir>', 'write every --output format to its own file in this directory (lens-audit-report.json, .csv, .html, ...)')
    .option('--status <list>', 'list only results of these statuses: FAIL, PASS, NOT_ASSESSED (the summary keeps every count)', statusListParser)
    .option('--ocsf-ndjson', 'with --output ocsf: one OCSF record a line (NDJSON) instead of a JSON array')
    .option('--fail-on <severity>', `exit 1 when a failed result is at or above this severity (${SEVERITIES.join(', ')})`, choiceParser('--fail-on', SEVERITIES))
    .option('--config <file>', 'configuration file (YAML or JSON): checks, options, suppressions, scope')
    .option('--checks <list>', 'run only these check ids or globs (e.g. "lambda.*,logs.no-retention")')
    .option('--skip-checks <list>', 'skip these check ids or globs')
    .option('--skip-cspm-overlap', 'skip the checks whose Security Hub CSPM controls are all enabled (read from Security Hub, or --cspm-controls)')
    .option('--cspm-controls <list>', 'with --skip-cspm-overlap: the enabled CSPM control ids (Lambda.1,SNS.1,...) instead of reading them')
    .option('--severity <severity>', `run only checks at or above this severity (${SEVERITIES.join(', ')})`, choiceParser('--severity', SEVERITIES))
    .option('--org', 'scan every active account of the AWS Organization (assumes --role-name in each)')
    .option('--ou <ids>', 'with --org: only accounts under these organizational units (nested OUs included)')
    .option('--accounts <ids>', 'scan these account ids (assumes --role-name in each); with --org, a filter')
    .option('--exclude-accounts <ids>', 'never scan these account ids')
    .option('--role-name <name>', `role assumed in member accounts (default ${DEFAULT_ROLE_NAME})`)
    .option('--external-id <id>', 'external id for the member-account role')
    .option('--account-concurrency <n>', 'accounts scanned at once (default: adaptive — 4, and more while the CPU has room)')
    .option('--metrics', 'also run metric-based checks (CloudWatch GetMetricData, billed per metric)')
    .option('--store <target>', `findings history: a file path or dynamodb://TABLE[?region=R] (default ${DEFAULT_STATE_PATH}; none over --inventory)`)
    .option('--no-store', 'keep no history (nothing is NEW or resolved)')
    .option('--only-new', 'list only findings that are new since the last run, in every format (the summary keeps every count)')
    .option('--security-hub', 'send the findings to AWS Security Hub (ASFF); resolved ones are archived')
    .addOption(new Option('--security-hub-mode <mode>', 'member: import into each finding\'s account (through its role); central: into the auditor\'s account').choices(['member', 'central']))
    .option('--security-hub-region <region>', 'Security Hub Region of global (IAM, account-wide) findings (default us-east-1; cn-north-1, us-gov-west-1 in those partitions)')
    .option('--slack-webhook <url|ssm:/name|secret:name>', `post a digest of NEW findings to Slack (or set ${SLACK_WEBHOOK_ENV})`)
    .option('--slack-always', 'post a heartbeat line even when nothing is new')
    .option('--show-pass', 'also list passed results in the table')
    .option('--quiet', 'no progress display')
    .option('--no-color', 'no colours in the table')
    .action(async (flags: AuditFlags) => {
      setExit(await audit(flags, io, out));
    });

  program
    .command('checks')
    .description('list every check: id, severity, pillar, lens question, title')
    .addOption(new Option('--output <format>', 'list format').choices(['table', 'json', 'markdown']).default('table'))
    .action(async (flags: { output: 'table' | 'json' | 'markdown' }) => {
      const listed = renderChecks(ALL_CHECKS, flags.output);
      out.write(flags.output === 'json' ? listed : terminalSafe(listed, { multiline: true }));
      setExit(0);
    });
  program
    .command('permissions')
    .description('print the minimal read-only IAM policy for the enabled checks (generated from what the collectors call)')
    .option('--config <file>', 'configuration file (enabled checks)')
    .option('--checks <list>', 'only these check ids or globs')
    .option('--metrics', 'include the metric-based checks')
    .option('--org', 'include the Organizations calls made in the calling account')
    .addOption(new Option('--partition <partition>', 'the ARN partition of the accounts the policy is for').choices(['aws', 'aws-cn', 'aws-us-gov']).default('aws'))
    .action(async (flags: { config?: string; checks?: string; metrics?: boolean; org?: boolean; partition: string }) => {
      const config: Config = flags.config ? loadConfig(flags.config) : {};
      const checks = selectChecks({ all: ALL_CHECKS, only: list(flags.checks), enable: config.checks?.enabled, disable: config.checks?.disabled, metrics: flags.metrics ?? config.metrics });
      out.write(`${JSON.stringify(requiredPolicy(checks, { metrics: flags.metrics ?? config.metrics, org: flags.org, partition: flags.partition }), null, 2)}\n`);
      setExit(0);
    });
  return program;
}

/** --skip-cspm-overlap (src/engine/cspm-overlap.ts): a list that cannot be read skips nothing, with one warning. */
async function skipCspmOverlap(checks: Check[], flags: AuditFlags, regions: unknown, io: Io): Promise<{ keep: Check[]; skipped: SkippedCheck[] }> {
  if (!flags.skipCspmOverlap) {
    if (flags.cspmControls !== undefined) throw new UsageError('--cspm-controls needs --skip-cspm-overlap');
    return { keep: checks, skipped: [] };
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
      return { keep: checks, skipped: [] };
    }
  }
  const { keep, skipped } = splitCspmOverlap(checks, enabled);
  if (skipped.length > 0 && !flags.quiet) io.stderr.write(`audit: skipped ${skipped.length} checks Security Hub CSPM already runs: ${skipped.map((s) => `${s.check.id} (${s.controls.join(', ')})`).join(', ')}\n`);
  if (keep.length === 0) throw new UsageError('no check left after --skip-cspm-overlap');
  return { keep, skipped: skipped.map((s) => ({ checkId: s.check.id, reason: 'covered by Security Hub CSPM' as const })) };
}

/** Flags that only mean something to a live scan: refused over a saved inventory instead of silently ignored. */
const LIVE_ONLY_FLAGS: [keyof AuditFlags, string][] = [
  ['profile', '--profile'], ['regions', '--regions'], ['region', '--region'], ['endpointUrl', '--endpoint-url'], ['org', '--org'], ['ou', '--ou'],
  ['accounts', '--accounts'], ['excludeAccounts', '--exclude-accounts'], ['roleName', '--role-name'], ['externalId', '--external-id'],
  ['accountConcurrency', '--account-concurrency'],
];

async function audit(flags: AuditFlags, io: Io, stdout: Stdout): Promise<number> {
  const config: Config = flags.config ? loadConfig(flags.config) : {};
  const formats = parseOutputs(flags.output);
  const targets = planOutputs(formats, { out: flags.out, outDir: flags.outDir, ocsfNdjson: flags.ocsfNdjson });
  if (flags.ocsfNdjson && !formats.includes('ocsf')) throw new UsageError('--ocsf-ndjson needs --output ocsf');
  if (flags.region !== undefined && flags.regions !== undefined) throw new UsageError('--region and --regions are the same flag: give one');
  const regionsFlag = flags.regions ?? flags.region;
  if (flags.inventory) {
    const live = LIVE_ONLY_FLAGS.filter(([k]) => flags[k] !== undefined).map(([, f]) => f);
    if (live.length > 0) throw new UsageError(`--inventory evaluates a saved inventory: ${live.join(', ')} ${live.length === 1 ? 'is' : 'are'} for live scans and would be ignored`);
  }
  const checkOptions = validateCheckOptions(ALL_CHECKS, config.checks?.options);
  const suppressions = config.suppressions ?? [];
  validateSuppressions(ALL_CHECKS, suppressions);
  const selection = selectChecksExplained({
    all: ALL_CHECKS,
    only: nonEmptyList(flags.checks, '--checks'),
    skip: nonEmptyList(flags.skipChecks, '--skip-checks'),
    enable: config.checks?.enabled,
    disable: config.checks?.disabled,
    minSeverity: flags.severity ?? config.checks?.minSeverity,
    metrics: flags.metrics ?? config.metrics ?? false,
  });
  let checks = selection.checks;
  const skipped = [...selection.skipped];
  if (checks.length === 0) throw new UsageError('no check selected (see --checks, --skip-checks, --severity)');
  const regions = parseRegions(regionsFlag ?? (config.scope?.regions as string[] | 'all' | undefined));
  const overlap = await skipCspmOverlap(checks, flags, regions, io);
  checks = overlap.keep;
  // In registry order, as the other skipped checks are.
  if (overlap.skipped.length > 0) {
    const order = new Map(ALL_CHECKS.map((c, i) => [c.id, i]));
    skipped.push(...overlap.skipped);
    skipped.sort((a, b) => order.get(a.checkId)! - order.get(b.checkId)!);
  }
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
    options.inventory = readInventory(flags.inventory);
  } else {
    options.aws = { profile: flags.profile, endpoint: flags.endpointUrl };
    if (flags.accountConcurrency !== undefined) {
      const n = Number(flags.accountConcurrency);
      if (!Number.isInteger(n) || n < 1 || n > 1000) throw new UsageError(`--account-concurrency must be a whole number from 1 to 1000, got ${JSON.stringify(flags.accountConcurrency)}`);
      options.accountConcurrency = n;
    }
    options.regions = regions;
    if (Array.isArray(regions)) for (const w of newRegionWarnings(regions)) io.stderr.write(`audit: warning: ${oneLine(w)}\n`);
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
  // are resolved when posting), an output, inventory or history file that could not be written.
  if (slackWebhook && !isSecretRef(slackWebhook)) {
    const hook = await resolveWebhook(slackWebhook);
    if (hook.error) throw new UsageError(hook.error.message);
  }
  assertWritableDir(flags.outDir);
  for (const t of targets) assertWritable(t.path, flags.outDir !== undefined ? '--out-dir' : '--out');
  assertWritable(flags.saveInventory, '--save-inventory');

  // History: the file store by default for live scans; --no-store keeps none; an offline run over --inventory keeps
  // none unless a store is named. A store that cannot be read or written fails the run before any AWS call.
  const storeTarget = flags.store === false ? undefined : (flags.store ?? config.store ?? (flags.inventory ? undefined : DEFAULT_STATE_PATH));
  if (storeTarget && !storeTarget.startsWith('dynamodb://')) assertWritable(storeTarget, '--store');
  const opened = storeTarget ? openStore(storeTarget, { aws: { profile: flags.profile, endpoint: flags.endpointUrl } }) : undefined;
  const store = opened ? deferSave(opened) : undefined;
  try {
    return await auditWithStore();
  } finally {
    await store?.release();
    opened?.close();
  }

  async function auditWithStore(): Promise<number> {
    if (store) {
      options.history = storeHistory(store);
      await store.load({ accountIds: [], runId: 'probe', now: new Date() });
    }
    const securityHub = flags.securityHub ?? config.securityHub?.enabled ?? false;
    if ((slackWebhook || securityHub) && !store) throw new UsageError('--slack-webhook and --security-hub need a findings history (drop --no-store, or name one with --store)');
    // Security Hub's target (what is sent and what --output asff prints): the mode, the auditor account, and one fixed
    // Region for global findings, whatever --regions says.
    const shMode = flags.securityHubMode ?? config.securityHub?.mode ?? 'member';
    const shRegionSetting = flags.securityHubRegion ?? config.securityHub?.homeRegion;
    if (shRegionSetting !== undefined) assertRegion(shRegionSetting, 'Security Hub Region');
    // Over a saved inventory the auditor is whoever the credentials are: asked now, before anything is stored.
    let auditor = flags.inventory && (securityHub || (formats.includes('asff') && shMode === 'central')) ? await auditorAccount({}, shRegionSetting ?? globalFindingsRegion(options.inventory?.accounts[0]?.partition)) : undefined;

    const progress = createProgress({ enabled: Boolean(io.stderr.isTTY) && !flags.quiet && !flags.inventory, stream: io.stderr as NodeJS.WriteStream });
    options.progress = progress;
    let outcome: AuditOutcome;
    let nothing: NothingAssessedError | undefined;
    try {
      outcome = await runAudit(options);
    } catch (err) {
      // Every region failed: the report is still written, with all its errors; the history is not touched; exit 3.
      if (!(err instanceof NothingAssessedError) || err.report === undefined) throw err;
      nothing = err;
      outcome = err.report as AuditOutcome;
    }
    const { report, inventory, expiredSuppressions } = outcome;
    for (const s of expiredSuppressions) io.stderr.write(`audit: ${oneLine(`suppression expired on ${s.expires} and no longer applies: ${s.check} ${s.resource} (${s.reason})`)}\n`);

    auditor ??= outcome.auditor?.accountId;
    const partition = outcome.auditor?.partition ?? options.inventory?.accounts[0]?.partition;
    const shRegion = globalFindingsRegion(partition, shRegionSetting);
    const htmlTarget = targets.find((t) => t.format === 'html')?.path;
    const tty = Boolean(io.stdout.isTTY);
    const ctx: RenderContext = {
      checkFor: checkLookup(ALL_CHECKS),
      filter: { onlyNew: flags.onlyNew, status: flags.status },
      // The same account and Region as the sink's (deliver below).
      asff: { resolved: outcome.diff?.resolved, globalRegion: shRegion, ...(shMode === 'central' && auditor ? { centralAccountId: auditor } : {}) },
      ocsfNdjson: flags.ocsfNdjson,
      table: { color: tty && flags.color !== false && !io.env.NO_COLOR, showPass: flags.showPass },
      ...(htmlTarget ? { reportUrl: htmlTarget } : {}),
    };

    // Reports first (the saved inventory, then each format), then the history, then the sinks: a report that cannot
    // be written leaves the history as it was (exit 4), so nothing found in this run is lost to the next one.
    const failures: string[] = [];
    const written: string[] = [];
    if (flags.saveInventory && inventory) {
      try {
        // Pieces (down to each resource): an organization's inventory can be longer than one JavaScript string.
        writeOutput(flags.saveInventory, withNewline(jsonChunks(inventory, 0, 7)));
      } catch (err) {
        failures.push((err as Error).message);
      }
    }
    for (const t of targets) {
      try {
        writeTarget(t);
      } catch (err) {
        if (!(err instanceof OutputError)) throw err;
        failures.push(err.message);
      }
    }
    // A large run's passes were on disk until the reports were written.
    report.passSpill?.dispose();
    if (!flags.quiet && written.length > 0) {
      io.stderr.write(renderEndSummary(report, { reportPath: written, color: Boolean(io.stderr.isTTY) && flags.color !== false }));
    }
    if (nothing) {
      io.stderr.write(`audit: ${oneLine(nothing.message)}\n`);
      for (const f of failures) io.stderr.write(`audit: ${oneLine(f)}\n`);
      return 3;
    }
    if (failures.length > 0) {
      for (const f of failures) io.stderr.write(`audit: ${oneLine(f)}\n`);
      if (store?.pending) io.stderr.write(`audit: the history (${oneLine(store.location)}) was not updated: the next run reports the same changes\n`);
      return EXIT_OUTPUT_FAILED;
    }
    await store?.commit();

    if (securityHub || slackWebhook) {
      // Where ssm:/secret: webhook references are read: the first region of the run.
      const homeRegion = Array.isArray(options.regions) ? options.regions[0]! : report.scope.regions[0] ?? 'us-east-1';
      const delivered = await deliver({ runId: report.runId, finishedAt: report.finishedAt, scope: report.scope, results: report.results, ...(outcome.diff ? { diff: outcome.diff } : {}), counts: report.summary }, {
        checkFor: ctx.checkFor,
        ...(store ? { store } : {}),
        ...(securityHub
          ? { securityHub: { mode: shMode, aws: options.aws ?? {}, callerAccountId: auditor ?? '', roleName: options.organization?.roleName, externalId: options.organization?.externalId, ...(partition ? { partition } : {}), homeRegion: shRegion } }
          : {}),
        ...(slackWebhook
          ? { slack: { webhook: slackWebhook, always: flags.slackAlways ?? config.slack?.always, reportUrl: config.slack?.reportUrl ?? htmlTarget ?? flags.out, postedMarker: filePostedMarkerBeside(storeTarget!), aws: options.aws, region: homeRegion } }
          : {}),
      });
      for (const e of delivered.errors) io.stderr.write(`audit: ${oneLine(`${e.service}: ${e.code}: ${e.message}`)}\n`);
      if (delivered.securityHub && !flags.quiet) {
        const sh = delivered.securityHub;
        io.stderr.write(`audit: Security Hub: ${sh.imported} imported, ${sh.archived} archived, ${sh.unchanged} unchanged (not sent), ${sh.failed} failed\n`);
      }
      // Something a sink did not take is owed to the next run: exit 5 (before --fail-on's 1: an outage must be seen).
      if (hasPending(delivered.pending)) return EXIT_DELIVERY_PENDING;
    }

    if (failOn) {
      const hit = report.results.some((r) => r.status === 'FAIL' && !r.suppressed && severityRank(r.severity) >= severityRank(failOn));
      if (hit) return 1;
    }
    return 0;

    function writeTarget(t: OutputTarget): void {
      // The table is sized and coloured only for a terminal; in a file it is plain.
      const tableCtx = t.path === undefined ? { ...ctx.table, width: tty ? io.stdout.columns : undefined } : { ...ctx.table, color: false };
      const text = render(t.format, report, { ...ctx, table: tableCtx });
      if (t.path === undefined) stdout.write(text);
      else {
        writeOutput(t.path, text);
        written.push(t.path);
      }
    }
  }
}

/** Runs the CLI; returns the exit code. Never throws, never prints a stack trace (unless LENS_AUDIT_DEBUG=1). */
export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  // The SDK's Node 20 end-of-support notice would print on every run; the README states the Node versions instead.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let code = 0;
  const program = buildProgram(io, stdoutOf(io), (c) => (code = c));
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
    if (err instanceof OutputError) {
      io.stderr.write(`audit: ${oneLine(err.message)}\n`);
      return EXIT_OUTPUT_FAILED;
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

