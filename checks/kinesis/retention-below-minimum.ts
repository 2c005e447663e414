import { defineCheck, type CheckExamples } from '../../src/model/index.js';

const check = defineCheck({
  id: 'kinesis.retention-below-minimum',
  title: 'Kinesis stream keeps records for less than the minimum retention',
  description:
    'The retention period bounds how long a failing or stopped consumer has to recover before records are lost; the 24-hour default is a ' +
    'weekend outage away from data loss (SERVREL 5). Fails below minimumHours (168 h = 7 days, as FSBP Kinesis.3).',
  severity: 'MEDIUM',
  pillar: 'REL',
  lens: ['SERVREL 5'],
  lens2022: ['SERVREL 2'],
  resourceKind: 'AwsKinesisStream',
  uses: ['RetentionPeriodHours'],
  cost: 'E',
  options: { minimumHours: 168 },
  remediation: {
    text: 'Increase the retention period (aws kinesis increase-stream-retention-period --stream-name NAME --retention-period-hours 168); retention beyond 24 h is billed per shard hour.',
    url: 'https://docs.aws.amazon.com/streams/latest/dev/kinesis-extended-retention.html',
  },
  peers: {
    cspm: ['Kinesis.3'],
    config: ['kinesis-stream-backup-retention-check'],
    prowler: ['kinesis_stream_data_retention_period'],
  },
  evaluate(stream, ctx) {
    const hours = stream.RetentionPeriodHours;
    if (hours === undefined) return ctx.notAssessed(`Retention period of stream ${stream.name} was not collected.`);
    const min = Number(ctx.options.minimumHours);
    return hours >= min
      ? ctx.pass(`Stream ${stream.name} keeps records for ${hours} hours.`, { RetentionPeriodHours: hours })
      : ctx.fail(`Stream ${stream.name} keeps records for ${hours} hours, less than the minimum ${min}.`, { RetentionPeriodHours: hours, minimumHours: min });
  },
});
export default check;

export const examples: CheckExamples<'AwsKinesisStream'> = {
  pass: [{ resource: { RetentionPeriodHours: 168 } }],
  fail: [{ name: 'default 24 h', resource: { RetentionPeriodHours: 24 } }],
  notAssessed: [{ resource: { gaps: { RetentionPeriodHours: { operation: 'kinesis:DescribeStreamSummary', code: 'LimitExceededException', message: 'rate exceeded' } } } }],
};
