import { defineCheck, type CheckExamples } from '../../src/model/index.js';

const check = defineCheck({
  id: 'lambda.no-reserved-concurrency',
  title: 'Lambda function has no reserved concurrency',
  description:
    'Without reserved concurrency one function can take the whole account concurrency and throttle the others, and nothing limits the load ' +
    'it sends downstream (SERVREL 2: regulate access rates). Raised to LOW for functions in a VPC, whose downstream resources rarely scale like Lambda. ' +
    'A reservation of 0 means the function is disabled and is reported as such.',
  severity: 'INFORMATIONAL',
  pillar: 'REL',
  lens: ['SERVREL 2'],
  lens2022: ['SERVREL 1'],
  resourceKind: 'AwsLambdaFunction',
  uses: ['ReservedConcurrentExecutions', 'VpcConfig'],
  cost: 'E',
  remediation: {
    text: 'Reserve concurrency sized to what the function and its downstream resources can take (aws lambda put-function-concurrency --reserved-concurrent-executions N).',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html',
  },
  peers: { config: ['lambda-concurrency-check'], trustedAdvisor: ['c18d2gz181'] },
  evaluate(fn, ctx) {
    const reserved = fn.ReservedConcurrentExecutions;
    if (reserved === undefined) return ctx.notAssessed(`Reserved concurrency of function ${fn.name} was not collected.`);
    if (reserved === 0) {
      return ctx.fail(`Function ${fn.name} has reserved concurrency 0: it is disabled and every invocation is throttled.`, { ReservedConcurrentExecutions: 0 }, { severity: 'LOW' });
    }
    if (reserved !== null) return ctx.pass(`Function ${fn.name} reserves ${reserved} concurrent executions.`, { ReservedConcurrentExecutions: reserved });
    const inVpc = (fn.VpcConfig?.SubnetIds ?? []).length > 0;
    return ctx.fail(
      `Function ${fn.name} has no reserved concurrency${inVpc ? ' and runs in a VPC' : ''}: it can use the whole account concurrency.`,
      { ReservedConcurrentExecutions: null, inVpc },
      inVpc ? { severity: 'LOW' } : undefined,
    );
  },
});
export default check;

export const examples: CheckExamples<'AwsLambdaFunction'> = {
  pass: [{ resource: { ReservedConcurrentExecutions: 50 } }],
  fail: [
    { name: 'none reserved', resource: { ReservedConcurrentExecutions: null } },
    { name: 'none reserved, in a VPC', resource: { ReservedConcurrentExecutions: null, VpcConfig: { SubnetIds: ['subnet-a'] } }, severity: 'LOW' },
    { name: 'disabled', resource: { ReservedConcurrentExecutions: 0 }, severity: 'LOW' },
  ],
  notAssessed: [
    { name: 'call failed', resource: { gaps: { ReservedConcurrentExecutions: { operation: 'lambda:GetFunctionConcurrency', code: 'AccessDeniedException', message: 'denied' } } } },
    { name: 'not collected', resource: {} },
  ],
};
