import { defineCheck, type CheckExamples } from '../../src/model/index.js';

const check = defineCheck({
  id: 'kinesis.not-encrypted',
  title: 'Kinesis data stream is not encrypted at rest',
  description:
    'With EncryptionType NONE, records are stored unencrypted in the stream for its whole retention period. ' +
    'Server-side encryption with KMS (the AWS managed key aws/kinesis or a customer key) is transparent to producers and consumers. Lens SERVSEC 6.',
  severity: 'MEDIUM',
  pillar: 'SEC',
  lens: ['SERVSEC 6'],
  lens2022: [],
  resourceKind: 'AwsKinesisStream',
  uses: ['EncryptionType'],
  cost: 'E',
  remediation: {
    text: 'Start server-side encryption on the stream (aws kinesis start-stream-encryption --stream-name NAME --encryption-type KMS --key-id alias/aws/kinesis, or a customer managed key).',
    url: 'https://docs.aws.amazon.com/streams/latest/dev/server-side-encryption.html',
  },
  peers: {
    config: ['kinesis-stream-encrypted'],
    cspm: ['Kinesis.1'],
    prowler: ['kinesis_stream_encrypted_at_rest'],
  },
  evaluate(stream, ctx) {
    const type = stream.EncryptionType;
    if (type === undefined) return ctx.notAssessed(`The encryption settings of stream ${stream.name} were not collected.`);
    return type === 'NONE'
      ? ctx.fail(`Stream ${stream.name} is not encrypted at rest (EncryptionType NONE).`, { EncryptionType: type })
      : ctx.pass(`Stream ${stream.name} is encrypted at rest (${type}).`, { EncryptionType: type });
  },
});
export default check;

export const examples: CheckExamples<'AwsKinesisStream'> = {
  pass: [{ resource: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' } }],
  fail: [{ resource: { EncryptionType: 'NONE' } }],
  notAssessed: [
    { name: 'DescribeStreamSummary denied', resource: { gaps: { EncryptionType: { operation: 'kinesis:DescribeStreamSummary', code: 'AccessDeniedException', message: 'denied' } } } },
    { name: 'not collected', resource: {} },
  ],
};
