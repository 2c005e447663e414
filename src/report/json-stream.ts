// JSON text in pieces. `JSON.stringify(report, null, 2)` of an organization-wide scan (a million and more results, or
// a saved inventory of a few hundred thousand resources) is longer than the longest string V8 can make (2^29 - 24
// characters): it throws "Invalid string length". jsonChunks yields the very same text in pieces — one per element
// of the top levels — so a writer can put it in a file or a pipe piece by piece.

/** An array whose elements are produced when written (a large report's results read back from disk). */
export class LazyArray<T = unknown> {
  constructor(readonly elements: () => Iterable<T>) {}
}

/** Pieces whose concatenation is exactly `JSON.stringify(value, null, indent)`; containers are split `depth` levels deep. */
export function* jsonChunks(value: unknown, indent = 2, depth = 2): Generator<string> {
  yield* piece(value, '', indent, depth, '');
}

/** The whole text (small values): what jsonChunks yields, joined. */
export function jsonText(value: unknown, indent = 2, depth = 2): string {
  return [...jsonChunks(value, indent, depth)].join('');
}

const pad = (n: number) => ' '.repeat(n);

/**
 * Yields `lead` (separator, indentation, key) and then `value` written at `prefix` indentation. Returns false, and
 * yields nothing, when the value is not written at all (undefined, functions: skipped as JSON.stringify skips them).
 */
function* piece(value: unknown, prefix: string, indent: number, depth: number, lead: string): Generator<string, boolean> {
  let v = value;
  if (v && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') v = (v as { toJSON: (k: string) => unknown }).toJSON('');
  const proto = v !== null && typeof v === 'object' ? Object.getPrototypeOf(v) : undefined;
  const container = Array.isArray(v) || v instanceof LazyArray || proto === Object.prototype || proto === null;
  if (depth <= 0 || !container) {
    const s = JSON.stringify(v, null, indent);
    if (s === undefined) return false;
    // Nested lines take the indentation of where the value sits.
    yield lead + (prefix ? s.replace(/\n/g, `\n${prefix}`) : s);
    return true;
  }
  const inner = prefix + pad(indent);
  // Without indentation JSON.stringify writes no whitespace at all.
  const nl = indent > 0 ? '\n' : '';
  if (Array.isArray(v) || v instanceof LazyArray) {
    let i = 0;
    for (const el of Array.isArray(v) ? (v as unknown[]) : (v.elements() as Iterable<unknown>)) {
      const sep = `${i === 0 ? `${lead}[` : ','}${nl}${inner}`;
      // Holes, undefined and functions in an array are written as null, as JSON.stringify does.
      if (!(yield* piece(el, inner, indent, depth - 1, sep))) yield `${sep}null`;
      i++;
    }
    yield i === 0 ? `${lead}[]` : `${nl}${prefix}]`;
    return true;
  }
  let first = true;
  for (const key of Object.keys(v as object)) {
    const sep = `${first ? `${lead}{` : ','}${nl}${inner}${JSON.stringify(key)}:${indent > 0 ? ' ' : ''}`;
    if (yield* piece((v as Record<string, unknown>)[key], inner, indent, depth - 1, sep)) first = false;
  }
  yield first ? `${lead}{}` : `${nl}${prefix}}`;
  return true;
}
