import { defineCheck, type CheckExamples } from '../../../src/model/index.js';

const check = defineCheck({
  id: 'apigw.v2.private-integration-no-tls',
  title: 'HTTP API private integration does not use TLS',
  description:
    'A VPC-link integration without TlsConfig sends requests to the private backend in clear text inside the VPC (SERVSEC 6). ' +
    'Fails for integrations with ConnectionType VPC_LINK and no TlsConfig.',
  severity: 'MEDIUM',
  pillar: 'SEC',
  lens: ['SERVSEC 6'],
  lens2022: [],
  resourceKind: 'AwsApiGatewayV2Api',
  uses: ['Integrations'],
  cost: 'E',
  remediation: {
    text: 'Serve HTTPS on the private backend and set TlsConfig.ServerNameToVerify on the integration (aws apigatewayv2 update-integration --tls-config ServerNameToVerify=HOST).',
    url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-private.html',
  },
  peers: { cspm: ['APIGateway.10'], config: ['apigatewayv2-integration-private-https-enabled'] },
  evaluate(api, ctx) {
    if (!api.Integrations) return ctx.notAssessed(`Integrations of API ${api.name} were not collected.`);
    const privateOnes = api.Integrations.filter((i) => i.ConnectionType === 'VPC_LINK');
    if (privateOnes.length === 0) return;
    const plain = privateOnes.filter((i) => !i.TlsConfig).map((i) => i.IntegrationId ?? '?');
    return plain.length > 0
      ? ctx.fail(`API ${api.name} has ${plain.length} private integration(s) without TLS: ${plain.join(', ')}.`, { integrations: plain })
      : ctx.pass(`API ${api.name} uses TLS on all ${privateOnes.length} private integration(s).`);
  },
});
export default check;

export const examples: CheckExamples<'AwsApiGatewayV2Api'> = {
  pass: [
    { resource: { Integrations: [{ IntegrationId: 'i1', ConnectionType: 'VPC_LINK', TlsConfig: { ServerNameToVerify: 'internal.example.com' } }] } },
    { name: 'Lambda only: does not apply', resource: { Integrations: [{ IntegrationId: 'i1', ConnectionType: 'INTERNET', IntegrationType: 'AWS_PROXY' }] }, count: 0 },
  ],
  fail: [{ resource: { Integrations: [{ IntegrationId: 'i1', ConnectionType: 'VPC_LINK', IntegrationType: 'HTTP_PROXY' }] } }],
  notAssessed: [{ resource: { gaps: { Integrations: { operation: 'apigateway:GetIntegrations', code: 'NotFoundException', message: 'gone' } } } }],
};
