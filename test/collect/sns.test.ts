import {
  AuthorizationErrorException, GetSubscriptionAttributesCommand, GetTopicAttributesCommand, ListSubscriptionsCommand, ListTopicsCommand, NotFoundException,
  SNSClient,
} from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { redactEndpoint, snsCollector } from '../../src/collect/sns.js';
import { makeContext } from './harness.js';

const mock = mockClient(SNSClient);
afterAll(() => mock.restore());
beforeEach(() => mock.reset());

const T = (n: string) => `arn:aws:sns:us-east-1:123456789012:${n}`;
const S = (topic: string, id: string) => `${T(topic)}:${id}`;
// SNS answers a denied call with the AuthorizationError code (AuthorizationErrorException in the SDK).
const denied = (op: string) =>
  new AuthorizationErrorException({
    message: `User: arn:aws:iam::123456789012:user/audit is not authorized to perform: SNS:${op}`,
    $metadata: { httpStatusCode: 403 },
  });

const POLICY = {
  Version: '2008-10-17',
  Id: '__default_policy_ID',
  Statement: [{ Sid: '__default_statement_ID', Effect: 'Allow', Principal: { AWS: '*' }, Action: ['SNS:Publish'], Resource: T('orders'), Condition: { StringEquals: { 'AWS:SourceOwner': '123456789012' } } }],
};

function happyPath() {
  mock.on(ListTopicsCommand).resolves({ Topics: [{ TopicArn: T('orders') }, { TopicArn: T('alerts') }], NextToken: 'topics-2' });
  mock.on(ListTopicsCommand, { NextToken: 'topics-2' }).resolves({ Topics: [{ TopicArn: T('plain') }] });
  mock.on(GetTopicAttributesCommand, { TopicArn: T('orders') }).resolves({
    Attributes: {
      TopicArn: T('orders'), Owner: '123456789012', DisplayName: '', SubscriptionsConfirmed: '4', SubscriptionsPending: '1', SubscriptionsDeleted: '0',
      KmsMasterKeyId: 'alias/aws/sns', LambdaFailureFeedbackRoleArn: 'arn:aws:iam::123456789012:role/sns-feedback',
      Policy: JSON.stringify(POLICY),
      DeliveryPolicy: '{"http":{"defaultHealthyRetryPolicy":{"numRetries":3}}}',
      EffectiveDeliveryPolicy: '{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3}}}',
    },
  });
  mock.on(GetTopicAttributesCommand, { TopicArn: T('alerts') }).rejects(denied('GetTopicAttributes'));
  mock.on(GetTopicAttributesCommand, { TopicArn: T('plain') }).resolves({
    Attributes: { TopicArn: T('plain'), Owner: '123456789012', SubscriptionsConfirmed: '0', SubscriptionsPending: '0', SubscriptionsDeleted: '0' },
  });

  mock.on(ListSubscriptionsCommand).resolves({
    Subscriptions: [
      { SubscriptionArn: S('orders', 'aaaa-1'), Owner: '123456789012', Protocol: 'https', TopicArn: T('orders'),
        Endpoint: 'https://hooks.example.com/notify?token=query-token-abc123&x=1' },
      { SubscriptionArn: S('orders', 'bbbb-2'), Owner: '123456789012', Protocol: 'http', TopicArn: T('orders'),
        Endpoint: 'http://alice:userinfo-pw@legacy.example.com:8080/in' },
      { SubscriptionArn: 'PendingConfirmation', Owner: '123456789012', Protocol: 'https', TopicArn: T('orders'),
        Endpoint: 'https://pending.example.com/hook?key=pending-secret' },
    ],
    NextToken: 'subs-2',
  });
  mock.on(ListSubscriptionsCommand, { NextToken: 'subs-2' }).resolves({
    Subscriptions: [
      { SubscriptionArn: S('orders', 'cccc-3'), Owner: '123456789012', Protocol: 'email', TopicArn: T('orders'), Endpoint: 'jane.doe@example.com' },
      { SubscriptionArn: S('orders', 'dddd-4'), Owner: '123456789012', Protocol: 'lambda', TopicArn: T('orders'),
        Endpoint: 'arn:aws:lambda:us-east-1:123456789012:function:consume' },
      { SubscriptionArn: S('alerts', 'eeee-5'), Owner: '123456789012', Protocol: 'sms', TopicArn: T('alerts'), Endpoint: '+15555550123' },
    ],
  });
  mock.on(GetSubscriptionAttributesCommand).callsFake((input: { SubscriptionArn: string }) => ({
    Attributes: {
      SubscriptionArn: input.SubscriptionArn, TopicArn: T('orders'), Owner: '123456789012', PendingConfirmation: 'false',
      ConfirmationWasAuthenticated: 'true', RawMessageDelivery: 'false',
      // GetSubscriptionAttributes repeats the full endpoint.
      Endpoint: 'https://hooks.example.com/notify?token=query-token-abc123&x=1',
    },
  }));
  mock.on(GetSubscriptionAttributesCommand, { SubscriptionArn: S('orders', 'dddd-4') }).resolves({
    Attributes: {
      SubscriptionArn: S('orders', 'dddd-4'), TopicArn: T('orders'), Owner: '123456789012', Protocol: 'lambda', PendingConfirmation: 'false',
      Endpoint: 'arn:aws:lambda:us-east-1:123456789012:function:consume',
      RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:dlq"}',
      FilterPolicy: '{"type":["order"]}', FilterPolicyScope: 'MessageAttributes',
    },
  });
  mock.on(GetSubscriptionAttributesCommand, { SubscriptionArn: S('alerts', 'eeee-5') }).rejects(denied('GetSubscriptionAttributes'));
}

describe('sns collector', () => {
  it('collects topics over pages, with attributes and the parsed policy; a denied topic gets gaps only', async () => {
    happyPath();
    const { ctx, region } = makeContext();
    await snsCollector.collect(ctx);

    const topics = region.resources.AwsSnsTopic ?? [];
    expect(topics.map((t) => t.arn).sort()).toEqual([T('alerts'), T('orders'), T('plain')]);
    const by = Object.fromEntries(topics.map((t) => [t.name, t]));
    expect(by.orders!.Policy).toEqual(POLICY);
    expect(by.orders!.Attributes).toEqual({
      TopicArn: T('orders'), Owner: '123456789012', DisplayName: '', SubscriptionsConfirmed: '4', SubscriptionsPending: '1', SubscriptionsDeleted: '0',
      KmsMasterKeyId: 'alias/aws/sns', LambdaFailureFeedbackRoleArn: 'arn:aws:iam::123456789012:role/sns-feedback',
    });
    expect(by.plain!.Policy).toBeNull();
    expect(by.plain!.gaps).toBeUndefined();
    expect(by.alerts!.Attributes).toBeUndefined();
    expect(by.alerts!.gaps).toEqual({
      Attributes: expect.objectContaining({ operation: 'sns:GetTopicAttributes', code: 'AuthorizationErrorException' }),
      Policy: expect.objectContaining({ operation: 'sns:GetTopicAttributes', code: 'AuthorizationErrorException' }),
    });
    expect(region.resources.AwsAccountRegion![0]!.Counts).toEqual({ snsTopics: 3 });
  });

  it('keeps confirmed subscriptions only, with reduced endpoints and attributes; a denied one gets a gap', async () => {
    happyPath();
    const { ctx, region, factory } = makeContext();
    await snsCollector.collect(ctx);

    const subs = region.resources.AwsSnsSubscription ?? [];
    expect(subs.map((s) => s.arn).sort()).toEqual([S('alerts', 'eeee-5'), S('orders', 'aaaa-1'), S('orders', 'bbbb-2'), S('orders', 'cccc-3'), S('orders', 'dddd-4')]);
    const by = Object.fromEntries(subs.map((s) => [s.arn, s]));
    expect(by[S('orders', 'aaaa-1')]).toMatchObject({ name: 'orders:aaaa-1', Protocol: 'https', TopicArn: T('orders'), Endpoint: 'https://hooks.example.com/notify' });
    expect(by[S('orders', 'bbbb-2')]!.Endpoint).toBe('http://legacy.example.com:8080/in');
    expect(by[S('orders', 'cccc-3')]!.Endpoint).toBe('*@example.com');
    expect(by[S('orders', 'dddd-4')]).toMatchObject({
      Endpoint: 'arn:aws:lambda:us-east-1:123456789012:function:consume',
      Attributes: { RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:dlq"}', FilterPolicy: '{"type":["order"]}', PendingConfirmation: 'false' },
    });
    expect(by[S('orders', 'aaaa-1')]!.Attributes).toMatchObject({ PendingConfirmation: 'false', RawMessageDelivery: 'false' });
    expect(by[S('orders', 'aaaa-1')]!.Attributes).not.toHaveProperty('Endpoint');
    const sms = by[S('alerts', 'eeee-5')]!;
    expect(sms.Endpoint).toBe('*');
    expect(sms.Attributes).toBeUndefined();
    expect(sms.gaps).toEqual({ Attributes: expect.objectContaining({ operation: 'sns:GetSubscriptionAttributes', code: 'AuthorizationErrorException' }) });
    for (const s of subs.filter((x) => x !== sms)) expect(s.gaps).toBeUndefined();

    // The pending subscription is not a resource and its attributes are never requested.
    expect(mock.commandCalls(GetSubscriptionAttributesCommand).map((c) => c.args[0].input.SubscriptionArn)).not.toContain('PendingConfirmation');
    expect(factory.counter.calls).toEqual({
      'sns:ListTopics': 2, 'sns:GetTopicAttributes': 3, 'sns:ListSubscriptions': 2, 'sns:GetSubscriptionAttributes': 5,
    });

    // Tokens, passwords, e-mail local parts and phone numbers never reach the inventory.
    const json = JSON.stringify(region);
    for (const secret of ['query-token-abc123', 'token=', 'userinfo-pw', 'alice', 'jane.doe', '5555550123', 'pending-secret']) {
      expect(json, secret).not.toContain(secret);
    }
  });

  it('records list gaps per list call: topics still collected when ListSubscriptions fails, and vice versa', async () => {
    happyPath();
    mock.on(ListSubscriptionsCommand).rejects(denied('ListSubscriptions'));
    const a = makeContext();
    await snsCollector.collect(a.ctx);
    const ar = a.ctx.accountRegion();
    expect(a.region.listGaps).toEqual([expect.objectContaining({ kind: 'AwsSnsSubscription', scopeArn: ar.arn, operation: 'sns:ListSubscriptions' })]);
    expect(a.region.resources.AwsSnsTopic).toHaveLength(3);

    mock.reset();
    mock.on(ListTopicsCommand).rejects(denied('ListTopics'));
    mock.on(ListSubscriptionsCommand).resolves({ Subscriptions: [] });
    const b = makeContext();
    await snsCollector.collect(b.ctx);
    const ar2 = b.ctx.accountRegion();
    expect(b.region.listGaps).toEqual([expect.objectContaining({ kind: 'AwsSnsTopic', scopeArn: ar2.arn, operation: 'sns:ListTopics', code: 'AuthorizationErrorException' })]);
    expect(ar2.Counts).toBeUndefined();
    expect(ar2.gaps?.Counts).toMatchObject({ operation: 'sns:ListTopics' });
  });

  it('drops a topic deleted between ListTopics and GetTopicAttributes, and gaps an unparseable policy', async () => {
    mock.on(ListTopicsCommand).resolves({ Topics: [{ TopicArn: T('gone') }, { TopicArn: T('odd') }] });
    mock.on(GetTopicAttributesCommand, { TopicArn: T('gone') }).rejects(new NotFoundException({ message: 'Topic does not exist', $metadata: {} }));
    mock.on(GetTopicAttributesCommand, { TopicArn: T('odd') }).resolves({ Attributes: { TopicArn: T('odd'), Policy: '{broken' } });
    mock.on(ListSubscriptionsCommand).resolves({ Subscriptions: [] });
    const { ctx, region } = makeContext();
    await snsCollector.collect(ctx);
    const topics = region.resources.AwsSnsTopic ?? [];
    expect(topics.map((t) => t.name)).toEqual(['odd']);
    expect(topics[0]!.Attributes).toEqual({ TopicArn: T('odd') });
    expect(topics[0]!.Policy).toBeUndefined();
    expect(topics[0]!.gaps?.Policy).toMatchObject({ operation: 'sns:GetTopicAttributes', code: 'SyntaxError' });
  });
});

describe('redactEndpoint', () => {
  it('reduces URLs, e-mail addresses and phone numbers, and keeps ARNs', () => {
    expect(redactEndpoint('https', 'https://u:p@h.example.com/a/b?c=d#e')).toBe('https://h.example.com/a/b');
    expect(redactEndpoint('email-json', 'ops@corp.example')).toBe('*@corp.example');
    expect(redactEndpoint('sms', '+15555550123')).toBe('*');
    expect(redactEndpoint('sqs', 'arn:aws:sqs:us-east-1:123456789012:q')).toBe('arn:aws:sqs:us-east-1:123456789012:q');
    expect(redactEndpoint('future-protocol', 'https://h.example.com/x?secret=1')).toBe('https://h.example.com/x');
  });
});
