import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { coversAction, isAllow, principalsOf, statementsOf } from '../lib/policy-statements.js';

const check = defineCheck({
  id: 'lambda.multiple-principals',
  title: 'Lambda function can be invoked by more than one principal',
  description:
    'Each event source sends a different payload; one function serving several sources mixes their handling and widens who can invoke it. ' +
    'Separate functions per source keep permissions narrow (SERVSEC 2; serverless-rules WS1002).',
  severity: 'INFORMATIONAL',
  pillar: 'SEC',
  lens: ['SERVSEC 2'],
  lens2022: ['SERVSEC 2'],
  resourceKind: 'AwsLambdaFunction',
  uses: ['Policy'],
  cost: 'E',
  remediation: {
    text: 'Split the function so that each event source invokes its own function, and remove the extra lambda:InvokeFunction permissions (aws lambda remove-permission).',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html',
  },
  peers: { serverlessRules: ['WS1002'] },
  evaluate(fn, ctx) {
    if (fn.Policy === undefined) return ctx.notAssessed(`Resource policy of function ${fn.name} was not collected.`);
    const principals = [
      ...new Set(statementsOf(fn.Policy).filter((st) => isAllow(st) && coversAction(st, 'lambda:InvokeFunction')).flatMap(principalsOf)),
    ].sort();
    return principals.length > 1
      ? ctx.fail(`Function ${fn.name} can be invoked by ${principals.length} principals: ${principals.join(', ')}.`, { principals })
      : ctx.pass(`Function ${fn.name} can be invoked by ${principals.length === 0 ? 'no principal through its resource policy' : principals[0]}.`, { principals });
  },
});
export default check;

const grant = (principal: Record<string, string>, action = 'lambda:InvokeFunction') => ({ Effect: 'Allow', Principal: principal, Action: action, Resource: '*' });

export const examples: CheckExamples<'AwsLambdaFunction'> = {
  pass: [
    { name: 'one principal, two statements', resource: { Policy: { Statement: [grant({ Service: 'sns.amazonaws.com' }), grant({ Service: 'sns.amazonaws.com' })] } } },
    { name: 'no policy', resource: { Policy: null } },
    { name: 'second principal only reads configuration', resource: { Policy: { Statement: [grant({ Service: 's3.amazonaws.com' }), grant({ AWS: 'arn:aws:iam::444455556666:root' }, 'lambda:GetFunction')] } } },
  ],
  fail: [{ name: 'S3 and API Gateway', resource: { Policy: { Statement: [grant({ Service: 's3.amazonaws.com' }), grant({ Service: 'apigateway.amazonaws.com' }, 'lambda:*')] } } }],
  notAssessed: [{ resource: { gaps: { Policy: { operation: 'lambda:GetPolicy', code: 'AccessDeniedException', message: 'denied' } } } }],
};
