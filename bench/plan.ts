// The minimal call plan of an estate (list pages at each API's largest page size, plus the per-resource calls the
// enabled checks need: catalogue.md §8), and the rate-limit lower bound it implies.
import { RATE_LIMITS, bucketsFor } from '../src/aws/rate-limits.js';
import { ACCOUNT_QUOTAS, REGION_QUOTAS } from '../src/collect/quotas.js';
import { collectorsFor } from '../src/collect/index.js';
import type { Collector } from '../src/collect/types.js';
import type { Kind } from '../src/model/index.js';
import { accountId, iamCounts, regionEstate, type EstateSpec } from './sim/estate.js';

/** `account|region` (or `account|global`) → `service:Operation` → calls. */
export type Plan = Map<string, Record<string, number>>;

const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));

/** The plan for the collectors that run (collectorsFor: the selection collect-account makes). */
export function minimalPlan(spec: EstateSpec, collectors: readonly Collector[], kinds: ReadonlySet<Kind>, metrics: boolean, regionMetrics = false): Plan {
  const running = new Set(collectorsFor(collectors, { kinds, metrics }).map((c) => c.name));
  const plan: Plan = new Map();
  const iam = iamCounts(spec);
  for (let a = 0; a < spec.accounts; a++) {
    for (let r = 0; r < spec.regions.length; r++) {
      const e = regionEstate(spec, a, r);
      const c = e.counts;
      const p: Record<string, number> = {};
      const add = (op: string, n: number) => (p[op] = (p[op] ?? 0) + n);
      if (running.has('lambda')) {
        add('lambda:ListFunctions', pages(c.functions, 50));
        if (kinds.has('AwsLambdaEventSourceMapping')) add('lambda:ListEventSourceMappings', pages(e.mappings, 100));
        if (kinds.has('AwsLambdaFunction')) {
          for (const op of ['GetPolicy', 'ListFunctionUrlConfigs', 'ListFunctionEventInvokeConfigs', 'GetFunctionConcurrency', 'ListAliases']) add(`lambda:${op}`, c.functions);
          // GetPolicy with Qualifier, once per alias (a grant on an alias is in the alias's own policy).
          add('lambda:GetPolicy', e.aliases);
        }
      }
      if (running.has('logs')) add('logs:DescribeLogGroups', pages(c.logGroups, 50));
      if (running.has('alarms')) add('cloudwatch:DescribeAlarms', pages(c.alarms, 100));
      if (running.has('apigateway-rest')) {
        add('apigateway:GetRestApis', pages(c.restApis, 500));
        // Per API: stages, resources (4 in this estate: one page of 500) and request validators.
        for (const op of ['GetStages', 'GetResources', 'GetRequestValidators']) add(`apigateway:${op}`, c.restApis);
        add('apigateway:GetUsagePlans', 1);
        add('apigateway:GetDomainNames', 1);
      }
      if (running.has('apigateway-v2')) {
        add('apigatewayv2:GetApis', pages(c.httpApis, 100));
        for (const op of ['GetStages', 'GetRoutes', 'GetIntegrations']) add(`apigatewayv2:${op}`, c.httpApis);
        add('apigatewayv2:GetDomainNames', 1);
      }
      if (running.has('dynamodb')) {
        add('dynamodb:ListTables', pages(c.tables, 100));
        add('dynamodb:DescribeTable', c.tables);
        add('dynamodb:DescribeContinuousBackups', c.tables);
        if (c.tables > 0) {
          add('application-autoscaling:DescribeScalableTargets', pages(2 * Math.ceil(c.tables / 6), 50));
          add('backup:ListProtectedResources', 1);
        }
      }
      if (running.has('kinesis')) {
        add('kinesis:ListStreams', pages(c.streams, 10000));
        add('kinesis:DescribeStreamSummary', c.streams);
      }
      if (running.has('sns')) {
        add('sns:ListTopics', pages(c.topics, 100));
        add('sns:GetTopicAttributes', c.topics);
        add('sns:ListSubscriptions', pages(e.subscriptions, 100));
        add('sns:GetSubscriptionAttributes', e.confirmedSubscriptions);
      }
      if (running.has('quotas')) {
        add('lambda:GetAccountSettings', 1);
        add('apigateway:GetAccount', 1);
        add('dynamodb:DescribeLimits', 1);
        add('kinesis:DescribeLimits', 1);
        add('servicequotas:GetServiceQuota', REGION_QUOTAS.length);
        // The account-region series (one call; the account- and region-level metric checks run without --metrics).
        if (metrics || regionMetrics) add('cloudwatch:GetMetricData', 1);
      }
      plan.set(`${e.account}|${e.region}`, p);
    }
    const g: Record<string, number> = {};
    if (running.has('iam')) {
      g['iam:GetAccountAuthorizationDetails'] = pages(iam.execRoles + iam.otherRoles + iam.policies, 1000);
      g['iam:ListAccountAliases'] = 1;
    }
    if (running.has('quotas-account')) {
      g['iam:GetAccountSummary'] = 1;
      g['servicequotas:GetServiceQuota'] = ACCOUNT_QUOTAS.length;
    }
    plan.set(`${accountId(a)}|global`, g);
  }
  // Finding out who the caller is.
  const first = plan.get(`${accountId(0)}|${spec.regions[0]}`)!;
  first['sts:GetCallerIdentity'] = 1;
  return plan;
}

export function planTotal(plan: Plan): number {
  let n = 0;
  for (const ops of plan.values()) for (const v of Object.values(ops)) n += v;
  return n;
}

export interface Bound {
  /** Simulated seconds. */
  seconds: number;
  scope: string;
  bucket: string;
  calls: number;
}

/**
 * The rate-limit lower bound: for each account-region and each limit, the planned calls that draw from it, less the
 * burst that may go at once, divided by its rate; the largest of these.
 */
export function lowerBound(plan: Plan): Bound {
  let best: Bound = { seconds: 0, scope: '', bucket: '', calls: 0 };
  for (const [scope, ops] of plan) {
    const perBucket: Record<string, number> = {};
    for (const [key, n] of Object.entries(ops)) {
      const [service, operation] = key.split(':') as [string, string];
      for (const b of bucketsFor(service, operation)) perBucket[b] = (perBucket[b] ?? 0) + n;
    }
    for (const [b, n] of Object.entries(perBucket)) {
      const limit = RATE_LIMITS[b as keyof typeof RATE_LIMITS];
      const seconds = Math.max(0, n - limit.burst) / limit.rate;
      if (seconds > best.seconds) best = { seconds, scope, bucket: b, calls: n };
    }
  }
  return best;
}
