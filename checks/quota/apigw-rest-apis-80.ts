import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { judge, resolveLimit, serviceAccountArn } from '../lib/quota.js';

const TYPES = [
  { key: 'regional', type: 'REGIONAL', code: 'L-AA0FF27B', label: 'Regional APIs' },
  { key: 'edge', type: 'EDGE', code: 'L-B97207D0', label: 'Edge-optimized REST APIs' },
  { key: 'private', type: 'PRIVATE', code: 'L-A966AB5C', label: 'Private REST APIs' },
] as const;

const check = defineCheck({
  id: 'quota.apigw-rest-apis-80',
  title: 'API Gateway APIs in a region are at or over 80% of the per-endpoint-type quota',
  description:
    'API Gateway caps the number of APIs per account and region by endpoint type, and these quotas cannot be raised: ' +
    'at the cap no new API can be created. The lens (SERVREL 1) asks to know when a service nears a limit. Three results, ' +
    'sub-keys `regional` (Regional APIs, L-AA0FF27B, 600: REST APIs with a REGIONAL endpoint plus HTTP and WebSocket APIs, ' +
    'which are regional and which AWS lists this quota for), `edge` (Edge-optimized APIs, L-B97207D0, 120) and `private` ' +
    '(Private APIs, L-A966AB5C, 600). Counted from GetRestApis endpointConfiguration.types and apigatewayv2 GetApis. ' +
    'Reported under arn:aws:apigateway:REGION:ACCOUNT:account.',
  severity: 'MEDIUM',
  pillar: 'REL',
  lens: ['SERVREL 1'],
  lens2022: ['SERVREL 1'],
  resourceKind: 'AwsAccountRegion',
  uses: ['ServiceQuotas'],
  needs: ['AwsApiGatewayRestApi', 'AwsApiGatewayV2Api'],
  cost: 'C',
  options: { threshold: 80 },
  remediation: {
    text: 'Delete unused APIs (export them first if needed), or consolidate small APIs; these quotas are not adjustable, so spread further APIs over other regions or accounts.',
    url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html',
  },
  peers: {},
  evaluate(ar, ctx) {
    const resource = { arn: serviceAccountArn(ar.arn, 'apigateway') };
    const rest = ctx.list('AwsApiGatewayRestApi');
    const v2 = ctx.list('AwsApiGatewayV2Api');
    // GetRestApis always returns endpointConfiguration; EDGE is what API Gateway creates when none is given.
    const restOf = (type: string) => rest.filter((a) => (a.endpointConfiguration?.types?.[0] ?? 'EDGE') === type).length;
    return TYPES.map((t) => {
      const extra = { subKey: t.key, resource };
      const limit = resolveLimit(ar, 'apigateway', t.code, undefined);
      if ('reason' in limit) return ctx.notAssessed(`${t.label} not assessed: ${limit.reason}.`, extra);
      const restCount = restOf(t.type);
      const usage = t.key === 'regional' ? restCount + v2.length : restCount;
      return judge(ctx, {
        label: `${t.label} in the region`,
        usage,
        limit,
        threshold: ctx.options.threshold,
        evidence: t.key === 'regional' ? { restApis: restCount, httpAndWebSocketApis: v2.length } : { restApis: restCount },
        extra,
      });
    });
  },
});
export default check;

const quotas = (source: 'applied' | 'default') => ({
  ServiceQuotas: {
    'apigateway/L-AA0FF27B': { value: 600, source },
    'apigateway/L-B97207D0': { value: 120, source },
    'apigateway/L-A966AB5C': { value: 600, source },
  },
});
const restApis = (n: number, type: string) =>
  Array.from({ length: n }, (_, i) => ({ kind: 'AwsApiGatewayRestApi' as const, name: `${type.toLowerCase()}-${i}`, id: `${type.toLowerCase()}-${i}`, endpointConfiguration: { types: [type] } }));
const httpApis = (n: number) => Array.from({ length: n }, (_, i) => ({ kind: 'AwsApiGatewayV2Api' as const, name: `http-${i}`, ApiId: `http-${i}` }));

export const examples: CheckExamples<'AwsAccountRegion'> = {
  pass: [
    { name: 'a few APIs of each type', resource: quotas('default'), others: [...restApis(3, 'REGIONAL'), ...restApis(2, 'EDGE'), ...restApis(1, 'PRIVATE'), ...httpApis(4)], count: 3 },
    { name: 'no APIs', resource: quotas('applied'), count: 3 },
  ],
  fail: [
    {
      name: 'every type at 80% (regional: 280 REST + 200 HTTP)',
      resource: quotas('default'),
      others: [...restApis(280, 'REGIONAL'), ...httpApis(200), ...restApis(96, 'EDGE'), ...restApis(480, 'PRIVATE')],
      count: 3,
    },
  ],
  notAssessed: [
    {
      name: 'quota values unreadable',
      resource: {
        gaps: {
          'ServiceQuotas.apigateway/L-AA0FF27B': { operation: 'servicequotas:GetAWSDefaultServiceQuota', code: 'AccessDeniedException', message: 'denied' },
          'ServiceQuotas.apigateway/L-B97207D0': { operation: 'servicequotas:GetAWSDefaultServiceQuota', code: 'AccessDeniedException', message: 'denied' },
          'ServiceQuotas.apigateway/L-A966AB5C': { operation: 'servicequotas:GetAWSDefaultServiceQuota', code: 'AccessDeniedException', message: 'denied' },
        },
      },
      count: 3,
    },
    { name: 'REST APIs not listed', resource: quotas('applied'), listGaps: ['AwsApiGatewayRestApi'] },
  ],
};
