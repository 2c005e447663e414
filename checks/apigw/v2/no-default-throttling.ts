import { defineCheck, type CheckExamples } from '../../../src/model/index.js';
import { accountLevelText, accountThrottle, limitSet as set, stageThrottle } from '../../lib/apigw-throttle.js';

const check = defineCheck({
  id: 'apigw.v2.no-default-throttling',
  title: 'HTTP or WebSocket API stage has no default route throttling',
  description:
    'Without burst and rate limits in DefaultRouteSettings only the account-wide limit applies, so one route or client can use the whole ' +
    'region quota and flood the backend (SERVREL 2; serverless-rules ES2003). Unset, GetStage returns DefaultRouteSettings without ' +
    'ThrottlingBurstLimit/ThrottlingRateLimit (e.g. only DetailedMetricsEnabled: false). Limits count only below the account throttle ' +
    '(GetAccount throttleSettings, shared by REST, HTTP and WebSocket APIs of the region): at or above it they are the account\'s; with the ' +
    'account throttle unknown they are not assessed. Per-route limits are shown as detail.',
  severity: 'MEDIUM',
  pillar: 'REL',
  lens: ['SERVREL 2'],
  lens2022: ['SERVREL 1'],
  resourceKind: 'AwsApiGatewayV2Stage',
  uses: ['DefaultRouteSettings', 'RouteSettings'],
  needs: ['AwsAccountRegion'],
  cost: 'E',
  remediation: {
    text: 'Set default route throttling on the stage: aws apigatewayv2 update-stage --api-id ID --stage-name NAME --default-route-settings ThrottlingBurstLimit=N,ThrottlingRateLimit=N, below the account limits (never 0: that refuses every request).',
    url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html',
  },
  peers: { serverlessRules: ['ES2003'] },
  evaluate(stage, ctx) {
    const d = stage.DefaultRouteSettings;
    const t = stageThrottle(d?.ThrottlingRateLimit, d?.ThrottlingBurstLimit, () => accountThrottle(ctx));
    if (t.kind === 'own') {
      const zero = t.rateLimit === 0 || t.burstLimit === 0 ? ' (a limit of 0 refuses every request with 429)' : '';
      return ctx.pass(`Stage ${stage.name} throttles routes at ${t.rateLimit} requests/s, burst ${t.burstLimit}${zero}.`);
    }
    if (t.kind === 'unknown') {
      return ctx.notAssessed(`Stage ${stage.name} has default route limits of ${t.rateLimit} requests/s, burst ${t.burstLimit}, but ${t.why}: they may be the account limits.`);
    }
    const routes = Object.entries(stage.RouteSettings ?? {}).filter(([, s]) => set(s.ThrottlingRateLimit)).map(([k]) => k);
    const why = t.kind === 'account' ? `has no default route throttle of its own: ${accountLevelText(t)}` : 'has no default burst/rate limit';
    return ctx.fail(
      `Stage ${stage.name} ${why}${routes.length > 0 ? ` (only routes ${routes.join(', ')} are throttled)` : ''}; only the account limit applies.`,
      { DefaultRouteSettings: d ?? null, throttledRoutes: routes, ...(t.kind === 'account' ? { accountThrottle: t.account } : {}) },
    );
  },
});
export default check;

// GetAccount's throttleSettings (the region's account limits, shared by REST, HTTP and WebSocket APIs).
const account = (burstLimit = 5000, rateLimit = 10000) => ({ kind: 'AwsAccountRegion' as const, ApiGatewayAccount: { throttleSettings: { burstLimit, rateLimit } } });

export const examples: CheckExamples<'AwsApiGatewayV2Stage'> = {
  pass: [
    { resource: { DefaultRouteSettings: { ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50, DetailedMetricsEnabled: false } }, others: [account()] },
    { name: 'raised account limits; the stage keeps 10000/5000', resource: { DefaultRouteSettings: { DetailedMetricsEnabled: false, ThrottlingBurstLimit: 5000, ThrottlingRateLimit: 10000 } }, others: [account(10000, 20000)] },
  ],
  fail: [
    // As GetStage returns an HTTP API stage with nothing set (AWS CLI get-stage example): no throttling fields at all.
    { name: 'metrics only (what AWS returns when unset)', resource: { DefaultRouteSettings: { DetailedMetricsEnabled: false } }, others: [account()] },
    { name: 'one route throttled', resource: { DefaultRouteSettings: { ThrottlingRateLimit: 50 }, RouteSettings: { 'POST /orders': { ThrottlingBurstLimit: 10, ThrottlingRateLimit: 5 } } }, others: [account()] },
    {
      name: 'WebSocket stage reporting the account limits (5000/10000)',
      resource: { DefaultRouteSettings: { DataTraceEnabled: false, DetailedMetricsEnabled: false, LoggingLevel: 'OFF', ThrottlingBurstLimit: 5000, ThrottlingRateLimit: 10000 } },
      others: [account()],
    },
  ],
  notAssessed: [
    { resource: { gaps: { DefaultRouteSettings: { operation: 'apigateway:GetStages', code: 'AccessDeniedException', message: 'denied' } } } },
    {
      name: 'limits set, account throttle unknown',
      resource: { DefaultRouteSettings: { ThrottlingBurstLimit: 5000, ThrottlingRateLimit: 10000 } },
      others: [{ kind: 'AwsAccountRegion', gaps: { ApiGatewayAccount: { operation: 'apigateway:GetAccount', code: 'AccessDeniedException', message: 'denied' } } }],
    },
  ],
};
