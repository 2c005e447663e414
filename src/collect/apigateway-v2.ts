// API Gateway v2 (HTTP and WebSocket APIs): APIs with their routes and integrations, their stages, and the
// region's v2 custom domain names.
import {
  ApiGatewayV2Client, GetApisCommand, GetDomainNamesCommand, GetIntegrationsCommand, GetRoutesCommand, GetStagesCommand,
  type Api, type RouteSettings, type Stage,
} from '@aws-sdk/client-apigatewayv2';
import { toGap } from '../aws/errors.js';
import { paginate } from '../aws/paginate.js';
import type { AccountRegion, ApiGatewayV2Api, ApiGatewayV2Stage, V2RouteSettings } from '../model/index.js';
import { integrationUri } from './redact.js';
import type { CollectContext, Collector } from './types.js';

export const apiGatewayV2Collector: Collector = {
  name: 'apigateway-v2',
  kinds: ['AwsApiGatewayV2Api', 'AwsApiGatewayV2Stage'],
  scope: 'region',
  // Every API Gateway read is `apigateway:GET` in IAM; gaps name the operation (`apigateway:GetRoutes`) instead.
  operations: ['apigateway:GET'],
  async collect(ctx) {
    const client = ctx.client(ApiGatewayV2Client);
    // REST and v2 share one account-region control-plane rate limit, hence the same limiter key as the REST collector.
    const call = <T>(fn: () => Promise<T>) => ctx.limit('apigateway', fn);
    const ar = ctx.accountRegion();
    await Promise.all([collectApis(ctx, client, call, ar), collectDomainNames(client, call, ar)]);
  },
};

type Call = <T>(fn: () => Promise<T>) => Promise<T>;

function setGap(resource: { gaps?: Record<string, ReturnType<typeof toGap>> }, field: string, operation: string, err: unknown): void {
  resource.gaps = { ...resource.gaps, [field]: toGap(operation, err) };
}

/** All pages of a v2 `Get*` call (`Items` + `NextToken`). */
function allItems<T>(call: Call, page: (token: string | undefined) => Promise<{ Items?: T[]; NextToken?: string }>): Promise<T[]> {
  return paginate(async (token) => {
    const out = await call(() => page(token));
    return { items: out.Items ?? [], next: out.NextToken };
  });
}

async function collectApis(ctx: CollectContext, client: ApiGatewayV2Client, call: Call, ar: AccountRegion): Promise<void> {
  let apis: Api[];
  try {
    apis = await allItems(call, (NextToken) => client.send(new GetApisCommand({ NextToken })));
  } catch (err) {
    ctx.listGap('AwsApiGatewayV2Api', ar.arn, 'apigateway:GetApis', err, ar.name);
    ctx.listGap('AwsApiGatewayV2Stage', ar.arn, 'apigateway:GetApis', err, ar.name);
    // Counts is shared with other collectors; a missing count must not read as zero.
    setGap(ar, 'Counts', 'apigateway:GetApis', err);
    return;
  }
  ar.Counts = {
    ...ar.Counts,
    httpApis: apis.filter((a) => a.ProtocolType === 'HTTP').length,
    websocketApis: apis.filter((a) => a.ProtocolType === 'WEBSOCKET').length,
  };
  await Promise.all(apis.map((api) => collectApi(ctx, client, call, api)));
}

async function collectApi(ctx: CollectContext, client: ApiGatewayV2Client, call: Call, raw: Api): Promise<void> {
  const ApiId = raw.ApiId!;
  const arn = `arn:${ctx.partition}:apigateway:${ctx.region}::/apis/${ApiId}`;
  const name = raw.Name ?? ApiId;
  const api: ApiGatewayV2Api = {
    kind: 'AwsApiGatewayV2Api',
    arn,
    name,
    accountId: ctx.accountId,
    region: ctx.region,
    tags: raw.Tags ?? {},
    ApiId,
    ApiEndpoint: raw.ApiEndpoint,
    ProtocolType: raw.ProtocolType,
    RouteSelectionExpression: raw.RouteSelectionExpression,
    DisableExecuteApiEndpoint: raw.DisableExecuteApiEndpoint,
    CreatedDate: raw.CreatedDate?.toISOString(),
  };
  ctx.add(api);

  await Promise.all([
    allItems(call, (NextToken) => client.send(new GetStagesCommand({ ApiId, NextToken }))).then(
      (stages) => {
        for (const s of stages) ctx.add(toStage(ctx, api, s));
      },
      (err) => ctx.listGap('AwsApiGatewayV2Stage', arn, 'apigateway:GetStages', err, name),
    ),
    allItems(call, (NextToken) => client.send(new GetRoutesCommand({ ApiId, NextToken }))).then(
      (routes) => {
        api.Routes = routes.map((r) => ({
          RouteId: r.RouteId, RouteKey: r.RouteKey, AuthorizationType: r.AuthorizationType, AuthorizerId: r.AuthorizerId,
          ApiKeyRequired: r.ApiKeyRequired, Target: r.Target,
        }));
      },
      (err) => setGap(api, 'Routes', 'apigateway:GetRoutes', err),
    ),
    allItems(call, (NextToken) => client.send(new GetIntegrationsCommand({ ApiId, NextToken }))).then(
      (integrations) => {
        // Only the fields checks read: RequestParameters can map static (secret) header values.
        api.Integrations = integrations.map((i) => ({
          IntegrationId: i.IntegrationId,
          IntegrationType: i.IntegrationType,
          ConnectionType: i.ConnectionType,
          TlsConfig: i.TlsConfig ? { ServerNameToVerify: i.TlsConfig.ServerNameToVerify } : undefined,
          IntegrationUri: i.IntegrationUri === undefined ? undefined : integrationUri(i.IntegrationUri),
        }));
      },
      (err) => setGap(api, 'Integrations', 'apigateway:GetIntegrations', err),
    ),
  ]);
}

function routeSettings(s: RouteSettings): V2RouteSettings {
  return {
    DataTraceEnabled: s.DataTraceEnabled,
    DetailedMetricsEnabled: s.DetailedMetricsEnabled,
    LoggingLevel: s.LoggingLevel,
    ThrottlingBurstLimit: s.ThrottlingBurstLimit,
    ThrottlingRateLimit: s.ThrottlingRateLimit,
  };
}

function toStage(ctx: CollectContext, api: ApiGatewayV2Api, s: Stage): ApiGatewayV2Stage {
  const StageName = s.StageName!;
  return {
    kind: 'AwsApiGatewayV2Stage',
    arn: `${api.arn}/stages/${StageName}`,
    name: `${api.name}/${StageName}`,
    accountId: ctx.accountId,
    region: ctx.region,
    tags: s.Tags ?? {},
    ApiId: api.ApiId,
    ApiName: api.name,
    apiArn: api.arn,
    ProtocolType: api.ProtocolType,
    StageName,
    AutoDeploy: s.AutoDeploy,
    DeploymentId: s.DeploymentId,
    AccessLogSettings: s.AccessLogSettings ? { DestinationArn: s.AccessLogSettings.DestinationArn, Format: s.AccessLogSettings.Format } : undefined,
    DefaultRouteSettings: s.DefaultRouteSettings ? routeSettings(s.DefaultRouteSettings) : undefined,
    RouteSettings: s.RouteSettings
      ? Object.fromEntries(Object.entries(s.RouteSettings).map(([k, v]) => [k, routeSettings(v)]))
      : undefined,
    ClientCertificateId: s.ClientCertificateId,
    CreatedDate: s.CreatedDate?.toISOString(),
    LastUpdatedDate: s.LastUpdatedDate?.toISOString(),
    // StageVariables are deliberately not copied: they often carry secrets.
  };
}

async function collectDomainNames(client: ApiGatewayV2Client, call: Call, ar: AccountRegion): Promise<void> {
  try {
    const names = await allItems(call, (NextToken) => client.send(new GetDomainNamesCommand({ NextToken })));
    // Shared with the REST collector: append, never replace. One entry per endpoint configuration.
    ar.ApiGatewayDomainNames = [
      ...(ar.ApiGatewayDomainNames ?? []),
      ...names.flatMap((d) =>
        (d.DomainNameConfigurations ?? []).map((c) => ({ domainName: d.DomainName!, securityPolicy: c.SecurityPolicy, api: 'v2' as const })),
      ),
    ];
  } catch (err) {
    setGap(ar, 'ApiGatewayDomainNames', 'apigateway:GetDomainNames', err);
  }
}
