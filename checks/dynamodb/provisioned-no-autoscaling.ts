import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { isProvisioned, requiredScalingTargets, scalableTargets } from '../lib/dynamodb.js';

const check = defineCheck({
  id: 'dynamodb.provisioned-no-autoscaling',
  title: 'Provisioned DynamoDB table or index has no auto scaling',
  description:
    'Fixed provisioned capacity throttles requests when traffic rises and is paid for when it falls (SERVPER 1, SERVREL 4). ' +
    'Fails when the table or a global secondary index lacks an Application Auto Scaling target for read or write capacity. On-demand tables pass.',
  severity: 'MEDIUM',
  pillar: 'PERF',
  lens: ['SERVPER 1', 'SERVREL 4'],
  lens2022: ['SERVPERF 1', 'SERVREL 1'],
  resourceKind: 'AwsDynamoDbTable',
  uses: ['BillingModeSummary', 'GlobalSecondaryIndexes', 'TableName'],
  needs: ['AwsAccountRegion'],
  cost: 'E',
  remediation: {
    text: 'Register scalable targets and target-tracking policies for read and write capacity of the table and each GSI, or switch the table to on-demand (PAY_PER_REQUEST).',
    url: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/AutoScaling.html',
  },
  peers: {
    cspm: ['DynamoDB.1'],
    config: ['dynamodb-autoscaling-enabled'],
    trustedAdvisor: ['c18d2gz136'],
    prowler: ['dynamodb_table_autoscaling_enabled'],
  },
  evaluate(table, ctx) {
    if (!isProvisioned(table)) return ctx.pass(`Table ${table.name} uses on-demand capacity.`);
    const known = scalableTargets(ctx.list('AwsAccountRegion')[0]);
    if (!known.ok) return ctx.notAssessed(`Table ${table.name} is provisioned; auto scaling unknown: ${known.reason}.`);
    const missing = requiredScalingTargets(table).filter((t) => !known.targets.has(`${t.resourceId}|${t.dimension}`)).map((t) => t.label);
    return missing.length > 0
      ? ctx.fail(`Provisioned table ${table.name} has no auto scaling for ${missing.join(', ')}.`, { missing })
      : ctx.pass(`Provisioned table ${table.name} auto-scales read and write capacity${(table.GlobalSecondaryIndexes ?? []).length > 0 ? ', indexes included' : ''}.`);
  },
});
export default check;

const targets = (...ids: [string, string][]) => ({
  kind: 'AwsAccountRegion' as const,
  DynamoDbScalableTargets: ids.map(([ResourceId, ScalableDimension]) => ({ ResourceId, ScalableDimension })),
});
const both = (id: string, level: 'table' | 'index'): [string, string][] => [[id, `dynamodb:${level}:ReadCapacityUnits`], [id, `dynamodb:${level}:WriteCapacityUnits`]];

export const examples: CheckExamples<'AwsDynamoDbTable'> = {
  pass: [
    { name: 'on-demand', resource: { BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' } } },
    {
      name: 'table and GSI scaled',
      resource: { BillingModeSummary: { BillingMode: 'PROVISIONED' }, GlobalSecondaryIndexes: [{ IndexName: 'byDate' }] },
      others: [targets(...both('table/example', 'table'), ...both('table/example/index/byDate', 'index'))],
    },
  ],
  fail: [
    { name: 'GSI not scaled; no billing mode summary', resource: { GlobalSecondaryIndexes: [{ IndexName: 'byDate' }] }, others: [targets(...both('table/example', 'table'))] },
    { name: 'nothing scaled', resource: { BillingModeSummary: { BillingMode: 'PROVISIONED' } }, others: [targets()] },
  ],
  notAssessed: [
    {
      name: 'DescribeScalableTargets failed',
      resource: { BillingModeSummary: { BillingMode: 'PROVISIONED' } },
      others: [{ kind: 'AwsAccountRegion', gaps: { DynamoDbScalableTargets: { operation: 'application-autoscaling:DescribeScalableTargets', code: 'AccessDeniedException', message: 'denied' } } }],
    },
  ],
};
