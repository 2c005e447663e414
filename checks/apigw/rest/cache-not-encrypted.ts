import { defineCheck, type CheckExamples } from '../../../src/model/index.js';

const check = defineCheck({
  id: 'apigw.rest.cache-not-encrypted',
  title: 'REST API stage caches responses unencrypted',
  description:
    'Cached responses can hold personal or account data; the lens (SERVSEC 6) wants data at rest encrypted. Evaluated only for stages that cache: ' +
    'fails when a method setting has cachingEnabled without cacheDataEncrypted.',
  severity: 'MEDIUM',
  pillar: 'SEC',
  lens: ['SERVSEC 6'],
  lens2022: [],
  resourceKind: 'AwsApiGatewayStage',
  uses: ['methodSettings', 'cacheClusterEnabled'],
  cost: 'E',
  remediation: {
    text: 'Turn on cache encryption for the cached methods (aws apigateway update-stage --patch-operations op=replace,path=/*/*/caching/dataEncrypted,value=true).',
    url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html',
  },
  peers: {
    cspm: ['APIGateway.5'],
    config: ['api-gw-cache-enabled-and-encrypted'],
    prowler: ['apigateway_restapi_cache_encrypted'],
  },
  evaluate(stage, ctx) {
    const cached = Object.entries(stage.methodSettings ?? {}).filter(([, s]) => s.cachingEnabled === true);
    if (cached.length === 0 || stage.cacheClusterEnabled === false) return; // no caching on this stage
    const plain = cached.filter(([, s]) => s.cacheDataEncrypted !== true).map(([k]) => k).sort();
    return plain.length > 0
      ? ctx.fail(`Stage ${stage.name} caches ${plain.join(', ')} without encryption.`, { unencrypted: plain })
      : ctx.pass(`Stage ${stage.name} encrypts its cache.`);
  },
});
export default check;

export const examples: CheckExamples<'AwsApiGatewayStage'> = {
  pass: [
    { resource: { cacheClusterEnabled: true, methodSettings: { '*/*': { cachingEnabled: true, cacheDataEncrypted: true } } } },
    { name: 'no caching: does not apply', resource: { cacheClusterEnabled: false, methodSettings: { '*/*': { cachingEnabled: false } } }, count: 0 },
  ],
  fail: [{ resource: { cacheClusterEnabled: true, methodSettings: { '*/*': { cachingEnabled: true, cacheDataEncrypted: true }, 'items/GET': { cachingEnabled: true, cacheDataEncrypted: false } } } }],
  notAssessed: [{ resource: { gaps: { methodSettings: { operation: 'apigateway:GetStages', code: 'AccessDeniedException', message: 'denied' } } } }],
};
