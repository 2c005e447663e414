import { defineCheck, type CheckExamples } from '../../src/model/index.js';

const check = defineCheck({
  id: 'dynamodb.no-pitr',
  title: 'DynamoDB table has point-in-time recovery off',
  description:
    'Without point-in-time recovery a table cannot be restored to the moment before an accidental delete, a bad deployment or ' +
    'corrupting writes; only on-demand backups (if any) remain. Lens SERVREL 5 (nearest; the lens does not mention backups).',
  severity: 'MEDIUM',
  pillar: 'REL',
  lens: ['SERVREL 5'],
  lens2022: ['SERVREL 2'],
  resourceKind: 'AwsDynamoDbTable',
  uses: ['ContinuousBackupsDescription'],
  cost: 'E',
  remediation: {
    text: 'Turn on point-in-time recovery (aws dynamodb update-continuous-backups --table-name NAME --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true), or PointInTimeRecoverySpecification in the template.',
    url: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery_Howitworks.html',
  },
  peers: {
    config: ['dynamodb-pitr-enabled'],
    cspm: ['DynamoDB.2'],
    trustedAdvisor: ['c18d2gz138'],
    prowler: ['dynamodb_tables_pitr_enabled'],
  },
  evaluate(table, ctx) {
    const backups = table.ContinuousBackupsDescription;
    if (backups === undefined) return ctx.notAssessed(`The continuous backups of table ${table.name} were not collected.`);
    const status = backups.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus ?? 'DISABLED';
    return status === 'ENABLED'
      ? ctx.pass(`Table ${table.name} has point-in-time recovery on.`, {
          PointInTimeRecoveryStatus: status,
          ...(backups.PointInTimeRecoveryDescription?.RecoveryPeriodInDays !== undefined ? { RecoveryPeriodInDays: backups.PointInTimeRecoveryDescription.RecoveryPeriodInDays } : {}),
        })
      : ctx.fail(`Table ${table.name} has point-in-time recovery ${status}.`, { PointInTimeRecoveryStatus: status });
  },
});
export default check;

export const examples: CheckExamples<'AwsDynamoDbTable'> = {
  pass: [{ resource: { ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: 35 } } } }],
  fail: [{ resource: { ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } } } }],
  notAssessed: [
    { name: 'DescribeContinuousBackups denied', resource: { gaps: { ContinuousBackupsDescription: { operation: 'dynamodb:DescribeContinuousBackups', code: 'AccessDeniedException', message: 'denied' } } } },
    { name: 'not collected', resource: {} },
  ],
};
