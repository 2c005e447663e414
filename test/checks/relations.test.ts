// Checks that relate several resources (SNS subscriptions → functions, log groups → functions, composite alarms,
// execution roles → functions, scalable targets → tables, stages/resources of an account-region), over inventories
// with several resources and regions.
import { describe, expect, it } from 'vitest';
import alarmNoAlarmAction from '../../checks/alarm/no-alarm-action.js';
import accessLogNotJson from '../../checks/apigw/access-log-not-json.js';
import provisionedNoAutoscaling from '../../checks/dynamodb/provisioned-no-autoscaling.js';
import execRoleAdmin from '../../checks/iam/exec-role-admin.js';
import execRoleCannotLog from '../../checks/iam/exec-role-cannot-log.js';
import execRoleTrustTooBroad from '../../checks/iam/exec-role-trust-too-broad.js';
import execRoleWildcard from '../../checks/iam/exec-role-wildcard.js';
import asyncNoFailureDestination from '../../checks/lambda/async-no-failure-destination.js';
import logsOrphaned from '../../checks/logs/orphaned-lambda-log-group.js';
import tagsMissing from '../../checks/tags/missing.js';
import { evaluateAccount } from '../../src/engine/evaluate.js';
import { accountOf, makeResource } from '../../src/engine/examples.js';
import { findingId } from '../../src/engine/finding-id.js';
import type { AnyResource, Check, Kind, Result } from '../../src/model/index.js';

const ACCOUNT = '111122223333';
const NOW = new Date('2026-06-01T00:00:00Z');
const r = (kind: Kind, partial: Record<string, unknown>) => makeResource(kind, partial) as AnyResource;
const run = (check: unknown, resources: AnyResource[], listGaps: { kind: Kind; region?: string }[] = []) =>
  evaluateAccount([check as Check], accountOf(resources, listGaps), { now: NOW });
const status = (results: Result[]) => Object.fromEntries(results.map((x) => [`${x.region}/${x.resourceName}`, x.status]));
const fnArn = (name: string, region = 'us-east-1') => `arn:aws:lambda:${region}:${ACCOUNT}:function:${name}`;
const allow = (service: string) => ({ Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'lambda:InvokeFunction', Resource: '*' }] });

describe('lambda.async-no-failure-destination', () => {
  const fns = [
    // Invoked only through an SNS subscription in another region, on an alias.
    r('AwsLambdaFunction', { name: 'notify', Policy: null, FunctionEventInvokeConfigs: [] }),
    // S3 invokes it; the OnFailure destination is on the live alias only: any qualifier counts.
    r('AwsLambdaFunction', { name: 'thumbnails', Policy: allow('s3.amazonaws.com'), FunctionEventInvokeConfigs: [{ FunctionArn: `${fnArn('thumbnails')}:live`, DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:111122223333:failed' } } }] }),
    // Synchronous only.
    r('AwsLambdaFunction', { name: 'api', Policy: allow('apigateway.amazonaws.com'), FunctionEventInvokeConfigs: [] }),
    // EventBridge in eu-west-1, with a DLQ.
    r('AwsLambdaFunction', { name: 'nightly', region: 'eu-west-1', Policy: allow('events.amazonaws.com'), FunctionEventInvokeConfigs: [], DeadLetterConfig: { TargetArn: 'arn:aws:sqs:eu-west-1:111122223333:dlq' } }),
  ];
  const subs = [
    r('AwsSnsSubscription', { name: 'alerts:1', region: 'eu-west-1', Protocol: 'lambda', Endpoint: `${fnArn('notify')}:prod` }),
    r('AwsSnsSubscription', { name: 'alerts:2', region: 'eu-west-1', Protocol: 'sqs', Endpoint: 'arn:aws:sqs:eu-west-1:111122223333:api' }),
  ];

  it('finds asynchronous invokers in policies and in SNS subscriptions of any region', () => {
    const results = run(asyncNoFailureDestination, [...fns, ...subs]);
    expect(status(results)).toEqual({ 'us-east-1/notify': 'FAIL', 'us-east-1/thumbnails': 'PASS', 'eu-west-1/nightly': 'PASS' });
    expect(results.find((x) => x.resourceName === 'notify')!.evidence).toMatchObject({ asyncInvokers: ['SNS subscription'] });
  });

  it('an unlisted subscription region leaves only functions without an async principal undecided', () => {
    const results = run(asyncNoFailureDestination, [...fns, ...subs], [{ kind: 'AwsSnsSubscription', region: 'eu-west-1' }]);
    expect(status(results)).toEqual({ 'us-east-1/notify': 'NOT_ASSESSED', 'us-east-1/api': 'NOT_ASSESSED', 'us-east-1/thumbnails': 'PASS', 'eu-west-1/nightly': 'PASS' });
  });
});

describe('logs.orphaned-lambda-log-group', () => {
  const group = (name: string, storedBytes: number, region = 'us-east-1') =>
    r('AwsLogsLogGroup', { name, logGroupName: name, region, storedBytes, arn: `arn:aws:logs:${region}:${ACCOUNT}:log-group:${name}` });
  const inventory = [
    r('AwsLambdaFunction', { name: 'orders' }),
    r('AwsLambdaFunction', { name: 'writer', LoggingConfig: { LogFormat: 'JSON', LogGroup: '/aws/lambda/shared-app' } }),
    r('AwsLambdaFunction', { name: 'edge-auth' }),
    r('AwsLambdaFunction', { name: 'reports', region: 'eu-west-1' }),
    group('/aws/lambda/orders', 10),
    group('/aws/lambda/shared-app', 10),
    group('/aws/lambda/deleted', 4096),
    group('/aws/lambda/deleted-empty', 0),
    group('/aws/apigateway/welcome', 10),
    // The function of the same name lives in eu-west-1: a group in us-east-1 is still orphaned.
    group('/aws/lambda/reports', 99),
    group('/aws/lambda/us-east-1.edge-auth', 10, 'eu-west-1'),
    group('/aws/lambda/us-east-1.edge-gone', 10, 'eu-west-1'),
  ];

  it('matches groups to functions by name, LoggingConfig and Lambda@Edge replica names', () => {
    expect(status(run(logsOrphaned, inventory))).toEqual({
      'us-east-1//aws/lambda/orders': 'PASS',
      'us-east-1//aws/lambda/shared-app': 'PASS',
      'us-east-1//aws/lambda/deleted': 'FAIL',
      'us-east-1//aws/lambda/deleted-empty': 'PASS',
      'us-east-1//aws/lambda/reports': 'FAIL',
      'eu-west-1//aws/lambda/us-east-1.edge-auth': 'PASS',
      'eu-west-1//aws/lambda/us-east-1.edge-gone': 'FAIL',
    });
  });

  it('a region whose functions could not be listed is undecided there only', () => {
    const s = status(run(logsOrphaned, inventory, [{ kind: 'AwsLambdaFunction', region: 'eu-west-1' }]));
    expect(s['us-east-1//aws/lambda/deleted']).toBe('FAIL');
    // Edge replicas in eu-west-1 need the eu-west-1 list first, then the account-wide one.
    expect(s['eu-west-1//aws/lambda/us-east-1.edge-auth']).toBe('NOT_ASSESSED');
  });
});

describe('alarm.no-alarm-action through composite alarms', () => {
  const metric = (name: string, actions: string[] = [], region = 'us-east-1') =>
    r('AwsCloudWatchAlarm', { name, region, AlarmActions: actions, Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: name }] });
  const composite = (name: string, rule: string, actions: string[] = [], region = 'us-east-1') =>
    r('AwsCloudWatchAlarm', { name, region, AlarmType: 'CompositeAlarm', AlarmRule: rule, AlarmActions: actions });
  const TOPIC = ['arn:aws:sns:us-east-1:111122223333:oncall'];

  it('follows parents at any depth, by name or ARN, and stays within the region', () => {
    const results = run(alarmNoAlarmAction, [
      metric('a'), metric('b'), metric('c'), metric('d', TOPIC),
      composite('group', `ALARM(a) OR ALARM("arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:b")`),
      composite('top', 'ALARM(group) AND NOT OK(d)', TOPIC),
      // Same name in another region: its parent there has no action, and the us-east-1 parent does not count.
      metric('a', [], 'eu-west-1'),
      composite('group', 'ALARM(a)', [], 'eu-west-1'),
      // Composites that refer to each other without any action: no endless loop.
      composite('x', 'ALARM(y) OR ALARM(c)'), composite('y', 'ALARM(x)'),
      r('AwsCloudWatchAlarm', { name: 'cpu', Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', AlarmActions: [] }),
    ]);
    expect(status(results)).toEqual({
      'us-east-1/a': 'PASS', 'us-east-1/b': 'PASS', 'us-east-1/c': 'FAIL', 'us-east-1/d': 'PASS',
      'us-east-1/group': 'PASS', 'us-east-1/top': 'PASS', 'us-east-1/x': 'FAIL', 'us-east-1/y': 'FAIL',
      'eu-west-1/a': 'FAIL', 'eu-west-1/group': 'FAIL',
    });
    expect(results.find((x) => x.resourceName === 'a' && x.region === 'us-east-1')!.evidence).toEqual({ via: 'top' });
  });
});

describe('execution-role checks over role documents', () => {
  const ROLE = (n: string) => `arn:aws:iam::${ACCOUNT}:role/${n}`;
  const trust = (...services: string[]) => ({ Statement: [{ Effect: 'Allow', Principal: { Service: services }, Action: 'sts:AssumeRole' }] });
  const iamRole = (name: string, p: Record<string, unknown>) =>
    r('AwsIamRole', { name, RoleName: name, arn: ROLE(name), Arn: ROLE(name), RolePolicyList: [], AttachedManagedPolicies: [], AttachedPolicyDocuments: [], ...p });
  const basic = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
  const roles = [
    iamRole('app', {
      AssumeRolePolicyDocument: trust('lambda.amazonaws.com'),
      RolePolicyList: [{ PolicyName: 'data', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: 'arn:aws:dynamodb:*:111122223333:table/orders' }] } }],
      AttachedManagedPolicies: [{ PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: basic }],
      AttachedPolicyDocuments: [{ PolicyArn: basic }],
    }),
    iamRole('greedy', {
      AssumeRolePolicyDocument: trust('lambda.amazonaws.com', 'ec2.amazonaws.com'),
      RolePolicyList: [{ PolicyName: 'all', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['s3:*', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: 'arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/*' }, { Effect: 'Allow', Action: '*', Resource: '*' }] } }],
    }),
    iamRole('ec2-only', { AssumeRolePolicyDocument: trust('ec2.amazonaws.com'), RolePolicyList: [{ PolicyName: 'all', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }] }),
  ];
  const fns = [
    r('AwsLambdaFunction', { name: 'reader', Role: ROLE('app') }),
    r('AwsLambdaFunction', { name: 'reader-eu', region: 'eu-west-1', Role: ROLE('app') }),
    r('AwsLambdaFunction', { name: 'worker', Role: ROLE('greedy') }),
    r('AwsLambdaFunction', { name: 'worker-eu', region: 'eu-west-1', Role: ROLE('greedy') }),
    r('AwsLambdaFunction', { name: 'foreign', Role: 'arn:aws:iam::999988887777:role/shared' }),
  ];

  it('judges only roles Lambda can assume, and names the functions (all regions) that use them', () => {
    const admin = run(execRoleAdmin, [...roles, ...fns]);
    expect(status(admin)).toEqual({ 'global/app': 'PASS', 'global/greedy': 'FAIL' });
    expect(admin.find((x) => x.resourceName === 'greedy')!.message).toContain('used by worker (us-east-1), worker-eu (eu-west-1)');
    expect(status(run(execRoleWildcard, [...roles, ...fns]))).toEqual({ 'global/app': 'PASS', 'global/greedy': 'FAIL' });
    const trustResults = run(execRoleTrustTooBroad, [...roles, ...fns]);
    expect(status(trustResults)).toEqual({ 'global/app': 'PASS', 'global/greedy': 'FAIL' });
    expect(trustResults.find((x) => x.resourceName === 'greedy')!.evidence).toEqual({ principals: ['Service:ec2.amazonaws.com'] });
  });

  it('still judges roles when a region of functions could not be listed, without naming users', () => {
    const admin = run(execRoleAdmin, [...roles, ...fns], [{ kind: 'AwsLambdaFunction', region: 'eu-west-1' }]);
    const greedy = admin.find((x) => x.resourceName === 'greedy')!;
    expect(greedy.status).toBe('FAIL');
    expect(greedy.message).not.toContain('used by');
  });

  it('checks log permissions against the log group of each function in its own region', () => {
    // greedy allows the log actions only in us-east-1 (its Allow * statement would allow everything, so drop it here).
    const scoped = roles.map((x) =>
      x.name === 'greedy'
        ? { ...x, RolePolicyList: [{ PolicyName: 'logs', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: 'arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/*' }] } }] }
        : x,
    ) as AnyResource[];
    expect(status(run(execRoleCannotLog, [...scoped, ...fns]))).toEqual({
      'us-east-1/reader': 'PASS',
      'eu-west-1/reader-eu': 'PASS',
      'us-east-1/worker': 'PASS',
      'eu-west-1/worker-eu': 'FAIL',
      'us-east-1/foreign': 'NOT_ASSESSED',
    });
  });
});

describe('dynamodb.provisioned-no-autoscaling with scalable targets', () => {
  const targets = (region: string, ids: string[]) =>
    r('AwsAccountRegion', {
      region, arn: `arn:aws:lambda:${region}:${ACCOUNT}:account`,
      DynamoDbScalableTargets: ids.flatMap((ResourceId) => {
        const level = ResourceId.includes('/index/') ? 'index' : 'table';
        return [`dynamodb:${level}:ReadCapacityUnits`, `dynamodb:${level}:WriteCapacityUnits`].map((ScalableDimension) => ({ ResourceId, ScalableDimension }));
      }),
    });

  it('uses the targets of the table region only, and requires every GSI', () => {
    const results = run(provisionedNoAutoscaling, [
      r('AwsDynamoDbTable', { name: 'orders', BillingModeSummary: { BillingMode: 'PROVISIONED' }, GlobalSecondaryIndexes: [{ IndexName: 'byDate' }, { IndexName: 'byUser' }] }),
      r('AwsDynamoDbTable', { name: 'orders', region: 'eu-west-1', BillingModeSummary: { BillingMode: 'PROVISIONED' } }),
      r('AwsDynamoDbTable', { name: 'sessions', BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' } }),
      targets('us-east-1', ['table/orders', 'table/orders/index/byDate']),
      targets('eu-west-1', []),
    ]);
    expect(status(results)).toEqual({ 'us-east-1/orders': 'FAIL', 'eu-west-1/orders': 'FAIL', 'us-east-1/sessions': 'PASS' });
    expect(results.find((x) => x.region === 'us-east-1' && x.resourceName === 'orders')!.evidence).toEqual({ missing: ['index byUser read', 'index byUser write'] });
  });
});

describe('account-region checks report per resource', () => {
  it('apigw.access-log-not-json reports each stage under its own ARN with a stable finding id', () => {
    const rest = r('AwsApiGatewayStage', { name: 'shop/prod', stageName: 'prod', arn: 'arn:aws:apigateway:us-east-1::/restapis/abc/stages/prod', accessLogSettings: { destinationArn: 'arn:aws:logs:us-east-1:111122223333:log-group:a', format: '$context.requestId' } });
    const http = r('AwsApiGatewayV2Stage', { name: 'chat/$default', StageName: '$default', arn: 'arn:aws:apigateway:us-east-1::/apis/xyz/stages/$default', AccessLogSettings: { DestinationArn: 'arn:aws:logs:us-east-1:111122223333:log-group:b', Format: '{"id":"$context.requestId"}' } });
    const results = run(accessLogNotJson, [r('AwsAccountRegion', {}), rest, http]);
    expect(results.map((x) => [x.resourceArn, x.resourceKind, x.status])).toEqual([
      [rest.arn, 'AwsApiGatewayStage', 'FAIL'],
      [http.arn, 'AwsApiGatewayV2Stage', 'PASS'],
    ]);
    expect(results[0]!.findingId).toBe(findingId('apigw.access-log-not-json', ACCOUNT, 'us-east-1', rest.arn));
  });

  it('tags.missing covers every tagged kind of the region and keeps unlisted kinds apart', () => {
    const results = run(
      tagsMissing,
      [
        r('AwsAccountRegion', {}),
        r('AwsLambdaFunction', { name: 'fn', tags: { team: 'a' } }),
        r('AwsApiGatewayV2Api', { name: 'http', tags: {} }),
        r('AwsSnsTopic', { name: 'topic', tags: { 'aws:cloudformation:stack-id': 'x' } }),
      ],
      [{ kind: 'AwsKinesisStream' }],
    );
    expect(results.map((x) => [x.resourceKind, x.resourceName, x.status])).toEqual([
      ['AwsLambdaFunction', 'fn', 'PASS'],
      ['AwsApiGatewayV2Api', 'http', 'FAIL'],
      ['AwsKinesisStream', `arn:aws:lambda:us-east-1:${ACCOUNT}:account`, 'NOT_ASSESSED'],
      ['AwsSnsTopic', 'topic', 'FAIL'],
    ]);
    expect(new Set(results.map((x) => x.findingId)).size).toBe(results.length);
  });
});
