// Well-Architected Tool sink (issue 19 point 3): on each Serverless Lens question of one workload that some check of the
// run covers, a one-line summary of what the run found (failures by severity, the top ones, run id, report link) is
// written into the answer's Notes with UpdateAnswer; optionally a milestone records the workload as it then stands.
//
// What is never touched: the answer's selected choices, its applicability and reason (UpdateAnswer is sent with Notes
// only), questions no check covers, and questions we cannot match to the lens of src/model/lens.ts (counted as
// unmatched). What a reviewer wrote in the Notes is kept: the summary is our own last paragraph of the Notes
// (GetAnswer reads them first), replaced run after run; when the reviewer's text leaves too little room, the question is
// left alone and reported.
//
// The WA Tool's question ids of the serverless lens are its own; ListAnswers (lens alias `serverless`, paged) returns
// them with their titles, and a question is ours when its title is one of LENS_2022's (compared without case,
// punctuation or typographic quotes) in the same pillar.
//
// Limits: Notes ≤ 2,084 characters, milestone names 3–100 characters and unique in a workload, at most 100 milestones a
// workload, ListAnswers MaxResults ≤ 50 (API reference). AWS publishes no request rate for the WA Tool API: calls are
// paced by a token bucket (2/s, burst 3 by default) and throttled ones retried (the SDK's retries, then ours). This is a
// write: it runs only when asked (--wa-workload, or the deploy option wellArchitected), and never throws for AWS errors.
import {
  CreateMilestoneCommand, GetAnswerCommand, ListAnswersCommand, UpdateAnswerCommand, WellArchitectedClient, type AnswerSummary,
} from '@aws-sdk/client-wellarchitected';
import { createHash } from 'node:crypto';
import { ClientFactory, type ClientFactoryOptions } from '../aws/clients.js';
import { errorCode, errorMessage, isAccessDenied, isNotFound, isThrottling } from '../aws/errors.js';
import { TokenBucket } from '../aws/rate-limits.js';
import { LENS_2022 } from '../model/lens.js';
import { SEVERITIES, severityRank, type Check, type CollectionError, type LensQuestion2022, type Result, type Severity } from '../model/index.js';

/** A workload id as the WA Tool gives them (API reference: fixed length 32, [0-9a-f]{32}). */
export const WA_WORKLOAD_ID = /^[0-9a-f]{32}$/;
/** A workload id as given (`--wa-workload`): the id, or the workload's ARN, which also names its Region and account. */
export function parseWorkloadRef(ref: string): { workloadId: string; region?: string; accountId?: string; partition?: string } | undefined {
  const t = ref.trim();
  if (WA_WORKLOAD_ID.test(t)) return { workloadId: t };
  const m = /^arn:(aws[a-z-]*):wellarchitected:([a-z0-9-]+):(\d{12}):workload\/([0-9a-f]{32})$/.exec(t);
  return m ? { workloadId: m[4]!, region: m[2]!, accountId: m[3]!, partition: m[1]! } : undefined;
}

/** UpdateAnswer Notes: at most 2,084 characters. */
export const WA_NOTES_MAX = 2084;
/** CreateMilestone MilestoneName: 3 to 100 characters, unique within the workload. */
export const WA_MILESTONE_NAME_MAX = 100;
/** ListAnswers MaxResults: 1 to 50. */
export const WA_LIST_ANSWERS_PAGE = 50;
/** Failures named in a question's summary, highest severity first. */
export const WA_TOP_FINDINGS = 5;
/** Room our summary needs at least, next to a reviewer's own notes; with less, the question is left alone. */
export const WA_MIN_SUMMARY = 80;

export type WellArchitectedLike = Pick<WellArchitectedClient, 'send'>;

export interface WellArchitectedNotesInput {
  runId: string;
  /** ISO time the run finished (its date is in the summary). */
  finishedAt: string;
  /** The run's results: FAIL ones are summarised (suppressed ones counted apart), NOT_ASSESSED ones counted. PASS ones may be left out. */
  results: readonly Result[];
  /** Check metadata: the 2022 lens questions of a result are its check's `lens2022` (else the result's own `lens2022`). */
  checkFor: (checkId: string) => Pick<Check, 'lens2022'> | undefined;
  /** The checks the run evaluated: the questions they cover get a summary even when nothing failed. Default: the checks of `results`. */
  checks?: readonly Pick<Check, 'id' | 'lens2022'>[];
  /** Link to the full report (the deploy's report bucket, a dashboard ...). */
  reportUrl?: string;
}

export interface WellArchitectedNotesOptions {
  /** A Well-Architected Tool client in the workload's Region (its region is used for error entries when `region` is not given). */
  client: WellArchitectedLike;
  /** The workload id (32 hex characters). */
  workloadId: string;
  /** Also create a milestone: `true` names it `lens-audit <runId>`, a string is used as the name's prefix (`<prefix> <runId>`). */
  milestone?: string | true;
  /** Default `serverless` (the AWS official Serverless Lens). */
  lensAlias?: string;
  /** For error entries: the workload's account and Region. */
  accountId?: string;
  region?: string;
  /** Calls per second and burst. Default 2/s, burst 3. */
  pace?: { rate: number; burst: number };
  /** Attempts of a call that throttling outlasted the SDK's own retries. Default 3. */
  maxAttempts?: number;
  /** Test hooks. */
  sleep?: (ms: number) => Promise<void>;
  clock?: () => number;
}

export interface WellArchitectedReport {
  /** Answers whose Notes were updated. */
  updated: number;
  /** Questions of the workload's lens review that match none of our lens questions (left untouched). */
  unmatched: number;
  /** Matched questions no check of the run covers (left untouched). */
  uncovered: number;
  /** Matched, covered questions whose Notes could not be written (details in errors). */
  failed: number;
  /** Number of the milestone created. */
  milestone?: number;
  errors: CollectionError[];
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Title as compared: lower case, typographic quotes straightened, no punctuation, single spaces. */
export function normaliseTitle(title: string): string {
  return title
    .toLowerCase()
    .replace(/[\u2018\u2019\u201b\u2032]/g, "'")
    .replace(/[^a-z0-9' ]+/g, ' ')
    .replace(/'/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const BY_TITLE = new Map<string, { id: LensQuestion2022; pillar: string }>(
  (Object.entries(LENS_2022) as [LensQuestion2022, { pillar: string; title: string }][]).map(([id, q]) => [normaliseTitle(q.title), { id, pillar: q.pillar }]),
);

/** Our 2022 lens question of a WA Tool answer, by title (and pillar, when the answer names one). */
export function matchQuestion(answer: Pick<AnswerSummary, 'QuestionTitle' | 'PillarId'>): LensQuestion2022 | undefined {
  if (!answer.QuestionTitle) return undefined;
  const q = BY_TITLE.get(normaliseTitle(answer.QuestionTitle));
  if (!q) return undefined;
  if (answer.PillarId && answer.PillarId !== q.pillar) return undefined;
  return q.id;
}

/** Printable text on one line (resource names are the account's own strings). */
function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Cuts to `max` UTF-16 units without splitting a surrogate pair, marking the cut with an ellipsis. */
function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = Math.max(0, max - 1);
  if (end > 0 && /[\ud800-\udbff]/.test(s[end - 1]!)) end--;
  return `${s.slice(0, end)}…`;
}

export interface QuestionFindings {
  fail: Result[];
  suppressed: number;
  notAssessed: number;
}

/** The summary line of one question. Always ≤ `max` characters; the report link is kept whole when it fits. */
export function questionSummary(run: { runId: string; finishedAt: string; reportUrl?: string }, f: QuestionFindings, max = WA_NOTES_MAX): string {
  const date = /^\d{4}-\d{2}-\d{2}/.exec(run.finishedAt)?.[0] ?? '0000-00-00';
  // One word, so that the next run recognises the line as ours (OURS).
  const head = `lens-audit ${oneLine(run.runId).replace(/\s/g, '_') || '-'} ${date}: `;
  const extras = [
    f.suppressed > 0 ? `${f.suppressed} suppressed` : '',
    f.notAssessed > 0 ? `${f.notAssessed} not assessed` : '',
  ].filter(Boolean);
  const tail = run.reportUrl ? `; report: ${oneLine(run.reportUrl)}` : '';
  let body: string;
  if (f.fail.length === 0) {
    body = `no failing check${extras.length > 0 ? ` (${extras.join(', ')})` : ''}`;
  } else {
    const counts = new Map<Severity, number>();
    for (const r of f.fail) counts.set(r.severity, (counts.get(r.severity) ?? 0) + 1);
    const bySeverity = [...SEVERITIES].reverse().filter((s) => counts.has(s)).map((s) => `${s} ${counts.get(s)}`).join(', ');
    body = `${f.fail.length} failing (${bySeverity})${extras.length > 0 ? `, ${extras.join(', ')}` : ''}`;
    const top = [...f.fail]
      .sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.checkId.localeCompare(b.checkId) || a.resourceName.localeCompare(b.resourceName))
      .slice(0, WA_TOP_FINDINGS)
      .map((r) => `${r.checkId} on ${oneLine(r.resourceName || r.resourceArn)} (${r.accountId} ${r.region})`);
    // As many top findings as fit next to the head, the counts and the link.
    let list = '';
    for (const t of top) {
      const next = list ? `${list}; ${t}` : t;
      if (head.length + body.length + ' — top: '.length + next.length + tail.length > max) break;
      list = next;
    }
    if (list) body += ` — top: ${list}${top.length < f.fail.length ? '; …' : ''}`;
  }
  const line = `${head}${body}`;
  return line.length + tail.length <= max ? `${line}${tail}` : cut(`${line}${tail}`, max);
}

/** A summary of ours, as the last paragraph of the Notes (the form questionSummary writes). */
const OURS = /(?:^|\n\n)lens-audit \S+ \d{4}-\d{2}-\d{2}: [^\n]*$/;

/** The Notes with our summary in place of the previous one; undefined when the reviewer's text leaves too little room. */
export function mergeNotes(existing: string | undefined, summary: (max: number) => string): string | undefined {
  const own = (existing ?? '').replace(OURS, '').replace(/\s+$/, '');
  if (!own) return summary(WA_NOTES_MAX);
  const room = WA_NOTES_MAX - own.length - 2;
  if (room < WA_MIN_SUMMARY) return undefined;
  return `${own}\n\n${summary(room)}`;
}

/** Milestone name of a run: ≤100 characters, the run id always whole (names must be unique in the workload). */
export function milestoneName(runId: string, milestone: string | true): string {
  const id = oneLine(runId);
  const prefix = milestone === true ? 'lens-audit' : oneLine(milestone) || 'lens-audit';
  const room = WA_MILESTONE_NAME_MAX - id.length - 1;
  if (room < 1) return id.slice(0, WA_MILESTONE_NAME_MAX);
  return `${prefix.length > room ? prefix.slice(0, room) : prefix} ${id}`;
}

/** Writes the run's summary into the Notes of the workload's Serverless Lens answers. Never throws for AWS errors. */
export async function writeWellArchitectedNotes(input: WellArchitectedNotesInput, opts: WellArchitectedNotesOptions): Promise<WellArchitectedReport> {
  const sleep = opts.sleep ?? defaultSleep;
  const clock = opts.clock ?? Date.now;
  const maxAttempts = opts.maxAttempts ?? 3;
  const pace = opts.pace ?? { rate: 2, burst: 3 };
  const lensAlias = opts.lensAlias ?? 'serverless';
  const bucket = new TokenBucket(pace.rate, pace.burst, clock);
  const report: WellArchitectedReport = { updated: 0, unmatched: 0, uncovered: 0, failed: 0, errors: [] };
  const errors = new Map<string, { error: CollectionError; count: number }>();
  const region = opts.region ?? '';
  const error = (operation: string, code: string, message: string) => {
    const key = `${operation}|${code}`;
    const e = errors.get(key);
    if (e) e.count++;
    else errors.set(key, { error: { accountId: opts.accountId ?? '', region, service: 'wellarchitected', operation, code, message }, count: 1 });
  };

  /** One call, paced, throttling retried; AWS errors come back as the error. */
  const call = async <T>(send: () => Promise<T>): Promise<{ ok: T } | { err: unknown }> => {
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1) await sleep(Math.min(8000, 1000 * 2 ** (attempt - 2)));
      await bucket.take(sleep);
      try {
        return { ok: await send() };
      } catch (err) {
        if (!isAccessDenied(err) && (isThrottling(err) || /Internal|ServiceUnavailable/i.test(errorCode(err))) && attempt < maxAttempts) continue;
        return { err };
      }
    }
  };
  const workloadHint = (err: unknown) =>
    isNotFound(err) ? ` (workload ${opts.workloadId} not found in this Region, or the ${lensAlias} lens is not applied to it)` : '';

  // Which of our questions the run speaks to, and what it found on each.
  const lensOf = (r: Pick<Result, 'checkId' | 'lens2022'>) => input.checkFor(r.checkId)?.lens2022 ?? r.lens2022 ?? [];
  const covered = new Set<LensQuestion2022>();
  for (const c of input.checks ?? []) for (const q of c.lens2022) covered.add(q);
  const found = new Map<LensQuestion2022, QuestionFindings>();
  const at = (q: LensQuestion2022) => {
    let f = found.get(q);
    if (!f) found.set(q, (f = { fail: [], suppressed: 0, notAssessed: 0 }));
    return f;
  };
  for (const r of input.results) {
    for (const q of lensOf(r)) {
      if (!input.checks) covered.add(q);
      if (r.status === 'FAIL' && r.suppressed) at(q).suppressed++;
      else if (r.status === 'FAIL') at(q).fail.push(r);
      else if (r.status === 'NOT_ASSESSED') at(q).notAssessed++;
    }
  }

  // The workload's questions of the lens (every page).
  const answers: AnswerSummary[] = [];
  let token: string | undefined;
  const tokens = new Set<string>();
  do {
    const out = await call(() => opts.client.send(new ListAnswersCommand({ WorkloadId: opts.workloadId, LensAlias: lensAlias, MaxResults: WA_LIST_ANSWERS_PAGE, ...(token ? { NextToken: token } : {}) })));
    if ('err' in out) {
      error('ListAnswers', errorCode(out.err), `no notes written: ${errorMessage(out.err)}${workloadHint(out.err)}`);
      return finish();
    }
    answers.push(...(out.ok.AnswerSummaries ?? []));
    // A token seen before would page forever: stop there.
    token = out.ok.NextToken && !tokens.has(out.ok.NextToken) ? out.ok.NextToken : undefined;
    if (token) tokens.add(token);
  } while (token);

  // Our questions of the workload, in its order; the rest is counted and left alone.
  const targets: { questionId: string; question: LensQuestion2022 }[] = [];
  const ids = new Set<string>();
  for (const a of answers) {
    if (a.QuestionId && ids.has(a.QuestionId)) continue;
    if (a.QuestionId) ids.add(a.QuestionId);
    const q = matchQuestion(a);
    if (!q || !a.QuestionId) report.unmatched++;
    else if (!covered.has(q)) report.uncovered++;
    else targets.push({ questionId: a.QuestionId, question: q });
  }

  for (let i = 0; i < targets.length; i++) {
    const { questionId, question } = targets[i]!;
    const findings = found.get(question) ?? { fail: [], suppressed: 0, notAssessed: 0 };
    const failed = (operation: string, err: unknown): boolean => {
      report.failed++;
      error(operation, errorCode(err), `notes not written: ${errorMessage(err)}`);
      if (!isAccessDenied(err)) return false;
      // Denied: every other question would be too.
      report.failed += targets.length - i - 1;
      return true;
    };
    // The reviewer's own notes are kept: read them first.
    const current = await call(() => opts.client.send(new GetAnswerCommand({ WorkloadId: opts.workloadId, LensAlias: lensAlias, QuestionId: questionId })));
    if ('err' in current) {
      if (failed('GetAnswer', current.err)) break;
      continue;
    }
    const notes = mergeNotes(current.ok.Answer?.Notes, (max) => questionSummary(input, findings, max));
    if (notes === undefined) {
      report.failed++;
      error('UpdateAnswer', 'NotesFull', `question ${questionId}: the reviewer's notes leave under ${WA_MIN_SUMMARY} of the ${WA_NOTES_MAX} characters; left alone`);
      continue;
    }
    // Notes only: no SelectedChoices, ChoiceUpdates, IsApplicable or Reason, so the answer itself stays as the reviewer left it.
    const out = await call(() => opts.client.send(new UpdateAnswerCommand({ WorkloadId: opts.workloadId, LensAlias: lensAlias, QuestionId: questionId, Notes: notes })));
    if ('err' in out) {
      if (failed('UpdateAnswer', out.err)) break;
      continue;
    }
    report.updated++;
  }

  if (opts.milestone !== undefined) {
    const name = milestoneName(input.runId, opts.milestone);
    // The same token for the same run: a retried finalize gets the milestone it already made, not a second one.
    const clientToken = createHash('sha256').update(`${opts.workloadId}\u0000${name}`).digest('hex').slice(0, 32);
    const out = await call(() => opts.client.send(new CreateMilestoneCommand({ WorkloadId: opts.workloadId, MilestoneName: name, ClientRequestToken: clientToken })));
    if ('err' in out) error('CreateMilestone', errorCode(out.err), `milestone "${name}" not created: ${errorMessage(out.err)}`);
    else if (out.ok.MilestoneNumber !== undefined) report.milestone = out.ok.MilestoneNumber;
  }
  return finish();

  function finish(): WellArchitectedReport {
    for (const { error: e, count } of errors.values()) report.errors.push(count > 1 ? { ...e, message: `${count} times: ${e.message}` } : e);
    return report;
  }
}

/** The IAM actions this sink calls (all on the workload: arn:PARTITION:wellarchitected:REGION:ACCOUNT:workload/ID). */
export const WELL_ARCHITECTED_ACTIONS = ['wellarchitected:ListAnswers', 'wellarchitected:GetAnswer', 'wellarchitected:UpdateAnswer'] as const;
export const WELL_ARCHITECTED_MILESTONE_ACTION = 'wellarchitected:CreateMilestone';

export interface WellArchitectedDelivery {
  /** Credentials of the caller (the auditor; the workload is in its account). A writable client is made from them. */
  aws: ClientFactoryOptions;
  /** The workload's Region (workload ids are unique within a Region). */
  region: string;
  workloadId: string;
  milestone?: string | true;
  lensAlias?: string;
  /** For error entries. */
  accountId?: string;
  /** Pacing and retries (tests: a fake clock). */
  tuning?: Pick<WellArchitectedNotesOptions, 'pace' | 'maxAttempts' | 'sleep' | 'clock'>;
}

/**
 * The sink as the CLI and the Lambda finalize call it: its own writable client (the SDK's standard configuration,
 * retries and endpoint settings through ClientFactory), then writeWellArchitectedNotes. Never throws for AWS errors.
 */
export async function deliverToWellArchitected(input: WellArchitectedNotesInput, d: WellArchitectedDelivery): Promise<WellArchitectedReport> {
  if (!WA_WORKLOAD_ID.test(d.workloadId)) {
    return { updated: 0, unmatched: 0, uncovered: 0, failed: 0, errors: [{ accountId: d.accountId ?? '', region: d.region, service: 'wellarchitected', operation: 'ListAnswers', code: 'InvalidWorkloadId', message: `no notes written: ${JSON.stringify(d.workloadId.slice(0, 64))} is not a workload id (32 hex characters)` }] };
  }
  const factory = new ClientFactory({ ...d.aws, readOnly: false });
  try {
    return await writeWellArchitectedNotes(input, {
      ...d.tuning, client: factory.get(WellArchitectedClient, d.region), workloadId: d.workloadId, region: d.region,
      ...(d.milestone !== undefined ? { milestone: d.milestone } : {}), ...(d.lensAlias ? { lensAlias: d.lensAlias } : {}), ...(d.accountId ? { accountId: d.accountId } : {}),
    });
  } catch (err) {
    // Not an AWS answer (a client that cannot be built: bad profile, no region ...): still a run error, not a crash.
    return { updated: 0, unmatched: 0, uncovered: 0, failed: 0, errors: [{ accountId: d.accountId ?? '', region: d.region, service: 'wellarchitected', operation: 'UpdateAnswer', code: errorCode(err), message: `no notes written: ${errorMessage(err)}` }] };
  } finally {
    factory.destroy();
  }
}
