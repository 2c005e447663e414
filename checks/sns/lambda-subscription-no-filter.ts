import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { derived } from '../lib/memo.js';

const check = defineCheck({
  id: 'sns.lambda-subscription-no-filter',
  title: 'Lambda subscription on a shared SNS topic has no filter policy',
  description:
    'On a topic with several subscribers, a function without a filter policy is invoked for every message and discards the ones it does not ' +
    'need, paying for each invocation. The lens (SERVCOST 3) recommends SNS message filtering. Skipped for topics with one subscription.',
  severity: 'INFORMATIONAL',
  pillar: 'COST',
  lens: ['SERVCOST 3'],
  lens2022: ['SERVCOST 1'],
  resourceKind: 'AwsSnsSubscription',
  uses: ['Protocol', 'Attributes', 'TopicArn'],
  needs: ['AwsSnsSubscription'],
  cost: 'E',
  remediation: {
    text: 'Give the subscription a filter policy that matches only the messages the function handles (aws sns set-subscription-attributes --attribute-name FilterPolicy).',
    url: 'https://docs.aws.amazon.com/sns/latest/dg/sns-message-filtering.html',
  },
  peers: {},
  evaluate(sub, ctx) {
    if (sub.Protocol !== 'lambda') return;
    if (!sub.Attributes) return ctx.notAssessed(`Attributes of subscription ${sub.name} were not collected.`);
    const all = ctx.list('AwsSnsSubscription');
    const perTopic = derived(all, 'subscriptions-per-topic', () => {
      const m = new Map<string, number>();
      for (const s of all) m.set(s.TopicArn ?? '', (m.get(s.TopicArn ?? '') ?? 0) + 1);
      return m;
    });
    const siblings = perTopic.get(sub.TopicArn ?? '') ?? 0;
    if (siblings < 2) return;
    const topic = (sub.TopicArn ?? '').split(':').at(-1);
    return sub.Attributes.FilterPolicy
      ? ctx.pass(`Lambda subscription ${sub.name} filters messages of topic ${topic}.`)
      : ctx.fail(`Lambda subscription ${sub.name} receives every message of topic ${topic}, which has ${siblings} subscriptions, with no filter policy.`, { subscriptionsOnTopic: siblings });
  },
});
export default check;

const TOPIC = 'arn:aws:sns:us-east-1:111122223333:topic';
const sibling = { kind: 'AwsSnsSubscription' as const, name: 'topic:other', arn: `${TOPIC}:other`, TopicArn: TOPIC, Protocol: 'sqs' };

export const examples: CheckExamples<'AwsSnsSubscription'> = {
  pass: [
    { resource: { Protocol: 'lambda', Attributes: { FilterPolicy: '{"type":["order"]}' } }, others: [sibling] },
    { name: 'only subscriber: does not apply', resource: { Protocol: 'lambda', Attributes: {} }, count: 0 },
  ],
  fail: [{ resource: { Protocol: 'lambda', Attributes: { PendingConfirmation: 'false' } }, others: [sibling] }],
  notAssessed: [{ resource: { Protocol: 'lambda', Attributes: {} }, others: [sibling], listGaps: ['AwsSnsSubscription'], count: 2 }],
};
