// A simulated AWS below the SDK: an SDK request handler (`ClientFactory({ requestHandler })`) that parses each signed
// request as the real endpoint would, answers from a synthetic estate after a configurable latency, and enforces the
// published per-account, per-region rate limits with token buckets, answering throttling errors as each service does.
// Real clients, retries and parsing run unchanged above it. Time comes from Date.now/setTimeout, so a scaled clock
// (clock.ts) scales latency and rates together.
import { RATE_LIMITS, TokenBucket, bucketsFor, type RateLimit } from '../../src/aws/rate-limits.js';
import { accountId, accountIndexOfKey, regionEstate, type EstateSpec } from './estate.js';
import { RegionResources, iamEntities, iamSummary } from './resources.js';
import { XmlMap, ec2Answer, errorAnswer, jsonAnswer, queryAnswer, type ErrorSpec, type Protocol, type SimResponse } from './wire.js';

export interface SimOptions {
  spec: EstateSpec;
  /** Simulated latency of every call, ms (default 40). */
  latencyMs?: number;
  /** Rate limits by bucket (default: the published ones); `false`: none. */
  limits?: Record<string, RateLimit> | false;
}

interface HttpRequestLike {
  method: string;
  hostname: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

export interface ScopeStats {
  account: string;
  region: string;
  /** `service:Operation` → requests (retries included). */
  calls: Record<string, number>;
  throttled: number;
}

interface Parsed {
  protocol: Protocol;
  service: string;
  operation: string;
  input: Record<string, unknown>;
  /** REST path parameters (function name, API id ...). */
  params: string[];
}

const THROTTLE: Record<string, ErrorSpec> = {
  lambda: { status: 429, code: 'TooManyRequestsException', message: 'Rate exceeded' },
  apigateway: { status: 429, code: 'TooManyRequestsException', message: 'Too Many Requests' },
  apigatewayv2: { status: 429, code: 'TooManyRequestsException', message: 'Too Many Requests' },
  dynamodb: { status: 400, code: 'ThrottlingException', message: 'Rate of requests exceeds the allowed throughput.' },
  kinesis: { status: 400, code: 'LimitExceededException', message: 'Rate exceeded for account' },
  logs: { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' },
  cloudwatch: { status: 400, code: 'Throttling', message: 'Rate exceeded', queryCompatible: true },
  sns: { status: 400, code: 'Throttling', message: 'Rate exceeded' },
  servicequotas: { status: 400, code: 'TooManyRequestsException', message: 'Rate exceeded' },
};

const JSON_SERVICES: Record<string, { service: string; protocol: Protocol; queryCompatible?: boolean }> = {
  DynamoDB_20120810: { service: 'dynamodb', protocol: 'json1.0' },
  Kinesis_20131202: { service: 'kinesis', protocol: 'json1.1' },
  Logs_20140328: { service: 'logs', protocol: 'json1.1' },
  GraniteServiceVersion20100801: { service: 'cloudwatch', protocol: 'json1.0', queryCompatible: true },
  ServiceQuotasV20190624: { service: 'servicequotas', protocol: 'json1.1' },
  AnyScaleFrontendService: { service: 'application-autoscaling', protocol: 'json1.1' },
  ResourceGroupsTaggingAPI_20170126: { service: 'tag', protocol: 'json1.1' },
  CodeDeploy_20141006: { service: 'codedeploy', protocol: 'json1.1' },
  ComputeOptimizerService: { service: 'compute-optimizer', protocol: 'json1.0' },
  AWSOrganizationsV20161128: { service: 'organizations', protocol: 'json1.1' },
};
const QUERY_XMLNS: Record<string, string> = {
  sns: 'http://sns.amazonaws.com/doc/2010-03-31/',
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
};

/** REST-JSON routes: method, path pattern (`*` = one segment), operation. */
const REST_ROUTES: Record<string, [string, RegExp, string][]> = {
  lambda: [
    ['GET', /^\/2015-03-31\/functions\/?$/, 'ListFunctions'],
    ['GET', /^\/2015-03-31\/functions\/([^/]+)\/policy$/, 'GetPolicy'],
    ['GET', /^\/2015-03-31\/functions\/([^/]+)\/aliases\/?$/, 'ListAliases'],
    ['GET', /^\/2021-10-31\/functions\/([^/]+)\/urls$/, 'ListFunctionUrlConfigs'],
    ['GET', /^\/2019-09-25\/functions\/([^/]+)\/event-invoke-config\/list$/, 'ListFunctionEventInvokeConfigs'],
    ['GET', /^\/2019-09-30\/functions\/([^/]+)\/concurrency$/, 'GetFunctionConcurrency'],
    ['GET', /^\/2015-03-31\/event-source-mappings\/?$/, 'ListEventSourceMappings'],
    ['GET', /^\/2016-08-19\/account-settings\/?$/, 'GetAccountSettings'],
    ['GET', /^\/2015-03-31\/functions\/([^/]+)$/, 'GetFunction'],
    ['GET', /^\/2015-03-31\/functions\/([^/]+)\/configuration$/, 'GetFunctionConfiguration'],
  ],
  apigateway: [
    ['GET', /^\/restapis\/?$/, 'GetRestApis'],
    ['GET', /^\/restapis\/([^/]+)\/stages\/?$/, 'GetStages'],
    ['GET', /^\/restapis\/([^/]+)\/resources\/?$/, 'GetResources'],
    ['GET', /^\/restapis\/([^/]+)\/requestvalidators\/?$/, 'GetRequestValidators'],
    ['GET', /^\/restapis\/([^/]+)\/authorizers\/?$/, 'GetAuthorizers'],
    ['GET', /^\/usageplans\/?$/, 'GetUsagePlans'],
    ['GET', /^\/domainnames\/?$/, 'GetDomainNames'],
    ['GET', /^\/account\/?$/, 'GetAccount'],
  ],
  apigatewayv2: [
    ['GET', /^\/v2\/apis\/?$/, 'GetApis'],
    ['GET', /^\/v2\/apis\/([^/]+)\/stages\/?$/, 'GetStages'],
    ['GET', /^\/v2\/apis\/([^/]+)\/routes\/?$/, 'GetRoutes'],
    ['GET', /^\/v2\/apis\/([^/]+)\/integrations\/?$/, 'GetIntegrations'],
    ['GET', /^\/v2\/apis\/([^/]+)\/authorizers\/?$/, 'GetAuthorizers'],
    ['GET', /^\/v2\/domainnames\/?$/, 'GetDomainNames'],
  ],
  backup: [['GET', /^\/resources\/?$/, 'ListProtectedResources']],
  account: [['POST', /^\/listRegions\/?$/, 'ListRegions']],
};

const NOT_FOUND: ErrorSpec = { status: 404, code: 'ResourceNotFoundException', message: 'The resource you requested does not exist.' };

/** Thrown by a route to answer an AWS error. */
class AwsError {
  constructor(readonly spec: ErrorSpec) {}
}

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  return String(body);
}

/** Offset tokens: `o<offset>`. */
const offsetOf = (token: unknown) => (typeof token === 'string' && /^o\d+$/.test(token) ? Number(token.slice(1)) : 0);
const tokenAt = (offset: number, total: number) => (offset < total ? `o${offset}` : undefined);
const pageSize = (asked: unknown, def: number, max: number) => {
  const n = Number(asked);
  return Number.isFinite(n) && n > 0 ? Math.min(n, max) : def;
};
function page<T>(total: number, token: unknown, size: number, item: (i: number) => T): { items: T[]; next?: string } {
  const start = offsetOf(token);
  const end = Math.min(total, start + size);
  const items: T[] = [];
  for (let i = start; i < end; i++) items.push(item(i));
  return { items, next: tokenAt(end, total) };
}

export class SimulatedAws {
  readonly spec: EstateSpec;
  readonly latencyMs: number;
  private readonly limits: Record<string, RateLimit> | undefined;
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly regions = new Map<string, RegionResources>();
  private readonly scopes = new Map<string, ScopeStats>();
  /** Requests answered (retries included), throttling answers, and operations answered with an empty result. */
  requests = 0;
  throttled = 0;
  readonly unsimulated: Record<string, number> = {};
  /** Milliseconds of synchronous work in the simulator (parsing, building answers): not the tool's CPU. */
  busyMs = 0;

  constructor(options: SimOptions) {
    this.spec = options.spec;
    this.latencyMs = options.latencyMs ?? 40;
    this.limits = options.limits === false ? undefined : (options.limits ?? RATE_LIMITS);
  }

  /**
   * Changes one function of an account-region (nightly:local's --fix: a flaw fixed, a flaw added): `fields` replace
   * the function's own in every answer that carries it.
   */
  patchFunction(accountIndex: number, region: string, index: number, fields: Record<string, unknown>): void {
    this.resources(accountIndex, region).patchFunction(index, fields);
  }

  /** Per account-region (and `global` for IAM) request counts. */
  stats(): ScopeStats[] {
    return [...this.scopes.values()];
  }

  // The SDK's HttpHandler interface.
  async handle(request: HttpRequestLike, _options?: { abortSignal?: unknown }): Promise<{ response: SimResponse }> {
    const t0 = performance.now();
    const response = this.answer(request);
    this.busyMs += performance.now() - t0;
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    return { response };
  }
  updateHttpClientConfig(): void {}
  httpHandlerConfigs(): Record<string, unknown> {
    return {};
  }
  destroy(): void {}

  private answer(request: HttpRequestLike): SimResponse {
    this.requests++;
    const auth = request.headers.authorization ?? request.headers.Authorization ?? '';
    const cred = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\//.exec(auth);
    const parsed = this.parse(request);
    const accountIndex = cred ? accountIndexOfKey(cred[1]!) : undefined;
    if (accountIndex === undefined || accountIndex >= this.spec.accounts) {
      return errorAnswer(parsed.protocol, { status: 403, code: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' });
    }
    const region = cred![2]!;
    const global = parsed.service === 'iam';
    const account = accountId(accountIndex);
    const scope = this.scope(account, global ? 'global' : region);
    const key = `${parsed.service}:${parsed.operation}`;
    scope.calls[key] = (scope.calls[key] ?? 0) + 1;

    if (this.limits && !this.admit(`${account}|${global ? 'global' : region}`, parsed.service, parsed.operation)) {
      this.throttled++;
      scope.throttled++;
      return errorAnswer(parsed.protocol, THROTTLE[parsed.service] ?? { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' });
    }
    try {
      const result = this.route(parsed, accountIndex, region);
      if (result !== undefined) return result;
    } catch (err) {
      if (err instanceof AwsError) return errorAnswer(parsed.protocol, err.spec);
      throw err;
    }
    // Not simulated: an empty but well-formed answer, counted.
    this.unsimulated[key] = (this.unsimulated[key] ?? 0) + 1;
    if (parsed.protocol === 'query') return queryAnswer(parsed.operation, QUERY_XMLNS[parsed.service] ?? '', undefined);
    if (parsed.protocol === 'ec2') return ec2Answer(parsed.operation, undefined);
    return jsonAnswer(parsed.protocol, {});
  }

  private scope(account: string, region: string): ScopeStats {
    const k = `${account}|${region}`;
    let s = this.scopes.get(k);
    if (!s) this.scopes.set(k, (s = { account, region, calls: {}, throttled: 0 }));
    return s;
  }

  /** Takes a token from every bucket of the call, or none when one of them is empty. */
  private admit(scopeKey: string, service: string, operation: string): boolean {
    const names = bucketsFor(service, operation).filter((n) => this.limits![n]);
    const buckets = names.map((n) => {
      const k = `${scopeKey}|${n}`;
      let b = this.buckets.get(k);
      if (!b) {
        const l = this.limits![n]!;
        this.buckets.set(k, (b = new TokenBucket(l.rate, l.burst)));
      }
      return b;
    });
    if (buckets.some((b) => !b.available())) return false;
    for (const b of buckets) b.reserve();
    return true;
  }

  private parse(req: HttpRequestLike): Parsed {
    const host = req.hostname;
    const target = req.headers['x-amz-target'];
    if (target) {
      const [prefix, operation = ''] = target.split('.');
      const svc = JSON_SERVICES[prefix!] ?? { service: prefix!.toLowerCase(), protocol: 'json1.1' as const };
      const text = bodyText(req.body);
      return { protocol: svc.protocol, service: svc.service, operation, input: text ? (JSON.parse(text) as Record<string, unknown>) : {}, params: [] };
    }
    const label = host.split('.')[0]!;
    if (req.method === 'POST' && /x-www-form-urlencoded/.test(req.headers['content-type'] ?? '')) {
      const form = new URLSearchParams(bodyText(req.body));
      const input: Record<string, unknown> = {};
      for (const [k, v] of form) input[k] = v;
      const service = label === 'ec2' ? 'ec2' : label;
      return { protocol: label === 'ec2' ? 'ec2' : 'query', service, operation: form.get('Action') ?? '', input, params: [] };
    }
    const service = label === 'apigateway' && req.path.startsWith('/v2/') ? 'apigatewayv2' : label;
    const input: Record<string, unknown> = { ...(req.query ?? {}) };
    for (const [method, re, operation] of REST_ROUTES[service] ?? []) {
      const m = re.exec(req.path);
      if (m && method === req.method) return { protocol: 'rest-json', service, operation, input, params: m.slice(1).map((p) => decodeURIComponent(p)) };
    }
    return { protocol: 'rest-json', service, operation: `${req.method} ${req.path.replace(/\/[^/]*\d[^/]*/g, '/{id}')}`, input, params: [] };
  }

  private resources(accountIndex: number, region: string): RegionResources {
    const k = `${accountIndex}|${region}`;
    let r = this.regions.get(k);
    if (!r) {
      const ri = this.spec.regions.indexOf(region);
      // A region outside the estate exists but is empty.
      const spec = ri >= 0 ? this.spec : { ...this.spec, regions: [region], perAccount: { functions: 0, restApis: 0, httpApis: 0, tables: 0, streams: 0, topics: 0, logGroups: 0, alarms: 0 } };
      r = new RegionResources(spec, regionEstate(spec, accountIndex, Math.max(0, ri)), Math.max(0, ri));
      this.regions.set(k, r);
    }
    return r;
  }

  private route(p: Parsed, accountIndex: number, region: string): SimResponse | undefined {
    const r = this.resources(accountIndex, region);
    const c = r.e.counts;
    const q = p.input;
    const json = (v: unknown) => jsonAnswer(p.protocol, v);
    const fnIndex = () => {
      const i = r.functionIndex(p.params[0] ?? '');
      if (i < 0) throw new AwsError({ ...NOT_FOUND, message: `Function not found: ${p.params[0]}` });
      return i;
    };
    switch (`${p.service}:${p.operation}`) {
      // ---------------------------------------------------------------- Lambda
      case 'lambda:ListFunctions': {
        const { items, next } = page(c.functions, q.Marker, pageSize(q.MaxItems, 50, 50), (i) => r.function(i));
        return json({ Functions: items, ...(next ? { NextMarker: next } : {}) });
      }
      case 'lambda:GetPolicy': {
        const qualifier = typeof q.Qualifier === 'string' ? q.Qualifier : undefined;
        const i = fnIndex();
        if (qualifier !== undefined && !r.aliases(i).some((a) => a.Name === qualifier)) {
          throw new AwsError({ ...NOT_FOUND, message: `Alias not found: ${r.functionArn(i)}:${qualifier}` });
        }
        const policy = qualifier !== undefined ? r.aliasPolicy(i, qualifier) : r.functionPolicy(i);
        if (!policy) throw new AwsError({ ...NOT_FOUND, message: 'No policy is associated with the given resource.' });
        return json(policy);
      }
      case 'lambda:ListAliases': {
        const all = r.aliases(fnIndex());
        const { items, next } = page(all.length, q.Marker, pageSize(q.MaxItems, 50, 10000), (k) => all[k]!);
        return json({ Aliases: items, ...(next ? { NextMarker: next } : {}) });
      }
      case 'lambda:ListFunctionUrlConfigs':
        return json({ FunctionUrlConfigs: r.functionUrls(fnIndex()) });
      case 'lambda:ListFunctionEventInvokeConfigs':
        return json({ FunctionEventInvokeConfigs: r.eventInvokeConfigs(fnIndex()) });
      case 'lambda:GetFunctionConcurrency':
        return json(r.concurrency(fnIndex()));
      case 'lambda:ListEventSourceMappings': {
        const { items, next } = page(r.e.mappings, q.Marker, pageSize(q.MaxItems, 100, 100), (k) => r.mapping(k));
        return json({ EventSourceMappings: items, ...(next ? { NextMarker: next } : {}) });
      }
      case 'lambda:GetAccountSettings':
        return json(r.accountSettings());
      // ---------------------------------------------------------------- API Gateway REST
      case 'apigateway:GetRestApis': {
        const { items, next } = page(c.restApis, q.position, pageSize(q.limit, 25, 500), (i) => r.restApi(i));
        return json({ item: items, ...(next ? { position: next } : {}) });
      }
      case 'apigateway:GetStages':
        return json({ item: r.restStages(this.restIndex(r, p.params[0])) });
      case 'apigateway:GetResources': {
        const all = r.restResources(this.restIndex(r, p.params[0]));
        const { items, next } = page(all.length, q.position, pageSize(q.limit, 25, 500), (i) => all[i]);
        return json({ item: items, ...(next ? { position: next } : {}) });
      }
      case 'apigateway:GetRequestValidators':
        return json({ item: r.requestValidators(this.restIndex(r, p.params[0])) });
      case 'apigateway:GetUsagePlans':
        return json({ item: r.usagePlans() });
      case 'apigateway:GetDomainNames':
        return json({ item: r.restDomainNames() });
      case 'apigateway:GetAccount':
        return json(r.apiGatewayAccount());
      // ---------------------------------------------------------------- API Gateway v2
      case 'apigatewayv2:GetApis': {
        const { items, next } = page(c.httpApis, q.nextToken, pageSize(q.maxResults, 100, 100), (i) => r.httpApi(i));
        return json({ items, ...(next ? { nextToken: next } : {}) });
      }
      case 'apigatewayv2:GetStages':
        return json({ items: r.httpStages(this.httpIndex(r, p.params[0])) });
      case 'apigatewayv2:GetRoutes':
        return json({ items: r.httpRoutes(this.httpIndex(r, p.params[0])) });
      case 'apigatewayv2:GetIntegrations':
        return json({ items: r.httpIntegrations(this.httpIndex(r, p.params[0])) });
      case 'apigatewayv2:GetDomainNames':
        return json({ items: r.httpDomainNames() });
      // ---------------------------------------------------------------- DynamoDB, Auto Scaling, Backup
      case 'dynamodb:ListTables': {
        // Names sort as AWS sorts them; the simulator's names are table-<i>, so the start name maps back to an index.
        const after = typeof q.ExclusiveStartTableName === 'string' ? Number(/^table-(\d+)$/.exec(q.ExclusiveStartTableName)?.[1] ?? -1) + 1 : 0;
        const size = pageSize(q.Limit, 100, 100);
        const end = Math.min(c.tables, after + size);
        const names: string[] = [];
        for (let i = after; i < end; i++) names.push(`table-${i}`);
        return json({ TableNames: names, ...(end < c.tables ? { LastEvaluatedTableName: names.at(-1) } : {}) });
      }
      case 'dynamodb:DescribeTable':
        return json({ Table: r.table(this.tableIndex(r, q.TableName)) });
      case 'dynamodb:DescribeContinuousBackups':
        return json(r.continuousBackups(this.tableIndex(r, q.TableName)));
      case 'dynamodb:DescribeLimits':
        return json(r.dynamoDbLimits());
      case 'application-autoscaling:DescribeScalableTargets': {
        const all = q.ServiceNamespace === 'dynamodb' ? r.scalableTargets() : [];
        const { items, next } = page(all.length, q.NextToken, pageSize(q.MaxResults, 50, 50), (i) => all[i]);
        return json({ ScalableTargets: items, ...(next ? { NextToken: next } : {}) });
      }
      case 'backup:ListProtectedResources': {
        const all = r.protectedResources();
        const { items, next } = page(all.length, q.nextToken, pageSize(q.maxResults, 1000, 1000), (i) => all[i]);
        return json({ Results: items, ...(next ? { NextToken: next } : {}) });
      }
      // ---------------------------------------------------------------- Kinesis
      case 'kinesis:ListStreams': {
        const start = q.NextToken ? offsetOf(q.NextToken) : typeof q.ExclusiveStartStreamName === 'string' ? Number(/^stream-(\d+)$/.exec(q.ExclusiveStartStreamName)?.[1] ?? -1) + 1 : 0;
        const size = pageSize(q.Limit, 100, 10000);
        const { items, next } = page(c.streams, `o${start}`, size, (i) => r.streamSummary(i));
        return json({ StreamNames: items.map((s) => s.StreamName), HasMoreStreams: next !== undefined, ...(next ? { NextToken: next } : {}), StreamSummaries: items });
      }
      case 'kinesis:DescribeStreamSummary': {
        const name = typeof q.StreamARN === 'string' ? q.StreamARN.split('/').at(-1) : q.StreamName;
        const i = Number(/^stream-(\d+)$/.exec(String(name))?.[1] ?? -1);
        if (i < 0 || i >= c.streams) throw new AwsError({ status: 400, code: 'ResourceNotFoundException', message: `Stream ${String(name)} not found` });
        return json(r.streamDescription(i));
      }
      case 'kinesis:DescribeLimits':
        return json(r.kinesisLimits());
      // ---------------------------------------------------------------- CloudWatch Logs, alarms
      case 'logs:DescribeLogGroups': {
        const { items, next } = page(c.logGroups, q.nextToken, pageSize(q.limit, 50, 50), (i) => r.logGroup(i));
        return json({ logGroups: items, ...(next ? { nextToken: next } : {}) });
      }
      case 'cloudwatch:DescribeAlarms': {
        const { items, next } = page(c.alarms, q.NextToken, pageSize(q.MaxRecords, 50, 100), (k) => k);
        const types = Array.isArray(q.AlarmTypes) ? (q.AlarmTypes as string[]) : ['MetricAlarm'];
        return json({
          MetricAlarms: types.includes('MetricAlarm') ? items.filter((k) => !r.isCompositeAlarm(k)).map((k) => r.alarm(k)) : [],
          CompositeAlarms: types.includes('CompositeAlarm') ? items.filter((k) => r.isCompositeAlarm(k)).map((k) => r.alarm(k)) : [],
          ...(next ? { NextToken: next } : {}),
        });
      }
      case 'cloudwatch:GetMetricData': {
        // Every query answered Complete with one data point an hour before EndTime (the scanner's account-region series:
        // peak concurrency, API request counts). Timestamps in the JSON protocol are epoch seconds.
        const queries = Array.isArray(q.MetricDataQueries) ? (q.MetricDataQueries as { Id?: string }[]) : [];
        const end = typeof q.EndTime === 'number' ? q.EndTime : Date.parse(String(q.EndTime)) / 1000;
        return json({
          MetricDataResults: queries.map((m) => ({ Id: m.Id, Label: m.Id, Timestamps: [end - 3600], Values: [1], StatusCode: 'Complete' })),
          Messages: [],
        });
      }
      // ---------------------------------------------------------------- SNS
      case 'sns:ListTopics': {
        const { items, next } = page(c.topics, q.NextToken, 100, (i) => ({ TopicArn: r.topicArn(i) }));
        return queryAnswer('ListTopics', QUERY_XMLNS.sns!, { Topics: items, NextToken: next });
      }
      case 'sns:GetTopicAttributes': {
        const i = r.topicIndex(String(q.TopicArn));
        if (i < 0) throw new AwsError({ status: 404, code: 'NotFound', message: 'Topic does not exist' });
        return queryAnswer('GetTopicAttributes', QUERY_XMLNS.sns!, { Attributes: new XmlMap(r.topicAttributes(i)) });
      }
      case 'sns:ListSubscriptions': {
        const { items, next } = page(r.e.subscriptions, q.NextToken, 100, (k) => r.subscription(k));
        return queryAnswer('ListSubscriptions', QUERY_XMLNS.sns!, { Subscriptions: items, NextToken: next });
      }
      case 'sns:GetSubscriptionAttributes': {
        const attrs = r.subscriptionAttributes(String(q.SubscriptionArn));
        if (!attrs) throw new AwsError({ status: 404, code: 'NotFound', message: 'Subscription does not exist' });
        return queryAnswer('GetSubscriptionAttributes', QUERY_XMLNS.sns!, { Attributes: new XmlMap(attrs) });
      }
      // ---------------------------------------------------------------- Account: the estate's regions are the enabled ones
      case 'account:ListRegions':
        return json({ Regions: this.spec.regions.map((RegionName) => ({ RegionName, RegionOptStatus: 'ENABLED_BY_DEFAULT' })) });
      // ---------------------------------------------------------------- IAM, STS
      case 'iam:GetAccountAuthorizationDetails': {
        const filters = Object.entries(q).filter(([k]) => k.startsWith('Filter.member.')).map(([, v]) => String(v));
        const { roles, policies } = iamEntities(this.spec, r.e.account);
        const want = (f: string) => filters.length === 0 || filters.includes(f);
        const all: ['role' | 'policy', unknown][] = [
          ...(want('Role') ? roles.map((x) => ['role', x] as ['role', unknown]) : []),
          ...(want('LocalManagedPolicy') ? policies.map((x) => ['policy', x] as ['policy', unknown]) : []),
        ];
        const { items, next } = page(all.length, q.Marker, pageSize(q.MaxItems, 100, 1000), (i) => all[i]!);
        return queryAnswer('GetAccountAuthorizationDetails', QUERY_XMLNS.iam!, {
          UserDetailList: [], GroupDetailList: [],
          RoleDetailList: items.filter(([t]) => t === 'role').map(([, x]) => x),
          Policies: items.filter(([t]) => t === 'policy').map(([, x]) => x),
          IsTruncated: next !== undefined, Marker: next,
        });
      }
      case 'iam:ListAccountAliases':
        return queryAnswer('ListAccountAliases', QUERY_XMLNS.iam!, { AccountAliases: [`estate-${r.e.account}`], IsTruncated: false });
      case 'iam:GetAccountSummary':
        return queryAnswer('GetAccountSummary', QUERY_XMLNS.iam!, { SummaryMap: new XmlMap(iamSummary(this.spec)) });
      case 'sts:GetCallerIdentity':
        return queryAnswer('GetCallerIdentity', QUERY_XMLNS.sts!, { Arn: `arn:aws:iam::${r.e.account}:user/bench`, UserId: 'AIDASIMULATED', Account: r.e.account });
      // ---------------------------------------------------------------- Service Quotas
      case 'servicequotas:GetServiceQuota':
      case 'servicequotas:GetAWSDefaultServiceQuota':
        return json(r.serviceQuota(String(q.ServiceCode), String(q.QuotaCode)));
      default:
        return undefined;
    }
  }

  private restIndex(r: RegionResources, id: string | undefined): number {
    const i = id && /^r[0-9a-z]{9}$/.test(id) ? parseInt(id.slice(1), 36) : -1;
    if (i < 0 || i >= r.e.counts.restApis) throw new AwsError({ status: 404, code: 'NotFoundException', message: 'Invalid API identifier specified' });
    return i;
  }
  private httpIndex(r: RegionResources, id: string | undefined): number {
    const i = id && /^h[0-9a-z]{9}$/.test(id) ? parseInt(id.slice(1), 36) : -1;
    if (i < 0 || i >= r.e.counts.httpApis) throw new AwsError({ status: 404, code: 'NotFoundException', message: 'Invalid API identifier specified' });
    return i;
  }
  private tableIndex(r: RegionResources, name: unknown): number {
    const i = Number(/^table-(\d+)$/.exec(String(name))?.[1] ?? -1);
    if (i < 0 || i >= r.e.counts.tables) throw new AwsError({ status: 400, code: 'ResourceNotFoundException', message: `Requested resource not found: Table: ${String(name)} not found` });
    return i;
  }
}
