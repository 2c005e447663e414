import { defineCheck, type CheckExamples, type Severity } from '../../src/model/index.js';
import { RUNTIME_TABLE, dayStart, runtimePhase, runtimeRow, type RuntimePhase, type RuntimeRow } from '../lib/runtimes.js';

/** Severity of each failing phase: the more AWS has blocked, the worse. */
const PHASE_SEVERITY: Record<Exclude<RuntimePhase, 'supported'>, Severity> = {
  'deprecation-soon': 'LOW',
  deprecated: 'MEDIUM',
  'create-blocked': 'MEDIUM',
  'update-blocked': 'HIGH',
};

/** "; creating functions on it is blocked from X and updating them from Y" for the block dates still ahead. */
function blocksAhead(row: RuntimeRow, now: Date): string {
  const ahead = (day: string | null) => day !== null && dayStart(day).getTime() > now.getTime();
  const create = ahead(row.blockCreate) ? `creating functions on it is blocked from ${row.blockCreate}` : '';
  const update = ahead(row.blockUpdate) ? `updating them from ${row.blockUpdate}` : '';
  if (create && update) return `; ${create} and ${update}`;
  if (create) return `; ${create}`;
  if (update) return `; updating functions on it is blocked from ${row.blockUpdate}`;
  return '';
}

const check = defineCheck({
  id: 'lambda.deprecated-runtime',
  title: 'Lambda function runs on a deprecated or soon-deprecated runtime',
  description:
    'After deprecation a runtime gets no security patches and the function no technical support; later AWS blocks creating and ' +
    'then updating functions on it. The severity follows the phase on the evaluation day: LOW when deprecation is at most ' +
    'warningDays away (Trusted Advisor warns 120 days ahead), MEDIUM once deprecated or once creating functions on it is blocked, ' +
    'HIGH once updating them is blocked (the code cannot change until the function moves to a supported runtime). The three ' +
    'dates come from a dated table of the AWS runtimes page (checks/lib/runtimes.data.ts), whose as-of date is in every ' +
    "result's evidence; a runtime missing from it is NOT_ASSESSED. Container-image functions bring their own runtime and are skipped. Lens SERVSEC 4.",
  severity: 'HIGH',
  pillar: 'SEC',
  lens: ['SERVSEC 4'],
  lens2022: ['SERVSEC 3'],
  resourceKind: 'AwsLambdaFunction',
  uses: ['Runtime', 'PackageType'],
  cost: 'C',
  options: { warningDays: 120 },
  remediation: {
    text: 'Move the function to a supported runtime of the same language (for example python3.14 or nodejs24.x), test it, and update the runtime in the template; container images need a new base image.',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html',
  },
  peers: {
    cspm: ['Lambda.2'],
    config: ['lambda-function-settings-check'],
    serverlessRules: ['E2531'],
    trustedAdvisor: ['L4dfs2Q4C5'],
    prowler: ['awslambda_function_using_supported_runtimes'],
  },
  evaluate(fn, ctx) {
    if (fn.PackageType === 'Image') return undefined;
    const runtime = fn.Runtime;
    if (!runtime) return ctx.notAssessed(`Function ${fn.name} is a .zip function without a runtime in the inventory.`);
    const row = runtimeRow(runtime);
    if (!row) {
      return ctx.notAssessed(
        `Runtime ${runtime} of function ${fn.name} is not in lens-audit's runtime table (as of ${RUNTIME_TABLE.asOf}); update lens-audit or check the AWS runtimes page.`,
      );
    }
    const { phase, daysLeft } = runtimePhase(row, ctx.now, ctx.options.warningDays);
    const evidence = {
      Runtime: runtime,
      phase,
      deprecationDate: row.deprecation,
      blockCreateDate: row.blockCreate,
      blockUpdateDate: row.blockUpdate,
      tableAsOf: RUNTIME_TABLE.asOf,
      ...(daysLeft === undefined ? {} : { daysLeft }),
    };
    const on = `Function ${fn.name} runs on ${runtime}`;
    switch (phase) {
      case 'supported':
        return row.deprecation === null
          ? ctx.pass(`${on}; AWS has scheduled no deprecation date for it.`, evidence)
          : ctx.pass(`${on}, supported until ${row.deprecation}.`, evidence);
      case 'deprecation-soon':
        return ctx.fail(`${on}, deprecated on ${row.deprecation} (in ${daysLeft} days)${blocksAhead(row, ctx.now)}.`, evidence, {
          severity: PHASE_SEVERITY[phase],
        });
      case 'deprecated':
        return ctx.fail(`${on}, deprecated since ${row.deprecation} (no security patches)${blocksAhead(row, ctx.now)}.`, evidence, {
          severity: PHASE_SEVERITY[phase],
        });
      case 'create-blocked':
        return ctx.fail(
          `${on}, deprecated since ${row.deprecation}; creating functions on it is blocked since ${row.blockCreate}${blocksAhead(row, ctx.now)}.`,
          evidence,
          { severity: PHASE_SEVERITY[phase] },
        );
      case 'update-blocked':
        return ctx.fail(
          `${on}, deprecated since ${row.deprecation}; updating functions on it is blocked since ${row.blockUpdate}: its code and configuration cannot change until it moves to a supported runtime.`,
          evidence,
          { severity: PHASE_SEVERITY[phase] },
        );
    }
  },
});
export default check;

export const examples: CheckExamples<'AwsLambdaFunction'> = {
  pass: [
    { name: 'current runtime', resource: { Runtime: 'python3.13', PackageType: 'Zip' } },
    { name: 'deprecation further away than warningDays', resource: { Runtime: 'nodejs22.x' }, now: '2026-06-01T00:00:00Z' },
    { name: 'AL2023 build of an old Java', resource: { Runtime: 'java17.al2023' }, now: '2026-12-03T00:00:00Z' },
    { name: 'preview runtime, no deprecation scheduled', resource: { Runtime: 'python3.15' } },
  ],
  fail: [
    { name: 'deprecation within 120 days', resource: { Runtime: 'python3.10' }, now: '2026-08-01T00:00:00Z', severity: 'LOW' },
    { name: 'custom warning window', resource: { Runtime: 'nodejs22.x' }, now: '2026-06-01T00:00:00Z', options: { warningDays: 365 }, severity: 'LOW' },
    { name: 'deprecated today', resource: { Runtime: 'python3.10' }, now: '2026-10-31T00:00:00Z', severity: 'MEDIUM' },
    { name: 'deprecated, blocks still ahead', resource: { Runtime: 'dotnet8', PackageType: 'Zip' }, now: '2026-12-03T00:00:00Z', severity: 'MEDIUM' },
    { name: 'creating functions blocked', resource: { Runtime: 'python3.8' }, now: '2027-02-01T00:00:00Z', severity: 'MEDIUM' },
    { name: 'updating functions blocked', resource: { Runtime: 'python3.8' }, now: '2027-03-03T00:00:00Z', severity: 'HIGH' },
    { name: 'long retired', resource: { Runtime: 'nodejs4.3-edge' }, severity: 'HIGH' },
  ],
  notAssessed: [
    { name: 'runtime not in the table', resource: { Runtime: 'python3.99' } },
    { name: 'runtime not collected', resource: { gaps: { Runtime: { operation: 'lambda:ListFunctions', code: 'AccessDeniedException', message: 'denied' } } } },
  ],
};
