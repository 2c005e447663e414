import { defineCheck, type CheckExamples } from '../../../src/model/index.js';

const check = defineCheck({
  id: 'apigw.rest.no-access-logs',
  title: 'REST API stage has no access logging',
  description:
    'Access logs record who called which route, with status and latency, in a format you choose; execution logs do not replace them. ' +
    'Without accessLogSettings.destinationArn on the stage there is no request-level record for troubleshooting or security analysis. ' +
    'The lens (SERVSEC 3): "Consider enabling API Gateway Access Logs".',
  severity: 'MEDIUM',
  pillar: 'SEC',
  lens: ['SERVSEC 3', 'SERVOPS 1'],
  lens2022: ['SERVOPS 1', 'SERVSEC 1'],
  resourceKind: 'AwsApiGatewayStage',
  uses: ['accessLogSettings', 'restApiName', 'stageName'],
  cost: 'E',
  remediation: {
    text: 'Enable access logging on the stage with a CloudWatch Logs group (or Firehose stream) as destination and a JSON format built from $context variables.',
    url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html',
  },
  peers: { serverlessRules: ['ES2000'], config: ['apigateway-stage-access-logs-enabled'] },
  evaluate(stage, ctx) {
    const dest = stage.accessLogSettings?.destinationArn;
    return dest
      ? ctx.pass(`Stage ${stage.stageName} of REST API ${stage.restApiName} sends access logs to ${dest}.`, { destinationArn: dest })
      : ctx.fail(`Stage ${stage.stageName} of REST API ${stage.restApiName} has no access logging.`);
  },
});
export default check;

export const examples: CheckExamples<'AwsApiGatewayStage'> = {
  pass: [{ resource: { accessLogSettings: { destinationArn: 'arn:aws:logs:us-east-1:111122223333:log-group:api-access', format: '{"requestId":"$context.requestId"}' } } }],
  fail: [
    { name: 'no settings', resource: {} },
    { name: 'format without destination', resource: { accessLogSettings: { format: '$context.requestId' } } },
  ],
  notAssessed: [
    { name: 'GetStages denied', resource: { gaps: { accessLogSettings: { operation: 'apigateway:GET', code: 'AccessDeniedException', message: 'denied' } } } },
  ],
};
