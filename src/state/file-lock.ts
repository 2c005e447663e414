// The file store's lock: `<state file>.lock`, created with O_EXCL around a run's load → save, so that two runs on one
// history file take turns instead of overwriting each other's findings. The lock file names its holder (pid, host,
// run id, time). A lock is stale — and is taken over — when its holder is a process of this host that no longer
// exists, or when it is older than `staleMs` (a holder on another host, or a hung one). Waiting is bounded: past
// `waitMs` the run fails with a StateError naming the holder, and the history is left as it was.
import { hostname } from 'node:os';
import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StateError, type HistoryLock } from './store.js';

export interface FileLockOptions {
  /** Longest wait for another run's lock (default 60 s). */
  waitMs?: number;
  /** A lock older than this is stale whoever holds it (default 10 minutes: a history step takes seconds). */
  staleMs?: number;
  /** Test hooks. */
  sleep?: (ms: number) => Promise<void>;
  clock?: () => number;
}

interface Holder {
  pid: number;
  host: string;
  runId: string;
  at: string;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, owned by someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHolder(path: string): Promise<{ holder?: Holder; mtimeMs?: number }> {
  try {
    const [text, st] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    let holder: Holder | undefined;
    try {
      holder = JSON.parse(text) as Holder;
    } catch {
      // Half-written by a holder that died between create and write: judged by its age alone.
    }
    return { holder, mtimeMs: st.mtimeMs };
  } catch {
    return {};
  }
}

/** Takes `<statePath>.lock` for `runId`; resolves with the lock to release. */
export async function lockFile(statePath: string, runId: string, opts: FileLockOptions = {}): Promise<HistoryLock> {
  const path = `${statePath}.lock`;
  const waitMs = opts.waitMs ?? 60_000;
  const staleMs = opts.staleMs ?? 10 * 60_000;
  const sleep = opts.sleep ?? defaultSleep;
  const clock = opts.clock ?? Date.now;
  const me: Holder = { pid: process.pid, host: hostname(), runId, at: new Date(clock()).toISOString() };
  const started = clock();
  for (let attempt = 0; ; attempt++) {
    try {
      const fh = await open(path, 'wx', 0o600);
      try {
        await fh.writeFile(JSON.stringify(me) + '\n', 'utf8');
      } finally {
        await fh.close();
      }
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          // Only our own lock: one taken over as stale belongs to its new holder.
          const { holder } = await readHolder(path);
          if (holder && holder.pid === me.pid && holder.host === me.host && holder.runId === me.runId && holder.at === me.at) await unlink(path).catch(() => {});
        },
      };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        // The directory does not exist yet: first use of this history.
        await mkdir(dirname(path), { recursive: true }).catch(() => {});
        if (attempt < 3) continue;
      }
      if (code !== 'EEXIST') throw new StateError(`state file ${statePath}: cannot create the lock ${path} (${code ?? (err as Error).message})`);
    }
    const { holder, mtimeMs } = await readHolder(path);
    if (mtimeMs === undefined) continue; // released meanwhile
    const age = clock() - mtimeMs;
    const dead = holder !== undefined && holder.host === me.host && !alive(holder.pid);
    if (dead || age > staleMs) {
      // Take it over: remove it (if it is still the one judged stale) and race for it again with O_EXCL.
      const again = await readHolder(path);
      if (again.mtimeMs === mtimeMs && JSON.stringify(again.holder) === JSON.stringify(holder)) await unlink(path).catch(() => {});
      continue;
    }
    if (clock() - started >= waitMs) {
      const who = holder ? `run ${holder.runId} (pid ${holder.pid} on ${holder.host}, since ${holder.at})` : 'another run';
      throw new StateError(
        `state file ${statePath} is locked by ${who}; waited ${Math.round(waitMs / 1000)} s. Two runs on one history take turns; if no run is active, remove ${path}`,
      );
    }
    await sleep(Math.min(1000, 50 * 2 ** Math.min(attempt, 5)));
  }
}
