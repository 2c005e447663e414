import { defineCheck, type CheckExamples, type LambdaFunction } from '../../src/model/index.js';
import { derived } from '../lib/memo.js';

/** Function names and the log groups functions name in LoggingConfig. */
const namesOf = (fns: readonly LambdaFunction[]) =>
  derived(fns, 'lambda-log-names', () => new Set(fns.flatMap((f) => [`fn:${f.region}:${f.name}`, ...(f.LoggingConfig?.LogGroup ? [`group:${f.region}:${f.LoggingConfig.LogGroup}`] : [])])));

const PREFIX = '/aws/lambda/';

const check = defineCheck({
  id: 'logs.orphaned-lambda-log-group',
  title: 'Lambda log group holds data but its function no longer exists',
  description:
    'Deleting a function leaves its /aws/lambda/ log group behind; with no retention it is billed for storage forever (SERVCOST 2). ' +
    'A group counts as used when a function of that name exists or a function names it in LoggingConfig.LogGroup. ' +
    'Lambda@Edge groups (/aws/lambda/us-east-1.NAME) are matched to the function in us-east-1.',
  severity: 'LOW',
  pillar: 'COST',
  lens: ['SERVCOST 2'],
  lens2022: ['SERVCOST 1'],
  resourceKind: 'AwsLogsLogGroup',
  uses: ['logGroupName', 'storedBytes'],
  needs: ['AwsLambdaFunction'],
  cost: 'C',
  accountWide: true,
  remediation: {
    text: 'Export what you must keep, then delete the log group (aws logs delete-log-group --log-group-name NAME) or set a short retention.',
    url: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html',
  },
  peers: {},
  evaluate(group, ctx) {
    const name = group.logGroupName;
    if (!name.startsWith(PREFIX)) return;
    const fnName = name.slice(PREFIX.length);
    const here = namesOf(ctx.list('AwsLambdaFunction'));
    let used = here.has(`fn:${group.region}:${fnName}`) || here.has(`group:${group.region}:${name}`);
    const edge = /^us-east-1\.(.+)$/.exec(fnName);
    if (!used && edge) used = namesOf(ctx.list('AwsLambdaFunction', 'account')).has(`fn:us-east-1:${edge[1]}`);
    if (used) return ctx.pass(`Log group ${name} belongs to an existing function.`);
    if (group.storedBytes === undefined) return ctx.notAssessed(`Stored bytes of log group ${name} are unknown.`);
    if (group.storedBytes === 0) return ctx.pass(`Log group ${name} has no function but holds no data.`, { storedBytes: 0 });
    return ctx.fail(`Log group ${name} holds ${group.storedBytes} bytes but no function ${fnName} exists.`, { storedBytes: group.storedBytes });
  },
});
export default check;

const group = (name: string, storedBytes?: number) => ({ name, logGroupName: name, arn: `arn:aws:logs:us-east-1:111122223333:log-group:${name}`, storedBytes });

export const examples: CheckExamples<'AwsLogsLogGroup'> = {
  pass: [
    { name: 'function exists', resource: group('/aws/lambda/orders', 1024), others: [{ kind: 'AwsLambdaFunction', name: 'orders' }] },
    { name: 'shared through LoggingConfig', resource: group('/aws/lambda/shared', 1024), others: [{ kind: 'AwsLambdaFunction', name: 'a', LoggingConfig: { LogGroup: '/aws/lambda/shared' } }] },
    {
      name: 'Lambda@Edge replica group',
      resource: { ...group('/aws/lambda/us-east-1.edge-auth', 10), region: 'eu-west-1', arn: 'arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/us-east-1.edge-auth' },
      others: [{ kind: 'AwsLambdaFunction', name: 'edge-auth' }],
    },
    { name: 'not a Lambda group: does not apply', resource: group('API-Gateway-Execution-Logs_abc/prod', 5), count: 0 },
  ],
  fail: [{ resource: group('/aws/lambda/deleted-fn', 52_428_800), others: [{ kind: 'AwsLambdaFunction', name: 'orders' }] }],
  notAssessed: [{ name: 'functions not listed', resource: group('/aws/lambda/orders', 10), listGaps: ['AwsLambdaFunction'] }],
};
