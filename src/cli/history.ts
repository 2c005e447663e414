// The CLI's history: the run's changes are committed only after its reports were written, so a report that could not
// be written (exit 4) leaves the history as it was, and the next run reports the same findings as NEW again instead of
// losing them. The store's lock is held from the run's load until release(), after the sinks' delivery marks were
// saved: a concurrent run loads only once this one is completely done.
import { runSummary, type FindingDiff, type HistoryLock, type RunRecord, type StateStore } from '../state/store.js';

export interface DeferredStore extends StateStore {
  /** Saves what the run held back (the lock stays held). Throws StateError as save() would. */
  commit(): Promise<void>;
  /** Releases the lock; anything not committed is dropped (the history is unchanged). */
  release(): Promise<void>;
  /** Whether the run has something not committed yet. */
  readonly pending: boolean;
}

/** `inner`, with save() held back until commit(). */
export function deferSave(inner: StateStore): DeferredStore {
  let held: HistoryLock | undefined;
  let saved: { diff: FindingDiff; run: RunRecord } | undefined;
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
    saveDelivery: (records) => inner.saveDelivery(records),
    // The trend of the report: the stored runs, then this one (held back until the commit, but part of the report).
    ...(inner.recentRuns
      ? {
          async recentRuns(n: number) {
            const stored = await inner.recentRuns!(n);
            if (!saved) return stored;
            const held = runSummary(saved.run);
            return [...stored.filter((r) => r.runId !== held.runId), held].slice(-n);
          },
        }
      : {}),
    async commit() {
      if (!saved) return;
      await inner.save(saved.diff, saved.run);
      saved = undefined;
    },
    async release() {
      saved = undefined;
      const lock = held;
      held = undefined;
      await lock?.release();
    },
  };
}
