import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { judge, resolveLimit, serviceAccountArn } from '../lib/quota.js';

const check = defineCheck({
  id: 'quota.kinesis-shards-80',
  title: 'Kinesis open shards or on-demand streams are at or over 80% of the quota',
  description:
    'Provisioned streams cannot be resharded and new streams cannot be created once the region\'s shard quota is used up; ' +
    'on-demand streams have their own count limit. The lens (SERVREL 1) asks to know when a service nears a limit. Two ' +
    'results from kinesis:DescribeLimits: sub-key `shards` (OpenShardCount against ShardLimit, quota L-0918CF54) and ' +
    '`on-demand-streams` (OnDemandStreamCount against OnDemandStreamCountLimit, which has no Service Quotas code). ' +
    'Reported under arn:aws:kinesis:REGION:ACCOUNT:account.',
  severity: 'MEDIUM',
  pillar: 'REL',
  lens: ['SERVREL 1'],
  lens2022: ['SERVREL 1'],
  resourceKind: 'AwsAccountRegion',
  uses: ['KinesisLimits', 'ServiceQuotas'],
  cost: 'C',
  options: { threshold: 80 },
  remediation: {
    text: 'Merge under-used shards or delete idle streams, or request a higher "Shards per Region" quota (or on-demand stream limit) for the region.',
    url: 'https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html',
  },
  peers: { trustedAdvisor: ['bW7HH0l7J9'] },
  evaluate(ar, ctx) {
    const resource = { arn: serviceAccountArn(ar.arn, 'kinesis') };
    const k = ar.KinesisLimits;
    const threshold = ctx.options.threshold;
    const shards = (() => {
      const extra = { subKey: 'shards', resource };
      if (typeof k?.OpenShardCount !== 'number') return ctx.notAssessed('Kinesis DescribeLimits did not report OpenShardCount.', extra);
      const limit = resolveLimit(ar, 'kinesis', 'L-0918CF54', k.ShardLimit);
      if ('reason' in limit) return ctx.notAssessed(`Kinesis shards not assessed: ${limit.reason}.`, extra);
      return judge(ctx, { label: 'Open Kinesis shards', usage: k.OpenShardCount, limit, threshold, extra });
    })();
    const onDemand = (() => {
      const extra = { subKey: 'on-demand-streams', resource };
      if (typeof k?.OnDemandStreamCount !== 'number') return ctx.notAssessed('Kinesis DescribeLimits did not report OnDemandStreamCount.', extra);
      const limit = resolveLimit(ar, 'kinesis', null, k.OnDemandStreamCountLimit);
      if ('reason' in limit) return ctx.notAssessed(`Kinesis on-demand streams not assessed: ${limit.reason}.`, extra);
      return judge(ctx, { label: 'Kinesis on-demand streams', usage: k.OnDemandStreamCount, limit, threshold, extra });
    })();
    return [shards, onDemand];
  },
});
export default check;

const limits = (OpenShardCount: number, OnDemandStreamCount: number) => ({
  KinesisLimits: { ShardLimit: 1000, OpenShardCount, OnDemandStreamCount, OnDemandStreamCountLimit: 50 },
});

export const examples: CheckExamples<'AwsAccountRegion'> = {
  pass: [{ resource: limits(12, 3), count: 2 }],
  fail: [
    { name: 'both at 80%', resource: limits(800, 40), count: 2 },
    { name: 'both full', resource: limits(1000, 50), count: 2, severity: 'HIGH' },
  ],
  notAssessed: [
    { resource: { gaps: { KinesisLimits: { operation: 'kinesis:DescribeLimits', code: 'LimitExceededException', message: 'rate exceeded' } } } },
    { name: 'limits missing from the answer', resource: { KinesisLimits: { OpenShardCount: 4, OnDemandStreamCount: 1 } }, count: 2 },
  ],
};
