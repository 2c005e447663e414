// API Gateway REST (v1): REST APIs, their stages, resources/methods and request validators, plus the region's
// usage plans and REST custom domain names. API keys are never read (GetApiKeys can return key values).
import {
  APIGatewayClient, GetDomainNamesCommand, GetRequestValidatorsCommand, GetResourcesCommand, GetRestApisCommand,
  GetStagesCommand, GetUsagePlansCommand, type Method, type RestApi, type Stage,
} from '@aws-sdk/client-api-gateway';
import { toGap } from '../aws/errors.js';
import { paginate } from '../aws/paginate.js';
import type { AccountRegion, ApiGatewayRestApi, ApiGatewayStage, PolicyDocument, RestMethod } from '../model/index.js';
import { integrationUri, profileText } from './redact.js';
import type { CollectContext, Collector } from './types.js';

export const apiGatewayRestCollector: Collector = {
  name: 'apigateway-rest',
  kinds: ['AwsApiGatewayRestApi', 'AwsApiGatewayStage'],
  scope: 'region',
  // Every API Gateway read is `apigateway:GET` in IAM; gaps name the operation (`apigateway:GetStages`) instead.
  operations: ['apigateway:GET'],
  async collect(ctx) {
    const client = ctx.client(APIGatewayClient);
    // API Gateway has one small control-plane rate limit per account-region: every call goes through the limiter.
    const call = <T>(fn: () => Promise<T>) => ctx.limit('apigateway', fn);
    const ar = ctx.accountRegion();
    await Promise.all([collectApis(ctx, client, call, ar), collectUsagePlans(client, call, ar), collectDomainNames(client, call, ar)]);
  },
};

type Call = <T>(fn: () => Promise<T>) => Promise<T>;

function setGap(resource: { gaps?: Record<string, ReturnType<typeof toGap>> }, field: string, operation: string, err: unknown): void {
  resource.gaps = { ...resource.gaps, [field]: toGap(operation, err) };
}

async function collectApis(ctx: CollectContext, client: APIGatewayClient, call: Call, ar: AccountRegion): Promise<void> {
  let apis: RestApi[];
  try {
    apis = await paginate(async (position) => {
      const out = await call(() => client.send(new GetRestApisCommand({ position, limit: 500 })));
      return { items: out.items ?? [], next: out.position };
    });
  } catch (err) {
    ctx.listGap('AwsApiGatewayRestApi', ar.arn, 'apigateway:GetRestApis', err, ar.name);
    ctx.listGap('AwsApiGatewayStage', ar.arn, 'apigateway:GetRestApis', err, ar.name);
    // Counts is shared with other collectors; a missing count must not read as zero.
    setGap(ar, 'Counts', 'apigateway:GetRestApis', err);
    return;
  }
  ar.Counts = { ...ar.Counts, restApis: apis.length };
  await Promise.all(apis.map((api) => collectApi(ctx, client, call, api)));
}

async function collectApi(ctx: CollectContext, client: APIGatewayClient, call: Call, raw: RestApi): Promise<void> {
  const id = raw.id!;
  const arn = `arn:${ctx.partition}:apigateway:${ctx.region}::/restapis/${id}`;
  const name = raw.name ?? id;
  const api: ApiGatewayRestApi = {
    kind: 'AwsApiGatewayRestApi',
    arn,
    name,
    accountId: ctx.accountId,
    region: ctx.region,
    tags: raw.tags ?? {},
    id,
    // Free text: profiled like an environment value.
    description: profileText(raw.description),
    createdDate: raw.createdDate?.toISOString(),
    apiKeySource: raw.apiKeySource,
    endpointConfiguration: raw.endpointConfiguration
      ? { types: raw.endpointConfiguration.types, vpcEndpointIds: raw.endpointConfiguration.vpcEndpointIds }
      : undefined,
    minimumCompressionSize: raw.minimumCompressionSize ?? null,
    disableExecuteApiEndpoint: raw.disableExecuteApiEndpoint,
  };
  try {
    api.policy = parseRestApiPolicy(raw.policy);
  } catch (err) {
    setGap(api, 'policy', 'apigateway:GetRestApis', err);
  }
  ctx.add(api);

  await Promise.all([
    call(() => client.send(new GetStagesCommand({ restApiId: id }))).then(
      (out) => {
        for (const stage of out.item ?? []) ctx.add(toStage(ctx, api, stage));
      },
      (err) => ctx.listGap('AwsApiGatewayStage', arn, 'apigateway:GetStages', err, name),
    ),
    paginate(async (position) => {
      const out = await call(() => client.send(new GetResourcesCommand({ restApiId: id, embed: ['methods'], position, limit: 500 })));
      return { items: out.items ?? [], next: out.position };
    }).then(
      (items) => {
        api.resources = items.map((r) => ({ id: r.id, path: r.path, resourceMethods: r.resourceMethods ? mapValues(r.resourceMethods, toMethod) : undefined }));
      },
      (err) => setGap(api, 'resources', 'apigateway:GetResources', err),
    ),
    paginate(async (position) => {
      const out = await call(() => client.send(new GetRequestValidatorsCommand({ restApiId: id, position, limit: 500 })));
      return { items: out.items ?? [], next: out.position };
    }).then(
      (items) => {
        api.requestValidators = items.map((v) => ({
          id: v.id, name: v.name, validateRequestBody: v.validateRequestBody, validateRequestParameters: v.validateRequestParameters,
        }));
      },
      (err) => setGap(api, 'requestValidators', 'apigateway:GetRequestValidators', err),
    ),
  ]);
}

/**
 * REST API `policy` arrives as a JSON document whose quotes (and slashes) are backslash-escaped inside the string,
 * e.g. `{\"Version\":\"2012-10-17\",...}`. Unescape it as the body of a JSON string, then parse. Absent → null.
 * Throws when it cannot be parsed (the caller records a gap rather than guess).
 */
export function parseRestApiPolicy(policy: string | undefined): PolicyDocument | null {
  if (policy === undefined || policy === '') return null;
  try {
    return JSON.parse(policy) as PolicyDocument;
  } catch {
    return JSON.parse(JSON.parse(`"${policy}"`) as string) as PolicyDocument;
  }
}

export { integrationUri };

function toMethod(m: Method): RestMethod {
  const i = m.methodIntegration;
  return {
    httpMethod: m.httpMethod,
    authorizationType: m.authorizationType,
    authorizerId: m.authorizerId,
    apiKeyRequired: m.apiKeyRequired,
    requestValidatorId: m.requestValidatorId,
    // Only the fields checks read: integration request parameters/templates can hold static secrets.
    methodIntegration: i ? { type: i.type, uri: i.uri === undefined ? undefined : integrationUri(i.uri), connectionType: i.connectionType } : undefined,
  };
}

function toStage(ctx: CollectContext, api: ApiGatewayRestApi, s: Stage): ApiGatewayStage {
  const stageName = s.stageName!;
  return {
    kind: 'AwsApiGatewayStage',
    arn: `${api.arn}/stages/${stageName}`,
    name: `${api.name}/${stageName}`,
    accountId: ctx.accountId,
    region: ctx.region,
    tags: s.tags ?? {},
    restApiId: api.id,
    restApiName: api.name,
    apiArn: api.arn,
    endpointTypes: api.endpointConfiguration?.types,
    stageName,
    deploymentId: s.deploymentId,
    clientCertificateId: s.clientCertificateId,
    cacheClusterEnabled: s.cacheClusterEnabled,
    cacheClusterSize: s.cacheClusterSize,
    methodSettings: s.methodSettings ? mapValues(s.methodSettings, (m) => ({ ...m })) : undefined,
    accessLogSettings: s.accessLogSettings ? { format: s.accessLogSettings.format, destinationArn: s.accessLogSettings.destinationArn } : undefined,
    tracingEnabled: s.tracingEnabled,
    webAclArn: s.webAclArn,
    createdDate: s.createdDate?.toISOString(),
    lastUpdatedDate: s.lastUpdatedDate?.toISOString(),
    // Stage `variables` and canary overrides are deliberately not copied: they often carry secrets.
  };
}

async function collectUsagePlans(client: APIGatewayClient, call: Call, ar: AccountRegion): Promise<void> {
  try {
    const plans = await paginate(async (position) => {
      const out = await call(() => client.send(new GetUsagePlansCommand({ position, limit: 500 })));
      return { items: out.items ?? [], next: out.position };
    });
    ar.ApiGatewayUsagePlans = plans.map((p) => ({
      id: p.id,
      name: p.name,
      throttle: p.throttle ? { burstLimit: p.throttle.burstLimit, rateLimit: p.throttle.rateLimit } : undefined,
      apiStages: p.apiStages?.map((s) => ({ apiId: s.apiId, stage: s.stage, throttle: s.throttle })),
    }));
  } catch (err) {
    setGap(ar, 'ApiGatewayUsagePlans', 'apigateway:GetUsagePlans', err);
  }
}

async function collectDomainNames(client: APIGatewayClient, call: Call, ar: AccountRegion): Promise<void> {
  try {
    const names = await paginate(async (position) => {
      const out = await call(() => client.send(new GetDomainNamesCommand({ position, limit: 500 })));
      return { items: out.items ?? [], next: out.position };
    });
    // Shared with the v2 collector: append, never replace.
    ar.ApiGatewayDomainNames = [
      ...(ar.ApiGatewayDomainNames ?? []),
      ...names.map((d) => ({ domainName: d.domainName!, securityPolicy: d.securityPolicy, api: 'rest' as const })),
    ];
  } catch (err) {
    setGap(ar, 'ApiGatewayDomainNames', 'apigateway:GetDomainNames', err);
  }
}

function mapValues<A, B>(obj: Record<string, A>, fn: (a: A) => B): Record<string, B> {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, fn(v)]));
}
