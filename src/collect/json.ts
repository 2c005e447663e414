// SDK responses → inventory values: the inventory must stay JSON (dates as ISO strings, no class instances).

/** A deep copy of `value` with every Date replaced by its ISO string and `undefined` members dropped. */
export function jsonSafe<T>(value: T): JsonSafe<T> {
  return convert(value) as JsonSafe<T>;
}

function convert(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(convert);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined && k !== '$metadata') out[k] = convert(x);
    return out;
  }
  return v;
}

export type JsonSafe<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? JsonSafe<U>[]
    : T extends object
      ? { [K in keyof T]: JsonSafe<T[K]> }
      : T;
