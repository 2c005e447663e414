// SDK responses → inventory values: the inventory must stay JSON (dates as ISO strings, no class instances).

/** A deep copy of `value` with every Date replaced by its ISO string and `undefined` members dropped. */
export function jsonSafe<T>(value: T): JsonSafe<T> {
  return convert(value) as JsonSafe<T>;
}

/**
 * `{ ...jsonSafe(value), ...fields }` — the same members in the same order — without the spread, and as an object V8
 * keeps compact. A spread copy of an object built member by member gets a hidden class of its own nearly every time
 * (an account of the XL benchmark held 12,000 alarm and 6,600 log-group shapes, 1.1 MB of the 5.6 MB an account in
 * flight held, and every check reading them met a new shape); setting the fields instead on a copy built member by
 * member turns one of 20 members or more into a dictionary (2.8 MB an account). A copy made by JSON.parse has one
 * shape per member order and keeps it with the fields (ten or so) set on it.
 */
export function jsonSafeWith<T extends object, F extends object>(value: T, fields: F): Omit<JsonSafe<T>, keyof F> & F {
  return Object.assign(viaJson(value) as JsonSafe<T>, fields) as Omit<JsonSafe<T>, keyof F> & F;
}

/**
 * Members above which a copy is made by JSON.parse rather than member by member (which is 2–3 times faster): V8 (Node
 * 20) turns an object given 20 or more members by computed name into a dictionary — more memory than a fast object,
 * slower to read.
 */
const MEMBER_BY_MEMBER_MAX = 16;

/** The JSON copy: Dates become their ISO strings (toJSON), undefined members and `$metadata` go, as in convert. */
function viaJson(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, withoutMetadata)) as unknown;
}
const withoutMetadata = (k: string, x: unknown): unknown => (k === '$metadata' ? undefined : x);

function convert(v: unknown): unknown {
  // Most members are strings and numbers: they go first. Object.keys rather than Object.entries: no pair per member.
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map(convert);
  if (v instanceof Date) return v.toISOString();
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length > MEMBER_BY_MEMBER_MAX) return viaJson(o);
  const out: Record<string, unknown> = {};
  for (const k of keys) {
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
