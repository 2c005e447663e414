// What the CLI's pieces share: its streams, a standard output that a reader may close, one-line messages, the exit
// codes, and the parsers of choice flags. Light on purpose: `audit --help` and `--version` load only this and commander.
import { UsageError } from '../engine/errors.js';
import { didYouMean } from '../engine/suggest.js';
import { terminalSafe } from '../report/terminal.js';
import { batches } from '../state/atomic-write.js';
import type { Status } from '../model/index.js';
import { OutputError } from './outputs.js';

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/** Exit code of a run whose report or inventory could not be written (the history is then left unchanged). */
export const EXIT_OUTPUT_FAILED = 4;
/** Exit code of a run whose findings a sink (Security Hub, Slack) did not all take: kept in the history, delivered by the next run. */
export const EXIT_DELIVERY_PENDING = 5;

export const list = (v: string | undefined) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);

/** `--checks ''` would silently mean "every check": refused, as is any list flag given with nothing in it. */
export function nonEmptyList(v: string | undefined, flag: string): string[] | undefined {
  if (v === undefined) return undefined;
  const l = list(v);
  if (!l || l.length === 0) throw new UsageError(`${flag} is empty: give one or more ids (or drop the flag)`);
  return l;
}

/** Severities and statuses are taken in any case (`--fail-on high`), with a suggestion for a typo. */
export function choiceParser<T extends string>(flag: string, allowed: readonly T[]): (value: string) => T {
  return (value) => {
    const v = value.trim().toUpperCase().replace(/[ -]/g, '_');
    if ((allowed as readonly string[]).includes(v)) return v as T;
    throw new UsageError(`${flag}: unknown value ${JSON.stringify(value)}${didYouMean(v, allowed)} (one of ${allowed.join(', ')})`);
  };
}
export const STATUSES: readonly Status[] = ['FAIL', 'PASS', 'NOT_ASSESSED'];
export const statusListParser = (value: string): Status[] => {
  const one = choiceParser('--status', STATUSES);
  const names = value.split(',').map((s) => s.trim());
  if (names.some((n) => n === '')) throw new UsageError(`--status ${JSON.stringify(value)}: empty status (one or more of ${STATUSES.join(', ')})`);
  return [...new Set(names.map(one))];
};

/** Every stderr line: one line (a suggestion or a value with a line break in it included), terminal-safe (AWS error text and resource names are not trusted). */
export function oneLine(message: string): string {
  return terminalSafe(message.trim().replace(/\s*[\r\n]+\s*/g, ' '));
}

export function* withNewline(pieces: Iterable<string>): Generator<string> {
  yield* pieces;
  yield '\n';
}

/** Standard output that a reader may close (`| head`): from then on nothing more is written, and the run ends normally. */
export interface Stdout {
  write(text: string | Iterable<string>): void;
  readonly closed: boolean;
}

export function stdoutOf(io: Io): Stdout {
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
