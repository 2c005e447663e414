import { defineCheck, type CheckExamples } from '../../../src/model/index.js';

const check = defineCheck({
  id: 'apigw.rest.no-waf',
  title: 'Public REST API stage has no AWS WAF web ACL',
  description:
    'A web ACL filters common exploits, bad bots and floods before they reach the integration and are billed (SERVSEC 1, SERVREL 2). ' +
    'Applies to EDGE and REGIONAL APIs; PRIVATE APIs are reachable only from VPC endpoints and are skipped.',
  severity: 'MEDIUM',
  pillar: 'SEC',
  lens: ['SERVSEC 1', 'SERVREL 2'],
  lens2022: ['SERVSEC 1', 'SERVREL 1'],
  resourceKind: 'AwsApiGatewayStage',
  uses: ['endpointTypes', 'webAclArn'],
  cost: 'E',
  remediation: {
    text: 'Associate an AWS WAF web ACL (with the AWS managed core rule set and a rate-based rule) with the stage: aws wafv2 associate-web-acl --web-acl-arn ACL --resource-arn STAGE_ARN.',
    url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-aws-waf.html',
  },
  peers: {
    cspm: ['APIGateway.4'],
    config: ['api-gw-associated-with-waf'],
    prowler: ['apigateway_restapi_waf_acl_attached'],
  },
  evaluate(stage, ctx) {
    if (stage.webAclArn) return ctx.pass(`Stage ${stage.name} is protected by web ACL ${stage.webAclArn}.`);
    const types = stage.endpointTypes;
    if (!types) return ctx.notAssessed(`Endpoint type of the API of stage ${stage.name} is unknown.`);
    if (types.length > 0 && types.every((t) => t === 'PRIVATE')) return;
    return ctx.fail(`Stage ${stage.name} (${types.join('/')} endpoint) has no WAF web ACL.`, { endpointTypes: types });
  },
});
export default check;

export const examples: CheckExamples<'AwsApiGatewayStage'> = {
  pass: [
    { resource: { endpointTypes: ['REGIONAL'], webAclArn: 'arn:aws:wafv2:us-east-1:111122223333:regional/webacl/api/abc' } },
    { name: 'private API: does not apply', resource: { endpointTypes: ['PRIVATE'] }, count: 0 },
  ],
  fail: [{ resource: { endpointTypes: ['EDGE'] } }],
  notAssessed: [
    { name: 'endpoint type unknown', resource: {} },
    { name: 'GetStages failed', resource: { endpointTypes: ['REGIONAL'], gaps: { webAclArn: { operation: 'apigateway:GetStages', code: 'AccessDeniedException', message: 'denied' } } } },
  ],
};
