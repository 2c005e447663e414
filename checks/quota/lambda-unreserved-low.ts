import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { formatCount } from '../lib/quota.js';

const check = defineCheck({
  id: 'quota.lambda-unreserved-low',
  title: 'Unreserved Lambda concurrency is below 20% of the account limit',
  description:
    'Reserved concurrency is taken out of the account limit: when reservations claim most of it, every function without a ' +
    'reservation shares what is left and is throttled first. The lens (SERVREL 1, SERVREL 2) asks to manage concurrency ' +
    'deliberately. Option `threshold`: the lowest acceptable unreserved share, in percent (default 20). Read from ' +
    'GetAccountSettings (AccountLimit.UnreservedConcurrentExecutions against AccountLimit.ConcurrentExecutions). ' +
    'Reported under the region\'s Lambda account ARN, arn:aws:lambda:REGION:ACCOUNT:account.',
  severity: 'LOW',
  pillar: 'REL',
  lens: ['SERVREL 1', 'SERVREL 2'],
  lens2022: ['SERVREL 1'],
  resourceKind: 'AwsAccountRegion',
  uses: ['LambdaAccountSettings'],
  cost: 'C',
  options: { threshold: 20 },
  remediation: {
    text: 'Lower or remove reserved concurrency on functions that do not need a guarantee (aws lambda delete-function-concurrency), or raise the account concurrency quota (L-B99A9384).',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html',
  },
  peers: {},
  evaluate(ar, ctx) {
    const limit = ar.LambdaAccountSettings?.AccountLimit?.ConcurrentExecutions;
    const unreserved = ar.LambdaAccountSettings?.AccountLimit?.UnreservedConcurrentExecutions;
    if (typeof limit !== 'number' || typeof unreserved !== 'number' || limit <= 0) {
      return ctx.notAssessed('Lambda GetAccountSettings did not report ConcurrentExecutions and UnreservedConcurrentExecutions.');
    }
    const threshold = ctx.options.threshold;
    const percent = (unreserved * 100) / limit;
    const display = `${formatCount(unreserved)} / ${formatCount(limit)} (${percent.toFixed(1)}%)`;
    const evidence = {
      usage: unreserved, limit, percent: Math.round(percent * 10) / 10, quotaCode: 'L-B99A9384', source: 'service-api',
      threshold, reserved: limit - unreserved, display,
    };
    return unreserved * 100 < threshold * limit
      ? ctx.fail(`Unreserved Lambda concurrency is ${display} of the account limit, below ${threshold}%: reservations claim ${formatCount(limit - unreserved)}.`, evidence)
      : ctx.pass(`Unreserved Lambda concurrency is ${display} of the account limit, at or above ${threshold}%.`, evidence);
  },
});
export default check;

const settings = (ConcurrentExecutions: number, UnreservedConcurrentExecutions: number) => ({
  LambdaAccountSettings: { AccountLimit: { ConcurrentExecutions, UnreservedConcurrentExecutions } },
});

export const examples: CheckExamples<'AwsAccountRegion'> = {
  pass: [
    { name: 'nothing reserved', resource: settings(1000, 1000) },
    { name: 'exactly 20% left', resource: settings(1000, 200) },
  ],
  fail: [{ name: '10% left', resource: settings(1000, 100) }],
  notAssessed: [
    { resource: { gaps: { LambdaAccountSettings: { operation: 'lambda:GetAccountSettings', code: 'AccessDeniedException', message: 'denied' } } } },
    { name: 'settings without limits', resource: { LambdaAccountSettings: { AccountUsage: { FunctionCount: 3 } } } },
  ],
};
