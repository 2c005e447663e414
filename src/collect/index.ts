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
import { kindsOf, type Check, type Kind } from '../model/index.js';
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

/** The kinds the selected checks read: their own kind and what they need. */
export function neededKinds(checks: readonly Check[]): Set<Kind> {
  const kinds = new Set<Kind>();
  for (const c of checks) {
    for (const k of kindsOf(c)) kinds.add(k);
    for (const k of c.needs ?? []) kinds.add(k);
  }
  return kinds;
}

/**
 * The one rule for which collectors run: those producing a kind the checks need, the metric collectors only with
 * --metrics; `scope` picks the regional or the account-wide ones.
 */
export function collectorsFor(
  collectors: readonly Collector[],
  o: { kinds: ReadonlySet<Kind>; metrics: boolean; scope?: Collector['scope'] },
): Collector[] {
  return collectors.filter((c) => (!c.requiresMetrics || o.metrics) && c.kinds.some((k) => o.kinds.has(k)) && (!o.scope || c.scope === o.scope));
}
