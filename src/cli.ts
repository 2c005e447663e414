// The `audit` command: a thin shell around the engine. This file holds the command line only; a scan's wiring is in
// src/cli/audit.ts, loaded when a scan runs.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { NothingAssessedError, UsageError } from './engine/errors.js';
import { DEFAULT_ROLE_NAME, SEVERITIES, SLACK_WEBHOOK_ENV } from './model/index.js';
import { terminalSafe } from './report/terminal.js';
import { DEFAULT_STATE_PATH } from './state/file-store.js';
import { StateError } from './state/store.js';
import { TOOL } from './version.js';
import { EXIT_OUTPUT_FAILED, choiceParser, list, oneLine, statusListParser, stdoutOf, type Io, type Stdout } from './cli/io.js';
import { OUTPUT_FORMATS, OutputError } from './cli/outputs.js';
import type { AuditFlags } from './cli/audit.js';

/**
 * The worker-thread entry of a sharded scan (src/worker.ts; dist/worker.js when built, next to this file). Under tsx
 * the source file is the entry; the engine loads it through src/worker-boot.mjs.
 */
const WORKER_ENTRY = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);

export type { Io } from './cli/io.js';
export { EXIT_DELIVERY_PENDING, EXIT_OUTPUT_FAILED } from './cli/io.js';


function buildProgram(io: Io, out: Stdout, setExit: (code: number) => void): Command {
  const program = new Command();
  program
    .name('audit')
    .description('Audit deployed serverless resources against the AWS Well-Architected Serverless Applications Lens.')
    .version(TOOL.version, '-V, --version')
    .exitOverride()
    // Options after a subcommand belong to it (`audit checks --output json`).
    .enablePositionalOptions()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s), outputError: (s, write) => write(`audit: ${oneLine(s.replace(/^error: /, ''))}\n`) })
    .showSuggestionAfterError(true)
    .option('--profile <name>', 'AWS profile (SSO, assume-role and credential-process profiles included)')
    .option('--regions <list>', 'comma-separated region codes, or "all" for every region enabled in the account (default: AWS_REGION, AWS_DEFAULT_REGION, the profile\'s region)')
    .option('--region <list>', 'the same as --regions (the AWS CLI\'s spelling)')
    .option('--endpoint-url <url>', 'send every AWS call to this endpoint (LocalStack, moto); AWS_ENDPOINT_URL[_SERVICE] also work')
    .option('--inventory <file>', 'evaluate a saved inventory instead of calling AWS')
    .option('--save-inventory <file>', 'save the collected inventory (JSON) for offline re-evaluation')
    .option('--output <formats>', `report formats, comma-separated: ${OUTPUT_FORMATS.join(', ')}`, 'table')
    .option('--out <file>', 'write the report to a file instead of standard output (one format)')
    .option('--out-dir <dir>', 'write every --output format to its own file in this directory (lens-audit-report.json, .csv, .html, ...)')
    .option('--status <list>', 'list only results of these statuses: FAIL, PASS, NOT_ASSESSED (the summary keeps every count)', statusListParser)
    .option('--ocsf-ndjson', 'with --output ocsf: one OCSF record a line (NDJSON) instead of a JSON array')
    .option('--fail-on <severity>', `exit 1 when a failed result is at or above this severity (${SEVERITIES.join(', ')})`, choiceParser('--fail-on', SEVERITIES))
    .option('--config <file>', 'configuration file (YAML or JSON): checks, options, suppressions, scope')
    .option('--checks <list>', 'run only these check ids or globs (e.g. "lambda.*,logs.no-retention")')
    .option('--skip-checks <list>', 'skip these check ids or globs')
    .option('--skip-cspm-overlap', 'skip the checks whose Security Hub CSPM controls are all enabled (read from Security Hub, or --cspm-controls)')
    .option('--cspm-controls <list>', 'with --skip-cspm-overlap: the enabled CSPM control ids (Lambda.1,SNS.1,...) instead of reading them')
    .option('--severity <severity>', `run only checks at or above this severity (${SEVERITIES.join(', ')})`, choiceParser('--severity', SEVERITIES))
    .option('--org', 'scan every active account of the AWS Organization (assumes --role-name in each)')
    .option('--ou <ids>', 'with --org: only accounts under these organizational units (nested OUs included)')
    .option('--accounts <ids>', 'scan these account ids (assumes --role-name in each); with --org, a filter')
    .option('--exclude-accounts <ids>', 'never scan these account ids')
    .option('--role-name <name>', `role assumed in member accounts (default ${DEFAULT_ROLE_NAME})`)
    .option('--external-id <id>', 'external id for the member-account role')
    .option('--account-concurrency <n>', 'accounts scanned at once (default: adaptive — 4, and more while the CPU has room)')
    .option('--workers <n>', 'worker threads a multi-account scan is sharded across (default: one per CPU core, with at least 4 accounts each; 1: none)')
    .option('--metrics', 'also run metric-based checks (CloudWatch GetMetricData, billed per metric)')
    .option('--store <target>', `findings history: a file path or dynamodb://TABLE[?region=R] (default ${DEFAULT_STATE_PATH}; none over --inventory)`)
    .option('--no-store', 'keep no history (nothing is NEW or resolved)')
    .option('--only-new', 'list only findings that are new since the last run, in every format (the summary keeps every count)')
    .option('--security-hub', 'send the findings to AWS Security Hub (ASFF); resolved ones are archived')
    .addOption(new Option('--security-hub-mode <mode>', 'member: import into each finding\'s account (through its role); central: into the auditor\'s account').choices(['member', 'central']))
    .option('--security-hub-region <region>', 'Security Hub Region of global (IAM, account-wide) findings (default us-east-1; cn-north-1, us-gov-west-1 in those partitions)')
    .option('--slack-webhook <url|ssm:/name|secret:name>', `post a digest of NEW findings to Slack (or set ${SLACK_WEBHOOK_ENV})`)
    .option('--slack-always', 'post a heartbeat line even when nothing is new')
    .option('--wa-workload <id|arn>', 'write a summary of the run into the Notes of each Serverless Lens question of this Well-Architected Tool workload (choices never changed)')
    .option('--wa-milestone [prefix]', 'with --wa-workload: also save a milestone of the workload, named "<prefix or lens-audit> <run id>"')
    .option('--group-by-tag <key>', 'in the HTML report, also roll the failures up by the value of this resource tag (e.g. team)')
    .option('--show-pass', 'also list passed results in the table')
    .option('--quiet', 'no progress display')
    .option('--debug', 'log every AWS call to stderr: service, operation, region, status, duration (never its parameters)')
    .option('--no-color', 'no colours in the table')
    .action(async (flags: AuditFlags) => {
      const [{ audit }, { ALL_CHECKS }] = await Promise.all([import('./cli/audit.js'), import('../checks/index.js')]);
      setExit(await audit(flags, io, out, ALL_CHECKS, { workerEntry: WORKER_ENTRY }));
    });

  program
    .command('demo')
    .description('audit the bundled sample estate, offline (no AWS account needed); takes the audit flags, e.g. demo --output html')
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => setExit(0));
  program
    .command('checks')
    .description('list every check: id, severity, pillar, lens question, title')
    .addOption(new Option('--output <format>', 'list format').choices(['table', 'json', 'markdown']).default('table'))
    .action(async (flags: { output: 'table' | 'json' | 'markdown' }) => {
      const [{ ALL_CHECKS }, { renderChecks }] = await Promise.all([import('../checks/index.js'), import('./report/checks-list.js')]);
      // On a terminal the table fits its width; piped, it is whole.
      const listed = renderChecks(ALL_CHECKS, flags.output, io.stdout.isTTY && io.stdout.columns ? { width: io.stdout.columns } : {});
      out.write(flags.output === 'json' ? listed : terminalSafe(listed, { multiline: true }));
      setExit(0);
    });
  program
    .command('permissions')
    .description('print the minimal read-only IAM policy for the enabled checks (generated from what the collectors call)')
    .option('--config <file>', 'configuration file (enabled checks)')
    .option('--checks <list>', 'only these check ids or globs')
    .option('--metrics', 'include the metric-based checks')
    .option('--org', 'include the Organizations calls made in the calling account')
    .addOption(new Option('--partition <partition>', 'the ARN partition of the accounts the policy is for').choices(['aws', 'aws-cn', 'aws-us-gov']).default('aws'))
    .option('--sinks', 'print instead the policy of the sinks (Security Hub import, Well-Architected Tool notes, webhook secret reads): the only writes, for the auditor\'s credentials')
    .action(async (flags: { config?: string; checks?: string; metrics?: boolean; org?: boolean; partition: string; sinks?: boolean }) => {
      if (flags.sinks) {
        const { sinkPolicy } = await import('./engine/permissions.js');
        out.write(`${JSON.stringify(sinkPolicy({ partition: flags.partition }), null, 2)}\n`);
        setExit(0);
        return;
      }
      const [{ ALL_CHECKS }, { loadConfig }, { selectChecks }, { requiredPolicy }] = await Promise.all([
        import('../checks/index.js'), import('./engine/config.js'), import('./engine/select.js'), import('./engine/permissions.js'),
      ]);
      const config = flags.config ? loadConfig(flags.config) : {};
      const checks = selectChecks({ all: ALL_CHECKS, only: list(flags.checks), enable: config.checks?.enabled, disable: config.checks?.disabled, metrics: flags.metrics ?? config.metrics });
      out.write(`${JSON.stringify(requiredPolicy(checks, { metrics: flags.metrics ?? config.metrics, org: flags.org, partition: flags.partition }), null, 2)}\n`);
      setExit(0);
    });
  return program;
}

/** The sample estate shipped with the package (examples/sample-inventory.json), found from this file upwards. */
export function sampleInventoryPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'examples', 'sample-inventory.json');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new UsageError('the sample inventory (examples/sample-inventory.json) is not installed with this copy of lens-audit');
}

/** Runs the CLI; returns the exit code. Never throws, never prints a stack trace (unless LENS_AUDIT_DEBUG=1). */
export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  // The SDK's Node 20 end-of-support notice would print on every run; the README states the Node versions instead.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let code = 0;
  const program = buildProgram(io, stdoutOf(io), (c) => (code = c));
  try {
    // `audit demo [flags]`: the audit of the bundled sample estate, offline (`npx lens-audit demo` from the registry).
    if (argv[0] === 'demo' && !argv.slice(1).some((a) => a === '--help' || a === '-h')) argv = ['--inventory', sampleInventoryPath(), ...argv.slice(1)];
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; every parse error is bad usage.
      return err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2;
    }
    const debug = io.env.LENS_AUDIT_DEBUG === '1';
    if (err instanceof UsageError || err instanceof StateError) {
      io.stderr.write(`audit: ${oneLine(err.message)}\n`);
      return 2;
    }
    if (err instanceof OutputError) {
      io.stderr.write(`audit: ${oneLine(err.message)}\n`);
      return EXIT_OUTPUT_FAILED;
    }
    if (err instanceof NothingAssessedError) {
      io.stderr.write(`audit: ${oneLine(err.message)}\n`);
      return 3;
    }
    io.stderr.write(`audit: ${oneLine(String((err as Error)?.message ?? err))}\n`);
    if (debug) io.stderr.write(`${terminalSafe((err as Error)?.stack ?? '', { multiline: true })}\n`);
    return 3;
  }
}

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

