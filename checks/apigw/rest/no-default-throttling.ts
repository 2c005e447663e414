import { defineCheck, type CheckExamples } from '../../../src/model/index.js';

/** A limit counts when present and not negative (-1 turns throttling off for a method). */
const set = (n: number | undefined) => n !== undefined && n >= 0;

const check = defineCheck({
  id: 'apigw.rest.no-default-throttling',
  title: 'REST API stage has no default throttling',
  description:
    'Without stage-wide burst and rate limits (methodSettings "*/*") only the account-wide limit applies, so one noisy client or route can use ' +
    'the whole region quota and flood the backend (SERVREL 2; serverless-rules ES2003). A usage plan that throttles the stage also counts.',
  severity: 'MEDIUM',
  pillar: 'REL',
  lens: ['SERVREL 2'],
  resourceKind: 'AwsApiGatewayStage',
  uses: ['methodSettings', 'restApiId', 'stageName'],
  needs: ['AwsAccountRegion'],
  cost: 'E',
  remediation: {
    text: 'Set default method throttling on the stage (throttlingBurstLimit and throttlingRateLimit on */*) sized to what the backend can take.',
    url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html',
  },
  peers: { serverlessRules: ['ES2003'] },
  evaluate(stage, ctx) {
    const d = stage.methodSettings?.['*/*'];
    if (set(d?.throttlingBurstLimit) && set(d?.throttlingRateLimit)) {
      return ctx.pass(`Stage ${stage.name} throttles at ${d!.throttlingRateLimit} requests/s, burst ${d!.throttlingBurstLimit}.`);
    }
    const region = ctx.list('AwsAccountRegion')[0];
    const gap = region?.gaps?.ApiGatewayUsagePlans;
    if (gap) return ctx.notAssessed(`Stage ${stage.name} has no default throttling; usage plans unknown: ${gap.operation} failed: ${gap.code}.`);
    if (!region?.ApiGatewayUsagePlans) return ctx.notAssessed(`Stage ${stage.name} has no default throttling; usage plans were not collected.`);
    const plan = region.ApiGatewayUsagePlans.find((p) =>
      (p.apiStages ?? []).some((s) => s.apiId === stage.restApiId && s.stage === stage.stageName && ((set(p.throttle?.rateLimit) && set(p.throttle?.burstLimit)) || Object.keys(s.throttle ?? {}).length > 0)),
    );
    return plan
      ? ctx.pass(`Stage ${stage.name} is throttled by usage plan ${plan.name ?? plan.id}.`, { usagePlan: plan.id ?? null })
      : ctx.fail(`Stage ${stage.name} has no default burst/rate limit and no usage plan throttles it; only the account limit applies.`, { methodSettingsDefault: d ?? null });
  },
});
export default check;

const plans = (apiStages: { apiId: string; stage: string }[]) => ({
  kind: 'AwsAccountRegion' as const,
  ApiGatewayUsagePlans: [{ id: 'p1', name: 'partners', throttle: { burstLimit: 100, rateLimit: 50 }, apiStages }],
});

export const examples: CheckExamples<'AwsApiGatewayStage'> = {
  pass: [
    { name: 'stage default', resource: { stageName: 'prod', methodSettings: { '*/*': { throttlingBurstLimit: 200, throttlingRateLimit: 100 } } } },
    { name: 'usage plan', resource: { restApiId: 'api1', stageName: 'prod' }, others: [plans([{ apiId: 'api1', stage: 'prod' }])] },
  ],
  fail: [
    { name: 'burst only; plan for another stage', resource: { restApiId: 'api1', stageName: 'prod', methodSettings: { '*/*': { throttlingBurstLimit: 200 } } }, others: [plans([{ apiId: 'api1', stage: 'dev' }])] },
    { name: 'disabled with -1', resource: { stageName: 'prod', methodSettings: { '*/*': { throttlingBurstLimit: -1, throttlingRateLimit: -1 } } }, others: [plans([])] },
  ],
  notAssessed: [
    {
      name: 'usage plans unreadable',
      resource: { stageName: 'prod' },
      others: [{ kind: 'AwsAccountRegion', gaps: { ApiGatewayUsagePlans: { operation: 'apigateway:GetUsagePlans', code: 'AccessDeniedException', message: 'denied' } } }],
    },
  ],
};
