// The bench as built: run.ts runs its measured process from a bundle (buildBench) unless --source, --profile or
// --alloc-profile say otherwise (measuredCommand).
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Bundles the bench, the scanner's worker entry and the bench's worker hook into a new directory of its own under
 * `<root>/bench/.build` (a run in progress keeps its bundle while another builds), with the options of `npm run build`:
 * esbuild, code shared between the entries split into chunks, packages left to node_modules, source maps beside (not
 * loaded). Returns the directory and the bench's entry in it. The measured process then runs what users run: under tsx
 * every thread also held its loader, the transformed sources and their source maps, and transformed each module as
 * it loaded.
 */
export async function buildBench(root: string): Promise<{ dir: string; run: string }> {
  const { build } = await import('esbuild');
  const parent = join(root, 'bench', '.build');
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, 'run-'));
  await build({
    entryPoints: [join(root, 'bench/run.ts'), join(root, 'src/worker.ts'), join(root, 'bench/sim/worker-hook.ts')],
    outbase: root, outdir: dir, bundle: true, platform: 'node', target: 'node20', format: 'esm', packages: 'external',
    splitting: true, chunkNames: 'chunks/[name]-[hash]', sourcemap: true, logLevel: 'warning',
  });
  return { dir, run: join(dir, 'bench', 'run.js') };
}

/** The package's root above a module of the bench, bundled or not: the first directory with package.json and bench/. */
export function repoRoot(moduleUrl: string): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  while (!(existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'bench')))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package root above ${moduleUrl}`);
    dir = up;
  }
  return dir;
}

const LOADER_FLAGS = ['--require', '-r', '--import', '--loader', '--experimental-loader'];
const isTsx = (value: string) => value === 'tsx' || /(^|[\\/])tsx([\\/]|$)/.test(value);

/** Node options without tsx's loader (`--require …/tsx/…`, `--import tsx` or its loader's URL). */
export function withoutTsx(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const a = execArgv[i]!;
    const eq = a.indexOf('=');
    const [flag, inline] = eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    if (LOADER_FLAGS.includes(flag)) {
      const value = inline ?? execArgv[i + 1] ?? '';
      if (inline === undefined) i++;
      if (!isTsx(value)) out.push(flag, value);
      continue;
    }
    out.push(a);
  }
  return out;
}

/** NODE_OPTIONS as options, split at spaces. */
const nodeOptionsOf = (nodeOptions = ''): string[] => nodeOptions.split(/\s+/).filter(Boolean);

/** Whether Node options (execArgv, and NODE_OPTIONS) load tsx. */
export function loadsTsx(execArgv: readonly string[], nodeOptions?: string): boolean {
  const all = [...execArgv, ...nodeOptionsOf(nodeOptions)];
  return withoutTsx(all).length !== all.length;
}

/**
 * The measured process's command and environment. With a `bundle`: Node's options without tsx's loader, in the
 * arguments and in NODE_OPTIONS alike. Without (--source, --profile, --alloc-profile — whose figures by source file
 * need the sources' own URLs, where the bundle puts the scanner, its checks and the simulator in a few files — or a
 * bench that is a bundle already): this process's own options and script.
 */
export function measuredCommand(
  opts: { execArgv: readonly string[]; script: string; bundle?: string; env: NodeJS.ProcessEnv },
): { args: string[]; env: NodeJS.ProcessEnv } {
  if (!opts.bundle) return { args: [...opts.execArgv, opts.script], env: opts.env };
  const env = { ...opts.env };
  if (env.NODE_OPTIONS !== undefined) env.NODE_OPTIONS = withoutTsx(nodeOptionsOf(env.NODE_OPTIONS)).join(' ');
  return { args: [...withoutTsx(opts.execArgv), opts.bundle], env };
}
