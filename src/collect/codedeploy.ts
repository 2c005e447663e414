// CodeDeploy deployment groups of the Lambda compute platform (ListApplications → ListDeploymentGroups →
// BatchGetDeploymentGroups, 100 names per call). Groups of EC2/ECS applications are read (the platform is only known
// from the group) but not kept.
import {
  BatchGetDeploymentGroupsCommand, CodeDeployClient, ListApplicationsCommand, ListDeploymentGroupsCommand, type DeploymentGroupInfo,
} from '@aws-sdk/client-codedeploy';
import { paginate } from '../aws/paginate.js';
import type { CodeDeployDeploymentGroup } from '../model/index.js';
import type { CollectContext, Collector } from './types.js';

const KIND = 'AwsCodeDeployDeploymentGroup';
const BATCH = 100;

export const codedeployCollector: Collector = {
  name: 'codedeploy',
  kinds: [KIND],
  scope: 'region',
  operations: ['codedeploy:ListApplications', 'codedeploy:ListDeploymentGroups', 'codedeploy:BatchGetDeploymentGroups'],
  async collect(ctx) {
    const client = ctx.client(CodeDeployClient);
    const call = <T>(fn: () => Promise<T>) => ctx.limit('codedeploy', fn);
    const ar = ctx.accountRegion();
    let apps: string[];
    try {
      apps = await paginate(async (nextToken) => {
        const out = await call(() => client.send(new ListApplicationsCommand({ nextToken })));
        return { items: out.applications ?? [], next: out.nextToken };
      });
    } catch (err) {
      ctx.listGap(KIND, ar.arn, 'codedeploy:ListApplications', err, ar.name);
      return;
    }
    await Promise.all(apps.map((app) => collectApplication(ctx, client, call, app)));
  },
};

async function collectApplication(ctx: CollectContext, client: CodeDeployClient, call: <T>(fn: () => Promise<T>) => Promise<T>, applicationName: string): Promise<void> {
  const appArn = `arn:${ctx.partition}:codedeploy:${ctx.region}:${ctx.accountId}:application:${applicationName}`;
  let operation = 'codedeploy:ListDeploymentGroups';
  try {
    const names = await paginate(async (nextToken) => {
      const out = await call(() => client.send(new ListDeploymentGroupsCommand({ applicationName, nextToken })));
      return { items: out.deploymentGroups ?? [], next: out.nextToken };
    });
    operation = 'codedeploy:BatchGetDeploymentGroups';
    for (let i = 0; i < names.length; i += BATCH) {
      const deploymentGroupNames = names.slice(i, i + BATCH);
      const out = await call(() => client.send(new BatchGetDeploymentGroupsCommand({ applicationName, deploymentGroupNames })));
      const infos = out.deploymentGroupsInfo ?? [];
      for (const info of infos) if (info.computePlatform === 'Lambda') ctx.add(toGroup(ctx, info, applicationName));
      // A partial answer names what it could not read in errorMessage; those groups are unknown, not absent.
      if (out.errorMessage || infos.length < deploymentGroupNames.length) {
        throw Object.assign(new Error(out.errorMessage || `${deploymentGroupNames.length - infos.length} deployment group(s) not returned`), { name: 'PartialResult' });
      }
    }
  } catch (err) {
    ctx.listGap(KIND, appArn, operation, err, applicationName);
  }
}

function toGroup(ctx: CollectContext, g: DeploymentGroupInfo, applicationName: string): CodeDeployDeploymentGroup {
  const deploymentGroupName = g.deploymentGroupName ?? '';
  return {
    kind: KIND,
    arn: `arn:${ctx.partition}:codedeploy:${ctx.region}:${ctx.accountId}:deploymentgroup:${applicationName}/${deploymentGroupName}`,
    name: `${applicationName}/${deploymentGroupName}`,
    accountId: ctx.accountId,
    region: ctx.region,
    tags: {},
    applicationName,
    deploymentGroupName,
    computePlatform: g.computePlatform,
    deploymentConfigName: g.deploymentConfigName,
    alarmConfiguration: g.alarmConfiguration
      ? { enabled: g.alarmConfiguration.enabled, alarms: (g.alarmConfiguration.alarms ?? []).map((a) => ({ name: a.name })) }
      : undefined,
    autoRollbackConfiguration: g.autoRollbackConfiguration
      ? { enabled: g.autoRollbackConfiguration.enabled, events: g.autoRollbackConfiguration.events }
      : undefined,
  };
}
