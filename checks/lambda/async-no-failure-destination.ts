import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { derived } from '../lib/memo.js';
import { isAllow, servicePrincipalsOf, statementsOf } from '../lib/policy-statements.js';

const check = defineCheck({
  id: 'lambda.async-no-failure-destination',
  title: 'Asynchronously invoked Lambda function has no DLQ or on-failure destination',
  description:
    'After its retries Lambda drops an asynchronous event that keeps failing, unless a dead-letter queue or an OnFailure destination ' +
    'keeps it. A function counts as asynchronously invoked when its resource policy admits S3, SNS, EventBridge or IoT, or an SNS ' +
    'subscription targets it (SERVREL 5: failure management).',
  severity: 'MEDIUM',
  pillar: 'REL',
  lens: ['SERVREL 5'],
  lens2022: ['SERVREL 2'],
  resourceKind: 'AwsLambdaFunction',
  uses: ['Policy', 'FunctionEventInvokeConfigs', 'DeadLetterConfig'],
  needs: ['AwsSnsSubscription'],
  cost: 'E',
  accountWide: true,
  options: { asyncServices: ['s3', 'sns', 'events', 'iot'] },
  remediation: {
    text: 'Add an OnFailure destination (aws lambda put-function-event-invoke-config --destination-config OnFailure={Destination=ARN}) or a dead-letter queue to the function.',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html',
  },
  peers: {
    serverlessRules: ['ES1007'],
    config: ['lambda-dlq-check'],
    trustedAdvisor: ['c1dfprch05'],
  },
  evaluate(fn, ctx) {
    if (fn.Policy === undefined || fn.FunctionEventInvokeConfigs === undefined) {
      return ctx.notAssessed(`Resource policy or event invoke configuration of function ${fn.name} was not collected.`);
    }
    const services = new Set((ctx.options.asyncServices as string[]).flatMap((s) => [`${s}.amazonaws.com`, `${s}.amazonaws.com.cn`]));
    const invokers = [
      ...new Set(statementsOf(fn.Policy).filter(isAllow).flatMap(servicePrincipalsOf).filter((p) => services.has(p))),
    ];
    if (invokers.length === 0) {
      let subscriptions;
      try {
        subscriptions = ctx.list('AwsSnsSubscription', 'account');
      } catch (err) {
        return ctx.notAssessed(`Function ${fn.name}: SNS subscriptions could not be listed (${(err as Error).message}).`);
      }
      const targets = derived(subscriptions, 'lambda-subscription-targets', () =>
        new Set(subscriptions.filter((s) => s.Protocol === 'lambda' && s.Endpoint).map((s) => s.Endpoint!.split(':').slice(0, 7).join(':'))));
      if (targets.has(fn.arn)) invokers.push('SNS subscription');
    }
    if (invokers.length === 0) return; // not invoked asynchronously as far as the account shows
    const dlq = fn.DeadLetterConfig?.TargetArn;
    const onFailure = fn.FunctionEventInvokeConfigs.map((c) => c.DestinationConfig?.OnFailure?.Destination).filter((d): d is string => !!d);
    const evidence = { asyncInvokers: invokers, DeadLetterConfig: dlq ?? null, onFailureDestinations: onFailure };
    if (dlq || onFailure.length > 0) {
      return ctx.pass(`Function ${fn.name} (invoked by ${invokers.join(', ')}) keeps failed events in ${dlq ?? onFailure[0]}.`, evidence);
    }
    return ctx.fail(`Function ${fn.name} is invoked asynchronously by ${invokers.join(', ')} but has no dead-letter queue and no OnFailure destination.`, evidence);
  },
});
export default check;

const snsPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'lambda:InvokeFunction', Resource: 'arn:aws:lambda:us-east-1:111122223333:function:example' }] };
const apiPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'lambda:InvokeFunction', Resource: '*' }] };

export const examples: CheckExamples<'AwsLambdaFunction'> = {
  pass: [
    {
      name: 'OnFailure destination',
      resource: { Policy: snsPolicy, FunctionEventInvokeConfigs: [{ DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:111122223333:failed' } } }] },
    },
    { name: 'DLQ', resource: { Policy: snsPolicy, FunctionEventInvokeConfigs: [], DeadLetterConfig: { TargetArn: 'arn:aws:sqs:us-east-1:111122223333:dlq' } } },
    { name: 'API Gateway only: does not apply', resource: { Policy: apiPolicy, FunctionEventInvokeConfigs: [] }, count: 0 },
  ],
  fail: [
    { name: 'SNS in the resource policy', resource: { Policy: snsPolicy, FunctionEventInvokeConfigs: [] } },
    {
      name: 'SNS subscription in another region',
      resource: { Policy: null, FunctionEventInvokeConfigs: [{ DestinationConfig: { OnSuccess: { Destination: 'arn:aws:sqs:us-east-1:111122223333:ok' } } }] },
      others: [{ kind: 'AwsSnsSubscription', region: 'eu-west-1', Protocol: 'lambda', Endpoint: 'arn:aws:lambda:us-east-1:111122223333:function:example:live' }],
    },
  ],
  notAssessed: [
    { name: 'GetPolicy failed', resource: { gaps: { Policy: { operation: 'lambda:GetPolicy', code: 'AccessDeniedException', message: 'denied' } } } },
    { name: 'subscriptions not listed', resource: { Policy: null, FunctionEventInvokeConfigs: [] }, listGaps: ['AwsSnsSubscription'] },
  ],
};
