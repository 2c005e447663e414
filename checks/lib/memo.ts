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

/** The first resource of the list with each ARN (what `list.find((r) => r.arn === arn)` gives), by ARN. */
export function firstByArn<T extends { arn: string }>(list: readonly T[]): Map<string, T> {
  return derived(list, 'first-by-arn', () => {
    const m = new Map<string, T>();
    for (const r of list) if (!m.has(r.arn)) m.set(r.arn, r);
    return m;
  });
}
