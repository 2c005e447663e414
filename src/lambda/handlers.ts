// Lambda handlers of the scheduled scan (deploy/). They adapt the Step Functions events and call the same engine
// code as the CLI: scope resolution (resolveScope / organizationTargets / discoverAccounts), collectAccount,
// runAudit over the collected inventory, the state store diff, the deliver stage (report bucket, Security Hub, Slack).
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
import { ALL_COLLECTORS, collectorsFor, neededKinds } from '../collect/index.js';
import type { CollectOptions, Collector, Logger } from '../collect/types.js';
import { collectAccount } from '../engine/collect-account.js';
import { NothingAssessedError, UsageError } from '../engine/errors.js';
import { organizationTargets, selectNamedAccounts, type OrgScopeInput } from '../engine/organization.js';
import { runAudit } from '../engine/run-audit.js';
import { callerAccount, resolveScope } from '../engine/scope.js';
import { needsRegionMetrics } from '../engine/select.js';
import { TOOL } from '../version.js';
import {
  INVENTORY_SCHEMA_VERSION, type AccountInventory, type Check, type CollectionError, type Kind, type ListGap, type RegionInventory,
  type Result, type AuditReport, type AuditSummary, summarise, accountArn, accountRegionArn, buildReport, checkLookup, resultSet,
} from '../model/index.js';
import { deliver, type DeliveryOutcome, type DeliveryPending, type ObjectWriter } from '../engine/deliver.js';
import { DynamoPostedMarker, openStore, type FindingDiff } from '../state/index.js';
import { storeHistory } from '../engine/history.js';
import type { Suppression } from '../engine/config.js';
import { loadRuntimeConfig, resolveAudit, type RuntimeConfig } from './config.js';
import { Partials } from './partials.js';
import { assessRun, healthMetricsLine } from './run-health.js';
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
export interface AccountPartial {
  accountId: string;
  partition: string;
  results: Result[];
  /** Entries of service `lens-audit` (ScanIncomplete, NothingAssessed, ...) make the history keep that scope as it was. */
  errors: CollectionError[];
  /** The inventory's regions with their list gaps: what the history diff needs to know what was assessed. */
  regions: { region: string; listGaps: ListGap[] }[];
  expiredSuppressions: Suppression[];
  apiCalls: Record<string, number>;
  /** The account's display name (its alias) for the reports. */
  name?: string;
}

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

/**
 * A collector whose `ctx.inventory()` also shows regions collected by earlier steps: the account-scope collectors
 * (IAM keeps the roles the functions use) run in their own step, after the regional scans.
 */
export function withRegions(collector: Collector, seed: readonly RegionInventory[]): Collector {
  return {
    ...collector,
    collect: (ctx) =>
      collector.collect({
        ...ctx,
        inventory: () => {
          const own = ctx.inventory();
          const regions = [...seed, ...own.regions.filter((r) => !seed.some((s) => s.region === r.region))];
          // A view: `regions` reads the seed too; anything a collector writes (the IAM collector's alias) goes to the
          // account's own inventory.
          return new Proxy(own, { get: (target, key, receiver) => (key === 'regions' ? regions : Reflect.get(target, key, receiver)) });
        },
      }),
  };
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

  const collectOptions = (now: Date): CollectOptions => ({ metrics: audit.metrics, regionMetrics: needsRegionMetrics(audit.checks), kinds: neededKinds(audit.checks), now });
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
          options: collectOptions(now), log, regionConcurrency: 1,
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
      const errors: CollectionError[] = [...(resolved?.errors ?? [])];
      const apiCalls: Record<string, number> = {};
      const addCalls = (calls: Record<string, number>) => {
        for (const [k, n] of Object.entries(calls)) apiCalls[k] = (apiCalls[k] ?? 0) + n;
      };
      const { partition } = await callerOf(new ClientFactory({ ...deps.aws }));
      const kinds = neededKinds(audit.checks);
      const regionalKinds = [...new Set(collectors.filter((c) => c.scope === 'region').flatMap((c) => c.kinds))].filter((k) => kinds.has(k));
      const seed: RegionInventory[] = [];
      let scanned = 0;
      for (const r of planned) {
        const s = scans.find((p) => p.value.region.region === r)?.value;
        if (s) {
          seed.push(s.region);
          errors.push(...s.errors);
          addCalls(s.apiCalls);
          scanned++;
          continue;
        }
        // As a region whose every call failed looks in the CLI: its kinds unlisted, so checks there and checks that
        // compare across the account's regions are NOT_ASSESSED, and nothing there is resolved.
        const message = `the scan of ${accountId}/${r} did not complete (error or Lambda timeout after the retries; see execution ${event.runId})`;
        errors.push({ accountId, region: r, service: 'lens-audit', operation: 'scan', code: 'ScanIncomplete', message });
        seed.push({
          region: r, resources: {},
          listGaps: regionalKinds.map((kind) => ({ kind, scopeArn: accountRegionArn(partition, r, accountId), scopeName: `${accountId}/${r}`, operation: 'lens-audit:scan', code: 'ScanIncomplete', message })),
        });
      }
      const store = async (p: Omit<AccountPartial, 'accountId' | 'partition' | 'apiCalls'>) => {
        await partials.put<AccountPartial>(event.runId, `ACCOUNT#${accountId}`, { accountId, partition, apiCalls, ...p });
        const fail = p.results.filter((r) => r.status === 'FAIL').length;
        log.info('evaluate', { runId: event.runId, accountId, results: p.results.length, fail, errors: p.errors.length });
        return { accountId, results: p.results.length, fail, errors: p.errors.length };
      };

      if (scanned === 0) {
        if (planned.length === 0 && !resolved) {
          errors.push({ accountId, region: 'global', service: 'lens-audit', operation: 'regions', code: 'RegionsIncomplete', message: `the regions of account ${accountId} were not resolved (see execution ${event.runId})` });
        }
        return store({ results: [], errors, regions: [], expiredSuppressions: [] });
      }

      // Account-wide collectors (IAM, account quotas), seeing the regional inventories.
      const accountCollectors = collectorsFor(collectors, { kinds, metrics: audit.metrics, scope: 'account' });
      const regions: RegionInventory[] = [...seed];
      let alias: string | undefined;
      if (accountCollectors.length > 0) {
        try {
          const target = await accountFactory(accountId);
          const out = await collectAccount({
            factory: target.factory, accountId, partition, regions: [home],
            collectors: accountCollectors.map((c) => withRegions(c, seed)), options: collectOptions(now), log,
          });
          const global = out.account.regions.find((r) => r.region === 'global');
          if (global) regions.push(global);
          alias = out.account.alias;
          errors.push(...out.errors.filter((e) => e.region === 'global'));
          addCalls(target.factory.counter.calls);
        } catch (err) {
          // The account-wide kinds are unlisted (their checks NOT_ASSESSED), not empty.
          const gaps: ListGap[] = [...new Set(accountCollectors.flatMap((c) => c.kinds))].map((kind: Kind) => ({
            kind, scopeArn: accountArn(partition, accountId), scopeName: accountId, operation: 'sts:AssumeRole', code: errorCode(err), message: errorMessage(err),
          }));
          regions.push({ region: 'global', resources: {}, listGaps: gaps });
          errors.push({ accountId, region: 'global', service: 'lens-audit', operation: 'collect', code: errorCode(err), message: errorMessage(err) });
        }
      }

      const account: AccountInventory = { accountId, partition, regions, ...(alias ? { alias } : {}) };
      const gaps = regions.map((r) => ({ region: r.region, listGaps: r.listGaps }));
      try {
        const { report, expiredSuppressions } = await runAudit({
          checks: audit.checks, checkOptions: audit.checkOptions, suppressions: audit.suppressions, now, runId: event.runId, log,
          // One account's results go to its partial whole: finalize counts and diffs them with every other account's.
          spillPassAbove: Number.POSITIVE_INFINITY,
          inventory: { schemaVersion: INVENTORY_SCHEMA_VERSION, tool: { ...TOOL }, collectedAt: event.startedAt, accounts: [account], errors },
        });
        // Every result of the account (never spilled here: spillPassAbove is Infinity).
        return store({ results: [...resultSet(report)], errors: report.errors, regions: gaps, expiredSuppressions, ...(report.accountNames?.[accountId] ? { name: report.accountNames[accountId] } : {}) });
      } catch (err) {
        if (!(err instanceof NothingAssessedError)) throw err;
        errors.push({ accountId, region: 'global', service: 'lens-audit', operation: 'evaluate', code: 'NothingAssessed', message: err.message });
        return store({ results: [], errors, regions: gaps, expiredSuppressions: [] });
      }
    },

    async finalize(event) {
      const now = checkRunEvent(event);
      const plan = await partials.get<PlanPartial>(event.runId, 'PLAN');
      if (!plan) throw new Error(`run ${event.runId} has no plan in dynamodb://${table} (did the plan step run, or did the partials expire?)`);
      const done = new Map((await partials.list<AccountPartial>(event.runId, 'ACCOUNT#')).map((p) => [p.value.accountId, p.value]));

      const results: Result[] = [];
      const errors: CollectionError[] = [];
      const inventory: { accounts: AccountInventory[] } = { accounts: [] };
      const regions = new Set<string>();
      const incomplete: string[] = [];
      const expired = new Map<string, Suppression>();
      for (const accountId of plan.accounts) {
        const a = done.get(accountId);
        if (!a) {
          incomplete.push(accountId);
          errors.push({ accountId, region: 'global', service: 'lens-audit', operation: 'evaluate', code: 'AccountIncomplete', message: `the scan of account ${accountId} did not complete (see execution ${event.runId}): its findings are kept unchanged` });
          continue;
        }
        results.push(...a.results);
        errors.push(...a.errors);
        inventory.accounts.push({ accountId, partition: a.partition, regions: a.regions.map((r) => ({ region: r.region, resources: {}, listGaps: r.listGaps })) });
        for (const r of a.regions) if (r.region !== 'global') regions.add(r.region);
        for (const s of a.expiredSuppressions) expired.set(JSON.stringify(s), s);
      }
      const scope = { accounts: plan.accounts, regions: [...regions].sort() };
      const health = assessRun(plan.accounts, done);

      let reports: string[] = [];
      let securityHub: FinalizeOutput['securityHub'] = 'off';
      let slack = 'off';
      let wellArchitected: FinalizeOutput['wellArchitected'] = 'off';
      let pending: DeliveryPending = { slackNew: 0, securityHubImport: 0, securityHubArchive: 0 };
      let diff: FindingDiff;
      let annotated: Result[];
      let summary: AuditSummary;
      // History, through the CLI's hook: only what this run assessed can resolve (the failed scopes come from the
      // lens-audit errors above — ScanIncomplete, AccountIncomplete, ... — and list gaps come from the skeleton).
      const store = openStore(`dynamodb://${table}?region=${home}`, { aws: deps.sinkAws, retentionDays: config.retentionDays });
      try {
        const history = await storeHistory(store).apply({
          runId: event.runId, results, errors, scope, checks: audit.checks, now, startedAt: now, skeleton: inventory,
        });
        diff = history.diff!;
        annotated = history.results;
        summary = summarise(annotated, diff.resolved.length);

        // The run's report, as the CLI's (for the report bucket): its errors are those of the run so far.
        let report: AuditReport | undefined;
        if (deps.reportBucket) {
          const apiCalls: Record<string, number> = {};
          for (const a of done.values()) for (const [k, n] of Object.entries(a.apiCalls)) apiCalls[k] = (apiCalls[k] ?? 0) + n;
          report = buildReport({
            tool: TOOL, runId: event.runId, startedAt: now, finishedAt: new Date(), scope,
            // The Organizations name, else the alias (as the CLI's report names them).
            accountNames: { ...Object.fromEntries([...done.values()].filter((a) => a.name).map((a) => [a.accountId, a.name!])), ...plan.names },
            summary, results: annotated, resolved: diff.resolved, skipped: audit.skipped,
            ...(history.trend ? { trend: history.trend } : {}),
            errors: [...errors],
            stats: { apiCalls, accountsAssessed: health.accountsAssessed.length },
          });
        }

        // The deliver stage, as the CLI runs it: only what changed goes to Security Hub, what a sink did not take is
        // kept in the history and delivered by the next run.
        if (config.slack && !deps.slackSecretArn) {
          slack = 'failed';
          errors.push({ accountId: '', region: '', service: 'slack', operation: 'ResolveWebhook', code: 'NoWebhookSecret', message: 'Slack is on but SLACK_WEBHOOK_SECRET_ARN is not set' });
        }
        const slackOn = config.slack && deps.slackSecretArn ? config.slack : undefined;
        if (report || config.securityHub || slackOn || config.wellArchitected) {
          const delivered = await deliver(
            { runId: event.runId, finishedAt: now.toISOString(), scope, results: annotated, diff, counts: { fail: summary.fail, bySeverity: summary.bySeverity } },
            {
              checkFor: checkLookup(all),
              checks: audit.checks,
              store,
              now,
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
            },
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

      for (const s of expired.values()) log.warn('suppression expired', { check: s.check, resource: s.resource, expires: s.expires });
      if (errors.length > 0) log.warn('run errors', { runId: event.runId, count: errors.length, errors: errors.slice(0, 100) });
      const out: FinalizeOutput = {
        runId: event.runId, accounts: plan.accounts.length, accountsIncomplete: incomplete, regions: scope.regions, summary,
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
