// Slack digest sink: after a run, post what is new since the previous run (and, briefly, what was resolved) to an
// incoming webhook. Plain inputs in, an outcome with error entries out: this module never throws past its caller and
// never writes the webhook URL into anything it returns.
import { IncomingWebhook, type FetchFunction } from '@slack/webhook';
import { errorCode, errorMessage } from '../aws/errors.js';
import { SEVERITIES, severityRank, type CollectionError, type ResolvedFinding, type Result, type Severity } from '../model/index.js';
import { consoleUrl } from '../report/console-link.js';
import type { PostedMarker } from '../state/posted-marker.js';
import { isSecretRef, resolveSecretRef, type SecretRefOptions } from './secret-ref.js';

export { SLACK_WEBHOOK_ENV } from '../model/env.js';
import { SLACK_WEBHOOK_ENV } from '../model/env.js';

/**
 * Block Kit limits (https://api.slack.com/reference/block-kit/blocks) and our own, lower, message budget: Slack has
 * rejected messages of ~13k characters that were within the documented limits (aws-integration.md §4).
 */
export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  /** JSON length of `{ text, blocks }`. */
  message: 10_000,
  /** New findings listed one by one; the rest are counted. */
  findings: 40,
  /** Resolved findings listed one by one. */
  resolved: 5,
} as const;

export interface DigestInput {
  runId: string;
  scope: { accounts: string[]; regions: string[] };
  /** Results first seen this run. Only unsuppressed FAIL results are listed; others are ignored. */
  newResults: Result[];
  /** Findings resolved this run; suppressed ones are ignored. */
  resolved: ResolvedFinding[];
  /** Open findings after this run (the JSON `summary` fits): shown in the header when given. */
  counts?: { fail?: number; bySeverity?: Partial<Record<Severity, number>> };
  /** Where the full report is: an http(s) URL (linked) or a path (shown). */
  reportUrl?: string;
}

type TextObject = { type: 'plain_text' | 'mrkdwn'; text: string };
export type SlackBlock =
  | { type: 'header'; text: TextObject }
  | { type: 'section'; text: TextObject }
  | { type: 'context'; elements: TextObject[] }
  | { type: 'divider' };
export interface SlackMessage {
  /** Notification fallback. */
  text: string;
  blocks: SlackBlock[];
}

// ------------------------------------------------------------------------------------------- building the digest

const EMOJI: Record<Severity, string> = {
  CRITICAL: ':red_circle:',
  HIGH: ':large_orange_circle:',
  MEDIUM: ':large_yellow_circle:',
  LOW: ':large_blue_circle:',
  INFORMATIONAL: ':white_circle:',
};
const DESCENDING = [...SEVERITIES].reverse();

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
function link(url: string, label: string): string {
  // Very long URLs (deep log group names) would eat the message budget: show the label alone.
  return url.length > 500 ? esc(label) : `<${url}|${esc(label).replace(/\|/g, '¦')}>`;
}

function bySeverity(items: { severity: Severity }[]): Map<Severity, number> {
  const m = new Map<Severity, number>();
  for (const i of items) m.set(i.severity, (m.get(i.severity) ?? 0) + 1);
  return m;
}
function severityList(counts: Map<Severity, number> | Partial<Record<Severity, number>>, sep = ' · '): string {
  const get = (s: Severity) => (counts instanceof Map ? counts.get(s) : counts[s]) ?? 0;
  return DESCENDING.filter((s) => get(s) > 0).map((s) => `${get(s)} ${s}`).join(sep);
}
function listOrCount(items: string[], max: number, word: string): string {
  return items.length <= max ? items.join(', ') : plural(items.length, word);
}

function digestOrder(a: Result, b: Result): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    a.accountId.localeCompare(b.accountId) ||
    a.title.localeCompare(b.title) ||
    a.region.localeCompare(b.region) ||
    a.resourceName.localeCompare(b.resourceName, 'en', { numeric: true })
  );
}

/** Sections holding `lines` under `heading`, split so no section text passes the Block Kit limit. */
function sections(heading: string, lines: string[]): SlackBlock[] {
  const out: SlackBlock[] = [];
  let text = heading;
  for (const line of lines) {
    if (text.length + 1 + line.length > SLACK_LIMITS.sectionText) {
      out.push({ type: 'section', text: { type: 'mrkdwn', text } });
      text = line;
    } else text = text ? `${text}\n${line}` : line;
  }
  if (text) out.push({ type: 'section', text: { type: 'mrkdwn', text } });
  return out;
}

function scopeLine(input: DigestInput): string {
  const { accounts, regions } = input.scope;
  return `Accounts: ${listOrCount(accounts, 5, 'account')} · Regions: ${listOrCount(regions, 6, 'region')} · Run \`${esc(clip(input.runId, 80))}\``;
}
function openLine(counts: DigestInput['counts']): string | undefined {
  if (!counts) return undefined;
  const sev = counts.bySeverity ? severityList(counts.bySeverity) : '';
  if (sev) return `*Open:* ${sev}`;
  return counts.fail !== undefined ? `*Open:* ${counts.fail}` : undefined;
}
function reportPointer(reportUrl: string | undefined): string | undefined {
  if (!reportUrl) return undefined;
  return /^https?:\/\//i.test(reportUrl) ? `Full report: ${link(reportUrl, clip(reportUrl, 200))}` : `Full report: \`${esc(clip(reportUrl, 300))}\``;
}

/** The message with the first `shown` of the sorted findings listed and the rest counted by severity. */
function render(input: DigestInput, findings: Result[], shown: number): SlackMessage {
  const newCounts = bySeverity(findings);
  const resolved = input.resolved.filter((r) => !r.suppressed);
  const title = `lens-audit: ${plural(findings.length, 'new finding')}${resolved.length ? `, ${resolved.length} resolved` : ''}`;
  const blocks: SlackBlock[] = [{ type: 'header', text: { type: 'plain_text', text: clip(title, SLACK_LIMITS.headerText) } }];
  const summary = [findings.length ? `*New:* ${severityList(newCounts)}` : '*New:* none', openLine(input.counts)].filter(Boolean);
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: summary.join('\n') } });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: scopeLine(input) }] });

  if (findings.length) blocks.push({ type: 'divider' });
  // One section per (severity, account) group; the heading counts the whole group, listed or not.
  const groupSize = new Map<string, number>();
  for (const f of findings) groupSize.set(`${f.severity}|${f.accountId}`, (groupSize.get(`${f.severity}|${f.accountId}`) ?? 0) + 1);
  let i = 0;
  while (i < shown) {
    const { severity, accountId } = findings[i]!;
    const lines: string[] = [];
    for (; i < shown && findings[i]!.severity === severity && findings[i]!.accountId === accountId; i++) {
      const f = findings[i]!;
      lines.push(`• ${link(consoleUrl(f), clip(f.resourceName || f.resourceArn, 100))} — ${esc(clip(f.title, 120))} · ${esc(f.region)}`);
    }
    const heading = `${EMOJI[severity]} *${severity}* · account \`${esc(accountId)}\` — ${groupSize.get(`${severity}|${accountId}`)} new`;
    blocks.push(...sections(heading, lines));
  }
  const hidden = bySeverity(findings.slice(shown));
  if (hidden.size) {
    const more = DESCENDING.filter((s) => hidden.has(s)).map((s) => `_…and ${hidden.get(s)} more ${s}_`);
    blocks.push(...sections('', more));
  }

  if (resolved.length) {
    blocks.push({ type: 'divider' });
    const lines = resolved.slice(0, SLACK_LIMITS.resolved).map(
      (r) => `• ${esc(clip(r.title, 120))} — ${esc(clip(r.resourceName || r.resourceArn, 100))} · \`${esc(r.accountId)}\` · ${esc(r.region)}`,
    );
    if (resolved.length > SLACK_LIMITS.resolved) lines.push(`_…and ${resolved.length - SLACK_LIMITS.resolved} more resolved_`);
    blocks.push(...sections(`:white_check_mark: *Resolved since the previous run* — ${resolved.length}`, lines));
  }

  const pointer = reportPointer(input.reportUrl) ?? (hidden.size ? `Full list: the report of run \`${esc(clip(input.runId, 80))}\`` : undefined);
  if (pointer) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: pointer }] });

  const counts = findings.length ? ` (${severityList(newCounts, ', ')})` : '';
  const text = `lens-audit: ${plural(findings.length, 'new finding')}${counts}${resolved.length ? `, ${resolved.length} resolved` : ''}`
    + ` · ${plural(input.scope.accounts.length, 'account')}, ${plural(input.scope.regions.length, 'region')}`;
  return { text, blocks };
}

function fits(m: SlackMessage): boolean {
  return (
    m.blocks.length <= SLACK_LIMITS.blocks &&
    m.blocks.every((b) => (b.type === 'section' ? b.text.text.length <= SLACK_LIMITS.sectionText : true)) &&
    JSON.stringify(m).length <= SLACK_LIMITS.message
  );
}

function heartbeat(input: DigestInput): SlackMessage {
  const open = openLine(input.counts);
  const text = `lens-audit: no new findings · ${plural(input.scope.accounts.length, 'account')}, ${plural(input.scope.regions.length, 'region')}`;
  const line = [`:white_check_mark: *lens-audit:* no new or resolved findings`, open, scopeLine(input)].filter(Boolean).join(' · ');
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: line } }] };
}

/**
 * The digest for a run, or undefined when nothing is new and no heartbeat was asked for (the issue: "Nothing new: no
 * message"). With slackAlways, a run with only resolved findings gets the digest with its resolved section; a run with
 * neither gets the heartbeat line.
 */
export function buildDigest(input: DigestInput, options: { slackAlways?: boolean } = {}): SlackMessage | undefined {
  const findings = input.newResults.filter((r) => r.status === 'FAIL' && !r.suppressed).sort(digestOrder);
  if (!findings.length) {
    if (!options.slackAlways) return undefined;
    if (!input.resolved.some((r) => !r.suppressed)) return heartbeat(input);
  }
  // List as many findings as the limits allow; each candidate is measured whole, so the fixed parts are accounted for.
  for (let shown = Math.min(findings.length, SLACK_LIMITS.findings); shown > 0; shown--) {
    const m = render(input, findings, shown);
    if (fits(m)) return m;
  }
  return render(input, findings, 0);
}

// ------------------------------------------------------------------------------------------- webhook setting

function slackError(operation: string, code: string, message: string): CollectionError {
  return { accountId: '', region: '', service: 'slack', operation, code, message };
}

/** The webhook setting: `--slack-webhook` wins over LENS_AUDIT_SLACK_WEBHOOK. A URL, `ssm:/name` or `secret:name`. */
export function webhookSetting(flag?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return flag?.trim() || env[SLACK_WEBHOOK_ENV]?.trim() || undefined;
}

function isWebhookUrl(value: string): boolean {
  try {
    const u = new URL(value);
    // Plain http only to this machine (tests, local stand-ins): the URL is a credential.
    return u.protocol === 'https:' || (u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname));
  } catch {
    return false;
  }
}

export type WebhookResolution = { url: string; error?: undefined } | { url?: undefined; error: CollectionError };

/** Turns the setting into the webhook URL, reading SSM / Secrets Manager for references. */
export async function resolveWebhook(setting: string, options?: SecretRefOptions): Promise<WebhookResolution> {
  let value = setting.trim();
  const ref = isSecretRef(value) ? value : undefined;
  if (ref) {
    const r = await resolveSecretRef(ref, options);
    if (r.error) return { error: r.error };
    value = r.value.trim();
  }
  if (!isWebhookUrl(value)) {
    const what = ref ? `the value of ${ref}` : 'the Slack webhook setting';
    return { error: slackError('ResolveWebhook', 'InvalidWebhookUrl', `${what} is not an https URL${ref ? '' : ' nor an ssm:/ or secret: reference'}`) };
  }
  return { url: value };
}

// ------------------------------------------------------------------------------------------- posting

export interface SlackSinkOptions {
  /** The webhook setting (see webhookSetting): an https URL, `ssm:/name` or `secret:name`. */
  webhook: string;
  postedMarker: PostedMarker;
  /** Post a heartbeat line when nothing is new. */
  slackAlways?: boolean;
  /** Region/credentials for resolving `ssm:` and `secret:` references. */
  secretRef?: SecretRefOptions;
  /** HTTP attempts when Slack answers 429 (default 3). */
  maxAttempts?: number;
  /** Give up rather than wait longer than this for a Retry-After (default 30 s). */
  maxRetryAfterSeconds?: number;
  timeoutMs?: number;
  /** Injected for tests; default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

export interface SlackPostOutcome {
  status: 'posted' | 'nothing-new' | 'already-posted' | 'failed';
  /** HTTP requests made to the webhook. */
  attempts: number;
  /** Entries for the run's `errors`; the webhook URL never appears in them. */
  errors: CollectionError[];
}

/** Removes the URL (and its secret path) from a message, then the usual secret redaction. */
function scrub(message: string, url: string | undefined): string {
  let out = message;
  if (url) {
    out = out.split(url).join('<webhook>');
    try {
      const path = new URL(url).pathname;
      if (path.length > 1) out = out.split(path).join('/<redacted>');
    } catch {
      // not a URL: nothing more to cut
    }
  }
  return errorMessage(out);
}

function retryAfterSeconds(header: string | null): number {
  if (!header) return 1;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? 1 : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

async function send(url: string, message: SlackMessage, o: SlackSinkOptions): Promise<{ attempts: number; error?: CollectionError }> {
  let retryAfter: string | null = null;
  // @slack/webhook's errors carry no headers; read Retry-After on the way through.
  const fetchFn: FetchFunction = async (u, init) => {
    const res = await fetch(u, init as RequestInit);
    retryAfter = res.headers.get('retry-after');
    return res;
  };
  const hook = new IncomingWebhook(url, { fetch: fetchFn, timeout: o.timeoutMs ?? 10_000, retryConfig: { retries: 0 } });
  const maxAttempts = Math.max(1, o.maxAttempts ?? 3);
  const maxWait = o.maxRetryAfterSeconds ?? 30;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    retryAfter = null;
    try {
      await hook.send({ text: message.text, blocks: message.blocks as never, unfurl_links: false, unfurl_media: false });
      return { attempts: attempt };
    } catch (err) {
      const e = err as { statusCode?: number; body?: unknown; original?: { message?: string; cause?: { code?: string } } };
      const status = e.statusCode;
      if (status === 429) {
        const wait = retryAfterSeconds(retryAfter);
        if (attempt < maxAttempts && wait <= maxWait) {
          await sleep(wait * 1000);
          continue;
        }
        const why = wait > maxWait ? `Retry-After ${wait}s is above the ${maxWait}s bound` : `Retry-After ${wait}s`;
        return { attempts: attempt, error: slackError('IncomingWebhook', 'HTTP429', `rate limited by Slack after ${plural(attempt, 'attempt')} (${why})`) };
      }
      if (status) {
        // Slack answers errors with a short code (`no_service`, `invalid_payload`); anything else is left out.
        const body = typeof e.body === 'string' && /^[a-z_]{1,64}$/.test(e.body.trim()) ? `: ${e.body.trim()}` : '';
        return { attempts: attempt, error: slackError('IncomingWebhook', `HTTP${status}`, scrub(`Slack webhook answered HTTP ${status}${body}`, url)) };
      }
      const cause = e.original?.cause?.code ?? e.original?.message ?? errorMessage(err);
      return { attempts: attempt, error: slackError('IncomingWebhook', errorCode(err), scrub(`request to the Slack webhook failed: ${cause}`, url)) };
    }
  }
}

/**
 * Posts the run's digest once. Order: nothing to say → no request; already posted (same run id) → no request;
 * resolve the webhook; post (429 retried after Retry-After); mark the run posted. Never throws.
 */
export async function postSlackDigest(input: DigestInput, options: SlackSinkOptions): Promise<SlackPostOutcome> {
  let url: string | undefined;
  let attempts = 0;
  try {
    const message = buildDigest(input, { slackAlways: options.slackAlways });
    if (!message) return { status: 'nothing-new', attempts, errors: [] };

    let posted: boolean;
    try {
      posted = await options.postedMarker.has(input.runId);
    } catch (err) {
      // Unknown whether this run was posted: skipping keeps the at-most-once promise.
      return { status: 'failed', attempts, errors: [slackError('PostedMarker.has', errorCode(err), errorMessage(err))] };
    }
    if (posted) return { status: 'already-posted', attempts, errors: [] };

    const hook = await resolveWebhook(options.webhook, options.secretRef);
    if (hook.error) return { status: 'failed', attempts, errors: [hook.error] };
    url = hook.url;

    const sent = await send(url, message, options);
    attempts = sent.attempts;
    if (sent.error) return { status: 'failed', attempts, errors: [sent.error] };

    try {
      await options.postedMarker.mark(input.runId);
    } catch (err) {
      return { status: 'posted', attempts, errors: [slackError('PostedMarker.mark', errorCode(err), errorMessage(err))] };
    }
    return { status: 'posted', attempts, errors: [] };
  } catch (err) {
    return { status: 'failed', attempts, errors: [slackError('PostSlackDigest', errorCode(err), scrub(String((err as Error)?.message ?? err), url))] };
  }
}
