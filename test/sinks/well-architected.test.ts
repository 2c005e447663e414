// The Well-Architected Tool notes sink against aws-sdk-client-mock, answers shaped as in the WA Tool API reference
// (ListAnswers AnswerSummaries, GetAnswer Answer, UpdateAnswer, CreateMilestone). Question ids are the tool's own
// strings: the fixtures use made-up ones, as the sink must not depend on them.
import {
  AccessDeniedException, CreateMilestoneCommand, GetAnswerCommand, ListAnswersCommand, ResourceNotFoundException, ThrottlingException,
  UpdateAnswerCommand, WellArchitectedClient, type AnswerSummary, type UpdateAnswerInput,
} from '@aws-sdk/client-wellarchitected';
import { mockClient } from 'aws-sdk-client-mock';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import noTracing from '../../checks/lambda/no-tracing.js';
import execRoleWildcard from '../../checks/iam/exec-role-wildcard.js';
import { LENS_2022 } from '../../src/model/lens.js';
import type { Check, LensQuestion2022, Result, Severity } from '../../src/model/index.js';
import {
  WA_MILESTONE_NAME_MAX, WA_NOTES_MAX, deliverToWellArchitected, matchQuestion, parseWorkloadRef, milestoneName, questionSummary, writeWellArchitectedNotes,
  type WellArchitectedNotesInput, type WellArchitectedNotesOptions,
} from '../../src/sinks/well-architected.js';
import { operationName } from '../../src/aws/clients.js';
import { sinkPolicy } from '../../src/engine/permissions.js';
import { result } from '../state/helpers.js';

const WORKLOAD = '0123456789abcdef0123456789abcdef';
const wa = mockClient(WellArchitectedClient);
const client = () => new WellArchitectedClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' }, maxAttempts: 1 });

/** Fake time: sleeping advances the clock; nothing really waits. */
function fakeTime() {
  let t = 0;
  return { clock: () => t, sleep: async (ms: number) => { t += ms; } };
}

/** An AnswerSummary as ListAnswers returns it for one of our questions (id made up). */
function answer(q: LensQuestion2022, over: Partial<AnswerSummary> = {}): AnswerSummary {
  const { pillar, title } = LENS_2022[q];
  return {
    QuestionId: `fixture-${q.toLowerCase().replace(' ', '-')}`,
    PillarId: pillar,
    QuestionTitle: title,
    Choices: [{ ChoiceId: `${q}-choice-1`, Title: 'A best practice', Description: '' }, { ChoiceId: 'none', Title: 'None of these', Description: '' }],
    SelectedChoices: [`${q}-choice-1`],
    ChoiceAnswerSummaries: [{ ChoiceId: `${q}-choice-1`, Status: 'SELECTED' }],
    IsApplicable: true,
    Risk: 'MEDIUM',
    QuestionType: 'PRIORITIZED',
    ...over,
  };
}
const ALL_ANSWERS = (Object.keys(LENS_2022) as LensQuestion2022[]).map((q) => answer(q));

const checks = [noTracing, execRoleWildcard] as unknown as Check[];
const checkFor = (id: string) => checks.find((c) => c.id === id);

function fail(name: string, o: { checkId?: string; severity?: Severity; region?: string; suppressed?: string } = {}): Result {
  return { ...result('FAIL', name, { checkId: o.checkId, region: o.region, suppressed: o.suppressed }), severity: o.severity ?? 'LOW' };
}

function input(results: Result[], over: Partial<WellArchitectedNotesInput> = {}): WellArchitectedNotesInput {
  return { runId: 'run-20260601', finishedAt: '2026-06-01T03:12:00.000Z', results, checkFor, checks, reportUrl: 'https://reports.example.com/run-20260601/report.html', ...over };
}

let time: ReturnType<typeof fakeTime>;
function options(over: Partial<WellArchitectedNotesOptions> = {}): WellArchitectedNotesOptions {
  return { client: client(), workloadId: WORKLOAD, region: 'eu-west-1', accountId: '111122223333', clock: time.clock, sleep: time.sleep, ...over };
}

/** Answers' current notes, kept as UpdateAnswer leaves them (GetAnswer reads them back). */
let notes: Map<string, string>;
function serve(answers: AnswerSummary[] = ALL_ANSWERS, pageSize = 50) {
  wa.on(ListAnswersCommand).callsFake((i: { NextToken?: string; MaxResults?: number }) => {
    const start = i.NextToken ? Number(i.NextToken.replace('page-', '')) : 0;
    const size = Math.min(pageSize, i.MaxResults ?? 50);
    const page = answers.slice(start, start + size);
    return { WorkloadId: WORKLOAD, LensAlias: 'serverless', LensArn: 'arn:aws:wellarchitected::aws:lens/serverless', AnswerSummaries: page, ...(start + size < answers.length ? { NextToken: `page-${start + size}` } : {}) };
  });
  wa.on(GetAnswerCommand).callsFake((i: { QuestionId: string }) => {
    const a = answers.find((x) => x.QuestionId === i.QuestionId)!;
    return { WorkloadId: WORKLOAD, LensAlias: 'serverless', Answer: { ...a, ...(notes.has(i.QuestionId) ? { Notes: notes.get(i.QuestionId) } : {}) } };
  });
  wa.on(UpdateAnswerCommand).callsFake((i: UpdateAnswerInput) => {
    notes.set(i.QuestionId!, i.Notes!);
    return { WorkloadId: WORKLOAD, LensAlias: 'serverless', Answer: { QuestionId: i.QuestionId, Notes: i.Notes } };
  });
  wa.on(CreateMilestoneCommand).resolves({ WorkloadId: WORKLOAD, MilestoneNumber: 7 });
}
const updates = () => wa.commandCalls(UpdateAnswerCommand).map((c) => c.args[0].input);
const noteOf = (q: LensQuestion2022) => updates().find((u) => u.QuestionId === answer(q).QuestionId)?.Notes;

beforeEach(() => {
  wa.reset();
  time = fakeTime();
  notes = new Map();
});
afterEach(() => wa.reset());

describe('Well-Architected Tool notes sink', () => {
  it('reads every page of ListAnswers (MaxResults 50, lens serverless) and writes the questions the run covers', async () => {
    serve(ALL_ANSWERS, 4);
    const report = await writeWellArchitectedNotes(input([fail('fn-a'), fail('role-a', { checkId: execRoleWildcard.id })]), options());
    const lists = wa.commandCalls(ListAnswersCommand).map((c) => c.args[0].input);
    expect(lists.map((l) => l.NextToken)).toEqual([undefined, 'page-4', 'page-8']);
    for (const l of lists) expect(l).toMatchObject({ WorkloadId: WORKLOAD, LensAlias: 'serverless', MaxResults: 50 });
    // SERVOPS 1 (no-tracing) and SERVSEC 2 (exec-role-wildcard); SERVSEC 2 is on the first page, SERVPERF/SERVCOST on the last.
    expect(updates().map((u) => u.QuestionId).sort()).toEqual([answer('SERVOPS 1').QuestionId, answer('SERVSEC 2').QuestionId].sort());
    expect(report).toMatchObject({ updated: 2, unmatched: 0, uncovered: 7, failed: 0, errors: [] });
    expect(report.milestone).toBeUndefined();
  });

  it('stops paging at a NextToken it has seen before', async () => {
    serve();
    wa.on(ListAnswersCommand).resolves({ WorkloadId: WORKLOAD, LensAlias: 'serverless', AnswerSummaries: [answer('SERVOPS 1')], NextToken: 'again' });
    const report = await writeWellArchitectedNotes(input([fail('fn-a')]), options());
    expect(wa.commandCalls(ListAnswersCommand)).toHaveLength(2);
    // The question listed twice is written once.
    expect(report).toMatchObject({ updated: 1, errors: [] });
    expect(updates()).toHaveLength(1);
  });

  it('matches questions by title and pillar; a question it cannot match is left alone and counted', () => {
    expect(matchQuestion({ QuestionTitle: 'How do you manage your serverless application’s security boundaries?', PillarId: 'security' })).toBe('SERVSEC 2');
    expect(matchQuestion({ QuestionTitle: '  how do you REGULATE inbound request rates ', PillarId: 'reliability' })).toBe('SERVREL 1');
    expect(matchQuestion({ QuestionTitle: 'How do you regulate inbound request rates?', PillarId: 'performance' })).toBeUndefined();
    expect(matchQuestion({ QuestionTitle: 'How do you regulate inbound request rates?' })).toBe('SERVREL 1');
    expect(matchQuestion({ QuestionTitle: 'How do you choose your compute?', PillarId: 'performance' })).toBeUndefined();
  });

  it('counts unmatched questions and does not touch them, nor questions no check covers', async () => {
    const extra = answer('SERVOPS 1', { QuestionId: 'fixture-new-question', QuestionTitle: 'How do you evaluate new serverless services?' });
    const noTitle = answer('SERVOPS 2', { QuestionId: 'fixture-untitled', QuestionTitle: undefined });
    serve([...ALL_ANSWERS, extra, noTitle]);
    const report = await writeWellArchitectedNotes(input([fail('fn-a')]), options());
    expect(report).toMatchObject({ updated: 2, unmatched: 2, uncovered: 7 });
    const touched = [...wa.commandCalls(GetAnswerCommand), ...wa.commandCalls(UpdateAnswerCommand)].map((c) => c.args[0].input.QuestionId);
    expect(touched).not.toContain('fixture-new-question');
    expect(touched).not.toContain('fixture-untitled');
    expect(touched).not.toContain(answer('SERVREL 1').QuestionId);
  });

  it('writes one summary line: failures by severity, the top ones highest first, run id, date and report link', async () => {
    serve();
    const results = [
      fail('fn-low'), fail('fn-high', { severity: 'HIGH' }), fail('fn-crit', { severity: 'CRITICAL', region: 'eu-west-1' }), fail('fn-high-2', { severity: 'HIGH' }),
      fail('fn-quiet', { suppressed: 'accepted risk' }), { ...result('NOT_ASSESSED', 'fn-gap'), severity: 'LOW' as Severity }, result('PASS', 'fn-ok'),
    ];
    await writeWellArchitectedNotes(input(results), options());
    expect(noteOf('SERVOPS 1')).toBe(
      'lens-audit run-20260601 2026-06-01: 4 failing (CRITICAL 1, HIGH 2, LOW 1), 1 suppressed, 1 not assessed — top: ' +
        'lambda.no-tracing on fn-crit (111122223333 eu-west-1); lambda.no-tracing on fn-high (111122223333 us-east-1); ' +
        'lambda.no-tracing on fn-high-2 (111122223333 us-east-1); lambda.no-tracing on fn-low (111122223333 us-east-1); ' +
        'report: https://reports.example.com/run-20260601/report.html',
    );
    // Covered by a check of the run, nothing failed: said so, never silently skipped.
    expect(noteOf('SERVSEC 2')).toBe('lens-audit run-20260601 2026-06-01: no failing check; report: https://reports.example.com/run-20260601/report.html');
  });

  it('names at most five findings and says there are more; without a report link, none is written', async () => {
    serve();
    const results = Array.from({ length: 8 }, (_, i) => fail(`fn-${i}`));
    await writeWellArchitectedNotes(input(results, { reportUrl: undefined }), options());
    const n = noteOf('SERVOPS 1')!;
    expect(n.match(/lambda\.no-tracing on/g)).toHaveLength(5);
    expect(n).toMatch(/^lens-audit run-20260601 2026-06-01: 8 failing \(LOW 8\) — top: .*; …$/);
    expect(n).not.toContain('report:');
  });

  it('keeps the Notes within 2,084 characters, with the report link whole, however long the names', async () => {
    serve();
    const long = 'x'.repeat(900);
    const results = [fail(`${long}-1`, { severity: 'HIGH' }), fail(`${long}-2`), fail(`${long}-3`)];
    await writeWellArchitectedNotes(input(results), options());
    const n = noteOf('SERVOPS 1')!;
    expect(n.length).toBeLessThanOrEqual(WA_NOTES_MAX);
    expect(n).toMatch(/^lens-audit run-20260601 2026-06-01: 3 failing \(HIGH 1, LOW 2\) — top: lambda\.no-tracing on x{900}-1 .*; report: https:\/\/reports\.example\.com\/run-20260601\/report\.html$/);
    // A link that alone exceeds the limit is cut, not sent too long.
    const huge = questionSummary({ runId: 'r', finishedAt: '2026-06-01', reportUrl: `https://e.example/${'😀'.repeat(1500)}` }, { fail: [], suppressed: 0, notAssessed: 0 });
    expect(huge.length).toBeLessThanOrEqual(WA_NOTES_MAX);
    expect(huge.endsWith('…')).toBe(true);
    expect(huge).not.toMatch(/[\ud800-\udbff]…$/);
  });

  it('never sends SelectedChoices, ChoiceUpdates, IsApplicable or Reason: only the Notes change', async () => {
    serve();
    await writeWellArchitectedNotes(input([fail('fn-a'), fail('role-a', { checkId: execRoleWildcard.id })]), options());
    expect(updates()).toHaveLength(2);
    for (const u of updates()) expect(Object.keys(u).sort()).toEqual(['LensAlias', 'Notes', 'QuestionId', 'WorkloadId']);
  });

  it('keeps what a reviewer wrote and replaces its own previous summary, run after run', async () => {
    serve();
    notes.set(answer('SERVOPS 1').QuestionId!, 'Reviewed with the team on 2026-05-02.\nAlarms live in the ops account.');
    await writeWellArchitectedNotes(input([fail('fn-a')], { runId: 'run-1', finishedAt: '2026-06-01T03:00:00Z' }), options());
    await writeWellArchitectedNotes(input([], { runId: 'run-2', finishedAt: '2026-06-02T03:00:00Z' }), options());
    expect(notes.get(answer('SERVOPS 1').QuestionId!)).toBe(
      'Reviewed with the team on 2026-05-02.\nAlarms live in the ops account.\n\n' +
        'lens-audit run-2 2026-06-02: no failing check; report: https://reports.example.com/run-20260601/report.html',
    );
    expect(notes.get(answer('SERVSEC 2').QuestionId!)).toMatch(/^lens-audit run-2 2026-06-02: no failing check/);
    // Whatever the run id and time look like, the next run still recognises its own line: never two of them.
    await writeWellArchitectedNotes(input([], { runId: 'run 3', finishedAt: 'not a date', reportUrl: undefined }), options());
    await writeWellArchitectedNotes(input([], { runId: 'run 4\n', finishedAt: '2026-06-04T03:00:00Z', reportUrl: undefined }), options());
    expect(notes.get(answer('SERVOPS 1').QuestionId!)).toBe(
      'Reviewed with the team on 2026-05-02.\nAlarms live in the ops account.\n\nlens-audit run_4 2026-06-04: no failing check',
    );
  });

  it('leaves a question alone when the reviewer\'s notes leave too little room, and says so', async () => {
    serve();
    notes.set(answer('SERVOPS 1').QuestionId!, 'r'.repeat(WA_NOTES_MAX - 20));
    const report = await writeWellArchitectedNotes(input([fail('fn-a')]), options());
    expect(noteOf('SERVOPS 1')).toBeUndefined();
    expect(report).toMatchObject({ updated: 1, failed: 1 });
    expect(report.errors).toEqual([expect.objectContaining({ service: 'wellarchitected', operation: 'UpdateAnswer', code: 'NotesFull' })]);
  });

  it('creates one milestone per run, its name unique per run and ≤100 characters, idempotent for a retried run', async () => {
    serve();
    const r1 = await writeWellArchitectedNotes(input([], { runId: 'run-1' }), options({ milestone: true }));
    await writeWellArchitectedNotes(input([], { runId: 'run-1' }), options({ milestone: true }));
    await writeWellArchitectedNotes(input([], { runId: 'run-2' }), options({ milestone: 'nightly' }));
    expect(r1.milestone).toBe(7);
    const calls = wa.commandCalls(CreateMilestoneCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.MilestoneName)).toEqual(['lens-audit run-1', 'lens-audit run-1', 'nightly run-2']);
    expect(calls[0]!.WorkloadId).toBe(WORKLOAD);
    expect(calls[0]!.ClientRequestToken).toBe(calls[1]!.ClientRequestToken);
    expect(calls[2]!.ClientRequestToken).not.toBe(calls[0]!.ClientRequestToken);
    // The milestone follows the notes.
    expect(wa.call(wa.calls().length - 1).args[0]).toBeInstanceOf(CreateMilestoneCommand);

    const id = '2f1c9a8e-4b7d-4c61-9e0a-3d5b6f7a8c9d';
    const name = milestoneName(id, 'p'.repeat(200));
    expect(name.length).toBe(WA_MILESTONE_NAME_MAX);
    expect(name.endsWith(` ${id}`)).toBe(true);
  });

  it('retries throttled calls, paced, and writes the notes', async () => {
    serve();
    const throttled = () => new ThrottlingException({ message: 'Rate exceeded', Message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } });
    wa.on(UpdateAnswerCommand).rejectsOnce(throttled()).callsFake((i: UpdateAnswerInput) => ({ WorkloadId: WORKLOAD, Answer: { QuestionId: i.QuestionId, Notes: i.Notes } }));
    const report = await writeWellArchitectedNotes(input([fail('fn-a')]), options());
    expect(report).toMatchObject({ updated: 2, failed: 0, errors: [] });
    expect(wa.commandCalls(UpdateAnswerCommand)).toHaveLength(3);
  });

  it('paces its calls with a token bucket (fake clock: no real waiting)', async () => {
    serve();
    await writeWellArchitectedNotes(input([fail('fn-a')]), options({ pace: { rate: 1, burst: 1 }, milestone: true }));
    // ListAnswers, 2 × (GetAnswer, UpdateAnswer), CreateMilestone: one a second after the first.
    expect(wa.calls()).toHaveLength(6);
    expect(time.clock()).toBeGreaterThanOrEqual(5000);
  });

  it('turns throttling that outlasts the retries into an error entry, not a throw', async () => {
    serve();
    wa.on(UpdateAnswerCommand).rejects(new ThrottlingException({ message: 'Rate exceeded', Message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } }));
    const report = await writeWellArchitectedNotes(input([fail('fn-a')]), options({ milestone: true }));
    expect(report).toMatchObject({ updated: 0, failed: 2 });
    expect(report.errors).toEqual([{ accountId: '111122223333', region: 'eu-west-1', service: 'wellarchitected', operation: 'UpdateAnswer', code: 'ThrottlingException', message: '2 times: notes not written: Rate exceeded' }]);
    expect(wa.commandCalls(UpdateAnswerCommand)).toHaveLength(6);
    expect(report.milestone).toBe(7);
  });

  it('stops at the first denied write: an error entry, the other questions counted as not written', async () => {
    serve();
    wa.on(UpdateAnswerCommand).rejects(new AccessDeniedException({ message: 'User is not authorized to perform: wellarchitected:UpdateAnswer', Message: 'User is not authorized to perform: wellarchitected:UpdateAnswer', $metadata: { httpStatusCode: 403 } }));
    const report = await writeWellArchitectedNotes(input([fail('fn-a')]), options());
    expect(wa.commandCalls(UpdateAnswerCommand)).toHaveLength(1);
    expect(report).toMatchObject({ updated: 0, failed: 2 });
    expect(report.errors).toEqual([expect.objectContaining({ service: 'wellarchitected', operation: 'UpdateAnswer', code: 'AccessDeniedException' })]);
  });

  it('reports a workload it cannot list (not found, denied) as an error and writes nothing', async () => {
    wa.on(ListAnswersCommand).rejects(new ResourceNotFoundException({ message: 'No such workload', Message: 'No such workload', ResourceId: WORKLOAD, ResourceType: 'WORKLOAD', $metadata: { httpStatusCode: 404 } }));
    const report = await writeWellArchitectedNotes(input([fail('fn-a')]), options({ milestone: true }));
    expect(report).toMatchObject({ updated: 0, unmatched: 0, failed: 0 });
    expect(report.errors).toEqual([expect.objectContaining({ service: 'wellarchitected', operation: 'ListAnswers', code: 'ResourceNotFoundException' })]);
    expect(report.errors[0]!.message).toMatch(/not found in this Region, or the serverless lens is not applied/);
    expect(wa.commandCalls(UpdateAnswerCommand)).toHaveLength(0);
    expect(wa.commandCalls(CreateMilestoneCommand)).toHaveLength(0);

    wa.reset();
    wa.on(ListAnswersCommand).rejects(new AccessDeniedException({ message: 'denied', Message: 'denied', $metadata: { httpStatusCode: 403 } }));
    const denied = await writeWellArchitectedNotes(input([]), options());
    expect(denied.errors).toEqual([expect.objectContaining({ operation: 'ListAnswers', code: 'AccessDeniedException' })]);
  });

  it('without the run\'s check list, covers the questions of the results it is given', async () => {
    serve();
    const report = await writeWellArchitectedNotes(input([fail('fn-a')], { checks: undefined }), options());
    expect(report).toMatchObject({ updated: 1, uncovered: 8 });
    expect(noteOf('SERVOPS 1')).toMatch(/^lens-audit run-20260601 2026-06-01: 1 failing \(LOW 1\)/);
  });

  it('takes a workload id or its ARN (which names the Region and account)', () => {
    expect(parseWorkloadRef(WORKLOAD)).toEqual({ workloadId: WORKLOAD });
    expect(parseWorkloadRef(`arn:aws-cn:wellarchitected:cn-north-1:111122223333:workload/${WORKLOAD}`)).toEqual({ workloadId: WORKLOAD, region: 'cn-north-1', accountId: '111122223333', partition: 'aws-cn' });
    for (const bad of ['my-workload', WORKLOAD.toUpperCase(), `${WORKLOAD}0`, `arn:aws:wellarchitected:eu-west-1:111122223333:lens/${WORKLOAD}`]) expect(parseWorkloadRef(bad), bad).toBeUndefined();
  });

  it('delivers through its own writable client (the audit\'s read-only guard would refuse UpdateAnswer) and refuses a malformed workload id', async () => {
    serve();
    const aws = { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' }, maxAttempts: 1 };
    const report = await deliverToWellArchitected(input([fail('fn-a')]), { aws, region: 'eu-west-1', workloadId: WORKLOAD, milestone: true, accountId: '111122223333', tuning: time });
    expect(report).toMatchObject({ updated: 2, failed: 0, milestone: 7, errors: [] });

    wa.reset();
    const bad = await deliverToWellArchitected(input([]), { aws, region: 'eu-west-1', workloadId: 'my-workload' });
    expect(bad.errors).toEqual([expect.objectContaining({ service: 'wellarchitected', code: 'InvalidWorkloadId' })]);
    expect(wa.calls()).toHaveLength(0);
  });
});

describe('sink permissions (audit permissions --sinks)', () => {
  beforeEach(() => {
    wa.reset();
    time = fakeTime();
    notes = new Map();
  });

  it('lists exactly the Well-Architected actions the sink sends, on the workload', async () => {
    serve();
    await writeWellArchitectedNotes(input([fail('fn-a')]), options({ milestone: true }));
    const sent = [...new Set(wa.calls().map((c) => `wellarchitected:${operationName(c.args[0] as object)}`))].sort();
    const policy = sinkPolicy({ securityHub: false, secretRef: false, wellArchitected: { workloadId: WORKLOAD, region: 'eu-west-1', accountId: '111122223333' } });
    expect(policy.Statement).toEqual([{
      Sid: 'LensAuditWellArchitectedNotes', Effect: 'Allow', Action: sent,
      Resource: `arn:aws:wellarchitected:eu-west-1:111122223333:workload/${WORKLOAD}`,
    }]);
    expect(sent).toEqual(['wellarchitected:CreateMilestone', 'wellarchitected:GetAnswer', 'wellarchitected:ListAnswers', 'wellarchitected:UpdateAnswer']);
    const noMilestone = sinkPolicy({ securityHub: false, secretRef: false, wellArchitected: { workloadId: WORKLOAD, milestone: false } });
    expect(noMilestone.Statement[0]!.Action).not.toContain('wellarchitected:CreateMilestone');
  });

  it('covers every sink by default, in the given partition, and narrows a webhook reference to its parameter or secret', () => {
    const all = sinkPolicy({ partition: 'aws-us-gov' });
    expect(all.Statement.map((s) => [s.Sid, s.Action, s.Resource])).toEqual([
      ['LensAuditSecurityHubImport', ['securityhub:BatchImportFindings'], 'arn:aws-us-gov:securityhub:*:*:product/*/default'],
      ['LensAuditWellArchitectedNotes', ['wellarchitected:CreateMilestone', 'wellarchitected:GetAnswer', 'wellarchitected:ListAnswers', 'wellarchitected:UpdateAnswer'], 'arn:aws-us-gov:wellarchitected:*:*:workload/*'],
      ['LensAuditReadWebhookParameter', ['ssm:GetParameter'], 'arn:aws-us-gov:ssm:*:*:parameter/*'],
      ['LensAuditReadWebhookSecret', ['secretsmanager:GetSecretValue'], 'arn:aws-us-gov:secretsmanager:*:*:secret:*'],
    ]);
    for (const s of all.Statement) for (const a of s.Action) expect(a.endsWith(':*')).toBe(false);
    const only = (ref: string) => sinkPolicy({ securityHub: false, wellArchitected: false, secretRef: ref }).Statement;
    expect(only('ssm:/lens-audit/slack')).toEqual([{ Sid: 'LensAuditReadWebhookParameter', Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: 'arn:aws:ssm:*:*:parameter/lens-audit/slack' }]);
    expect(only('ssm:slack-url')[0]!.Resource).toBe('arn:aws:ssm:*:*:parameter/slack-url');
    expect(only('secret:lens-audit/slack-webhook')).toEqual([{ Sid: 'LensAuditReadWebhookSecret', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: 'arn:aws:secretsmanager:*:*:secret:lens-audit/slack-webhook-??????' }]);
    const arn = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:slack-AbCdEf';
    expect(only(`secret:${arn}`)[0]!.Resource).toBe(arn);
    expect(only('https://hooks.slack.com/services/T000/B000/XXXX')).toEqual([]);
  });
});

// The same over the wire: a loopback HTTP/1.1 server answering the WA Tool's REST-JSON protocol (routes and shapes of
// the API reference), so that what UpdateAnswer really sends is seen byte for byte.
describe('Well-Architected Tool notes over HTTP (REST-JSON on loopback)', () => {
  let server: Server;
  let endpoint: string;
  const seen: { method: string; path: string; body: Record<string, unknown> }[] = [];
  let throttleNextUpdate = false;
  // After the file's own beforeEach (whose reset would stub the client again): the real send, to the server.
  beforeEach(() => wa.restore());
  beforeAll(async () => {
    server = createServer((req, res) => {
      let text = '';
      req.on('data', (d) => (text += d));
      req.on('end', () => {
        const url = new URL(req.url!, 'http://x');
        const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        seen.push({ method: req.method!, path: url.pathname, body });
        const json = (status: number, o: unknown, headers: Record<string, string> = {}) => {
          res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': 'req-1', ...headers });
          res.end(JSON.stringify(o));
        };
        const base = `/workloads/${WORKLOAD}/lensReviews/serverless/answers`;
        if (req.method === 'GET' && url.pathname === base) {
          const start = Number(url.searchParams.get('NextToken') ?? 0);
          const page = ALL_ANSWERS.slice(start, start + 5);
          return json(200, { WorkloadId: WORKLOAD, LensAlias: 'serverless', AnswerSummaries: page, ...(start + 5 < ALL_ANSWERS.length ? { NextToken: String(start + 5) } : {}) });
        }
        const q = url.pathname.startsWith(`${base}/`) ? decodeURIComponent(url.pathname.slice(base.length + 1)) : undefined;
        if (req.method === 'GET' && q) return json(200, { WorkloadId: WORKLOAD, LensAlias: 'serverless', Answer: { ...ALL_ANSWERS.find((a) => a.QuestionId === q), Notes: 'Reviewed in May.' } });
        if (req.method === 'PATCH' && q) {
          if (throttleNextUpdate) {
            throttleNextUpdate = false;
            return json(429, { Message: 'Rate exceeded' }, { 'x-amzn-errortype': 'ThrottlingException' });
          }
          return json(200, { WorkloadId: WORKLOAD, LensAlias: 'serverless', Answer: { QuestionId: q, Notes: body.Notes } });
        }
        if (req.method === 'POST' && url.pathname === `/workloads/${WORKLOAD}/milestones`) return json(200, { WorkloadId: WORKLOAD, MilestoneNumber: 3 });
        return json(404, { Message: `not served: ${req.method} ${url.pathname}` }, { 'x-amzn-errortype': 'ResourceNotFoundException' });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('pages, reads, writes Notes alone (PATCH body), retries a 429 and records the milestone', async () => {
    time = fakeTime();
    throttleNextUpdate = true;
    const aws = { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' }, endpoint, maxAttempts: 1 };
    const report = await deliverToWellArchitected(input([fail('fn-a', { severity: 'HIGH' })]), { aws, region: 'eu-west-1', workloadId: WORKLOAD, milestone: true, tuning: time });
    expect(report).toMatchObject({ updated: 2, unmatched: 0, uncovered: 7, failed: 0, milestone: 3, errors: [] });
    expect(seen.filter((r) => r.method === 'GET' && r.path.endsWith('/answers'))).toHaveLength(2);
    const patches = seen.filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(3);
    for (const p of patches) expect(Object.keys(p.body)).toEqual(['Notes']);
    expect(patches.at(-1)!.body.Notes).toMatch(/^Reviewed in May\.\n\nlens-audit run-20260601 2026-06-01: /);
    expect(seen.at(-1)).toMatchObject({ method: 'POST', body: { MilestoneName: 'lens-audit run-20260601', ClientRequestToken: expect.any(String) } });
  });
});
