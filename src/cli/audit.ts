// `audit` (the scan): flags → engine options, the run, then reports, history and sinks in that order. Loaded only when
// a scan runs (src/cli.ts imports it on demand), so that --help, --version and `audit checks` never load the AWS SDK.
import { loadConfig, overlayConfig, validateConfig, type Config } from '../engine/config.js';
import { NothingAssessedError, UsageError } from '../engine/errors.js';
import { readInventory } from '../engine/inventory-file.js';
import { assertRegion, newRegionWarnings, parseRegions } from '../engine/regions.js';
import { deferSave } from './history.js';
import { OutputError, assertWritable, assertWritableDir, parseOutputs, planOutputs, writeOutput, type OutputTarget } from './outputs.js';
import { render, type RenderContext } from './render.js';
import { runAudit, type AuditOptions } from '../engine/run-audit.js';
import { selectChecksExplained, validateCheckOptions, type SkippedCheck } from '../engine/select.js';
import { validateSuppressions } from '../engine/suppress.js';
import { auditorAccount, deliver, globalFindingsRegion, hasPending } from '../engine/deliver.js';
import { storeHistory } from '../engine/history.js';
import { enabledCspmControls, parseCspmControls, splitCspmOverlap } from '../engine/cspm-overlap.js';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { ClientFactory, type CallRecord } from '../aws/clients.js';
import { createProgress, renderEndSummary } from '../report/progress.js';
import { resolveWebhook, webhookSetting } from '../sinks/slack.js';
import { isSecretRef } from '../sinks/secret-ref.js';
import { parseWorkloadRef } from '../sinks/well-architected.js';
import { DEFAULT_STATE_PATH, filePostedMarkerBeside, openStore } from '../state/index.js';
import { checkLookup, resultSet, severityRank, type Check, type Severity, type Status } from '../model/index.js';
import type { AuditOutcome } from '../engine/run-audit.js';
import { jsonChunks } from '../report/json-stream.js';
import { EXIT_DELIVERY_PENDING, EXIT_OUTPUT_FAILED, list, nonEmptyList, oneLine, withNewline, type Io, type Stdout } from './io.js';

export interface AuditFlags {
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
  workers?: string;
  debug?: boolean;
  groupByTag?: string;
  waWorkload?: string;
  /** --wa-milestone: true (a milestone named `lens-audit <runId>`) or a name prefix. */
  waMilestone?: string | true;
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
      enabled = await enabledCspmControls(new ClientFactory({ ...awsOf(flags, io) }).get(SecurityHubClient, home));
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

/**
 * The SDK settings every client of the run shares (scan, history, sinks): profile, endpoint and, with --debug, one
 * stderr line per AWS call — service, operation, region, HTTP status or error code, duration, attempts; never the
 * parameters or the answer, which may hold secrets.
 */
function awsOf(flags: AuditFlags, io: Io): { profile?: string; endpoint?: string; onCall?: (c: CallRecord) => void } {
  return {
    profile: flags.profile,
    endpoint: flags.endpointUrl,
    ...(flags.debug
      ? { onCall: (c: CallRecord) => void io.stderr.write(`audit: debug: ${oneLine(`${c.service} ${c.operation} ${c.region || '-'} ${c.status || '-'}${c.error ? ` ${c.error}` : ''} ${c.durationMs} ms${c.attempts > 1 ? ` (${c.attempts} attempts)` : ''}`)}\n`) }
      : {}),
  };
}

/** Which flag sets which key of the configuration (for messages: a bad value names the flag, not the key). */
const FLAG_OF_KEY: Record<string, string> = {
  'checks.minSeverity': '--severity', metrics: '--metrics', failOn: '--fail-on', store: '--store',
  'scope.accounts': '--accounts', 'scope.org': '--org', 'scope.ous': '--ou', 'scope.excludeAccounts': '--exclude-accounts',
  'scope.roleName': '--role-name', 'scope.externalId': '--external-id', 'securityHub.enabled': '--security-hub',
  'securityHub.mode': '--security-hub-mode', 'securityHub.homeRegion': '--security-hub-region', 'slack.webhook': '--slack-webhook',
  'slack.always': '--slack-always',
};

/**
 * The flags as a configuration layer, validated by the configuration file's own schema (so `--ou`, `--role-name`,
 * `--external-id` and `--accounts` are held to the same rules as `scope` in the file and in the deploy configuration).
 */
function flagsAsConfig(flags: AuditFlags): Config {
  // --regions is parsed (and its mistakes named) by parseRegions, with the SDK's region data.
  const raw = {
    checks: { minSeverity: flags.severity },
    metrics: flags.metrics,
    failOn: flags.failOn,
    store: typeof flags.store === 'string' ? flags.store : undefined,
    scope: {
      accounts: list(flags.accounts), org: flags.org, ous: list(flags.ou), excludeAccounts: list(flags.excludeAccounts),
      roleName: flags.roleName, externalId: flags.externalId,
    },
    securityHub: { enabled: flags.securityHub, mode: flags.securityHubMode, homeRegion: flags.securityHubRegion },
    slack: { webhook: flags.slackWebhook, always: flags.slackAlways },
  };
  const prune = (v: unknown): unknown => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
    const kept = Object.entries(v).map(([k, x]) => [k, prune(x)] as const).filter(([, x]) => x !== undefined);
    return kept.length > 0 ? Object.fromEntries(kept) : undefined;
  };
  try {
    return validateConfig(prune(raw) ?? {}, 'command line');
  } catch (err) {
    // `command line: scope.roleName: not a valid IAM role name` → `--role-name: not a valid IAM role name`.
    const m = /^command line: ([A-Za-z.]+?)(?:\.\d+)*: (.*)$/.exec((err as Error).message);
    if (m && FLAG_OF_KEY[m[1]!]) throw new UsageError(`${FLAG_OF_KEY[m[1]!]}: ${m[2]}`);
    throw err;
  }
}

/** Flags that only mean something to a live scan: refused over a saved inventory instead of silently ignored. */
const LIVE_ONLY_FLAGS: [keyof AuditFlags, string][] = [
  ['profile', '--profile'], ['regions', '--regions'], ['region', '--region'], ['endpointUrl', '--endpoint-url'], ['org', '--org'], ['ou', '--ou'],
  ['accounts', '--accounts'], ['excludeAccounts', '--exclude-accounts'], ['roleName', '--role-name'], ['externalId', '--external-id'],
  ['accountConcurrency', '--account-concurrency'], ['workers', '--workers'],
];

/** `ALL_CHECKS`: the check registry, passed in by the entry point (src/cli.ts), the only one that imports it. */
export async function audit(flags: AuditFlags, io: Io, stdout: Stdout, ALL_CHECKS: readonly Check[], entry: { workerEntry?: URL } = {}): Promise<number> {
  // One configuration: the file, with the command line over it (flags win key by key).
  const config: Config = overlayConfig(flags.config ? loadConfig(flags.config) : {}, flagsAsConfig(flags));
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
    minSeverity: config.checks?.minSeverity,
    metrics: config.metrics ?? false,
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
  const failOn = config.failOn;
  if (flags.groupByTag !== undefined && !/^[\p{L}\p{N}\s_.:/=+\-@]{1,128}$/u.test(flags.groupByTag)) {
    throw new UsageError(`--group-by-tag: ${JSON.stringify(flags.groupByTag.slice(0, 140))} is not a tag key (1 to 128 letters, digits, spaces and _.:/=+-@)`);
  }

  const options: AuditOptions = {
    checks,
    checkOptions,
    suppressions,
    metrics: config.metrics ?? false,
    skipped,
    keepInventory: Boolean(flags.saveInventory),
    // --group-by-tag: the results carry that one tag's value (nothing else of the tags).
    ...(flags.groupByTag !== undefined ? { tagKeys: [flags.groupByTag] } : {}),
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
    options.aws = awsOf(flags, io);
    if (flags.accountConcurrency !== undefined) {
      const n = Number(flags.accountConcurrency);
      if (!Number.isInteger(n) || n < 1 || n > 1000) throw new UsageError(`--account-concurrency must be a whole number from 1 to 1000, got ${JSON.stringify(flags.accountConcurrency)}`);
      options.accountConcurrency = n;
    }
    // Worker threads (engine/workers.ts): one per core by default; the entry point names the worker module.
    if (flags.workers !== undefined) {
      const n = Number(flags.workers);
      if (!Number.isInteger(n) || n < 1 || n > 256) throw new UsageError(`--workers must be a whole number from 1 to 256, got ${JSON.stringify(flags.workers)}`);
      options.workers = n;
    } else {
      options.workers = 'auto';
    }
    if (entry.workerEntry) options.workerEntry = entry.workerEntry;
    options.regions = regions;
    if (Array.isArray(regions)) for (const w of newRegionWarnings(regions)) io.stderr.write(`audit: warning: ${oneLine(w)}\n`);
    const accounts = config.scope?.accounts;
    const org = config.scope?.org ?? false;
    if (org || (accounts && accounts.length > 0)) {
      options.organization = {
        org,
        ous: config.scope?.ous,
        accounts,
        excludeAccounts: config.scope?.excludeAccounts,
        roleName: config.scope?.roleName,
        externalId: config.scope?.externalId,
      };
    } else if (flags.ou || flags.excludeAccounts) {
      throw new UsageError('--ou and --exclude-accounts need --org or --accounts');
    }
  }

  const slackWebhook = webhookSetting(config.slack?.webhook, io.env);
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
  const storeTarget = flags.store === false ? undefined : (config.store ?? (flags.inventory ? undefined : DEFAULT_STATE_PATH));
  if (storeTarget && !storeTarget.startsWith('dynamodb://')) assertWritable(storeTarget, '--store');
  const opened = storeTarget ? openStore(storeTarget, { aws: awsOf(flags, io) }) : undefined;
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
    const securityHub = config.securityHub?.enabled ?? false;
    // The Well-Architected Tool notes (a write, only when asked): a workload id, or its ARN (which names the Region).
    if (flags.waMilestone !== undefined && flags.waWorkload === undefined) throw new UsageError('--wa-milestone needs --wa-workload');
    const wa = flags.waWorkload === undefined ? undefined : parseWorkloadRef(flags.waWorkload);
    if (flags.waWorkload !== undefined && !wa) throw new UsageError(`--wa-workload: ${JSON.stringify(flags.waWorkload.slice(0, 80))} is neither a workload id (32 hex characters) nor a workload ARN`);
    if ((slackWebhook || securityHub) && !store) throw new UsageError('--slack-webhook and --security-hub need a findings history (drop --no-store, or name one with --store)');
    // Security Hub's target (what is sent and what --output asff prints): the mode, the auditor account, and one fixed
    // Region for global findings, whatever --regions says.
    const shMode = config.securityHub?.mode ?? 'member';
    const shRegionSetting = config.securityHub?.homeRegion;
    if (shRegionSetting !== undefined) assertRegion(shRegionSetting, 'Security Hub Region');
    // Over a saved inventory the auditor is whoever the credentials are: asked now, before anything is stored.
    let auditor = flags.inventory && (securityHub || (formats.includes('asff') && shMode === 'central')) ? await auditorAccount({}, shRegionSetting ?? globalFindingsRegion(options.inventory?.accounts[0]?.partition)) : undefined;

    // A live display on a terminal; elsewhere (CI logs) one plain line every few seconds while collecting.
    const progress = createProgress({ enabled: !flags.quiet && !flags.inventory, stream: io.stderr as NodeJS.WriteStream });
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
      ...(flags.groupByTag !== undefined ? { groupByTag: flags.groupByTag } : {}),
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
    resultSet(report).dispose();
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

    if (securityHub || slackWebhook || wa) {
      // Where ssm:/secret: webhook references are read: the first region of the run.
      const homeRegion = Array.isArray(options.regions) ? options.regions[0]! : report.scope.regions[0] ?? 'us-east-1';
      const delivered = await deliver({ runId: report.runId, finishedAt: report.finishedAt, scope: report.scope, results: resultSet(report).held, ...(outcome.diff ? { diff: outcome.diff } : {}), counts: report.summary }, {
        checkFor: ctx.checkFor,
        checks,
        ...(store ? { store } : {}),
        ...(wa
          ? { wellArchitected: { aws: options.aws ?? awsOf(flags, io), region: wa.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? homeRegion, workloadId: wa.workloadId, ...(flags.waMilestone !== undefined ? { milestone: flags.waMilestone } : {}), ...(wa.accountId ?? auditor ? { accountId: (wa.accountId ?? auditor)! } : {}), ...(htmlTarget ?? flags.out ? { reportUrl: (htmlTarget ?? flags.out)! } : {}) } }
          : {}),
        ...(securityHub
          ? { securityHub: { mode: shMode, aws: options.aws ?? {}, callerAccountId: auditor ?? '', roleName: options.organization?.roleName, externalId: options.organization?.externalId, ...(partition ? { partition } : {}), homeRegion: shRegion } }
          : {}),
        ...(slackWebhook
          ? { slack: { webhook: slackWebhook, always: config.slack?.always, reportUrl: config.slack?.reportUrl ?? htmlTarget ?? flags.out, postedMarker: filePostedMarkerBeside(storeTarget!), aws: options.aws, region: homeRegion } }
          : {}),
      });
      for (const e of delivered.errors) io.stderr.write(`audit: ${oneLine(`${e.service}: ${e.code}: ${e.message}`)}\n`);
      if (delivered.securityHub && !flags.quiet) {
        const sh = delivered.securityHub;
        io.stderr.write(`audit: Security Hub: ${sh.imported} imported, ${sh.archived} archived, ${sh.unchanged} unchanged (not sent), ${sh.failed} failed\n`);
      }
      if (delivered.wellArchitected && !flags.quiet) {
        const w = delivered.wellArchitected;
        io.stderr.write(`audit: Well-Architected Tool: ${w.updated} questions' notes written, ${w.uncovered} not covered by a check, ${w.unmatched} not matched, ${w.failed} failed${w.milestone !== undefined ? `, milestone ${w.milestone}` : ''}\n`);
      }
      // Something a sink did not take is owed to the next run: exit 5 (before --fail-on's 1: an outage must be seen).
      // The Well-Architected notes are written whole by every run, so their failure is owed to the next run too.
      if (hasPending(delivered.pending) || delivered.errors.some((e) => e.service === 'wellarchitected')) return EXIT_DELIVERY_PENDING;
    }

    if (failOn) {
      const hit = resultSet(report).held.some((r) => r.status === 'FAIL' && !r.suppressed && severityRank(r.severity) >= severityRank(failOn));
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
