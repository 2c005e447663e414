import {
  APIGatewayClient, GetDomainNamesCommand, GetRequestValidatorsCommand, GetResourcesCommand, GetRestApisCommand,
  GetStagesCommand, GetUsagePlansCommand,
} from '@aws-sdk/client-api-gateway';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { apiGatewayRestCollector, parseRestApiPolicy } from '../../src/collect/apigateway-rest.js';
import { makeContext } from './harness.js';

const mock = mockClient(APIGatewayClient);
afterAll(() => mock.restore());
beforeEach(() => mock.reset());

const denied = (what: string) =>
  Object.assign(new Error(`User: arn:aws:iam::123456789012:user/audit is not authorized to perform: apigateway:GET on resource: ${what}`), {
    name: 'AccessDeniedException',
    $metadata: { httpStatusCode: 403 },
  });

const ARN = 'arn:aws:apigateway:us-east-1::/restapis';
// As API Gateway returns it: the policy document with its quotes and slashes backslash-escaped inside the string.
const ESCAPED_POLICY = String.raw`{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"execute-api:Invoke\",\"Resource\":\"arn:aws:execute-api:us-east-1:123456789012:a1\/*\",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0\/8\"}}}]}`;

function happyPath() {
  mock.on(GetRestApisCommand).resolves({
    items: [
      {
        id: 'a1', name: 'orders', createdDate: new Date('2025-01-02T03:04:05Z'), apiKeySource: 'HEADER',
        endpointConfiguration: { types: ['REGIONAL'] }, policy: ESCAPED_POLICY, tags: { team: 'core' }, disableExecuteApiEndpoint: false,
      },
      { id: 'a2', name: 'legacy', endpointConfiguration: { types: ['EDGE'] } },
    ],
    position: 'page2',
  });
  mock.on(GetRestApisCommand, { position: 'page2' }).resolves({
    items: [{ id: 'a3', name: 'internal', endpointConfiguration: { types: ['PRIVATE'], vpcEndpointIds: ['vpce-1'] }, minimumCompressionSize: 1024 }],
  });

  mock.on(GetStagesCommand, { restApiId: 'a1' }).resolves({
    item: [
      {
        stageName: 'prod', deploymentId: 'd1', tracingEnabled: true, cacheClusterEnabled: false,
        methodSettings: { '*/*': { loggingLevel: 'INFO', metricsEnabled: true, throttlingBurstLimit: 100, throttlingRateLimit: 50 } },
        accessLogSettings: { destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:access', format: '{"requestId":"$context.requestId"}' },
        variables: { dbPassword: 'hunter2-stage-variable' },
        webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/acl/1',
        createdDate: new Date('2025-02-01T00:00:00Z'), lastUpdatedDate: new Date('2025-02-02T00:00:00Z'),
        tags: { env: 'prod' },
      },
      { stageName: 'dev', deploymentId: 'd2' },
    ],
  });
  mock.on(GetStagesCommand, { restApiId: 'a2' }).rejects(denied('/restapis/a2/stages'));
  mock.on(GetStagesCommand, { restApiId: 'a3' }).resolves({ item: [{ stageName: 'v1' }] });

  mock.on(GetResourcesCommand, { restApiId: 'a1' }).resolves({
    items: [{ id: 'r0', path: '/' }],
    position: 'res2',
  });
  mock.on(GetResourcesCommand, { restApiId: 'a1', position: 'res2' }).resolves({
    items: [
      {
        id: 'r1', parentId: 'r0', pathPart: 'orders', path: '/orders',
        resourceMethods: {
          GET: {
            httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: true,
            methodIntegration: {
              type: 'HTTP_PROXY', httpMethod: 'GET', connectionType: 'INTERNET',
              uri: 'https://backend.example.com/orders?api_key=querysecret123',
              requestParameters: { 'integration.request.header.x-api-key': "'static-header-secret'" },
            },
          },
          POST: {
            httpMethod: 'POST', authorizationType: 'COGNITO_USER_POOLS', authorizerId: 'au1', requestValidatorId: 'v1',
            methodIntegration: { type: 'AWS_PROXY', uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:orders/invocations' },
          },
        },
      },
    ],
  });
  mock.on(GetResourcesCommand, { restApiId: 'a2' }).resolves({ items: [{ id: 'r9', path: '/' }] });
  mock.on(GetResourcesCommand, { restApiId: 'a3' }).rejects(denied('/restapis/a3/resources'));

  mock.on(GetRequestValidatorsCommand).resolves({ items: [] });
  mock.on(GetRequestValidatorsCommand, { restApiId: 'a1' }).resolves({
    items: [{ id: 'v1', name: 'body', validateRequestBody: true, validateRequestParameters: false }],
  });

  mock.on(GetUsagePlansCommand).resolves({
    items: [{ id: 'up1', name: 'basic', throttle: { burstLimit: 20, rateLimit: 10 }, apiStages: [{ apiId: 'a1', stage: 'prod' }] }],
  });
  mock.on(GetDomainNamesCommand).resolves({
    items: [{ domainName: 'api.example.com', securityPolicy: 'TLS_1_0', endpointConfiguration: { types: ['REGIONAL'] } }],
  });
}

describe('apigateway-rest collector', () => {
  it('collects APIs over several pages with their stages, resources and validators', async () => {
    happyPath();
    const { ctx, region, factory } = makeContext();
    await apiGatewayRestCollector.collect(ctx);

    const apis = region.resources.AwsApiGatewayRestApi ?? [];
    expect(apis.map((a) => a.arn)).toEqual([`${ARN}/a1`, `${ARN}/a2`, `${ARN}/a3`]);
    const a1 = apis[0]!;
    expect(a1).toMatchObject({
      name: 'orders', id: 'a1', createdDate: '2025-01-02T03:04:05.000Z', tags: { team: 'core' }, apiKeySource: 'HEADER',
      endpointConfiguration: { types: ['REGIONAL'] }, minimumCompressionSize: null,
    });
    expect(a1.policy).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:us-east-1:123456789012:a1/*',
        Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
      }],
    });
    expect(apis[1]!.policy).toBeNull();
    expect(apis[2]!.minimumCompressionSize).toBe(1024);

    // Resources from both pages, methods embedded, only the fields checks read.
    expect(a1.resources?.map((r) => r.path)).toEqual(['/', '/orders']);
    expect(a1.resources?.[1]?.resourceMethods?.GET).toEqual({
      httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: true,
      methodIntegration: { type: 'HTTP_PROXY', uri: 'https://backend.example.com/orders', connectionType: 'INTERNET' },
    });
    expect(a1.resources?.[1]?.resourceMethods?.POST?.methodIntegration?.uri).toMatch(/^arn:aws:apigateway:us-east-1:lambda:path\//);
    expect(mock.commandCalls(GetResourcesCommand).every((c) => c.args[0].input.embed?.join() === 'methods')).toBe(true);
    expect(a1.requestValidators).toEqual([{ id: 'v1', name: 'body', validateRequestBody: true, validateRequestParameters: false }]);
    expect(apis[1]!.requestValidators).toEqual([]);

    const stages = region.resources.AwsApiGatewayStage ?? [];
    expect(stages.map((s) => s.arn).sort()).toEqual([`${ARN}/a1/stages/dev`, `${ARN}/a1/stages/prod`, `${ARN}/a3/stages/v1`]);
    const prod = stages.find((s) => s.stageName === 'prod')!;
    expect(prod).toMatchObject({
      restApiId: 'a1', restApiName: 'orders', apiArn: `${ARN}/a1`, endpointTypes: ['REGIONAL'], tracingEnabled: true,
      methodSettings: { '*/*': { loggingLevel: 'INFO', metricsEnabled: true, throttlingBurstLimit: 100, throttlingRateLimit: 50 } },
      accessLogSettings: { destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:access' },
      createdDate: '2025-02-01T00:00:00.000Z', tags: { env: 'prod' },
    });
    expect(stages.find((s) => s.restApiId === 'a3')!.endpointTypes).toEqual(['PRIVATE']);

    const ar = region.resources.AwsAccountRegion![0]!;
    expect(ar.Counts).toEqual({ restApis: 3 });
    expect(ar.ApiGatewayUsagePlans).toEqual([{ id: 'up1', name: 'basic', throttle: { burstLimit: 20, rateLimit: 10 }, apiStages: [{ apiId: 'a1', stage: 'prod' }] }]);
    expect(ar.ApiGatewayDomainNames).toEqual([{ domainName: 'api.example.com', securityPolicy: 'TLS_1_0', api: 'rest' }]);
    expect(ar.gaps).toBeUndefined();

    // Secrets in stage variables, integration query strings and request parameters never reach the inventory.
    const json = JSON.stringify(region);
    for (const secret of ['hunter2', 'querysecret123', 'static-header-secret', 'api_key']) expect(json).not.toContain(secret);
    // The quotas collector reads GetAccount; API keys are never read.
    expect(Object.keys(factory.counter.calls).sort()).toEqual([
      'apigateway:GetDomainNames', 'apigateway:GetRequestValidators', 'apigateway:GetResources', 'apigateway:GetRestApis',
      'apigateway:GetStages', 'apigateway:GetUsagePlans',
    ]);
    expect(factory.counter.calls['apigateway:GetRestApis']).toBe(2);
    expect(mock.commandCalls(GetRestApisCommand)[0]!.args[0].input.limit).toBe(500);
  });

  it('turns a GetStages failure into a list gap under that API, and a GetResources failure into a field gap, others go on', async () => {
    happyPath();
    const { ctx, region, errors } = makeContext();
    await apiGatewayRestCollector.collect(ctx);

    expect(region.listGaps).toEqual([
      expect.objectContaining({ kind: 'AwsApiGatewayStage', scopeArn: `${ARN}/a2`, scopeName: 'legacy', operation: 'apigateway:GetStages', code: 'AccessDeniedException' }),
    ]);
    expect(errors).toEqual([expect.objectContaining({ service: 'apigateway', code: 'AccessDeniedException' })]);
    const [a1, a2, a3] = region.resources.AwsApiGatewayRestApi!;
    expect(a3!.gaps).toEqual({ resources: expect.objectContaining({ operation: 'apigateway:GetResources', code: 'AccessDeniedException' }) });
    expect(a3!.resources).toBeUndefined();
    expect(a3!.requestValidators).toEqual([]);
    expect(a1!.gaps).toBeUndefined();
    expect(a2!.gaps).toBeUndefined();
    expect(a2!.resources).toEqual([{ id: 'r9', path: '/' }]);
  });

  it('records list gaps for both kinds and a Counts gap when GetRestApis fails; region-level calls still run', async () => {
    mock.on(GetRestApisCommand).rejects(denied('/restapis'));
    mock.on(GetUsagePlansCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));
    mock.on(GetDomainNamesCommand).resolves({ items: [] });
    const { ctx, region } = makeContext();
    await apiGatewayRestCollector.collect(ctx);

    const ar = region.resources.AwsAccountRegion![0]!;
    expect(region.listGaps.map((g) => [g.kind, g.scopeArn, g.operation])).toEqual([
      ['AwsApiGatewayRestApi', ar.arn, 'apigateway:GetRestApis'],
      ['AwsApiGatewayStage', ar.arn, 'apigateway:GetRestApis'],
    ]);
    expect(region.resources.AwsApiGatewayRestApi).toBeUndefined();
    expect(ar.Counts).toBeUndefined();
    expect(ar.gaps?.Counts).toMatchObject({ operation: 'apigateway:GetRestApis', code: 'AccessDeniedException' });
    expect(ar.gaps?.ApiGatewayUsagePlans).toMatchObject({ operation: 'apigateway:GetUsagePlans', code: 'TooManyRequestsException' });
    expect(ar.ApiGatewayUsagePlans).toBeUndefined();
    expect(ar.ApiGatewayDomainNames).toEqual([]);
    expect(mock.commandCalls(GetStagesCommand)).toHaveLength(0);
  });

  it('records a policy gap, not a guess, when the policy cannot be parsed', async () => {
    mock.on(GetRestApisCommand).resolves({ items: [{ id: 'a1', name: 'x', policy: '{not json' }] });
    mock.on(GetStagesCommand).resolves({ item: [] });
    mock.on(GetResourcesCommand).resolves({ items: [] });
    mock.on(GetRequestValidatorsCommand).resolves({ items: [] });
    mock.on(GetUsagePlansCommand).resolves({ items: [] });
    mock.on(GetDomainNamesCommand).resolves({ items: [] });
    const { ctx, region } = makeContext();
    await apiGatewayRestCollector.collect(ctx);
    const api = region.resources.AwsApiGatewayRestApi![0]!;
    expect(api.policy).toBeUndefined();
    expect(api.gaps?.policy).toMatchObject({ operation: 'apigateway:GetRestApis', code: 'SyntaxError' });
  });
});

describe('parseRestApiPolicy', () => {
  it('parses the escaped form, the plain form, and gives null when absent', () => {
    expect(parseRestApiPolicy(String.raw`{\"Version\":\"2012-10-17\",\"Statement\":[]}`)).toEqual({ Version: '2012-10-17', Statement: [] });
    expect(parseRestApiPolicy('{"Version":"2012-10-17"}')).toEqual({ Version: '2012-10-17' });
    expect(parseRestApiPolicy(undefined)).toBeNull();
    expect(parseRestApiPolicy('')).toBeNull();
    expect(() => parseRestApiPolicy('{\\"Version')).toThrow();
  });
});
