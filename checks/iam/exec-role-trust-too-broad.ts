import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { functionsUsing, LAMBDA_SERVICES, trustsLambda, usedByText } from '../lib/exec-role.js';
import { isAllow, principalsOf, statementsOf } from '../lib/policy-statements.js';

const check = defineCheck({
  id: 'iam.exec-role-trust-too-broad',
  title: 'Lambda execution role can also be assumed by other principals',
  description:
    'A role that Lambda uses and that other services, accounts or everyone can also assume hands the function permissions to them, ' +
    'and makes the role shared in all but name (SERVSEC 2). Principals in allowedPrincipals (`Service:x`, `AWS:arn` or the bare value) are accepted.',
  severity: 'LOW',
  pillar: 'SEC',
  lens: ['SERVSEC 2'],
  lens2022: ['SERVSEC 2'],
  resourceKind: 'AwsIamRole',
  uses: ['AssumeRolePolicyDocument'],
  needs: ['AwsLambdaFunction'],
  cost: 'C',
  options: { allowedPrincipals: [] as string[] },
  remediation: {
    text: 'Keep only lambda.amazonaws.com (and edgelambda.amazonaws.com for Lambda@Edge) in the trust policy; give other principals their own role.',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html',
  },
  peers: { prowler: ['iam_role_cross_service_confused_deputy_prevention'] },
  evaluate(role, ctx) {
    if (!trustsLambda(role)) return;
    const allowed = new Set(ctx.options.allowedPrincipals as string[]);
    const others = [
      ...new Set(
        statementsOf(role.AssumeRolePolicyDocument)
          .filter(isAllow)
          .flatMap(principalsOf)
          .filter((p) => {
            const value = p.slice(p.indexOf(':') + 1);
            return !(p.startsWith('Service:') && LAMBDA_SERVICES.has(value)) && !allowed.has(p) && !allowed.has(value);
          }),
      ),
    ].sort();
    const users = usedByText(functionsUsing(role, ctx));
    return others.length > 0
      ? ctx.fail(`Execution role ${role.name}${users} can also be assumed by ${others.join(', ')}.`, { principals: others })
      : ctx.pass(`Execution role ${role.name}${users} trusts only Lambda.`);
  },
});
export default check;

const lambda = { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' };

export const examples: CheckExamples<'AwsIamRole'> = {
  pass: [
    { resource: { AssumeRolePolicyDocument: { Statement: [lambda] } } },
    { name: 'allowlisted', resource: { AssumeRolePolicyDocument: { Statement: [{ ...lambda, Principal: { Service: ['lambda.amazonaws.com', 'states.amazonaws.com'] } }] } }, options: { allowedPrincipals: ['states.amazonaws.com'] } },
  ],
  fail: [
    { name: 'EC2 too', resource: { AssumeRolePolicyDocument: { Statement: [{ ...lambda, Principal: { Service: ['lambda.amazonaws.com', 'ec2.amazonaws.com'] } }] } } },
    { name: 'another account', resource: { AssumeRolePolicyDocument: { Statement: [lambda, { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'sts:AssumeRole' }] } } },
  ],
  notAssessed: [{ resource: { gaps: { AssumeRolePolicyDocument: { operation: 'iam:GetAccountAuthorizationDetails', code: 'AccessDenied', message: 'denied' } } } }],
};
