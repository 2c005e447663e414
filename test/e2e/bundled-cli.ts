// The bundled CLI for end-to-end tests: built once per test file (esbuild, as `npm run build`), run as a child process
// in a scratch directory with no AWS configuration.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, vi } from 'vitest';

export const root = join(import.meta.dirname, '..', '..');
export const sample = join(root, 'examples', 'sample-inventory.json');

export interface RunOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Registers the build in `beforeAll`; `name` keeps the bundles of parallel test files apart. */
export function bundledCli(name: string): { work: string; cli: string; run: (args: string[], env?: Record<string, string>) => RunOutcome } {
  // A test here runs the CLI as a process several times in a row (up to nine: 13 s on an idle 2-core machine). That is
  // CPU bound, so a loaded machine stretches it in proportion: 25 to 61 s with four or six busy processes beside it,
  // past the default 30 s. Each run is bounded by spawnSync's own timeout below; a test gets room for several.
  vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });
  // Built as `npm run build` builds: split, so that a scan's modules (and the AWS SDK) load only when a scan runs.
  const outdir = join(root, 'dist', 'test', name);
  const cli = join(outdir, 'cli.js');
  const work = mkdtempSync(join(tmpdir(), `lens-audit-${name}-`));
  beforeAll(async () => {
    await build({ entryPoints: [join(root, 'src', 'cli.ts'), join(root, 'src', 'worker.ts')], bundle: true, platform: 'node', target: 'node20', format: 'esm', packages: 'external', splitting: true, outdir, chunkNames: 'chunks/[name]-[hash]', logLevel: 'silent' });
  });
  const run = (args: string[], env: Record<string, string> = {}): RunOutcome => {
    const r = spawnSync(process.execPath, [cli, ...args], {
      cwd: work,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: work, AWS_CONFIG_FILE: join(work, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(work, 'none'), ...env },
      timeout: 60_000,
      maxBuffer: 256 << 20,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  return { work, cli, run };
}
