// `npm run bench -- --linearity`: does evaluation grow linearly with the resources? One account of the estate's shape
// (`--estate`, default L, times `--base`, default 0.25) is collected from the simulator at 1x, 2x and 4x its size
// (no pacing, a fast clock: only the inventory matters here), then every check a plain `audit` runs is evaluated over
// each inventory, as run-audit does (one AccountIndex, check by check), `--repeat` times after a full GC: each check's
// fastest run counts (this machine is shared: the fastest is the one least disturbed), and the total is their sum.
//
// Printed: evaluation ms at each size and the growth per doubling (1.0 = linear), total and for the checks that
// cost the most; written to bench/results/<estate>-linearity.json under `evaluation.linearity`. The digest of each
// size's results (finding id and status of every result, sorted) shows that a change left the results as they were.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { AccountInventory, Check, Result } from '../src/model/index.js';

export interface LinearityFigures {
  estate: string;
  sizes: number[];
  resources: number[];
  results: number[];
  /** Evaluation of all checks over the account, ms, at each size: the sum of each check's fastest run (and the index's). */
  ms: number[];
  /** ms at 2x ÷ ms at 1x and ms at 4x ÷ ms at 2x: 2 is linear, 4 quadratic. */
  perDoubling: number[];
  /** The checks that cost the most at the largest size. */
  checks: { id: string; ms: number[]; perDoubling: number[] }[];
  digests: string[];
}

export interface LinearityArgs {
  estate: string;
  base: number;
  repeat: number;
  resultsDir: string;
  /** Reuse inventories collected by an earlier run (bench/results/.linearity-cache). */
  cache: boolean;
}

export async function linearity(a: LinearityArgs): Promise<LinearityFigures> {
  const [{ dilateTime }, { SimulatedAws }, est, { runAudit }, { ALL_CHECKS }, { selectChecks }, { AccountIndex, evaluateCheck }] = await Promise.all([
    import('./sim/clock.js'), import('./sim/aws.js'), import('./sim/estate.js'), import('../src/engine/run-audit.js'),
    import('../checks/index.js'), import('../src/engine/select.js'), import('../src/engine/evaluate.js'),
  ]);
  const checks: readonly Check[] = selectChecks({ all: ALL_CHECKS, metrics: false });
  const base = est.ESTATES[a.estate as 'S' | 'L' | 'XL'];
  if (!base) throw new Error(`unknown estate ${a.estate} (S, L, XL)`);
  const sizes = [1, 2, 4];
  const now = new Date('2025-01-01T00:00:00Z');

  const collect = async (factor: number): Promise<AccountInventory> => {
    const spec = { ...est.scaled(base, a.base * factor), accounts: 1 };
    const cacheFile = join(a.resultsDir, '.linearity-cache', `${a.estate}-${a.base * factor}.json`);
    if (a.cache && existsSync(cacheFile)) return JSON.parse(readFileSync(cacheFile, 'utf8')) as AccountInventory;
    const sim = new SimulatedAws({ spec, latencyMs: 40, limits: false });
    const clock = dilateTime(0.02);
    try {
      const out = await runAudit({
        checks,
        regions: [...spec.regions],
        accounts: [{ accountId: est.accountId(0), regions: [...spec.regions] }],
        aws: { requestHandler: sim, pacing: false, credentials: { accessKeyId: est.accessKeyId(0), secretAccessKey: 'simulated' } },
        keepInventory: true,
        now,
      });
      out.report.passSpill?.dispose();
      const account = out.inventory!.accounts[0]!;
      if (a.cache) {
        mkdirSync(join(a.resultsDir, '.linearity-cache'), { recursive: true });
        writeFileSync(cacheFile, JSON.stringify(account));
      }
      return account;
    } finally {
      clock.restore();
    }
  };

  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const totals: number[] = [];
  const perCheck = new Map<string, number[]>();
  const resources: number[] = [];
  const resultCounts: number[] = [];
  const digests: string[] = [];
  for (const factor of sizes) {
    const account = await collect(factor);
    resources.push(account.regions.reduce((n, r) => n + Object.values(r.resources).reduce((m, l) => m + (l?.length ?? 0), 0), 0));
    let bestIndex = Infinity;
    const bestPer = new Map<string, number>();
    let results: Result[] = [];
    for (let i = 0; i < a.repeat; i++) {
      // A fresh copy each time: the checks' per-list indexes (checks/lib/memo.ts) are rebuilt, as in a real run.
      const copy = structuredClone(account);
      results = [];
      gc();
      const t0 = performance.now();
      const index = new AccountIndex(copy);
      bestIndex = Math.min(bestIndex, performance.now() - t0);
      const out: Result[] = [];
      for (const check of checks) {
        const c0 = performance.now();
        for (const r of evaluateCheck(check, index, { now })) out.push(r);
        const ms = performance.now() - c0;
        bestPer.set(check.id, Math.min(bestPer.get(check.id) ?? Infinity, ms));
      }
      results = out;
    }
    const best = bestIndex + [...bestPer.values()].reduce((x, y) => x + y, 0);
    totals.push(round(best));
    for (const [id, ms] of bestPer) (perCheck.get(id) ?? perCheck.set(id, []).get(id)!).push(round(ms));
    resultCounts.push(results.length);
    const lines = results.map((r) => `${r.findingId} ${r.status}`).sort();
    digests.push(createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16));
    console.error(`linearity: ${a.estate} x${a.base * factor}: ${resources.at(-1)} resources, ${results.length} results, evaluation ${round(best)} ms`);
  }
  const growth = (ms: number[]) => ms.slice(1).map((m, i) => round(m / Math.max(ms[i]!, 0.01)));
  const top = [...perCheck.entries()].sort((x, y) => y[1].at(-1)! - x[1].at(-1)!).slice(0, 10);
  return {
    estate: `${a.estate}x${a.base}`,
    sizes,
    resources,
    results: resultCounts,
    ms: totals,
    perDoubling: growth(totals),
    checks: top.map(([id, ms]) => ({ id, ms, perDoubling: growth(ms) })),
    digests,
  };
}

export function printLinearity(f: LinearityFigures): string {
  const row = (name: string, ms: number[], g: number[]) =>
    `  ${name.padEnd(44)} ${ms.map((m) => m.toFixed(1).padStart(9)).join('')}   ${g.map((x) => x.toFixed(2)).join(' / ')}`;
  return [
    `evaluation linearity, ${f.estate} at ${f.sizes.map((s) => `${s}x`).join(', ')} (${f.resources.join(' / ')} resources, ${f.results.join(' / ')} results):`,
    `  ${'check'.padEnd(44)} ${f.sizes.map((s) => `ms ${s}x`.padStart(9)).join('')}   growth per doubling (2 = linear)`,
    row('all checks', f.ms, f.perDoubling),
    ...f.checks.map((c) => row(c.id, c.ms, c.perDoubling)),
    `  results digests: ${f.digests.join(' ')}`,
  ].join('\n');
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
