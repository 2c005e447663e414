import { defineCheck, type CheckExamples, type DynamoDbTable } from '../../src/model/index.js';
import { judge, resolveLimit, serviceAccountArn } from '../lib/quota.js';

type Dimension = { key: 'read' | 'write'; code: string; field: 'ReadCapacityUnits' | 'WriteCapacityUnits'; limitField: 'AccountMaxReadCapacityUnits' | 'AccountMaxWriteCapacityUnits' };
const DIMENSIONS: Dimension[] = [
  { key: 'read', code: 'L-34F6A552', field: 'ReadCapacityUnits', limitField: 'AccountMaxReadCapacityUnits' },
  { key: 'write', code: 'L-34F8CCC8', field: 'WriteCapacityUnits', limitField: 'AccountMaxWriteCapacityUnits' },
];
/** Table fields the sum needs; a table whose DescribeTable failed leaves the sum unknown. */
const TABLE_FIELDS = ['ProvisionedThroughput', 'GlobalSecondaryIndexes', 'BillingModeSummary'] as const;

function provisioned(t: DynamoDbTable, field: Dimension['field']): number {
  // On-demand tables report 0 here anyway; skipping them keeps a stale figure from a mode switch out of the sum.
  if (t.BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST') return 0;
  const gsis = (t.GlobalSecondaryIndexes ?? []).reduce((a, g) => a + (g.ProvisionedThroughput?.[field] ?? 0), 0);
  return (t.ProvisionedThroughput?.[field] ?? 0) + gsis;
}

const check = defineCheck({
  id: 'quota.dynamodb-account-throughput-80',
  title: 'Provisioned DynamoDB capacity is at or over 80% of the account throughput quota',
  description:
    'The read and write capacity provisioned on all tables and global secondary indexes of a region share one account quota ' +
    '(80,000 units each by default); near it, neither auto scaling nor a manual change can add capacity. The lens (SERVREL 1) ' +
    'asks to know when a service nears a limit. Two results, sub-keys `read` and `write`: the sum over PROVISIONED tables and ' +
    'their indexes against DescribeLimits AccountMax{Read,Write}CapacityUnits (quotas L-34F6A552 and L-34F8CCC8). Reported ' +
    'under arn:aws:dynamodb:REGION:ACCOUNT:account.',
  severity: 'MEDIUM',
  pillar: 'REL',
  lens: ['SERVREL 1'],
  lens2022: ['SERVREL 1'],
  resourceKind: 'AwsAccountRegion',
  uses: ['DynamoDbLimits', 'ServiceQuotas'],
  needs: ['AwsDynamoDbTable'],
  cost: 'E',
  options: { threshold: 80 },
  remediation: {
    text: 'Lower over-provisioned capacity (or switch spiky tables to on-demand), or request a higher account-level read/write throughput quota in Service Quotas.',
    url: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html',
  },
  peers: { config: ['dynamodb-throughput-limit-check'], trustedAdvisor: ['6gtQddfEw6', 'c5ftjdfkMr'] },
  evaluate(ar, ctx) {
    const resource = { arn: serviceAccountArn(ar.arn, 'dynamodb') };
    const tables = ctx.list('AwsDynamoDbTable');
    const unknown = tables.filter((t) => TABLE_FIELDS.some((f) => t.gaps?.[f]));
    return DIMENSIONS.map((d) => {
      const extra = { subKey: d.key, resource };
      if (unknown.length > 0) {
        const names = unknown.slice(0, 3).map((t) => t.name).join(', ') + (unknown.length > 3 ? ` and ${unknown.length - 3} more` : '');
        return ctx.notAssessed(`DynamoDB provisioned ${d.key} capacity unknown: DescribeTable failed for ${names}.`, extra);
      }
      const limit = resolveLimit(ar, 'dynamodb', d.code, ar.DynamoDbLimits?.[d.limitField]);
      if ('reason' in limit) return ctx.notAssessed(`DynamoDB account ${d.key} throughput not assessed: ${limit.reason}.`, extra);
      const usage = tables.reduce((a, t) => a + provisioned(t, d.field), 0);
      return judge(ctx, {
        label: `Provisioned DynamoDB ${d.key} capacity (${tables.length} tables)`,
        usage,
        limit,
        threshold: ctx.options.threshold,
        evidence: { unit: d.field },
        extra,
      });
    });
  },
});
export default check;

const limits = { DynamoDbLimits: { AccountMaxReadCapacityUnits: 80000, AccountMaxWriteCapacityUnits: 80000, TableMaxReadCapacityUnits: 40000, TableMaxWriteCapacityUnits: 40000 } };
const table = (name: string, rcu: number, wcu: number, gsi?: [number, number]) => ({
  kind: 'AwsDynamoDbTable' as const, name,
  BillingModeSummary: { BillingMode: 'PROVISIONED' },
  ProvisionedThroughput: { ReadCapacityUnits: rcu, WriteCapacityUnits: wcu },
  ...(gsi ? { GlobalSecondaryIndexes: [{ IndexName: 'gsi1', ProvisionedThroughput: { ReadCapacityUnits: gsi[0], WriteCapacityUnits: gsi[1] } }] } : {}),
});

export const examples: CheckExamples<'AwsAccountRegion'> = {
  pass: [
    { name: 'small tables', resource: limits, others: [table('a', 100, 50, [10, 10]), table('b', 1000, 1000)], count: 2 },
    { name: 'no tables', resource: limits, count: 2 },
  ],
  fail: [
    {
      name: 'reads and writes at 80% with indexes',
      resource: limits,
      others: [table('a', 40000, 40000), table('b', 20000, 20000, [4000, 4000])],
      count: 2,
    },
  ],
  notAssessed: [
    { name: 'DescribeLimits failed', resource: { gaps: { DynamoDbLimits: { operation: 'dynamodb:DescribeLimits', code: 'AccessDeniedException', message: 'denied' } } } },
    { name: 'tables not listed', resource: limits, listGaps: ['AwsDynamoDbTable'] },
    {
      name: 'DescribeTable failed for one table',
      resource: limits,
      others: [{ kind: 'AwsDynamoDbTable', name: 'a', gaps: { ProvisionedThroughput: { operation: 'dynamodb:DescribeTable', code: 'AccessDeniedException', message: 'denied' } } }],
      count: 2,
    },
  ],
};
