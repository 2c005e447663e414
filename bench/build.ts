// The bench as built (run.ts runs its measured process from this bundle unless --source): see buildBench.
import { rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Bundles the bench, the scanner's worker entry and the bench's worker hook into bench/.build (esbuild, the options of
 * `npm run build`: one file per entry, packages left to node_modules) and returns the bench's bundle. The measured
 * process then runs what users run: under tsx every thread also held its loader, the transformed sources and their
 * source maps (about 45 MB of RSS per thread) and transformed each module as it loaded.
 */
export async function buildBench(root: string, outdir = join(root, 'bench', '.build')): Promise<string> {
  const { build } = await import('esbuild');
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: [join(root, 'bench/run.ts'), join(root, 'src/worker.ts'), join(root, 'bench/sim/worker-hook.ts')],
    outbase: root, outdir, bundle: true, platform: 'node', target: 'node20', format: 'esm', packages: 'external', logLevel: 'warning',
  });
  return join(outdir, 'bench', 'run.js');
}

/** Node options without tsx's loader (`--require …/tsx/…`, `--import tsx` or its loader's URL). */
export function withoutTsx(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const a = execArgv[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (['--require', '-r', '--import', '--loader', '--experimental-loader'].includes(flag!)) {
      const value = inline ?? execArgv[i + 1] ?? '';
      if (inline === undefined) i++;
      if (/(^|[\\/])tsx([\\/]|$)/.test(value) || value === 'tsx') continue;
      out.push(flag!, value);
      continue;
    }
    out.push(a);
  }
  return out;
}

