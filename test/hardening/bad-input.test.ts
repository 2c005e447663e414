// Bad input: property-based tests over the configuration file, the inventory file and the CLI arguments. Every
// invalid input ends with one line on stderr naming what is wrong and exit 2 — never a stack trace — and a run that
// fails leaves the findings history byte-identical.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { stringify as toYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ALL_CHECKS } from '../../checks/index.js';
import { main } from '../../src/cli.js';
import { loadConfig, validateConfig } from '../../src/engine/config.js';
import { NothingAssessedError, UsageError } from '../../src/engine/errors.js';
import { parseInventory, readInventory } from '../../src/engine/inventory-file.js';
import { regionStatus } from '../../src/engine/regions.js';
import { OUTPUT_FORMATS } from '../../src/cli/outputs.js';

const SEVERITY_NAMES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'];
import { runAudit } from '../../src/engine/run-audit.js';
import type { Inventory } from '../../src/model/index.js';
import { Estate, FACTORY_CREDENTIALS } from './estate.js';

// Any path of the CLI that reaches AWS reaches the mocked estate instead, never the network.
const estate = new Estate();
const dir = mkdtempSync(join(tmpdir(), 'lens-audit-bad-input-'));
const cwd = process.cwd();
const paths = {
  inventory: join(dir, 'inventory.json'),
  store: join(dir, '.lens-audit', 'state.json'),
  aFile: join(dir, 'a-file'),
};
let inventory: Inventory;
let storeBytes: Buffer;

beforeAll(async () => {
  estate.install();
  vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'no-aws-config'));
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'no-aws-credentials'));
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('LENS_AUDIT_SLACK_WEBHOOK', '');
  // Relative defaults (.lens-audit/state.json, lens-audit-report.html) land in the test's directory.
  process.chdir(dir);
  const outcome = await runAudit({ checks: ALL_CHECKS, aws: { credentials: FACTORY_CREDENTIALS }, regions: ['us-east-1'], keepInventory: true });
  inventory = outcome.inventory!;
  writeFileSync(paths.inventory, JSON.stringify(inventory));
  writeFileSync(paths.aFile, 'not a directory\n');
  // A history with one run in it: the file every failing run must leave as it is.
  const first = await cli(['--inventory', paths.inventory, '--store', paths.store, '--output', 'json', '--quiet']);
  expect(first.code, first.err).toBe(0);
  storeBytes = readFileSync(paths.store);
});
afterAll(() => {
  process.chdir(cwd);
  vi.unstubAllEnvs();
  estate.restore();
});

async function cli(argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  estate.reset();
  const code = await main(argv, { stdout, stderr, env: {} });
  return { code, out, err };
}

/** One line, `audit: ` first, no stack frame. */
function expectOneLine(stderr: string, context: string): void {
  expect(stderr.endsWith('\n'), context).toBe(true);
  expect(stderr.slice(0, -1), context).not.toMatch(/[\n\r]/);
  expect(stderr, context).toMatch(/^audit: \S/);
  expect(stderr, context).not.toMatch(/\s+at .+:\d+:\d+/);
}

function resetStore(): void {
  mkdirSync(join(dir, '.lens-audit'), { recursive: true });
  writeFileSync(paths.store, storeBytes);
}

/** Runs the CLI on input that must be refused: exit 2, one line matching `pattern`, no output, history untouched. */
async function expectRefused(argv: string[], pattern: RegExp): Promise<void> {
  resetStore();
  const r = await cli(argv);
  const context = `${JSON.stringify(argv)} -> ${r.code} ${r.err}`;
  expect(r.code, context).toBe(2);
  expectOneLine(r.err, context);
  expect(r.err, context).toMatch(pattern);
  expect(r.out, context).toBe('');
  expect(readFileSync(paths.store).equals(storeBytes), `history changed: ${context}`).toBe(true);
}

const VALID_CONFIG = {
  checks: { disabled: ['lambda.no-tracing'], options: { 'logs.retention-below-minimum': { minimumDays: 180 } } },
  suppressions: [{ check: 'lambda.*', resource: 'arn:aws:lambda:*:*:function:legacy-*', reason: 'legacy, retired in Q3', expires: '2099-01-01' }],
  scope: { regions: ['us-east-1'] },
  failOn: 'HIGH',
};

describe('configuration file', () => {
  it('validateConfig: any value is a Config or a one-line UsageError', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true }), (raw) => {
        try {
          validateConfig(raw);
        } catch (err) {
          expect(err).toBeInstanceOf(UsageError);
          expect((err as Error).message).not.toMatch(/[\n\r]/);
          expect((err as Error).message).toMatch(/^configuration: /);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('an unknown key anywhere is named, quoted, on one line', () => {
    // Own properties, as JSON.parse and the YAML parser make them (`__proto__` included).
    const set = (o: object, k: string, v: unknown) => Object.defineProperty(o, k, { value: v, enumerable: true, configurable: true, writable: true });
    const where = fc.constantFrom<(c: Record<string, any>, k: string) => void>(
      (c, k) => set(c, k, 1),
      (c, k) => set(c.checks, k, true),
      (c, k) => set(c.scope, k, 'x'),
      (c, k) => set(c.suppressions[0], k, 'x'),
    );
    fc.assert(
      fc.property(fc.oneof(fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' }), fc.constantFrom('__proto__', 'constructor', 'toString')), where, (key, put) => {
        fc.pre(!['checks', 'suppressions', 'scope', 'metrics', 'failOn', 'store', 'securityHub', 'slack', 'enabled', 'disabled', 'options', 'minSeverity', 'regions', 'accounts', 'excludeAccounts', 'org', 'ous', 'roleName', 'externalId', 'check', 'resource', 'reason', 'expires'].includes(key));
        const config = structuredClone(VALID_CONFIG) as Record<string, any>;
        put(config, key);
        expect(() => validateConfig(config)).toThrow(UsageError);
        try {
          validateConfig(config);
        } catch (err) {
          const msg = (err as Error).message;
          expect(msg).not.toMatch(/[\n\r]/);
          expect(msg).toContain(JSON.stringify(key).slice(1, -1));
          // __proto__, constructor, prototype: refused by name wherever they appear.
          expect(msg).toMatch(['__proto__', 'constructor', 'prototype'].includes(key) ? /key .* is not allowed/ : /unknown key/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('loadConfig: any file content, YAML or JSON, is a Config or a one-line UsageError naming the file', () => {
    const yamlish = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      // Valid configurations cut or changed at one character: the near misses users write.
      fc.tuple(fc.constantFrom(toYaml(VALID_CONFIG), JSON.stringify(VALID_CONFIG, null, 2)), fc.nat(), fc.string({ maxLength: 3 })).map(([t, i, ins]) => {
        const at = i % (t.length + 1);
        return t.slice(0, at) + ins + t.slice(at + 1);
      }),
    );
    let n = 0;
    fc.assert(
      fc.property(yamlish, fc.constantFrom('.yaml', '.json'), (text, ext) => {
        const file = join(dir, `config-${n++}${ext}`);
        writeFileSync(file, text);
        try {
          loadConfig(file);
        } catch (err) {
          expect(err, String(err)).toBeInstanceOf(UsageError);
          expect((err as Error).message).not.toMatch(/[\n\r]/);
          expect((err as Error).message).toContain(file);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('inventory file', () => {
  it('parseInventory: any value is an Inventory or a one-line UsageError', () => {
    fc.assert(
      fc.property(fc.anything(), (raw) => {
        try {
          parseInventory(raw);
        } catch (err) {
          expect(err).toBeInstanceOf(UsageError);
          expect((err as Error).message).not.toMatch(/[\n\r]/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('one value changed anywhere in a real inventory: refused on one line naming where, or evaluated without a crash', async () => {
    const leaves: (string | number)[][] = [];
    const walk = (v: unknown, path: (string | number)[]) => {
      if (path.length > 0) leaves.push(path);
      if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, Array.isArray(v) ? Number(k) : k]);
    };
    walk(inventory, []);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...leaves), fc.jsonValue({ maxDepth: 2 }), async (path, value) => {
        const mutated = structuredClone(inventory) as any;
        let at = mutated;
        for (const k of path.slice(0, -1)) at = at[k];
        at[path.at(-1)!] = value;
        let parsed: Inventory;
        try {
          parsed = parseInventory(JSON.parse(JSON.stringify(mutated)));
        } catch (err) {
          expect(err).toBeInstanceOf(UsageError);
          expect((err as Error).message).not.toMatch(/[\n\r]/);
          return;
        }
        try {
          await runAudit({ checks: ALL_CHECKS, inventory: parsed });
        } catch (err) {
          expect(err, String((err as Error).stack)).toBeInstanceOf(NothingAssessedError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('readInventory: a file cut anywhere is a one-line UsageError naming the file', () => {
    const text = JSON.stringify(inventory);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: text.length - 1 }), (cut) => {
        const file = join(dir, 'cut.json');
        writeFileSync(file, text.slice(0, cut));
        expect(() => readInventory(file)).toThrow(UsageError);
        try {
          readInventory(file);
        } catch (err) {
          expect((err as Error).message).not.toMatch(/[\n\r]/);
          expect((err as Error).message).toContain(file);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('CLI arguments', () => {
  // An offline run keeps a history only when one is named: these name it, so that every refusal can be seen to leave it as it was.
  const inv = () => ['--inventory', paths.inventory, '--quiet', '--store', paths.store];
  const badFile = (name: string, text: string) => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };

  it.each<[string, () => string[], RegExp]>([
    ['unknown flag', () => ['--bogus'], /unknown option '--bogus'/],
    ['near-miss flag (suggestion on the same line)', () => ['--regoins', 'us-east-1'], /unknown option '--regoins'.*--regions/],
    ['unknown region (with a suggestion)', () => ['--regions', 'us-east1'], /unknown region "us-east1" \(did you mean "us-east-1"\?\)/],
    ['mistyped check id (with a suggestion)', () => [...inv(), '--checks', 'lambda.shared-rol'], /did you mean "lambda.shared-role"/],
    ['mistyped output format (with a suggestion)', () => [...inv(), '--output', 'jsno'], /did you mean "json"/],
    ['mistyped severity (with a suggestion)', () => [...inv(), '--fail-on', 'hihg'], /did you mean "HIGH"/],
    ['empty --checks', () => [...inv(), '--checks', ''], /--checks is empty/],
    ['empty --skip-checks', () => [...inv(), '--skip-checks', ' , '], /--skip-checks is empty/],
    ['--role-name held to the configuration\'s rules', () => ['--regions', 'us-east-1', '--accounts', '111111111111', '--role-name', 'has spaces'], /^audit: --role-name: not a valid IAM role name/],
    ['--ou held to the configuration\'s rules', () => ['--regions', 'us-east-1', '--org', '--ou', 'engineering'], /^audit: --ou: expected an OU id/],
    ['--region and --regions together', () => ['--region', 'us-east-1', '--regions', 'us-east-1'], /--region and --regions/],
    ['bad --status', () => [...inv(), '--status', 'FAILED'], /--status.*did you mean "FAIL"/],
    ['--out with several formats', () => [...inv(), '--output', 'json,csv', '--out', join(dir, 'r.json')], /--out-dir/],
    ['several formats to standard output', () => [...inv(), '--output', 'json,csv'], /--out-dir/],
    ['--inventory with --org', () => [...inv(), '--org'], /--org is for live scans/],
    ['--inventory with --accounts and --role-name', () => [...inv(), '--accounts', '111111111111', '--role-name', 'R'], /--accounts, --role-name are for live scans/],
    ['--out-dir that is a file', () => [...inv(), '--output', 'json', '--out-dir', paths.aFile], /--out-dir .*a-file/],
    ['empty --regions', () => ['--regions', ' , '], /--regions is empty/],
    ['missing option value', () => ['--regions'], /--regions/],
    ['bad --fail-on', () => [...inv(), '--fail-on', 'SEVERE'], /SEVERE/],
    ['bad --output', () => [...inv(), '--output', 'xml'], /xml/],
    ['unknown check id', () => [...inv(), '--checks', 'lambda.nope'], /unknown check id "lambda.nope"/],
    ['excess argument', () => [...inv(), 'extra'], /extra|argument/],
    ['unreadable config', () => [...inv(), '--config', join(dir, 'missing.yaml')], /cannot read config file .*missing\.yaml/],
    ['config not YAML', () => [...inv(), '--config', badFile('bad.yaml', 'checks: [unclosed\n')], /bad\.yaml is not valid YAML/],
    ['config with an unknown key', () => [...inv(), '--config', badFile('typo.yaml', 'chekcs:\n  disabled: [lambda.no-tracing]\n')], /unknown key "chekcs"/],
    ['config enabling an empty check pattern', () => [...inv(), '--config', badFile('empty-pattern.yaml', "checks:\n  enabled: ['']\n")], /checks\.enabled/],
    ['suppression with an unusable resource glob', () => [...inv(), '--config', badFile('long-glob.yaml', `suppressions:\n  - check: lambda.no-tracing\n    resource: "${'?'.repeat(70_000)}"\n    reason: too long a glob\n`)], /suppressions\[0\]\.resource/],
    ['unreadable inventory', () => ['--inventory', join(dir, 'missing.json')], /cannot read inventory file .*ENOENT/],
    ['inventory not JSON', () => ['--inventory', badFile('not.json', '{ "schemaVersion": 1, ')], /not\.json is not valid JSON/],
    ['inventory of the wrong shape', () => ['--inventory', badFile('shape.json', JSON.stringify({ ...inventory, accounts: [{ accountId: 'abc' }] }))], /shape\.json: accounts\.0\.accountId/],
    ['--inventory with --profile', () => [...inv(), '--profile', 'prod'], /--profile is for live scans and would be ignored/],
    ['unknown profile', () => ['--profile', 'no-such-profile', '--regions', 'us-east-1'], /unknown profile "no-such-profile"/],
    ['--ou without --org', () => ['--regions', 'us-east-1', '--ou', 'ou-ab12-cdef3456'], /--ou and --exclude-accounts need --org or --accounts/],
    ['malformed DynamoDB store', () => [...inv(), '--store', 'dynamodb://'], /dynamodb:\/\/TABLE/],
    ['history that is not a state file', () => [...inv(), '--store', badFile('not-state.json', '[1,2')], /not-state\.json is not valid JSON/],
    ['history path that is a directory', () => [...inv(), '--store', dir], /cannot be read|EISDIR/],
    ['--out under a regular file', () => [...inv(), '--output', 'json', '--out', join(paths.aFile, 'report.json')], /--out .*a-file/],
    ['--save-inventory under a regular file', () => [...inv(), '--save-inventory', join(paths.aFile, 'inv.json')], /--save-inventory .*a-file/],
    ['Slack webhook that is no URL', () => [...inv(), '--slack-webhook', 'hooks.slack.com/services/T0/B0/XYZ'], /Slack webhook/],
  ])('%s', async (_name, argv, pattern) => {
    await expectRefused(argv(), pattern);
  });

  it('a failing run leaves the history byte-identical, a passing one writes it (the check above can fail)', async () => {
    resetStore();
    const ok = await cli([...inv(), '--output', 'json']);
    expect(ok.code, ok.err).toBe(0);
    expect(readFileSync(paths.store).equals(storeBytes)).toBe(false);
    // Without --store, an offline run writes no history at all.
    resetStore();
    const none = await cli(['--inventory', paths.inventory, '--quiet', '--output', 'json']);
    expect(none.code, none.err).toBe(0);
    expect(readFileSync(paths.store).equals(storeBytes)).toBe(true);
    resetStore();
    const again = await cli([...inv(), '--output', 'json']);
    expect(again.code, again.err).toBe(0);
    expect(ok.code, ok.err).toBe(0);
    expect(readFileSync(paths.store).equals(storeBytes)).toBe(false);
  });

  it('known-invalid values of every option are refused on one line', async () => {
    const word = fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_.*?[]{}!@ \n\t"\''.split('')) });
    const invalid = fc.oneof(
      word.filter((w) => !/^[a-z]/.test(w) || !KNOWN_OPTIONS.has(w)).map((w) => ({ argv: [...inv(), `--${w.trim() || 'x'}z`], pattern: /unknown option|argument/ })),
      word.filter((w) => w.trim() !== 'all' && w.split(',').some((s) => s.trim() && regionStatus(s.trim()).status === 'unknown')).map((w) => ({ argv: ['--regions', w], pattern: /region/ })),
      word.filter((w) => !SEVERITY_NAMES.includes(w.trim().toUpperCase())).map((w) => ({ argv: [...inv(), '--fail-on', w], pattern: /fail-on/ })),
      word.filter((w) => !SEVERITY_NAMES.includes(w.trim().toUpperCase())).map((w) => ({ argv: [...inv(), '--severity', w], pattern: /severity/ })),
      word.filter((w) => !(OUTPUT_FORMATS as readonly string[]).includes(w.trim().toLowerCase())).map((w) => ({ argv: [...inv(), '--output', w], pattern: /output/ })),
      // A pattern no check id matches (ids are lower-case words joined by dots and dashes).
      word.map((w) => `zz${w.replace(/[*?[\]{}!,]/g, '')}`).map((w) => ({ argv: [...inv(), '--checks', w], pattern: /unknown check id/ })),
      word.map((w) => `zz${w.replace(/[*?[\]{}!,]/g, '')}`).map((w) => ({ argv: [...inv(), '--skip-checks', w], pattern: /unknown check id/ })),
      word.map((w) => ({ argv: [...inv(), '--config', badFile('fuzz.yaml', `checks:\n  ${JSON.stringify(`x${w}`)}: 1\n`)], pattern: /unknown key/ })),
      word.filter((w) => !/^\d{12}$/.test(w.trim())).map((w) => ({ argv: ['--regions', 'us-east-1', '--accounts', `x${w}`], pattern: /--accounts: account ids are 12 digits|not an AWS account id/ })),
    );
    await fc.assert(
      fc.asyncProperty(invalid, async ({ argv, pattern }) => {
        await expectRefused(argv, pattern);
      }),
      { numRuns: 120 },
    );
  });

  it('any mix of options: exit 0-3, and on failure one line and the history untouched', async () => {
    const value = fc.oneof(fc.constantFrom('us-east-1', 'all', 'json', 'HIGH', 'lambda.*', 'x', '', '-', '--', '123456789012'), fc.string({ maxLength: 8 }));
    const flag = fc.constantFrom(...KNOWN_OPTIONS, 'bogus').map((f) => `--${f}`);
    const token = fc.oneof(flag, fc.tuple(flag, value).map(([f, v]) => `${f}=${v}`), value);
    const argv = fc.tuple(fc.boolean(), fc.array(token, { maxLength: 5 })).map(([offline, rest]) => [...(offline ? inv() : ['--regions', 'us-east-1', '--quiet']), ...rest]);
    await fc.assert(
      fc.asyncProperty(argv, async (args) => {
        // Never post anywhere but this machine, never write outside the test directory.
        fc.pre(!args.some((a) => /slack|security-hub|endpoint-url|org\b|accounts|out|save-inventory|store/.test(a)));
        resetStore();
        const r = await cli(args);
        const context = `${JSON.stringify(args)} -> ${r.code} ${r.err}`;
        expect([0, 1, 2, 3], context).toContain(r.code);
        expect(r.err, context).not.toMatch(/\n\s+at .+:\d+:\d+/);
        if (r.code >= 2) {
          expectOneLine(r.err, context);
          expect(readFileSync(paths.store).equals(storeBytes), `history changed: ${context}`).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });
});

const KNOWN_OPTIONS = new Set([
  'profile', 'regions', 'endpoint-url', 'inventory', 'save-inventory', 'output', 'out', 'fail-on', 'config', 'checks', 'skip-checks',
  'severity', 'org', 'ou', 'accounts', 'exclude-accounts', 'role-name', 'external-id', 'metrics', 'store', 'no-store', 'only-new',
  'region', 'out-dir', 'status', 'ocsf-ndjson', 'skip-cspm-overlap', 'cspm-controls', 'account-concurrency',
  'security-hub', 'security-hub-mode', 'security-hub-region', 'slack-webhook', 'slack-always', 'show-pass', 'quiet', 'no-color', 'version', 'help',
]);

describe('region codes from the SDK\'s endpoint data', () => {
  it('knows every listed region, takes a new one of a partition\'s shape, refuses the rest, and names each partition', async () => {
    const { KNOWN_REGIONS, regionPartition, regionStatus, parseRegions } = await import('../../src/engine/regions.js');
    for (const r of KNOWN_REGIONS) expect(regionStatus(r).status, r).toBe('known');
    expect(regionStatus('us-east-9').status).toBe('new');
    expect(regionStatus('us-east1').status).toBe('unknown');
    expect(regionStatus('US-EAST-1').status).toBe('unknown');
    expect(parseRegions('us-east-9,eu-west-1')).toEqual(['us-east-9', 'eu-west-1']);
    expect(regionPartition('cn-north-1')).toBe('aws-cn');
    expect(regionPartition('us-gov-west-1')).toBe('aws-us-gov');
    expect(regionPartition('eu-isoe-west-1')).toBe('aws-iso-e');
    expect(regionPartition('eu-west-1')).toBe('aws');
  });
});
