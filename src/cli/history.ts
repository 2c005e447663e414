// The CLI's history: the run's changes are committed only after its reports were written, so a report that could not
// be written (exit 4) leaves the history as it was, and the next run reports the same findings as NEW again instead of
// losing them. The store's lock is held from the run's load until that commit (or the abort).
import type { FindingDiff, HistoryLock, RunRecord, StateStore } from '../state/index.js';

export interface DeferredStore extends StateStore {
  /** Saves what the run held back, then releases the lock. Throws StateError as save() would. */
  commit(): Promise<void>;
  /** Releases the lock without saving (the history is unchanged). */
  abort(): Promise<void>;
  /** Whether the run has something to commit. */
  readonly pending: boolean;
}

/** `inner`, with save() held back until commit(). */
export function deferSave(inner: StateStore): DeferredStore {
  let held: HistoryLock | undefined;
  let saved: { diff: FindingDiff; run: RunRecord } | undefined;
  const release = async () => {
    const lock = held;
    held = undefined;
    await lock?.release();
  };
  return {
    location: inner.location,
    get pending() {
      return saved !== undefined;
    },
    async lock(runId) {
      // Taken once for the run; the engine's own release is a no-op while the CLI holds it.
      held ??= await inner.lock(runId);
      return { release: async () => {} };
    },
    load: (scope) => inner.load(scope),
    async save(diff, run) {
      saved = { diff, run };
    },
    async commit() {
      try {
        if (saved) await inner.save(saved.diff, saved.run);
        saved = undefined;
      } finally {
        await release();
      }
    },
    async abort() {
      saved = undefined;
      await release();
    },
  };
}
