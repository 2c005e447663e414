// Passed results of a large run, kept on disk instead of in memory.
//
// An organization-wide scan yields millions of results, two thirds of them PASS. Held as objects they are most of the
// scanner's memory (about 450 bytes each), yet only the JSON and CSV reports (and the table with --show-pass) read them
// one by one: the summary needs their number, the history only the ids of passes where a scope could not be
// assessed as a whole. Past a threshold, runAudit writes each account's passes here as JSON lines (a private temporary
// file, removed when the report is written or the process exits) and keeps only that; the report writers read them
// back in the order they were written (account by account, check by check), after the sorted failures.
import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Result } from '../model/index.js';

const open = new Set<ResultSpill>();
let exitHook = false;

/** One byte range of a spill file holding results of one group (account), in the order they were added. */
export interface SpillSegment {
  group: string;
  start: number;
  end: number;
  seq: number;
  /** The file, when not the spill's own. */
  path?: string;
}

/** A new private file name for a spill in `dir`. */
export function spillPath(dir = tmpdir()): string {
  return join(dir, `lens-audit-results-${process.pid}-${randomUUID()}.ndjson`);
}

export class ResultSpill {
  readonly path: string;
  private readonly owner: boolean;
  /** Results written. */
  count = 0;
  /**
   * Ids of written passes that the history needs: those in a (check, account, region) scope that was not assessed as a
   * whole (a PASS of the same finding id still resolves it there). Usually none.
   */
  readonly passedIds = new Set<string>();
  private fd: number | undefined;
  private pending: string[] = [];
  private pendingLength = 0;
  /** Bytes of `pending` (UTF-8), and bytes already in the file. */
  private pendingBytes = 0;
  private written = 0;
  /** Byte ranges of the file (or of an adopted one: `path`), one per run of results of one group. */
  private segments: SpillSegment[] = [];
  /** Segments not yet taken (takeSegments): a worker thread's, handed to the scanning thread account by account. */
  private untaken = 0;
  /** Files of other writers whose segments this spill adopted: removed with it. */
  private readonly adopted = new Set<string>();

  /**
   * `owner: false` (a worker thread's spill, whose file the scanning thread adopts): the file is neither removed when
   * the thread exits nor by dispose(); the adopting spill removes it.
   */
  constructor(dir = tmpdir(), opts: { path?: string; owner?: boolean } = {}) {
    this.path = opts.path ?? spillPath(dir);
    this.fd = openSync(this.path, 'wx', 0o600);
    this.owner = opts.owner ?? true;
    if (!this.owner) return;
    open.add(this);
    if (!exitHook) {
      exitHook = true;
      process.once('exit', () => {
        for (const s of open) s.dispose();
      });
    }
  }

  /**
   * Appends a result. `group` (the account id) names the segment it belongs to: read() yields the segments in group
   * order (then in the order they were written), each segment's results in the order they were added.
   */
  add(result: Result, group = ''): void {
    if (this.fd === undefined) throw new Error(`result spill ${this.path} is closed`);
    const line = `${JSON.stringify(result)}\n`;
    const last = this.segments.at(-1);
    if (!last || last.group !== group) this.segments.push({ group, start: this.written + this.pendingBytes, end: 0, seq: this.segments.length });
    this.pending.push(line);
    this.pendingLength += line.length;
    this.pendingBytes += Buffer.byteLength(line);
    this.segments.at(-1)!.end = this.written + this.pendingBytes;
    this.count++;
    if (this.pendingLength >= 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.fd === undefined || this.pending.length === 0) return;
    writeSync(this.fd, this.pending.join(''));
    this.written += this.pendingBytes;
    this.pending = [];
    this.pendingLength = 0;
    this.pendingBytes = 0;
  }

  /**
   * The segments added since the last call, written to the file first (a worker thread hands them to the scanning
   * thread, which adopts them: the bytes are on disk before the message that names them is sent).
   */
  takeSegments(): SpillSegment[] {
    this.flush();
    const taken = this.segments.slice(this.untaken).map((s) => ({ ...s, path: this.path }));
    this.untaken = this.segments.length;
    return taken;
  }

  /**
   * Adds another writer's segments (of results it wrote to its own file, `count` of them) as if they were written
   * here; `passedIds` as in add's callers. The file is removed with this spill.
   */
  adopt(segments: readonly SpillSegment[], count: number, passedIds: Iterable<string> = []): void {
    if (this.fd === undefined) throw new Error(`result spill ${this.path} is closed`);
    this.flush();
    for (const s of segments) {
      if (!s.path) throw new Error('an adopted spill segment names its file');
      this.adopted.add(s.path);
      this.segments.push({ group: s.group, start: s.start, end: s.end, seq: this.segments.length, path: s.path });
    }
    this.untaken = this.segments.length;
    this.count += count;
    for (const id of passedIds) this.passedIds.add(id);
  }

  /** Files of other writers this spill adopted segments of (removed with it), and will: name them before they exist. */
  adoptFile(path: string): void {
    this.adopted.add(path);
  }

  /** The results written: segment by segment in group order (see add). Each call reads the file again. */
  *read(): Generator<Result> {
    this.flush();
    const ordered = [...this.segments].sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : a.seq - b.seq));
    for (const seg of ordered) yield* this.readRange(seg.start, seg.end, seg.path ?? this.path);
  }

  private *readRange(from: number, to: number, path: string): Generator<Result> {
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(1 << 20);
      // Bytes after the last newline read so far: kept as bytes, so a character split between two reads stays whole.
      let carry = Buffer.alloc(0);
      let pos = from;
      for (;;) {
        const n = pos >= to ? 0 : readSync(fd, buf, 0, Math.min(buf.length, to - pos), pos);
        if (n === 0) break;
        pos += n;
        const chunk = carry.length > 0 ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
        const end = chunk.lastIndexOf(10);
        if (end === -1) {
          carry = Buffer.from(chunk);
          continue;
        }
        const text = chunk.toString('utf8', 0, end);
        carry = Buffer.from(chunk.subarray(end + 1));
        for (const line of text.split('\n')) if (line) yield JSON.parse(line) as Result;
      }
      if (carry.length > 0) yield JSON.parse(carry.toString('utf8')) as Result;
    } finally {
      closeSync(fd);
    }
  }

  /** Removes the file (a worker thread's spill: only closes it). Reading afterwards is an error. */
  dispose(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.pending = [];
    if (this.owner) rmSync(this.path, { force: true });
    for (const p of this.adopted) rmSync(p, { force: true });
    this.adopted.clear();
    open.delete(this);
  }
}
