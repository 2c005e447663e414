// The check registry: every file under checks/ is listed here once (test/checks.test.ts enforces it).
// Keep the list sorted by id.
import type { Check } from '../src/model/index.js';
import alarmActionsDisabled from './alarm/actions-disabled.js';
import alarmNoAlarmAction from './alarm/no-alarm-action.js';
import apigwAccessLogNotJson from './apigw/access-log-not-json.js';
import apigwDomainWeakTls from './apigw/domain-weak-tls.js';
import apigwNo5xxAlarm from './apigw/no-5xx-alarm.js';
import apigwRestCacheNotEncrypted from './apigw/rest/cache-not-encrypted.js';
import apigwRestDataTraceEnabled from './apigw/rest/data-trace-enabled.js';
import apigwRestMethodNoAuthorization from './apigw/rest/method-no-authorization.js';
import apigwRestNoAccessLogs from './apigw/rest/no-access-logs.js';
import apigwRestNoClientCertificate from './apigw/rest/no-client-certificate.js';
import apigwRestNoCompression from './apigw/rest/no-compression.js';
import apigwRestNoDefaultThrottling from './apigw/rest/no-default-throttling.js';
import apigwRestNoExecutionLogging from './apigw/rest/no-execution-logging.js';
import apigwRestNoRequestValidation from './apigw/rest/no-request-validation.js';
import apigwRestNoTracing from './apigw/rest/no-tracing.js';
import apigwRestNoWaf from './apigw/rest/no-waf.js';
import apigwV2NoAccessLogs from './apigw/v2/no-access-logs.js';
import apigwV2NoDefaultThrottling from './apigw/v2/no-default-throttling.js';
import apigwV2PrivateIntegrationNoTls from './apigw/v2/private-integration-no-tls.js';
import apigwV2RouteNoAuthorization from './apigw/v2/route-no-authorization.js';
import apigwV2WebsocketNoExecutionLogging from './apigw/v2/websocket-no-execution-logging.js';
import codedeployLambdaAllAtOnce from './codedeploy/lambda-all-at-once.js';
import dynamodbNoDeletionProtection from './dynamodb/no-deletion-protection.js';
import dynamodbNoPitr from './dynamodb/no-pitr.js';
import dynamodbNoThrottleAlarm from './dynamodb/no-throttle-alarm.js';
import dynamodbNotInBackupPlan from './dynamodb/not-in-backup-plan.js';
import dynamodbOverprovisioned from './dynamodb/overprovisioned.js';
import dynamodbProvisionedNoAutoscaling from './dynamodb/provisioned-no-autoscaling.js';
import dynamodbThrottlingObserved from './dynamodb/throttling-observed.js';
import iamExecRoleAdmin from './iam/exec-role-admin.js';
import iamExecRoleCannotLog from './iam/exec-role-cannot-log.js';
import iamExecRoleTrustTooBroad from './iam/exec-role-trust-too-broad.js';
import iamExecRoleWildcard from './iam/exec-role-wildcard.js';
import kinesisNoIteratorAgeAlarm from './kinesis/no-iterator-age-alarm.js';
import kinesisNotEncrypted from './kinesis/not-encrypted.js';
import kinesisRetentionBelowMinimum from './kinesis/retention-below-minimum.js';
import kinesisWriteThrottled from './kinesis/write-throttled.js';
import lambdaAsyncNoFailureDestination from './lambda/async-no-failure-destination.js';
import lambdaCrossAccountLayer from './lambda/cross-account-layer.js';
import lambdaDebugLogLevel from './lambda/debug-log-level.js';
import lambdaDefaultMemory from './lambda/default-memory.js';
import lambdaDefaultTimeout from './lambda/default-timeout.js';
import lambdaDeprecatedRuntime from './lambda/deprecated-runtime.js';
import lambdaEnvSecrets from './lambda/env-secrets.js';
import lambdaEsmNoFailureDestination from './lambda/esm-no-failure-destination.js';
import lambdaEsmUnboundedRetries from './lambda/esm-unbounded-retries.js';
import lambdaFunctionUrlPublic from './lambda/function-url-public.js';
import lambdaHighErrorRate from './lambda/high-error-rate.js';
import lambdaMemoryRightsizing from './lambda/memory-rightsizing.js';
import lambdaMultiplePrincipals from './lambda/multiple-principals.js';
import lambdaNoAccountConcurrencyAlarm from './lambda/no-account-concurrency-alarm.js';
import lambdaNoDlq from './lambda/no-dlq.js';
import lambdaNoErrorAlarm from './lambda/no-error-alarm.js';
import lambdaNoReservedConcurrency from './lambda/no-reserved-concurrency.js';
import lambdaNoThrottleAlarm from './lambda/no-throttle-alarm.js';
import lambdaNoTracing from './lambda/no-tracing.js';
import lambdaPublicResourcePolicy from './lambda/public-resource-policy.js';
import lambdaSharedRole from './lambda/shared-role.js';
import lambdaTimeoutOversized from './lambda/timeout-oversized.js';
import lambdaTimeouts from './lambda/timeouts.js';
import lambdaVpcSingleAz from './lambda/vpc-single-az.js';
import logsNoRetention from './logs/no-retention.js';
import logsNotKmsEncrypted from './logs/not-kms-encrypted.js';
import logsOrphanedLambdaLogGroup from './logs/orphaned-lambda-log-group.js';
import logsRetentionBelowMinimum from './logs/retention-below-minimum.js';
import quotaApigwAccountRps80 from './quota/apigw-account-rps-80.js';
import quotaApigwRestApis80 from './quota/apigw-rest-apis-80.js';
import quotaDynamodbAccountThroughput80 from './quota/dynamodb-account-throughput-80.js';
import quotaIamRoles80 from './quota/iam-roles-80.js';
import quotaKinesisShards80 from './quota/kinesis-shards-80.js';
import quotaLambdaCodeStorage80 from './quota/lambda-code-storage-80.js';
import quotaLambdaConcurrency80 from './quota/lambda-concurrency-80.js';
import quotaLambdaUnreservedLow from './quota/lambda-unreserved-low.js';
import quotaLogsLogGroups80 from './quota/logs-log-groups-80.js';
import quotaSnsTopics80 from './quota/sns-topics-80.js';
import snsHttpSubscription from './sns/http-subscription.js';
import snsLambdaSubscriptionNoFilter from './sns/lambda-subscription-no-filter.js';
import snsNoDeliveryStatusLogging from './sns/no-delivery-status-logging.js';
import snsNoFailedNotificationAlarm from './sns/no-failed-notification-alarm.js';
import snsNotKmsEncrypted from './sns/not-kms-encrypted.js';
import snsPublicPolicy from './sns/public-policy.js';
import snsSubscriptionNoRedrive from './sns/subscription-no-redrive.js';
import tagsMissing from './tags/missing.js';

export const ALL_CHECKS: readonly Check[] = [
  alarmActionsDisabled,
  alarmNoAlarmAction,
  apigwAccessLogNotJson,
  apigwDomainWeakTls,
  apigwNo5xxAlarm,
  apigwRestCacheNotEncrypted,
  apigwRestDataTraceEnabled,
  apigwRestMethodNoAuthorization,
  apigwRestNoAccessLogs,
  apigwRestNoClientCertificate,
  apigwRestNoCompression,
  apigwRestNoDefaultThrottling,
  apigwRestNoExecutionLogging,
  apigwRestNoRequestValidation,
  apigwRestNoTracing,
  apigwRestNoWaf,
  apigwV2NoAccessLogs,
  apigwV2NoDefaultThrottling,
  apigwV2PrivateIntegrationNoTls,
  apigwV2RouteNoAuthorization,
  apigwV2WebsocketNoExecutionLogging,
  codedeployLambdaAllAtOnce,
  dynamodbNoDeletionProtection,
  dynamodbNoPitr,
  dynamodbNoThrottleAlarm,
  dynamodbNotInBackupPlan,
  dynamodbOverprovisioned,
  dynamodbProvisionedNoAutoscaling,
  dynamodbThrottlingObserved,
  iamExecRoleAdmin,
  iamExecRoleCannotLog,
  iamExecRoleTrustTooBroad,
  iamExecRoleWildcard,
  kinesisNoIteratorAgeAlarm,
  kinesisNotEncrypted,
  kinesisRetentionBelowMinimum,
  kinesisWriteThrottled,
  lambdaAsyncNoFailureDestination,
  lambdaCrossAccountLayer,
  lambdaDebugLogLevel,
  lambdaDefaultMemory,
  lambdaDefaultTimeout,
  lambdaDeprecatedRuntime,
  lambdaEnvSecrets,
  lambdaEsmNoFailureDestination,
  lambdaEsmUnboundedRetries,
  lambdaFunctionUrlPublic,
  lambdaHighErrorRate,
  lambdaMemoryRightsizing,
  lambdaMultiplePrincipals,
  lambdaNoAccountConcurrencyAlarm,
  lambdaNoDlq,
  lambdaNoErrorAlarm,
  lambdaNoReservedConcurrency,
  lambdaNoThrottleAlarm,
  lambdaNoTracing,
  lambdaPublicResourcePolicy,
  lambdaSharedRole,
  lambdaTimeoutOversized,
  lambdaTimeouts,
  lambdaVpcSingleAz,
  logsNoRetention,
  logsNotKmsEncrypted,
  logsOrphanedLambdaLogGroup,
  logsRetentionBelowMinimum,
  quotaApigwAccountRps80,
  quotaApigwRestApis80,
  quotaDynamodbAccountThroughput80,
  quotaIamRoles80,
  quotaKinesisShards80,
  quotaLambdaCodeStorage80,
  quotaLambdaConcurrency80,
  quotaLambdaUnreservedLow,
  quotaLogsLogGroups80,
  quotaSnsTopics80,
  snsHttpSubscription,
  snsLambdaSubscriptionNoFilter,
  snsNoDeliveryStatusLogging,
  snsNoFailedNotificationAlarm,
  snsNotKmsEncrypted,
  snsPublicPolicy,
  snsSubscriptionNoRedrive,
  tagsMissing,
] as unknown as readonly Check[];

export function checkById(id: string): Check | undefined {
  return ALL_CHECKS.find((c) => c.id === id);
}
