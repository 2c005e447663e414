import { defineCheck, type CheckExamples } from '../../../src/model/index.js';
import { accountLevelText, accountThrottle, limitSet as set, stageThrottle } from '../../lib/apigw-throttle.js';

const check = defineCheck({
  id: 'apigw.rest.no-default-throttling',
  title: 'REST API stage has no default throttling',
  description:
    'Without stage-wide burst and rate limits (methodSettings "*/*") only the account-wide limit applies, so one noisy client or route can use ' +
    'the whole region quota and flood the backend (SERVREL 2; serverless-rules ES2003). API Gateway itself reports the account limits ' +
    '(GetAccount throttleSettings, 5000 burst / 10000 requests/s unless raised) under "*/*" as soon as the stage has any stage-wide method ' +
    'setting, so only a rate or burst below the account\'s counts as the stage\'s own; with the account throttle unknown such limits are not ' +
    'assessed. A usage plan that throttles the stage also counts.',
  severity: 'MEDIUM',
  pillar: 'REL',
  lens: ['SERVREL 2'],
  lens2022: ['SERVREL 1'],
  resourceKind: 'AwsApiGatewayStage',
  uses: ['methodSettings', 'restApiId', 'stageName'],
  needs: ['AwsAccountRegion'],
  cost: 'E',
  remediation: {
    text: 'Set default method throttling on the stage (throttlingBurstLimit and throttlingRateLimit on */*) below the account limits, sized to what the backend can take.',
    url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html',
  },
  peers: { serverlessRules: ['ES2003'] },
  evaluate(stage, ctx) {
    const d = stage.methodSettings?.['*/*'];
    const t = stageThrottle(d?.throttlingRateLimit, d?.throttlingBurstLimit, () => accountThrottle(ctx));
    if (t.kind === 'own') return ctx.pass(`Stage ${stage.name} throttles at ${t.rateLimit} requests/s, burst ${t.burstLimit}.`);
    const noOwn =
      t.kind === 'none' ? 'has no default throttling'
      : t.kind === 'account' ? `has no throttle of its own: ${accountLevelText(t)}`
      : `has default limits of ${t.rateLimit} requests/s, burst ${t.burstLimit}, but ${t.why}`;
    const region = ctx.list('AwsAccountRegion')[0];
    const gap = region?.gaps?.ApiGatewayUsagePlans;
    if (gap) return ctx.notAssessed(`Stage ${stage.name} ${noOwn}; usage plans unknown: ${gap.operation} failed: ${gap.code}.`);
    if (!region?.ApiGatewayUsagePlans) return ctx.notAssessed(`Stage ${stage.name} ${noOwn}; usage plans were not collected.`);
    const plan = region.ApiGatewayUsagePlans.find((p) =>
      (p.apiStages ?? []).some((s) => s.apiId === stage.restApiId && s.stage === stage.stageName && ((set(p.throttle?.rateLimit) && set(p.throttle?.burstLimit)) || Object.keys(s.throttle ?? {}).length > 0)),
    );
    if (plan) return ctx.pass(`Stage ${stage.name} is throttled by usage plan ${plan.name ?? plan.id}.`, { usagePlan: plan.id ?? null });
    // Limits that may be the account's own, filled in by API Gateway: neither a pass nor a fail.
    if (t.kind === 'unknown') return ctx.notAssessed(`Stage ${stage.name} ${noOwn}, and no usage plan throttles it: they may be the account limits API Gateway fills in.`);
    return ctx.fail(`Stage ${stage.name} ${noOwn}, and no usage plan throttles it; only the account limit applies.`, {
      methodSettingsDefault: d ?? null,
      ...(t.kind === 'account' ? { accountThrottle: t.account } : {}),
    });
  },
});
export default check;

// GetAccount as AWS answers it: `{ cloudwatchRoleArn, throttleSettings: { burstLimit: 5000, rateLimit: 10000.0 }, features, apiKeyVersion }`.
const ACCOUNT = { throttleSettings: { burstLimit: 5000, rateLimit: 10000 } };
const plans = (apiStages: { apiId: string; stage: string }[], account: object = ACCOUNT) => ({
  kind: 'AwsAccountRegion' as const,
  ApiGatewayAccount: account,
  ApiGatewayUsagePlans: [{ id: 'p1', name: 'partners', throttle: { burstLimit: 100, rateLimit: 50 }, apiStages }],
});
/**
 * methodSettings as GetStage returns them after `update-stage --patch-operations op=replace,path=/*\/*\/logging/loglevel,value=INFO`:
 * API Gateway adds the account's limits next to the setting that was asked for.
 */
const loggingOnly = (limits = { throttlingBurstLimit: 5000, throttlingRateLimit: 10000 }) => ({
  '*/*': {
    metricsEnabled: false, loggingLevel: 'INFO', dataTraceEnabled: false, ...limits, cachingEnabled: false, cacheTtlInSeconds: 300,
    cacheDataEncrypted: false, requireAuthorizationForCacheControl: true, unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
  },
});

export const examples: CheckExamples<'AwsApiGatewayStage'> = {
  pass: [
    { name: 'stage default', resource: { stageName: 'prod', methodSettings: { '*/*': { throttlingBurstLimit: 200, throttlingRateLimit: 100 } } }, others: [plans([])] },
    { name: 'usage plan', resource: { restApiId: 'api1', stageName: 'prod' }, others: [plans([{ apiId: 'api1', stage: 'prod' }])] },
    {
      name: 'raised account limits (20000/10000); the stage keeps 10000/5000, below them',
      resource: { stageName: 'prod', methodSettings: loggingOnly() },
      others: [plans([], { throttleSettings: { burstLimit: 10000, rateLimit: 20000 } })],
    },
    { name: 'only the burst is lowered', resource: { stageName: 'prod', methodSettings: loggingOnly({ throttlingBurstLimit: 500, throttlingRateLimit: 10000 }) }, others: [plans([])] },
    {
      name: 'filled-in limits, account unknown, but a usage plan throttles the stage',
      resource: { restApiId: 'api1', stageName: 'prod', methodSettings: loggingOnly() },
      others: [{ ...plans([{ apiId: 'api1', stage: 'prod' }], {}), ApiGatewayAccount: undefined, gaps: { ApiGatewayAccount: { operation: 'apigateway:GetAccount', code: 'AccessDeniedException', message: 'denied' } } }],
    },
  ],
  fail: [
    { name: 'burst only; plan for another stage', resource: { restApiId: 'api1', stageName: 'prod', methodSettings: { '*/*': { throttlingBurstLimit: 200 } } }, others: [plans([{ apiId: 'api1', stage: 'dev' }])] },
    { name: 'disabled with -1', resource: { stageName: 'prod', methodSettings: { '*/*': { throttlingBurstLimit: -1, throttlingRateLimit: -1 } } }, others: [plans([])] },
    { name: 'logging on */*: API Gateway fills in the account limits (5000/10000)', resource: { stageName: 'prod', methodSettings: loggingOnly() }, others: [plans([])] },
    {
      name: 'limits above the account\'s do not throttle either',
      resource: { stageName: 'prod', methodSettings: loggingOnly({ throttlingBurstLimit: 8000, throttlingRateLimit: 12000 }) },
      others: [plans([])],
    },
  ],
  notAssessed: [
    {
      name: 'usage plans unreadable',
      resource: { stageName: 'prod' },
      others: [{ kind: 'AwsAccountRegion', gaps: { ApiGatewayUsagePlans: { operation: 'apigateway:GetUsagePlans', code: 'AccessDeniedException', message: 'denied' } } }],
    },
    {
      name: 'limits on */* but the account throttle is unknown (GetAccount denied)',
      resource: { stageName: 'prod', methodSettings: loggingOnly() },
      others: [{ kind: 'AwsAccountRegion', ApiGatewayUsagePlans: [], gaps: { ApiGatewayAccount: { operation: 'apigateway:GetAccount', code: 'AccessDeniedException', message: 'denied' } } }],
    },
  ],
};
