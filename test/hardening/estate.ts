// A mocked AWS estate for the hardening tests: every SDK client class lens-audit depends on is replaced by one
// dispatcher (aws-sdk-client-mock), which records each call and answers with small responses shaped as the AWS APIs
// return them. Secrets are planted where AWS would return them; tests look for them in every output.
//
// Faults: `estate.fault` may throw an error for a call (service error), answer `'real'` to send the call through the
// client's real middleware stack (serializer, retries, signer, deserializer) to the factory's injected requestHandler,
// or return undefined to get the normal answer.
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest';
import { AccountClient } from '@aws-sdk/client-account';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { BackupClient } from '@aws-sdk/client-backup';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ComputeOptimizerClient } from '@aws-sdk/client-compute-optimizer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import { serviceKey } from '../../src/aws/clients.js';

export const ACCOUNT = '111122223333';
export const REGIONS = ['eu-west-1', 'us-east-1'] as const;

/** Every SDK client class in package.json: a collector added later is mocked too, never sent to the network. */
export const CLIENT_CLASSES = [
  AccountClient, APIGatewayClient, ApiGatewayV2Client, ApplicationAutoScalingClient, BackupClient, CloudWatchClient,
  CloudWatchLogsClient, CodeDeployClient, ComputeOptimizerClient, DynamoDBClient, EC2Client, IAMClient, KinesisClient,
  LambdaClient, OrganizationsClient, ResourceGroupsTaggingAPIClient, SecretsManagerClient, SecurityHubClient,
  ServiceQuotasClient, SNSClient, SSMClient, STSClient,
] as const;

/** Recognisable secrets, each planted where AWS (or the user) would hand it to lens-audit. */
export const SECRETS = {
  envAccessKeyId: 'AKIAPLANTEDSECRET001',
  envPassword: 'pl4nted-Passw0rd-xyzzy',
  envPrivateKeyBody: 'MIIEplantedPRIVATEkeyMATERIALq83jd',
  snsToken: 'plantedSnsToken8f3k2',
  integrationPassword: 'plantedUriPass99',
  v2IntegrationPassword: 'plantedV2UriPass77',
  stageVariable: 'plantedStageVar5512',
  lambdaDescription: 'plantedDescToken42',
  integrationHeader: 'plantedHeaderKey4471',
  presignedSignature: 'f00dplantedsig0123456789abcdef',
  presignedToken: 'plantedSecurityTokenQQQ',
  slackSecret: 'plantedSlackSecret123abc',
  factoryAccessKeyId: 'AKIAPLANTEDFACTORY01',
  factorySecretKey: 'plantedFactorySecretKey/9d8c7b6a5f4e3d2c1b0a',
  factorySessionToken: 'plantedFactorySessionTokenZZ9',
} as const;

export const PRIVATE_KEY = `-----BEGIN RSA PRIVATE KEY-----\n${SECRETS.envPrivateKeyBody}\n-----END RSA PRIVATE KEY-----`;
export const SLACK_WEBHOOK_PATH = `/services/T0PLANTED/B0PLANTED/${SECRETS.slackSecret}`;
/** Static credentials of the audit client factory. */
export const FACTORY_CREDENTIALS = {
  accessKeyId: SECRETS.factoryAccessKeyId,
  secretAccessKey: SECRETS.factorySecretKey,
  sessionToken: SECRETS.factorySessionToken,
};

/** An AWS service error as the SDK throws it (name = error code, $fault, $metadata). */
export function awsError(code: string, message: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name: code, $fault: httpStatusCode >= 500 ? 'server' : 'client', $metadata: { httpStatusCode, requestId: 'b2c3d4e5-0000-4000-8000-000000000000', attempts: 1, totalRetryDelay: 0 } });
}

export interface Call {
  /** `serviceKey` of the client, e.g. `lambda`, `apigatewayv2`. */
  service: string;
  /** From the command's class name (independent of the code under test). */
  operation: string;
  region: string;
  input: Record<string, unknown>;
  /** The client's `send` was wrapped by the factory (counting and read-only guard). */
  instrumented: boolean;
}

type Answer = (input: Record<string, any>, region: string) => unknown;
export type Fault = (call: Call) => Error | 'real' | undefined;

const fnArn = (r: string, name: string) => `arn:aws:lambda:${r}:${ACCOUNT}:function:${name}`;
const topicArn = (r: string) => `arn:aws:sns:${r}:${ACCOUNT}:orders-events`;
const streamArn = (r: string) => `arn:aws:kinesis:${r}:${ACCOUNT}:stream/orders-stream`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/service-role/orders-role`;
const enc = (doc: unknown) => encodeURIComponent(JSON.stringify(doc));
const WHEN = new Date('2025-03-14T09:26:53.000Z');

/** Normal answers by `service:Operation`. Anything not listed answers `{}`. */
export const ANSWERS: Record<string, Answer> = {
  'sts:GetCallerIdentity': () => ({ UserId: 'AIDAEXAMPLEUSERID0001', Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/auditor` }),
  'account:ListRegions': () => ({
    Regions: REGIONS.map((RegionName) => ({ RegionName, RegionOptStatus: 'ENABLED_BY_DEFAULT' })),
  }),
  'ec2:DescribeRegions': () => ({
    Regions: REGIONS.map((RegionName) => ({ RegionName, Endpoint: `ec2.${RegionName}.amazonaws.com`, OptInStatus: 'opt-in-not-required' })),
  }),

  'lambda:ListFunctions': (_i, r) => ({
    Functions: [
      {
        FunctionName: 'orders-api',
        FunctionArn: fnArn(r, 'orders-api'),
        Runtime: 'nodejs22.x',
        Role: ROLE_ARN,
        Handler: 'index.handler',
        CodeSize: 5123,
        Description: `Orders API (legacy token=${SECRETS.lambdaDescription})`,
        Timeout: 10,
        MemorySize: 1024,
        LastModified: '2025-03-14T09:26:53.000+0000',
        CodeSha256: 'n2pMwo5vY6LFzqV1bvwGRwN9mN2rTtJvFa7Q0d3ZdWg=',
        Version: '$LATEST',
        Environment: {
          Variables: {
            LOG_LEVEL: 'INFO',
            TABLE_NAME: 'orders',
            UPSTREAM_KEY_ID: SECRETS.envAccessKeyId,
            DB_PASSWORD: SECRETS.envPassword,
            SIGNING_KEY: PRIVATE_KEY,
          },
        },
        TracingConfig: { Mode: 'PassThrough' },
        RevisionId: '4d3a8e2f-1c6b-4b8e-9a57-3f2c1d0e9b8a',
        State: 'Active',
        LastUpdateStatus: 'Successful',
        PackageType: 'Zip',
        Architectures: ['arm64'],
        EphemeralStorage: { Size: 512 },
        LoggingConfig: { LogFormat: 'Text', LogGroup: '/aws/lambda/orders-api' },
      },
    ],
  }),
  'lambda:ListEventSourceMappings': (_i, r) => ({
    EventSourceMappings: [
      {
        UUID: '6b0e71bd-4f4e-4a8c-9d57-3f2c1d0e9b8a',
        StartingPosition: 'LATEST',
        BatchSize: 100,
        MaximumBatchingWindowInSeconds: 0,
        ParallelizationFactor: 1,
        EventSourceArn: streamArn(r),
        FunctionArn: fnArn(r, 'orders-api'),
        LastModified: WHEN,
        LastProcessingResult: 'OK',
        State: 'Enabled',
        StateTransitionReason: 'User action',
        DestinationConfig: { OnFailure: {} },
        MaximumRecordAgeInSeconds: -1,
        BisectBatchOnFunctionError: false,
        MaximumRetryAttempts: -1,
        TumblingWindowInSeconds: 0,
        FunctionResponseTypes: [],
        EventSourceMappingArn: `arn:aws:lambda:${r}:${ACCOUNT}:event-source-mapping:6b0e71bd-4f4e-4a8c-9d57-3f2c1d0e9b8a`,
      },
    ],
  }),
  'lambda:GetPolicy': (i, r) => ({
    Policy: JSON.stringify({
      Version: '2012-10-17',
      Id: 'default',
      Statement: [{
        Sid: 'apigw-invoke',
        Effect: 'Allow',
        Principal: { Service: 'apigateway.amazonaws.com' },
        Action: 'lambda:InvokeFunction',
        Resource: fnArn(r, String(i.FunctionName)),
        Condition: { ArnLike: { 'AWS:SourceArn': `arn:aws:execute-api:${r}:${ACCOUNT}:a1b2c3d4e5/*/GET/orders` } },
      }],
    }),
    RevisionId: '4d3a8e2f-1c6b-4b8e-9a57-3f2c1d0e9b8a',
  }),
  // ListAliases as AWS answers a function without aliases (a grant on an alias would need GetPolicy with Qualifier).
  'lambda:ListAliases': () => ({ Aliases: [] }),
  'lambda:ListFunctionUrlConfigs': () => ({ FunctionUrlConfigs: [] }),
  'lambda:ListFunctionEventInvokeConfigs': () => ({ FunctionEventInvokeConfigs: [] }),
  'lambda:GetFunctionConcurrency': () => ({ ReservedConcurrentExecutions: 10 }),
  'lambda:GetAccountSettings': () => ({
    AccountLimit: { TotalCodeSize: 80530636800, CodeSizeUnzipped: 262144000, CodeSizeZipped: 52428800, ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 990 },
    AccountUsage: { TotalCodeSize: 5123, FunctionCount: 1 },
  }),

  'logs:DescribeLogGroups': (_i, r) => ({
    logGroups: [{
      logGroupName: '/aws/lambda/orders-api',
      creationTime: 1700000000000,
      retentionInDays: 14,
      metricFilterCount: 0,
      arn: `arn:aws:logs:${r}:${ACCOUNT}:log-group:/aws/lambda/orders-api:*`,
      storedBytes: 123456,
      logGroupClass: 'STANDARD',
      logGroupArn: `arn:aws:logs:${r}:${ACCOUNT}:log-group:/aws/lambda/orders-api`,
    }],
  }),

  'cloudwatch:DescribeAlarms': (_i, r) => ({
    MetricAlarms: [{
      AlarmName: 'orders-api-errors',
      AlarmArn: `arn:aws:cloudwatch:${r}:${ACCOUNT}:alarm:orders-api-errors`,
      ActionsEnabled: true,
      OKActions: [],
      AlarmActions: [topicArn(r)],
      InsufficientDataActions: [],
      StateValue: 'OK',
      StateReason: 'Threshold Crossed',
      StateUpdatedTimestamp: WHEN,
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Statistic: 'Sum',
      Dimensions: [{ Name: 'FunctionName', Value: 'orders-api' }],
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    }],
    CompositeAlarms: [],
  }),
  'cloudwatch:GetMetricData': (i) => ({
    MetricDataResults: (i.MetricDataQueries as { Id: string; ReturnData?: boolean }[])
      .filter((q) => q.ReturnData !== false)
      .map((q) => ({ Id: q.Id, Label: q.Id, Timestamps: [WHEN], Values: [3], StatusCode: 'Complete' })),
    Messages: [],
  }),

  'apigateway:GetRestApis': () => ({
    items: [{
      id: 'a1b2c3d4e5',
      name: 'orders-rest',
      createdDate: WHEN,
      apiKeySource: 'HEADER',
      endpointConfiguration: { types: ['REGIONAL'] },
      disableExecuteApiEndpoint: false,
      tags: {},
    }],
  }),
  'apigateway:GetStages': () => ({
    item: [{
      deploymentId: 'd3pl0y',
      stageName: 'prod',
      cacheClusterEnabled: false,
      cacheClusterStatus: 'NOT_AVAILABLE',
      methodSettings: {},
      variables: { dbPassword: SECRETS.stageVariable },
      tracingEnabled: false,
      createdDate: WHEN,
      lastUpdatedDate: WHEN,
    }],
  }),
  'apigateway:GetResources': () => ({
    items: [{
      id: 'r00t1d',
      path: '/orders',
      resourceMethods: {
        GET: {
          httpMethod: 'GET',
          authorizationType: 'NONE',
          apiKeyRequired: false,
          methodIntegration: {
            type: 'HTTP_PROXY',
            httpMethod: 'GET',
            uri: `https://svc-user:${SECRETS.integrationPassword}@backend.example.com/orders?api_key=${SECRETS.integrationPassword}`,
            connectionType: 'INTERNET',
            requestParameters: { 'integration.request.header.x-api-key': `'${SECRETS.integrationHeader}'` },
            passthroughBehavior: 'WHEN_NO_MATCH',
            timeoutInMillis: 29000,
            cacheNamespace: 'r00t1d',
            cacheKeyParameters: [],
          },
        },
      },
    }],
  }),
  'apigateway:GetRequestValidators': () => ({ items: [] }),
  'apigateway:GetUsagePlans': () => ({ items: [] }),
  'apigateway:GetDomainNames': () => ({ items: [] }),
  'apigateway:GetAccount': () => ({
    cloudwatchRoleArn: `arn:aws:iam::${ACCOUNT}:role/apigateway-cloudwatch`,
    throttleSettings: { burstLimit: 5000, rateLimit: 10000 },
    features: ['UsagePlans'],
    apiKeyVersion: '4',
  }),

  'apigatewayv2:GetApis': (_i, r) => ({
    Items: [{
      ApiId: 'h1t2p3a4p5',
      Name: 'orders-http',
      ProtocolType: 'HTTP',
      ApiEndpoint: `https://h1t2p3a4p5.execute-api.${r}.amazonaws.com`,
      RouteSelectionExpression: '$request.method $request.path',
      ApiKeySelectionExpression: '$request.header.x-api-key',
      CreatedDate: WHEN,
      DisableExecuteApiEndpoint: false,
      Tags: {},
    }],
  }),
  'apigatewayv2:GetStages': () => ({
    Items: [{
      StageName: '$default',
      AutoDeploy: true,
      DeploymentId: 'v2d3pl0y',
      DefaultRouteSettings: { DetailedMetricsEnabled: false },
      RouteSettings: {},
      StageVariables: { token: SECRETS.stageVariable },
      CreatedDate: WHEN,
      LastUpdatedDate: WHEN,
      Tags: {},
    }],
  }),
  'apigatewayv2:GetRoutes': () => ({
    Items: [{ RouteId: 'r0ut3', RouteKey: 'GET /orders', AuthorizationType: 'NONE', ApiKeyRequired: false, Target: 'integrations/1nt3g' }],
  }),
  'apigatewayv2:GetIntegrations': () => ({
    Items: [{
      IntegrationId: '1nt3g',
      IntegrationType: 'HTTP_PROXY',
      IntegrationMethod: 'GET',
      IntegrationUri: `https://partner:${SECRETS.v2IntegrationPassword}@partner.example.com/hook/${SECRETS.v2IntegrationPassword}Zx9`,
      PayloadFormatVersion: '1.0',
      ConnectionType: 'INTERNET',
      TimeoutInMillis: 30000,
      RequestParameters: { 'overwrite:header.Authorization': `Bearer ${SECRETS.integrationHeader}` },
    }],
  }),
  'apigatewayv2:GetDomainNames': () => ({ Items: [] }),

  'dynamodb:ListTables': () => ({ TableNames: ['orders'] }),
  'dynamodb:DescribeTable': (_i, r) => ({
    Table: {
      TableName: 'orders',
      TableArn: `arn:aws:dynamodb:${r}:${ACCOUNT}:table/orders`,
      TableId: '0f3e4b1c-9d2a-4e5f-8a7b-6c5d4e3f2a1b',
      TableStatus: 'ACTIVE',
      CreationDateTime: WHEN,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST', LastUpdateToPayPerRequestDateTime: WHEN },
      TableSizeBytes: 2048,
      ItemCount: 12,
      DeletionProtectionEnabled: false,
    },
  }),
  'dynamodb:DescribeContinuousBackups': () => ({
    ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } },
  }),
  'dynamodb:DescribeLimits': () => ({
    AccountMaxReadCapacityUnits: 80000, AccountMaxWriteCapacityUnits: 80000, TableMaxReadCapacityUnits: 40000, TableMaxWriteCapacityUnits: 40000,
  }),
  'application-autoscaling:DescribeScalableTargets': () => ({ ScalableTargets: [] }),
  'backup:ListProtectedResources': () => ({ Results: [] }),

  'kinesis:ListStreams': (_i, r) => ({
    StreamNames: ['orders-stream'],
    HasMoreStreams: false,
    StreamSummaries: [{ StreamName: 'orders-stream', StreamARN: streamArn(r), StreamStatus: 'ACTIVE', StreamModeDetails: { StreamMode: 'ON_DEMAND' }, StreamCreationTimestamp: WHEN }],
  }),
  'kinesis:DescribeStreamSummary': (_i, r) => ({
    StreamDescriptionSummary: {
      StreamName: 'orders-stream', StreamARN: streamArn(r), StreamStatus: 'ACTIVE', StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      RetentionPeriodHours: 24, StreamCreationTimestamp: WHEN, EnhancedMonitoring: [{ ShardLevelMetrics: [] }], EncryptionType: 'NONE',
      OpenShardCount: 4, ConsumerCount: 0,
    },
  }),
  'kinesis:DescribeLimits': () => ({ ShardLimit: 500, OpenShardCount: 4, OnDemandStreamCount: 1, OnDemandStreamCountLimit: 50 }),

  'sns:ListTopics': (_i, r) => ({ Topics: [{ TopicArn: topicArn(r) }] }),
  'sns:GetTopicAttributes': (_i, r) => ({
    Attributes: {
      TopicArn: topicArn(r),
      Owner: ACCOUNT,
      Policy: JSON.stringify({
        Version: '2008-10-17',
        Id: '__default_policy_ID',
        Statement: [{ Sid: '__default_statement_ID', Effect: 'Allow', Principal: { AWS: '*' }, Action: ['SNS:Publish', 'SNS:Subscribe'], Resource: topicArn(r), Condition: { StringEquals: { 'AWS:SourceOwner': ACCOUNT } } }],
      }),
      DisplayName: '',
      SubscriptionsConfirmed: '1',
      SubscriptionsPending: '1',
      SubscriptionsDeleted: '0',
      EffectiveDeliveryPolicy: '{"http":{"defaultHealthyRetryPolicy":{"numRetries":3}}}',
    },
  }),
  'sns:ListSubscriptions': (_i, r) => ({
    Subscriptions: [
      {
        SubscriptionArn: `${topicArn(r)}:6b0e71bd-7e1a-4c3e-8b9a-1d2e3f4a5b6c`,
        Owner: ACCOUNT,
        Protocol: 'https',
        Endpoint: `https://hooks.example.com/sns/orders?token=${SECRETS.snsToken}`,
        TopicArn: topicArn(r),
      },
      {
        SubscriptionArn: 'PendingConfirmation',
        Owner: ACCOUNT,
        Protocol: 'http',
        Endpoint: `http://legacy.example.com/notify?token=${SECRETS.snsToken}`,
        TopicArn: topicArn(r),
      },
    ],
  }),
  'sns:GetSubscriptionAttributes': (i, r) => ({
    Attributes: {
      SubscriptionArn: String(i.SubscriptionArn),
      TopicArn: topicArn(r),
      Owner: ACCOUNT,
      Protocol: 'https',
      Endpoint: `https://hooks.example.com/sns/orders?token=${SECRETS.snsToken}`,
      ConfirmationWasAuthenticated: 'true',
      PendingConfirmation: 'false',
      RawMessageDelivery: 'false',
      EffectiveDeliveryPolicy: '{"healthyRetryPolicy":{"numRetries":3}}',
    },
  }),

  'iam:GetAccountAuthorizationDetails': () => ({
    RoleDetailList: [{
      Path: '/service-role/',
      RoleName: 'orders-role',
      RoleId: 'AROAEXAMPLEROLEID0001',
      Arn: ROLE_ARN,
      CreateDate: WHEN,
      AssumeRolePolicyDocument: enc({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
      InstanceProfileList: [],
      RolePolicyList: [{ PolicyName: 'orders-table', PolicyDocument: enc({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: `arn:aws:dynamodb:*:${ACCOUNT}:table/orders` }] }) }],
      AttachedManagedPolicies: [{ PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' }],
      Tags: [],
      RoleLastUsed: { LastUsedDate: WHEN, Region: 'us-east-1' },
    }],
    Policies: [],
    IsTruncated: false,
  }),
  'iam:GetAccountSummary': () => ({
    SummaryMap: { Roles: 12, RolesQuota: 1000, Policies: 3, PoliciesQuota: 1500, Users: 1, UsersQuota: 5000 },
  }),

  'servicequotas:GetServiceQuota': (i, r) => ({
    Quota: {
      ServiceCode: i.ServiceCode, ServiceName: String(i.ServiceCode), QuotaCode: i.QuotaCode, QuotaName: `quota ${i.QuotaCode}`,
      QuotaArn: `arn:aws:servicequotas:${r}:${ACCOUNT}:${i.ServiceCode}/${i.QuotaCode}`, Value: 1000, Unit: 'None', Adjustable: true, GlobalQuota: false,
    },
  }),
};

/** The mocked estate: install once per test file, set `fault` per test, `reset()` between tests. */
export class Estate {
  calls: Call[] = [];
  fault: Fault | undefined;
  answers: Record<string, Answer> = { ...ANSWERS };
  private mocks: AwsStub<any, any, any>[] = [];

  install(): this {
    for (const Ctor of CLIENT_CLASSES) {
      // The inherited smithy Client#send: the real middleware stack, reached for `'real'` faults.
      const realSend = (Ctor.prototype as { send: (...a: unknown[]) => Promise<unknown> }).send;
      const mock = mockClient(Ctor as never) as AwsStub<any, any, any>;
      const estate = this;
      mock.send.callsFake(async function (this: any, command: any, ...rest: unknown[]) {
        return estate.dispatch(this, command, () => realSend.call(this, command, ...rest));
      });
      this.mocks.push(mock);
    }
    return this;
  }

  restore(): void {
    for (const m of this.mocks) m.restore();
    this.mocks = [];
  }

  reset(): void {
    this.calls = [];
    this.fault = undefined;
    this.answers = { ...ANSWERS };
  }

  private async dispatch(client: any, command: any, real: () => Promise<unknown>): Promise<unknown> {
    const service = serviceKey(client.config.serviceId);
    const operation = String(command.constructor.name).replace(/Command$/, '');
    const region = await client.config.region();
    const call: Call = { service, operation, region, input: command.input ?? {}, instrumented: Object.hasOwn(client, 'send') };
    this.calls.push(call);
    const fault = this.fault?.(call);
    if (fault === 'real') return real();
    if (fault) throw fault;
    const answer = this.answers[`${service}:${operation}`];
    // A fresh object per call: collectors may keep and change what they get.
    return structuredClone(answer ? answer(call.input, region) : {});
  }

  /** `service:Operation` of every call, sorted and deduplicated. */
  operations(): string[] {
    return [...new Set(this.calls.map((c) => `${c.service}:${c.operation}`))].sort();
  }
}

export interface CannedResponse {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

/**
 * A requestHandler (ClientFactory `requestHandler`) answering each HTTP request the SDK builds with `answer(request)`.
 * `'hang'` never answers: the request ends only when the handler's own `requestTimeout` passes, as with the SDK's
 * NodeHttpHandler against an endpoint that accepts the connection and then says nothing.
 */
export function cannedHandler(answer: (req: { hostname: string; path: string; method: string; headers: Record<string, string> }) => CannedResponse | 'hang', requestTimeout = 100) {
  const seen: { hostname: string; path: string }[] = [];
  return {
    seen,
    handler: {
      async handle(req: { hostname: string; path: string; method: string; headers: Record<string, string> }, opts: { abortSignal?: AbortSignal } = {}) {
        seen.push({ hostname: req.hostname, path: req.path });
        const a = answer(req);
        if (a === 'hang') {
          return new Promise((_resolve, reject) => {
            const timer = setTimeout(() => reject(Object.assign(new Error(`Connection timed out after ${requestTimeout} ms`), { name: 'TimeoutError' })), requestTimeout);
            opts.abortSignal?.addEventListener?.('abort', () => {
              clearTimeout(timer);
              reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' }));
            });
          });
        }
        return {
          response: {
            statusCode: a.status,
            headers: { 'x-amzn-requestid': 'c0ffee00-0000-4000-8000-000000000000', ...a.headers },
            body: Readable.from([Buffer.from(a.body)]),
          },
        };
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs() {
        return {};
      },
      destroy() {},
    },
  };
}

/**
 * The mocked estate for a test file that runs the CLI: installed for the file, reset before each test, with the
 * factory's credentials in the environment (as a user's keys would be).
 */
export function estateForCli(): Estate {
  const estate = new Estate();
  beforeAll(() => void estate.install());
  afterAll(() => estate.restore());
  beforeEach(() => {
    estate.reset();
    vi.stubEnv('AWS_ACCESS_KEY_ID', FACTORY_CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', FACTORY_CREDENTIALS.secretAccessKey);
  });
  afterEach(() => vi.unstubAllEnvs());
  return estate;
}
