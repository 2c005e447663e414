import { defineCheck, type CheckExamples } from '../../src/model/index.js';

const check = defineCheck({
  id: 'logs.not-kms-encrypted',
  title: 'Serverless log group is not encrypted with a KMS key',
  description:
    'Function and API logs often carry request data. A customer managed KMS key lets you control and audit who can read them, and revoke access ' +
    '(SERVSEC 6). CloudWatch Logs encrypts every group at rest either way; this checks for a KMS key of your own.',
  severity: 'LOW',
  pillar: 'SEC',
  lens: ['SERVSEC 6'],
  resourceKind: 'AwsLogsLogGroup',
  uses: ['kmsKeyId'],
  cost: 'C',
  remediation: {
    text: 'Associate a KMS key with the log group (aws logs associate-kms-key --log-group-name NAME --kms-key-id KEY_ARN); the key policy must allow the logs service principal.',
    url: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html',
  },
  peers: { config: ['cloudwatch-log-group-encrypted'], prowler: ['cloudwatch_log_group_kms_encryption_enabled'] },
  evaluate(group, ctx) {
    return group.kmsKeyId
      ? ctx.pass(`Log group ${group.name} is encrypted with ${group.kmsKeyId}.`)
      : ctx.fail(`Log group ${group.name} has no KMS key.`, { kmsKeyId: null });
  },
});
export default check;

export const examples: CheckExamples<'AwsLogsLogGroup'> = {
  pass: [{ resource: { kmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' } }],
  fail: [{ resource: {} }],
  notAssessed: [{ resource: { gaps: { kmsKeyId: { operation: 'logs:DescribeLogGroups', code: 'AccessDeniedException', message: 'denied' } } } }],
};
