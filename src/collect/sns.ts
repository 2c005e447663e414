// SNS topics (GetTopicAttributes per topic) and subscriptions (GetSubscriptionAttributes per confirmed subscription).
//
// Pending subscriptions: ListSubscriptions returns them with SubscriptionArn `PendingConfirmation`, which is not an ARN
// and has no attributes to read. They are not inventory resources; how many a topic has is in the topic's
// `Attributes.SubscriptionsPending`, exactly as AWS reports it.
//
// Endpoints can carry secrets (webhook tokens in URLs) or personal data (e-mail addresses, phone numbers): they are
// reduced before they reach the inventory, and the copy in the subscription's attributes is dropped.
import {
  GetSubscriptionAttributesCommand, GetTopicAttributesCommand, ListSubscriptionsCommand, ListTopicsCommand, SNSClient,
  type Subscription,
} from '@aws-sdk/client-sns';
import { isNotFound, toGap } from '../aws/errors.js';
import { paginate } from '../aws/paginate.js';
import type { AccountRegion, PolicyDocument, SnsSubscription, SnsTopic } from '../model/index.js';
import { redactEndpoint } from './redact.js';
import type { CollectContext, Collector } from './types.js';

/** Topic attributes not kept in `Attributes`: the policy is parsed into `Policy`; delivery policies are bulky and unused. */
const DROPPED_TOPIC_ATTRIBUTES = new Set(['Policy', 'DeliveryPolicy', 'EffectiveDeliveryPolicy']);
/** Subscription attributes not kept: `Endpoint` is the unredacted endpoint (the reduced one is the resource's `Endpoint`). */
const DROPPED_SUBSCRIPTION_ATTRIBUTES = new Set(['Endpoint']);

export const snsCollector: Collector = {
  name: 'sns',
  kinds: ['AwsSnsTopic', 'AwsSnsSubscription'],
  scope: 'region',
  operations: ['sns:ListTopics', 'sns:GetTopicAttributes', 'sns:ListSubscriptions', 'sns:GetSubscriptionAttributes'],
  async collect(ctx) {
    const client = ctx.client(SNSClient);
    const ar = ctx.accountRegion();
    await Promise.all([collectTopics(ctx, client, ar), collectSubscriptions(ctx, client, ar)]);
  },
};

function setGap(resource: { gaps?: Record<string, ReturnType<typeof toGap>> }, field: string, operation: string, err: unknown): void {
  resource.gaps = { ...resource.gaps, [field]: toGap(operation, err) };
}

async function collectTopics(ctx: CollectContext, client: SNSClient, ar: AccountRegion): Promise<void> {
  let arns: string[];
  try {
    arns = await paginate(async (NextToken) => {
      const out = await client.send(new ListTopicsCommand({ NextToken }));
      return { items: (out.Topics ?? []).map((t) => t.TopicArn!), next: out.NextToken };
    });
  } catch (err) {
    ctx.listGap('AwsSnsTopic', ar.arn, 'sns:ListTopics', err, ar.name);
    // Counts is shared with other collectors; a missing count must not read as zero.
    setGap(ar, 'Counts', 'sns:ListTopics', err);
    return;
  }
  ar.Counts = { ...ar.Counts, snsTopics: arns.length };
  await Promise.all(arns.map((arn) => ctx.limit('sns', () => collectTopic(ctx, client, arn))));
}

async function collectTopic(ctx: CollectContext, client: SNSClient, TopicArn: string): Promise<void> {
  const topic: SnsTopic = {
    kind: 'AwsSnsTopic',
    arn: TopicArn,
    name: TopicArn.split(':').at(-1) ?? TopicArn,
    accountId: ctx.accountId,
    region: ctx.region,
    // Tags need sns:ListTagsForResource / tag:GetResources, which this collector does not call.
    tags: {},
    TopicArn,
  };
  try {
    const { Attributes = {} } = await client.send(new GetTopicAttributesCommand({ TopicArn }));
    topic.Attributes = Object.fromEntries(Object.entries(Attributes).filter(([k]) => !DROPPED_TOPIC_ATTRIBUTES.has(k)));
    try {
      topic.Policy = Attributes.Policy === undefined || Attributes.Policy === '' ? null : (JSON.parse(Attributes.Policy) as PolicyDocument);
    } catch (err) {
      setGap(topic, 'Policy', 'sns:GetTopicAttributes', err);
    }
  } catch (err) {
    // Deleted between ListTopics and GetTopicAttributes: nothing left to assess.
    if (isNotFound(err)) return;
    setGap(topic, 'Attributes', 'sns:GetTopicAttributes', err);
    setGap(topic, 'Policy', 'sns:GetTopicAttributes', err);
  }
  ctx.add(topic);
}

async function collectSubscriptions(ctx: CollectContext, client: SNSClient, ar: AccountRegion): Promise<void> {
  let subs: Subscription[];
  try {
    subs = await paginate(async (NextToken) => {
      const out = await client.send(new ListSubscriptionsCommand({ NextToken }));
      return { items: out.Subscriptions ?? [], next: out.NextToken };
    });
  } catch (err) {
    ctx.listGap('AwsSnsSubscription', ar.arn, 'sns:ListSubscriptions', err, ar.name);
    return;
  }
  // Only confirmed subscriptions have an ARN (pending ones read `PendingConfirmation`, see the header).
  const confirmed = subs.filter((s) => s.SubscriptionArn?.startsWith('arn:'));
  await Promise.all(confirmed.map((s) => ctx.limit('sns', () => collectSubscription(ctx, client, s))));
}

async function collectSubscription(ctx: CollectContext, client: SNSClient, s: Subscription): Promise<void> {
  const SubscriptionArn = s.SubscriptionArn!;
  const sub: SnsSubscription = {
    kind: 'AwsSnsSubscription',
    arn: SubscriptionArn,
    // `topic-name:subscription-id`
    name: SubscriptionArn.split(':').slice(5).join(':'),
    accountId: ctx.accountId,
    region: ctx.region,
    tags: {},
    SubscriptionArn,
    TopicArn: s.TopicArn,
    Owner: s.Owner,
    Protocol: s.Protocol,
    Endpoint: s.Endpoint === undefined ? undefined : redactEndpoint(s.Protocol, s.Endpoint),
  };
  try {
    const { Attributes = {} } = await client.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
    sub.Attributes = Object.fromEntries(Object.entries(Attributes).filter(([k]) => !DROPPED_SUBSCRIPTION_ATTRIBUTES.has(k)));
  } catch (err) {
    // Unsubscribed between ListSubscriptions and GetSubscriptionAttributes.
    if (isNotFound(err)) return;
    setGap(sub, 'Attributes', 'sns:GetSubscriptionAttributes', err);
  }
  ctx.add(sub);
}

export { redactEndpoint };
