// End to end: the bundled CLI, run as a child process, over the sample inventory.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { bundledCli, root, sample } from './bundled-cli.js';

const { work, cli, run } = bundledCli('cli');

describe('audit over the sample inventory', () => {
  it('prints the JSON of design.md and exits 0', () => {
    const r = run(['--inventory', sample, '--output', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['schemaVersion', 'tool', 'runId', 'startedAt', 'finishedAt', 'scope', 'summary', 'results', 'errors', 'stats']));
    expect(report.schemaVersion).toBe(1);
    expect(report.tool.name).toBe('lens-audit');
    expect(report.scope.accounts).toEqual(['111122223333']);
    expect(Object.keys(report.summary)).toEqual(expect.arrayContaining(['pass', 'fail', 'notAssessed', 'suppressed', 'bySeverity', 'new', 'resolved']));
    const statuses = new Set(report.results.map((x: { status: string }) => x.status));
    expect(statuses).toEqual(new Set(['PASS', 'FAIL', 'NOT_ASSESSED']));
    for (const res of report.results) {
      expect(Object.keys(res)).toEqual(expect.arrayContaining(['findingId', 'checkId', 'status', 'severity', 'accountId', 'region', 'resourceKind', 'resourceArn', 'resourceName', 'message', 'pillar', 'lens']));
      expect(res.findingId).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(report.summary.fail + report.summary.pass + report.summary.notAssessed + report.summary.suppressed).toBe(report.results.length);
    expect(report.errors.length).toBeGreaterThan(0);
    expect(report.stats.apiCalls).toEqual({});
  });

  it('gives the same finding ids on every run', () => {
    const ids = (out: string) => JSON.parse(out).results.map((x: { findingId: string }) => x.findingId).sort();
    expect(ids(run(['--inventory', sample, '--output', 'json']).stdout)).toEqual(ids(run(['--inventory', sample, '--output', 'json']).stdout));
  });

  it('prints a table grouped by severity with a summary line', () => {
    const r = run(['--inventory', sample]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^(CRITICAL|HIGH|MEDIUM|LOW) \(\d+\)$/m);
    expect(r.stdout).toMatch(/^NOT ASSESSED \(\d+\)$/m);
    expect(r.stdout).toMatch(/^Summary: \d+ failed/m);
  });

  it('exits 1 when a failure is at or above --fail-on, 0 when none is', () => {
    expect(run(['--inventory', sample, '--fail-on', 'LOW', '--output', 'json']).code).toBe(1);
    expect(run(['--inventory', sample, '--fail-on', 'CRITICAL', '--checks', 'lambda.no-tracing', '--output', 'json']).code).toBe(0);
  });

  it('writes the report with --out and honours --checks', () => {
    const out = join(work, 'r.json');
    const r = run(['--inventory', sample, '--output', 'json', '--checks', 'lambda.*', '--out', out]);
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.results.length).toBeGreaterThan(0);
    for (const res of report.results) expect(res.checkId).toMatch(/^lambda\./);
  });
});

describe('history across runs', () => {
  it('marks findings NEW on the first run, resolves what a later run no longer finds, and keeps the rest', () => {
    const store = join(work, 'hist', 'state.json');
    const first = JSON.parse(run(['--inventory', sample, '--output', 'json', '--store', store]).stdout);
    expect(first.summary.new).toBe(first.summary.fail);
    expect(first.summary.resolved).toBe(0);
    const tracing = first.results.find((r: { checkId: string; status: string }) => r.checkId === 'lambda.no-tracing' && r.status === 'FAIL');
    expect(tracing.history.state).toBe('NEW');

    // The function is fixed: tracing on. Everything else stays the same.
    const inv = JSON.parse(readFileSync(sample, 'utf8'));
    for (const a of inv.accounts) for (const r of a.regions) for (const fn of r.resources.AwsLambdaFunction ?? []) if (fn.arn === tracing.resourceArn) fn.TracingConfig = { Mode: 'Active' };
    const fixed = join(work, 'fixed.json');
    writeFileSync(fixed, JSON.stringify(inv));
    const second = JSON.parse(run(['--inventory', fixed, '--output', 'json', '--store', store]).stdout);
    expect(second.summary.new).toBe(0);
    expect(second.summary.resolved).toBe(1);
    expect(second.resolved[0]).toMatchObject({ findingId: tracing.findingId, checkId: 'lambda.no-tracing' });
    expect(second.results.filter((r: { status: string }) => r.status === 'FAIL').every((r: { history: { state: string } }) => r.history.state === 'PERSISTING')).toBe(true);

    const table = run(['--inventory', fixed, '--store', store, '--only-new']);
    expect(table.code).toBe(0);
    expect(table.stdout).not.toMatch(/^(CRITICAL|HIGH|MEDIUM|LOW|INFORMATIONAL) \(/m);
  });

  it('refuses a corrupt history with one line and leaves it untouched', () => {
    const store = join(work, 'corrupt.json');
    writeFileSync(store, '{"version": 1, "findings": [');
    const r = run(['--inventory', sample, '--store', store]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(store, 'utf8')).toBe('{"version": 1, "findings": [');
  });
});

describe('a large run (passes on disk)', () => {
  it('writes the same JSON and CSV, to stdout and to --out, and leaves no temporary file', () => {
    const tmp = mkdtempSync(join(work, 'tmp-'));
    const big = { TMPDIR: tmp, LENS_AUDIT_SPILL_ABOVE: '1' };
    const held = JSON.parse(run(['--inventory', sample, '--output', 'json', '--no-store']).stdout);
    const spilled = run(['--inventory', sample, '--output', 'json', '--no-store'], big);
    expect(spilled.code).toBe(0);
    const report = JSON.parse(spilled.stdout);
    const ids = (rs: { findingId: string; status: string }[]) => rs.map((r) => `${r.findingId}|${r.status}`).sort();
    expect(report.results.length).toBe(held.results.length);
    expect(ids(report.results)).toEqual(ids(held.results));
    expect(report.summary).toEqual(held.summary);

    const out = join(work, 'big.csv');
    expect(run(['--inventory', sample, '--output', 'csv', '--no-store', '--out', out], big).code).toBe(0);
    const heldCsv = run(['--inventory', sample, '--output', 'csv', '--no-store']).stdout;
    expect(readFileSync(out, 'utf8').split('\r\n').sort()).toEqual(heldCsv.split('\r\n').sort());
    expect(readdirSync(tmp)).toEqual([]);

    // No temporary directory: the passes stay in memory, one warning line, the same report.
    const noTmp = run(['--inventory', sample, '--output', 'json', '--no-store'], { TMPDIR: join(work, 'no-such-dir'), LENS_AUDIT_SPILL_ABOVE: '1' });
    expect(noTmp.code).toBe(0);
    expect(noTmp.stderr).toMatch(/^audit: warning: cannot keep passes on disk \(.*\): they stay in memory\n$/);
    expect(ids(JSON.parse(noTmp.stdout).results)).toEqual(ids(held.results));

    const bad = run(['--inventory', sample, '--no-store'], { LENS_AUDIT_SPILL_ABOVE: 'lots' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/LENS_AUDIT_SPILL_ABOVE must be a whole number/);
  });
});

describe('bad input: one line on stderr, exit 2, no stack trace', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown flag', ['--bogus'], /unknown option '--bogus'/],
    ['unknown region', ['--regions', 'us-east1'], /unknown region "us-east1" \(did you mean "us-east-1"\?\)/],
    ['unreadable inventory', ['--inventory', '/nonexistent/inv.json'], /cannot read inventory file .*ENOENT/],
    ['inventory that is not JSON', ['--inventory', '__NOTJSON__'], /not valid JSON/],
    ['unknown check id', ['--inventory', sample, '--checks', 'lambda.nope'], /unknown check id "lambda.nope"/],
    ['bad severity', ['--inventory', sample, '--fail-on', 'SEVERE'], /SEVERE/],
    ['unknown profile', ['--profile', 'no-such-profile', '--regions', 'us-east-1'], /unknown profile "no-such-profile"/],
    ['malformed config', ['--inventory', sample, '--config', '__BADCONFIG__'], /unknown key "chekcs"/],
    ['bad account concurrency', ['--regions', 'us-east-1', '--account-concurrency', 'lots'], /--account-concurrency must be a whole number from 1 to 1000, got "lots"/],
  ];
  it.each(cases)('%s', (_name, args, pattern) => {
    const notJson = join(work, 'not.json');
    writeFileSync(notJson, '{ this is not json');
    const badConfig = join(work, 'bad.yaml');
    writeFileSync(badConfig, 'chekcs:\n  disabled: [lambda.no-tracing]\n');
    const r = run(args.map((a) => (a === '__NOTJSON__' ? notJson : a === '__BADCONFIG__' ? badConfig : a)));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 3 when the endpoint cannot be reached', () => {
    const r = run(['--regions', 'us-east-1', '--endpoint-url', 'http://127.0.0.1:9'], { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x', AWS_MAX_ATTEMPTS: '1' });
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/cannot reach the AWS endpoint/);
  });
});

describe('audit permissions --partition', () => {
  it('spells every ARN in the partition asked for', () => {
    const cn = run(['permissions', '--partition', 'aws-cn']);
    expect(cn.code, cn.stderr).toBe(0);
    expect(cn.stdout).toContain('arn:aws-cn:apigateway:');
    expect(cn.stdout).not.toContain('arn:aws:');
    expect(run(['permissions']).stdout).toContain('arn:aws:apigateway:');
  });
});

describe('the package', () => {
  it('--help and --version load no AWS SDK, Slack or Smithy module (the scan is a chunk of its own)', async () => {
    const { readFileSync: read } = await import('node:fs');
    const { dirname: dir, join: j } = await import('node:path');
    const seen = new Set<string>();
    const external = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = read(file, 'utf8');
      // Static imports only (`import ... from "x"` and `import "x"`); dynamic import() is what stays lazy.
      for (const m of text.matchAll(/^import\s+(?:[^'"]*?\s+from\s+)?["']([^"']+)["'];?$/gms)) {
        const spec = m[1]!;
        if (spec.startsWith('.')) visit(j(dir(file), spec));
        else external.add(spec);
      }
    };
    visit(cli);
    expect(seen.size).toBeGreaterThan(1);
    expect([...external].filter((x) => /^@aws-sdk\/|^@slack\/|^@smithy\//.test(x))).toEqual([]);
    const r = run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('`audit demo` audits the bundled sample estate', () => {
    const demo = run(['demo', '--output', 'json']);
    expect(demo.code, demo.stderr).toBe(0);
    const direct = run(['--inventory', sample, '--output', 'json']);
    expect(JSON.parse(demo.stdout).summary).toEqual(JSON.parse(direct.stdout).summary);
  });

  it('packs the CLI, its chunks, the sample inventory and the licence, and no test build', () => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const files = (JSON.parse(r.stdout)[0].files as { path: string }[]).map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['bin/audit.js', 'examples/sample-inventory.json', 'LICENSE', 'README.md', 'package.json']));
    expect(files.filter((f) => f.startsWith('dist/test') || f.startsWith('test/') || f.startsWith('src/'))).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.bin).toMatchObject({ 'lens-audit': 'bin/audit.js', audit: 'bin/audit.js' });
    expect(pkg.repository?.url).toMatch(/^git\+https:\/\//);
  });
});
