// Collector registry. Order matters only within a stage for readability; stages are run in order.
import { apiGatewayRestCollector } from './apigateway-rest.js';
import { apiGatewayV2Collector } from './apigateway-v2.js';
import { dynamodbCollector } from './dynamodb.js';
import { kinesisCollector } from './kinesis.js';
import { snsCollector } from './sns.js';
import { lambdaCollector } from './lambda.js';
import { logsCollector } from './logs.js';
import { alarmsCollector } from './alarms.js';
import { iamCollector } from './iam.js';
import { quotasAccountCollector, quotasCollector } from './quotas.js';
import { codedeployCollector } from './codedeploy.js';
import { tagsCollector } from './tags.js';
import { subnetsCollector } from './subnets.js';
import { lambdaMetricsCollector } from './lambda-metrics.js';
import { computeOptimizerCollector } from './compute-optimizer.js';
import type { Collector } from './types.js';

export const ALL_COLLECTORS: readonly Collector[] = [
  lambdaCollector,
  logsCollector,
  alarmsCollector,
  apiGatewayRestCollector,
  apiGatewayV2Collector,
  dynamodbCollector,
  kinesisCollector,
  snsCollector,
  iamCollector,
  quotasCollector,
  quotasAccountCollector,
  codedeployCollector,
  // Stage 2: read what the collectors above found.
  tagsCollector,
  subnetsCollector,
  lambdaMetricsCollector,
  computeOptimizerCollector,
];
