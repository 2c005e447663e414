// Display width for terminal output: wide (CJK) characters and emoji take two columns, combining marks and colour codes
// none (string-width, already a dependency of log-update), so that the table and the checks list line up and fit.
import stringWidth from 'string-width';

export function displayWidth(s: string): number {
  return stringWidth(s);
}

/** `s` padded with spaces to `n` columns. */
export function padTo(s: string, n: number): string {
  const w = displayWidth(s);
  return w >= n ? s : s + ' '.repeat(n - w);
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** `s` cut to at most `n` columns (whole graphemes, `…` at the end when cut). Unchanged when n is undefined. */
export function cutTo(s: string, n: number | undefined): string {
  if (n === undefined || displayWidth(s) <= n) return s;
  if (n <= 1) return n === 1 ? '…' : '';
  let out = '';
  let w = 0;
  for (const { segment } of segmenter.segment(s)) {
    const sw = displayWidth(segment);
    if (w + sw > n - 1) break;
    out += segment;
    w += sw;
  }
  return `${out}…`;
}
