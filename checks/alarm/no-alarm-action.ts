import { defineCheck, type CheckExamples, type CloudWatchAlarm } from '../../src/model/index.js';
import { inServerlessScope, parentsOf, SERVERLESS_NAMESPACES } from '../lib/alarm-scope.js';

/** Does the alarm notify someone itself, or through a composite parent (at any depth) that does? */
function notifier(alarm: CloudWatchAlarm, all: readonly CloudWatchAlarm[], seen = new Set<string>()): string | undefined {
  if (seen.has(alarm.AlarmArn)) return undefined;
  seen.add(alarm.AlarmArn);
  if ((alarm.AlarmActions ?? []).length > 0) return alarm.AlarmName;
  for (const parent of parentsOf(alarm, all)) {
    const found = notifier(parent, all, seen);
    if (found) return found;
  }
  return undefined;
}

const check = defineCheck({
  id: 'alarm.no-alarm-action',
  title: 'CloudWatch alarm on a serverless metric notifies no one',
  description:
    'An alarm without an action in the ALARM state changes colour on a dashboard and nothing else: nobody is told (SERVOPS 1). ' +
    'An alarm counts as notifying when it has AlarmActions or a composite alarm that uses it has. Alarms on AWS/Lambda, ' +
    'AWS/ApiGateway, AWS/DynamoDB, AWS/Kinesis, AWS/SNS and AWS/States metrics (option namespaces), and composites built on them.',
  severity: 'HIGH',
  pillar: 'OPS',
  lens: ['SERVOPS 1'],
  lens2022: ['SERVOPS 1'],
  resourceKind: 'AwsCloudWatchAlarm',
  uses: ['AlarmActions', 'AlarmType', 'AlarmName', 'AlarmArn', 'AlarmRule', 'Namespace', 'Metrics'],
  needs: ['AwsCloudWatchAlarm'],
  cost: 'C',
  options: { namespaces: SERVERLESS_NAMESPACES },
  remediation: {
    text: 'Add an alarm action (usually an SNS topic that reaches the on-call team: aws cloudwatch put-metric-alarm ... --alarm-actions TOPIC_ARN), or use the alarm in a composite alarm that has one.',
    url: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html',
  },
  peers: {
    cspm: ['CloudWatch.15'],
    config: ['cloudwatch-alarm-action-check'],
    prowler: ['cloudwatch_alarm_actions_alarm_state_configured'],
  },
  evaluate(alarm, ctx) {
    const all = ctx.list('AwsCloudWatchAlarm');
    if (!inServerlessScope(alarm, all, ctx.options.namespaces as string[])) return;
    const via = notifier(alarm, all);
    if (!via) return ctx.fail(`Alarm ${alarm.name} has no alarm action and no composite alarm with one uses it.`, { AlarmActions: [] });
    return via === alarm.AlarmName
      ? ctx.pass(`Alarm ${alarm.name} notifies ${alarm.AlarmActions!.join(', ')}.`)
      : ctx.pass(`Alarm ${alarm.name} notifies through composite alarm ${via}.`, { via });
  },
});
export default check;

const metricAlarm = { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'orders' }] };
const composite = (name: string, rule: string, actions: string[]) => ({
  kind: 'AwsCloudWatchAlarm' as const, name, AlarmName: name, AlarmType: 'CompositeAlarm' as const, AlarmRule: rule, AlarmActions: actions,
  arn: `arn:aws:cloudwatch:us-east-1:111122223333:alarm:${name}`, AlarmArn: `arn:aws:cloudwatch:us-east-1:111122223333:alarm:${name}`,
});

export const examples: CheckExamples<'AwsCloudWatchAlarm'> = {
  pass: [
    { name: 'own action', resource: { ...metricAlarm, AlarmActions: ['arn:aws:sns:us-east-1:111122223333:oncall'] } },
    {
      name: 'through a composite parent',
      resource: { ...metricAlarm, AlarmActions: [] },
      others: [composite('service-health', 'ALARM("example") OR ALARM(other)', ['arn:aws:sns:us-east-1:111122223333:oncall'])],
    },
    { name: 'EC2 alarm: out of scope', resource: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', AlarmActions: [] }, count: 0 },
  ],
  fail: [
    { name: 'no action', resource: { ...metricAlarm, AlarmActions: [] } },
    { name: 'composite parent without action either', resource: { ...metricAlarm, AlarmActions: [] }, others: [composite('group', 'ALARM(example)', [])] },
  ],
  notAssessed: [{ resource: { ...metricAlarm, AlarmActions: [] }, listGaps: ['AwsCloudWatchAlarm'], count: 2 }],
};
