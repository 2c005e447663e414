import { defineCheck, type CheckExamples } from '../../../src/model/index.js';

const check = defineCheck({
  id: 'apigw.v2.websocket-no-execution-logging',
  title: 'WebSocket API stage has execution logging off or undeliverable',
  description:
    'Execution logs show connection, authorizer and integration errors of a WebSocket API; without them failures cannot be diagnosed (SERVSEC 3). ' +
    'Fails when DefaultRouteSettings.LoggingLevel is not ERROR or INFO, or when it is but the region has no API Gateway CloudWatch role. ' +
    'HTTP APIs have no execution logs and are skipped.',
  severity: 'MEDIUM',
  pillar: 'SEC',
  lens: ['SERVSEC 3'],
  lens2022: ['SERVOPS 1'],
  resourceKind: 'AwsApiGatewayV2Stage',
  uses: ['ProtocolType', 'DefaultRouteSettings'],
  needs: ['AwsAccountRegion'],
  cost: 'E',
  options: { levels: ['ERROR', 'INFO'] },
  remediation: {
    text: 'Set the default route logging level to ERROR or INFO (aws apigatewayv2 update-stage --default-route-settings LoggingLevel=ERROR) and set the API Gateway account CloudWatch role in the region.',
    url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-logging.html',
  },
  peers: { cspm: ['APIGateway.1'], config: ['api-gw-execution-logging-enabled'], trustedAdvisor: ['c18d2gz125'] },
  evaluate(stage, ctx) {
    if (stage.ProtocolType !== 'WEBSOCKET') return;
    const level = stage.DefaultRouteSettings?.LoggingLevel ?? 'OFF';
    const levels = ctx.options.levels as string[];
    if (!levels.includes(level)) return ctx.fail(`WebSocket stage ${stage.name} has execution logging level ${level} (expected ${levels.join(' or ')}).`, { LoggingLevel: level });
    const region = ctx.list('AwsAccountRegion')[0];
    const gap = region?.gaps?.ApiGatewayAccount;
    if (gap) return ctx.notAssessed(`Stage ${stage.name} logs at ${level}, but the account CloudWatch role is unknown: ${gap.operation} failed: ${gap.code}.`);
    if (!region?.ApiGatewayAccount) return ctx.notAssessed(`Stage ${stage.name} logs at ${level}, but the API Gateway account settings were not collected.`);
    const role = region.ApiGatewayAccount.cloudwatchRoleArn;
    return role
      ? ctx.pass(`WebSocket stage ${stage.name} logs at ${level}.`, { LoggingLevel: level })
      : ctx.fail(`WebSocket stage ${stage.name} logs at ${level}, but the region has no API Gateway CloudWatch role, so nothing is delivered.`, { LoggingLevel: level, cloudwatchRoleArn: null });
  },
});
export default check;

const account = { kind: 'AwsAccountRegion' as const, ApiGatewayAccount: { cloudwatchRoleArn: 'arn:aws:iam::111122223333:role/apigw-logs' } };

export const examples: CheckExamples<'AwsApiGatewayV2Stage'> = {
  pass: [
    { resource: { ProtocolType: 'WEBSOCKET', DefaultRouteSettings: { LoggingLevel: 'INFO' } }, others: [account] },
    { name: 'HTTP API: does not apply', resource: { ProtocolType: 'HTTP' }, count: 0 },
  ],
  fail: [{ resource: { ProtocolType: 'WEBSOCKET', DefaultRouteSettings: { LoggingLevel: 'OFF' } }, others: [account] }],
  notAssessed: [{ resource: { ProtocolType: 'WEBSOCKET', gaps: { DefaultRouteSettings: { operation: 'apigateway:GetStages', code: 'AccessDeniedException', message: 'denied' } } } }],
};
