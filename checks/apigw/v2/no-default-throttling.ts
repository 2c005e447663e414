import { defineCheck, type CheckExamples } from '../../../src/model/index.js';

const set = (n: number | undefined) => n !== undefined && n >= 0;

const check = defineCheck({
  id: 'apigw.v2.no-default-throttling',
  title: 'HTTP or WebSocket API stage has no default route throttling',
  description:
    'Without burst and rate limits in DefaultRouteSettings only the account-wide limit applies, so one route or client can use the whole ' +
    'region quota and flood the backend (SERVREL 2; serverless-rules ES2003). Per-route limits are shown as detail.',
  severity: 'MEDIUM',
  pillar: 'REL',
  lens: ['SERVREL 2'],
  resourceKind: 'AwsApiGatewayV2Stage',
  uses: ['DefaultRouteSettings', 'RouteSettings'],
  cost: 'E',
  remediation: {
    text: 'Set default route throttling on the stage: aws apigatewayv2 update-stage --api-id ID --stage-name NAME --default-route-settings ThrottlingBurstLimit=N,ThrottlingRateLimit=N.',
    url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html',
  },
  peers: { serverlessRules: ['ES2003'] },
  evaluate(stage, ctx) {
    const d = stage.DefaultRouteSettings;
    if (set(d?.ThrottlingBurstLimit) && set(d?.ThrottlingRateLimit)) {
      return ctx.pass(`Stage ${stage.name} throttles routes at ${d!.ThrottlingRateLimit} requests/s, burst ${d!.ThrottlingBurstLimit}.`);
    }
    const routes = Object.entries(stage.RouteSettings ?? {}).filter(([, s]) => set(s.ThrottlingRateLimit)).map(([k]) => k);
    return ctx.fail(
      `Stage ${stage.name} has no default burst/rate limit${routes.length > 0 ? ` (only routes ${routes.join(', ')} are throttled)` : ''}; only the account limit applies.`,
      { DefaultRouteSettings: d ?? null, throttledRoutes: routes },
    );
  },
});
export default check;

export const examples: CheckExamples<'AwsApiGatewayV2Stage'> = {
  pass: [{ resource: { DefaultRouteSettings: { ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50, DetailedMetricsEnabled: false } } }],
  fail: [
    { name: 'metrics only', resource: { DefaultRouteSettings: { DetailedMetricsEnabled: false } } },
    { name: 'one route throttled', resource: { DefaultRouteSettings: { ThrottlingRateLimit: 50 }, RouteSettings: { 'POST /orders': { ThrottlingBurstLimit: 10, ThrottlingRateLimit: 5 } } } },
  ],
  notAssessed: [{ resource: { gaps: { DefaultRouteSettings: { operation: 'apigateway:GetStages', code: 'AccessDeniedException', message: 'denied' } } } }],
};
