import { defineCheck, type CheckExamples } from '../../../src/model/index.js';

const check = defineCheck({
  id: 'apigw.v2.no-access-logs',
  title: 'HTTP or WebSocket API stage has no access logging',
  description:
    'HTTP and WebSocket APIs have no execution logs, so access logs are their only request-level record. Without ' +
    'AccessLogSettings.DestinationArn on the stage, failed and suspicious requests leave no trace. ' +
    'The lens (SERVSEC 3): "Consider enabling API Gateway Access Logs".',
  severity: 'MEDIUM',
  pillar: 'SEC',
  lens: ['SERVSEC 3', 'SERVOPS 1'],
  lens2022: ['SERVOPS 1', 'SERVSEC 1'],
  resourceKind: 'AwsApiGatewayV2Stage',
  uses: ['AccessLogSettings', 'ApiName', 'StageName'],
  cost: 'E',
  remediation: {
    text: 'Enable access logging on the stage (aws apigatewayv2 update-stage --api-id ID --stage-name NAME --access-log-settings DestinationArn=LOG_GROUP_ARN,Format=JSON_FORMAT).',
    url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html',
  },
  peers: {
    serverlessRules: ['ES2000'],
    config: ['api-gwv2-access-logs-enabled'],
    cspm: ['APIGateway.9'],
    prowler: ['apigatewayv2_api_access_logging_enabled'],
  },
  evaluate(stage, ctx) {
    const dest = stage.AccessLogSettings?.DestinationArn;
    return dest
      ? ctx.pass(`Stage ${stage.StageName} of API ${stage.ApiName} sends access logs to ${dest}.`, { DestinationArn: dest })
      : ctx.fail(`Stage ${stage.StageName} of API ${stage.ApiName} has no access logging.`);
  },
});
export default check;

export const examples: CheckExamples<'AwsApiGatewayV2Stage'> = {
  pass: [{ resource: { AccessLogSettings: { DestinationArn: 'arn:aws:logs:us-east-1:111122223333:log-group:http-access', Format: '{"requestId":"$context.requestId"}' } } }],
  fail: [{ resource: {} }],
  notAssessed: [{ resource: { gaps: { AccessLogSettings: { operation: 'apigateway:GET', code: 'TooManyRequestsException', message: 'Too Many Requests' } } } }],
};
