import { defineCheck, type CheckExamples } from '../../src/model/index.js';

function deadLetterTarget(redrivePolicy: string | undefined): string | undefined {
  if (!redrivePolicy) return undefined;
  try {
    return (JSON.parse(redrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn || undefined;
  } catch {
    return undefined;
  }
}

const check = defineCheck({
  id: 'sns.subscription-no-redrive',
  title: 'SNS subscription has no dead-letter queue',
  description:
    'When SNS cannot deliver to a subscriber (function throttled or deleted, queue policy wrong, endpoint down) it retries and then drops the ' +
    'message; a redrive policy keeps it in an SQS dead-letter queue (SERVREL 5; serverless-rules ES7000). Confirmed subscriptions only.',
  severity: 'MEDIUM',
  pillar: 'REL',
  lens: ['SERVREL 5'],
  lens2022: ['SERVREL 2'],
  resourceKind: 'AwsSnsSubscription',
  uses: ['Attributes', 'Protocol', 'TopicArn'],
  cost: 'E',
  remediation: {
    text: 'Create an SQS queue for undeliverable messages and set it on the subscription: aws sns set-subscription-attributes --attribute-name RedrivePolicy --attribute-value \'{"deadLetterTargetArn":"QUEUE_ARN"}\'.',
    url: 'https://docs.aws.amazon.com/sns/latest/dg/sns-dead-letter-queues.html',
  },
  peers: { serverlessRules: ['ES7000'] },
  evaluate(sub, ctx) {
    if (!sub.Attributes) return ctx.notAssessed(`Attributes of subscription ${sub.name} were not collected.`);
    if (sub.Attributes.PendingConfirmation === 'true') return;
    const label = `${sub.Protocol ?? '?'} subscription ${sub.name}`;
    const dlq = deadLetterTarget(sub.Attributes.RedrivePolicy);
    return dlq
      ? ctx.pass(`The ${label} sends undeliverable messages to ${dlq}.`)
      : ctx.fail(`The ${label} has no dead-letter queue: undeliverable messages are dropped after retries.`, { RedrivePolicy: sub.Attributes.RedrivePolicy ?? null });
  },
});
export default check;

export const examples: CheckExamples<'AwsSnsSubscription'> = {
  pass: [
    { resource: { Protocol: 'lambda', Attributes: { PendingConfirmation: 'false', RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:111122223333:sns-dlq"}' } } },
    { name: 'pending: does not apply', resource: { Protocol: 'https', Attributes: { PendingConfirmation: 'true' } }, count: 0 },
  ],
  fail: [{ resource: { Protocol: 'sqs', Attributes: { PendingConfirmation: 'false', RawMessageDelivery: 'true' } } }],
  notAssessed: [{ resource: { Protocol: 'lambda', gaps: { Attributes: { operation: 'sns:GetSubscriptionAttributes', code: 'Throttling', message: 'rate' } } } }],
};
