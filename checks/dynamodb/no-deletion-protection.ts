import { defineCheck, type CheckExamples } from '../../src/model/index.js';

const check = defineCheck({
  id: 'dynamodb.no-deletion-protection',
  title: 'DynamoDB table has deletion protection off',
  description:
    'Without deletion protection one DeleteTable call (a mistaken script, a stack teardown) destroys the table and its data (SERVREL 5).',
  severity: 'MEDIUM',
  pillar: 'REL',
  lens: ['SERVREL 5'],
  lens2022: ['SERVREL 2'],
  resourceKind: 'AwsDynamoDbTable',
  uses: ['DeletionProtectionEnabled'],
  cost: 'E',
  remediation: {
    text: 'Turn deletion protection on (aws dynamodb update-table --table-name NAME --deletion-protection-enabled), and in CloudFormation set DeletionProtectionEnabled plus a Retain policy.',
    url: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithTables.Basics.html#WorkingWithTables.Basics.DeletionProtection',
  },
  peers: {
    cspm: ['DynamoDB.6'],
    config: ['dynamodb-table-deletion-protection-enabled'],
    prowler: ['dynamodb_table_deletion_protection_enabled'],
  },
  evaluate(table, ctx) {
    return table.DeletionProtectionEnabled === true
      ? ctx.pass(`Table ${table.name} has deletion protection on.`)
      : ctx.fail(`Table ${table.name} has deletion protection off.`, { DeletionProtectionEnabled: table.DeletionProtectionEnabled ?? false });
  },
});
export default check;

export const examples: CheckExamples<'AwsDynamoDbTable'> = {
  pass: [{ resource: { DeletionProtectionEnabled: true } }],
  fail: [{ resource: { DeletionProtectionEnabled: false } }],
  notAssessed: [{ resource: { gaps: { DeletionProtectionEnabled: { operation: 'dynamodb:DescribeTable', code: 'AccessDeniedException', message: 'denied' } } } }],
};
