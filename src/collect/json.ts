// SDK responses → inventory values: the inventory must stay JSON (dates as ISO strings, no class instances).

/** A deep copy of `value` with every Date replaced by its ISO string and `undefined` members dropped. */
export function jsonSafe<T>(value: T): JsonSafe<T> {
  return convert(value) as JsonSafe<T>;
}

function convert(v: unknown): unknown {
  // Most members are strings and numbers: they go first. Object.keys rather than Object.entries: no pair per member.
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map(convert);
  if (v instanceof Date) return v.toISOString();
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) {
    const x = o[k];
    if (x !== undefined && k !== '$metadata') out[k] = convert(x);
  }
  return out;
}

export type JsonSafe<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? JsonSafe<U>[]
    : T extends object
      ? { [K in keyof T]: JsonSafe<T[K]> }
      : T;
