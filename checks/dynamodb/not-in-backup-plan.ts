import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { derived } from '../lib/memo.js';

const check = defineCheck({
  id: 'dynamodb.not-in-backup-plan',
  title: 'DynamoDB table is not protected by AWS Backup',
  description:
    'AWS Backup keeps copies outside the table with their own retention, vault lock and cross-region/cross-account options; PITR alone ' +
    'disappears with the table (SERVREL 5). Approximation: a table counts as protected when AWS Backup lists it among protected resources ' +
    '(it has a recovery point), which is close to, but not the same as, being selected by a backup plan.',
  severity: 'LOW',
  pillar: 'REL',
  lens: ['SERVREL 5'],
  lens2022: ['SERVREL 2'],
  resourceKind: 'AwsDynamoDbTable',
  uses: [],
  needs: ['AwsAccountRegion'],
  cost: 'C',
  remediation: {
    text: 'Add the table to an AWS Backup plan (resource assignment by ARN or tag) with a retention that matches your recovery needs.',
    url: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/assigning-resources.html',
  },
  peers: {
    cspm: ['DynamoDB.4'],
    config: ['dynamodb-in-backup-plan', 'dynamodb-resources-protected-by-backup-plan'],
    trustedAdvisor: ['c18d2gz107'],
    prowler: ['dynamodb_table_protected_by_backup_plan'],
  },
  evaluate(table, ctx) {
    const region = ctx.list('AwsAccountRegion')[0];
    const gap = region?.gaps?.BackupProtectedResourceArns;
    if (gap) return ctx.notAssessed(`AWS Backup protected resources unknown: ${gap.operation} failed: ${gap.code}.`);
    if (!region?.BackupProtectedResourceArns) return ctx.notAssessed('AWS Backup protected resources were not collected.');
    const arns = region.BackupProtectedResourceArns;
    return derived(arns, 'arn-set', () => new Set(arns)).has(table.arn)
      ? ctx.pass(`Table ${table.name} has AWS Backup recovery points.`)
      : ctx.fail(`Table ${table.name} is not among the resources AWS Backup protects.`);
  },
});
export default check;

const protectedArns = (arns: string[]) => ({ kind: 'AwsAccountRegion' as const, BackupProtectedResourceArns: arns });

export const examples: CheckExamples<'AwsDynamoDbTable'> = {
  pass: [{ resource: {}, others: [protectedArns(['arn:aws:dynamodb:us-east-1:111122223333:table/example'])] }],
  fail: [{ resource: {}, others: [protectedArns(['arn:aws:dynamodb:us-east-1:111122223333:table/other'])] }],
  notAssessed: [
    {
      resource: {},
      others: [{ kind: 'AwsAccountRegion', gaps: { BackupProtectedResourceArns: { operation: 'backup:ListProtectedResources', code: 'AccessDeniedException', message: 'denied' } } }],
    },
  ],
};
