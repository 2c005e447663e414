import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { derived } from '../lib/memo.js';

/** Subscription protocol → topic attribute that turns on delivery-status logging for it. */
const FEEDBACK_ATTRIBUTE: Record<string, string> = {
  lambda: 'LambdaFailureFeedbackRoleArn',
  sqs: 'SQSFailureFeedbackRoleArn',
  http: 'HTTPFailureFeedbackRoleArn',
  https: 'HTTPFailureFeedbackRoleArn',
  firehose: 'FirehoseFailureFeedbackRoleArn',
  application: 'ApplicationFailureFeedbackRoleArn',
};

const check = defineCheck({
  id: 'sns.no-delivery-status-logging',
  title: 'SNS topic does not log failed deliveries',
  description:
    'Without delivery-status logging a message that SNS could not deliver to a function, queue or endpoint leaves no trace beyond a metric ' +
    '(SERVOPS 1). Fails when none of the topic protocols in use (lambda, sqs, http/s, firehose, application) has its ' +
    '<Protocol>FailureFeedbackRoleArn set. Topics with no such subscriptions are skipped. FSBP SNS.2 was retired in April 2024.',
  severity: 'LOW',
  pillar: 'OPS',
  lens: ['SERVOPS 1'],
  lens2022: ['SERVOPS 1'],
  resourceKind: 'AwsSnsTopic',
  uses: ['Attributes'],
  needs: ['AwsSnsSubscription'],
  cost: 'E',
  remediation: {
    text: 'Set the failure feedback role (and optionally a success sample rate) for the protocols the topic delivers to, e.g. aws sns set-topic-attributes --attribute-name LambdaFailureFeedbackRoleArn --attribute-value ROLE_ARN.',
    url: 'https://docs.aws.amazon.com/sns/latest/dg/sns-topic-attributes.html',
  },
  peers: {
    cspm: ['SNS.2'],
    config: ['sns-topic-message-delivery-notification-enabled'],
    trustedAdvisor: ['c18d2gz121'],
  },
  evaluate(topic, ctx) {
    if (!topic.Attributes) return ctx.notAssessed(`Attributes of topic ${topic.name} were not collected.`);
    const all = ctx.list('AwsSnsSubscription');
    const byTopic = derived(all, 'protocols-per-topic', () => {
      const m = new Map<string, Set<string>>();
      for (const s of all) m.set(s.TopicArn ?? '', (m.get(s.TopicArn ?? '') ?? new Set()).add(s.Protocol ?? ''));
      return m;
    });
    const protocols = [...(byTopic.get(topic.arn) ?? [])]
      .filter((p) => FEEDBACK_ATTRIBUTE[p])
      .sort();
    if (protocols.length === 0) return;
    const logged = protocols.filter((p) => topic.Attributes![FEEDBACK_ATTRIBUTE[p]!]);
    const evidence = { protocols, logged, notLogged: protocols.filter((p) => !logged.includes(p)) };
    return logged.length > 0
      ? ctx.pass(`Topic ${topic.name} logs delivery status for ${logged.join(', ')}.`, evidence)
      : ctx.fail(`Topic ${topic.name} delivers to ${protocols.join(', ')} but logs no delivery status for any of them.`, evidence);
  },
});
export default check;

const sub = (Protocol: string) => ({ kind: 'AwsSnsSubscription' as const, name: `example:${Protocol}`, arn: `arn:aws:sns:us-east-1:111122223333:example:${Protocol}`, TopicArn: 'arn:aws:sns:us-east-1:111122223333:example', Protocol });

export const examples: CheckExamples<'AwsSnsTopic'> = {
  pass: [
    { resource: { Attributes: { LambdaFailureFeedbackRoleArn: 'arn:aws:iam::111122223333:role/sns-logs' } }, others: [sub('lambda')] },
    { name: 'e-mail only: does not apply', resource: { Attributes: {} }, others: [sub('email')], count: 0 },
  ],
  fail: [{ resource: { Attributes: { SubscriptionsConfirmed: '2' } }, others: [sub('lambda'), sub('sqs')] }],
  notAssessed: [
    { name: 'subscriptions not listed', resource: { Attributes: {} }, listGaps: ['AwsSnsSubscription'] },
    { name: 'attributes unreadable', resource: { gaps: { Attributes: { operation: 'sns:GetTopicAttributes', code: 'AuthorizationError', message: 'denied' } } } },
  ],
};
