// The one rule for "is this log group serverless?". Every logs.* check that is limited to serverless log groups asks
// here, so no two checks can disagree on the scope.
import type { EvalContext, ResourceOf } from '../../src/model/index.js';
import { derived } from './memo.js';

/** Name prefixes of log groups that Lambda, API Gateway and Step Functions write to by default. */
export const SERVERLESS_LOG_GROUP_PREFIXES = ['/aws/lambda/', '/aws/apigateway/', 'API-Gateway-Execution-Logs_', '/aws/vendedlogs/states/'] as const;

/** Resource kinds the rule reads (a check using it declares them in `needs`). */
export const LOG_GROUP_SCOPE_NEEDS = ['AwsApiGatewayStage', 'AwsApiGatewayV2Stage', 'AwsLambdaFunction'] as const;

/** Words for the check descriptions, kept next to the rule they describe. */
export const SERVERLESS_LOG_GROUP_SCOPE_TEXT =
  'Only serverless log groups are judged: names starting with /aws/lambda/, /aws/apigateway/, API-Gateway-Execution-Logs_ or ' +
  '/aws/vendedlogs/states/, groups that are the access-log destination of a REST or HTTP/WebSocket API stage, and groups named ' +
  "in a function's LoggingConfig.LogGroup. Recognising the last two needs the region's stages and functions: when they could not " +
  'be listed, a group outside the prefixes that would fail is NOT_ASSESSED. Other log groups give no result.';

/** `arn:aws:logs:REGION:ACCOUNT:log-group:NAME[:*]` → NAME; undefined for other ARNs (Firehose destinations). */
export function logGroupNameFromArn(arn: string | undefined): string | undefined {
  const m = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(?::\*)?$/.exec(arn ?? '');
  return m?.[1];
}

/** Log group name → why it is serverless, for the groups that are serverless through a stage or a function. */
function rolesByName(ctx: EvalContext): Map<string, string> {
  const rest = ctx.list('AwsApiGatewayStage');
  const v2 = ctx.list('AwsApiGatewayV2Stage');
  const fns = ctx.list('AwsLambdaFunction');
  // One index per (REST stages, v2 stages, functions) triple: ctx.list returns the same frozen arrays for every group of
  // a region, so the index is built once per region.
  const byRest = derived(fns, 'serverless-log-group-roles', () => new WeakMap<object, WeakMap<object, Map<string, string>>>());
  let byV2 = byRest.get(rest);
  if (!byV2) byRest.set(rest, (byV2 = new WeakMap()));
  let roles = byV2.get(v2);
  if (!roles) byV2.set(v2, (roles = buildRoles(rest, v2, fns)));
  return roles;
}

function buildRoles(
  rest: readonly ResourceOf<'AwsApiGatewayStage'>[],
  v2: readonly ResourceOf<'AwsApiGatewayV2Stage'>[],
  fns: readonly ResourceOf<'AwsLambdaFunction'>[],
): Map<string, string> {
  const roles = new Map<string, string>();
  const add = (name: string | undefined, why: string): void => {
    if (name !== undefined && !roles.has(name)) roles.set(name, why);
  };
  for (const s of rest) {
    add(logGroupNameFromArn(s.accessLogSettings?.destinationArn), `access-log destination of REST API stage ${s.name}`);
  }
  for (const s of v2) {
    add(logGroupNameFromArn(s.AccessLogSettings?.DestinationArn), `access-log destination of API stage ${s.name}`);
  }
  for (const f of fns) {
    add(f.LoggingConfig?.LogGroup, `log group of function ${f.name} (LoggingConfig.LogGroup)`);
  }
  return roles;
}

/**
 * Why the log group `name` is serverless, or undefined when it is not.
 *
 * `wouldFail`: whether the calling check would fail this group. When the stages or functions of the region could not be
 * listed and the name has no serverless prefix, a group that would fail must not be skipped silently: the list gap is
 * rethrown (the engine reports NOT_ASSESSED with it). A group that could only pass gets no result (undefined) instead
 * of a guess.
 */
export function serverlessLogGroupReason(name: string, ctx: EvalContext, wouldFail: boolean): string | undefined {
  const prefix = SERVERLESS_LOG_GROUP_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return `name starts with ${prefix}`;
  if (wouldFail) return rolesByName(ctx).get(name);
  try {
    return rolesByName(ctx).get(name);
  } catch {
    return undefined;
  }
}
