// End to end: where the CLI's reports go (issue 18, issue 20 point 7): several formats in one run, filters in every
// format, pipes closed early, links and devices, output failures (exit 4) and the history written after the reports.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUTPUT_FILES } from '../../src/cli/outputs.js';
import { bundledCli, sample } from './bundled-cli.js';

const { work, cli, run } = bundledCli('outputs');

type Res = { findingId: string; checkId: string; status: string; history?: { state: string }; resourceArn: string };
const stable = (text: string) => {
  const r = JSON.parse(text);
  delete r.runId;
  delete r.startedAt;
  delete r.finishedAt;
  delete r.stats;
  return r;
};

/** The sample with the first failing lambda.no-tracing fixed, and one new flaw (a function without tracing). */
function changedInventory(failing: Res): string {
  const inv = JSON.parse(readFileSync(sample, 'utf8'));
  let added = false;
  for (const a of inv.accounts) {
    for (const r of a.regions) {
      const fns = r.resources.AwsLambdaFunction ?? [];
      for (const fn of fns) if (fn.arn === failing.resourceArn) fn.TracingConfig = { Mode: 'Active' };
      if (!added && fns.length > 0) {
        const copy = JSON.parse(JSON.stringify(fns[0]));
        copy.arn = `${copy.arn}-added`;
        copy.FunctionArn = copy.arn;
        copy.FunctionName = `${copy.FunctionName}-added`;
        copy.TracingConfig = { Mode: 'PassThrough' };
        fns.push(copy);
        added = true;
      }
    }
  }
  const path = join(work, `changed-${Date.now()}.json`);
  writeFileSync(path, JSON.stringify(inv));
  return path;
}

describe('several outputs in one run (--out-dir)', () => {
  it('writes every format under its fixed name from one collection and one history update', () => {
    const dir = join(work, 'all');
    const store = join(work, 'all-state.json');
    const r = run(['--inventory', sample, '--store', store, '--output', 'table,json,csv,html,asff,ocsf,markdown', '--out-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(readdirSync(dir).sort()).toEqual(Object.values(OUTPUT_FILES).sort());
    // The end summary names every file written.
    expect(r.stderr).toMatch(/reports written: .*lens-audit-report\.json/);
    // The same run in every file: one run id, as the single-format JSON of the same inventory shows.
    const json = JSON.parse(readFileSync(join(dir, 'lens-audit-report.json'), 'utf8'));
    expect(readFileSync(join(dir, 'lens-audit-report.html'), 'utf8')).toContain(json.runId);
    expect(readFileSync(join(dir, 'lens-audit-report.md'), 'utf8')).toContain(json.runId);
    const single = run(['--inventory', sample, '--output', 'json']);
    expect(stable(single.stdout).results.map((x: Res) => [x.findingId, x.status])).toEqual(json.results.map((x: Res) => [x.findingId, x.status]));
    // A plain table in the file (no colour codes), the CSV with one row per result.
    expect(readFileSync(join(dir, 'lens-audit-report.txt'), 'utf8')).not.toContain('\u001b[');
    expect(readFileSync(join(dir, 'lens-audit-report.csv'), 'utf8').trim().split('\n')).toHaveLength(json.results.length + 1);
    // One history update: one run recorded.
    expect(JSON.parse(readFileSync(store, 'utf8')).runs).toHaveLength(1);
  });

  it('writes HTML to lens-audit-report.html and the other format to standard output without --out-dir', () => {
    const cwdHtml = join(work, OUTPUT_FILES.html);
    const r = run(['--inventory', sample, '--output', 'html,json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).schemaVersion).toBe(1);
    expect(existsSync(cwdHtml)).toBe(true);
    expect(r.stderr).toContain('report written to lens-audit-report.html');
  });
});

describe('filters in every format (--only-new, --status)', () => {
  it('lists only new findings in JSON, CSV, HTML, OCSF and Markdown; the summary keeps every count', () => {
    const store = join(work, 'new-state.json');
    const first = JSON.parse(run(['--inventory', sample, '--store', store, '--output', 'json']).stdout);
    const tracing = first.results.find((x: Res) => x.checkId === 'lambda.no-tracing' && x.status === 'FAIL');
    const changed = changedInventory(tracing);
    const dir = join(work, 'only-new');
    const r = run(['--inventory', changed, '--store', store, '--only-new', '--output', 'json,csv,html,ocsf,markdown', '--out-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, OUTPUT_FILES.json), 'utf8'));
    expect(json.results.length).toBeGreaterThan(0);
    for (const x of json.results as Res[]) expect([x.status, x.history?.state]).toEqual(['FAIL', 'NEW']);
    expect(json.results.map((x: Res) => x.checkId)).toContain('lambda.no-tracing');
    // Full counts: the persisting failures still count.
    expect(json.summary.fail).toBeGreaterThan(json.results.length);
    expect(json.summary.resolved).toBe(1);
    expect(json.resolved).toEqual([]);
    const csv = readFileSync(join(dir, OUTPUT_FILES.csv), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(json.results.length + 1);
    const ocsf = JSON.parse(readFileSync(join(dir, OUTPUT_FILES.ocsf), 'utf8'));
    expect(ocsf).toHaveLength(json.results.length);
    const html = readFileSync(join(dir, OUTPUT_FILES.html), 'utf8');
    const persisting = first.results.find((x: Res) => x.status === 'FAIL' && x.findingId !== tracing.findingId && !json.results.some((y: Res) => y.findingId === x.findingId));
    expect(html).not.toContain(persisting.findingId);
    expect(html).toContain(json.results[0].findingId);
    expect(readFileSync(join(dir, OUTPUT_FILES.markdown), 'utf8')).toMatch(/Since the last run: \*\*\d+ new\*\*, 1 resolved/);
  });

  it('--status filters every format and takes any case', () => {
    const dir = join(work, 'status');
    const r = run(['--inventory', sample, '--status', 'pass,not_assessed', '--output', 'json,csv', '--out-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, OUTPUT_FILES.json), 'utf8'));
    expect(new Set(json.results.map((x: Res) => x.status))).toEqual(new Set(['PASS', 'NOT_ASSESSED']));
    expect(json.summary.fail).toBeGreaterThan(0);
    expect(readFileSync(join(dir, OUTPUT_FILES.csv), 'utf8')).not.toMatch(/,FAIL,/);
    const table = run(['--inventory', sample, '--status', 'PASS']);
    expect(table.stdout).toMatch(/PASS/);
    expect(table.stdout).not.toMatch(/^(CRITICAL|HIGH|MEDIUM|LOW|INFORMATIONAL) \(/m);
  });
});

describe('--output markdown', () => {
  it('prints counts by severity, the top failing checks with links, and new findings with console links', () => {
    const r = run(['--inventory', sample, '--store', join(work, 'md-state.json'), '--output', 'markdown']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(run(['--inventory', sample, '--output', 'json']).stdout);
    expect(r.stdout).toMatch(/^## lens-audit /);
    expect(r.stdout).toContain(`| **${json.summary.fail}** | ${json.summary.bySeverity.CRITICAL} | ${json.summary.bySeverity.HIGH} |`);
    expect(r.stdout).toMatch(/### Top failing checks/);
    expect(r.stdout).toMatch(/\[lambda\.[a-z-]+\]\(https:\/\/github\.com\/[^)]+\/docs\/checks\.md#lambda[a-z-]+\)/);
    expect(r.stdout).toMatch(/### New findings/);
    expect(r.stdout).toMatch(/\]\(https:\/\/[a-z0-9-]+\.console\.aws\.amazon\.com\//);
  });
});

describe('pipes, links and devices', () => {
  it('ends quietly with the normal exit code when the reader closes the pipe (| head)', () => {
    const cases: [string[], number][] = [[['--output', 'json', '--show-pass'], 0], [['--output', 'csv'], 0], [['--output', 'asff'], 0], [['--output', 'ocsf'], 0], [['--output', 'json', '--fail-on', 'LOW'], 1], [['checks', '--output', 'json'], 0]];
    for (const [args, code] of cases) {
      const r = spawnSync('bash', ['-c', `"${process.execPath}" "${cli}" ${args[0] === 'checks' ? '' : `--inventory "${sample}"`} ${args.join(' ')} | head -c 10 >/dev/null; echo "\${PIPESTATUS[0]}"`], { cwd: work, encoding: 'utf8' });
      expect(r.stderr, args.join(' ')).toBe('');
      expect(r.stdout.trim(), args.join(' ')).toBe(String(code));
    }
  });

  it('writes through a symbolic link (the link stays a link) and keeps the mode of the file it replaces', () => {
    const target = join(work, 'real-report.json');
    writeFileSync(target, 'old\n');
    chmodSync(target, 0o600);
    const link = join(work, 'report-link.json');
    symlinkSync(target, link);
    const r = run(['--inventory', sample, '--output', 'json', '--out', link]);
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(target, 'utf8')).schemaVersion).toBe(1);
    expect(statSync(target).mode & 0o777).toBe(0o600);
  });

  it('writes to a device or descriptor in place (/dev/stdout, /dev/fd/1)', () => {
    for (const dev of ['/dev/stdout', '/dev/fd/1']) {
      const r = run(['--inventory', sample, '--output', 'json', '--out', dev, '--quiet']);
      expect(r.code, `${dev}: ${r.stderr}`).toBe(0);
      expect(JSON.parse(r.stdout).schemaVersion).toBe(1);
    }
  });

  it('an output that fails after the scan exits 4, says so, and leaves the history unchanged', () => {
    if (!existsSync('/dev/full')) return;
    const store = join(work, 'exit4-state.json');
    expect(run(['--inventory', sample, '--store', store, '--output', 'json']).code).toBe(0);
    const before = readFileSync(store);
    const changed = changedInventory(JSON.parse(run(['--inventory', sample, '--output', 'json']).stdout).results.find((x: Res) => x.checkId === 'lambda.no-tracing' && x.status === 'FAIL'));
    const dir = join(work, 'exit4');
    mkdirSync(dir, { recursive: true });
    const r = run(['--inventory', changed, '--store', store, '--output', 'json', '--out', '/dev/full']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/\/dev\/full could not be written \(ENOSPC\)/);
    expect(r.stderr).toMatch(/history .* was not updated/);
    expect(readFileSync(store).equals(before)).toBe(true);
    // The next run, with a working output, still sees the change as new.
    const next = JSON.parse(run(['--inventory', changed, '--store', store, '--output', 'json']).stdout);
    expect(next.summary.resolved).toBe(1);
    expect(next.summary.new).toBeGreaterThan(0);
  });
});

describe('HTML report: grouping by tag and the trend, from the CLI', () => {
  it('--group-by-tag KEY rolls the failures up by that tag; a store with runs gives the trend', () => {
    const dir = join(work, 'by-tag');
    const store = join(work, 'trend-state.json');
    expect(run(['--inventory', sample, '--store', store, '--output', 'json']).code).toBe(0);
    const r = run(['--inventory', sample, '--store', store, '--output', 'html,json', '--out-dir', dir, '--group-by-tag', 'team']);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(join(dir, OUTPUT_FILES.html), 'utf8');
    expect(html).toContain('By tag <code>team</code>');
    expect(html).toContain('(untagged)');
    const json = JSON.parse(readFileSync(join(dir, OUTPUT_FILES.json), 'utf8'));
    // Two runs in the trend, this one last; only the asked tag on the results.
    expect(json.trend.map((t: { runId: string }) => t.runId).at(-1)).toBe(json.runId);
    expect(json.trend).toHaveLength(2);
    const tagged = (json.results as { tags?: Record<string, string> }[]).filter((x) => x.tags);
    expect(tagged.length).toBeGreaterThan(0);
    for (const x of tagged) expect(Object.keys(x.tags!)).toEqual(['team']);
    expect(run(['--inventory', sample, '--group-by-tag', '']).code).toBe(2);
  });
});
