import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { judge, resolveLimit } from '../lib/quota.js';

const check = defineCheck({
  id: 'quota.iam-roles-80',
  title: 'IAM roles are at or over 80% of the account quota',
  description:
    'Serverless applications often give every function its own execution role, so roles run out before anything else in IAM; ' +
    'at the quota no new function or stack with a role can be deployed. The lens (SERVREL 1) asks to know when a service nears ' +
    'a limit. Usage is GetAccountSummary SummaryMap.Roles; the limit is the global "Roles per account" quota (L-FE177D64, read ' +
    'in us-east-1) or SummaryMap.RolesQuota. Reported under the account, arn:aws:iam::ACCOUNT:root.',
  severity: 'LOW',
  pillar: 'REL',
  lens: ['SERVREL 1'],
  lens2022: ['SERVREL 1'],
  resourceKind: 'AwsAccount',
  uses: ['IamAccountSummary', 'ServiceQuotas'],
  cost: 'C',
  options: { threshold: 80 },
  remediation: {
    text: 'Delete unused roles (see RoleLastUsed), share roles between functions only where their permissions are the same, or request a higher "Roles per account" quota.',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html',
  },
  peers: { trustedAdvisor: ['oQ7TT0l7J9'] },
  evaluate(account, ctx) {
    const usage = account.IamAccountSummary?.Roles;
    if (typeof usage !== 'number') return ctx.notAssessed('IAM GetAccountSummary did not report Roles.');
    const limit = resolveLimit(account, 'iam', 'L-FE177D64', account.IamAccountSummary?.RolesQuota);
    if ('reason' in limit) return ctx.notAssessed(`IAM roles not assessed: ${limit.reason}.`);
    return judge(ctx, { label: 'IAM roles', usage, limit, threshold: ctx.options.threshold });
  },
});
export default check;

export const examples: CheckExamples<'AwsAccount'> = {
  pass: [{ resource: { IamAccountSummary: { Roles: 120, RolesQuota: 1000 } } }],
  fail: [
    { name: 'at 80%', resource: { IamAccountSummary: { Roles: 800, RolesQuota: 1000 } } },
    { name: 'raised quota, applied value', resource: { IamAccountSummary: { Roles: 4990, RolesQuota: 5000 }, ServiceQuotas: { 'iam/L-FE177D64': { value: 5000, source: 'applied' } } } },
  ],
  notAssessed: [
    { resource: { gaps: { IamAccountSummary: { operation: 'iam:GetAccountSummary', code: 'AccessDenied', message: 'denied' } } } },
    {
      name: 'no quota from any source',
      resource: {
        IamAccountSummary: { Roles: 10 },
        gaps: { 'ServiceQuotas.iam/L-FE177D64': { operation: 'servicequotas:GetAWSDefaultServiceQuota', code: 'AccessDeniedException', message: 'denied' } },
      },
    },
  ],
};
