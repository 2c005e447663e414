// Generates examples/sample-inventory.json, the demo inventory (`npm run demo`): a small serverless estate in account
// 111122223333 (us-east-1, eu-west-1 and the global IAM scope) with a mix of good and bad configurations and one
// realistic collection gap in each form (a field gap, a list gap). Run: npx tsx examples/make-sample.ts
//
// Environment variables are written as profiles, exactly as the Lambda collector stores them: the made-up values
// below are profiled here and never written out.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { profileEnvironment, profileText } from '../src/collect/redact.js';
import type {
  AccountRegion, AnyResource, ApiGatewayRestApi, ApiGatewayStage, ApiGatewayV2Api, ApiGatewayV2Stage, CloudWatchAlarm,
  CollectionError, DynamoDbTable, IamRole, Inventory, KinesisStream, LambdaEventSourceMapping, LambdaFunction, ListGap,
  LogsLogGroup, PolicyDocument, RegionInventory, SnsSubscription, SnsTopic, Account,
} from '../src/model/index.js';

const ACCOUNT = '111122223333';
const US = 'us-east-1';
const EU = 'eu-west-1';
const COLLECTED_AT = '2026-05-30T06:00:12.000Z';
const base = (region: string) => ({ accountId: ACCOUNT, region, tags: {} as Record<string, string> });
const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const fnArn = (region: string, name: string) => `arn:aws:lambda:${region}:${ACCOUNT}:function:${name}`;
const logArn = (region: string, name: string) => `arn:aws:logs:${region}:${ACCOUNT}:log-group:${name}`;
const topicArn = (region: string, name: string) => `arn:aws:sns:${region}:${ACCOUNT}:${name}`;
const queueArn = (region: string, name: string) => `arn:aws:sqs:${region}:${ACCOUNT}:${name}`;
const ACCESS_DENIED = (action: string, resource: string) =>
  `User: arn:aws:sts::${ACCOUNT}:assumed-role/LensAuditReadOnly/lens-audit is not authorized to perform: ${action} on resource: ${resource} with an explicit deny in a service control policy`;

// ---------------------------------------------------------------- Lambda functions

interface FnSpec {
  region: string;
  name: string;
  description: string;
  runtime?: string;
  handler?: string;
  role: string;
  memory: number;
  timeout: number;
  tracing: 'Active' | 'PassThrough';
  env?: Record<string, string>;
  policy: PolicyDocument | null | 'denied';
  urls?: LambdaFunction['FunctionUrlConfigs'];
  invokeConfigs?: LambdaFunction['FunctionEventInvokeConfigs'];
  dlq?: string;
  reserved?: number | null;
  vpc?: LambdaFunction['VpcConfig'];
  logGroup?: string;
  logFormat?: 'Text' | 'JSON';
  layers?: string[];
  image?: boolean;
  tags: Record<string, string>;
  lastModified: string;
}

const invokeFrom = (fn: string, region: string, sid: string, service: string, sourceArn: string): PolicyDocument => ({
  Version: '2012-10-17',
  Id: 'default',
  Statement: [{
    Sid: sid,
    Effect: 'Allow',
    Principal: { Service: service },
    Action: 'lambda:InvokeFunction',
    Resource: fnArn(region, fn),
    Condition: { ArnLike: { 'AWS:SourceArn': sourceArn } },
  }],
});

const REST_API_ID = 'a1b2c3d4e5';
const HTTP_API_ID = 'h7k2m9p4q1';
const POWERTOOLS_TS = 'arn:aws:lambda:us-east-1:094274105915:layer:AWSLambdaPowertoolsTypeScriptV2:30';
const POWERTOOLS_PY = 'arn:aws:lambda:us-east-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python312-arm64:12';

const functions: FnSpec[] = [
  {
    region: US, name: 'orders-api-create', description: 'Orders service: POST /orders', runtime: 'nodejs22.x', handler: 'index.handler',
    role: 'orders-api-role', memory: 1024, timeout: 10, tracing: 'Active',
    env: { ORDERS_TABLE: 'orders', POWERTOOLS_SERVICE_NAME: 'orders', LOG_LEVEL: 'INFO' },
    policy: invokeFrom('orders-api-create', US, 'orders-api-post', 'apigateway.amazonaws.com', `arn:aws:execute-api:${US}:${ACCOUNT}:${REST_API_ID}/*/POST/orders`),
    reserved: 100, logFormat: 'JSON', layers: [POWERTOOLS_TS], tags: { service: 'orders', team: 'checkout' }, lastModified: '2026-05-12T09:31:55.000+0000',
  },
  {
    region: US, name: 'orders-api-get', description: 'Orders service: GET /orders and /orders/{orderId}', runtime: 'nodejs22.x', handler: 'index.handler',
    // Shares its role with orders-api-create: lambda.shared-role.
    role: 'orders-api-role', memory: 512, timeout: 6, tracing: 'Active',
    env: { ORDERS_TABLE: 'orders', POWERTOOLS_SERVICE_NAME: 'orders', LOG_LEVEL: 'INFO' },
    policy: invokeFrom('orders-api-get', US, 'orders-api-get', 'apigateway.amazonaws.com', `arn:aws:execute-api:${US}:${ACCOUNT}:${REST_API_ID}/*/GET/*`),
    reserved: null, logFormat: 'JSON', layers: [POWERTOOLS_TS], tags: { service: 'orders', team: 'checkout' }, lastModified: '2026-05-12T09:32:10.000+0000',
  },
  {
    region: US, name: 'orders-stream-processor', description: 'Orders service: projects order events into the read model', runtime: 'nodejs22.x', handler: 'index.handler',
    role: 'orders-stream-processor-role', memory: 512, timeout: 60, tracing: 'PassThrough',
    env: { READ_MODEL_TABLE: 'orders', LOG_LEVEL: 'DEBUG' },
    policy: null, reserved: 20, tags: { service: 'orders', team: 'checkout' }, lastModified: '2026-04-28T14:02:41.000+0000',
  },
  {
    region: US, name: 'payments-authorize', description: 'Payments service: authorizes card payments', runtime: 'python3.12', handler: 'app.handler',
    role: 'payments-authorize-role', memory: 1769, timeout: 15, tracing: 'Active',
    // DB_PASSWORD holds a literal password: lambda.env-secrets (only its profile is written).
    env: { PAYMENTS_TABLE: 'payments', DB_HOST: 'payments-db.cluster-c9x2abcdefgh.us-east-1.rds.amazonaws.com', DB_USER: 'payments_app', DB_PASSWORD: 'q8Zr2LmX7vTn4KpW9sYb3HdF6jGc', LOG_LEVEL: 'INFO' },
    policy: invokeFrom('payments-authorize', US, 'payments-http', 'apigateway.amazonaws.com', `arn:aws:execute-api:${US}:${ACCOUNT}:${HTTP_API_ID}/*/*/payments`),
    reserved: 50,
    vpc: { VpcId: 'vpc-0a1b2c3d4e5f60718', SubnetIds: ['subnet-0aa11bb22cc33dd44', 'subnet-0ee55ff66aa77bb88'], SecurityGroupIds: ['sg-0c1d2e3f4a5b6c7d8'], Ipv6AllowedForDualStack: false },
    layers: [POWERTOOLS_PY], tags: { service: 'payments', team: 'payments' }, lastModified: '2026-05-20T16:45:03.000+0000',
  },
  {
    region: US, name: 'payments-webhook', description: 'Payments service: receives payment-provider webhooks', runtime: 'python3.12', handler: 'app.handler',
    role: 'payments-webhook-role', memory: 256, timeout: 10, tracing: 'Active',
    env: { WEBHOOK_SIGNING_SECRET_ARN: `arn:aws:secretsmanager:${US}:${ACCOUNT}:secret:payments/webhook-signing-Ab12Cd`, PAYMENTS_TABLE: 'payments' },
    // A public function URL and the permission that goes with it: lambda.function-url-public, lambda.public-resource-policy.
    policy: {
      Version: '2012-10-17', Id: 'default',
      Statement: [{
        Sid: 'FunctionURLAllowPublicAccess', Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunctionUrl',
        Resource: fnArn(US, 'payments-webhook'), Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } },
      }],
    },
    urls: [{
      FunctionUrl: 'https://x3k5p7r9t2v4w6y8z0b1c3d5f7h9j1l3.lambda-url.us-east-1.on.aws/',
      AuthType: 'NONE', InvokeMode: 'BUFFERED',
      Cors: { AllowOrigins: ['*'], AllowMethods: ['POST'], AllowCredentials: false },
    }],
    reserved: null, tags: { service: 'payments', team: 'payments' }, lastModified: '2026-03-03T11:20:00.000+0000',
  },
  {
    region: US, name: 'payments-refund', description: 'Payments service: issues refunds', runtime: 'python3.8', handler: 'lambda_function.lambda_handler',
    // Deprecated runtime, default memory and timeout, no tracing.
    role: 'payments-refund-role', memory: 128, timeout: 3, tracing: 'PassThrough',
    env: { PAYMENTS_TABLE: 'payments' },
    policy: null, reserved: null, tags: { service: 'payments' }, lastModified: '2023-11-07T08:12:44.000+0000',
  },
  {
    region: US, name: 'nightly-sales-report', description: 'Scheduled: builds the nightly sales report', runtime: 'python3.11', handler: 'report.handler',
    role: 'reporting-role', memory: 2048, timeout: 900, tracing: 'Active',
    env: { REPORT_BUCKET: 'acme-sales-reports-111122223333', LOG_LEVEL: 'INFO' },
    policy: invokeFrom('nightly-sales-report', US, 'nightly-schedule', 'events.amazonaws.com', `arn:aws:events:${US}:${ACCOUNT}:rule/nightly-sales-report`),
    dlq: queueArn(US, 'nightly-sales-report-dlq'), reserved: 1, tags: { service: 'reporting', team: 'data' }, lastModified: '2026-02-14T22:05:31.000+0000',
  },
  {
    region: US, name: 'cleanup-expired-sessions', description: 'Scheduled: deletes expired sessions', runtime: 'nodejs22.x', handler: 'index.handler',
    // The same role as invoice-archiver in eu-west-1: lambda.shared-role across regions.
    role: 'scheduled-jobs-role', memory: 256, timeout: 30, tracing: 'PassThrough',
    env: { SESSIONS_TABLE: 'sessions' },
    policy: invokeFrom('cleanup-expired-sessions', US, 'hourly-cleanup', 'events.amazonaws.com', `arn:aws:events:${US}:${ACCOUNT}:rule/cleanup-expired-sessions`),
    reserved: null, tags: { team: 'platform' }, lastModified: '2025-10-01T07:00:00.000+0000',
  },
  {
    region: US, name: 'thumbnail-generator', description: 'Creates thumbnails of uploaded images', image: true,
    role: 'thumbnail-role', memory: 3008, timeout: 120, tracing: 'Active',
    // GetPolicy is denied for this function (an SCP protects functions tagged data-classification=restricted): a field gap.
    policy: 'denied', reserved: null, tags: { service: 'media', 'data-classification': 'restricted' }, lastModified: '2026-05-02T10:10:10.000+0000',
  },
  {
    region: EU, name: 'invoice-archiver', description: 'Scheduled: archives invoices to S3', runtime: 'python3.13', handler: 'archiver.handler',
    role: 'scheduled-jobs-role', memory: 1024, timeout: 300, tracing: 'Active',
    env: { ARCHIVE_BUCKET: 'acme-invoice-archive-eu', LOG_LEVEL: 'INFO' },
    policy: invokeFrom('invoice-archiver', EU, 'monthly-archive', 'events.amazonaws.com', `arn:aws:events:${EU}:${ACCOUNT}:rule/invoice-archiver`),
    // No DLQ, but an OnFailure destination: lambda.no-dlq at INFORMATIONAL.
    invokeConfigs: [{
      FunctionArn: `${fnArn(EU, 'invoice-archiver')}:$LATEST`, MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21600,
      DestinationConfig: { OnSuccess: {}, OnFailure: { Destination: queueArn(EU, 'invoice-archiver-failures') } },
    }],
    reserved: null, tags: { service: 'billing', team: 'finance' }, lastModified: '2026-01-19T13:45:00.000+0000',
  },
  {
    region: EU, name: 'orders-replicator', description: 'Orders service: replicates EU orders to the analytics store', runtime: 'nodejs22.x', handler: 'index.handler',
    role: 'orders-replicator-role', memory: 128, timeout: 3, tracing: 'PassThrough',
    env: { ANALYTICS_STREAM: 'orders-analytics' },
    policy: null, reserved: null, tags: { service: 'orders' }, lastModified: '2025-12-02T09:00:00.000+0000',
  },
  {
    region: EU, name: 'gdpr-export', description: 'Exports a customer\'s personal data on request', runtime: 'python3.13', handler: 'export.handler',
    role: 'gdpr-export-role', memory: 1024, timeout: 300, tracing: 'Active',
    env: { EXPORT_BUCKET: 'acme-gdpr-exports-eu', LOG_LEVEL: 'INFO' },
    // Logs to a custom log group (no retention): logs.no-retention through LoggingConfig.LogGroup.
    logGroup: '/custom/gdpr-export', logFormat: 'JSON',
    policy: null, reserved: 5, tags: { service: 'privacy', team: 'legal-eng' }, lastModified: '2026-04-04T15:30:00.000+0000',
  },
];

function toFunction(s: FnSpec): LambdaFunction {
  const arn = fnArn(s.region, s.name);
  const fn: LambdaFunction = {
    kind: 'AwsLambdaFunction', arn, name: s.name, ...base(s.region), tags: s.tags,
    FunctionName: s.name,
    FunctionArn: arn,
    ...(s.image ? {} : { Runtime: s.runtime, Handler: s.handler }),
    Role: roleArn(s.role),
    CodeSize: s.image ? 0 : 48_213 + s.name.length * 1_337,
    Description: profileText(s.description),
    Timeout: s.timeout,
    MemorySize: s.memory,
    LastModified: s.lastModified,
    Version: '$LATEST',
    PackageType: s.image ? 'Image' : 'Zip',
    Architectures: s.image ? ['x86_64'] : ['arm64'],
    ...(s.vpc ? { VpcConfig: s.vpc } : {}),
    ...(s.dlq ? { DeadLetterConfig: { TargetArn: s.dlq } } : {}),
    ...(s.env ? { Environment: { Variables: profileEnvironment(s.env) } } : {}),
    TracingConfig: { Mode: s.tracing },
    ...(s.layers ? { Layers: s.layers.map((Arn) => ({ Arn, CodeSize: 3_912_455 })) } : {}),
    LoggingConfig: {
      LogFormat: s.logFormat ?? 'Text',
      ...(s.logFormat === 'JSON' ? { ApplicationLogLevel: 'INFO', SystemLogLevel: 'INFO' } : {}),
      LogGroup: s.logGroup ?? `/aws/lambda/${s.name}`,
    },
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    FunctionUrlConfigs: s.urls ?? [],
    FunctionEventInvokeConfigs: s.invokeConfigs ?? [],
    ReservedConcurrentExecutions: s.reserved ?? null,
  };
  if (s.policy === 'denied') {
    fn.gaps = {
      Policy: { operation: 'lambda:GetPolicy', code: 'AccessDeniedException', message: ACCESS_DENIED('lambda:GetPolicy', arn) },
    };
  } else {
    fn.Policy = s.policy;
  }
  return fn;
}

// ---------------------------------------------------------------- event source mappings

const ORDERS_EVENTS = `arn:aws:kinesis:${US}:${ACCOUNT}:stream/orders-events`;
const ORDERS_EU_STREAM = `arn:aws:dynamodb:${EU}:${ACCOUNT}:table/orders-eu/stream/2025-11-20T08:15:42.117`;

const mappings: LambdaEventSourceMapping[] = [
  {
    kind: 'AwsLambdaEventSourceMapping', ...base(US),
    arn: `arn:aws:lambda:${US}:${ACCOUNT}:event-source-mapping:6f1c2b7e-3d4a-4b5c-9e8f-0a1b2c3d4e5f`, name: '6f1c2b7e-3d4a-4b5c-9e8f-0a1b2c3d4e5f',
    UUID: '6f1c2b7e-3d4a-4b5c-9e8f-0a1b2c3d4e5f',
    EventSourceMappingArn: `arn:aws:lambda:${US}:${ACCOUNT}:event-source-mapping:6f1c2b7e-3d4a-4b5c-9e8f-0a1b2c3d4e5f`,
    EventSourceArn: ORDERS_EVENTS, FunctionArn: fnArn(US, 'orders-stream-processor'), State: 'Enabled',
    BatchSize: 100, MaximumBatchingWindowInSeconds: 1, StartingPosition: 'LATEST', ParallelizationFactor: 2,
    MaximumRetryAttempts: 3, MaximumRecordAgeInSeconds: 3600, BisectBatchOnFunctionError: true, FunctionResponseTypes: ['ReportBatchItemFailures'],
    DestinationConfig: { OnFailure: { Destination: queueArn(US, 'orders-stream-processor-failures') } },
  },
  {
    kind: 'AwsLambdaEventSourceMapping', ...base(EU),
    arn: `arn:aws:lambda:${EU}:${ACCOUNT}:event-source-mapping:a9d8c7b6-5e4f-4a3b-8c2d-1e0f9a8b7c6d`, name: 'a9d8c7b6-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    UUID: 'a9d8c7b6-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    EventSourceMappingArn: `arn:aws:lambda:${EU}:${ACCOUNT}:event-source-mapping:a9d8c7b6-5e4f-4a3b-8c2d-1e0f9a8b7c6d`,
    // Defaults everywhere: infinite retries, no bisect, no failure destination.
    EventSourceArn: ORDERS_EU_STREAM, FunctionArn: fnArn(EU, 'orders-replicator'), State: 'Enabled',
    BatchSize: 100, MaximumBatchingWindowInSeconds: 0, StartingPosition: 'TRIM_HORIZON', ParallelizationFactor: 1,
    MaximumRetryAttempts: -1, MaximumRecordAgeInSeconds: -1, BisectBatchOnFunctionError: false, FunctionResponseTypes: [],
    DestinationConfig: { OnFailure: {} },
  },
];

// ---------------------------------------------------------------- API Gateway

const restApiArn = `arn:aws:apigateway:${US}::/restapis/${REST_API_ID}`;
const restApi: ApiGatewayRestApi = {
  kind: 'AwsApiGatewayRestApi', arn: restApiArn, name: 'orders-api', ...base(US), tags: { service: 'orders' },
  id: REST_API_ID, description: profileText('Orders service public API'), createdDate: '2025-06-03T10:00:00.000Z', apiKeySource: 'HEADER',
  endpointConfiguration: { types: ['REGIONAL'] }, policy: null, minimumCompressionSize: 1024, disableExecuteApiEndpoint: false,
  resources: [
    { id: 'k3j2h1g0f9', path: '/' },
    {
      id: 'r7t6y5', path: '/orders',
      resourceMethods: {
        GET: {
          httpMethod: 'GET', authorizationType: 'COGNITO_USER_POOLS', authorizerId: 'cg7x2q', apiKeyRequired: false,
          methodIntegration: { type: 'AWS_PROXY', uri: `arn:aws:apigateway:${US}:lambda:path/2015-03-31/functions/${fnArn(US, 'orders-api-get')}/invocations`, connectionType: 'INTERNET' },
        },
        POST: {
          httpMethod: 'POST', authorizationType: 'COGNITO_USER_POOLS', authorizerId: 'cg7x2q', apiKeyRequired: false, requestValidatorId: 'v1body',
          methodIntegration: { type: 'AWS_PROXY', uri: `arn:aws:apigateway:${US}:lambda:path/2015-03-31/functions/${fnArn(US, 'orders-api-create')}/invocations`, connectionType: 'INTERNET' },
        },
        OPTIONS: { httpMethod: 'OPTIONS', authorizationType: 'NONE', apiKeyRequired: false, methodIntegration: { type: 'MOCK', connectionType: 'INTERNET' } },
      },
    },
    {
      id: 'p0o9i8', path: '/orders/{orderId}',
      resourceMethods: {
        // Partner lookups: protected by an API key only.
        GET: {
          httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: true,
          methodIntegration: { type: 'AWS_PROXY', uri: `arn:aws:apigateway:${US}:lambda:path/2015-03-31/functions/${fnArn(US, 'orders-api-get')}/invocations`, connectionType: 'INTERNET' },
        },
      },
    },
    {
      id: 'l5k4j3', path: '/health',
      resourceMethods: { GET: { httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: false, methodIntegration: { type: 'MOCK', connectionType: 'INTERNET' } } },
    },
  ],
  requestValidators: [{ id: 'v1body', name: 'validate-body', validateRequestBody: true, validateRequestParameters: false }],
};

const JSON_ACCESS_FORMAT =
  '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","routeKey":"$context.resourcePath","status":"$context.status","responseLatency":"$context.responseLatency"}';

const restStage = (stageName: string, patch: Partial<ApiGatewayStage>): ApiGatewayStage => ({
  kind: 'AwsApiGatewayStage', arn: `${restApiArn}/stages/${stageName}`, name: `orders-api/${stageName}`, ...base(US), tags: { service: 'orders' },
  restApiId: REST_API_ID, restApiName: 'orders-api', apiArn: restApiArn, endpointTypes: ['REGIONAL'], stageName,
  cacheClusterEnabled: false, createdDate: '2025-06-03T10:05:00.000Z', lastUpdatedDate: '2026-05-12T09:40:00.000Z',
  ...patch,
});

const restStages: ApiGatewayStage[] = [
  restStage('prod', {
    deploymentId: 'd4prod1',
    methodSettings: { '*/*': { metricsEnabled: true, loggingLevel: 'ERROR', dataTraceEnabled: false, throttlingBurstLimit: 200, throttlingRateLimit: 100, cachingEnabled: false, cacheTtlInSeconds: 300, cacheDataEncrypted: false, requireAuthorizationForCacheControl: true } },
    accessLogSettings: { destinationArn: logArn(US, 'orders-api-access-logs'), format: JSON_ACCESS_FORMAT },
    tracingEnabled: true,
    webAclArn: `arn:aws:wafv2:${US}:${ACCOUNT}:regional/webacl/orders-api-waf/0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e`,
  }),
  restStage('dev', {
    deploymentId: 'd4dev7',
    // No access logs, no tracing, full request/response logging.
    methodSettings: { '*/*': { metricsEnabled: false, loggingLevel: 'INFO', dataTraceEnabled: true, throttlingBurstLimit: 50, throttlingRateLimit: 20, cachingEnabled: false } },
    tracingEnabled: false,
  }),
];

const httpApiArn = `arn:aws:apigateway:${US}::/apis/${HTTP_API_ID}`;
const httpApi: ApiGatewayV2Api = {
  kind: 'AwsApiGatewayV2Api', arn: httpApiArn, name: 'payments-http', ...base(US), tags: { service: 'payments' },
  ApiId: HTTP_API_ID, ApiEndpoint: `https://${HTTP_API_ID}.execute-api.us-east-1.amazonaws.com`, ProtocolType: 'HTTP',
  RouteSelectionExpression: '$request.method $request.path', DisableExecuteApiEndpoint: false, CreatedDate: '2025-09-15T12:00:00.000Z',
  Routes: [
    { RouteId: 'q1w2e3r', RouteKey: 'POST /payments', AuthorizationType: 'JWT', AuthorizerId: 'jw4t5y', ApiKeyRequired: false, Target: 'integrations/i9u8y7t' },
    { RouteId: 't5y6u7i', RouteKey: 'GET /payments/{paymentId}', AuthorizationType: 'JWT', AuthorizerId: 'jw4t5y', ApiKeyRequired: false, Target: 'integrations/i9u8y7t' },
    { RouteId: 'o9p0a1s', RouteKey: 'OPTIONS /payments', AuthorizationType: 'NONE', ApiKeyRequired: false },
    // Provider callbacks: verified in code by signature, but open at the gateway.
    { RouteId: 'd2f3g4h', RouteKey: 'POST /webhooks/provider', AuthorizationType: 'NONE', ApiKeyRequired: false, Target: 'integrations/i9u8y7t' },
  ],
  Integrations: [{
    IntegrationId: 'i9u8y7t', IntegrationType: 'AWS_PROXY', ConnectionType: 'INTERNET',
    IntegrationUri: fnArn(US, 'payments-authorize'),
  }],
};

const httpStage: ApiGatewayV2Stage = {
  kind: 'AwsApiGatewayV2Stage', arn: `${httpApiArn}/stages/$default`, name: 'payments-http/$default', ...base(US), tags: { service: 'payments' },
  ApiId: HTTP_API_ID, ApiName: 'payments-http', apiArn: httpApiArn, ProtocolType: 'HTTP', StageName: '$default', AutoDeploy: true,
  DeploymentId: 'dp3x9k',
  // Access logs go to a log group that never expires: logs.no-retention through the access-log destination.
  AccessLogSettings: { DestinationArn: logArn(US, 'payments-http-access'), Format: JSON_ACCESS_FORMAT.replace('$context.resourcePath', '$context.routeKey') },
  DefaultRouteSettings: { DetailedMetricsEnabled: false },
  RouteSettings: {},
  CreatedDate: '2025-09-15T12:00:05.000Z', LastUpdatedDate: '2026-05-20T16:50:00.000Z',
};

// ---------------------------------------------------------------- DynamoDB, Kinesis, SNS

const table = (region: string, name: string, pitr: boolean, patch: Partial<DynamoDbTable> = {}): DynamoDbTable => {
  const arn = `arn:aws:dynamodb:${region}:${ACCOUNT}:table/${name}`;
  return {
    kind: 'AwsDynamoDbTable', arn, name, ...base(region),
    TableName: name, TableArn: arn, TableStatus: 'ACTIVE', CreationDateTime: '2025-06-01T09:00:00.000Z',
    BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' }, ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
    DeletionProtectionEnabled: true, TableClassSummary: { TableClass: 'STANDARD' },
    ContinuousBackupsDescription: {
      ContinuousBackupsStatus: 'ENABLED',
      PointInTimeRecoveryDescription: pitr ? { PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: 35 } : { PointInTimeRecoveryStatus: 'DISABLED' },
    },
    ...patch,
  };
};

const tables: DynamoDbTable[] = [
  table(US, 'orders', true, { TableSizeBytes: 734_003_200, ItemCount: 1_204_331, StreamSpecification: { StreamEnabled: false } }),
  table(US, 'payments', true, {
    TableSizeBytes: 211_812_352, ItemCount: 402_118,
    SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: `arn:aws:kms:${US}:${ACCOUNT}:key/7e2b9c1d-4a5f-4e3b-9c8d-1a2b3c4d5e6f` },
  }),
  table(EU, 'orders-eu', false, {
    DeletionProtectionEnabled: false, TableSizeBytes: 98_566_144, ItemCount: 150_920,
    BillingModeSummary: { BillingMode: 'PROVISIONED' }, ProvisionedThroughput: { ReadCapacityUnits: 50, WriteCapacityUnits: 25 },
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' }, LatestStreamArn: ORDERS_EU_STREAM,
  }),
];

const stream = (name: string, encrypted: boolean, patch: Partial<KinesisStream> = {}): KinesisStream => ({
  kind: 'AwsKinesisStream', arn: `arn:aws:kinesis:${US}:${ACCOUNT}:stream/${name}`, name, ...base(US),
  StreamName: name, StreamARN: `arn:aws:kinesis:${US}:${ACCOUNT}:stream/${name}`, StreamStatus: 'ACTIVE',
  StreamModeDetails: { StreamMode: 'ON_DEMAND' }, StreamCreationTimestamp: '2025-06-10T08:00:00.000Z',
  RetentionPeriodHours: 168, EncryptionType: encrypted ? 'KMS' : 'NONE', ...(encrypted ? { KeyId: 'alias/aws/kinesis' } : {}),
  OpenShardCount: 4, ConsumerCount: 0, EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
  ...patch,
});

const streams: KinesisStream[] = [
  stream('orders-events', true),
  // Unencrypted, default 24 h retention, provisioned: kinesis.not-encrypted, kinesis.retention-below-minimum.
  stream('clickstream', false, { RetentionPeriodHours: 24, StreamModeDetails: { StreamMode: 'PROVISIONED' }, OpenShardCount: 2 }),
];

const topicAttrs = (name: string, extra: Record<string, string>): Record<string, string> => ({
  TopicArn: topicArn(US, name), Owner: ACCOUNT, DisplayName: '', SubscriptionsPending: '0', SubscriptionsDeleted: '0',
  FifoTopic: 'false', ...extra,
});

const topics: SnsTopic[] = [
  {
    kind: 'AwsSnsTopic', arn: topicArn(US, 'order-notifications'), name: 'order-notifications', ...base(US),
    TopicArn: topicArn(US, 'order-notifications'),
    Attributes: topicAttrs('order-notifications', { SubscriptionsConfirmed: '2', KmsMasterKeyId: 'alias/aws/sns', SQSFailureFeedbackRoleArn: roleArn('sns-delivery-status') }),
    Policy: {
      Version: '2008-10-17', Id: '__default_policy_ID',
      Statement: [{
        Sid: '__default_statement_ID', Effect: 'Allow', Principal: { AWS: '*' },
        Action: ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission', 'SNS:DeleteTopic', 'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'],
        Resource: topicArn(US, 'order-notifications'), Condition: { StringEquals: { 'AWS:SourceOwner': ACCOUNT } },
      }],
    },
  },
  {
    kind: 'AwsSnsTopic', arn: topicArn(US, 'ops-alerts'), name: 'ops-alerts', ...base(US),
    TopicArn: topicArn(US, 'ops-alerts'),
    // No KMS key: sns.not-kms-encrypted.
    Attributes: topicAttrs('ops-alerts', { SubscriptionsConfirmed: '1', DisplayName: 'Ops alerts' }),
    Policy: {
      Version: '2008-10-17', Id: '__default_policy_ID',
      Statement: [
        {
          Sid: '__default_statement_ID', Effect: 'Allow', Principal: { AWS: '*' }, Action: ['SNS:Publish', 'SNS:Subscribe'],
          Resource: topicArn(US, 'ops-alerts'), Condition: { StringEquals: { 'AWS:SourceOwner': ACCOUNT } },
        },
        {
          Sid: 'AllowCloudWatchAlarms', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'SNS:Publish',
          Resource: topicArn(US, 'ops-alerts'), Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:${US}:${ACCOUNT}:alarm:*` } },
        },
      ],
    },
  },
];

const subscription = (topic: string, id: string, patch: Partial<SnsSubscription>): SnsSubscription => ({
  kind: 'AwsSnsSubscription', arn: `${topicArn(US, topic)}:${id}`, name: `${topic}:${id}`, ...base(US),
  SubscriptionArn: `${topicArn(US, topic)}:${id}`, TopicArn: topicArn(US, topic), Owner: ACCOUNT,
  ...patch,
});

const subscriptions: SnsSubscription[] = [
  subscription('order-notifications', '3f9e1a2b-7c4d-4e5f-8a9b-0c1d2e3f4a5b', {
    Protocol: 'sqs', Endpoint: queueArn(US, 'order-emails'),
    Attributes: {
      Protocol: 'sqs', PendingConfirmation: 'false', ConfirmationWasAuthenticated: 'true', RawMessageDelivery: 'true',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn(US, 'order-emails-dlq') }),
      FilterPolicy: JSON.stringify({ eventType: ['OrderPlaced', 'OrderShipped'] }), FilterPolicyScope: 'MessageAttributes',
    },
  }),
  subscription('order-notifications', '8b7a6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d', {
    Protocol: 'lambda', Endpoint: fnArn(US, 'orders-stream-processor'),
    // No redrive policy and no filter on a topic with two subscriptions.
    Attributes: { Protocol: 'lambda', PendingConfirmation: 'false', ConfirmationWasAuthenticated: 'true' },
  }),
  subscription('ops-alerts', 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f', {
    Protocol: 'https', Endpoint: 'https://events.pagerduty.com/integration/*/enqueue',
    Attributes: { Protocol: 'https', PendingConfirmation: 'false', ConfirmationWasAuthenticated: 'false' },
  }),
];

// ---------------------------------------------------------------- CloudWatch Logs

const logGroup = (region: string, name: string, retentionInDays: number | undefined, storedBytes: number, patch: Partial<LogsLogGroup> = {}): LogsLogGroup => ({
  kind: 'AwsLogsLogGroup', arn: logArn(region, name), name, ...base(region),
  logGroupName: name, creationTime: 1_748_768_400_000, ...(retentionInDays !== undefined ? { retentionInDays } : {}),
  storedBytes, metricFilterCount: 0, logGroupClass: 'STANDARD', ...patch,
});

const logGroups: LogsLogGroup[] = [
  logGroup(US, '/aws/lambda/orders-api-create', 30, 1_203_442_112, { metricFilterCount: 1 }),
  logGroup(US, '/aws/lambda/orders-api-get', 30, 845_221_009),
  logGroup(US, '/aws/lambda/orders-stream-processor', undefined, 5_912_733_201),
  logGroup(US, '/aws/lambda/payments-authorize', 90, 402_118_556, { kmsKeyId: `arn:aws:kms:${US}:${ACCOUNT}:key/7e2b9c1d-4a5f-4e3b-9c8d-1a2b3c4d5e6f` }),
  logGroup(US, '/aws/lambda/payments-webhook', 14, 12_993_441),
  logGroup(US, '/aws/lambda/payments-refund', undefined, 77_104_332),
  logGroup(US, '/aws/lambda/nightly-sales-report', 60, 3_441_002),
  logGroup(US, '/aws/lambda/cleanup-expired-sessions', undefined, 18_220_117),
  logGroup(US, '/aws/lambda/thumbnail-generator', 14, 66_501_338),
  // A function that was deleted long ago; its logs stay: logs.orphaned-lambda-log-group.
  logGroup(US, '/aws/lambda/orders-legacy-import', undefined, 2_118_009_347),
  logGroup(US, `API-Gateway-Execution-Logs_${REST_API_ID}/prod`, 30, 310_448_001),
  logGroup(US, `API-Gateway-Execution-Logs_${REST_API_ID}/dev`, undefined, 998_201_554),
  logGroup(US, 'orders-api-access-logs', 90, 611_337_920),
  logGroup(US, 'payments-http-access', undefined, 144_908_215),
  // Not serverless: logs.no-retention gives it no result.
  logGroup(US, '/aws/rds/cluster/payments-db/postgresql', undefined, 9_441_220_118),
  logGroup(EU, '/aws/lambda/invoice-archiver', 30, 7_330_219),
  logGroup(EU, '/aws/lambda/orders-replicator', undefined, 402_991_877),
  logGroup(EU, '/aws/lambda/gdpr-export', 30, 0),
  logGroup(EU, '/custom/gdpr-export', undefined, 33_190_004, { kmsKeyId: `arn:aws:kms:${EU}:${ACCOUNT}:key/0f9e8d7c-6b5a-4c3d-2e1f-0a9b8c7d6e5f` }),
  logGroup(EU, '/aws/vendedlogs/states/invoice-workflow-Logs', 7, 1_220_117),
];

// ---------------------------------------------------------------- CloudWatch alarms

const ALARM_TOPIC = topicArn(US, 'ops-alerts');
const dims = (d: Record<string, string>) => Object.entries(d).map(([Name, Value]) => ({ Name, Value }));
const metricAlarm = (region: string, name: string, patch: Partial<CloudWatchAlarm>): CloudWatchAlarm => {
  const arn = `arn:aws:cloudwatch:${region}:${ACCOUNT}:alarm:${name}`;
  return {
    kind: 'AwsCloudWatchAlarm', arn, name, ...base(region),
    AlarmName: name, AlarmArn: arn, AlarmType: 'MetricAlarm', ActionsEnabled: true,
    AlarmActions: region === US ? [ALARM_TOPIC] : [], OKActions: [], InsufficientDataActions: [], StateValue: 'OK',
    Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    ...patch,
  };
};

const alarms: CloudWatchAlarm[] = [
  metricAlarm(US, 'orders-api-create-errors', { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: dims({ FunctionName: 'orders-api-create' }) }),
  metricAlarm(US, 'orders-api-create-throttles', { Namespace: 'AWS/Lambda', MetricName: 'Throttles', Dimensions: dims({ FunctionName: 'orders-api-create' }), Period: 300 }),
  metricAlarm(US, 'orders-api-get-error-rate', {
    Statistic: undefined, Period: undefined, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 3,
    Metrics: [
      { Id: 'errors', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: dims({ FunctionName: 'orders-api-get' }) }, Period: 60, Stat: 'Sum' }, ReturnData: false },
      { Id: 'invocations', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: dims({ FunctionName: 'orders-api-get' }) }, Period: 60, Stat: 'Sum' }, ReturnData: false },
      { Id: 'rate', Expression: '100 * errors / MAX([errors, invocations])', ReturnData: true },
    ],
  }),
  metricAlarm(US, 'payments-authorize-live-errors', { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: dims({ FunctionName: 'payments-authorize', Resource: 'payments-authorize:live' }) }),
  metricAlarm(US, 'orders-stream-processor-iterator-age', {
    Namespace: 'AWS/Lambda', MetricName: 'IteratorAge', Dimensions: dims({ FunctionName: 'orders-stream-processor' }),
    Statistic: 'Maximum', Threshold: 300_000, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 5,
  }),
  metricAlarm(US, 'orders-api-prod-5xx', { Namespace: 'AWS/ApiGateway', MetricName: '5XXError', Dimensions: dims({ ApiName: 'orders-api', Stage: 'prod' }), Period: 300, Threshold: 5 }),
  metricAlarm(US, 'lambda-account-concurrency', {
    Namespace: 'AWS/Lambda', MetricName: 'ConcurrentExecutions', Dimensions: [], Statistic: 'Maximum', Threshold: 800, ComparisonOperator: 'GreaterThanThreshold',
  }),
  // An old catch-all alarm, muted: it does not count per function, and its actions are off (alarm.actions-disabled).
  metricAlarm(US, 'lambda-errors-all-functions', { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [], Threshold: 10, ActionsEnabled: false, StateValue: 'ALARM' }),
  {
    kind: 'AwsCloudWatchAlarm', arn: `arn:aws:cloudwatch:${US}:${ACCOUNT}:alarm:checkout-degraded`, name: 'checkout-degraded', ...base(US),
    AlarmName: 'checkout-degraded', AlarmArn: `arn:aws:cloudwatch:${US}:${ACCOUNT}:alarm:checkout-degraded`, AlarmType: 'CompositeAlarm',
    ActionsEnabled: true, AlarmActions: [ALARM_TOPIC], OKActions: [], InsufficientDataActions: [], StateValue: 'OK',
    AlarmRule: 'ALARM("orders-api-create-errors") OR ALARM("orders-api-prod-5xx")',
  },
  // eu-west-1: an alarm nobody is told about (no actions).
  metricAlarm(EU, 'invoice-archiver-errors', { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: dims({ FunctionName: 'invoice-archiver' }), Period: 300 }),
];

// ---------------------------------------------------------------- IAM (global)

const LAMBDA_TRUST: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};
const BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
const VPC_ACCESS = 'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole';
const XRAY = 'arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess';

const role = (name: string, inline: Record<string, PolicyDocument>, managed: string[], patch: Partial<IamRole> = {}): IamRole => ({
  kind: 'AwsIamRole', arn: roleArn(name), name, ...base('global'),
  RoleName: name, RoleId: `AROA${name.toUpperCase().replace(/[^A-Z]/g, '').padEnd(17, 'X').slice(0, 17)}`, Path: '/', Arn: roleArn(name),
  CreateDate: '2025-06-01T09:00:00.000Z',
  AssumeRolePolicyDocument: LAMBDA_TRUST,
  RolePolicyList: Object.entries(inline).map(([PolicyName, PolicyDocument]) => ({ PolicyName, PolicyDocument })),
  AttachedManagedPolicies: managed.map((PolicyArn) => ({ PolicyName: PolicyArn.split('/').at(-1), PolicyArn })),
  // AWS managed policies are recorded by ARN only (no document), as the IAM collector does.
  AttachedPolicyDocuments: managed.map((PolicyArn) => ({ PolicyArn })),
  RoleLastUsed: { LastUsedDate: '2026-05-29T23:58:01.000Z', Region: US },
  ...patch,
});
const allow = (Action: string | string[], Resource: string | string[]): PolicyDocument => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action, Resource }] });
const tableArn = (region: string, name: string) => `arn:aws:dynamodb:${region}:${ACCOUNT}:table/${name}`;

const roles: IamRole[] = [
  role('orders-api-role', { 'orders-table': allow(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'], [tableArn(US, 'orders'), `${tableArn(US, 'orders')}/index/*`]) }, [BASIC, XRAY]),
  role('orders-stream-processor-role', {
    'read-stream': allow(['kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:ListShards', 'kinesis:ListStreams'], ORDERS_EVENTS),
    'write-read-model': allow(['dynamodb:UpdateItem'], tableArn(US, 'orders')),
    'failures-queue': allow('sqs:SendMessage', queueArn(US, 'orders-stream-processor-failures')),
  }, [BASIC]),
  role('payments-authorize-role', { 'payments-table': allow(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], tableArn(US, 'payments')) }, [VPC_ACCESS, XRAY]),
  role('payments-webhook-role', {
    'payments-table': allow('dynamodb:UpdateItem', tableArn(US, 'payments')),
    'signing-secret': allow('secretsmanager:GetSecretValue', `arn:aws:secretsmanager:${US}:${ACCOUNT}:secret:payments/webhook-signing-*`),
  }, [BASIC, XRAY]),
  // Written by hand years ago: a service wildcard (iam.exec-role-wildcard).
  role('payments-refund-role', { 'payments-full': allow('dynamodb:*', tableArn(US, 'payments')) }, [BASIC], { CreateDate: '2021-03-15T10:00:00.000Z' }),
  role('reporting-role', {
    'read-orders': allow(['dynamodb:Scan', 'dynamodb:Query'], tableArn(US, 'orders')),
    'write-reports': allow('s3:PutObject', 'arn:aws:s3:::acme-sales-reports-111122223333/*'),
    'dlq': allow('sqs:SendMessage', queueArn(US, 'nightly-sales-report-dlq')),
  }, [BASIC, XRAY]),
  role('scheduled-jobs-role', {
    'sessions': allow(['dynamodb:Scan', 'dynamodb:BatchWriteItem'], tableArn(US, 'sessions')),
    'archive': allow(['s3:PutObject', 's3:GetObject'], 'arn:aws:s3:::acme-invoice-archive-eu/*'),
    'failures': allow('sqs:SendMessage', queueArn(EU, 'invoice-archiver-failures')),
  }, [BASIC]),
  role('thumbnail-role', { 'images': allow(['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::acme-media-uploads-111122223333/*') }, [BASIC, XRAY]),
  // No CloudWatch Logs permissions at all (iam.exec-role-cannot-log).
  role('orders-replicator-role', {
    'read-stream': allow(['dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:DescribeStream', 'dynamodb:ListStreams'], `${tableArn(EU, 'orders-eu')}/stream/*`),
    'write-analytics': allow('kinesis:PutRecords', `arn:aws:kinesis:${EU}:${ACCOUNT}:stream/orders-analytics`),
  }, []),
  role('gdpr-export-role', {
    'export': allow('s3:PutObject', 'arn:aws:s3:::acme-gdpr-exports-eu/*'),
    'logs': allow(['logs:CreateLogStream', 'logs:PutLogEvents'], `${logArn(EU, '/custom/gdpr-export')}:*`),
  }, [XRAY]),
  role('sns-delivery-status', {
    'logs': allow(['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:PutMetricFilter', 'logs:PutRetentionPolicy'], '*'),
  }, [], { AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sts:AssumeRole' }] } }),
];

const account: Account = {
  kind: 'AwsAccount', arn: `arn:aws:iam::${ACCOUNT}:root`, name: ACCOUNT, ...base('global'),
  IamAccountSummary: { Roles: 14, RolesQuota: 1000, Policies: 6, PoliciesQuota: 1500, Users: 3, UsersQuota: 5000 },
  ServiceQuotas: { 'iam/L-FE177D64': { value: 1000, source: 'default', quotaName: 'Roles per account' } },
};

// ---------------------------------------------------------------- account-region pseudo resources

const accountRegion = (region: string, patch: Partial<AccountRegion>): AccountRegion => ({
  kind: 'AwsAccountRegion', arn: `arn:aws:lambda:${region}:${ACCOUNT}:account`, name: `${ACCOUNT}/${region}`, ...base(region),
  ...patch,
});

const accountRegions: AccountRegion[] = [
  accountRegion(US, {
    LambdaAccountSettings: {
      AccountLimit: { TotalCodeSize: 80_530_636_800, CodeSizeUnzipped: 262_144_000, CodeSizeZipped: 52_428_800, ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 829 },
      AccountUsage: { TotalCodeSize: 1_874_331_902, FunctionCount: 9 },
    },
    ApiGatewayAccount: { cloudwatchRoleArn: roleArn('apigateway-cloudwatch-logs'), throttleSettings: { burstLimit: 5000, rateLimit: 10000 } },
    DynamoDbLimits: { AccountMaxReadCapacityUnits: 80000, AccountMaxWriteCapacityUnits: 80000, TableMaxReadCapacityUnits: 40000, TableMaxWriteCapacityUnits: 40000 },
    KinesisLimits: { ShardLimit: 500, OpenShardCount: 6, OnDemandStreamCount: 1, OnDemandStreamCountLimit: 50 },
    ServiceQuotas: {
      'lambda/L-B99A9384': { value: 1000, source: 'applied', quotaName: 'Concurrent executions' },
      'lambda/L-2ACBD22F': { value: 80_530_636_800, source: 'default', quotaName: 'Function and layer storage' },
      'apigateway/L-8A5B8E43': { value: 10000, source: 'default', quotaName: 'Throttle rate' },
    },
    Counts: { restApis: 1, httpApis: 1, snsTopics: 2, logGroups: 15 },
    DynamoDbScalableTargets: [],
    BackupProtectedResourceArns: [tableArn(US, 'orders'), tableArn(US, 'payments')],
    ApiGatewayUsagePlans: [{
      id: 'up7k3m', name: 'partners', throttle: { burstLimit: 20, rateLimit: 10 },
      apiStages: [{ apiId: REST_API_ID, stage: 'prod' }],
    }],
    ApiGatewayDomainNames: [{ domainName: 'api.example-shop.com', securityPolicy: 'TLS_1_2', api: 'rest' }],
    SubnetAvailabilityZones: { 'subnet-0aa11bb22cc33dd44': 'use1-az1', 'subnet-0ee55ff66aa77bb88': 'use1-az2' },
  }),
  accountRegion(EU, {
    LambdaAccountSettings: {
      AccountLimit: { TotalCodeSize: 80_530_636_800, CodeSizeUnzipped: 262_144_000, CodeSizeZipped: 52_428_800, ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 995 },
      AccountUsage: { TotalCodeSize: 96_551_207, FunctionCount: 3 },
    },
    ApiGatewayAccount: { throttleSettings: { burstLimit: 5000, rateLimit: 10000 } },
    DynamoDbLimits: { AccountMaxReadCapacityUnits: 80000, AccountMaxWriteCapacityUnits: 80000, TableMaxReadCapacityUnits: 40000, TableMaxWriteCapacityUnits: 40000 },
    ServiceQuotas: { 'lambda/L-B99A9384': { value: 1000, source: 'default', quotaName: 'Concurrent executions' } },
    Counts: { restApis: 0, httpApis: 0, snsTopics: 0, logGroups: 5 },
    DynamoDbScalableTargets: [],
    BackupProtectedResourceArns: [],
    ApiGatewayUsagePlans: [],
    ApiGatewayDomainNames: [],
    SubnetAvailabilityZones: {},
    // DescribeLimits is denied together with ListStreams (same SCP): a field gap on the pseudo resource.
    gaps: {
      KinesisLimits: { operation: 'kinesis:DescribeLimits', code: 'AccessDeniedException', message: ACCESS_DENIED('kinesis:DescribeLimits', `arn:aws:kinesis:${EU}:${ACCOUNT}:*`) },
    },
  }),
];

// ---------------------------------------------------------------- assemble

function byKind(resources: AnyResource[]): RegionInventory['resources'] {
  const out: Record<string, AnyResource[]> = {};
  for (const r of resources) (out[r.kind] ??= []).push(r);
  return out as RegionInventory['resources'];
}

const all: AnyResource[] = [
  ...functions.map(toFunction), ...mappings, ...restStages, restApi, httpApi, httpStage, ...tables, ...streams, ...topics, ...subscriptions,
  ...logGroups, ...alarms, ...roles, account, ...accountRegions,
];

const kinesisGap: ListGap = {
  kind: 'AwsKinesisStream', scopeArn: `arn:aws:lambda:${EU}:${ACCOUNT}:account`, scopeName: `${ACCOUNT}/${EU}`,
  operation: 'kinesis:ListStreams', code: 'AccessDeniedException', message: ACCESS_DENIED('kinesis:ListStreams', `arn:aws:kinesis:${EU}:${ACCOUNT}:stream/*`),
};

const regions: RegionInventory[] = [US, EU, 'global'].map((region) => ({
  region,
  resources: byKind(all.filter((r) => r.region === region)),
  listGaps: region === EU ? [kinesisGap] : [],
}));

// One entry per list gap, and one per (region, operation, code) of field gaps, as collectAccount writes them.
const errors: CollectionError[] = [
  { accountId: ACCOUNT, region: EU, service: 'kinesis', operation: kinesisGap.operation, code: kinesisGap.code, message: kinesisGap.message },
  {
    accountId: ACCOUNT, region: US, service: 'lambda', operation: 'lambda:GetPolicy', code: 'AccessDeniedException',
    message: ACCESS_DENIED('lambda:GetPolicy', fnArn(US, 'thumbnail-generator')),
  },
  {
    accountId: ACCOUNT, region: EU, service: 'kinesis', operation: 'kinesis:DescribeLimits', code: 'AccessDeniedException',
    message: ACCESS_DENIED('kinesis:DescribeLimits', `arn:aws:kinesis:${EU}:${ACCOUNT}:*`),
  },
];

const inventory: Inventory = {
  schemaVersion: 1,
  tool: { name: 'lens-audit', version: '0.1.0' },
  collectedAt: COLLECTED_AT,
  accounts: [{ accountId: ACCOUNT, partition: 'aws', regions }],
  errors,
  apiCalls: {
    'lambda:ListFunctions': 2, 'lambda:ListEventSourceMappings': 2, 'lambda:GetAccountSettings': 2, 'lambda:GetPolicy': 12,
    'lambda:ListFunctionUrlConfigs': 12, 'lambda:ListFunctionEventInvokeConfigs': 12, 'lambda:GetFunctionConcurrency': 12,
    'apigateway:GetRestApis': 2, 'apigateway:GetStages': 1, 'apigateway:GetResources': 1, 'apigateway:GetRequestValidators': 1,
    'apigateway:GetApis': 2, 'apigateway:GetRoutes': 1, 'apigateway:GetIntegrations': 1, 'apigateway:GetAccount': 2,
    'apigateway:GetUsagePlans': 2, 'apigateway:GetDomainNames': 2,
    'dynamodb:ListTables': 2, 'dynamodb:DescribeTable': 3, 'dynamodb:DescribeContinuousBackups': 3, 'dynamodb:DescribeLimits': 2,
    'kinesis:ListStreams': 2, 'kinesis:DescribeStreamSummary': 2, 'kinesis:DescribeLimits': 2,
    'sns:ListTopics': 2, 'sns:GetTopicAttributes': 2, 'sns:ListSubscriptions': 2, 'sns:GetSubscriptionAttributes': 3,
    'logs:DescribeLogGroups': 2, 'cloudwatch:DescribeAlarms': 2, 'iam:GetAccountAuthorizationDetails': 1, 'iam:GetAccountSummary': 1,
    'application-autoscaling:DescribeScalableTargets': 2, 'backup:ListProtectedResources': 2, 'ec2:DescribeSubnets': 1,
  },
};

const out = join(import.meta.dirname, 'sample-inventory.json');
writeFileSync(out, `${JSON.stringify(inventory, null, 2)}\n`);
console.log(`wrote ${out}: ${all.length} resources`);
