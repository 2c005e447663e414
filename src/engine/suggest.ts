// "Did you mean": the closest of the known values to a mistyped one (a check id, a flag value, a region code).

/** Edit distance (insertions, deletions, substitutions, adjacent swaps). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The known value closest to `input` (case-insensitive), when it is close enough to be a typo of it. */
export function closest(input: string, known: Iterable<string>): string | undefined {
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const dist = editDistance(needle, k.toLowerCase());
    if (dist < bestDistance) [best, bestDistance] = [k, dist];
  }
  // A third of the length, at least 1 and at most 3 edits: `lambda.shared-rol` → `lambda.shared-role`, not `sns.x` → `sqs.y`.
  const allowed = Math.min(3, Math.max(1, Math.floor(needle.length / 3)));
  return best !== undefined && bestDistance <= allowed ? best : undefined;
}

/** ` (did you mean "x"?)`, or nothing. */
export function didYouMean(input: string, known: Iterable<string>): string {
  const hit = closest(input, known);
  return hit ? ` (did you mean "${hit}"?)` : '';
}
