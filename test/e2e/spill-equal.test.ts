// A run whose passes went to disk reports exactly what a run held in memory reports (issue 16 point 2): every format,
// tables and breakdowns included, and the Slack digest.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../checks/index.js';
import { readInventory } from '../../src/engine/inventory-file.js';
import { runAudit } from '../../src/engine/run-audit.js';
import { buildDigest } from '../../src/sinks/slack.js';
import { bundledCli, sample } from './bundled-cli.js';

const { work, run } = bundledCli('spill-equal');

/** Run id, times, durations and the page's script hash (it covers the run id) are the only differences allowed. */
const normalise = (s: string) =>
  s
    .replace(/sha256-[A-Za-z0-9+/=]+/g, 'SHA')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'RUN')
    .replace(/20\d\d-\d\d-\d\dT[\d:.]+Z/g, 'T')
    .replace(/"(durationMs|time|first_seen_time|last_seen_time|created_time|modified_time)": ?\d+/g, '"$1": 0')
    .replace(/\d+\.\d+ ?s\b/g, '0 s');

describe('a spilled run equals a run held in memory', () => {
  it.each(['json', 'csv', 'html', 'table', 'asff', 'ocsf', 'markdown'])('%s', (format) => {
    const held = join(work, `held.${format}`);
    const spilled = join(work, `spilled.${format}`);
    expect(run(['--inventory', sample, '--output', format, '--out', held, '--show-pass', '--quiet']).code).toBe(0);
    expect(run(['--inventory', sample, '--output', format, '--out', spilled, '--show-pass', '--quiet'], { TMPDIR: work, LENS_AUDIT_SPILL_ABOVE: '1' }).code).toBe(0);
    const a = normalise(readFileSync(held, 'utf8'));
    const b = normalise(readFileSync(spilled, 'utf8'));
    expect(b.length).toBeGreaterThan(1000);
    expect(b === a, `${format} differs`).toBe(true);
  });

  it('the Slack digest', async () => {
    const inventory = readInventory(sample);
    const held = (await runAudit({ checks: ALL_CHECKS, inventory })).report;
    const spilled = (await runAudit({ checks: ALL_CHECKS, inventory, spillPassAbove: 1 })).report;
    expect(spilled.passSpill?.count).toBeGreaterThan(0);
    const digest = (r: typeof held) => buildDigest({ runId: 'r', scope: r.scope, newResults: r.results.filter((x) => x.status === 'FAIL'), resolved: [], counts: r.summary }, { slackAlways: true });
    expect(JSON.stringify(digest(spilled))).toBe(JSON.stringify(digest(held)));
    spilled.passSpill?.dispose();
  });
});
