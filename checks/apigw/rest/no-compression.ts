import { defineCheck, type CheckExamples } from '../../../src/model/index.js';

const check = defineCheck({
  id: 'apigw.rest.no-compression',
  title: 'REST API does not compress responses',
  description:
    'Payload compression shrinks responses for clients that accept gzip or deflate, which cuts transfer time and data-transfer cost ' +
    '(SERVPER 2, SERVCOST 4). Fails when minimumCompressionSize is not set.',
  severity: 'INFORMATIONAL',
  pillar: 'PERF',
  lens: ['SERVPER 2', 'SERVCOST 4'],
  lens2022: ['SERVPERF 1', 'SERVCOST 1'],
  resourceKind: 'AwsApiGatewayRestApi',
  uses: ['minimumCompressionSize'],
  cost: 'C',
  remediation: {
    text: 'Enable payload compression with a threshold (aws apigateway update-rest-api --patch-operations op=replace,path=/minimumCompressionSize,value=1024) and redeploy.',
    url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gzip-compression-decompression.html',
  },
  peers: {},
  evaluate(api, ctx) {
    const size = api.minimumCompressionSize;
    return size === undefined || size === null
      ? ctx.fail(`REST API ${api.name} has payload compression off (minimumCompressionSize not set).`, { minimumCompressionSize: null })
      : ctx.pass(`REST API ${api.name} compresses responses of ${size} bytes and more.`, { minimumCompressionSize: size });
  },
});
export default check;

export const examples: CheckExamples<'AwsApiGatewayRestApi'> = {
  pass: [{ resource: { minimumCompressionSize: 1024 } }, { name: 'compress everything', resource: { minimumCompressionSize: 0 } }],
  fail: [{ resource: { minimumCompressionSize: null } }],
  notAssessed: [{ resource: { gaps: { minimumCompressionSize: { operation: 'apigateway:GetRestApis', code: 'AccessDeniedException', message: 'denied' } } } }],
};
