// Where the CLI's reports go: one or several formats per run (`--output table,json,html`), to standard output, one
// file (`--out`) or a directory of fixed names (`--out-dir`). Writes never replace a symbolic link or a device: a link
// is written through to its target (atomically there), a device or pipe (`/dev/stdout`, `/dev/fd/3`) is written in
// place. Every failure is an OutputError (exit 4) naming the path.
import { accessSync, closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readlinkSync, realpathSync, statSync, writeSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../engine/errors.js';
import { didYouMean } from '../engine/suggest.js';
import { batches, writeFileAtomic } from '../state/atomic-write.js';

export const OUTPUT_FORMATS = ['table', 'json', 'csv', 'html', 'asff', 'ocsf', 'markdown'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The file names `--out-dir` writes (documented in the README). */
export const OUTPUT_FILES: Record<OutputFormat, string> = {
  table: 'lens-audit-report.txt',
  json: 'lens-audit-report.json',
  csv: 'lens-audit-report.csv',
  html: 'lens-audit-report.html',
  asff: 'lens-audit-report.asff.json',
  ocsf: 'lens-audit-report.ocsf.json',
  markdown: 'lens-audit-report.md',
};

/** An output that could not be written (exit 4). */
export class OutputError extends Error {
  override name = 'OutputError';
}

/** `--output table,json` → the formats, in the order given, once each. Unknown names are a usage error with a suggestion. */
export function parseOutputs(value: string): OutputFormat[] {
  const names = value.split(',').map((s) => s.trim().toLowerCase());
  if (names.some((n) => n === '')) throw new UsageError(`--output ${JSON.stringify(value)}: empty format name (formats: ${OUTPUT_FORMATS.join(', ')})`);
  for (const n of names) {
    if (!(OUTPUT_FORMATS as readonly string[]).includes(n)) {
      throw new UsageError(`--output: unknown format ${JSON.stringify(n)}${didYouMean(n, OUTPUT_FORMATS)} (formats: ${OUTPUT_FORMATS.join(', ')})`);
    }
  }
  return [...new Set(names)] as OutputFormat[];
}

export interface OutputTarget {
  format: OutputFormat;
  /** A file; absent: standard output. */
  path?: string;
}

/**
 * Where each format goes. `--out-dir`: every format to its fixed name there. `--out`: the one format to that file.
 * Otherwise HTML goes to `lens-audit-report.html` (a page on a terminal is of no use) and at most one other format
 * goes to standard output.
 */
export function planOutputs(formats: OutputFormat[], opts: { out?: string; outDir?: string; ocsfNdjson?: boolean }): OutputTarget[] {
  const fileName = (f: OutputFormat) => (f === 'ocsf' && opts.ocsfNdjson ? 'lens-audit-report.ocsf.ndjson' : OUTPUT_FILES[f]);
  if (opts.out !== undefined && opts.outDir !== undefined) throw new UsageError('--out and --out-dir cannot be combined (--out-dir writes every format under its own name)');
  if (opts.outDir !== undefined) {
    if (opts.outDir.trim() === '') throw new UsageError('--out-dir is empty');
    return formats.map((format) => ({ format, path: join(opts.outDir!, fileName(format)) }));
  }
  if (opts.out !== undefined) {
    if (opts.out.trim() === '') throw new UsageError('--out is empty');
    if (formats.length > 1) throw new UsageError(`--out names one file, but --output names ${formats.length} formats: use --out-dir DIR`);
    return [{ format: formats[0]!, path: opts.out }];
  }
  const toStdout = formats.filter((f) => f !== 'html');
  if (toStdout.length > 1) throw new UsageError(`--output ${formats.join(',')}: only one format can go to standard output; use --out-dir DIR to write them all`);
  return formats.map((format) => (format === 'html' ? { format, path: OUTPUT_FILES.html } : { format }));
}

const OWN_FD = /^\/dev\/(stdout|stderr)$|^\/dev\/fd\/(\d+)$|^\/proc\/self\/fd\/(\d+)$/;

/** The descriptor a path names when it is one of this process's own (`/dev/stdout`, `/dev/fd/3`), else undefined. */
function ownFd(path: string): number | undefined {
  const own = OWN_FD.exec(path);
  if (!own) return undefined;
  return own[1] === 'stdout' ? 1 : own[1] === 'stderr' ? 2 : Number(own[2] ?? own[3]);
}

function writeAll(fd: number, data: string | Iterable<string>): void {
  for (const batch of typeof data === 'string' ? [data] : batches(data)) {
    const buf = Buffer.from(batch);
    for (let off = 0; off < buf.length; ) {
      try {
        off += writeSync(fd, buf, off);
      } catch (err) {
        // A non-blocking pipe that is full: wait for the reader.
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
      }
    }
  }
}

function code(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
}

/** What a path is now, following links: absent, a regular file, a directory, or something written in place (device, pipe, socket). */
function kind(path: string): { stats?: Stats; target: string } {
  const stats = statSync(path, { throwIfNoEntry: false });
  // A device, pipe or socket (also through a link, as /dev/stdout and /dev/fd/N are): opened by the name given.
  if (stats && !stats.isFile()) return { stats, target: path };
  // A regular file, maybe behind links: the file itself is replaced, the links stay.
  if (stats) return { stats, target: realpathSync(path) };
  // Nothing there, or a dangling link: the link's final target is created (never the link replaced).
  let t = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    const l = lstatSync(t, { throwIfNoEntry: false });
    if (!l?.isSymbolicLink()) return { target: t };
    t = resolve(dirname(t), readlinkSync(t));
  }
  throw Object.assign(new Error('too many levels of symbolic links'), { code: 'ELOOP' });
}

/**
 * Checked before the scan, so that a report or inventory that could not be written fails the run before any AWS call
 * and before the history is touched (usage error, exit 2).
 */
export function assertWritable(path: string | undefined, flag: string): void {
  if (path === undefined) return;
  try {
    const fd = ownFd(path);
    if (fd !== undefined) {
      fstatSync(fd);
      return;
    }
    const { stats, target } = kind(path);
    if (stats?.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (stats && !stats.isFile()) {
      accessSync(target, constants.W_OK);
      return;
    }
    const dir = dirname(target);
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    if (stats) accessSync(target, constants.W_OK);
  } catch (err) {
    throw new UsageError(`${flag} ${path} cannot be written (${code(err)})`);
  }
}

/** `--out-dir DIR`: created if missing; a usage error when it is a file or cannot be written. */
export function assertWritableDir(dir: string | undefined): void {
  if (dir === undefined) return;
  try {
    mkdirSync(dir, { recursive: true });
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw new UsageError(`--out-dir ${dir} cannot be written (${code(err)})`);
  }
}

/**
 * Writes a report or inventory. A regular file (or a new one) is replaced atomically, keeping its permission bits; a
 * link is written through to its target; a device, pipe or socket is written in place. OutputError on failure.
 */
export function writeOutput(path: string, data: string | Iterable<string>): void {
  try {
    // This process's own descriptors (`--out /dev/stdout`, `/dev/fd/3`): written as they are, never reopened (a
    // socket cannot be opened by name, and a reopened pipe or terminal would lose its position).
    const own = ownFd(path);
    if (own !== undefined) {
      writeAll(own, data);
      return;
    }
    const { stats, target } = kind(path);
    if (stats && !stats.isFile() && !stats.isDirectory()) {
      const fd = openSync(target, constants.O_WRONLY | constants.O_APPEND);
      try {
        writeAll(fd, data);
      } finally {
        closeSync(fd);
      }
      return;
    }
    writeFileAtomic(target, data, stats ? { mode: stats.mode & 0o7777 } : {});
  } catch (err) {
    throw new OutputError(`${path} could not be written (${code(err)})`);
  }
}
