import { defineCheck, type CheckExamples } from '../../src/model/index.js';

const check = defineCheck({
  id: 'lambda.default-memory',
  title: 'Lambda function runs with the default 128 MB of memory',
  description:
    'Memory also sets the CPU share, so the 128 MB default is rarely the cheapest or fastest setting; it usually means the size was ' +
    'never chosen. The live signal is MemorySize = 128 (whether it was set explicitly is not visible in the account). ' +
    'The lens (SERVPER 1): default memory and timeout "may have an undesired effect"; SERVCOST 1 asks for a memory strategy. ' +
    'The Config rule lambda-function-settings-check expects 128 by default, the opposite view.',
  severity: 'LOW',
  pillar: 'PERF',
  lens: ['SERVPER 1', 'SERVCOST 1'],
  lens2022: ['SERVPERF 1', 'SERVCOST 1'],
  resourceKind: 'AwsLambdaFunction',
  uses: ['MemorySize'],
  cost: 'C',
  remediation: {
    text: 'Measure the function at several memory sizes (for example with AWS Lambda Power Tuning) and set MemorySize to the size that gives the best cost and duration.',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html',
  },
  peers: { serverlessRules: ['ES1005'] },
  evaluate(fn, ctx) {
    if (fn.MemorySize === undefined) return ctx.notAssessed(`The memory size of function ${fn.name} is not in the inventory.`);
    return fn.MemorySize === 128
      ? ctx.fail(`Function ${fn.name} uses the default 128 MB of memory.`, { MemorySize: 128 })
      : ctx.pass(`Function ${fn.name} has ${fn.MemorySize} MB of memory.`, { MemorySize: fn.MemorySize });
  },
});
export default check;

export const examples: CheckExamples<'AwsLambdaFunction'> = {
  pass: [{ resource: { MemorySize: 512 } }],
  fail: [{ resource: { MemorySize: 128 } }],
  notAssessed: [
    { name: 'field gap', resource: { gaps: { MemorySize: { operation: 'lambda:ListFunctions', code: 'AccessDeniedException', message: 'denied' } } } },
    { name: 'missing', resource: { MemorySize: undefined } },
  ],
};
