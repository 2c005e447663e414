import { defineCheck, type CheckExamples } from '../../../src/model/index.js';

const check = defineCheck({
  id: 'apigw.rest.no-tracing',
  title: 'REST API stage has X-Ray tracing off',
  description:
    'Without X-Ray tracing on the stage, a trace starts only at the backend, so time spent in API Gateway (authorizers, ' +
    'integration latency) cannot be seen or followed. The lens (SERVOPS 1): "Active tracing with AWS X-Ray should be enabled".',
  severity: 'LOW',
  pillar: 'OPS',
  lens: ['SERVOPS 1'],
  lens2022: ['SERVOPS 1'],
  resourceKind: 'AwsApiGatewayStage',
  uses: ['tracingEnabled', 'restApiName', 'stageName'],
  cost: 'E',
  remediation: {
    text: 'Turn on X-Ray tracing for the stage (aws apigateway update-stage --rest-api-id ID --stage-name NAME --patch-operations op=replace,path=/tracingEnabled,value=true).',
    url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-enabling-xray.html',
  },
  peers: {
    serverlessRules: ['WS2002'],
    config: ['api-gw-xray-enabled'],
    cspm: ['APIGateway.3'],
    trustedAdvisor: ['c18d2gz126'],
    prowler: ['apigateway_restapi_tracing_enabled'],
  },
  evaluate(stage, ctx) {
    return stage.tracingEnabled === true
      ? ctx.pass(`Stage ${stage.stageName} of REST API ${stage.restApiName} has X-Ray tracing on.`)
      : ctx.fail(`Stage ${stage.stageName} of REST API ${stage.restApiName} has X-Ray tracing off.`, { tracingEnabled: stage.tracingEnabled ?? false });
  },
});
export default check;

export const examples: CheckExamples<'AwsApiGatewayStage'> = {
  pass: [{ resource: { tracingEnabled: true } }],
  fail: [
    { resource: { tracingEnabled: false } },
    { name: 'not returned (false)', resource: {} },
  ],
  notAssessed: [{ resource: { gaps: { tracingEnabled: { operation: 'apigateway:GET', code: 'AccessDeniedException', message: 'denied' } } } }],
};
