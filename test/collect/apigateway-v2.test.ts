import {
  ApiGatewayV2Client, GetApisCommand, GetDomainNamesCommand, GetIntegrationsCommand, GetRoutesCommand, GetStagesCommand,
} from '@aws-sdk/client-apigatewayv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { apiGatewayV2Collector } from '../../src/collect/apigateway-v2.js';
import { makeContext } from './harness.js';

const mock = mockClient(ApiGatewayV2Client);
afterAll(() => mock.restore());
beforeEach(() => mock.reset());

const denied = (what: string) =>
  Object.assign(new Error(`User is not authorized to perform: apigateway:GET on resource: ${what}`), {
    name: 'AccessDeniedException',
    $metadata: { httpStatusCode: 403 },
  });

const ARN = 'arn:aws:apigateway:us-east-1::/apis';

function happyPath() {
  mock.on(GetApisCommand).resolves({
    Items: [
      {
        ApiId: 'h1', Name: 'shop', ProtocolType: 'HTTP', ApiEndpoint: 'https://h1.execute-api.us-east-1.amazonaws.com',
        RouteSelectionExpression: '$request.method $request.path', CreatedDate: new Date('2025-03-01T00:00:00Z'), Tags: { team: 'shop' },
      },
      { ApiId: 'w1', Name: 'chat', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' },
    ],
    NextToken: 'apis-2',
  });
  mock.on(GetApisCommand, { NextToken: 'apis-2' }).resolves({
    Items: [{ ApiId: 'h2', Name: 'admin', ProtocolType: 'HTTP', RouteSelectionExpression: '$request.method $request.path' }],
  });

  mock.on(GetStagesCommand, { ApiId: 'h1' }).resolves({
    Items: [{
      StageName: '$default', AutoDeploy: true, DeploymentId: 'd1',
      AccessLogSettings: { DestinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:h1', Format: '$context.requestId' },
      DefaultRouteSettings: { DetailedMetricsEnabled: false, ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 },
      RouteSettings: { 'GET /items': { ThrottlingBurstLimit: 5, ThrottlingRateLimit: 1 } },
      StageVariables: { token: 'stage-variable-secret' },
      CreatedDate: new Date('2025-03-02T00:00:00Z'),
    }],
    NextToken: 'st-2',
  });
  mock.on(GetStagesCommand, { ApiId: 'h1', NextToken: 'st-2' }).resolves({ Items: [{ StageName: 'beta' }] });
  mock.on(GetStagesCommand, { ApiId: 'w1' }).resolves({ Items: [{ StageName: 'prod', DefaultRouteSettings: { LoggingLevel: 'ERROR' } }] });
  mock.on(GetStagesCommand, { ApiId: 'h2' }).rejects(denied('/apis/h2/stages'));

  mock.on(GetRoutesCommand).resolves({ Items: [] });
  mock.on(GetRoutesCommand, { ApiId: 'h1' }).resolves({
    Items: [{ RouteId: 'r1', RouteKey: 'GET /items', AuthorizationType: 'NONE', ApiKeyRequired: false, Target: 'integrations/i1' }],
    NextToken: 'routes-2',
  });
  mock.on(GetRoutesCommand, { ApiId: 'h1', NextToken: 'routes-2' }).resolves({
    Items: [{ RouteId: 'r2', RouteKey: 'POST /items', AuthorizationType: 'JWT', AuthorizerId: 'au1', Target: 'integrations/i2' }],
  });
  mock.on(GetRoutesCommand, { ApiId: 'w1' }).rejects(denied('/apis/w1/routes'));

  mock.on(GetIntegrationsCommand).resolves({ Items: [] });
  mock.on(GetIntegrationsCommand, { ApiId: 'h1' }).resolves({
    Items: [
      {
        IntegrationId: 'i1', IntegrationType: 'HTTP_PROXY', ConnectionType: 'INTERNET', IntegrationMethod: 'GET',
        IntegrationUri: 'https://user:pass-in-url@backend.example.com/items?sig=query-secret-9',
        RequestParameters: { 'overwrite:header.x-api-key': 'request-parameter-secret' },
      },
      {
        IntegrationId: 'i2', IntegrationType: 'HTTP_PROXY', ConnectionType: 'VPC_LINK', ConnectionId: 'vl1',
        IntegrationUri: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/alb/1/2', TlsConfig: { ServerNameToVerify: 'internal.example.com' },
      },
    ],
  });

  mock.on(GetDomainNamesCommand).resolves({
    Items: [{
      DomainName: 'ws.example.com',
      DomainNameConfigurations: [{ EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' }, { EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_0' }],
    }],
    NextToken: 'dn-2',
  });
  mock.on(GetDomainNamesCommand, { NextToken: 'dn-2' }).resolves({
    Items: [{ DomainName: 'http.example.com', DomainNameConfigurations: [{ SecurityPolicy: 'TLS_1_2' }] }],
  });
}

describe('apigateway-v2 collector', () => {
  it('collects HTTP and WebSocket APIs over pages, with stages, routes, integrations and domain names', async () => {
    happyPath();
    const { ctx, region } = makeContext();
    await apiGatewayV2Collector.collect(ctx);

    const apis = region.resources.AwsApiGatewayV2Api ?? [];
    expect(apis.map((a) => a.arn)).toEqual([`${ARN}/h1`, `${ARN}/w1`, `${ARN}/h2`]);
    const h1 = apis[0]!;
    expect(h1).toMatchObject({ name: 'shop', ApiId: 'h1', ProtocolType: 'HTTP', CreatedDate: '2025-03-01T00:00:00.000Z', tags: { team: 'shop' } });
    expect(h1.Routes?.map((r) => r.RouteKey)).toEqual(['GET /items', 'POST /items']);
    expect(h1.Routes?.[1]).toEqual({ RouteId: 'r2', RouteKey: 'POST /items', AuthorizationType: 'JWT', AuthorizerId: 'au1', Target: 'integrations/i2' });
    expect(h1.Integrations).toEqual([
      { IntegrationId: 'i1', IntegrationType: 'HTTP_PROXY', ConnectionType: 'INTERNET', IntegrationUri: 'https://backend.example.com/items' },
      {
        IntegrationId: 'i2', IntegrationType: 'HTTP_PROXY', ConnectionType: 'VPC_LINK', TlsConfig: { ServerNameToVerify: 'internal.example.com' },
        IntegrationUri: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/alb/1/2',
      },
    ]);

    const stages = region.resources.AwsApiGatewayV2Stage ?? [];
    expect(stages.map((s) => s.arn).sort()).toEqual([`${ARN}/h1/stages/$default`, `${ARN}/h1/stages/beta`, `${ARN}/w1/stages/prod`]);
    expect(stages.find((s) => s.StageName === '$default')).toMatchObject({
      ApiId: 'h1', ApiName: 'shop', apiArn: `${ARN}/h1`, ProtocolType: 'HTTP', AutoDeploy: true,
      AccessLogSettings: { DestinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:h1', Format: '$context.requestId' },
      DefaultRouteSettings: { DetailedMetricsEnabled: false, ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 },
      RouteSettings: { 'GET /items': { ThrottlingBurstLimit: 5, ThrottlingRateLimit: 1 } },
      CreatedDate: '2025-03-02T00:00:00.000Z',
    });
    expect(stages.find((s) => s.ApiId === 'w1')).toMatchObject({ ProtocolType: 'WEBSOCKET', DefaultRouteSettings: { LoggingLevel: 'ERROR' } });

    const ar = region.resources.AwsAccountRegion![0]!;
    expect(ar.Counts).toEqual({ httpApis: 2, websocketApis: 1 });
    expect(ar.ApiGatewayDomainNames).toEqual([
      { domainName: 'ws.example.com', securityPolicy: 'TLS_1_2', api: 'v2' },
      { domainName: 'ws.example.com', securityPolicy: 'TLS_1_0', api: 'v2' },
      { domainName: 'http.example.com', securityPolicy: 'TLS_1_2', api: 'v2' },
    ]);

    const json = JSON.stringify(region);
    for (const secret of ['stage-variable-secret', 'pass-in-url', 'query-secret-9', 'request-parameter-secret']) expect(json).not.toContain(secret);
  });

  it('gives a list gap under the API when GetStages fails, a field gap when GetRoutes fails, and goes on', async () => {
    happyPath();
    const { ctx, region } = makeContext();
    await apiGatewayV2Collector.collect(ctx);

    expect(region.listGaps).toEqual([
      expect.objectContaining({ kind: 'AwsApiGatewayV2Stage', scopeArn: `${ARN}/h2`, scopeName: 'admin', operation: 'apigateway:GetStages', code: 'AccessDeniedException' }),
    ]);
    const [h1, w1, h2] = region.resources.AwsApiGatewayV2Api!;
    expect(w1!.gaps).toEqual({ Routes: expect.objectContaining({ operation: 'apigateway:GetRoutes', code: 'AccessDeniedException' }) });
    expect(w1!.Routes).toBeUndefined();
    expect(w1!.Integrations).toEqual([]);
    expect(h1!.gaps).toBeUndefined();
    expect(h2!.gaps).toBeUndefined();
    expect(h2!.Routes).toEqual([]);
  });

  it('records list gaps and a Counts gap when GetApis fails, and a domain-name gap when GetDomainNames fails', async () => {
    mock.on(GetApisCommand).rejects(denied('/apis'));
    mock.on(GetDomainNamesCommand).rejects(denied('/domainnames'));
    const { ctx, region, errors } = makeContext();
    const ar = ctx.accountRegion();
    // The REST collector may have filled domain names already: they stay, the gap marks the list incomplete.
    ar.ApiGatewayDomainNames = [{ domainName: 'rest.example.com', securityPolicy: 'TLS_1_2', api: 'rest' }];
    await apiGatewayV2Collector.collect(ctx);

    expect(region.listGaps.map((g) => [g.kind, g.scopeArn, g.code])).toEqual([
      ['AwsApiGatewayV2Api', ar.arn, 'AccessDeniedException'],
      ['AwsApiGatewayV2Stage', ar.arn, 'AccessDeniedException'],
    ]);
    expect(errors.length).toBeGreaterThan(0);
    expect(ar.gaps?.Counts).toMatchObject({ operation: 'apigateway:GetApis' });
    expect(ar.gaps?.ApiGatewayDomainNames).toMatchObject({ operation: 'apigateway:GetDomainNames', code: 'AccessDeniedException' });
    expect(ar.ApiGatewayDomainNames).toEqual([{ domainName: 'rest.example.com', securityPolicy: 'TLS_1_2', api: 'rest' }]);
    expect(mock.commandCalls(GetRoutesCommand)).toHaveLength(0);
  });
});
