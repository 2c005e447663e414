// DynamoDB tables (DescribeTable + DescribeContinuousBackups per table), plus the region's DynamoDB scalable targets
// and AWS Backup protected resources. DescribeLimits belongs to the quotas collector.
import { ApplicationAutoScalingClient, DescribeScalableTargetsCommand } from '@aws-sdk/client-application-auto-scaling';
import { BackupClient, ListProtectedResourcesCommand } from '@aws-sdk/client-backup';
import {
  DescribeContinuousBackupsCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { isNotFound, toGap } from '../aws/errors.js';
import { paginate } from '../aws/paginate.js';
import type { DynamoDbTable } from '../model/index.js';
import { jsonSafe } from './json.js';
import type { CollectContext, Collector } from './types.js';

/** The `DescribeTable` → `Table` fields kept in the inventory (names as AWS returns them). */
export const DESCRIBE_TABLE_FIELDS = [
  'TableStatus', 'CreationDateTime', 'BillingModeSummary', 'ProvisionedThroughput', 'GlobalSecondaryIndexes',
  'SSEDescription', 'DeletionProtectionEnabled', 'StreamSpecification', 'LatestStreamArn', 'TableClassSummary',
  'TableSizeBytes', 'ItemCount',
] as const satisfies readonly (keyof TableDescription & keyof DynamoDbTable)[];

export const dynamodbCollector: Collector = {
  name: 'dynamodb',
  kinds: ['AwsDynamoDbTable'],
  scope: 'region',
  operations: [
    'dynamodb:ListTables', 'dynamodb:DescribeTable', 'dynamodb:DescribeContinuousBackups',
    'application-autoscaling:DescribeScalableTargets', 'backup:ListProtectedResources',
  ],
  async collect(ctx) {
    const client = ctx.client(DynamoDBClient);
    const ar = ctx.accountRegion();
    let names: string[];
    try {
      names = await paginate(async (start) => {
        const out = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start, Limit: 100 }));
        return { items: out.TableNames ?? [], next: out.LastEvaluatedTableName };
      });
    } catch (err) {
      ctx.listGap('AwsDynamoDbTable', ar.arn, 'dynamodb:ListTables', err, ar.name);
      return;
    }
    // Region-wide lookups only matter when there are tables to relate them to.
    if (names.length === 0) return;
    await Promise.all([
      ...names.map((name) => ctx.limit('dynamodb', () => collectTable(ctx, client, name))),
      collectScalableTargets(ctx),
      collectProtectedResources(ctx),
    ]);
  },
};

/** Records one gap (same call, same error) on each of `fields`. */
export function gapFields(resource: { gaps?: Record<string, ReturnType<typeof toGap>> }, fields: readonly string[], operation: string, err: unknown): void {
  const gap = toGap(operation, err);
  resource.gaps = { ...resource.gaps, ...Object.fromEntries(fields.map((f) => [f, gap])) };
}

async function collectTable(ctx: CollectContext, client: DynamoDBClient, TableName: string): Promise<void> {
  const table: DynamoDbTable = {
    kind: 'AwsDynamoDbTable',
    arn: `arn:${ctx.partition}:dynamodb:${ctx.region}:${ctx.accountId}:table/${TableName}`,
    name: TableName,
    accountId: ctx.accountId,
    region: ctx.region,
    // Tags are not returned by DescribeTable (ListTagsOfResource / tag:GetResources are not called here).
    tags: {},
    TableName,
  };
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName }));
    if (!Table) throw Object.assign(new Error('DescribeTable returned no Table'), { name: 'EmptyResponse' });
    if (Table.TableArn) table.arn = table.TableArn = Table.TableArn;
    Object.assign(table, jsonSafe(pick(Table, DESCRIBE_TABLE_FIELDS)));
  } catch (err) {
    // Deleted between ListTables and DescribeTable: nothing left to assess.
    if (isNotFound(err)) return;
    gapFields(table, DESCRIBE_TABLE_FIELDS, 'dynamodb:DescribeTable', err);
  }
  try {
    const out = await client.send(new DescribeContinuousBackupsCommand({ TableName }));
    if (!out.ContinuousBackupsDescription) throw Object.assign(new Error('DescribeContinuousBackups returned no description'), { name: 'EmptyResponse' });
    table.ContinuousBackupsDescription = jsonSafe(out.ContinuousBackupsDescription);
  } catch (err) {
    gapFields(table, ['ContinuousBackupsDescription'], 'dynamodb:DescribeContinuousBackups', err);
  }
  ctx.add(table);
}

async function collectScalableTargets(ctx: CollectContext): Promise<void> {
  const ar = ctx.accountRegion();
  const client = ctx.client(ApplicationAutoScalingClient);
  try {
    const targets = await paginate(async (NextToken) => {
      const out = await client.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'dynamodb', NextToken }));
      return { items: out.ScalableTargets ?? [], next: out.NextToken };
    });
    ar.DynamoDbScalableTargets = targets.map((t) => ({ ResourceId: t.ResourceId, ScalableDimension: t.ScalableDimension }));
  } catch (err) {
    gapFields(ar, ['DynamoDbScalableTargets'], 'application-autoscaling:DescribeScalableTargets', err);
  }
}

async function collectProtectedResources(ctx: CollectContext): Promise<void> {
  const ar = ctx.accountRegion();
  const client = ctx.client(BackupClient);
  try {
    const resources = await paginate(async (NextToken) => {
      const out = await client.send(new ListProtectedResourcesCommand({ NextToken, MaxResults: 1000 }));
      return { items: out.Results ?? [], next: out.NextToken };
    });
    // Only DynamoDB tables are assessed against this list; other resource types (EBS, EC2 ...) would only bloat it.
    ar.BackupProtectedResourceArns = resources
      .map((r) => r.ResourceArn)
      .filter((a): a is string => a !== undefined && a.split(':')[2] === 'dynamodb');
  } catch (err) {
    gapFields(ar, ['BackupProtectedResourceArns'], 'backup:ListProtectedResources', err);
  }
}

function pick<T extends object, K extends keyof T>(obj: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) if (obj[k] !== undefined) out[k] = obj[k];
  return out;
}

