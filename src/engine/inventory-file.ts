// Reading a saved inventory (--inventory): validated field by field against the shapes the checks read
// (src/model/resources.ts), one-line errors naming the JSON path. A wrong type is refused here, never evaluated:
// `Timeout: "3"` would otherwise pass `lambda.default-timeout`. Fields the model does not name (AWS adds fields) are kept.
import { readFileSync } from 'node:fs';
import { INVENTORY_SCHEMA_VERSION, KINDS, type Inventory, type Kind } from '../model/index.js';
import { errorMessage } from '../aws/errors.js';
import { UsageError } from './errors.js';

// A small validator, walked in place: the inventory is not copied (an XL estate's is hundreds of MB), nothing is
// allocated until something is wrong. Objects are loose (fields the model does not name are kept, never a reason to
// refuse); every field the model declares is typed.
type Path = (string | number)[];
interface Failure { path: Path; message: string }
type Validator = (v: unknown) => Failure | undefined;

const received = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const fail = (message: string): Failure => ({ path: [], message });
const expected = (what: string, v: unknown) => fail(`expected ${what}, received ${received(v)}`);
const at = (key: string | number, f: Failure | undefined): Failure | undefined => (f && (f.path.unshift(key), f));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const str: Validator = (v) => (typeof v === 'string' ? undefined : expected('string', v));
const nonEmpty: Validator = (v) => (typeof v === 'string' && v.length > 0 ? undefined : expected('a non-empty string', v));
const num: Validator = (v) => (typeof v === 'number' && Number.isFinite(v) ? undefined : expected('number', v));
const bool: Validator = (v) => (typeof v === 'boolean' ? undefined : expected('boolean', v));
const oneOf = (...values: readonly (string | number | boolean)[]): Validator => (v) =>
  values.includes(v as string) ? undefined : fail(`expected ${values.map((x) => JSON.stringify(x)).join(' or ')}, received ${(typeof v === 'string' && v.length <= 40) || typeof v === 'number' ? JSON.stringify(v) : received(v)}`);
const matches = (re: RegExp, what: string): Validator => (v) => (typeof v === 'string' && re.test(v) ? undefined : fail(what));
const opt = (t: Validator): Validator => (v) => (v === undefined ? undefined : t(v));
const nullable = (t: Validator): Validator => (v) => (v === undefined || v === null ? undefined : t(v));
const arr = (t: Validator): Validator => (v) => {
  if (!Array.isArray(v)) return expected('array', v);
  for (let i = 0; i < v.length; i++) {
    const f = t(v[i]);
    if (f) return at(i, f);
  }
  return undefined;
};
const list = (t: Validator) => opt(arr(t));
const rec = (t: Validator): Validator => (v) => {
  if (!isObject(v)) return expected('object', v);
  for (const k of Object.keys(v)) {
    const f = t(v[k]);
    if (f) return at(k, f);
  }
  return undefined;
};
/** Fits when one alternative fits; else the failure of the one that got furthest (a statement object with a bad field). */
const either = (...ts: Validator[]): Validator => (v) => {
  const failures: Failure[] = [];
  for (const t of ts) {
    const f = t(v);
    if (!f) return undefined;
    failures.push(f);
  }
  const deepest = failures.reduce((a, b) => (b.path.length >= a.path.length ? b : a));
  if (deepest.path.length > 0) return deepest;
  // None got inside: "expected string or array, received number".
  const wanted = failures.map((f) => /^expected (.*), received /.exec(f.message)?.[1] ?? f.message);
  return expected([...new Set(wanted)].join(' or '), v);
};
function obj(shape: Record<string, Validator>, strict = false): Validator {
  const keys = Object.keys(shape);
  return (v) => {
    if (!isObject(v)) return expected('object', v);
    for (const k of keys) {
      const f = shape[k]!(Object.hasOwn(v, k) ? v[k] : undefined);
      if (f) return at(k, f);
    }
    if (strict) {
      const unknown = Object.keys(v).filter((k) => !Object.hasOwn(shape, k));
      if (unknown.length > 0) return fail(`unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')}`);
    }
    return undefined;
  };
}
const strs = arr(str);
const strRecord = rec(str);

const gap = obj({ operation: str, code: str, message: str });
const gaps = opt(rec(gap));

const stringOrList = either(str, strs);
const principal = either(oneOf('*'), rec(stringOrList));
const scalar = either(str, num, bool);
const conditionValue = either(scalar, arr(scalar));
const statement = obj({
  Sid: opt(str), Effect: opt(str), Principal: opt(principal), NotPrincipal: opt(principal),
  Action: opt(stringOrList), NotAction: opt(stringOrList), Resource: opt(stringOrList), NotResource: opt(stringOrList),
  Condition: opt(rec(rec(conditionValue))),
});
const policyDocument = obj({ Version: opt(str), Id: opt(str), Statement: opt(either(statement, arr(statement))) });
const policyOrNull = nullable(policyDocument);

const envValueProfile = obj({ redacted: oneOf(true), length: num, entropy: num, patterns: strs, class: opt(str), value: opt(str) });
const metricSeries = obj({ Timestamps: strs, Values: arr(num), Period: num, Stat: str });
const metrics = opt(rec(metricSeries));
const quotas = opt(rec(obj({ value: num, source: oneOf('applied', 'default', 'service-api'), quotaName: opt(str) })));
const throttle = obj({ burstLimit: opt(num), rateLimit: opt(num) });

function resource(kind: Kind, shape: Record<string, Validator>): Validator {
  return obj({
    kind: (v) => (v === kind ? undefined : fail(typeof v === 'string' && (KINDS as readonly string[]).includes(v) ? `a ${v} resource is listed under ${kind}` : `expected "${kind}", received ${received(v)}`)),
    arn: nonEmpty,
    name: str,
    accountId: str,
    region: str,
    tags: strRecord,
    gaps,
    ...shape,
  });
}

const lambdaFunction = resource('AwsLambdaFunction', {
  FunctionName: str, FunctionArn: str, Runtime: opt(str), Role: str, Handler: opt(str), CodeSize: opt(num),
  Description: opt(envValueProfile), Timeout: opt(num), MemorySize: opt(num), LastModified: opt(str), Version: opt(str),
  PackageType: opt(str), Architectures: opt(strs),
  VpcConfig: opt(obj({ SubnetIds: opt(strs), SecurityGroupIds: opt(strs), VpcId: opt(str), Ipv6AllowedForDualStack: opt(bool) })),
  DeadLetterConfig: opt(obj({ TargetArn: opt(str) })),
  Environment: opt(obj({ Variables: opt(rec(envValueProfile)), Error: opt(obj({ ErrorCode: opt(str), Message: opt(str) })) })),
  TracingConfig: opt(obj({ Mode: opt(str) })),
  Layers: list(obj({ Arn: opt(str), CodeSize: opt(num) })),
  LoggingConfig: opt(obj({ LogFormat: opt(str), ApplicationLogLevel: opt(str), SystemLogLevel: opt(str), LogGroup: opt(str) })),
  KMSKeyArn: opt(str),
  EphemeralStorage: opt(obj({ Size: opt(num) })),
  SnapStart: opt(obj({ ApplyOn: opt(str), OptimizationStatus: opt(str) })),
  Policy: policyOrNull,
  Aliases: list(obj({ AliasArn: str, Name: str, FunctionVersion: opt(str), Policy: policyOrNull, gaps: opt(obj({ Policy: opt(gap) })) })),
  FunctionUrlConfigs: list(obj({
    FunctionUrl: opt(str), AuthType: opt(str), InvokeMode: opt(str),
    Cors: opt(obj({ AllowOrigins: opt(strs), AllowMethods: opt(strs), AllowCredentials: opt(bool) })),
  })),
  FunctionEventInvokeConfigs: list(obj({
    FunctionArn: opt(str), MaximumRetryAttempts: opt(num), MaximumEventAgeInSeconds: opt(num),
    DestinationConfig: opt(obj({ OnSuccess: opt(obj({ Destination: opt(str) })), OnFailure: opt(obj({ Destination: opt(str) })) })),
  })),
  ReservedConcurrentExecutions: nullable(num),
  Metrics: metrics,
  ComputeOptimizerFinding: nullable(obj({
    finding: opt(str), findingReasonCodes: opt(strs), currentMemorySize: opt(num), recommendedMemorySize: opt(num),
    numberOfInvocations: opt(num), lookbackPeriodInDays: opt(num), lastRefreshTimestamp: opt(str),
  })),
});

const eventSourceMapping = resource('AwsLambdaEventSourceMapping', {
  UUID: str, EventSourceMappingArn: opt(str), EventSourceArn: opt(str), FunctionArn: opt(str), State: opt(str),
  BatchSize: opt(num), MaximumBatchingWindowInSeconds: opt(num), StartingPosition: opt(str), MaximumRetryAttempts: opt(num),
  MaximumRecordAgeInSeconds: opt(num), BisectBatchOnFunctionError: opt(bool), ParallelizationFactor: opt(num),
  FunctionResponseTypes: opt(strs), DestinationConfig: opt(obj({ OnFailure: opt(obj({ Destination: opt(str) })) })),
  SelfManagedEventSource: opt(obj({ Endpoints: opt(rec(strs)) })), Topics: opt(strs), Queues: opt(strs),
});

const restMethod = obj({
  httpMethod: opt(str), authorizationType: opt(str), authorizerId: opt(str), apiKeyRequired: opt(bool), requestValidatorId: opt(str),
  methodIntegration: opt(obj({ type: opt(str), uri: opt(str), connectionType: opt(str) })),
});
const restApi = resource('AwsApiGatewayRestApi', {
  id: str, description: opt(envValueProfile), createdDate: opt(str), apiKeySource: opt(str),
  endpointConfiguration: opt(obj({ types: opt(strs), vpcEndpointIds: opt(strs) })),
  policy: policyOrNull, minimumCompressionSize: nullable(num), disableExecuteApiEndpoint: opt(bool),
  resources: list(obj({ id: opt(str), path: opt(str), resourceMethods: opt(rec(restMethod)) })),
  requestValidators: list(obj({ id: opt(str), name: opt(str), validateRequestBody: opt(bool), validateRequestParameters: opt(bool) })),
});
const restMethodSetting = obj({
  metricsEnabled: opt(bool), loggingLevel: opt(str), dataTraceEnabled: opt(bool), throttlingBurstLimit: opt(num),
  throttlingRateLimit: opt(num), cachingEnabled: opt(bool), cacheTtlInSeconds: opt(num), cacheDataEncrypted: opt(bool),
  requireAuthorizationForCacheControl: opt(bool),
});
const restStage = resource('AwsApiGatewayStage', {
  restApiId: str, restApiName: str, apiArn: str, endpointTypes: opt(strs), stageName: str, deploymentId: opt(str),
  clientCertificateId: opt(str), cacheClusterEnabled: opt(bool), cacheClusterSize: opt(str),
  methodSettings: opt(rec(restMethodSetting)), accessLogSettings: opt(obj({ format: opt(str), destinationArn: opt(str) })),
  tracingEnabled: opt(bool), webAclArn: opt(str), createdDate: opt(str), lastUpdatedDate: opt(str),
});

const v2Api = resource('AwsApiGatewayV2Api', {
  ApiId: str, ApiEndpoint: opt(str), ProtocolType: opt(str), RouteSelectionExpression: opt(str), DisableExecuteApiEndpoint: opt(bool),
  CreatedDate: opt(str),
  Routes: list(obj({ RouteId: opt(str), RouteKey: opt(str), AuthorizationType: opt(str), AuthorizerId: opt(str), ApiKeyRequired: opt(bool), Target: opt(str) })),
  Integrations: list(obj({
    IntegrationId: opt(str), IntegrationType: opt(str), ConnectionType: opt(str), TlsConfig: opt(obj({ ServerNameToVerify: opt(str) })),
    IntegrationUri: opt(str),
  })),
});
const v2RouteSettings = obj({
  DataTraceEnabled: opt(bool), DetailedMetricsEnabled: opt(bool), LoggingLevel: opt(str), ThrottlingBurstLimit: opt(num), ThrottlingRateLimit: opt(num),
});
const v2Stage = resource('AwsApiGatewayV2Stage', {
  ApiId: str, ApiName: str, apiArn: str, ProtocolType: opt(str), StageName: str, AutoDeploy: opt(bool), DeploymentId: opt(str),
  AccessLogSettings: opt(obj({ DestinationArn: opt(str), Format: opt(str) })), DefaultRouteSettings: opt(v2RouteSettings),
  RouteSettings: opt(rec(v2RouteSettings)), ClientCertificateId: opt(str), CreatedDate: opt(str), LastUpdatedDate: opt(str),
});

const throughput = obj({ ReadCapacityUnits: opt(num), WriteCapacityUnits: opt(num) });
const table = resource('AwsDynamoDbTable', {
  TableName: str, TableArn: opt(str), TableStatus: opt(str), CreationDateTime: opt(str), BillingModeSummary: opt(obj({ BillingMode: opt(str) })),
  ProvisionedThroughput: opt(throughput),
  GlobalSecondaryIndexes: list(obj({ IndexName: opt(str), IndexArn: opt(str), ProvisionedThroughput: opt(throughput) })),
  SSEDescription: opt(obj({ Status: opt(str), SSEType: opt(str), KMSMasterKeyArn: opt(str) })), DeletionProtectionEnabled: opt(bool),
  StreamSpecification: opt(obj({ StreamEnabled: opt(bool), StreamViewType: opt(str) })), LatestStreamArn: opt(str),
  TableClassSummary: opt(obj({ TableClass: opt(str) })), TableSizeBytes: opt(num), ItemCount: opt(num),
  ContinuousBackupsDescription: opt(obj({
    ContinuousBackupsStatus: opt(str),
    PointInTimeRecoveryDescription: opt(obj({ PointInTimeRecoveryStatus: opt(str), RecoveryPeriodInDays: opt(num) })),
  })),
  Metrics: metrics,
});

const stream = resource('AwsKinesisStream', {
  StreamName: str, StreamARN: str, StreamStatus: opt(str), StreamModeDetails: opt(obj({ StreamMode: opt(str) })),
  StreamCreationTimestamp: opt(str), RetentionPeriodHours: opt(num), EncryptionType: opt(str), KeyId: opt(str), OpenShardCount: opt(num),
  ConsumerCount: opt(num), EnhancedMonitoring: list(obj({ ShardLevelMetrics: opt(strs) })), Metrics: metrics,
});

const topic = resource('AwsSnsTopic', { TopicArn: str, Attributes: opt(strRecord), Policy: policyOrNull });
const subscription = resource('AwsSnsSubscription', {
  SubscriptionArn: str, TopicArn: opt(str), Owner: opt(str), Protocol: opt(str), Endpoint: opt(str), Attributes: opt(strRecord),
});

const logGroup = resource('AwsLogsLogGroup', {
  logGroupName: str, creationTime: opt(num), retentionInDays: opt(num), storedBytes: opt(num), kmsKeyId: opt(str),
  logGroupClass: opt(str), dataProtectionStatus: opt(str), metricFilterCount: opt(num),
});

const dimension = obj({ Name: opt(str), Value: opt(str) });
const alarm = resource('AwsCloudWatchAlarm', {
  AlarmName: str, AlarmArn: str, AlarmType: oneOf('MetricAlarm', 'CompositeAlarm'), AlarmDescription: opt(envValueProfile), ActionsEnabled: opt(bool),
  AlarmActions: opt(strs), OKActions: opt(strs), InsufficientDataActions: opt(strs), StateValue: opt(str), Namespace: opt(str),
  MetricName: opt(str), Dimensions: list(dimension), Statistic: opt(str), ExtendedStatistic: opt(str), Period: opt(num),
  Threshold: opt(num), ComparisonOperator: opt(str), EvaluationPeriods: opt(num),
  Metrics: list(obj({
    Id: opt(str), Expression: opt(str), ReturnData: opt(bool),
    MetricStat: opt(obj({ Metric: opt(obj({ Namespace: opt(str), MetricName: opt(str), Dimensions: list(dimension) })), Period: opt(num), Stat: opt(str) })),
  })),
  AlarmRule: opt(str),
});

const role = resource('AwsIamRole', {
  RoleName: str, RoleId: opt(str), Path: opt(str), Arn: str, CreateDate: opt(str), AssumeRolePolicyDocument: opt(policyDocument),
  RolePolicyList: list(obj({ PolicyName: opt(str), PolicyDocument: opt(policyDocument) })),
  AttachedManagedPolicies: list(obj({ PolicyName: opt(str), PolicyArn: opt(str) })),
  AttachedPolicyDocuments: list(obj({ PolicyArn: str, Document: opt(policyDocument) })),
  PermissionsBoundary: opt(obj({ PermissionsBoundaryType: opt(str), PermissionsBoundaryArn: opt(str) })),
  RoleLastUsed: opt(obj({ LastUsedDate: opt(str), Region: opt(str) })),
});

const accountRegion = resource('AwsAccountRegion', {
  LambdaAccountSettings: opt(obj({
    AccountLimit: opt(obj({
      TotalCodeSize: opt(num), CodeSizeUnzipped: opt(num), CodeSizeZipped: opt(num), ConcurrentExecutions: opt(num), UnreservedConcurrentExecutions: opt(num),
    })),
    AccountUsage: opt(obj({ TotalCodeSize: opt(num), FunctionCount: opt(num) })),
  })),
  ApiGatewayAccount: opt(obj({ cloudwatchRoleArn: opt(str), throttleSettings: opt(throttle) })),
  DynamoDbLimits: opt(obj({
    AccountMaxReadCapacityUnits: opt(num), AccountMaxWriteCapacityUnits: opt(num), TableMaxReadCapacityUnits: opt(num), TableMaxWriteCapacityUnits: opt(num),
  })),
  KinesisLimits: opt(obj({ ShardLimit: opt(num), OpenShardCount: opt(num), OnDemandStreamCount: opt(num), OnDemandStreamCountLimit: opt(num) })),
  ServiceQuotas: quotas,
  Metrics: metrics,
  Counts: opt(rec(num)),
  DynamoDbScalableTargets: list(obj({ ResourceId: opt(str), ScalableDimension: opt(str) })),
  BackupProtectedResourceArns: opt(strs),
  ApiGatewayUsagePlans: list(obj({
    id: opt(str), name: opt(str), throttle: opt(throttle),
    apiStages: list(obj({ apiId: opt(str), stage: opt(str), throttle: opt(rec(throttle)) })),
  })),
  ApiGatewayDomainNames: list(obj({ domainName: str, securityPolicy: opt(str), api: oneOf('rest', 'v2') })),
  SubnetAvailabilityZones: opt(strRecord),
});
const account = resource('AwsAccount', { IamAccountSummary: opt(rec(num)), ServiceQuotas: quotas });
const deploymentGroup = resource('AwsCodeDeployDeploymentGroup', {
  applicationName: str, deploymentGroupName: str, computePlatform: opt(str), deploymentConfigName: opt(str),
  alarmConfiguration: opt(obj({ enabled: opt(bool), alarms: list(obj({ name: opt(str) })) })),
  autoRollbackConfiguration: opt(obj({ enabled: opt(bool), events: opt(strs) })),
});

/** One schema per kind: a kind added to the model without a schema here does not compile. */
const RESOURCE_SCHEMAS: { [K in Kind]: Validator } = {
  AwsLambdaFunction: lambdaFunction,
  AwsLambdaEventSourceMapping: eventSourceMapping,
  AwsApiGatewayRestApi: restApi,
  AwsApiGatewayStage: restStage,
  AwsApiGatewayV2Api: v2Api,
  AwsApiGatewayV2Stage: v2Stage,
  AwsDynamoDbTable: table,
  AwsKinesisStream: stream,
  AwsSnsTopic: topic,
  AwsSnsSubscription: subscription,
  AwsLogsLogGroup: logGroup,
  AwsCloudWatchAlarm: alarm,
  AwsIamRole: role,
  AwsAccountRegion: accountRegion,
  AwsAccount: account,
  AwsCodeDeployDeploymentGroup: deploymentGroup,
};

const inventory = obj({
  schemaVersion: oneOf(INVENTORY_SCHEMA_VERSION),
  tool: obj({ name: str, version: str }),
  collectedAt: str,
  accounts: arr(obj({
    accountId: matches(/^\d{12}$/, 'account ids are 12 digits'),
    partition: str,
    name: opt(str),
    alias: opt(str),
    regions: arr(obj({
      region: nonEmpty,
      resources: obj(Object.fromEntries(KINDS.map((k) => [k, list(RESOURCE_SCHEMAS[k])])), true),
      listGaps: arr(obj({ operation: str, code: str, message: str, kind: oneOf(...KINDS), scopeArn: str, scopeName: opt(str) })),
    })),
  })),
  errors: arr(obj({ accountId: str, region: str, service: str, operation: str, code: str, message: str })),
  apiCalls: opt(rec(num)),
});

/** `accounts.0.regions.1.resources.AwsLambdaFunction.3.Timeout`, and the ARN of the resource it is in when there is one. */
function describeFailure(raw: unknown, { path, message }: Failure): string {
  const where = path.map((k) => (typeof k === 'string' && !/^[\w-]+$/.test(k) ? JSON.stringify(k) : String(k))).join('.') || '(root)';
  // A resource: accounts.N.regions.N.resources.KIND.N
  let arn: string | undefined;
  if (path.length > 6 && path[4] === 'resources') {
    const res = (raw as any)?.accounts?.[path[1]!]?.regions?.[path[3]!]?.resources?.[path[5]!]?.[path[6]!];
    if (typeof res?.arn === 'string' && /^arn:[\x21-\x7e]{1,300}$/.test(res.arn)) arn = res.arn;
  }
  return `${where}${arn ? ` (${arn})` : ''}: ${message}`;
}

/** A parsed inventory file, checked field by field (the object itself is returned, not a copy). */
export function parseInventory(raw: unknown, source = 'inventory'): Inventory {
  if (raw && typeof raw === 'object' && 'schemaVersion' in raw && (raw as { schemaVersion: unknown }).schemaVersion !== INVENTORY_SCHEMA_VERSION) {
    throw new UsageError(`${source}: schemaVersion ${String((raw as { schemaVersion: unknown }).schemaVersion)} is not supported (this version reads ${INVENTORY_SCHEMA_VERSION})`);
  }
  const failure = inventory(raw);
  if (failure) throw new UsageError(`${source}: ${describeFailure(raw, failure)}`);
  return raw as Inventory;
}

export function readInventory(path: string): Inventory {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read inventory file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`inventory file ${path} is not valid JSON: ${errorMessage(err)}`);
  }
  return parseInventory(raw, `inventory file ${path}`);
}
