// Lambda handlers of the scheduled scan (deploy/). Each is a short adapter: it reads its event and the partials,
// runs one engine stage, stores the outcome and returns ids. The stages: account selection (selectNamedAccounts),
// the regions (resolveScope) and one account-region's collection (collectAccount), the account's evaluation
// (evaluateCollectedAccount, engine/account-stage.ts), the run's finish (finishRun, engine/finish-run.ts: merge,
// history, summary, report) and the deliver stage (report bucket, Security Hub, Slack, Well-Architected).
//
// The state machine (deploy/lib/auditor-stack.ts):
//   plan                      accounts in scope                                  → PLAN
//   for each account:
//     regions                 assume the member role, regions enabled ∩ config   → REGIONS#<account>
//     for each region: scan   regional collectors for one account-region         → SCAN#<account>#<region>
//     evaluate                account-wide collectors (IAM, account quotas), then
//                             every check over the account's whole inventory     → ACCOUNT#<account>
//   finalize                  merge, history diff, deliver (report bucket, Security Hub, Slack, Well-Architected)
// Checks are evaluated per account, not per region: some compare resources across the account's regions
// (lambda.shared-role) or join regional resources with IAM roles. What a step hands to the next is stored as a
// partial (src/lambda/partials.ts); the events carry ids only.
import { setMaxListeners } from 'node:events';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ClientFactory, type ClientFactoryOptions } from '../aws/clients.js';
import { errorCode, errorMessage } from '../aws/errors.js';
import { CallJournal, type JournalData } from '../aws/journal.js';
import { ALL_COLLECTORS } from '../collect/index.js';
import type { Collector, Logger } from '../collect/types.js';
import { collectOptionsFor, evaluateCollectedAccount, type EvaluatedAccount } from '../engine/account-stage.js';
import { collectAccount } from '../engine/collect-account.js';
import { NothingAssessedError, UsageError } from '../engine/errors.js';
import { organizationTargets, selectNamedAccounts, type OrgScopeInput } from '../engine/organization.js';
import { callerAccount, resolveScope } from '../engine/scope.js';
import { TOOL } from '../version.js';
import { type Check, type CollectionError, type RegionInventory, type AuditReport, type AuditSummary, checkLookup } from '../model/index.js';
import { deliver, type DeliverOptions, type DeliveryOutcome, type DeliveryPending, type ObjectWriter } from '../engine/deliver.js';
import { finishRun, type FinishedRun } from '../engine/finish-run.js';
import { DynamoPostedMarker, openStore } from '../state/index.js';
import { loadRuntimeConfig, resolveAudit, type RuntimeConfig } from './config.js';
import { Partials } from './partials.js';
import { healthMetricsLine } from './run-health.js';
import { ALL_CHECKS } from '../../checks/index.js';

// ------------------------------------------------------------------------------------------- events and partials

export interface RunEvent {
  /** The execution name: one run id for every step, so retries overwrite rather than duplicate. */
  runId: string;
  /** Execution start time: the run's `now` for every step (metric windows, suppression expiry, history). */
  startedAt: string;
}
export interface AccountEvent extends RunEvent {
  accountId: string;
}
export interface RegionEvent extends AccountEvent {
  region: string;
  /** Set by the state machine when it invokes the scan again to continue from its checkpoint: 1, 2, ... */
  resumes?: number;
}
/** What the scan step answers: `done: false` asks the state machine to invoke it again (with `resumes`). */
export interface ScanOutput {
  accountId: string;
  region: string;
  done: boolean;
  resumes: number;
  resources: number;
  errors: number;
  /** Calls made live by this invocation, and answered from the checkpoint. */
  apiCalls: number;
  replayed: number;
}
/** The Lambda context, as far as the handlers read it. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}
export interface AccountRegionsEvent extends AccountEvent {
  regions: string[];
}
/** The scanner function serves three steps; the state machine names the step. */
export type ScannerEvent =
  | (AccountEvent & { action: 'regions' })
  | (RegionEvent & { action: 'scan' })
  | (AccountRegionsEvent & { action: 'evaluate' });

export interface PlanPartial {
  accounts: string[];
  partition: string;
  auditorAccountId: string;
  /** The accounts' names in Organizations (org scans), for the reports. */
  names?: Record<string, string>;
}
export interface RegionsPartial {
  accountId: string;
  regions: string[];
  errors: CollectionError[];
}
export interface ScanPartial {
  region: RegionInventory;
  errors: CollectionError[];
  apiCalls: Record<string, number>;
}
/** A scan's checkpoint: the calls answered so far and how many were made. */
export interface CheckpointPartial {
  journal: JournalData;
  apiCalls: Record<string, number>;
}
/** An account evaluated (the evaluate step's outcome, engine/account-stage.ts), as finalize reads it. */
export type AccountPartial = EvaluatedAccount;

export interface FinalizeOutput {
  runId: string;
  accounts: number;
  accountsIncomplete: string[];
  regions: string[];
  summary: AuditSummary;
  history: { new: number; persisting: number; resolved: number; kept: number };
  securityHub: { imported: number; archived: number; failed: number; unchanged: number } | 'off';
  slack: string;
  /** What a sink did not take: kept in the history, delivered by the next run (deliver.ts). */
  pending: DeliveryPending;
  /** The Well-Architected Tool notes (deploy option wellArchitected). */
  wellArchitected: NonNullable<DeliveryOutcome['wellArchitected']> | 'off';
  errors: number;
  /** FAILED: the run planned accounts and assessed none (the state machine then fails the execution). */
  status: 'SUCCEEDED' | 'FAILED';
  accountsNotAssessed: string[];
  /** Keys written to the report bucket (none without one). */
  reports: string[];
}

// ------------------------------------------------------------------------------------------- dependencies

export interface HandlerDeps {
  config: RuntimeConfig;
  /** The state table: findings history, partials, Slack markers. */
  table: string;
  /** The auditor stack's region: STS, Organizations, the table, account-wide (IAM) calls. */
  region: string;
  /** Secrets Manager ARN of the Slack webhook URL. */
  slackSecretArn?: string;
  /** Audit (read-only) clients: credentials, endpoint. Default: the Lambda's role. */
  aws?: ClientFactoryOptions;
  /** The writing clients (table, Security Hub, Secrets Manager). */
  sinkAws?: Omit<ClientFactoryOptions, 'readOnly'>;
  collectors?: readonly Collector[];
  /** The check registry the configuration selects from. */
  checks?: readonly Check[];
  /** Credential provider for a member role (tests inject one). Default: STS AssumeRole. */
  assumeRole?: OrgScopeInput['assumeRole'];
  log?: Logger;
  /**
   * Milliseconds a scan step may spend collecting before it checkpoints and stops. Default: the invocation's remaining
   * time less SCAN_SAFETY_MS (time to cancel what is in flight and store the checkpoint). Tests set it.
   */
  scanBudgetMs?: number;
  /** The report bucket (REPORT_BUCKET): the deliver stage writes report.html and report.json there (sinks/report-bucket.ts). */
  reportBucket?: string;
  /** Writes the report objects; default a signed S3 PutObject into reportBucket. */
  reportWriter?: ObjectWriter;
  /** The auditor stack's name: the dimension of the run-health metrics (LENS_AUDIT_STACK). */
  stackName?: string;
  /** Where the run-health EMF line goes (default: stdout, which Lambda sends to CloudWatch Logs). */
  emitMetrics?: (line: string) => void;
}

/** Kept free at the end of a scan invocation: cancelling the calls in flight, gzip and storing the checkpoint. */
export const SCAN_SAFETY_MS = 120_000;
/** The state machine invokes a scan at most this many more times (15 minutes each): then the region is not assessed. */
export const MAX_SCAN_RESUMES = 12;

export interface Handlers {
  plan(event: RunEvent): Promise<RunEvent & { accounts: string[] }>;
  regions(event: AccountEvent): Promise<AccountRegionsEvent>;
  scan(event: RegionEvent, context?: InvocationContext): Promise<ScanOutput>;
  evaluate(event: AccountRegionsEvent): Promise<{ accountId: string; results: number; fail: number; errors: number }>;
  finalize(event: RunEvent): Promise<FinalizeOutput>;
  scanner(event: ScannerEvent, context?: InvocationContext): Promise<unknown>;
}

const RUN_ID = /^[\w.:-]{1,80}$/;

function checkRunEvent(event: RunEvent): Date {
  if (!event || typeof event.runId !== 'string' || !RUN_ID.test(event.runId)) throw new UsageError(`event.runId must be 1-80 characters of [A-Za-z0-9_.:-], got ${JSON.stringify(event?.runId)}`);
  const now = new Date(event.startedAt);
  if (typeof event.startedAt !== 'string' || Number.isNaN(now.getTime())) throw new UsageError(`event.startedAt must be an ISO timestamp, got ${JSON.stringify(event.startedAt)}`);
  return now;
}
function checkAccount(accountId: unknown): string {
  if (typeof accountId !== 'string' || !/^\d{12}$/.test(accountId)) throw new UsageError(`event.accountId must be a 12-digit account id, got ${JSON.stringify(accountId)}`);
  return accountId;
}
function checkRegion(region: unknown): string {
  if (typeof region !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new UsageError(`event.region must be a region code, got ${JSON.stringify(region)}`);
  return region;
}

function countResources(r: RegionInventory): number {
  return Object.values(r.resources).reduce((n, list) => n + (list?.length ?? 0), 0);
}

export function createHandlers(deps: HandlerDeps): Handlers {
  const { config, table, region: home } = deps;
  const log = deps.log ?? jsonLogger();
  const all = deps.checks ?? (ALL_CHECKS as readonly Check[]);
  const audit = resolveAudit(config.audit, all);
  const collectors = deps.collectors ?? ALL_COLLECTORS;
  const roleName = config.scope.roleName;
  const externalId = config.scope.externalId;
  const sinkFactory = new ClientFactory({ ...deps.sinkAws, readOnly: false });
  const dynamo = sinkFactory.get(DynamoDBClient, home);
  const partials = new Partials(dynamo, table);
  let caller: Promise<{ accountId: string; partition: string }> | undefined;

  const callerOf = (factory: ClientFactory) => {
    const p = (caller ??= callerAccount(factory, home));
    p.catch(() => (caller = undefined));
    return p;
  };

  /** Audit clients for one account: the Lambda's own role in the auditor account, the member role elsewhere. */
  async function accountFactory(accountId: string, extra: Pick<ClientFactoryOptions, 'journal' | 'signal'> = {}): Promise<{ factory: ClientFactory; partition: string }> {
    // The member factory is made from the base factory's options: the checkpoint (journal, deadline) carries over.
    const base = new ClientFactory({ ...deps.aws, ...extra });
    const me = await callerOf(base);
    if (accountId === me.accountId) return { factory: base, partition: me.partition };
    const found = await organizationTargets({
      factory: base, homeRegion: home, callerAccountId: me.accountId, partition: me.partition, accounts: [accountId], roleName, externalId,
      assumeRole: deps.assumeRole, aws: deps.aws,
    });
    const target = found.targets[0];
    if (!target?.factory) throw Object.assign(new Error(found.errors[0]?.message ?? `cannot assume ${roleName} in ${accountId}`), { name: found.errors[0]?.code ?? 'AssumeRoleFailed' });
    return { factory: target.factory, partition: me.partition };
  }

  /** The sinks the deploy configuration turns on, as the deliver stage takes them. */
  function sinks(plan: PlanPartial, report: AuditReport | undefined): Pick<DeliverOptions, 'reports' | 'wellArchitected' | 'securityHub' | 'slack'> {
    const slackOn = config.slack && deps.slackSecretArn ? config.slack : undefined;
    return {
      // Written first; once written, the Slack digest and the Well-Architected notes link its report.html.
      ...(report ? { reports: { bucket: deps.reportBucket!, region: home, partition: plan.partition, report, ...(deps.reportWriter ? { writer: deps.reportWriter } : {}) } } : {}),
      ...(config.wellArchitected
        ? {
            wellArchitected: {
              aws: deps.sinkAws ?? {}, region: home, workloadId: config.wellArchitected.workloadId, accountId: plan.auditorAccountId,
              ...(config.wellArchitected.milestone ? { milestone: true as const } : {}),
              ...(config.slack?.reportUrl ? { reportUrl: config.slack.reportUrl } : {}),
            },
          }
        : {}),
      ...(config.securityHub ? { securityHub: { mode: 'central' as const, aws: deps.sinkAws ?? {}, callerAccountId: plan.auditorAccountId, homeRegion: home } } : {}),
      ...(slackOn
        ? {
            slack: {
              webhook: `secret:${deps.slackSecretArn}`, always: slackOn.always, postedMarker: new DynamoPostedMarker(dynamo, table), aws: deps.sinkAws, region: home,
              ...(slackOn.reportUrl ? { reportUrl: slackOn.reportUrl } : {}),
            },
          }
        : {}),
    };
  }

  const handlers: Handlers = {
    async plan(event) {
      checkRunEvent(event);
      const factory = new ClientFactory({ ...deps.aws });
      const me = await callerOf(factory);
      const s = config.scope;
      // Stage 1, the engine's (as the CLI runs it): Organizations or the listed accounts, filtered, sorted.
      const { ids, names } = await selectNamedAccounts({
        org: s.org, ous: s.ous, accounts: s.accounts, excludeAccounts: s.excludeAccounts, callerAccountId: me.accountId,
        organizations: () => factory.get(OrganizationsClient, home),
        cannotList: (err) => new UsageError(`cannot list the organization's accounts (${errorCode(err)}: ${errorMessage(err)}): the auditor account must be the management or a delegated administrator account, or configure scope.accounts`),
      });
      if (ids.length === 0) throw new NothingAssessedError('no account in scope: the organization filter (scope.ous, scope.accounts, scope.excludeAccounts) left none');
      await partials.put<PlanPartial>(event.runId, 'PLAN', { accounts: ids, partition: me.partition, auditorAccountId: me.accountId, ...(names.size > 0 ? { names: Object.fromEntries(names) } : {}) });
      log.info('plan', { runId: event.runId, accounts: ids.length });
      return { runId: event.runId, startedAt: event.startedAt, accounts: ids };
    },

    async regions(event) {
      checkRunEvent(event);
      const accountId = checkAccount(event.accountId);
      const errors: CollectionError[] = [];
      let regions: string[] = [];
      try {
        const resolved = await resolveScope({
          factory: new ClientFactory({ ...deps.aws }),
          regions: config.scope.regions ?? [home],
          organization: { accounts: [accountId], roleName, externalId, assumeRole: deps.assumeRole },
          aws: deps.aws,
        });
        errors.push(...resolved.errors);
        regions = resolved.targets.find((t) => t.accountId === accountId)?.regions ?? [];
        if (regions.length === 0) {
          errors.push({ accountId, region: 'global', service: 'lens-audit', operation: 'regions', code: 'NoRegion', message: `none of the configured regions is enabled in account ${accountId}` });
        }
      } catch (err) {
        // Typically the member role cannot be assumed: the account is reported, the run goes on.
        errors.push({ accountId, region: 'global', service: 'lens-audit', operation: 'regions', code: errorCode(err), message: errorMessage(err) });
      }
      await partials.put<RegionsPartial>(event.runId, `REGIONS#${accountId}`, { accountId, regions, errors });
      return { runId: event.runId, startedAt: event.startedAt, accountId, regions };
    },

    async scan(event, context) {
      const now = checkRunEvent(event);
      const accountId = checkAccount(event.accountId);
      const region = checkRegion(event.region);
      const resumes = event.resumes ?? 0;
      if (!Number.isInteger(resumes) || resumes < 0 || resumes > MAX_SCAN_RESUMES) throw new UsageError(`event.resumes must be an integer from 0 to ${MAX_SCAN_RESUMES}, got ${JSON.stringify(event.resumes)}`);
      const journalKey = `JOURNAL#${accountId}#${region}`;
      // A resumed scan replays what the earlier invocations of this run answered (src/aws/journal.ts).
      const saved = resumes > 0 ? await partials.get<CheckpointPartial>(event.runId, journalKey) : undefined;
      if (resumes > 0 && !saved) throw new Error(`scan ${accountId}/${region} resume ${resumes}: no checkpoint in dynamodb://${table}`);
      const journal = new CallJournal(saved?.journal);
      const deadline = new AbortController();
      // Every call in flight listens to it (the SDK adds one listener per request).
      setMaxListeners(0, deadline.signal);
      const budget = deps.scanBudgetMs ?? (context ? context.getRemainingTimeInMillis() - SCAN_SAFETY_MS : Infinity);
      const timer = Number.isFinite(budget) ? setTimeout(() => deadline.abort(), Math.max(0, budget)) : undefined;
      // Failures here are thrown: the state machine retries the same item, then records it as not completed.
      let out;
      let factory: ClientFactory | undefined;
      try {
        const target = await accountFactory(accountId, { journal, signal: deadline.signal });
        factory = target.factory;
        out = await collectAccount({
          factory, accountId, partition: target.partition, regions: [region],
          collectors: collectors.filter((c) => c.scope === 'region'),
          options: collectOptionsFor(audit, now), log, regionConcurrency: 1,
        });
      } catch (err) {
        // Cut off while still getting credentials: a checkpoint like any other (or no progress at all).
        if (!deadline.signal.aborted) throw err;
      } finally {
        clearTimeout(timer);
      }
      const calls = factory?.counter.calls ?? {};
      const base = { accountId, region, apiCalls: factory?.counter.total() ?? 0, replayed: journal.replayed };
      // Every invocation's live calls, for the run's API-call counts.
      const apiCalls: Record<string, number> = { ...saved?.apiCalls };
      for (const [k, n] of Object.entries(calls)) apiCalls[k] = (apiCalls[k] ?? 0) + n;
      if (deadline.signal.aborted) {
        // Out of time: what this invocation collected is dropped, what it was answered is kept for the next one.
        if (journal.recorded === 0) throw new Error(`scan ${accountId}/${region} made no progress before its deadline (budget ${Math.round(budget / 1000)} s)`);
        await partials.put<CheckpointPartial>(event.runId, journalKey, { journal: journal.toJSON(), apiCalls });
        log.info('scan checkpoint', { runId: event.runId, ...base, resumes: resumes + 1, journal: journal.size });
        return { ...base, done: false, resumes: resumes + 1, resources: 0, errors: 0 };
      }
      const inv = out!.account.regions.find((r) => r.region === region) ?? { region, resources: {}, listGaps: [] };
      await partials.put<ScanPartial>(event.runId, `SCAN#${accountId}#${region}`, { region: inv, errors: out!.errors, apiCalls });
      log.info('scan', { runId: event.runId, ...base, resumes, resources: countResources(inv), errors: out!.errors.length });
      return { ...base, done: true, resumes, resources: countResources(inv), errors: out!.errors.length };
    },

    async evaluate(event) {
      const now = checkRunEvent(event);
      const accountId = checkAccount(event.accountId);
      const planned = (event.regions ?? []).map(checkRegion);
      const resolved = await partials.get<RegionsPartial>(event.runId, `REGIONS#${accountId}`);
      const scans = await partials.list<ScanPartial>(event.runId, `SCAN#${accountId}#`);
      const { partition } = await callerOf(new ClientFactory({ ...deps.aws }));
      // Stage 3, the engine's: the account-wide collectors, then every check over the account's inventory.
      const a = await evaluateCollectedAccount({
        accountId, partition, runId: event.runId, now, collectedAt: event.startedAt, planned, collected: scans.map((s) => s.value),
        ...(resolved ? { regionsResolved: resolved } : {}), homeRegion: home, collectors, audit, log,
        clients: async () => (await accountFactory(accountId)).factory,
      });
      await partials.put<AccountPartial>(event.runId, `ACCOUNT#${accountId}`, a);
      const fail = a.results.filter((r) => r.status === 'FAIL').length;
      log.info('evaluate', { runId: event.runId, accountId, results: a.results.length, fail, errors: a.errors.length });
      return { accountId, results: a.results.length, fail, errors: a.errors.length };
    },

    async finalize(event) {
      const now = checkRunEvent(event);
      const plan = await partials.get<PlanPartial>(event.runId, 'PLAN');
      if (!plan) throw new Error(`run ${event.runId} has no plan in dynamodb://${table} (did the plan step run, or did the partials expire?)`);
      const done = new Map((await partials.list<AccountPartial>(event.runId, 'ACCOUNT#')).map((p) => [p.value.accountId, p.value]));

      let reports: string[] = [];
      let securityHub: FinalizeOutput['securityHub'] = 'off';
      let slack = 'off';
      let wellArchitected: FinalizeOutput['wellArchitected'] = 'off';
      let pending: DeliveryPending = { slackNew: 0, securityHubImport: 0, securityHubArchive: 0 };
      let run: FinishedRun;
      const store = openStore(`dynamodb://${table}?region=${home}`, { aws: deps.sinkAws, retentionDays: config.retentionDays });
      try {
        // Stage 4, the engine's: merge the accounts, the history, the summary, the report (for the report bucket).
        run = await finishRun({
          runId: event.runId, now, accounts: plan.accounts, evaluated: done, store, checks: audit.checks,
          ...(deps.reportBucket ? { report: { tool: TOOL, skipped: audit.skipped, ...(plan.names ? { names: plan.names } : {}) } } : {}),
        });
        const { errors, report } = run;

        // The deliver stage, as the CLI runs it: only what changed goes to Security Hub, what a sink did not take is
        // kept in the history and delivered by the next run.
        if (config.slack && !deps.slackSecretArn) {
          slack = 'failed';
          errors.push({ accountId: '', region: '', service: 'slack', operation: 'ResolveWebhook', code: 'NoWebhookSecret', message: 'Slack is on but SLACK_WEBHOOK_SECRET_ARN is not set' });
        }
        const on = sinks(plan, report);
        if (on.reports || on.securityHub || on.slack || on.wellArchitected) {
          const delivered = await deliver(
            { runId: event.runId, finishedAt: now.toISOString(), scope: run.scope, results: run.results, diff: run.diff, counts: { fail: run.summary.fail, bySeverity: run.summary.bySeverity } },
            { checkFor: checkLookup(all), checks: audit.checks, store, now, ...on },
          );
          errors.push(...delivered.errors);
          pending = delivered.pending;
          if (delivered.securityHub) securityHub = delivered.securityHub;
          if (delivered.slack) slack = delivered.slack;
          if (delivered.wellArchitected) wellArchitected = delivered.wellArchitected;
          if (delivered.reports) reports = delivered.reports.keys;
        }
      } finally {
        store.close();
      }

      const { errors, diff, summary, health } = run;
      for (const s of run.expiredSuppressions) log.warn('suppression expired', { check: s.check, resource: s.resource, expires: s.expires });
      if (errors.length > 0) log.warn('run errors', { runId: event.runId, count: errors.length, errors: errors.slice(0, 100) });
      const out: FinalizeOutput = {
        runId: event.runId, accounts: plan.accounts.length, accountsIncomplete: run.accountsIncomplete, regions: run.scope.regions, summary,
        history: { new: diff.new.length, persisting: diff.persisting.length, resolved: diff.resolved.length, kept: diff.kept.length },
        securityHub, slack, wellArchitected, pending, errors: errors.length,
        status: health.status, accountsNotAssessed: health.accountsNotAssessed, reports,
      };
      (deps.emitMetrics ?? ((line: string) => console.log(line)))(healthMetricsLine({
        runId: event.runId, stack: deps.stackName ?? 'LensAudit', health, now: new Date(), durationMs: Date.now() - now.getTime(),
        findings: { new: diff.new.length, resolved: diff.resolved.length, open: summary.fail + diff.kept.length },
      }));
      log.info('finalize', { ...out });
      return out;
    },

    async scanner(event, context) {
      switch (event?.action) {
        case 'regions':
          return handlers.regions(event);
        case 'scan':
          return handlers.scan(event, context);
        case 'evaluate':
          return handlers.evaluate(event);
        default:
          throw new UsageError(`unknown scanner action ${JSON.stringify((event as { action?: unknown })?.action)} (expected regions, scan or evaluate)`);
      }
    },
  };
  return handlers;
}

// ------------------------------------------------------------------------------------------- Lambda entry points

/** One JSON line per message (CloudWatch Logs Insights reads the fields). DEBUG only with LOG_LEVEL=DEBUG. */
export function jsonLogger(write: (line: string) => void = (l) => console.log(l), debug = process.env.LOG_LEVEL === 'DEBUG'): Logger {
  const at = (level: string) => (msg: string, extra?: Record<string, unknown>) => write(JSON.stringify({ level, msg, ...extra }));
  return { debug: debug ? at('DEBUG') : () => {}, info: at('INFO'), warn: at('WARN'), error: at('ERROR') };
}

let fromEnv: Handlers | undefined;

/** The handlers configured from the Lambda environment (STATE_TABLE, AWS_REGION, SLACK_WEBHOOK_SECRET_ARN, runtime config file). */
export function handlersFromEnv(env: NodeJS.ProcessEnv = process.env): Handlers {
  if (fromEnv) return fromEnv;
  const table = env.STATE_TABLE;
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!table) throw new UsageError('STATE_TABLE is not set');
  if (!region) throw new UsageError('AWS_REGION is not set');
  fromEnv = createHandlers({
    config: loadRuntimeConfig(env), table, region, slackSecretArn: env.SLACK_WEBHOOK_SECRET_ARN || undefined,
    reportBucket: env.REPORT_BUCKET || undefined, stackName: env.LENS_AUDIT_STACK || undefined,
  });
  return fromEnv;
}

export const plan = (event: RunEvent) => handlersFromEnv().plan(event);
export const scanner = (event: ScannerEvent, context?: InvocationContext) => handlersFromEnv().scanner(event, context);
export const finalize = (event: RunEvent) => handlersFromEnv().finalize(event);
