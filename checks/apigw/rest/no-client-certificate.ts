import { defineCheck, type CheckExamples } from '../../../src/model/index.js';
import { firstByArn } from '../../lib/memo.js';

const HTTP_TYPES = new Set(['HTTP', 'HTTP_PROXY']);

const check = defineCheck({
  id: 'apigw.rest.no-client-certificate',
  title: 'REST API stage calls HTTP backends without a client certificate',
  description:
    'An HTTP backend reachable from the internet cannot tell API Gateway from any other caller unless the stage presents a client certificate ' +
    'it can verify (SERVSEC 6). Applies only to stages of APIs with HTTP or HTTP_PROXY integrations over the internet; Lambda-only APIs are skipped.',
  severity: 'MEDIUM',
  pillar: 'SEC',
  lens: ['SERVSEC 6'],
  lens2022: [],
  resourceKind: 'AwsApiGatewayStage',
  uses: ['clientCertificateId', 'apiArn'],
  needs: ['AwsApiGatewayRestApi'],
  cost: 'E',
  remediation: {
    text: 'Generate a client certificate (aws apigateway generate-client-certificate), set it on the stage, and have the backend verify it.',
    url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/getting-started-client-side-ssl-authentication.html',
  },
  peers: { cspm: ['APIGateway.2'], config: ['api-gw-ssl-enabled'] },
  evaluate(stage, ctx) {
    const api = firstByArn(ctx.list('AwsApiGatewayRestApi')).get(stage.apiArn);
    if (!api) return ctx.notAssessed(`REST API of stage ${stage.name} is not in the inventory.`);
    const gap = api.gaps?.resources;
    if (gap) return ctx.notAssessed(`Integrations of REST API ${api.name} could not be read: ${gap.operation} failed: ${gap.code}.`);
    if (!api.resources) return ctx.notAssessed(`Integrations of REST API ${api.name} were not collected.`);
    const http = api.resources.flatMap((r) =>
      Object.entries(r.resourceMethods ?? {})
        .filter(([, m]) => HTTP_TYPES.has(m.methodIntegration?.type ?? '') && m.methodIntegration?.connectionType !== 'VPC_LINK')
        .map(([verb]) => `${verb} ${r.path ?? r.id}`),
    );
    if (http.length === 0) return; // no internet HTTP backends
    return stage.clientCertificateId
      ? ctx.pass(`Stage ${stage.name} presents client certificate ${stage.clientCertificateId} to its HTTP backends.`)
      : ctx.fail(`Stage ${stage.name} calls HTTP backends (${http.slice(0, 5).join(', ')}) without a client certificate.`, { httpMethods: http });
  },
});
export default check;

const api = (type: string, connectionType = 'INTERNET') => ({
  kind: 'AwsApiGatewayRestApi' as const, name: 'api1', id: 'api1', arn: 'arn:aws:apigateway:us-east-1::/restapis/api1',
  resources: [{ id: 'r1', path: '/orders', resourceMethods: { GET: { methodIntegration: { type, connectionType } } } }],
});

export const examples: CheckExamples<'AwsApiGatewayStage'> = {
  pass: [
    { resource: { clientCertificateId: 'abc123' }, others: [api('HTTP_PROXY')] },
    { name: 'Lambda proxy only: does not apply', resource: {}, others: [api('AWS_PROXY')], count: 0 },
  ],
  fail: [{ resource: {}, others: [api('HTTP')] }],
  notAssessed: [{ name: 'resources not collected', resource: {}, others: [{ ...api('HTTP'), resources: undefined, gaps: { resources: { operation: 'apigateway:GetResources', code: 'AccessDeniedException', message: 'denied' } } }] }],
};
