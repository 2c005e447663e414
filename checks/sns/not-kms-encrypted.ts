import { defineCheck, type CheckExamples } from '../../src/model/index.js';

const check = defineCheck({
  id: 'sns.not-kms-encrypted',
  title: 'SNS topic is not encrypted with KMS',
  description:
    'Without KmsMasterKeyId, messages waiting for delivery are stored with SNS-managed encryption only, outside your key policy and ' +
    'audit trail. Server-side encryption with a KMS key (alias/aws/sns or a customer key) puts them under KMS. Lens SERVSEC 6.',
  severity: 'MEDIUM',
  pillar: 'SEC',
  lens: ['SERVSEC 6'],
  lens2022: [],
  resourceKind: 'AwsSnsTopic',
  uses: ['Attributes'],
  cost: 'E',
  remediation: {
    text: 'Set the topic attribute KmsMasterKeyId (aws sns set-topic-attributes --topic-arn ARN --attribute-name KmsMasterKeyId --attribute-value alias/aws/sns, or a customer managed key whose policy lets the publishers and SNS use it).',
    url: 'https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html',
  },
  peers: {
    config: ['sns-encrypted-kms'],
    cspm: ['SNS.1'],
    prowler: ['sns_topics_kms_encryption_at_rest_enabled'],
  },
  evaluate(topic, ctx) {
    const attrs = topic.Attributes;
    if (attrs === undefined) return ctx.notAssessed(`The attributes of topic ${topic.name} were not collected.`);
    const key = attrs.KmsMasterKeyId;
    return key
      ? ctx.pass(`Topic ${topic.name} is encrypted with KMS key ${key}.`, { KmsMasterKeyId: key })
      : ctx.fail(`Topic ${topic.name} has no KMS key (KmsMasterKeyId not set).`);
  },
});
export default check;

export const examples: CheckExamples<'AwsSnsTopic'> = {
  pass: [{ resource: { Attributes: { KmsMasterKeyId: 'alias/aws/sns', DisplayName: '' } } }],
  fail: [
    { resource: { Attributes: { DisplayName: 'alerts', SubscriptionsConfirmed: '2' } } },
    { name: 'empty key id', resource: { Attributes: { KmsMasterKeyId: '' } } },
  ],
  notAssessed: [
    { name: 'GetTopicAttributes denied', resource: { gaps: { Attributes: { operation: 'sns:GetTopicAttributes', code: 'AuthorizationError', message: 'not authorized' } } } },
    { name: 'not collected', resource: {} },
  ],
};
