// Inventory resource shapes: one interface per resource kind. Types only, no SDK imports.
// Field names are the names AWS uses in its API responses (so `Role`, `TracingConfig` for Lambda,
// `retentionInDays` for CloudWatch Logs, `accessLogSettings` for REST API stages ...).
// Every value must stay JSON-serialisable: dates are ISO strings, no Maps, no class instances.

/** Why a field (or a whole list of resources) could not be collected. */
export interface Gap {
  /** IAM-style action of the failed call, e.g. `lambda:GetPolicy`. */
  operation: string;
  /** AWS error code / name, e.g. `AccessDeniedException`, `ThrottlingException`, `NotCollected`. */
  code: string;
  message: string;
}

export type Kind =
  | 'AwsLambdaFunction'
  | 'AwsLambdaEventSourceMapping'
  | 'AwsApiGatewayRestApi'
  | 'AwsApiGatewayStage'
  | 'AwsApiGatewayV2Api'
  | 'AwsApiGatewayV2Stage'
  | 'AwsDynamoDbTable'
  | 'AwsKinesisStream'
  | 'AwsSnsTopic'
  | 'AwsSnsSubscription'
  | 'AwsLogsLogGroup'
  | 'AwsCloudWatchAlarm'
  | 'AwsIamRole'
  | 'AwsAccountRegion'
  | 'AwsAccount'
  | 'AwsCodeDeployDeploymentGroup';

export const KINDS: readonly Kind[] = [
  'AwsLambdaFunction',
  'AwsLambdaEventSourceMapping',
  'AwsApiGatewayRestApi',
  'AwsApiGatewayStage',
  'AwsApiGatewayV2Api',
  'AwsApiGatewayV2Stage',
  'AwsDynamoDbTable',
  'AwsKinesisStream',
  'AwsSnsTopic',
  'AwsSnsSubscription',
  'AwsLogsLogGroup',
  'AwsCloudWatchAlarm',
  'AwsIamRole',
  'AwsAccountRegion',
  'AwsAccount',
  'AwsCodeDeployDeploymentGroup',
];

export interface ResourceBase<K extends Kind = Kind> {
  kind: K;
  /** Canonical ARN (design.md "Canonical ARNs"). */
  arn: string;
  name: string;
  accountId: string;
  /** Region code, or `global` for IAM and account-wide pseudo resources. */
  region: string;
  /** Non-secret tags. `gaps.tags` is set when tags were not collected. */
  tags: Record<string, string>;
  /** Field name → why it could not be collected. A check that uses a field with a gap is NOT_ASSESSED. */
  gaps?: Record<string, Gap>;
}

// ---------------------------------------------------------------- Lambda

/**
 * An environment variable value as kept in the inventory. The real value never leaves the collector:
 * it is replaced by a profile of its shape. `value` is kept only for a short allowlist of
 * configuration keys (log levels) and only when the value does not look like a secret.
 */
export interface EnvValueProfile {
  redacted: true;
  length: number;
  /** Shannon entropy in bits per character. */
  entropy: number;
  /**
   * Shapes recognised in the value (src/collect/redact.ts): `aws-access-key-id`, `aws-secret-key-like`, `private-key`, `jwt`,
   * `slack-webhook`, `github-token`, `stripe-key`, `url-credentials`, `high-entropy`.
   */
  patterns: string[];
  /**
   * What kind of value it is, when it is one that cannot be a secret (src/collect/redact.ts `valueClass`): `boolean`,
   * `small-integer` (at most 7 digits), `number` (short decimal), `duration` (`30s`, `15m`, `PT1H`), `arn`,
   * `ssm-parameter-name` (`/prod/db/password`); `other` for anything else. Absent in inventories written before it existed.
   */
  class?: EnvValueClass;
  value?: string;
}

export type EnvValueClass = 'boolean' | 'small-integer' | 'number' | 'duration' | 'arn' | 'ssm-parameter-name' | 'other';

/** One alias of a function (`lambda:ListAliases`) and its resource policy. */
export interface LambdaAlias {
  AliasArn: string;
  Name: string;
  FunctionVersion?: string;
  /** `lambda:GetPolicy` with `Qualifier: Name`, parsed; `null` when the alias has no resource policy. */
  Policy?: PolicyDocument | null;
  /** `Policy` when GetPolicy for the alias failed (denied, throttled ...). */
  gaps?: { Policy?: Gap };
}

export interface LambdaFunction extends ResourceBase<'AwsLambdaFunction'> {
  FunctionName: string;
  FunctionArn: string;
  Runtime?: string;
  Role: string;
  Handler?: string;
  CodeSize?: number;
  /** Free text, profiled like an environment value (redact.ts profileText): never the text itself. */
  Description?: EnvValueProfile;
  Timeout?: number;
  MemorySize?: number;
  LastModified?: string;
  Version?: string;
  PackageType?: 'Zip' | 'Image' | string;
  Architectures?: string[];
  VpcConfig?: { SubnetIds?: string[]; SecurityGroupIds?: string[]; VpcId?: string; Ipv6AllowedForDualStack?: boolean };
  DeadLetterConfig?: { TargetArn?: string };
  Environment?: { Variables?: Record<string, EnvValueProfile>; Error?: { ErrorCode?: string; Message?: string } };
  TracingConfig?: { Mode?: 'Active' | 'PassThrough' | string };
  Layers?: { Arn?: string; CodeSize?: number }[];
  LoggingConfig?: { LogFormat?: string; ApplicationLogLevel?: string; SystemLogLevel?: string; LogGroup?: string };
  KMSKeyArn?: string;
  EphemeralStorage?: { Size?: number };
  SnapStart?: { ApplyOn?: string; OptimizationStatus?: string };
  // ---- per-function calls
  /** `lambda:GetPolicy` → `Policy`, parsed. `null` when the function has no resource policy. */
  Policy?: PolicyDocument | null;
  /**
   * `lambda:ListAliases` → the function's aliases, each with its own resource policy (`lambda:GetPolicy` with
   * `Qualifier`: the unqualified policy does not cover grants made on an alias). A gap `Aliases` when they could not be
   * listed.
   */
  Aliases?: LambdaAlias[];
  /** `lambda:ListFunctionUrlConfigs` → `FunctionUrlConfigs`. */
  FunctionUrlConfigs?: { FunctionUrl?: string; AuthType?: 'NONE' | 'AWS_IAM' | string; Cors?: { AllowOrigins?: string[]; AllowMethods?: string[]; AllowCredentials?: boolean }; InvokeMode?: string }[];
  /** `lambda:ListFunctionEventInvokeConfigs` → `FunctionEventInvokeConfigs` (all qualifiers). */
  FunctionEventInvokeConfigs?: {
    FunctionArn?: string;
    MaximumRetryAttempts?: number;
    MaximumEventAgeInSeconds?: number;
    DestinationConfig?: { OnSuccess?: { Destination?: string }; OnFailure?: { Destination?: string } };
  }[];
  /** `lambda:GetFunctionConcurrency` → `ReservedConcurrentExecutions`; `null` when none is reserved. */
  ReservedConcurrentExecutions?: number | null;
  /** Metric series (only with --metrics), keyed by series name; see the metrics collector. */
  Metrics?: Record<string, MetricSeries>;
  /**
   * `compute-optimizer:GetLambdaFunctionRecommendations` → the recommendation for this function (`$LATEST`);
   * `null` when Compute Optimizer returned none for it. A gap (e.g. OptInRequiredException) when the call failed.
   */
  ComputeOptimizerFinding?: {
    finding?: 'Optimized' | 'NotOptimized' | 'Unavailable' | string;
    findingReasonCodes?: string[];
    currentMemorySize?: number;
    /** Memory size of the rank-1 recommendation option. */
    recommendedMemorySize?: number;
    numberOfInvocations?: number;
    lookbackPeriodInDays?: number;
    lastRefreshTimestamp?: string;
  } | null;
}

export interface MetricSeries {
  /** ISO timestamps, oldest first. */
  Timestamps: string[];
  Values: number[];
  Period: number;
  Stat: string;
}

export interface LambdaEventSourceMapping extends ResourceBase<'AwsLambdaEventSourceMapping'> {
  UUID: string;
  EventSourceMappingArn?: string;
  EventSourceArn?: string;
  FunctionArn?: string;
  State?: string;
  BatchSize?: number;
  MaximumBatchingWindowInSeconds?: number;
  StartingPosition?: string;
  MaximumRetryAttempts?: number;
  MaximumRecordAgeInSeconds?: number;
  BisectBatchOnFunctionError?: boolean;
  ParallelizationFactor?: number;
  FunctionResponseTypes?: string[];
  DestinationConfig?: { OnFailure?: { Destination?: string } };
  SelfManagedEventSource?: { Endpoints?: Record<string, string[]> };
  Topics?: string[];
  Queues?: string[];
}

// ---------------------------------------------------------------- API Gateway REST (v1)

export interface RestMethod {
  httpMethod?: string;
  authorizationType?: string;
  authorizerId?: string;
  apiKeyRequired?: boolean;
  requestValidatorId?: string;
  methodIntegration?: { type?: string; uri?: string; connectionType?: string };
}

export interface ApiGatewayRestApi extends ResourceBase<'AwsApiGatewayRestApi'> {
  id: string;
  /** Free text, profiled like an environment value (redact.ts profileText): never the text itself. */
  description?: EnvValueProfile;
  createdDate?: string;
  apiKeySource?: string;
  endpointConfiguration?: { types?: string[]; vpcEndpointIds?: string[] };
  /** Resource policy, parsed. `null` when none. */
  policy?: PolicyDocument | null;
  minimumCompressionSize?: number | null;
  disableExecuteApiEndpoint?: boolean;
  /** `GetResources(embed=methods)` → `items`, all pages. */
  resources?: { id?: string; path?: string; resourceMethods?: Record<string, RestMethod> }[];
  /** `GetRequestValidators` → `items`. */
  requestValidators?: { id?: string; name?: string; validateRequestBody?: boolean; validateRequestParameters?: boolean }[];
}

export interface RestMethodSetting {
  metricsEnabled?: boolean;
  loggingLevel?: string;
  dataTraceEnabled?: boolean;
  throttlingBurstLimit?: number;
  throttlingRateLimit?: number;
  cachingEnabled?: boolean;
  cacheTtlInSeconds?: number;
  cacheDataEncrypted?: boolean;
  requireAuthorizationForCacheControl?: boolean;
}

/** One stage of a REST API (`GetStages(restApiId)` → `item[]`). ARN `arn:aws:apigateway:REGION::/restapis/ID/stages/NAME`. */
export interface ApiGatewayStage extends ResourceBase<'AwsApiGatewayStage'> {
  restApiId: string;
  restApiName: string;
  /** ARN of the parent REST API. */
  apiArn: string;
  /** Copied from the parent API: `endpointConfiguration.types`. */
  endpointTypes?: string[];
  stageName: string;
  deploymentId?: string;
  clientCertificateId?: string;
  cacheClusterEnabled?: boolean;
  cacheClusterSize?: string;
  methodSettings?: Record<string, RestMethodSetting>;
  accessLogSettings?: { format?: string; destinationArn?: string };
  tracingEnabled?: boolean;
  webAclArn?: string;
  createdDate?: string;
  lastUpdatedDate?: string;
}

// ---------------------------------------------------------------- API Gateway v2 (HTTP, WebSocket)

export interface ApiGatewayV2Api extends ResourceBase<'AwsApiGatewayV2Api'> {
  ApiId: string;
  ApiEndpoint?: string;
  ProtocolType?: 'HTTP' | 'WEBSOCKET' | string;
  RouteSelectionExpression?: string;
  DisableExecuteApiEndpoint?: boolean;
  CreatedDate?: string;
  /** `GetRoutes(ApiId)` → `Items`, all pages. */
  Routes?: { RouteId?: string; RouteKey?: string; AuthorizationType?: string; AuthorizerId?: string; ApiKeyRequired?: boolean; Target?: string }[];
  /** `GetIntegrations(ApiId)` → `Items`, all pages. */
  Integrations?: { IntegrationId?: string; IntegrationType?: string; ConnectionType?: string; TlsConfig?: { ServerNameToVerify?: string }; IntegrationUri?: string }[];
}

export interface V2RouteSettings {
  DataTraceEnabled?: boolean;
  DetailedMetricsEnabled?: boolean;
  LoggingLevel?: string;
  ThrottlingBurstLimit?: number;
  ThrottlingRateLimit?: number;
}

/** One stage of an HTTP/WebSocket API. ARN `arn:aws:apigateway:REGION::/apis/ID/stages/NAME`. */
export interface ApiGatewayV2Stage extends ResourceBase<'AwsApiGatewayV2Stage'> {
  ApiId: string;
  ApiName: string;
  apiArn: string;
  /** Copied from the parent API. */
  ProtocolType?: string;
  StageName: string;
  AutoDeploy?: boolean;
  DeploymentId?: string;
  AccessLogSettings?: { DestinationArn?: string; Format?: string };
  DefaultRouteSettings?: V2RouteSettings;
  RouteSettings?: Record<string, V2RouteSettings>;
  ClientCertificateId?: string;
  CreatedDate?: string;
  LastUpdatedDate?: string;
}

// ---------------------------------------------------------------- DynamoDB

export interface ProvisionedThroughput {
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

export interface DynamoDbTable extends ResourceBase<'AwsDynamoDbTable'> {
  TableName: string;
  TableArn?: string;
  TableStatus?: string;
  CreationDateTime?: string;
  BillingModeSummary?: { BillingMode?: string };
  ProvisionedThroughput?: ProvisionedThroughput;
  GlobalSecondaryIndexes?: { IndexName?: string; IndexArn?: string; ProvisionedThroughput?: ProvisionedThroughput }[];
  SSEDescription?: { Status?: string; SSEType?: string; KMSMasterKeyArn?: string };
  DeletionProtectionEnabled?: boolean;
  StreamSpecification?: { StreamEnabled?: boolean; StreamViewType?: string };
  LatestStreamArn?: string;
  TableClassSummary?: { TableClass?: string };
  TableSizeBytes?: number;
  ItemCount?: number;
  /** `DescribeContinuousBackups` → `ContinuousBackupsDescription`. */
  ContinuousBackupsDescription?: {
    ContinuousBackupsStatus?: string;
    PointInTimeRecoveryDescription?: { PointInTimeRecoveryStatus?: string; RecoveryPeriodInDays?: number };
  };
  Metrics?: Record<string, MetricSeries>;
}

// ---------------------------------------------------------------- Kinesis

export interface KinesisStream extends ResourceBase<'AwsKinesisStream'> {
  StreamName: string;
  StreamARN: string;
  StreamStatus?: string;
  StreamModeDetails?: { StreamMode?: 'PROVISIONED' | 'ON_DEMAND' | string };
  StreamCreationTimestamp?: string;
  // ---- DescribeStreamSummary → StreamDescriptionSummary
  RetentionPeriodHours?: number;
  EncryptionType?: 'NONE' | 'KMS' | string;
  KeyId?: string;
  OpenShardCount?: number;
  ConsumerCount?: number;
  EnhancedMonitoring?: { ShardLevelMetrics?: string[] }[];
  Metrics?: Record<string, MetricSeries>;
}

// ---------------------------------------------------------------- SNS

export interface SnsTopic extends ResourceBase<'AwsSnsTopic'> {
  TopicArn: string;
  /**
   * `GetTopicAttributes` → `Attributes` (all string valued, as AWS returns them), except `Policy`,
   * `DeliveryPolicy` and `EffectiveDeliveryPolicy`, which are dropped here: the parsed policy is in `Policy`.
   */
  Attributes?: Record<string, string>;
  /** `Attributes.Policy`, parsed. `null` when the topic has no policy attribute. */
  Policy?: PolicyDocument | null;
}

export interface SnsSubscription extends ResourceBase<'AwsSnsSubscription'> {
  SubscriptionArn: string;
  TopicArn?: string;
  Owner?: string;
  Protocol?: string;
  /** Endpoint with anything secret removed: http(s) URLs are reduced to scheme://host/path, no query or user info. */
  Endpoint?: string;
  /** `GetSubscriptionAttributes` → `Attributes` (RedrivePolicy, FilterPolicy, PendingConfirmation, ...). */
  Attributes?: Record<string, string>;
}

// ---------------------------------------------------------------- CloudWatch Logs and alarms

export interface LogsLogGroup extends ResourceBase<'AwsLogsLogGroup'> {
  logGroupName: string;
  creationTime?: number;
  retentionInDays?: number;
  storedBytes?: number;
  kmsKeyId?: string;
  logGroupClass?: string;
  dataProtectionStatus?: string;
  metricFilterCount?: number;
}

export interface MetricDimension {
  Name?: string;
  Value?: string;
}

export interface AlarmMetricQuery {
  Id?: string;
  Expression?: string;
  ReturnData?: boolean;
  MetricStat?: { Metric?: { Namespace?: string; MetricName?: string; Dimensions?: MetricDimension[] }; Period?: number; Stat?: string };
}

export interface CloudWatchAlarm extends ResourceBase<'AwsCloudWatchAlarm'> {
  AlarmName: string;
  AlarmArn: string;
  AlarmType: 'MetricAlarm' | 'CompositeAlarm';
  /** Free text, profiled like an environment value (redact.ts profileText): never the text itself. */
  AlarmDescription?: EnvValueProfile;
  ActionsEnabled?: boolean;
  AlarmActions?: string[];
  OKActions?: string[];
  InsufficientDataActions?: string[];
  StateValue?: string;
  // metric alarms
  Namespace?: string;
  MetricName?: string;
  Dimensions?: MetricDimension[];
  Statistic?: string;
  ExtendedStatistic?: string;
  Period?: number;
  Threshold?: number;
  ComparisonOperator?: string;
  EvaluationPeriods?: number;
  Metrics?: AlarmMetricQuery[];
  // composite alarms
  AlarmRule?: string;
}

// ---------------------------------------------------------------- IAM (global)

export interface PolicyStatement {
  Sid?: string;
  Effect?: 'Allow' | 'Deny' | string;
  Principal?: '*' | Record<string, string | string[]>;
  NotPrincipal?: '*' | Record<string, string | string[]>;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[] | boolean | number>>;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement?: PolicyStatement | PolicyStatement[];
}

export interface IamRole extends ResourceBase<'AwsIamRole'> {
  RoleName: string;
  RoleId?: string;
  Path?: string;
  Arn: string;
  CreateDate?: string;
  /** URL-decoded and parsed. */
  AssumeRolePolicyDocument?: PolicyDocument;
  RolePolicyList?: { PolicyName?: string; PolicyDocument?: PolicyDocument }[];
  AttachedManagedPolicies?: { PolicyName?: string; PolicyArn?: string }[];
  /**
   * Default-version documents of the attached managed policies. AWS-managed policies (`arn:aws:iam::aws:policy/...`)
   * appear with `PolicyArn` only and no `Document` (not fetched; judge them by ARN). A customer-managed policy whose
   * document could not be read gives `gaps.AttachedPolicyDocuments` instead of this field.
   */
  AttachedPolicyDocuments?: { PolicyArn: string; Document?: PolicyDocument }[];
  PermissionsBoundary?: { PermissionsBoundaryType?: string; PermissionsBoundaryArn?: string };
  RoleLastUsed?: { LastUsedDate?: string; Region?: string };
}

// ---------------------------------------------------------------- account-level pseudo resources

/**
 * One per account and region, ARN `arn:aws:lambda:REGION:ACCOUNT:account` style (each check documents the ARN it reports).
 * Holds region-wide settings and limits read by quota and account checks; each field may carry a gap.
 */
export interface AccountRegion extends ResourceBase<'AwsAccountRegion'> {
  /** `lambda:GetAccountSettings` → `{ AccountLimit, AccountUsage }`. */
  LambdaAccountSettings?: {
    AccountLimit?: { TotalCodeSize?: number; CodeSizeUnzipped?: number; CodeSizeZipped?: number; ConcurrentExecutions?: number; UnreservedConcurrentExecutions?: number };
    AccountUsage?: { TotalCodeSize?: number; FunctionCount?: number };
  };
  /** `apigateway:GetAccount` → `{ cloudwatchRoleArn, throttleSettings }`. */
  ApiGatewayAccount?: { cloudwatchRoleArn?: string; throttleSettings?: { burstLimit?: number; rateLimit?: number } };
  /** `dynamodb:DescribeLimits`. */
  DynamoDbLimits?: { AccountMaxReadCapacityUnits?: number; AccountMaxWriteCapacityUnits?: number; TableMaxReadCapacityUnits?: number; TableMaxWriteCapacityUnits?: number };
  /** `kinesis:DescribeLimits`. */
  KinesisLimits?: { ShardLimit?: number; OpenShardCount?: number; OnDemandStreamCount?: number; OnDemandStreamCountLimit?: number };
  /** Applied / default quota values by `serviceCode/quotaCode`, with the source used. */
  ServiceQuotas?: Record<string, { value: number; source: 'applied' | 'default' | 'service-api'; quotaName?: string }>;
  /** Region-wide metric series (only with --metrics), e.g. `ConcurrentExecutions`. */
  Metrics?: Record<string, MetricSeries>;
  /** Free-form counters gathered by collectors (e.g. `restApiCount`, `topicCount`). */
  Counts?: Record<string, number>;
  /** `application-autoscaling:DescribeScalableTargets(dynamodb)` → ResourceId + ScalableDimension. */
  DynamoDbScalableTargets?: { ResourceId?: string; ScalableDimension?: string }[];
  /** `backup:ListProtectedResources` → ResourceArn. */
  BackupProtectedResourceArns?: string[];
  /** `apigateway:GetUsagePlans` → `items`. */
  ApiGatewayUsagePlans?: { id?: string; name?: string; throttle?: { burstLimit?: number; rateLimit?: number }; apiStages?: { apiId?: string; stage?: string; throttle?: Record<string, { burstLimit?: number; rateLimit?: number }> }[] }[];
  /** REST and v2 custom domain names with their TLS security policy. */
  ApiGatewayDomainNames?: { domainName: string; securityPolicy?: string; api: 'rest' | 'v2' }[];
  /** `ec2:DescribeSubnets` → SubnetId → AvailabilityZoneId for subnets used by functions. */
  SubnetAvailabilityZones?: Record<string, string>;
}

/** One per account (region `global`), ARN `arn:aws:iam::ACCOUNT:root`. */
export interface Account extends ResourceBase<'AwsAccount'> {
  /** `iam:GetAccountSummary` → `SummaryMap`. */
  IamAccountSummary?: Record<string, number>;
  ServiceQuotas?: Record<string, { value: number; source: 'applied' | 'default' | 'service-api'; quotaName?: string }>;
}

export interface CodeDeployDeploymentGroup extends ResourceBase<'AwsCodeDeployDeploymentGroup'> {
  applicationName: string;
  deploymentGroupName: string;
  computePlatform?: string;
  deploymentConfigName?: string;
  alarmConfiguration?: { enabled?: boolean; alarms?: { name?: string }[] };
  autoRollbackConfiguration?: { enabled?: boolean; events?: string[] };
}

export interface ResourceByKind {
  AwsLambdaFunction: LambdaFunction;
  AwsLambdaEventSourceMapping: LambdaEventSourceMapping;
  AwsApiGatewayRestApi: ApiGatewayRestApi;
  AwsApiGatewayStage: ApiGatewayStage;
  AwsApiGatewayV2Api: ApiGatewayV2Api;
  AwsApiGatewayV2Stage: ApiGatewayV2Stage;
  AwsDynamoDbTable: DynamoDbTable;
  AwsKinesisStream: KinesisStream;
  AwsSnsTopic: SnsTopic;
  AwsSnsSubscription: SnsSubscription;
  AwsLogsLogGroup: LogsLogGroup;
  AwsCloudWatchAlarm: CloudWatchAlarm;
  AwsIamRole: IamRole;
  AwsAccountRegion: AccountRegion;
  AwsAccount: Account;
  AwsCodeDeployDeploymentGroup: CodeDeployDeploymentGroup;
}

export type ResourceOf<K extends Kind> = ResourceByKind[K];
export type AnyResource = ResourceByKind[Kind];
/** Fields of a resource kind that a check may declare in `uses`. */
export type FieldOf<K extends Kind> = (K extends Kind ? Exclude<keyof ResourceOf<K>, keyof ResourceBase | number | symbol> : never) | 'tags';
