// Resources of the synthetic estate in their wire shapes (member names as each API serializes them). A varied mix, so
// that checks both pass and fail: every n-th resource gets a setting the catalogue flags.
import type { EstateSpec, RegionEstate } from './estate.js';
import { iamCounts, regionCounts } from './estate.js';

const EPOCH = 1_700_000_000; // seconds; a fixed past, so runs are reproducible
const RUNTIMES = ['nodejs20.x', 'python3.12', 'nodejs22.x', 'java21', 'python3.9', 'nodejs16.x', 'provided.al2023'];
const MEMORY = [128, 256, 512, 1024, 1769];
const TIMEOUTS = [3, 10, 30, 60, 900];

export const functionName = (i: number) => `app${(i >> 3) % 40}-fn${i}`;
export const tableName = (i: number) => `table-${i}`;
export const streamName = (i: number) => `stream-${i}`;
export const topicName = (i: number) => `topic-${i}`;
export const restApiId = (i: number) => `r${i.toString(36).padStart(9, '0')}`;
export const httpApiId = (i: number) => `h${i.toString(36).padStart(9, '0')}`;

const hex = (n: number, width: number) => (n >>> 0).toString(16).padStart(width, '0').slice(-width);
const uuid = (a: number, b: number) => `${hex(a, 8)}-0000-4000-8000-${hex(b, 12)}`;

/** Index of the first function of this region within the account, so roles are shared across an account's regions. */
function functionOffset(spec: EstateSpec, regionIndex: number): number {
  let n = 0;
  for (let r = 0; r < regionIndex; r++) n += regionCounts(spec, r).functions;
  return n;
}

export class RegionResources {
  readonly arnPrefix: string;
  private readonly fnOffset: number;
  private readonly patches = new Map<number, Record<string, unknown>>();
  constructor(readonly spec: EstateSpec, readonly e: RegionEstate, regionIndex: number) {
    this.arnPrefix = `${e.region}:${e.account}`;
    this.fnOffset = functionOffset(spec, regionIndex);
  }

  functionArn(i: number): string {
    return `arn:aws:lambda:${this.arnPrefix}:function:${functionName(i)}`;
  }
  /** Index of a function name of this region, or -1. */
  functionIndex(nameOrArn: string): number {
    const m = /(?:^|:function:)app\d+-fn(\d+)$/.exec(nameOrArn);
    const i = m ? Number(m[1]) : -1;
    return i >= 0 && i < this.e.counts.functions ? i : -1;
  }
  execRoleArn(i: number): string {
    const roles = iamCounts(this.spec).execRoles;
    return `arn:aws:iam::${this.e.account}:role/lambda-exec-${Math.floor((this.fnOffset + i) / 4) % roles}`;
  }

  patchFunction(i: number, fields: Record<string, unknown>): void {
    this.patches.set(i, { ...this.patches.get(i), ...fields });
  }

  // ------------------------------------------------------------------ Lambda (REST-JSON)
  function(i: number): Record<string, unknown> {
    const patch = this.patches.get(i);
    return patch ? { ...this.baseFunction(i), ...patch } : this.baseFunction(i);
  }
  private baseFunction(i: number): Record<string, unknown> {
    const name = functionName(i);
    const fn: Record<string, unknown> = {
      FunctionName: name,
      FunctionArn: this.functionArn(i),
      Runtime: RUNTIMES[i % RUNTIMES.length],
      Role: this.execRoleArn(i),
      Handler: 'index.handler',
      CodeSize: 1024 * (50 + (i % 400)),
      Description: '',
      Timeout: TIMEOUTS[i % TIMEOUTS.length],
      MemorySize: MEMORY[(i >> 1) % MEMORY.length],
      LastModified: '2024-11-14T09:26:53.000+0000',
      CodeSha256: 'n2pMwo5vY6LFzqV1bvwGRwN9mN2rTtJvFa7Q0d3ZdWg=',
      Version: '$LATEST',
      TracingConfig: { Mode: i % 3 === 0 ? 'Active' : 'PassThrough' },
      RevisionId: uuid(i, 1),
      PackageType: 'Zip',
      Architectures: [i % 2 ? 'arm64' : 'x86_64'],
      EphemeralStorage: { Size: 512 },
      LoggingConfig: { LogFormat: i % 4 === 0 ? 'JSON' : 'Text', LogGroup: `/aws/lambda/${name}`, ...(i % 4 === 0 ? { ApplicationLogLevel: i % 8 ? 'INFO' : 'DEBUG', SystemLogLevel: 'INFO' } : {}) },
      SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
      Environment: { Variables: { TABLE_NAME: tableName(i % Math.max(1, this.e.counts.tables)), POWERTOOLS_SERVICE_NAME: `app${(i >> 3) % 40}`, ...(i % 50 === 7 ? { STRIPE_KEY: `sk_live_${hex(i * 2654435761, 8)}Xq9Lm2Vt8RbZ4wK` } : {}) } },
    };
    if (i % 6 === 0) fn.DeadLetterConfig = { TargetArn: `arn:aws:sqs:${this.arnPrefix}:dlq-${i}` };
    if (i % 10 === 0) fn.VpcConfig = { SubnetIds: [`subnet-${hex(i, 8)}a`, ...(i % 20 ? [`subnet-${hex(i, 8)}b`] : [])], SecurityGroupIds: [`sg-${hex(i, 8)}`], VpcId: 'vpc-0abc1234' };
    if (i % 9 === 0) fn.Layers = [{ Arn: `arn:aws:lambda:${this.e.region}:${i % 18 ? this.e.account : '999999999999'}:layer:shared:3`, CodeSize: 20480 }];
    return fn;
  }

  /** GetPolicy body, or undefined when the function has no resource-based policy (404). */
  functionPolicy(i: number): Record<string, unknown> | undefined {
    if (i % 3 !== 0) return undefined;
    const principal = i % 99 === 0 ? '*' : { Service: 'apigateway.amazonaws.com' };
    const policy = {
      Version: '2012-10-17',
      Id: 'default',
      Statement: [{
        Sid: `allow-${i}`, Effect: 'Allow', Principal: principal, Action: 'lambda:InvokeFunction', Resource: this.functionArn(i),
        ...(principal === '*' ? {} : { Condition: { ArnLike: { 'AWS:SourceArn': `arn:aws:execute-api:${this.arnPrefix}:${restApiId(i % Math.max(1, this.e.counts.restApis))}/*` } } }),
      }],
    };
    return { Policy: JSON.stringify(policy), RevisionId: uuid(i, 2) };
  }
  /** ListAliases items: a `live` alias on every fourth function (estate.ts `aliases`). */
  aliases(i: number): Record<string, unknown>[] {
    if (i % 4 !== 0) return [];
    return [{ AliasArn: `${this.functionArn(i)}:live`, Name: 'live', FunctionVersion: String(1 + (i % 5)), Description: '', RevisionId: uuid(i, 4) }];
  }
  /**
   * GetPolicy with Qualifier (the alias's own policy), or undefined (404): every eighth function's alias grants API
   * Gateway, pinned to its API; one in 96 grants anyone (a public alias, as `add-permission --qualifier live --principal '*'`).
   */
  aliasPolicy(i: number, qualifier: string): Record<string, unknown> | undefined {
    if (i % 4 !== 0 || qualifier !== 'live' || i % 8 !== 0) return undefined;
    const resource = `${this.functionArn(i)}:live`;
    const statement = i % 96 === 0
      ? { Sid: `public-${i}`, Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunction', Resource: resource }
      : {
        Sid: `apigw-${i}`, Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'lambda:InvokeFunction', Resource: resource,
        Condition: { ArnLike: { 'AWS:SourceArn': `arn:aws:execute-api:${this.arnPrefix}:${restApiId(i % Math.max(1, this.e.counts.restApis))}/*` } },
      };
    return { Policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: [statement] }), RevisionId: uuid(i, 5) };
  }
  functionUrls(i: number): Record<string, unknown>[] {
    if (i % 25 !== 0) return [];
    return [{
      FunctionUrl: `https://${hex(i * 7919, 8)}abcdefghijklmnopqrstuv.lambda-url.${this.e.region}.on.aws/`,
      FunctionArn: this.functionArn(i), AuthType: i % 50 ? 'AWS_IAM' : 'NONE',
      CreationTime: '2024-01-01T00:00:00.000Z', LastModifiedTime: '2024-01-01T00:00:00.000Z', InvokeMode: 'BUFFERED',
    }];
  }
  eventInvokeConfigs(i: number): Record<string, unknown>[] {
    if (i % 5 !== 0) return [];
    return [{
      FunctionArn: `${this.functionArn(i)}:$LATEST`, LastModified: EPOCH, MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600,
      ...(i % 10 === 0 ? { DestinationConfig: { OnFailure: { Destination: `arn:aws:sqs:${this.arnPrefix}:failed-${i}` } } } : {}),
    }];
  }
  concurrency(i: number): Record<string, unknown> {
    return i % 7 === 0 ? { ReservedConcurrentExecutions: 5 + (i % 50) } : {};
  }
  mapping(k: number): Record<string, unknown> {
    const c = this.e.counts;
    const fn = (k * 7) % Math.max(1, c.functions);
    const fromStream = k < c.streams;
    const source = fromStream
      ? `arn:aws:kinesis:${this.arnPrefix}:stream/${streamName(k)}`
      : `arn:aws:dynamodb:${this.arnPrefix}:table/${tableName((k - c.streams) * 5)}/stream/2024-01-01T00:00:00.000`;
    return {
      UUID: uuid(k, 3),
      EventSourceMappingArn: `arn:aws:lambda:${this.arnPrefix}:event-source-mapping:${uuid(k, 3)}`,
      StartingPosition: 'LATEST', BatchSize: 100, MaximumBatchingWindowInSeconds: 0, ParallelizationFactor: 1,
      EventSourceArn: source, FunctionArn: this.functionArn(fn), LastModified: EPOCH, State: 'Enabled', StateTransitionReason: 'User action',
      DestinationConfig: k % 3 === 0 ? { OnFailure: { Destination: `arn:aws:sqs:${this.arnPrefix}:esm-failed` } } : {},
      MaximumRecordAgeInSeconds: -1, BisectBatchOnFunctionError: k % 2 === 0, MaximumRetryAttempts: k % 4 === 0 ? -1 : 3,
      TumblingWindowInSeconds: 0, FunctionResponseTypes: k % 2 ? ['ReportBatchItemFailures'] : [],
    };
  }
  accountSettings(): Record<string, unknown> {
    return {
      AccountLimit: { TotalCodeSize: 80530636800, CodeSizeUnzipped: 262144000, CodeSizeZipped: 52428800, ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 900 },
      AccountUsage: { TotalCodeSize: 1024 * 250 * this.e.counts.functions, FunctionCount: this.e.counts.functions },
    };
  }

  // ------------------------------------------------------------------ API Gateway REST (REST-JSON, camelCase)
  restApi(i: number): Record<string, unknown> {
    const type = i % 10 === 0 ? 'PRIVATE' : i % 4 === 0 ? 'EDGE' : 'REGIONAL';
    const api: Record<string, unknown> = {
      id: restApiId(i), name: `rest-api-${i}`, description: 'orders service', createdDate: EPOCH + i, apiKeySource: 'HEADER',
      endpointConfiguration: { types: [type], ...(type === 'PRIVATE' ? { vpcEndpointIds: ['vpce-0abc'] } : {}) },
      disableExecuteApiEndpoint: false, tags: { team: `t${i % 5}` }, rootResourceId: `root${i}`,
    };
    if (type === 'PRIVATE') {
      // As AWS returns it: the JSON document backslash-escaped inside the string.
      const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }] });
      api.policy = doc.replace(/"/g, '\\"');
    }
    return api;
  }
  restStages(i: number): Record<string, unknown>[] {
    return ['dev', 'prod'].map((stageName, s) => ({
      deploymentId: `d${i}${s}`, stageName, cacheClusterEnabled: false, cacheClusterStatus: 'NOT_AVAILABLE',
      methodSettings: { '*/*': { metricsEnabled: s === 1, loggingLevel: s ? 'INFO' : 'OFF', dataTraceEnabled: i % 11 === 0, throttlingBurstLimit: 5000, throttlingRateLimit: 10000, cachingEnabled: false, cacheTtlInSeconds: 300, cacheDataEncrypted: false, requireAuthorizationForCacheControl: true, unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER' } },
      tracingEnabled: i % 2 === 0,
      ...(s === 1 && i % 3 ? { accessLogSettings: { format: i % 6 === 1 ? '$context.requestId' : '{"requestId":"$context.requestId","status":"$context.status"}', destinationArn: `arn:aws:logs:${this.arnPrefix}:log-group:/aws/apigateway/rest-api-${i}` } } : {}),
      ...(i % 5 === 0 ? { webAclArn: `arn:aws:wafv2:${this.arnPrefix}:regional/webacl/acl/abc` } : {}),
      createdDate: EPOCH + i, lastUpdatedDate: EPOCH + i + 60, tags: {},
    }));
  }
  restResources(i: number): Record<string, unknown>[] {
    const uri = `arn:aws:apigateway:${this.e.region}:lambda:path/2015-03-31/functions/${this.functionArn(i % Math.max(1, this.e.counts.functions))}/invocations`;
    const method = (httpMethod: string, auth: string, validator?: string) => ({
      httpMethod, authorizationType: auth, apiKeyRequired: false, ...(validator ? { requestValidatorId: validator } : {}),
      ...(auth === 'COGNITO_USER_POOLS' ? { authorizerId: 'auth1' } : {}),
      methodIntegration: { type: 'AWS_PROXY', httpMethod: 'POST', uri, connectionType: 'INTERNET', passthroughBehavior: 'WHEN_NO_MATCH', timeoutInMillis: 29000, cacheNamespace: 'c', cacheKeyParameters: [] },
    });
    const auth = i % 3 === 0 ? 'NONE' : i % 3 === 1 ? 'AWS_IAM' : 'COGNITO_USER_POOLS';
    return [
      { id: `root${i}`, path: '/' },
      { id: `items${i}`, parentId: `root${i}`, pathPart: 'items', path: '/items', resourceMethods: { GET: method('GET', auth), POST: method('POST', auth, i % 2 ? `v${i}` : undefined) } },
      { id: `item${i}`, parentId: `items${i}`, pathPart: '{id}', path: '/items/{id}', resourceMethods: { GET: method('GET', auth), DELETE: method('DELETE', auth) } },
      { id: `health${i}`, parentId: `root${i}`, pathPart: 'health', path: '/health', resourceMethods: { GET: method('GET', 'NONE') } },
    ];
  }
  requestValidators(i: number): Record<string, unknown>[] {
    return i % 2 ? [{ id: `v${i}`, name: 'body', validateRequestBody: true, validateRequestParameters: false }] : [];
  }
  usagePlans(): Record<string, unknown>[] {
    const n = Math.min(3, this.e.counts.restApis);
    return Array.from({ length: n }, (_, k) => ({
      id: `up${k}`, name: `plan-${k}`, throttle: { burstLimit: 200, rateLimit: 100 }, apiStages: [{ apiId: restApiId(k), stage: 'prod' }],
    }));
  }
  restDomainNames(): Record<string, unknown>[] {
    return this.e.counts.restApis > 0 ? [{ domainName: `api.${this.e.region}.example.com`, securityPolicy: 'TLS_1_0', endpointConfiguration: { types: ['REGIONAL'] }, domainNameStatus: 'AVAILABLE' }] : [];
  }
  apiGatewayAccount(): Record<string, unknown> {
    return { cloudwatchRoleArn: `arn:aws:iam::${this.e.account}:role/apigw-logs`, throttleSettings: { burstLimit: 5000, rateLimit: 10000 }, features: ['UsagePlans'], apiKeyVersion: '4' };
  }

  // ------------------------------------------------------------------ API Gateway v2 (REST-JSON, camelCase names)
  httpApi(i: number): Record<string, unknown> {
    const ws = i % 5 === 4;
    return {
      apiId: httpApiId(i), name: `http-api-${i}`, protocolType: ws ? 'WEBSOCKET' : 'HTTP',
      apiEndpoint: `${ws ? 'wss' : 'https'}://${httpApiId(i)}.execute-api.${this.e.region}.amazonaws.com`,
      routeSelectionExpression: ws ? '$request.body.action' : '$request.method $request.path',
      apiKeySelectionExpression: '$request.header.x-api-key', createdDate: '2024-01-01T00:00:00Z', disableExecuteApiEndpoint: false, tags: {},
    };
  }
  httpStages(i: number): Record<string, unknown>[] {
    return [{
      stageName: '$default', autoDeploy: true, deploymentId: `hd${i}`,
      ...(i % 2 ? { accessLogSettings: { destinationArn: `arn:aws:logs:${this.arnPrefix}:log-group:/aws/apigateway/http-api-${i}`, format: '{"requestId":"$context.requestId"}' } } : {}),
      defaultRouteSettings: { detailedMetricsEnabled: i % 3 === 0, throttlingBurstLimit: 100, throttlingRateLimit: 50 },
      routeSettings: {}, createdDate: '2024-01-01T00:00:00Z', lastUpdatedDate: '2024-01-02T00:00:00Z', tags: {}, stageVariables: {},
    }];
  }
  httpRoutes(i: number): Record<string, unknown>[] {
    return ['GET /items', 'POST /items', 'GET /items/{id}'].map((routeKey, k) => ({
      routeId: `rt${i}${k}`, routeKey, authorizationType: i % 2 ? 'JWT' : 'NONE', ...(i % 2 ? { authorizerId: `au${i}` } : {}),
      apiKeyRequired: false, target: `integrations/in${i}${k % 2}`,
    }));
  }
  httpIntegrations(i: number): Record<string, unknown>[] {
    return [0, 1].map((k) => ({
      integrationId: `in${i}${k}`, integrationType: 'AWS_PROXY', connectionType: 'INTERNET', payloadFormatVersion: '2.0',
      integrationUri: this.functionArn((i + k) % Math.max(1, this.e.counts.functions)), timeoutInMillis: 30000,
    }));
  }
  httpDomainNames(): Record<string, unknown>[] {
    return this.e.counts.httpApis > 0
      ? [{ domainName: `http.${this.e.region}.example.com`, domainNameConfigurations: [{ endpointType: 'REGIONAL', securityPolicy: 'TLS_1_2', domainNameStatus: 'AVAILABLE' }] }]
      : [];
  }

  // ------------------------------------------------------------------ DynamoDB, Auto Scaling, Backup (JSON)
  table(i: number): Record<string, unknown> {
    const name = tableName(i);
    const arn = `arn:aws:dynamodb:${this.arnPrefix}:table/${name}`;
    const provisioned = i % 3 === 0;
    const t: Record<string, unknown> = {
      TableName: name, TableArn: arn, TableId: uuid(i, 4), TableStatus: 'ACTIVE', CreationDateTime: EPOCH + i,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: provisioned ? 50 : 0, WriteCapacityUnits: provisioned ? 25 : 0 },
      TableSizeBytes: 1024 * i, ItemCount: 10 * i, DeletionProtectionEnabled: i % 2 === 0,
      TableClassSummary: { TableClass: 'STANDARD' },
    };
    if (!provisioned) t.BillingModeSummary = { BillingMode: 'PAY_PER_REQUEST', LastUpdateToPayPerRequestDateTime: EPOCH };
    if (i % 4 === 0) t.SSEDescription = { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: `arn:aws:kms:${this.arnPrefix}:key/${uuid(i, 5)}` };
    if (i % 5 === 0) {
      t.StreamSpecification = { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' };
      t.LatestStreamArn = `${arn}/stream/2024-01-01T00:00:00.000`;
      t.LatestStreamLabel = '2024-01-01T00:00:00.000';
    }
    return t;
  }
  continuousBackups(i: number): Record<string, unknown> {
    const on = i % 2 === 0;
    return {
      ContinuousBackupsDescription: {
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: on
          ? { PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: 35, EarliestRestorableDateTime: EPOCH, LatestRestorableDateTime: EPOCH + 3600 }
          : { PointInTimeRecoveryStatus: 'DISABLED' },
      },
    };
  }
  scalableTargets(): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (let i = 0; i < this.e.counts.tables; i += 6) {
      for (const dim of ['ReadCapacityUnits', 'WriteCapacityUnits']) {
        out.push({
          ServiceNamespace: 'dynamodb', ResourceId: `table/${tableName(i)}`, ScalableDimension: `dynamodb:table:${dim}`, MinCapacity: 5, MaxCapacity: 100,
          RoleARN: `arn:aws:iam::${this.e.account}:role/aws-service-role/dynamodb.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_DynamoDBTable`,
          CreationTime: EPOCH, SuspendedState: { DynamicScalingInSuspended: false, DynamicScalingOutSuspended: false, ScheduledScalingSuspended: false },
        });
      }
    }
    return out;
  }
  protectedResources(): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (let i = 0; i < this.e.counts.tables; i += 4) {
      out.push({ ResourceArn: `arn:aws:dynamodb:${this.arnPrefix}:table/${tableName(i)}`, ResourceType: 'DynamoDB', LastBackupTime: EPOCH, ResourceName: tableName(i) });
    }
    out.push({ ResourceArn: `arn:aws:ec2:${this.arnPrefix}:volume/vol-0abc`, ResourceType: 'EBS', LastBackupTime: EPOCH });
    return out;
  }
  dynamoDbLimits(): Record<string, unknown> {
    return { AccountMaxReadCapacityUnits: 80000, AccountMaxWriteCapacityUnits: 80000, TableMaxReadCapacityUnits: 40000, TableMaxWriteCapacityUnits: 40000 };
  }

  // ------------------------------------------------------------------ Kinesis (JSON)
  streamSummary(i: number): Record<string, unknown> {
    return {
      StreamName: streamName(i), StreamARN: `arn:aws:kinesis:${this.arnPrefix}:stream/${streamName(i)}`, StreamStatus: 'ACTIVE',
      StreamModeDetails: { StreamMode: i % 2 ? 'PROVISIONED' : 'ON_DEMAND' }, StreamCreationTimestamp: EPOCH + i,
    };
  }
  streamDescription(i: number): Record<string, unknown> {
    return {
      StreamDescriptionSummary: {
        ...this.streamSummary(i), RetentionPeriodHours: i % 3 ? 24 : 168, EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
        EncryptionType: i % 4 === 0 ? 'NONE' : 'KMS', ...(i % 4 === 0 ? {} : { KeyId: 'alias/aws/kinesis' }), OpenShardCount: 2 + (i % 4), ConsumerCount: i % 3,
      },
    };
  }
  kinesisLimits(): Record<string, unknown> {
    const c = this.e.counts.streams;
    return { ShardLimit: 500, OpenShardCount: c * 3, OnDemandStreamCount: Math.ceil(c / 2), OnDemandStreamCountLimit: 50 };
  }

  // ------------------------------------------------------------------ SNS (query protocol; maps as entry lists)
  topicArn(i: number): string {
    return `arn:aws:sns:${this.arnPrefix}:${topicName(i)}`;
  }
  topicIndex(arn: string): number {
    const m = new RegExp(`^arn:aws:sns:${this.arnPrefix}:topic-(\\d+)$`).exec(arn);
    const i = m ? Number(m[1]) : -1;
    return i < this.e.counts.topics ? i : -1;
  }
  topicAttributes(i: number): Record<string, string> {
    const arn = this.topicArn(i);
    const principal = i % 40 === 0 ? '"*"' : `{"AWS":"arn:aws:iam::${this.e.account}:root"}`;
    const attrs: Record<string, string> = {
      TopicArn: arn, Owner: this.e.account, DisplayName: '', SubscriptionsConfirmed: '2', SubscriptionsPending: i % 10 === 0 ? '1' : '0', SubscriptionsDeleted: '0',
      Policy: `{"Version":"2008-10-17","Id":"__default_policy_ID","Statement":[{"Sid":"__default_statement_ID","Effect":"Allow","Principal":${principal},"Action":["SNS:GetTopicAttributes","SNS:Publish"],"Resource":"${arn}"}]}`,
      EffectiveDeliveryPolicy: '{"http":{"defaultHealthyRetryPolicy":{"numRetries":3}}}',
    };
    if (i % 3 === 0) attrs.KmsMasterKeyId = 'alias/aws/sns';
    if (i % 4 === 0) attrs.LambdaFailureFeedbackRoleArn = `arn:aws:iam::${this.e.account}:role/sns-feedback`;
    return attrs;
  }
  /** Subscription `k` in list order: per topic Lambda, SQS, then (every tenth topic) a pending HTTPS one. */
  subscription(k: number): { SubscriptionArn: string; Owner: string; Protocol: string; Endpoint: string; TopicArn: string } {
    const topics = this.e.counts.topics;
    let topic: number;
    let kind: number;
    if (k < topics * 2) {
      topic = k >> 1;
      kind = k & 1;
    } else {
      topic = (k - topics * 2) * 10;
      kind = 2;
    }
    const topicArn = this.topicArn(topic);
    const endpoint = kind === 0 ? this.functionArn(topic % Math.max(1, this.e.counts.functions)) : kind === 1 ? `arn:aws:sqs:${this.arnPrefix}:queue-${topic}` : `https://hooks.example.com/notify?token=abc${topic}`;
    return {
      SubscriptionArn: kind === 2 ? 'PendingConfirmation' : `${topicArn}:${uuid(topic, kind + 10)}`,
      Owner: this.e.account, Protocol: kind === 0 ? 'lambda' : kind === 1 ? 'sqs' : 'https', Endpoint: endpoint, TopicArn: topicArn,
    };
  }
  /** Attributes of a confirmed subscription by its ARN, or undefined. */
  subscriptionAttributes(arn: string): Record<string, string> | undefined {
    const m = /^(arn:aws:sns:[^:]+:\d+:topic-(\d+)):[0-9a-f]{8}-0000-4000-8000-([0-9a-f]{12})$/.exec(arn);
    if (!m) return undefined;
    const topic = Number(m[2]);
    const kind = parseInt(m[3]!, 16) - 10;
    if (topic >= this.e.counts.topics || (kind !== 0 && kind !== 1)) return undefined;
    const s = this.subscription(topic * 2 + kind);
    const attrs: Record<string, string> = {
      SubscriptionArn: s.SubscriptionArn, TopicArn: s.TopicArn, Owner: s.Owner, Protocol: s.Protocol, Endpoint: s.Endpoint,
      ConfirmationWasAuthenticated: 'true', PendingConfirmation: 'false', RawMessageDelivery: kind === 1 ? 'true' : 'false',
      SubscriptionRoleArn: '',
    };
    if (topic % 2 === 0) attrs.FilterPolicy = '{"type":["order"]}';
    if (topic % 3 === 0) attrs.RedrivePolicy = `{"deadLetterTargetArn":"arn:aws:sqs:${this.arnPrefix}:sns-dlq"}`;
    return attrs;
  }

  // ------------------------------------------------------------------ CloudWatch Logs and alarms (JSON)
  logGroup(i: number): Record<string, unknown> {
    const fns = this.e.counts.functions;
    // Most functions have their log group; the rest are other services' groups and a few orphans.
    const name = i < fns ? `/aws/lambda/${functionName(i)}` : i % 7 === 0 ? `/aws/lambda/deleted-fn-${i}` : `/ecs/service-${i}`;
    const arn = `arn:aws:logs:${this.arnPrefix}:log-group:${name}`;
    return {
      logGroupName: name, creationTime: (EPOCH + i) * 1000, metricFilterCount: 0, arn: `${arn}:*`, logGroupArn: arn,
      storedBytes: 4096 * (i % 1000), logGroupClass: 'STANDARD',
      ...(i % 4 === 0 ? {} : { retentionInDays: [7, 30, 365][i % 3] }),
      ...(i % 9 === 0 ? { kmsKeyId: `arn:aws:kms:${this.arnPrefix}:key/${uuid(i, 6)}` } : {}),
    };
  }
  alarm(k: number): Record<string, unknown> {
    const c = this.e.counts;
    const name = `alarm-${k}`;
    const base = {
      AlarmName: name, AlarmArn: `arn:aws:cloudwatch:${this.arnPrefix}:alarm:${name}`, AlarmDescription: 'synthetic',
      AlarmConfigurationUpdatedTimestamp: EPOCH, ActionsEnabled: k % 13 !== 0, OKActions: [],
      AlarmActions: k % 17 === 0 ? [] : [`arn:aws:sns:${this.arnPrefix}:${topicName(0)}`], InsufficientDataActions: [],
      StateValue: 'OK', StateReason: 'Threshold Crossed', StateUpdatedTimestamp: EPOCH, StateTransitionedTimestamp: EPOCH,
    };
    // A composite alarm every 50th; then, per function, Errors, Throttles, Duration; then tables and streams.
    if (k % 50 === 49) return { ...base, AlarmRule: `ALARM("alarm-${k - 1}")` };
    const fns = Math.max(1, c.functions);
    const metric = Math.floor(k / fns) % 5;
    const dim = (Name: string, Value: string) => [{ Name, Value }];
    const m = metric < 3
      ? { Namespace: 'AWS/Lambda', MetricName: ['Errors', 'Throttles', 'Duration'][metric], Dimensions: dim('FunctionName', functionName(k % fns)) }
      : metric === 3
        ? { Namespace: 'AWS/DynamoDB', MetricName: 'ThrottledRequests', Dimensions: dim('TableName', tableName(k % Math.max(1, c.tables))) }
        : { Namespace: 'AWS/Kinesis', MetricName: 'GetRecords.IteratorAgeMilliseconds', Dimensions: dim('StreamName', streamName(k % Math.max(1, c.streams))) };
    return {
      ...base, ...m, Statistic: metric === 2 ? 'Average' : 'Sum', Period: 60, EvaluationPeriods: 1, DatapointsToAlarm: 1, Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching',
    };
  }
  isCompositeAlarm(k: number): boolean {
    return k % 50 === 49;
  }

  // ------------------------------------------------------------------ Service Quotas (JSON)
  serviceQuota(service: string, code: string): Record<string, unknown> {
    return {
      Quota: {
        ServiceCode: service, ServiceName: service, QuotaArn: `arn:aws:servicequotas:${this.arnPrefix}:${service}/${code}`,
        QuotaCode: code, QuotaName: code, Value: QUOTA_VALUES[code] ?? 1000, Unit: 'None', Adjustable: true, GlobalQuota: false,
      },
    };
  }
}

const QUOTA_VALUES: Record<string, number> = {
  'L-B99A9384': 1000, 'L-2ACBD22F': 75, 'L-34F6A552': 80000, 'L-34F8CCC8': 80000, 'L-0918CF54': 500, 'L-8A5B8E43': 10000,
  'L-AA0FF27B': 600, 'L-B97207D0': 120, 'L-A966AB5C': 600, 'L-61103206': 100000, 'L-C7B9AAAB': 1000000, 'L-FE177D64': 1000,
};

// ------------------------------------------------------------------ IAM (query protocol), one per account
export interface IamEntities {
  roles: Record<string, unknown>[];
  policies: Record<string, unknown>[];
}

const enc = (doc: unknown) => encodeURIComponent(JSON.stringify(doc));

export function iamEntities(spec: EstateSpec, account: string): IamEntities {
  const { execRoles, otherRoles, policies } = iamCounts(spec);
  const trust = (service: string) => enc({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
  const roles: Record<string, unknown>[] = [];
  for (let k = 0; k < execRoles + otherRoles; k++) {
    const exec = k < execRoles;
    const RoleName = exec ? `lambda-exec-${k}` : `service-role-${k}`;
    const attached: { PolicyName: string; PolicyArn: string }[] = [];
    if (exec) attached.push({ PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' });
    if (exec && k % 3 === 0) attached.push({ PolicyName: `app-policy-${k % policies}`, PolicyArn: `arn:aws:iam::${account}:policy/app-policy-${k % policies}` });
    if (exec && k % 97 === 5) attached.push({ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
    roles.push({
      Path: '/', RoleName, RoleId: `AROA${hex(k, 16).toUpperCase()}`, Arn: `arn:aws:iam::${account}:role/${RoleName}`, CreateDate: '2024-01-01T00:00:00Z',
      AssumeRolePolicyDocument: trust(exec ? 'lambda.amazonaws.com' : 'ecs-tasks.amazonaws.com'),
      RolePolicyList: exec && k % 2 ? [{ PolicyName: 'inline', PolicyDocument: enc({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: k % 10 === 1 ? 'dynamodb:*' : ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: k % 10 === 1 ? '*' : `arn:aws:dynamodb:*:${account}:table/table-${k}` }] }) }] : [],
      AttachedManagedPolicies: attached,
      Tags: [{ Key: 'team', Value: `t${k % 5}` }],
      RoleLastUsed: { LastUsedDate: '2024-11-01T00:00:00Z', Region: 'us-east-1' },
    });
  }
  const pols: Record<string, unknown>[] = [];
  for (let p = 0; p < policies; p++) {
    const doc = enc({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }, ...(p === 0 ? [{ Effect: 'Allow', Action: '*', Resource: '*' }] : [])] });
    pols.push({
      PolicyName: `app-policy-${p}`, PolicyId: `ANPA${hex(p, 16).toUpperCase()}`, Arn: `arn:aws:iam::${account}:policy/app-policy-${p}`, Path: '/',
      DefaultVersionId: 'v1', AttachmentCount: 1, PermissionsBoundaryUsageCount: 0, IsAttachable: true, CreateDate: '2024-01-01T00:00:00Z', UpdateDate: '2024-01-01T00:00:00Z',
      PolicyVersionList: [{ Document: doc, VersionId: 'v1', IsDefaultVersion: true, CreateDate: '2024-01-01T00:00:00Z' }],
    });
  }
  return { roles, policies: pols };
}

export function iamSummary(spec: EstateSpec): Record<string, number> {
  const { execRoles, otherRoles, policies } = iamCounts(spec);
  return { Roles: execRoles + otherRoles, RolesQuota: 1000, Policies: policies, PoliciesQuota: 1500, Users: 3, UsersQuota: 5000, Groups: 1, GroupsQuota: 300 };
}
