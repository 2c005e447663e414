import {
  BatchGetDeploymentGroupsCommand, CodeDeployClient, ListApplicationsCommand, ListDeploymentGroupsCommand, type DeploymentGroupInfo,
} from '@aws-sdk/client-codedeploy';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { codedeployCollector } from '../../src/collect/codedeploy.js';
import { makeContext, TEST_ACCOUNT } from './harness.js';

const mock = mockClient(CodeDeployClient);
afterAll(() => mock.restore());
beforeEach(() => mock.reset());

const denied = (op: string) => Object.assign(new Error(`User is not authorized to perform: codedeploy:${op}`), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });

/** A DeploymentGroupInfo as BatchGetDeploymentGroups returns it (trimmed to realistic members). */
const info = (app: string, name: string, computePlatform: 'Lambda' | 'Server' | 'ECS', config: string, extra: Partial<DeploymentGroupInfo> = {}): DeploymentGroupInfo => ({
  applicationName: app,
  deploymentGroupId: `id-${name}`,
  deploymentGroupName: name,
  deploymentConfigName: config,
  computePlatform,
  serviceRoleArn: `arn:aws:iam::${TEST_ACCOUNT}:role/codedeploy`,
  deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
  ...extra,
});

describe('codedeploy collector', () => {
  it('walks applications and groups over pages and keeps only Lambda deployment groups', async () => {
    mock.on(ListApplicationsCommand).resolves({ applications: ['orders'], nextToken: 'apps-2' });
    mock.on(ListApplicationsCommand, { nextToken: 'apps-2' }).resolves({ applications: ['web'] });
    mock.on(ListDeploymentGroupsCommand, { applicationName: 'orders' }).resolves({ applicationName: 'orders', deploymentGroups: ['live', 'canary'], nextToken: 'g2' });
    mock.on(ListDeploymentGroupsCommand, { applicationName: 'orders', nextToken: 'g2' }).resolves({ applicationName: 'orders', deploymentGroups: ['old'] });
    mock.on(ListDeploymentGroupsCommand, { applicationName: 'web' }).resolves({ applicationName: 'web', deploymentGroups: ['fleet'] });
    mock.on(BatchGetDeploymentGroupsCommand, { applicationName: 'orders' }).resolves({
      deploymentGroupsInfo: [
        info('orders', 'live', 'Lambda', 'CodeDeployDefault.LambdaAllAtOnce'),
        info('orders', 'canary', 'Lambda', 'CodeDeployDefault.LambdaCanary10Percent5Minutes', {
          alarmConfiguration: { enabled: true, ignorePollAlarmFailure: false, alarms: [{ name: 'orders-errors' }] },
          autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] },
        }),
        info('orders', 'old', 'Lambda', 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute'),
      ],
    });
    mock.on(BatchGetDeploymentGroupsCommand, { applicationName: 'web' }).resolves({ deploymentGroupsInfo: [info('web', 'fleet', 'Server', 'CodeDeployDefault.OneAtATime')] });

    const { ctx, region } = makeContext();
    await codedeployCollector.collect(ctx);

    const groups = region.resources.AwsCodeDeployDeploymentGroup ?? [];
    expect(groups.map((g) => g.name).sort()).toEqual(['orders/canary', 'orders/live', 'orders/old']);
    expect(mock.commandCalls(BatchGetDeploymentGroupsCommand, { applicationName: 'orders' })[0]!.args[0].input.deploymentGroupNames).toEqual(['live', 'canary', 'old']);
    expect(groups.find((g) => g.deploymentGroupName === 'canary')).toEqual({
      kind: 'AwsCodeDeployDeploymentGroup',
      arn: `arn:aws:codedeploy:us-east-1:${TEST_ACCOUNT}:deploymentgroup:orders/canary`,
      name: 'orders/canary', accountId: TEST_ACCOUNT, region: 'us-east-1', tags: {},
      applicationName: 'orders', deploymentGroupName: 'canary', computePlatform: 'Lambda',
      deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      alarmConfiguration: { enabled: true, alarms: [{ name: 'orders-errors' }] },
      autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] },
    });
    expect(groups.find((g) => g.deploymentGroupName === 'live')!.alarmConfiguration).toBeUndefined();
    expect(region.listGaps).toEqual([]);
  });

  it('reads groups in batches of 100 names', async () => {
    const names = Array.from({ length: 150 }, (_, i) => `g${i}`);
    mock.on(ListApplicationsCommand).resolves({ applications: ['big'] });
    mock.on(ListDeploymentGroupsCommand).resolves({ applicationName: 'big', deploymentGroups: names });
    mock.on(BatchGetDeploymentGroupsCommand).callsFake((input: { deploymentGroupNames: string[] }) => ({
      deploymentGroupsInfo: input.deploymentGroupNames.map((n) => info('big', n, 'Lambda', 'CodeDeployDefault.LambdaAllAtOnce')),
    }));
    const { ctx, region } = makeContext();
    await codedeployCollector.collect(ctx);
    expect(mock.commandCalls(BatchGetDeploymentGroupsCommand).map((c) => c.args[0].input.deploymentGroupNames!.length)).toEqual([100, 50]);
    expect(region.resources.AwsCodeDeployDeploymentGroup).toHaveLength(150);
  });

  it('records a list gap under the application whose groups could not be read; other applications still count', async () => {
    mock.on(ListApplicationsCommand).resolves({ applications: ['locked', 'partial', 'fine'] });
    mock.on(ListDeploymentGroupsCommand, { applicationName: 'locked' }).rejects(denied('ListDeploymentGroups'));
    mock.on(ListDeploymentGroupsCommand, { applicationName: 'partial' }).resolves({ applicationName: 'partial', deploymentGroups: ['a', 'b'] });
    mock.on(ListDeploymentGroupsCommand, { applicationName: 'fine' }).resolves({ applicationName: 'fine', deploymentGroups: ['x'] });
    mock.on(BatchGetDeploymentGroupsCommand, { applicationName: 'partial' }).resolves({
      deploymentGroupsInfo: [info('partial', 'a', 'Lambda', 'CodeDeployDefault.LambdaAllAtOnce')],
      errorMessage: 'DeploymentGroupDoesNotExistException: b',
    });
    mock.on(BatchGetDeploymentGroupsCommand, { applicationName: 'fine' }).resolves({ deploymentGroupsInfo: [info('fine', 'x', 'Lambda', 'CodeDeployDefault.LambdaAllAtOnce')] });
    const { ctx, region, errors } = makeContext();
    await codedeployCollector.collect(ctx);

    expect((region.resources.AwsCodeDeployDeploymentGroup ?? []).map((g) => g.name).sort()).toEqual(['fine/x', 'partial/a']);
    const gaps = [...region.listGaps].sort((a, b) => a.scopeArn.localeCompare(b.scopeArn));
    expect(gaps).toEqual([
      expect.objectContaining({ kind: 'AwsCodeDeployDeploymentGroup', scopeArn: `arn:aws:codedeploy:us-east-1:${TEST_ACCOUNT}:application:locked`, operation: 'codedeploy:ListDeploymentGroups', code: 'AccessDeniedException' }),
      expect.objectContaining({ scopeArn: `arn:aws:codedeploy:us-east-1:${TEST_ACCOUNT}:application:partial`, operation: 'codedeploy:BatchGetDeploymentGroups', code: 'PartialResult' }),
    ]);
    expect(errors).toHaveLength(2);
  });

  it('records a region-wide list gap when applications cannot be listed', async () => {
    mock.on(ListApplicationsCommand).rejects(denied('ListApplications'));
    const { ctx, region } = makeContext();
    await codedeployCollector.collect(ctx);
    expect(region.listGaps).toEqual([
      expect.objectContaining({ kind: 'AwsCodeDeployDeploymentGroup', scopeArn: `arn:aws:lambda:us-east-1:${TEST_ACCOUNT}:account`, operation: 'codedeploy:ListApplications', code: 'AccessDeniedException' }),
    ]);
    expect(mock.commandCalls(ListDeploymentGroupsCommand)).toHaveLength(0);
  });
});
