import { defineCheck, type CheckExamples } from '../../src/model/index.js';

const check = defineCheck({
  id: 'lambda.no-dlq',
  title: 'Lambda function has no dead-letter queue',
  description:
    'Without a dead-letter queue, asynchronous events that still fail after the retries are dropped. This follows the Config ' +
    'rule and Trusted Advisor: every function without DeadLetterConfig.TargetArn fails (LOW). When an OnFailure destination is set ' +
    'in an event invoke configuration (which keeps the failed events too, with more context), the finding drops to INFORMATIONAL; ' +
    'lambda.async-no-failure-destination judges asynchronous functions that have neither. Lens SERVREL 5.',
  severity: 'LOW',
  pillar: 'REL',
  lens: ['SERVREL 5'],
  lens2022: ['SERVREL 2'],
  resourceKind: 'AwsLambdaFunction',
  uses: ['DeadLetterConfig', 'FunctionEventInvokeConfigs'],
  cost: 'C',
  remediation: {
    text: 'Configure an SQS queue or SNS topic as the dead-letter queue (aws lambda update-function-configuration --function-name NAME --dead-letter-config TargetArn=ARN), or an OnFailure destination for asynchronous invocations.',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html',
  },
  peers: {
    config: ['lambda-dlq-check'],
    trustedAdvisor: ['c18d2gz182'],
    prowler: ['awslambda_function_no_dead_letter_queue'],
  },
  evaluate(fn, ctx) {
    const dlq = fn.DeadLetterConfig?.TargetArn;
    if (dlq) return ctx.pass(`Function ${fn.name} has a dead-letter queue.`, { DeadLetterTargetArn: dlq });
    const onFailure = (fn.FunctionEventInvokeConfigs ?? [])
      .map((c) => c.DestinationConfig?.OnFailure?.Destination)
      .filter((d): d is string => Boolean(d));
    if (onFailure.length > 0) {
      return ctx.fail(
        `Function ${fn.name} has no dead-letter queue, but failed asynchronous events go to an OnFailure destination.`,
        { OnFailureDestinations: onFailure },
        { severity: 'INFORMATIONAL' },
      );
    }
    return ctx.fail(`Function ${fn.name} has no dead-letter queue and no OnFailure destination.`);
  },
});
export default check;

export const examples: CheckExamples<'AwsLambdaFunction'> = {
  pass: [{ resource: { DeadLetterConfig: { TargetArn: 'arn:aws:sqs:us-east-1:111122223333:example-dlq' }, FunctionEventInvokeConfigs: [] } }],
  fail: [
    { name: 'nothing configured', resource: { FunctionEventInvokeConfigs: [] } },
    { name: 'empty dead-letter config', resource: { DeadLetterConfig: {}, FunctionEventInvokeConfigs: [{ MaximumRetryAttempts: 2 }] } },
    {
      name: 'OnFailure destination instead',
      resource: {
        FunctionEventInvokeConfigs: [{
          FunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:example:$LATEST',
          DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:111122223333:example-failures' } },
        }],
      },
      severity: 'INFORMATIONAL',
    },
  ],
  notAssessed: [
    { resource: { gaps: { FunctionEventInvokeConfigs: { operation: 'lambda:ListFunctionEventInvokeConfigs', code: 'AccessDeniedException', message: 'denied' } } } },
  ],
};
