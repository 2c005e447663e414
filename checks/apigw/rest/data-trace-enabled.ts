import { defineCheck, type CheckExamples } from '../../../src/model/index.js';

const check = defineCheck({
  id: 'apigw.rest.data-trace-enabled',
  title: 'REST API stage logs full request and response bodies',
  description:
    'With dataTraceEnabled, execution logs contain whole request and response payloads, including credentials, tokens and personal data ' +
    'that then sit in CloudWatch Logs. The lens (SERVSEC 6) discourages logging where sensitive data is unencrypted.',
  severity: 'MEDIUM',
  pillar: 'SEC',
  lens: ['SERVSEC 6'],
  lens2022: ['SERVSEC 3'],
  resourceKind: 'AwsApiGatewayStage',
  uses: ['methodSettings'],
  cost: 'E',
  remediation: {
    text: 'Turn off full request/response logging (aws apigateway update-stage --patch-operations op=replace,path=/*/*/logging/dataTrace,value=false) and keep loggingLevel ERROR or INFO.',
    url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html',
  },
  peers: {},
  evaluate(stage, ctx) {
    const on = Object.entries(stage.methodSettings ?? {}).filter(([, s]) => s.dataTraceEnabled === true).map(([key]) => key).sort();
    return on.length > 0
      ? ctx.fail(`Stage ${stage.name} logs full request/response data for ${on.join(', ')}.`, { dataTraceEnabled: on })
      : ctx.pass(`Stage ${stage.name} does not log request/response data.`);
  },
});
export default check;

export const examples: CheckExamples<'AwsApiGatewayStage'> = {
  pass: [{ resource: { methodSettings: { '*/*': { loggingLevel: 'INFO', dataTraceEnabled: false } } } }, { name: 'no settings', resource: {} }],
  fail: [{ resource: { methodSettings: { '*/*': { loggingLevel: 'INFO', dataTraceEnabled: false }, 'orders/POST': { dataTraceEnabled: true } } } }],
  notAssessed: [{ resource: { gaps: { methodSettings: { operation: 'apigateway:GetStages', code: 'AccessDeniedException', message: 'denied' } } } }],
};
