// The call journal: the checkpoint of a scan that does not fit in one Lambda invocation.
//
// Every successful read an audit client makes is recorded (service, region, operation and input → output). When a
// scan step runs out of time it stops, and the journal is stored; the next invocation replays the same collectors
// with the journal loaded: every call already answered is answered again from the journal, at no AWS cost and in
// microseconds, so the collectors run through the work already done (paginations included, since each page's input
// carries the previous page's token) and go on live from where the previous invocation stopped. Collectors stay
// unaware of checkpoints: nothing in them has to be written as resumable.
//
// Calls are replayed only within one run: `now` (metric windows) is the run's start time, so inputs are identical.
// Secrets in outputs are stored reduced (journalView): what a checkpoint holds is no more than the inventory holds.
// Of the errors only "not found" answers are recorded; a call that failed otherwise (denied, throttled out) is made
// again.
import { journalView } from '../collect/redact.js';
import { isNotFound } from './errors.js';

/** The key of one call: what makes two calls the same. */
export function callKey(service: string, region: string, operation: string, input: unknown): string {
  return `${service}|${region}|${operation}|${stableJson(input)}`;
}

/** JSON with object keys sorted, so that the same input written in another key order has the same key. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, function (this: unknown, _k: string, v: unknown) {
    if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)) {
      return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, (v as Record<string, unknown>)[k]]));
    }
    return v;
  });
}

// Outputs hold Dates (LastModified, CreationDate ...) and sometimes bytes: tagged so that they come back as such.
function encode(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  if (raw instanceof Date) return { $date: raw.getTime() };
  if (raw instanceof Uint8Array) return { $bytes: Buffer.from(raw).toString('base64') };
  if (key === '$metadata') return undefined;
  return value;
}
function decode(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    if (typeof v.$date === 'number' && Object.keys(v).length === 1) return new Date(v.$date);
    if (typeof v.$bytes === 'string' && Object.keys(v).length === 1) return new Uint8Array(Buffer.from(v.$bytes, 'base64'));
  }
  return value;
}

export interface JournalData {
  version: 1;
  /** callKey → the output, encoded (a string per call: cheap to hold, decoded only when replayed). */
  calls: Record<string, string>;
}

/** A recorded answer that was an error: only answers that say the thing is not there (NotFound, NoSuch...). */
interface RecordedError {
  $error: { name: string; message: string; status?: number };
}

/**
 * Errors that are the answer (GetPolicy of a function without a policy: ResourceNotFoundException) are recorded
 * too, so that a resumed scan does not ask again; every other error (denied, throttled, unreachable) is not.
 */
export function isRecordableError(err: unknown): boolean {
  return isNotFound(err);
}

export class CallJournal {
  private readonly calls: Map<string, string>;
  /** Calls answered from the journal in this invocation. */
  replayed = 0;
  /** Calls recorded in this invocation (made live). */
  recorded = 0;

  constructor(data?: JournalData) {
    this.calls = new Map(data?.version === 1 ? Object.entries(data.calls) : []);
  }

  get size(): number {
    return this.calls.size;
  }

  /**
   * The recorded answer of this call: `{ output }` (a fresh copy: the caller may change it) or `{ error }` (to throw,
   * shaped like the SDK's: name, message, $metadata.httpStatusCode), or undefined when it was not answered yet.
   */
  replay(key: string): { output: unknown } | { error: Error } | undefined {
    const hit = this.calls.get(key);
    if (hit === undefined) return undefined;
    this.replayed++;
    const value = JSON.parse(hit, decode) as unknown;
    const recorded = (value as Partial<RecordedError>)?.$error;
    if (recorded && Object.keys(value as object).length === 1) {
      return { error: Object.assign(new Error(recorded.message), { name: recorded.name, $fault: 'client', $metadata: { httpStatusCode: recorded.status } }) };
    }
    return { output: value };
  }

  /**
   * Records the answer of a call as the checkpoint may hold it: secrets in it (environment values, endpoint and
   * integration URLs, stage variables, descriptions) are first reduced as the collectors reduce them
   * (journalView, src/collect/redact.ts), so a stored checkpoint holds no more than the inventory will.
   */
  record(key: string, output: unknown): void {
    if (this.calls.has(key)) return;
    const [service = '', , operation = ''] = key.split('|', 3);
    this.calls.set(key, JSON.stringify(journalView(service, operation, output) ?? {}, encode));
    this.recorded++;
  }

  /** Records an error answer when it is one (isRecordableError); other errors are not kept. */
  recordError(key: string, err: unknown): void {
    if (this.calls.has(key) || !isRecordableError(err)) return;
    const e = err as { name?: string; Code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const recorded: RecordedError = { $error: { name: e.Code ?? e.name ?? 'Error', message: String(e.message ?? ''), status: e.$metadata?.httpStatusCode } };
    this.calls.set(key, JSON.stringify(recorded));
    this.recorded++;
  }

  toJSON(): JournalData {
    return { version: 1, calls: Object.fromEntries(this.calls) };
  }
}

/** Thrown by an audit client's send once the step's deadline has passed: nothing more is started. */
export class DeadlineReached extends Error {
  override name = 'DeadlineReached';
  constructor(message = 'the scan step ran out of time: the rest continues from the checkpoint') {
    super(message);
  }
}
