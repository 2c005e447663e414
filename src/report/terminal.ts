// What reaches a terminal: text from AWS (resource names, error messages) and from inventories is attacker-influenced
// in a shared account. One rule for everything printed (table, stderr lines, progress, checks list): C0 and C1
// control characters (ESC of every escape sequence, BEL, the 8-bit CSI) and bidirectional overrides/isolates become a
// visible `?`, so `ESC[2J` prints as `?[2J` — inert, and still visible for what it was. Line breaks and tabs become
// spaces in single-line text (a name cannot split a row); multi-line text keeps `\n`.

// C0 except \n, DEL, C1; LRE RLE PDF LRO RLO, LRI RLI FSI PDI, ALM; LRM RLM stay (they override nothing).
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u061c]/g;

/** `text` safe to print on a terminal. `multiline`: keep `\n` (a whole report); otherwise one line. */
export function terminalSafe(text: string, opts: { multiline?: boolean } = {}): string {
  const s = String(text);
  const flat = opts.multiline ? s.replace(/\r\n/g, '\n') : s.replace(/[\r\n\t]+/g, ' ');
  return flat.replace(UNSAFE, (c) => (c === '\t' ? ' ' : '?'));
}
