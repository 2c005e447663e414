import { defineCheck, type CheckExamples } from '../../src/model/index.js';

const check = defineCheck({
  id: 'lambda.default-timeout',
  title: 'Lambda function runs with the default timeout',
  description:
    'The 3-second default of the API, console and SAM is rarely chosen on purpose: too short for calls to slow dependencies, and ' +
    'unrelated to the function\'s real duration. The check fails when Timeout is one of defaultTimeouts (default [3]; add, say, 6 for ' +
    'the Serverless Framework default). The lens (SERVPER 1): default memory and timeout "may have an undesired effect".',
  severity: 'LOW',
  pillar: 'PERF',
  lens: ['SERVPER 1'],
  lens2022: ['SERVPERF 1'],
  resourceKind: 'AwsLambdaFunction',
  uses: ['Timeout'],
  cost: 'C',
  options: { defaultTimeouts: [3] as number[] },
  remediation: {
    text: 'Set Timeout from the observed duration (a margin above p99, below the caller\'s own timeout) rather than leaving the default.',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html',
  },
  peers: { serverlessRules: ['ES1006'] },
  evaluate(fn, ctx) {
    if (fn.Timeout === undefined) return ctx.notAssessed(`The timeout of function ${fn.name} is not in the inventory.`);
    return ctx.options.defaultTimeouts.includes(fn.Timeout)
      ? ctx.fail(`Function ${fn.name} uses a default timeout of ${fn.Timeout} s.`, { Timeout: fn.Timeout, defaultTimeouts: ctx.options.defaultTimeouts })
      : ctx.pass(`Function ${fn.name} has a timeout of ${fn.Timeout} s.`, { Timeout: fn.Timeout });
  },
});
export default check;

export const examples: CheckExamples<'AwsLambdaFunction'> = {
  pass: [{ resource: { Timeout: 15 } }],
  fail: [
    { resource: { Timeout: 3 } },
    { name: 'framework default configured as a default', resource: { Timeout: 6 }, options: { defaultTimeouts: [3, 6] } },
  ],
  notAssessed: [{ resource: { gaps: { Timeout: { operation: 'lambda:ListFunctions', code: 'AccessDeniedException', message: 'denied' } } } }],
};
