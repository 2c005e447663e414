// sortResults: compareResults' order (the report's), without collating strings on every comparison.
import { describe, expect, it } from 'vitest';
import { compareResults, sortResults } from '../../src/engine/result-order.js';
import type { Result } from '../../src/model/index.js';

// A small deterministic generator (no Math.random: a failure reproduces).
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

// Values where localeCompare and code-unit order disagree: case, punctuation, accents, digits, strings that collate
// equal (a control character is ignorable to the collation) and one that is a prefix of another.
const TRICKY = ['a', 'B', 'b', 'A', '_x', '-x', '.x', 'x-1', 'x_1', 'x.1', 'É', 'e', 'E', 'é', 'z10', 'z9', 'a\u0001', 'ab', 'a b', ''];

function results(count: number, seed: number): Result[] {
  const next = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const statuses = ['FAIL', 'NOT_ASSESSED', 'PASS'] as const;
  const severities = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'] as const;
  return Array.from({ length: count }, (_, i) => ({
    findingId: pick(['f1', 'F1', 'f2', `f${i % 7}`]),
    checkId: pick(['lambda.a', 'Lambda.a', 'lambda-a', 'lambda_a', 'sns.x', ...TRICKY.slice(0, 6)]),
    title: 't',
    status: pick(statuses),
    severity: pick(severities),
    pillar: 'SEC',
    lens: [],
    // Account ids where `<` and localeCompare differ, for the passes' account-by-account order.
    accountId: pick(['111111111111', '222222222222', 'a1', 'B1', '10', '9']),
    region: pick(['eu-west-1', 'us-east-1', 'global', 'EU-west-1', 'eu_west_1']),
    resourceKind: 'k',
    resourceArn: `arn:${pick(TRICKY)}:${pick(TRICKY)}`,
    resourceName: 'n',
    message: `#${i}`,
  }) as unknown as Result);
}

describe('sortResults', () => {
  it('orders exactly as sorting by compareResults does, ties in their original order', () => {
    for (const seed of [1, 2, 3, 42, 2026]) {
      const rs = results(3_000, seed);
      const expected = rs.slice().sort(compareResults);
      const got = rs.slice();
      expect(sortResults(got)).toBe(got);
      // The same objects in the same places (message holds each result's original index, so ties are checked too).
      expect(got.map((r) => r.message)).toEqual(expected.map((r) => r.message));
    }
  });

  it('leaves an empty or one-result list as it is', () => {
    expect(sortResults([])).toEqual([]);
    const one = results(1, 7);
    expect(sortResults(one.slice())).toEqual(one);
  });
});
