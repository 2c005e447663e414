import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { deprecationDate, RUNTIME_DEPRECATION, RUNTIME_TABLE_DATE } from '../lib/runtimes.js';

const DAY_MS = 24 * 60 * 60 * 1000;

const check = defineCheck({
  id: 'lambda.deprecated-runtime',
  title: 'Lambda function runs on a deprecated or soon-deprecated runtime',
  description:
    'After deprecation a runtime gets no security patches and the function no technical support; later AWS blocks creating and ' +
    'then updating functions on it. FAIL (MEDIUM) once the runtime is deprecated, FAIL (LOW) when deprecation is at most ' +
    'warningDays away (Trusted Advisor warns 120 days ahead). Dates come from a dated table of the AWS runtimes page ' +
    '(checks/lib/runtimes.ts); a runtime missing from it is NOT_ASSESSED. Container-image functions bring their own runtime and are skipped. Lens SERVSEC 4.',
  severity: 'MEDIUM',
  pillar: 'SEC',
  lens: ['SERVSEC 4'],
  lens2022: ['SERVSEC 3'],
  resourceKind: 'AwsLambdaFunction',
  uses: ['Runtime', 'PackageType'],
  cost: 'C',
  options: { warningDays: 120 },
  remediation: {
    text: 'Move the function to a supported runtime of the same language (for example python3.13 or nodejs22.x), test it, and update the runtime in the template; container images need a new base image.',
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
    const date = deprecationDate(runtime);
    if (!date) {
      return ctx.notAssessed(
        `Runtime ${runtime} of function ${fn.name} is not in lens-audit's runtime table (checked ${RUNTIME_TABLE_DATE}); update lens-audit or check the AWS runtimes page.`,
      );
    }
    const day = RUNTIME_DEPRECATION[runtime]!;
    const daysLeft = Math.ceil((date.getTime() - ctx.now.getTime()) / DAY_MS);
    const evidence = { Runtime: runtime, deprecationDate: day, tableDate: RUNTIME_TABLE_DATE };
    if (daysLeft <= 0) return ctx.fail(`Function ${fn.name} runs on ${runtime}, deprecated since ${day}.`, evidence);
    if (daysLeft <= ctx.options.warningDays) {
      return ctx.fail(`Function ${fn.name} runs on ${runtime}, deprecated on ${day} (in ${daysLeft} days).`, { ...evidence, daysLeft }, { severity: 'LOW' });
    }
    return ctx.pass(`Function ${fn.name} runs on ${runtime}, supported until ${day}.`, evidence);
  },
});
export default check;

export const examples: CheckExamples<'AwsLambdaFunction'> = {
  pass: [
    { name: 'current runtime', resource: { Runtime: 'python3.13', PackageType: 'Zip' } },
    { name: 'deprecation further away than warningDays', resource: { Runtime: 'nodejs22.x' }, now: '2026-06-01T00:00:00Z' },
  ],
  fail: [
    { name: 'deprecated', resource: { Runtime: 'python3.8', PackageType: 'Zip' } },
    { name: 'deprecated today', resource: { Runtime: 'python3.10' }, now: '2026-10-31T00:00:00Z' },
    { name: 'deprecation within 120 days', resource: { Runtime: 'python3.10' }, now: '2026-08-01T00:00:00Z', severity: 'LOW' },
    { name: 'custom warning window', resource: { Runtime: 'nodejs22.x' }, now: '2026-06-01T00:00:00Z', options: { warningDays: 365 }, severity: 'LOW' },
  ],
  notAssessed: [
    { name: 'runtime not in the table', resource: { Runtime: 'python3.99' } },
    { name: 'runtime not collected', resource: { gaps: { Runtime: { operation: 'lambda:ListFunctions', code: 'AccessDeniedException', message: 'denied' } } } },
  ],
};
