import { defineCheck, type CheckExamples } from '../../src/model/index.js';

const check = defineCheck({
  id: 'lambda.no-tracing',
  title: 'Lambda function has X-Ray active tracing off',
  description:
    'Without active tracing a request cannot be followed across functions and services, so latency and errors cannot be located. ' +
    'The lens (SERVOPS 1): "Active tracing with AWS X-Ray should be enabled".',
  severity: 'LOW',
  pillar: 'OPS',
  lens: ['SERVOPS 1'],
  lens2022: ['SERVOPS 1'],
  resourceKind: 'AwsLambdaFunction',
  uses: ['TracingConfig'],
  cost: 'C',
  remediation: {
    text: 'Set the tracing mode to Active (aws lambda update-function-configuration --function-name NAME --tracing-config Mode=Active) and allow xray:PutTraceSegments in the execution role.',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html',
  },
  peers: {
    cspm: ['Lambda.7'],
    config: ['lambda-function-xray-enabled'],
    serverlessRules: ['WS1000'],
  },
  evaluate(fn, ctx) {
    const mode = fn.TracingConfig?.Mode ?? 'PassThrough';
    return mode === 'Active'
      ? ctx.pass(`Function ${fn.name} has active tracing.`)
      : ctx.fail(`Function ${fn.name} has tracing mode ${mode}, not Active.`, { TracingConfig: { Mode: mode } });
  },
});
export default check;

export const examples: CheckExamples<'AwsLambdaFunction'> = {
  pass: [{ resource: { TracingConfig: { Mode: 'Active' } } }],
  fail: [
    { name: 'pass-through', resource: { TracingConfig: { Mode: 'PassThrough' } } },
    { name: 'no tracing config', resource: { TracingConfig: undefined } },
  ],
  notAssessed: [{ resource: { gaps: { TracingConfig: { operation: 'lambda:ListFunctions', code: 'AccessDeniedException', message: 'denied' } } } }],
};
