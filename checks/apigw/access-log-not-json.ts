import { defineCheck, type CheckExamples, type Evaluation } from '../../src/model/index.js';
import { about, listOrNotAssessed } from '../lib/region-wide.js';

/**
 * The serverless-rules WS2001 test (JSON once every `$context.x` is replaced by 0, so values may be unquoted), made
 * stricter: the result must be a JSON object, because a bare `$context.requestId` would otherwise parse as the number 0.
 */
export function isJsonFormat(format: string): boolean {
  try {
    const parsed: unknown = JSON.parse(format.replace(/\$context\.[a-zA-Z.]+/g, '0'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

const check = defineCheck({
  id: 'apigw.access-log-not-json',
  title: 'API Gateway stage writes access logs in a non-JSON format',
  description:
    'Structured (JSON) access logs can be queried field by field in CloudWatch Logs Insights; CLF or free text cannot without parsing (SERVOPS 1). ' +
    'Covers REST, HTTP and WebSocket stages that have access logging; one result per stage, reported under the stage ARN. ' +
    'Uses the serverless-rules WS2001 test, and requires the format to be a JSON object.',
  severity: 'LOW',
  pillar: 'OPS',
  lens: ['SERVOPS 1'],
  lens2022: ['SERVOPS 1'],
  resourceKind: 'AwsAccountRegion',
  uses: [],
  needs: ['AwsApiGatewayStage', 'AwsApiGatewayV2Stage'],
  cost: 'E',
  remediation: {
    text: 'Set the stage access-log format to a JSON object of $context variables, e.g. {"requestId":"$context.requestId","status":"$context.status","latency":"$context.responseLatency"}.',
    url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html',
  },
  peers: { serverlessRules: ['WS2001'] },
  evaluate(_region, ctx) {
    const out: Evaluation[] = [];
    const stages: { arn: string; name: string; kind: string; format?: string; gap?: { operation: string; code: string } }[] = [];
    const rest = listOrNotAssessed(ctx, 'AwsApiGatewayStage');
    if ('notAssessed' in rest) out.push(rest.notAssessed);
    else for (const s of rest.resources) stages.push({ arn: s.arn, name: s.name, kind: s.kind, format: s.accessLogSettings?.format, gap: s.gaps?.accessLogSettings });
    const v2 = listOrNotAssessed(ctx, 'AwsApiGatewayV2Stage');
    if ('notAssessed' in v2) out.push(v2.notAssessed);
    else for (const s of v2.resources) stages.push({ arn: s.arn, name: s.name, kind: s.kind, format: s.AccessLogSettings?.Format, gap: s.gaps?.AccessLogSettings });
    for (const s of stages) {
      if (s.gap) out.push(about(ctx.notAssessed(`Access-log settings of stage ${s.name} unknown: ${s.gap.operation} failed: ${s.gap.code}`), s));
      else if (s.format === undefined) continue; // no access logging: apigw.*.no-access-logs reports it
      else if (isJsonFormat(s.format)) out.push(about(ctx.pass(`Stage ${s.name} writes JSON access logs.`), s));
      else out.push(about(ctx.fail(`Stage ${s.name} writes access logs in a non-JSON format: ${s.format.slice(0, 120)}`, { format: s.format }), s));
    }
    return out;
  },
});
export default check;

const rest = (name: string, format?: string) => ({
  kind: 'AwsApiGatewayStage' as const, name: `api1/${name}`, stageName: name,
  arn: `arn:aws:apigateway:us-east-1::/restapis/api1/stages/${name}`,
  accessLogSettings: format === undefined ? undefined : { destinationArn: 'arn:aws:logs:us-east-1:111122223333:log-group:access', format },
});
const http = (name: string, format: string) => ({
  kind: 'AwsApiGatewayV2Stage' as const, name: `api1/${name}`, StageName: name,
  arn: `arn:aws:apigateway:us-east-1::/apis/api1/stages/${name}`,
  AccessLogSettings: { DestinationArn: 'arn:aws:logs:us-east-1:111122223333:log-group:access', Format: format },
});
const CLF = '$context.identity.sourceIp - - [$context.requestTime] "$context.httpMethod $context.resourcePath $context.protocol" $context.status $context.responseLength $context.requestId';

export const examples: CheckExamples<'AwsAccountRegion'> = {
  pass: [
    { name: 'REST JSON, unquoted number', resource: {}, others: [rest('prod', '{"requestId":"$context.requestId","latency":$context.responseLatency}')] },
    { name: 'HTTP JSON; REST stage without logs ignored', resource: {}, others: [http('$default', '{"status":"$context.status"}'), rest('dev')] },
  ],
  fail: [
    { name: 'REST CLF', resource: {}, others: [rest('prod', CLF)] },
    { name: 'both kinds', resource: {}, others: [rest('prod', CLF), http('$default', '$context.requestId $context.status')], count: 2 },
  ],
  notAssessed: [
    { name: 'v2 stages not listed', resource: {}, others: [], listGaps: ['AwsApiGatewayV2Stage'] },
    { name: 'stage settings unreadable', resource: {}, others: [{ ...rest('prod'), gaps: { accessLogSettings: { operation: 'apigateway:GetStages', code: 'TooManyRequestsException', message: 'slow down' } } }] },
  ],
};
