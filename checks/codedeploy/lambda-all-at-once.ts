import { defineCheck, type CheckExamples } from '../../src/model/index.js';

const ALL_AT_ONCE = 'CodeDeployDefault.LambdaAllAtOnce';

const check = defineCheck({
  id: 'codedeploy.lambda-all-at-once',
  title: 'CodeDeploy Lambda deployment group shifts all traffic at once or cannot roll back',
  description:
    'All-at-once deployment sends every request to the new version immediately, so a bad release hits all users; the lens (SERVOPS 2) prefers ' +
    'canary or linear shifting with alarms and automatic rollback. Also fails a gradual group without enabled alarms or automatic rollback, ' +
    'which would let a bad version finish shifting. Custom deployment configurations are judged by name only.',
  severity: 'LOW',
  pillar: 'OPS',
  lens: ['SERVOPS 2'],
  lens2022: ['SERVOPS 2'],
  resourceKind: 'AwsCodeDeployDeploymentGroup',
  uses: ['applicationName', 'deploymentGroupName', 'computePlatform', 'deploymentConfigName', 'alarmConfiguration', 'autoRollbackConfiguration'],
  cost: 'E',
  remediation: {
    text: 'Use a canary or linear configuration (e.g. CodeDeployDefault.LambdaCanary10Percent5Minutes; SAM DeploymentPreference Type Canary10Percent5Minutes) with CloudWatch alarms and automatic rollback on DEPLOYMENT_FAILURE and DEPLOYMENT_STOP_ON_ALARM.',
    url: 'https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html#deployment-configuration-lambda',
  },
  peers: { config: ['codedeploy-lambda-allatonce-traffic-shift-disabled'], trustedAdvisor: ['c18d2gz115'] },
  evaluate(group, ctx) {
    if (group.computePlatform !== 'Lambda') return;
    const label = `Deployment group ${group.applicationName}/${group.deploymentGroupName}`;
    const config = group.deploymentConfigName ?? ALL_AT_ONCE;
    const alarms = group.alarmConfiguration?.enabled === true && (group.alarmConfiguration.alarms ?? []).length > 0;
    const rollback = group.autoRollbackConfiguration?.enabled === true && (group.autoRollbackConfiguration.events ?? []).length > 0;
    const lacks = [!alarms && 'no enabled alarms', !rollback && 'no automatic rollback'].filter((x): x is string => !!x);
    const evidence = { deploymentConfigName: config, alarms, autoRollback: rollback };
    if (config === ALL_AT_ONCE) return ctx.fail(`${label} shifts all traffic at once (${config})${lacks.length ? `, with ${lacks.join(' and ')}` : ''}.`, evidence);
    if (lacks.length > 0) return ctx.fail(`${label} shifts traffic gradually (${config}) but has ${lacks.join(' and ')}, so a bad version is not rolled back.`, evidence);
    return ctx.pass(`${label} shifts traffic gradually (${config}) with alarms and automatic rollback.`, evidence);
  },
});
export default check;

const safe = {
  computePlatform: 'Lambda',
  alarmConfiguration: { enabled: true, alarms: [{ name: 'orders-errors' }] },
  autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] },
};

export const examples: CheckExamples<'AwsCodeDeployDeploymentGroup'> = {
  pass: [
    { resource: { ...safe, deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes' } },
    { name: 'ECS group: does not apply', resource: { computePlatform: 'ECS', deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce' }, count: 0 },
  ],
  fail: [
    { name: 'all at once', resource: { ...safe, deploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce' } },
    { name: 'linear without rollback', resource: { computePlatform: 'Lambda', deploymentConfigName: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute', alarmConfiguration: { enabled: false } } },
  ],
  notAssessed: [{ resource: { computePlatform: 'Lambda', gaps: { deploymentConfigName: { operation: 'codedeploy:BatchGetDeploymentGroups', code: 'AccessDeniedException', message: 'denied' } } } }],
};
