// Terminal safety: nothing printed to a terminal carries a control character, an escape sequence or a bidi override,
// wherever the text came from (resource names, messages, AWS error text in an inventory).
import { PassThrough } from 'node:stream';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { readInventory } from '../../src/engine/inventory-file.js';
import { renderTable } from '../../src/report/table.js';
import { terminalSafe } from '../../src/report/terminal.js';
import { runAudit } from '../../src/engine/run-audit.js';
import { ALL_CHECKS } from '../../checks/index.js';

const SAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'sample-inventory.json');
// Clear screen, set the window title (OSC … BEL), a hyperlink (OSC 8 … ST), 8-bit CSI, CR/LF, RLO / LRI / PDI.
const HOSTILE = 'orders\u001b[2J\u001b]0;pwned\u0007\u001b]8;;https://evil.example\u001b\\x\u009b31m\r\nfake row\u202Eevil\u2066y\u2069\u0000';
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u061c]/;

describe('terminalSafe', () => {
  it('makes every control, escape and bidi override a visible ?, and one line of it', () => {
    const out = terminalSafe(HOSTILE);
    expect(out).not.toMatch(UNSAFE);
    expect(out).not.toContain('\n');
    expect(out).toBe('orders?[2J?]0;pwned??]8;;https://evil.example?\\x?31m fake row?evil?y??');
    expect(terminalSafe('a\nb\tc', { multiline: true })).toBe('a\nb c');
    expect(terminalSafe('plain ünïcödé 名前 — ok')).toBe('plain ünïcödé 名前 — ok');
  });
});

function hostileInventory() {
  const inv = readInventory(SAMPLE);
  const us = inv.accounts[0]!.regions.find((r) => r.region === 'us-east-1')!;
  for (const fn of us.resources.AwsLambdaFunction!) fn.name = `${fn.name}${HOSTILE}`;
  inv.errors.push({ accountId: '111122223333', region: 'us-east-1', service: 'kinesis', operation: 'kinesis:ListStreams', code: 'AccessDenied', message: `denied ${HOSTILE}` });
  return inv;
}

describe('the table and the CLI streams', () => {
  it('renderTable prints hostile names and AWS error text inert, one row each', async () => {
    const { report } = await runAudit({ checks: ALL_CHECKS, inventory: hostileInventory() });
    const hostileRows = report.results.filter((r) => r.resourceName.includes('fake row') && r.status !== 'PASS').length;
    expect(hostileRows).toBeGreaterThan(0);
    for (const color of [false, true]) {
      const text = renderTable(report, { color, showPass: true });
      const noColour = color ? text.replace(/\u001b\[[0-9;]*m/g, '') : text;
      expect(noColour.replace(/\n/g, '')).not.toMatch(UNSAFE);
      // No row was split: "fake row" never starts a line.
      expect(text.split('\n').some((l) => l.startsWith('fake row'))).toBe(false);
      expect(text).toContain('?[2J');
    }
  });

  it('the CLI writes no control character to stdout or stderr (table, errors, warnings)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lens-audit-tty-'));
    const file = join(dir, 'hostile.json');
    writeFileSync(file, JSON.stringify(hostileInventory()));
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (d) => (out += d));
    stderr.on('data', (d) => (err += d));
    const code = await main(['--inventory', file, '--no-store', '--show-pass', '--no-color'], { stdout, stderr, env: {} } as never);
    expect(code).toBe(0);
    expect(out).toContain('?[2J');
    expect(out.replace(/\n/g, '')).not.toMatch(UNSAFE);
    expect(err.replace(/\n/g, '')).not.toMatch(UNSAFE);
    // A bad flag's one line: terminal-safe too.
    const bad = new PassThrough();
    let badErr = '';
    bad.on('data', (d) => (badErr += d));
    expect(await main(['--inventory', `${dir}/missing\u001b[2J.json`, '--no-store'], { stdout: new PassThrough(), stderr: bad, env: {} } as never)).toBe(2);
    expect(badErr).toContain('?[2J');
    expect(badErr.replace(/\n$/, '')).not.toMatch(UNSAFE);
  });
});
