import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { alarmCoverage, describeTarget, restApi5xxTarget, v2ApiErrorTarget } from '../lib/alarms.js';

// One id for REST (v1) and HTTP/WebSocket (v2) APIs, as in the catalogue: the check evaluates both kinds.
const check = defineCheck({
  id: 'apigw.no-5xx-alarm',
  title: 'API Gateway API has no alarm on server-side (5XX) errors',
  description:
    'Without an alarm on server-side errors, backend failures and integration timeouts seen by clients go unnoticed. ' +
    'An alarm counts when it watches REST 5XXError with ApiName=<API name>, HTTP 5xx with ApiId=<API id>, or WebSocket ' +
    'ExecutionError/IntegrationError with ApiId=<API id> (extra Stage/Resource/Method dimensions are fine), ' +
    'directly or in metric math; an aggregate alarm with no dimensions counts only with countAggregateAlarms. Every REST API is ' +
    'evaluated: whether it has traffic is not known without metrics. The lens (SERVOPS 1) lists API Gateway 5XXError among the alarms to set.',
  severity: 'MEDIUM',
  pillar: 'OPS',
  lens: ['SERVOPS 1'],
  lens2022: ['SERVOPS 1'],
  resourceKind: 'AwsApiGatewayRestApi',
  resourceKinds: ['AwsApiGatewayRestApi', 'AwsApiGatewayV2Api'],
  uses: ['ApiId', 'ProtocolType'],
  needs: ['AwsCloudWatchAlarm'],
  cost: 'C',
  options: { countAggregateAlarms: false },
  remediation: {
    text: 'Create a CloudWatch alarm on AWS/ApiGateway 5XXError with dimension ApiName=<API name> (and Stage=<stage> for the production stage), statistic Sum or Average, and route it to the on-call topic.',
    url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html',
  },
  peers: {},
  evaluate(api, ctx) {
    const isRest = api.kind === 'AwsApiGatewayRestApi';
    const target = isRest ? restApi5xxTarget(api.name) : v2ApiErrorTarget({ ApiId: api.ApiId, ProtocolType: api.ProtocolType });
    if (!target) return undefined;
    const label = isRest ? 'REST API' : api.ProtocolType === 'WEBSOCKET' ? 'WebSocket API' : 'HTTP API';
    const { covering, aggregateNotCounted } = alarmCoverage(ctx.list('AwsCloudWatchAlarm'), target, {
      countAggregateAlarms: ctx.options.countAggregateAlarms,
    });
    if (covering.length > 0) return ctx.pass(`${label} ${api.name} has a server-error alarm: ${covering.join(', ')}.`, { alarms: covering });
    return ctx.fail(`No CloudWatch alarm watches ${describeTarget(target)} for ${label} ${api.name}.`, {
      metric: describeTarget(target),
      ...(aggregateNotCounted.length > 0 ? { aggregateAlarmsNotCounted: aggregateNotCounted } : {}),
    });
  },
});
export default check;

export const examples: CheckExamples<'AwsApiGatewayRestApi' | 'AwsApiGatewayV2Api'> = {
  pass: [
    {
      name: 'HTTP API with a 5xx alarm by ApiId',
      resource: { kind: 'AwsApiGatewayV2Api', name: 'payments-http', ApiId: 'a1b2c3', ProtocolType: 'HTTP' },
      others: [{
        kind: 'AwsCloudWatchAlarm', name: 'payments-5xx', Namespace: 'AWS/ApiGateway', MetricName: '5xx',
        Dimensions: [{ Name: 'ApiId', Value: 'a1b2c3' }, { Name: 'Stage', Value: '$default' }],
      }],
    },
    {
      name: 'stage-level alarm',
      resource: { name: 'orders' },
      others: [{
        kind: 'AwsCloudWatchAlarm', name: 'orders-prod-5xx', Namespace: 'AWS/ApiGateway', MetricName: '5XXError',
        Dimensions: [{ Name: 'ApiName', Value: 'orders' }, { Name: 'Stage', Value: 'prod' }],
      }],
    },
  ],
  fail: [
    { name: 'no alarm', resource: { name: 'orders' } },
    {
      name: 'WebSocket API with an alarm on another API only',
      resource: { kind: 'AwsApiGatewayV2Api', name: 'chat', ApiId: 'ws123', ProtocolType: 'WEBSOCKET' },
      others: [{ kind: 'AwsCloudWatchAlarm', name: 'other-ws', Namespace: 'AWS/ApiGateway', MetricName: 'IntegrationError', Dimensions: [{ Name: 'ApiId', Value: 'zzz999' }] }],
    },
    {
      name: 'alarm on 4XXError and on another API',
      resource: { name: 'orders' },
      others: [
        { kind: 'AwsCloudWatchAlarm', name: 'orders-4xx', Namespace: 'AWS/ApiGateway', MetricName: '4XXError', Dimensions: [{ Name: 'ApiName', Value: 'orders' }] },
        { kind: 'AwsCloudWatchAlarm', name: 'billing-5xx', Namespace: 'AWS/ApiGateway', MetricName: '5XXError', Dimensions: [{ Name: 'ApiName', Value: 'billing' }] },
      ],
    },
  ],
  notAssessed: [
    { resource: { name: 'orders' }, listGaps: ['AwsCloudWatchAlarm'] },
    { name: 'HTTP API, alarms unlistable', resource: { kind: 'AwsApiGatewayV2Api', name: 'payments-http', ApiId: 'a1b2c3' }, listGaps: ['AwsCloudWatchAlarm'] },
  ],
};
