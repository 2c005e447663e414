// The bench measures the scanner as built (bench/build.ts): its measured process runs an esbuild bundle of the bench,
// the worker entry and the worker hook, in plain Node in every thread, as `npm run build`'s output runs. Nothing here is
// timed: the figures are `npm run bench`'s.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBench, withoutTsx } from '../bench/build.js';

const root = join(import.meta.dirname, '..');

describe('withoutTsx: the measured process gets the Node options without tsx', () => {
  it('drops tsx’s loader in the forms tsx and users pass it, keeps every other option', () => {
    const tsx = [
      '--require', '/work/main/node_modules/tsx/dist/preflight.cjs',
      '--import', 'file:///work/main/node_modules/tsx/dist/loader.mjs',
    ];
    expect(withoutTsx([...tsx, '--heapsnapshot-signal=SIGUSR2', '--expose-gc'])).toEqual(['--heapsnapshot-signal=SIGUSR2', '--expose-gc']);
    expect(withoutTsx(['--import', 'tsx', '--trace-gc'])).toEqual(['--trace-gc']);
    expect(withoutTsx(['--import=tsx', '--require=C:\\p\\node_modules\\tsx\\dist\\preflight.cjs'])).toEqual([]);
    // Another loader stays, as do options whose value merely contains the letters.
    expect(withoutTsx(['--import', './my-hooks.mjs', '--require', '/opt/tsxtools/x.cjs', '--max-old-space-size=2048']))
      .toEqual(['--import', './my-hooks.mjs', '--require', '/opt/tsxtools/x.cjs', '--max-old-space-size=2048']);
  });
});

describe('buildBench: a scan of the bundle, workers and floor included', () => {
  const outdir = join(root, 'bench', `.build-test-${process.pid}`);
  const tag = `bundle-test-${process.pid}`;
  const result = join(root, 'bench', 'results', `S-8acc-${tag}.json`);
  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
    rmSync(result, { force: true });
  });

  it('bundles three entries that run without tsx: two workers scan, the floor replays every call', async () => {
    const run = await buildBench(root, outdir);
    expect(run).toBe(join(outdir, 'bench', 'run.js'));
    for (const f of ['bench/run.js', 'src/worker.js', 'bench/sim/worker-hook.js']) expect(existsSync(join(outdir, f))).toBe(true);
    // Eight accounts of S in two worker threads (the built worker entry and hook), the floor measured (its replay finds
    // the SDK's client packages from the bundle's place), no one-thread comparison.
    const child = spawnSync(process.execPath, [run, '--child', '--estate', 'S', '--accounts', '8', '--workers', '2', '--no-compare', '--time-scale', '0.25', '--tag', tag], {
      cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect(child.status, child.stderr).toBe(0);
    const r = JSON.parse(readFileSync(result, 'utf8')) as {
      build: string; workers: { used: number }; calls: { made: number; plan: number }; floor: { recorded: number; calls: number };
    };
    expect(r.build).toBe('bundle');
    expect(r.workers.used).toBe(2);
    expect(r.calls.made).toBe(r.calls.plan);
    expect(r.floor.recorded).toBe(r.calls.made);
    expect(r.floor.calls).toBe(r.calls.made);
  }, 120_000);
});
