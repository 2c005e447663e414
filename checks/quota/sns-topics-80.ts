import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { judge, resolveLimit, serviceAccountArn } from '../lib/quota.js';

const check = defineCheck({
  id: 'quota.sns-topics-80',
  title: 'SNS topics in a region are at or over 80% of the quota',
  description:
    'SNS limits the number of topics per account and region (100,000 by default); at the limit CreateTopic fails, which breaks ' +
    'deployments that create a topic per tenant or per stack. The lens (SERVREL 1) asks to know when a service nears a limit. ' +
    'Usage is the number of topics ListTopics returned; the limit is the "Topics per Account" quota (L-61103206). ' +
    'Reported under arn:aws:sns:REGION:ACCOUNT:account.',
  severity: 'LOW',
  pillar: 'REL',
  lens: ['SERVREL 1'],
  lens2022: ['SERVREL 1'],
  resourceKind: 'AwsAccountRegion',
  uses: ['ServiceQuotas'],
  needs: ['AwsSnsTopic'],
  cost: 'C',
  options: { threshold: 80 },
  remediation: {
    text: 'Delete unused topics, or request a higher "Topics per Account" quota for the region.',
    url: 'https://docs.aws.amazon.com/general/latest/gr/sns.html',
  },
  peers: {},
  evaluate(ar, ctx) {
    const extra = { resource: { arn: serviceAccountArn(ar.arn, 'sns') } };
    const limit = resolveLimit(ar, 'sns', 'L-61103206', undefined);
    if ('reason' in limit) return ctx.notAssessed(`SNS topics not assessed: ${limit.reason}.`, extra);
    return judge(ctx, { label: 'SNS topics in the region', usage: ctx.list('AwsSnsTopic').length, limit, threshold: ctx.options.threshold, extra });
  },
});
export default check;

const topics = (n: number) => Array.from({ length: n }, (_, i) => ({ kind: 'AwsSnsTopic' as const, name: `t${i}` }));

export const examples: CheckExamples<'AwsAccountRegion'> = {
  pass: [{ name: '3 of 100,000', resource: { ServiceQuotas: { 'sns/L-61103206': { value: 100000, source: 'default' } } }, others: topics(3) }],
  fail: [
    { name: '8 of 10', resource: { ServiceQuotas: { 'sns/L-61103206': { value: 10, source: 'applied' } } }, others: topics(8) },
    { name: '10 of 10', resource: { ServiceQuotas: { 'sns/L-61103206': { value: 10, source: 'applied' } } }, others: topics(10), severity: 'HIGH' },
  ],
  notAssessed: [
    { name: 'quota unreadable', resource: { gaps: { 'ServiceQuotas.sns/L-61103206': { operation: 'servicequotas:GetAWSDefaultServiceQuota', code: 'NoSuchResourceException', message: 'none' } } } },
    { name: 'topics not listed', resource: { ServiceQuotas: { 'sns/L-61103206': { value: 100000, source: 'default' } } }, listGaps: ['AwsSnsTopic'] },
  ],
};
