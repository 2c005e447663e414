import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { inServerlessScope, SERVERLESS_NAMESPACES } from '../lib/alarm-scope.js';

const check = defineCheck({
  id: 'alarm.actions-disabled',
  title: 'CloudWatch alarm on a serverless metric has its actions disabled',
  description:
    'With ActionsEnabled false an alarm changes state but runs none of its actions, so nobody is notified (SERVOPS 1). ' +
    'Alarms on AWS/Lambda, AWS/ApiGateway, AWS/DynamoDB, AWS/Kinesis, AWS/SNS and AWS/States metrics (option namespaces), and composites built on them.',
  severity: 'HIGH',
  pillar: 'OPS',
  lens: ['SERVOPS 1'],
  lens2022: ['SERVOPS 1'],
  resourceKind: 'AwsCloudWatchAlarm',
  uses: ['ActionsEnabled', 'AlarmType', 'AlarmName', 'AlarmArn', 'AlarmRule', 'Namespace', 'Metrics'],
  needs: ['AwsCloudWatchAlarm'],
  cost: 'C',
  options: { namespaces: SERVERLESS_NAMESPACES },
  remediation: {
    text: 'Enable the alarm actions (aws cloudwatch enable-alarm-actions --alarm-names NAME), or delete the alarm if it is no longer wanted.',
    url: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_EnableAlarmActions.html',
  },
  peers: {
    cspm: ['CloudWatch.17'],
    config: ['cloudwatch-alarm-action-enabled-check'],
    trustedAdvisor: ['c18d2gz109'],
    prowler: ['cloudwatch_alarm_actions_enabled'],
  },
  evaluate(alarm, ctx) {
    if (!inServerlessScope(alarm, ctx.list('AwsCloudWatchAlarm'), ctx.options.namespaces as string[])) return;
    if (alarm.ActionsEnabled === undefined) return ctx.notAssessed(`ActionsEnabled of alarm ${alarm.name} is unknown.`);
    return alarm.ActionsEnabled
      ? ctx.pass(`Alarm ${alarm.name} has its actions enabled.`)
      : ctx.fail(`Alarm ${alarm.name} has its actions disabled (ActionsEnabled false).`, { ActionsEnabled: false });
  },
});
export default check;

const lambdaAlarm = { Namespace: 'AWS/Lambda', MetricName: 'Throttles' };

export const examples: CheckExamples<'AwsCloudWatchAlarm'> = {
  pass: [{ resource: { ...lambdaAlarm, ActionsEnabled: true } }],
  fail: [
    { resource: { ...lambdaAlarm, ActionsEnabled: false } },
    {
      name: 'metric-math alarm',
      resource: { ActionsEnabled: false, Metrics: [{ Id: 'm', MetricStat: { Metric: { Namespace: 'AWS/DynamoDB', MetricName: 'ReadThrottleEvents' }, Period: 60, Stat: 'Sum' } }] },
    },
  ],
  notAssessed: [{ resource: { ...lambdaAlarm, gaps: { ActionsEnabled: { operation: 'cloudwatch:DescribeAlarms', code: 'Throttling', message: 'rate' } } } }],
};
