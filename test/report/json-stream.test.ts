// jsonChunks: the same text as JSON.stringify(value, null, indent), in pieces small enough for any report size.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonChunks, jsonText } from '../../src/report/json-stream.js';

describe('jsonChunks', () => {
  it('writes exactly what JSON.stringify writes, at every split depth and indentation', () => {
    const cases: unknown[] = [
      { a: 1, b: [1, 2, { c: 'x\ny', d: [] }], e: {}, f: undefined, g: () => 1, h: null, i: new Date(0), j: [undefined, () => 2, NaN] },
      [], {}, [[]], [{}], 'text', 3, null, true,
      { results: [{ findingId: 'a', evidence: { deep: { deeper: [1, { x: 'y' }] } } }, { findingId: 'b' }], summary: { pass: 1 } },
      { only: undefined },
      { toJSON: () => ({ replaced: [1, 2] }) },
    ];
    for (const value of cases) {
      for (const indent of [0, 2, 4]) {
        for (const depth of [0, 1, 2, 5]) expect(jsonText(value, indent, depth)).toBe(JSON.stringify(value, null, indent));
      }
    }
  });

  it('agrees with JSON.stringify on arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 4 }), (value, indent, depth) => {
        expect(jsonText(value, indent, depth)).toBe(JSON.stringify(value, null, indent));
      }),
      { numRuns: 300 },
    );
  });

  it('yields one piece per element of a large array, none longer than its element', () => {
    const results = Array.from({ length: 10_000 }, (_, i) => ({ findingId: String(i).padStart(32, '0'), message: 'm'.repeat(100) }));
    const pieces = [...jsonChunks({ schemaVersion: 1, results }, 2, 2)];
    expect(pieces.length).toBeGreaterThan(results.length);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(250);
    expect(pieces.join('')).toBe(JSON.stringify({ schemaVersion: 1, results }, null, 2));
  });
});
