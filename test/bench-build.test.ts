// The bench measures the scanner as built (bench/build.ts): its measured process runs an esbuild bundle of the bench,
// the worker entry and the worker hook, in plain Node in every thread, as `npm run build`'s output runs. Nothing here is
// timed: the figures are `npm run bench`'s.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBench, loadsTsx, measuredCommand, withoutTsx } from '../bench/build.js';

const root = join(import.meta.dirname, '..');
const tsx = ['--require', '/work/main/node_modules/tsx/dist/preflight.cjs', '--import', 'file:///work/main/node_modules/tsx/dist/loader.mjs'];

describe('the measured process gets Node’s options without tsx', () => {
  it('withoutTsx drops tsx’s loader in the forms tsx and users pass it, and keeps every other option', () => {
    expect(withoutTsx([...tsx, '--heapsnapshot-signal=SIGUSR2', '--expose-gc'])).toEqual(['--heapsnapshot-signal=SIGUSR2', '--expose-gc']);
    expect(withoutTsx(['--import', 'tsx', '--trace-gc'])).toEqual(['--trace-gc']);
    expect(withoutTsx(['--import=tsx', '--require=C:\\p\\node_modules\\tsx\\dist\\preflight.cjs'])).toEqual([]);
    // Another loader stays, as do options whose value merely contains the letters.
    expect(withoutTsx(['--import', './my-hooks.mjs', '--require', '/opt/tsxtools/x.cjs', '--max-old-space-size=2048']))
      .toEqual(['--import', './my-hooks.mjs', '--require', '/opt/tsxtools/x.cjs', '--max-old-space-size=2048']);
    expect(loadsTsx(['--expose-gc'], '--import=tsx --max-old-space-size=2048')).toBe(true);
    expect(loadsTsx(['--expose-gc'], '--max-old-space-size=2048')).toBe(false);
  });

  it('measuredCommand: the bundle with tsx out of the arguments and NODE_OPTIONS; from source, this process as it is', () => {
    const env = { NODE_OPTIONS: '--import=tsx --max-old-space-size=2048', HOME: '/h' };
    const built = measuredCommand({ execArgv: [...tsx, '--expose-gc'], script: '/r/bench/run.ts', bundle: '/r/bench/.build/run-1/bench/run.js', env });
    expect(built.args).toEqual(['--expose-gc', '/r/bench/.build/run-1/bench/run.js']);
    expect(built.env).toEqual({ NODE_OPTIONS: '--max-old-space-size=2048', HOME: '/h' });
    expect(env.NODE_OPTIONS).toBe('--import=tsx --max-old-space-size=2048');
    const source = measuredCommand({ execArgv: [...tsx, '--expose-gc'], script: '/r/bench/run.ts', env });
    expect(source.args).toEqual([...tsx, '--expose-gc', '/r/bench/run.ts']);
    expect(source.env).toBe(env);
  });
});

describe('buildBench: a scan of the bundle, workers and floor included', () => {
  const tag = `bundle-test-${process.pid}`;
  const result = join(root, 'bench', 'results', `S-8acc-${tag}.json`);
  let dir: string | undefined;
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    rmSync(result, { force: true });
  });

  it('bundles the three entries with their shared code in chunks; two workers scan from it without tsx, the floor replays every call', async () => {
    const built = await buildBench(root);
    dir = built.dir;
    expect(built.dir.startsWith(join(root, 'bench', '.build', 'run-'))).toBe(true);
    expect(built.run).toBe(join(built.dir, 'bench', 'run.js'));
    for (const f of ['bench/run.js', 'src/worker.js', 'bench/sim/worker-hook.js']) expect(existsSync(join(built.dir, f))).toBe(true);
    expect(readdirSync(join(built.dir, 'chunks')).some((f) => f.endsWith('.js'))).toBe(true);
    // Eight accounts of S in two worker threads (the built worker entry and hook), the floor measured (its replay finds
    // the SDK's client packages from the bundle's place), no one-thread comparison; tsx in NODE_OPTIONS is dropped.
    const cmd = measuredCommand({ execArgv: tsx, script: 'unused', bundle: built.run, env: { ...process.env, NODE_OPTIONS: '--import=tsx' } });
    const child = spawnSync(process.execPath, [...cmd.args, '--child', '--estate', 'S', '--accounts', '8', '--workers', '2', '--no-compare', '--time-scale', '0.25', '--tag', tag], {
      cwd: root, encoding: 'utf8', env: cmd.env, timeout: 100_000, killSignal: 'SIGKILL', maxBuffer: 64 * 2 ** 20,
    });
    expect(child.status, child.stderr).toBe(0);
    const r = JSON.parse(readFileSync(result, 'utf8')) as {
      build: string; workers: { used: number }; calls: { made: number; plan: number }; floor: { recorded: number; calls: number };
    };
    // `bundle` only when neither the arguments nor NODE_OPTIONS loaded tsx in the measured process.
    expect(r.build).toBe('bundle');
    expect(r.workers.used).toBe(2);
    expect(r.calls.made).toBe(r.calls.plan);
    expect(r.floor.recorded).toBe(r.calls.made);
    expect(r.floor.calls).toBe(r.calls.made);
  }, 120_000);
});
