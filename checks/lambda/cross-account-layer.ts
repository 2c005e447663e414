import { defineCheck, type CheckExamples } from '../../src/model/index.js';

/**
 * Accounts that publish AWS-maintained layers (us-east-1 and most commercial regions): Lambda Insights (580247275435),
 * Powertools for AWS Lambda Python (017000801446) and TypeScript (094274105915), AWS Parameters and Secrets
 * Lambda Extension (177933569100), AWS Distro for OpenTelemetry (901920570463). Some regions use other publisher
 * accounts: add them to `allowedAccounts`.
 */
const AWS_LAYER_ACCOUNTS = ['580247275435', '017000801446', '094274105915', '177933569100', '901920570463'];

const check = defineCheck({
  id: 'lambda.cross-account-layer',
  title: 'Lambda function uses a layer published by another account',
  description:
    'Code in a layer from another account runs with the function role, and its owner can publish new versions or delete the layer. ' +
    'Layers are dependencies to review (SERVSEC 4). Layers published by AWS are allowed by default (option allowedAccounts).',
  severity: 'MEDIUM',
  pillar: 'SEC',
  lens: ['SERVSEC 4'],
  lens2022: ['SERVSEC 3'],
  resourceKind: 'AwsLambdaFunction',
  uses: ['Layers'],
  cost: 'C',
  options: { allowedAccounts: AWS_LAYER_ACCOUNTS },
  remediation: {
    text: 'Publish the layer in your own account (or organization) after reviewing it, and point the function at that copy; or add the publisher to allowedAccounts if you trust it.',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/chapter-layers.html',
  },
  peers: { prowler: ['awslambda_function_using_cross_account_layers'] },
  evaluate(fn, ctx) {
    const allowed = new Set([ctx.accountId, ...(ctx.options.allowedAccounts as string[])]);
    const arns = (fn.Layers ?? []).map((l) => l.Arn ?? '').filter(Boolean);
    const foreign = arns.filter((arn) => !allowed.has(arn.split(':')[4] ?? ''));
    if (foreign.length === 0) {
      return ctx.pass(arns.length === 0 ? `Function ${fn.name} uses no layers.` : `Function ${fn.name} uses layers from this account or allowed publishers only.`);
    }
    const owners = [...new Set(foreign.map((arn) => arn.split(':')[4]))];
    return ctx.fail(`Function ${fn.name} uses ${foreign.length} layer(s) from other account(s) ${owners.join(', ')}: ${foreign.join(', ')}.`, { layers: foreign });
  },
});
export default check;

const layer = (account: string) => ({ Arn: `arn:aws:lambda:us-east-1:${account}:layer:shared:3` });

export const examples: CheckExamples<'AwsLambdaFunction'> = {
  pass: [
    { name: 'own layer', resource: { Layers: [layer('111122223333')] } },
    { name: 'AWS-published layer', resource: { Layers: [{ Arn: 'arn:aws:lambda:us-east-1:580247275435:layer:LambdaInsightsExtension:38' }] } },
    { name: 'no layers', resource: { Layers: undefined } },
  ],
  fail: [
    { name: 'third-party layer', resource: { Layers: [layer('999988887777')] } },
    { name: 'allowlist emptied', resource: { Layers: [{ Arn: 'arn:aws:lambda:us-east-1:580247275435:layer:LambdaInsightsExtension:38' }] }, options: { allowedAccounts: [] } },
  ],
  notAssessed: [{ resource: { gaps: { Layers: { operation: 'lambda:ListFunctions', code: 'AccessDeniedException', message: 'denied' } } } }],
};
