// `npm run nightly:local`: the state machine of the synthesized stack, run by aws-local-stepfunctions over the real
// handlers, the simulated estate S, dynalite, a local Slack webhook and recorded Security Hub and S3 calls. Two runs
// with --fix: the second resolves the fixed flaw and reports exactly the added one as new, as two CLI runs over the
// same estate do.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SimulatedAws } from '../bench/sim/aws.js';
import { ESTATES, accessKeyId } from '../bench/sim/estate.js';
import { ALL_CHECKS } from '../checks/index.js';
import { storeHistory } from '../src/engine/history.js';
import { runAudit } from '../src/engine/run-audit.js';
import { selectChecks } from '../src/engine/select.js';
import { openStore } from '../src/state/index.js';
import type { Result } from '../src/model/index.js';
import { mutate, runNightlyLocal } from '../scripts/nightly-local.js';

const failIds = (results: Result[]) => results.filter((r) => r.status === 'FAIL').map((r) => r.findingId).sort();

describe('nightly:local', () => {
  it('two runs with --fix: one flaw resolved, exactly the added one new, one Slack post per run, the same history as the CLI', async () => {
    const out = await runNightlyLocal({ estate: 'S', runs: 2, fix: true, latencyMs: 1, limits: false });
    const [first, second] = out.lines;
    expect(first).toMatchObject({ status: 'SUCCEEDED', accountsAssessed: 1, accountsNotAssessed: 0, persisting: 0, resolved: 0, slackPosts: 1, continuations: 0 });
    expect(first!.new).toBeGreaterThan(100);
    expect(first!.invocations).toEqual({ plan: 1, scanner: 3, finalize: 1 }); // regions, scan, evaluate
    expect(first!.securityHubImported).toBe(first!.new);
    expect(second).toMatchObject({ status: 'SUCCEEDED', new: 1, slackPosts: 1 });
    expect(second!.resolved).toBeGreaterThanOrEqual(1);
    expect(second!.persisting).toBe(first!.new - second!.resolved);
    // Security Hub gets only what changed: the new finding and the resolved one (archived); the unchanged persisting
    // findings were accepted last night and are not sent again (issue 17 point 5).
    expect(second!.securityHubImported).toBe(second!.new + second!.resolved);
    for (const line of out.lines) {
      expect(line.reportKeys).toEqual([`reports/${line.reportKeys[0]!.split('/').slice(1, 4).join('/')}/${line.runId}/report.html`, expect.stringMatching(/report\.json$/), 'latest/report.html', 'latest/report.json']);
    }
    // The nightly report has what the CLI's has: the account's name (its alias) and, from the second run, the trend.
    const secondJson = JSON.parse(out.reports[1]!.get('latest/report.json')!);
    expect(Object.values(secondJson.accountNames ?? {})).toHaveLength(1);
    expect(secondJson.trend.map((t: { runId: string }) => t.runId)).toEqual([first!.runId, second!.runId]);
    // The second digest names the one new finding and links the run's report.
    const post = JSON.stringify(out.slack[1]![0]);
    expect(post).toMatch(/lens-audit: 1 new finding/);
    expect(post).toContain('s3.console.aws.amazon.com/s3/object/lensauditlocal-reports');

    // The same two runs through the CLI's engine (runAudit with the file store) over a fresh simulated estate.
    const dir = mkdtempSync(join(tmpdir(), 'lens-audit-nightly-cli-'));
    try {
      const sim = new SimulatedAws({ spec: ESTATES.S, latencyMs: 1, limits: false });
      const cli = [];
      for (let run = 0; run < 2; run++) {
        if (run > 0) expect(mutate(sim, run)).toEqual(out.mutations[run - 1]);
        const store = openStore(join(dir, 'state.json'));
        try {
          const nightly = JSON.parse(out.reports[run]!.get('latest/report.json')!) as { startedAt: string; results: Result[] };
          const o = await runAudit({
            checks: selectChecks({ all: ALL_CHECKS, metrics: false }), regions: [...ESTATES.S.regions],
            aws: { credentials: { accessKeyId: accessKeyId(0), secretAccessKey: 'simulated' }, requestHandler: sim, pacing: false },
            history: storeHistory(store), runId: `cli-${run + 1}`, now: new Date(nightly.startedAt),
          });
          cli.push({ diff: o.diff!, fails: failIds(o.report.results), nightlyFails: failIds(nightly.results) });
        } finally {
          store.close();
        }
      }
      for (let run = 0; run < 2; run++) {
        const c = cli[run]!;
        expect({ new: c.diff.new.length, persisting: c.diff.persisting.length, resolved: c.diff.resolved.length })
          .toEqual({ new: out.lines[run]!.new, persisting: out.lines[run]!.persisting, resolved: out.lines[run]!.resolved });
        expect(c.fails).toEqual(c.nightlyFails);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
