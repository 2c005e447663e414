import { ApplicationAutoScalingClient, DescribeScalableTargetsCommand } from '@aws-sdk/client-application-auto-scaling';
import { BackupClient, ListProtectedResourcesCommand } from '@aws-sdk/client-backup';
import {
  CreateTableCommand, DescribeContinuousBackupsCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DESCRIBE_TABLE_FIELDS, dynamodbCollector } from '../../src/collect/dynamodb.js';
import { makeContext, testFactory } from './harness.js';

const TABLE = (n: string) => `arn:aws:dynamodb:us-east-1:123456789012:table/${n}`;
const denied = (op: string) =>
  Object.assign(new Error(`User: arn:aws:sts::123456789012:assumed-role/audit/x is not authorized to perform: dynamodb:${op}`), {
    name: 'AccessDeniedException',
    $metadata: { httpStatusCode: 400 },
  });

describe('dynamodb collector (mocked AWS)', () => {
  const ddb = mockClient(DynamoDBClient);
  const aas = mockClient(ApplicationAutoScalingClient);
  const backup = mockClient(BackupClient);
  afterAll(() => {
    ddb.restore();
    aas.restore();
    backup.restore();
  });
  beforeEach(() => {
    ddb.reset();
    aas.reset();
    backup.reset();
  });

  const describeTable = (name: string, extra: Record<string, unknown> = {}) => ({
    Table: {
      TableName: name, TableArn: TABLE(name), TableId: `id-${name}`, TableStatus: 'ACTIVE' as const,
      CreationDateTime: new Date('2024-05-06T07:08:09Z'),
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' as const }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }],
      ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 5, WriteCapacityUnits: 5, LastIncreaseDateTime: new Date('2024-06-01T00:00:00Z') },
      TableSizeBytes: 0, ItemCount: 0, DeletionProtectionEnabled: false,
      ...extra,
    },
  });

  function happyPath() {
    ddb.on(ListTablesCommand).resolves({ TableNames: ['alpha', 'beta'], LastEvaluatedTableName: 'beta' });
    ddb.on(ListTablesCommand, { ExclusiveStartTableName: 'beta' }).resolves({ TableNames: ['gamma'] });
    ddb.on(DescribeTableCommand, { TableName: 'alpha' }).resolves(describeTable('alpha', {
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST', LastUpdateToPayPerRequestDateTime: new Date('2024-05-06T07:08:09Z') },
      ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
      SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k1' },
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      LatestStreamArn: `${TABLE('alpha')}/stream/2024-05-06T07:08:09.000`,
      DeletionProtectionEnabled: true,
      GlobalSecondaryIndexes: [{
        IndexName: 'byDate', IndexArn: `${TABLE('alpha')}/index/byDate`, IndexStatus: 'ACTIVE',
        KeySchema: [{ AttributeName: 'd', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' },
        ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
      }],
    }));
    ddb.on(DescribeTableCommand, { TableName: 'beta' }).rejects(denied('DescribeTable'));
    ddb.on(DescribeTableCommand, { TableName: 'gamma' }).resolves(describeTable('gamma'));
    ddb.on(DescribeContinuousBackupsCommand).resolves({
      ContinuousBackupsDescription: {
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' },
      },
    });
    ddb.on(DescribeContinuousBackupsCommand, { TableName: 'alpha' }).resolves({
      ContinuousBackupsDescription: {
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: {
          PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: 35,
          EarliestRestorableDateTime: new Date('2025-01-01T00:00:00Z'), LatestRestorableDateTime: new Date('2025-02-01T00:00:00Z'),
        },
      },
    });
    ddb.on(DescribeContinuousBackupsCommand, { TableName: 'gamma' }).rejects(denied('DescribeContinuousBackups'));
    aas.on(DescribeScalableTargetsCommand).resolves({
      ScalableTargets: [{
        ServiceNamespace: 'dynamodb', ResourceId: 'table/gamma', ScalableDimension: 'dynamodb:table:ReadCapacityUnits',
        MinCapacity: 5, MaxCapacity: 50, RoleARN: 'arn:aws:iam::123456789012:role/aas', CreationTime: new Date('2024-01-01T00:00:00Z'),
      }],
      NextToken: 'aas-2',
    });
    aas.on(DescribeScalableTargetsCommand, { NextToken: 'aas-2' }).resolves({
      ScalableTargets: [{
        ServiceNamespace: 'dynamodb', ResourceId: 'table/gamma', ScalableDimension: 'dynamodb:table:WriteCapacityUnits',
        MinCapacity: 5, MaxCapacity: 50, RoleARN: 'arn:aws:iam::123456789012:role/aas', CreationTime: new Date('2024-01-01T00:00:00Z'),
      }],
    });
    backup.on(ListProtectedResourcesCommand).resolves({
      Results: [
        { ResourceArn: TABLE('alpha'), ResourceType: 'DynamoDB', LastBackupTime: new Date('2025-02-01T00:00:00Z') },
        { ResourceArn: 'arn:aws:ec2:us-east-1:123456789012:volume/vol-1', ResourceType: 'EBS' },
      ],
    });
  }

  it('collects every table over ListTables pages; a failed DescribeTable gaps its fields and the others go on', async () => {
    happyPath();
    const { ctx, region, factory } = makeContext();
    await dynamodbCollector.collect(ctx);

    const tables = region.resources.AwsDynamoDbTable ?? [];
    expect(tables.map((t) => t.arn).sort()).toEqual([TABLE('alpha'), TABLE('beta'), TABLE('gamma')]);
    const byName = Object.fromEntries(tables.map((t) => [t.TableName, t]));

    expect(byName.alpha).toMatchObject({
      TableArn: TABLE('alpha'), TableStatus: 'ACTIVE', CreationDateTime: '2024-05-06T07:08:09.000Z',
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST', LastUpdateToPayPerRequestDateTime: '2024-05-06T07:08:09.000Z' },
      SSEDescription: { Status: 'ENABLED', SSEType: 'KMS' }, DeletionProtectionEnabled: true,
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      GlobalSecondaryIndexes: [{ IndexName: 'byDate', ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 } }],
      ContinuousBackupsDescription: {
        PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: 35, EarliestRestorableDateTime: '2025-01-01T00:00:00.000Z' },
      },
    });
    expect(byName.alpha!.gaps).toBeUndefined();
    // Only the kept fields: key schema and attribute definitions are not inventory fields.
    expect(byName.alpha).not.toHaveProperty('KeySchema');
    expect(byName.gamma!.ProvisionedThroughput).toEqual({ NumberOfDecreasesToday: 0, ReadCapacityUnits: 5, WriteCapacityUnits: 5, LastIncreaseDateTime: '2024-06-01T00:00:00.000Z' });

    // beta: DescribeTable denied → still a resource, arn from its name, every DescribeTable field gapped, PITR still read.
    const beta = byName.beta!;
    expect(beta.TableStatus).toBeUndefined();
    for (const f of ['TableStatus', 'BillingModeSummary', 'ProvisionedThroughput', 'GlobalSecondaryIndexes', 'SSEDescription', 'DeletionProtectionEnabled', 'StreamSpecification']) {
      expect(beta.gaps?.[f], f).toMatchObject({ operation: 'dynamodb:DescribeTable', code: 'AccessDeniedException' });
    }
    expect(Object.keys(beta.gaps ?? {}).sort()).toEqual([...DESCRIBE_TABLE_FIELDS].sort());
    expect(beta.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus).toBe('DISABLED');

    // gamma: DescribeContinuousBackups denied → that field only.
    expect(byName.gamma!.gaps).toEqual({
      ContinuousBackupsDescription: expect.objectContaining({ operation: 'dynamodb:DescribeContinuousBackups', code: 'AccessDeniedException' }),
    });

    const ar = region.resources.AwsAccountRegion![0]!;
    expect(ar.DynamoDbScalableTargets).toEqual([
      { ResourceId: 'table/gamma', ScalableDimension: 'dynamodb:table:ReadCapacityUnits' },
      { ResourceId: 'table/gamma', ScalableDimension: 'dynamodb:table:WriteCapacityUnits' },
    ]);
    expect(aas.commandCalls(DescribeScalableTargetsCommand)[0]!.args[0].input.ServiceNamespace).toBe('dynamodb');
    expect(ar.BackupProtectedResourceArns).toEqual([TABLE('alpha')]);
    expect(ar.gaps).toBeUndefined();
    expect(factory.counter.calls['dynamodb:ListTables']).toBe(2);
    expect(JSON.parse(JSON.stringify(region))).toEqual(region);
  });

  it('drops a table deleted between ListTables and DescribeTable', async () => {
    ddb.on(ListTablesCommand).resolves({ TableNames: ['gone', 'kept'] });
    ddb.on(DescribeTableCommand, { TableName: 'gone' }).rejects(new ResourceNotFoundException({ message: 'Requested resource not found: Table: gone not found', $metadata: {} }));
    ddb.on(DescribeTableCommand, { TableName: 'kept' }).resolves(describeTable('kept'));
    ddb.on(DescribeContinuousBackupsCommand).resolves({ ContinuousBackupsDescription: { ContinuousBackupsStatus: 'DISABLED' } });
    aas.on(DescribeScalableTargetsCommand).resolves({ ScalableTargets: [] });
    backup.on(ListProtectedResourcesCommand).resolves({ Results: [] });
    const { ctx, region } = makeContext();
    await dynamodbCollector.collect(ctx);
    expect(region.resources.AwsDynamoDbTable?.map((t) => t.TableName)).toEqual(['kept']);
  });

  it('gives a list gap when ListTables fails, and account-region field gaps when the region-wide calls fail', async () => {
    ddb.on(ListTablesCommand).rejects(denied('ListTables'));
    const first = makeContext();
    await dynamodbCollector.collect(first.ctx);
    const ar1 = first.region.resources.AwsAccountRegion![0]!;
    expect(first.region.listGaps).toEqual([
      expect.objectContaining({ kind: 'AwsDynamoDbTable', scopeArn: ar1.arn, operation: 'dynamodb:ListTables', code: 'AccessDeniedException' }),
    ]);
    expect(first.region.resources.AwsDynamoDbTable).toBeUndefined();

    ddb.reset();
    ddb.on(ListTablesCommand).resolves({ TableNames: ['t'] });
    ddb.on(DescribeTableCommand).resolves(describeTable('t'));
    ddb.on(DescribeContinuousBackupsCommand).resolves({ ContinuousBackupsDescription: { ContinuousBackupsStatus: 'DISABLED' } });
    aas.on(DescribeScalableTargetsCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    backup.on(ListProtectedResourcesCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const second = makeContext();
    await dynamodbCollector.collect(second.ctx);
    const ar2 = second.region.resources.AwsAccountRegion![0]!;
    expect(ar2.gaps).toEqual({
      DynamoDbScalableTargets: expect.objectContaining({ operation: 'application-autoscaling:DescribeScalableTargets' }),
      BackupProtectedResourceArns: expect.objectContaining({ operation: 'backup:ListProtectedResources' }),
    });
    expect(ar2.DynamoDbScalableTargets).toBeUndefined();
    expect(second.region.resources.AwsDynamoDbTable?.[0]?.gaps).toBeUndefined();
  });
});

// The real wire protocol against dynalite on loopback: no mocks.
describe('dynamodb collector against dynalite', () => {
  const require = createRequire(import.meta.url);
  const dynalite = require('dynalite') as (opts: { createTableMs?: number; updateTableMs?: number; deleteTableMs?: number }) => Server;
  let server: Server;
  let endpoint: string;
  const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' };

  beforeAll(async () => {
    server = dynalite({ createTableMs: 0, updateTableMs: 0, deleteTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Set-up writes go through a plain client: audit clients refuse CreateTable.
    const admin = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials, accountIdEndpointMode: 'disabled' });
    await admin.send(new CreateTableCommand({
      TableName: 'orders',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'day', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: [{ IndexName: 'byDay', KeySchema: [{ AttributeName: 'day', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
    }));
    await admin.send(new CreateTableCommand({
      TableName: 'sessions',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 3 },
    }));
    admin.destroy();
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('collects both tables; operations dynalite does not implement become gaps', async () => {
    const factory = testFactory({ endpoint, credentials, maxAttempts: 1 });
    const { ctx, region, errors } = makeContext({ factory });
    await dynamodbCollector.collect(ctx);
    factory.destroy();

    const tables = region.resources.AwsDynamoDbTable ?? [];
    expect(tables.map((t) => t.TableName).sort()).toEqual(['orders', 'sessions']);
    const orders = tables.find((t) => t.TableName === 'orders')!;
    const sessions = tables.find((t) => t.TableName === 'sessions')!;
    expect(orders.arn).toBe(orders.TableArn);
    expect(orders.arn).toMatch(/^arn:aws:dynamodb:us-east-1:\d{12}:table\/orders$/);
    expect(orders.TableStatus).toBe('ACTIVE');
    expect(orders.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(orders.GlobalSecondaryIndexes?.map((g) => g.IndexName)).toEqual(['byDay']);
    expect(orders.CreationDateTime).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(sessions.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 7, WriteCapacityUnits: 3 });
    expect(sessions.BillingModeSummary).toBeUndefined();

    // dynalite has no DescribeContinuousBackups: a gap on that field, never a guessed PITR status.
    for (const t of tables) {
      expect(t.ContinuousBackupsDescription).toBeUndefined();
      expect(t.gaps?.ContinuousBackupsDescription).toMatchObject({ operation: 'dynamodb:DescribeContinuousBackups', code: 'UnknownOperationException' });
      expect(Object.keys(t.gaps ?? {})).toEqual(['ContinuousBackupsDescription']);
    }
    // Application Auto Scaling and Backup calls reach dynalite too (one endpoint for every client) and fail.
    const ar = region.resources.AwsAccountRegion![0]!;
    expect(ar.gaps?.DynamoDbScalableTargets).toMatchObject({ operation: 'application-autoscaling:DescribeScalableTargets' });
    expect(ar.gaps?.BackupProtectedResourceArns).toMatchObject({ operation: 'backup:ListProtectedResources' });
    expect(region.listGaps).toEqual([]);
    expect(errors).toEqual([]);
    expect(factory.counter.calls).toMatchObject({ 'dynamodb:ListTables': 1, 'dynamodb:DescribeTable': 2, 'dynamodb:DescribeContinuousBackups': 2 });
  });
});
