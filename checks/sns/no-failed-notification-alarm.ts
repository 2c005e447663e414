import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { alarmCoverage, describeTarget, type AlarmTarget } from '../lib/alarms.js';

const check = defineCheck({
  id: 'sns.no-failed-notification-alarm',
  title: 'SNS topic with subscribers has no failed-delivery alarm',
  description:
    'NumberOfNotificationsFailed counts messages SNS gave up delivering; without an alarm on it (TopicName=<topic>) lost events go unnoticed ' +
    '(SERVOPS 1). Topics without confirmed subscriptions are skipped. Aggregate alarms with no dimensions count only with countAggregateAlarms.',
  severity: 'LOW',
  pillar: 'OPS',
  lens: ['SERVOPS 1'],
  lens2022: ['SERVOPS 1'],
  resourceKind: 'AwsSnsTopic',
  uses: ['Attributes'],
  needs: ['AwsCloudWatchAlarm'],
  cost: 'C',
  options: { countAggregateAlarms: false },
  remediation: {
    text: 'Create a CloudWatch alarm on AWS/SNS NumberOfNotificationsFailed with dimension TopicName=<topic>, Sum > 0, and add dead-letter queues to the subscriptions.',
    url: 'https://docs.aws.amazon.com/sns/latest/dg/sns-monitoring-using-cloudwatch.html',
  },
  peers: {},
  evaluate(topic, ctx) {
    const confirmed = Number(topic.Attributes?.SubscriptionsConfirmed ?? NaN);
    if (Number.isNaN(confirmed)) return ctx.notAssessed(`Subscription count of topic ${topic.name} is unknown.`);
    if (confirmed === 0) return;
    const target: AlarmTarget = { namespace: 'AWS/SNS', metricNames: ['NumberOfNotificationsFailed'], dimensions: { TopicName: topic.name } };
    const { covering, aggregateNotCounted } = alarmCoverage(ctx.list('AwsCloudWatchAlarm'), target, { countAggregateAlarms: ctx.options.countAggregateAlarms as boolean });
    if (covering.length > 0) return ctx.pass(`Topic ${topic.name} has a failed-delivery alarm: ${covering.join(', ')}.`, { alarms: covering });
    return ctx.fail(`Topic ${topic.name} has ${confirmed} subscription(s) but no alarm watches ${describeTarget(target)}.`, {
      metric: describeTarget(target),
      ...(aggregateNotCounted.length > 0 ? { aggregateAlarmsNotCounted: aggregateNotCounted } : {}),
    });
  },
});
export default check;

const alarm = (Dimensions: { Name: string; Value: string }[]) => ({ kind: 'AwsCloudWatchAlarm' as const, name: 'failed', AlarmName: 'failed', Namespace: 'AWS/SNS', MetricName: 'NumberOfNotificationsFailed', Dimensions });

export const examples: CheckExamples<'AwsSnsTopic'> = {
  pass: [
    { resource: { Attributes: { SubscriptionsConfirmed: '2' } }, others: [alarm([{ Name: 'TopicName', Value: 'example' }])] },
    { name: 'aggregate alarm counted when configured', resource: { Attributes: { SubscriptionsConfirmed: '1' } }, others: [alarm([])], options: { countAggregateAlarms: true } },
    { name: 'no subscribers: does not apply', resource: { Attributes: { SubscriptionsConfirmed: '0' } }, count: 0 },
  ],
  fail: [{ resource: { Attributes: { SubscriptionsConfirmed: '3' } }, others: [alarm([])] }],
  notAssessed: [
    { name: 'alarms not listed', resource: { Attributes: { SubscriptionsConfirmed: '1' } }, listGaps: ['AwsCloudWatchAlarm'] },
    { name: 'attributes unreadable', resource: { gaps: { Attributes: { operation: 'sns:GetTopicAttributes', code: 'AuthorizationError', message: 'denied' } } } },
  ],
};
