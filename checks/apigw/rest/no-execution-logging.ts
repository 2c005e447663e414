import { defineCheck, type CheckExamples } from '../../../src/model/index.js';

const check = defineCheck({
  id: 'apigw.rest.no-execution-logging',
  title: 'REST API stage has execution logging off or undeliverable',
  description:
    'Execution logs show how API Gateway handled a request (authorizer, mapping, integration errors): without them failed requests cannot be ' +
    'diagnosed (SERVSEC 3, SERVOPS 1). Fails when the stage-wide loggingLevel (methodSettings "*/*") is not ERROR or INFO, or when it is ' +
    'but the region has no API Gateway CloudWatch role (GetAccount.cloudwatchRoleArn), so nothing is delivered.',
  severity: 'MEDIUM',
  pillar: 'SEC',
  lens: ['SERVSEC 3', 'SERVOPS 1'],
  lens2022: ['SERVOPS 1'],
  resourceKind: 'AwsApiGatewayStage',
  uses: ['methodSettings'],
  needs: ['AwsAccountRegion'],
  cost: 'E',
  options: { levels: ['ERROR', 'INFO'] },
  remediation: {
    text: 'Set the stage logging level to ERROR or INFO (aws apigateway update-stage --patch-operations op=replace,path=/*/*/logging/loglevel,value=ERROR) and set the account CloudWatch role once per region.',
    url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html',
  },
  peers: {
    cspm: ['APIGateway.1'],
    config: ['api-gw-execution-logging-enabled'],
    trustedAdvisor: ['c18d2gz125'],
    prowler: ['apigateway_restapi_logging_enabled'],
  },
  evaluate(stage, ctx) {
    const level = stage.methodSettings?.['*/*']?.loggingLevel ?? 'OFF';
    const levels = ctx.options.levels as string[];
    if (!levels.includes(level)) return ctx.fail(`Stage ${stage.name} has execution logging level ${level} (expected ${levels.join(' or ')}).`, { loggingLevel: level });
    const region = ctx.list('AwsAccountRegion')[0];
    const gap = region?.gaps?.ApiGatewayAccount;
    if (gap) return ctx.notAssessed(`Stage ${stage.name} logs at ${level}, but the account CloudWatch role is unknown: ${gap.operation} failed: ${gap.code}.`);
    if (!region?.ApiGatewayAccount) return ctx.notAssessed(`Stage ${stage.name} logs at ${level}, but the API Gateway account settings were not collected.`);
    const role = region.ApiGatewayAccount.cloudwatchRoleArn;
    return role
      ? ctx.pass(`Stage ${stage.name} logs at ${level} through ${role}.`, { loggingLevel: level, cloudwatchRoleArn: role })
      : ctx.fail(`Stage ${stage.name} logs at ${level}, but the region has no API Gateway CloudWatch role, so no execution logs are delivered.`, { loggingLevel: level, cloudwatchRoleArn: null });
  },
});
export default check;

const account = (cloudwatchRoleArn?: string) => ({ kind: 'AwsAccountRegion' as const, ApiGatewayAccount: { cloudwatchRoleArn } });
const ROLE = 'arn:aws:iam::111122223333:role/apigw-logs';

export const examples: CheckExamples<'AwsApiGatewayStage'> = {
  pass: [{ resource: { methodSettings: { '*/*': { loggingLevel: 'ERROR' } } }, others: [account(ROLE)] }],
  fail: [
    { name: 'no method settings', resource: {}, others: [account(ROLE)] },
    { name: 'OFF', resource: { methodSettings: { '*/*': { loggingLevel: 'OFF' } } } },
    { name: 'INFO without a CloudWatch role', resource: { methodSettings: { '*/*': { loggingLevel: 'INFO' } } }, others: [account(undefined)] },
  ],
  notAssessed: [
    {
      name: 'GetAccount failed',
      resource: { methodSettings: { '*/*': { loggingLevel: 'INFO' } } },
      others: [{ kind: 'AwsAccountRegion', gaps: { ApiGatewayAccount: { operation: 'apigateway:GetAccount', code: 'AccessDeniedException', message: 'denied' } } }],
    },
    { name: 'GetStages failed', resource: { gaps: { methodSettings: { operation: 'apigateway:GetStages', code: 'AccessDeniedException', message: 'denied' } } } },
  ],
};
