import { CloudWatchLogsClient, CloudWatchLogsServiceException, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { logsCollector } from '../../src/collect/logs.js';
import type { LogsLogGroup } from '../../src/model/index.js';
import { makeContext } from './harness.js';

const ACCOUNT = '123456789012';
const REGION = 'eu-central-1';
const groupArn = (name: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}`;
const TOKEN = '/aws/lambda/orders-api/1710408413000/AQAAAHZ0ZXN0LXRva2Vu';

const logs = mockClient(CloudWatchLogsClient);
beforeEach(() => logs.reset());

function mockPages() {
  logs.on(DescribeLogGroupsCommand).callsFake((input: { nextToken?: string }) => {
    if (input.nextToken === undefined) {
      return {
        logGroups: [{
          logGroupName: '/aws/lambda/orders-api',
          creationTime: 1710408413000,
          retentionInDays: 14,
          metricFilterCount: 1,
          arn: `${groupArn('/aws/lambda/orders-api')}:*`,
          storedBytes: 73400320,
          kmsKeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
          dataProtectionStatus: 'ACTIVATED',
          logGroupClass: 'STANDARD',
          logGroupArn: groupArn('/aws/lambda/orders-api'),
        }],
        nextToken: TOKEN,
      };
    }
    if (input.nextToken === TOKEN) {
      // No retention ("Never expire"), and an older shape without logGroupArn.
      return {
        logGroups: [{
          logGroupName: 'API-Gateway-Execution-Logs_a1b2c3d4e5/prod',
          creationTime: 1690000000000,
          metricFilterCount: 0,
          arn: `${groupArn('API-Gateway-Execution-Logs_a1b2c3d4e5/prod')}:*`,
          storedBytes: 0,
        }],
      };
    }
    throw new Error(`unexpected nextToken ${input.nextToken}`);
  });
}

describe('logs collector', () => {
  it('collects every log group across pages with fields as AWS names them', async () => {
    mockPages();
    const t = makeContext({ region: REGION, accountId: ACCOUNT });
    await logsCollector.collect(t.ctx);
    const groups = t.region.resources.AwsLogsLogGroup as LogsLogGroup[];
    expect(groups).toHaveLength(2);
    expect(groups[0]).toMatchObject({
      kind: 'AwsLogsLogGroup', arn: groupArn('/aws/lambda/orders-api'), name: '/aws/lambda/orders-api',
      accountId: ACCOUNT, region: REGION,
      logGroupName: '/aws/lambda/orders-api', retentionInDays: 14, storedBytes: 73400320, metricFilterCount: 1,
      kmsKeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`, logGroupClass: 'STANDARD',
      creationTime: 1710408413000, dataProtectionStatus: 'ACTIVATED',
    });
    // The canonical ARN drops the trailing `:*` when only `arn` is returned.
    expect(groups[1]!.arn).toBe(groupArn('API-Gateway-Execution-Logs_a1b2c3d4e5/prod'));
    expect(groups[1]).not.toHaveProperty('retentionInDays');
    expect(t.factory.counter.calls).toEqual({ 'logs:DescribeLogGroups': 2 });
    expect(t.errors).toEqual([]);
  });

  it('records a list gap and an error when DescribeLogGroups is denied', async () => {
    logs.on(DescribeLogGroupsCommand).rejects(new CloudWatchLogsServiceException({
      name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 400 },
      message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/auditor/s is not authorized to perform: logs:DescribeLogGroups`,
    }));
    const t = makeContext({ region: REGION, accountId: ACCOUNT });
    await logsCollector.collect(t.ctx);
    expect(t.region.resources.AwsLogsLogGroup ?? []).toEqual([]);
    expect(t.region.listGaps).toEqual([expect.objectContaining({
      kind: 'AwsLogsLogGroup', scopeArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:account`,
      operation: 'logs:DescribeLogGroups', code: 'AccessDeniedException',
    })]);
    expect(t.errors).toEqual([expect.objectContaining({ service: 'logs', operation: 'logs:DescribeLogGroups', code: 'AccessDeniedException' })]);
  });
});
