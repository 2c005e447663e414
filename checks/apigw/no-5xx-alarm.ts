import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { alarmCoverage, describeTarget, restApi5xxTarget } from '../lib/alarms.js';

// REST APIs only for now: a check has one resource kind, so HTTP/WebSocket APIs (AwsApiGatewayV2Api) need either a
// second check id or multi-kind checks in the engine. Their metric targets are ready in checks/lib/alarms.ts (v2ApiErrorTarget).
const check = defineCheck({
  id: 'apigw.no-5xx-alarm',
  title: 'REST API has no alarm on server-side (5XX) errors',
  description:
    'Without an alarm on AWS/ApiGateway 5XXError for the API, backend failures and integration timeouts seen by clients go ' +
    'unnoticed. An alarm counts when it watches 5XXError with ApiName=<API name> (extra Stage/Resource/Method dimensions are fine), ' +
    'directly or in metric math; an aggregate alarm with no dimensions counts only with countAggregateAlarms. Every REST API is ' +
    'evaluated: whether it has traffic is not known without metrics. The lens (SERVOPS 1) lists API Gateway 5XXError among the alarms to set.',
  severity: 'MEDIUM',
  pillar: 'OPS',
  lens: ['SERVOPS 1'],
  resourceKind: 'AwsApiGatewayRestApi',
  uses: [],
  needs: ['AwsCloudWatchAlarm'],
  cost: 'C',
  options: { countAggregateAlarms: false },
  remediation: {
    text: 'Create a CloudWatch alarm on AWS/ApiGateway 5XXError with dimension ApiName=<API name> (and Stage=<stage> for the production stage), statistic Sum or Average, and route it to the on-call topic.',
    url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html',
  },
  peers: {},
  evaluate(api, ctx) {
    const target = restApi5xxTarget(api.name);
    const { covering, aggregateNotCounted } = alarmCoverage(ctx.list('AwsCloudWatchAlarm'), target, {
      countAggregateAlarms: ctx.options.countAggregateAlarms,
    });
    if (covering.length > 0) return ctx.pass(`REST API ${api.name} has a 5XXError alarm: ${covering.join(', ')}.`, { alarms: covering });
    return ctx.fail(`No CloudWatch alarm watches ${describeTarget(target)} for REST API ${api.name}.`, {
      metric: describeTarget(target),
      ...(aggregateNotCounted.length > 0 ? { aggregateAlarmsNotCounted: aggregateNotCounted } : {}),
    });
  },
});
export default check;

export const examples: CheckExamples<'AwsApiGatewayRestApi'> = {
  pass: [
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
      name: 'alarm on 4XXError and on another API',
      resource: { name: 'orders' },
      others: [
        { kind: 'AwsCloudWatchAlarm', name: 'orders-4xx', Namespace: 'AWS/ApiGateway', MetricName: '4XXError', Dimensions: [{ Name: 'ApiName', Value: 'orders' }] },
        { kind: 'AwsCloudWatchAlarm', name: 'billing-5xx', Namespace: 'AWS/ApiGateway', MetricName: '5XXError', Dimensions: [{ Name: 'ApiName', Value: 'billing' }] },
      ],
    },
  ],
  notAssessed: [{ resource: { name: 'orders' }, listGaps: ['AwsCloudWatchAlarm'] }],
};
