// Per-list derived indexes. ctx.list returns the same frozen array for every resource of a run, so an index built
// from it once (a Set of names, a map of parents) turns per-resource scans into lookups.
const cache = new WeakMap<object, Map<string, unknown>>();

/** The value `build()` computed for this list under `key`, built on first use. */
export function derived<T>(list: readonly unknown[], key: string, build: () => T): T {
  let byKey = cache.get(list);
  if (!byKey) cache.set(list, (byKey = new Map()));
  if (!byKey.has(key)) byKey.set(key, build());
  return byKey.get(key) as T;
}
