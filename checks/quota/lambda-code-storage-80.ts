import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { formatGiB, judge, resolveLimit } from '../lib/quota.js';

const GiB = 1024 ** 3;

const check = defineCheck({
  id: 'quota.lambda-code-storage-80',
  title: 'Lambda code storage is at or over 80% of the quota',
  description:
    'Deployment packages and layers of every published version count against a regional storage quota (75 GB by default); ' +
    'once it is full no function can be deployed or updated. The lens (SERVREL 1) asks to know when a service nears a limit. ' +
    'Usage is GetAccountSettings AccountUsage.TotalCodeSize; the limit is the "Function and layer storage" quota (L-2ACBD22F, ' +
    'in GB) or AccountLimit.TotalCodeSize. Reported under the region\'s Lambda account ARN, arn:aws:lambda:REGION:ACCOUNT:account.',
  severity: 'MEDIUM',
  pillar: 'REL',
  lens: ['SERVREL 1'],
  lens2022: ['SERVREL 1'],
  resourceKind: 'AwsAccountRegion',
  uses: ['LambdaAccountSettings', 'ServiceQuotas'],
  cost: 'C',
  options: { threshold: 80 },
  remediation: {
    text: 'Delete function versions and layer versions that are no longer referenced by an alias or event source (aws lambda delete-function --function-name NAME --qualifier N), or request a higher "Function and layer storage" quota.',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html',
  },
  peers: { trustedAdvisor: ['c1dfprch07'] },
  evaluate(ar, ctx) {
    const usage = ar.LambdaAccountSettings?.AccountUsage?.TotalCodeSize;
    if (typeof usage !== 'number') return ctx.notAssessed('Lambda GetAccountSettings did not report AccountUsage.TotalCodeSize.');
    // The quota is in GB and AccountLimit.TotalCodeSize in bytes: the 75 GB default is 80530636800 bytes, so GB here are GiB.
    const limit = resolveLimit(ar, 'lambda', 'L-2ACBD22F', ar.LambdaAccountSettings?.AccountLimit?.TotalCodeSize, GiB);
    if ('reason' in limit) return ctx.notAssessed(`Lambda code storage not assessed: ${limit.reason}.`);
    return judge(ctx, {
      label: 'Lambda code storage',
      usage,
      limit,
      threshold: ctx.options.threshold,
      format: formatGiB,
      evidence: { unit: 'Bytes', FunctionCount: ar.LambdaAccountSettings?.AccountUsage?.FunctionCount },
    });
  },
});
export default check;

const usage = (gib: number, limitBytes?: number) => ({
  LambdaAccountSettings: {
    AccountUsage: { TotalCodeSize: gib * GiB, FunctionCount: 40 },
    ...(limitBytes === undefined ? {} : { AccountLimit: { TotalCodeSize: limitBytes } }),
  },
});

export const examples: CheckExamples<'AwsAccountRegion'> = {
  pass: [{ name: '30 of 75 GiB (applied)', resource: { ...usage(30), ServiceQuotas: { 'lambda/L-2ACBD22F': { value: 75, source: 'applied' } } } }],
  fail: [
    { name: '60 of 75 GiB from AccountLimit', resource: usage(60, 75 * GiB) },
    { name: 'full', resource: { ...usage(75), ServiceQuotas: { 'lambda/L-2ACBD22F': { value: 75, source: 'applied' } } }, severity: 'HIGH' },
  ],
  notAssessed: [
    { resource: { gaps: { LambdaAccountSettings: { operation: 'lambda:GetAccountSettings', code: 'AccessDeniedException', message: 'denied' } } } },
    {
      name: 'no limit from any source',
      resource: {
        ...usage(10),
        gaps: { 'ServiceQuotas.lambda/L-2ACBD22F': { operation: 'servicequotas:GetAWSDefaultServiceQuota', code: 'TooManyRequestsException', message: 'rate' } },
      },
    },
  ],
};
