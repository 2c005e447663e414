// The one atomic file writer: readers see the old content or the new, never a part, also across a crash. Used for
// the state file, the Slack posted markers, and the CLI's reports and saved inventories.
import { closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** Pieces joined into writes of about 1 MB. */
export function* batches(pieces: Iterable<string>, size = 1 << 20): Generator<string> {
  let buf: string[] = [];
  let n = 0;
  for (const p of pieces) {
    buf.push(p);
    n += p.length;
    if (n >= size) {
      yield buf.join('');
      buf = [];
      n = 0;
    }
  }
  if (n > 0) yield buf.join('');
}

/**
 * Writes `data` (a string, or pieces: an organization's report is longer than one JavaScript string) to a temporary
 * file beside `path`, syncs it, renames it over `path` and syncs the directory. Creates the directory. On failure
 * the temporary file is removed and `path` is unchanged.
 */
export function writeFileAtomic(path: string, data: string | Iterable<string>, opts: { mode?: number } = {}): void {
  const dir = dirname(resolve(path));
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w', opts.mode ?? 0o666);
    // The mode of the file being replaced, exactly (openSync's is cut by the umask).
    if (opts.mode !== undefined) fchmodSync(fd, opts.mode);
    for (const batch of typeof data === 'string' ? [data] : batches(data)) writeSync(fd, batch);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  // Persist the rename itself. Not possible on every platform (Windows cannot open a directory); the data is synced.
  try {
    const dh = openSync(dir, 'r');
    try {
      fsyncSync(dh);
    } finally {
      closeSync(dh);
    }
  } catch {
    /* best effort */
  }
}
