// The AWS client factory: credentials, region, endpoint, adaptive retry, timeouts, the per-region circuit breaker
// (breaker.ts), API-call counting and the read-only guard.
// Every audit call goes through a client made here.
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { proxyAgents } from './proxy.js';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { BREAKER_THRESHOLD, RegionBreaker, breakerScope, nameUnreachable } from './breaker.js';
import { CallJournal, DeadlineReached, callKey, isRecordableError } from './journal.js';
import { Pacer, type PacerOptions } from './rate-limits.js';

/** Operation-name prefixes that only read: `isReadOperation` classifies by name (the sinks' tests use it too). */
export const READ_PREFIXES = ['List', 'Get', 'Describe', 'BatchGet'] as const;
/** Reads that return secret values: refused for audit clients all the same. */
export const SECRET_READS = new Set([
  'GetApiKeys', 'GetApiKey', 'GetSecretValue', 'BatchGetSecretValue', 'GetParameter', 'GetParameters', 'GetParametersByPath',
  'GetParameterHistory', 'GetSessionToken', 'GetFederationToken', 'GetCredentialsForIdentity', 'GetPasswordData',
  // Data-plane reads: an auditor of configuration never reads table items, stream records or objects.
  'GetItem', 'BatchGetItem', 'GetRecords', 'GetShardIterator', 'GetObject', 'GetLogEvents',
]);
/** `Get...Token`, `Get...Credentials`: reads that mint or return credentials (ECR, Redshift, SSO, Cognito ...). */
const CREDENTIAL_READ = /^(Get|BatchGet)\w*(Token|Credentials|CredentialsWithIAM|SecretValue)$/;

export function isReadOperation(operation: string): boolean {
  if (SECRET_READS.has(operation) || CREDENTIAL_READ.test(operation)) return false;
  return READ_PREFIXES.some((p) => operation.startsWith(p));
}

/**
 * The read-only guard's allowlist: the only operations an audit client sends, by service key — what the collectors
 * call, plus scope resolution (`--regions all`), the caller's identity, organization discovery (`--org`) and the
 * Security Hub controls lookup (`--skip-cspm-overlap` off). Anything else, a read or not, is refused before it is sent
 * (FilterLogEvents, StartQuery: log contents and billed queries). test/hardening/read-only.test.ts derives the list
 * from the calls a whole scan and those engine paths make, both ways: nothing here that no code calls.
 */
export const AUDIT_OPERATIONS: Readonly<Record<string, readonly string[]>> = {
  account: ['ListRegions'],
  apigateway: ['GetAccount', 'GetDomainNames', 'GetRequestValidators', 'GetResources', 'GetRestApis', 'GetStages', 'GetUsagePlans'],
  apigatewayv2: ['GetApis', 'GetDomainNames', 'GetIntegrations', 'GetRoutes', 'GetStages'],
  'application-autoscaling': ['DescribeScalableTargets'],
  backup: ['ListProtectedResources'],
  cloudwatch: ['DescribeAlarms', 'GetMetricData'],
  codedeploy: ['BatchGetDeploymentGroups', 'ListApplications', 'ListDeploymentGroups'],
  'compute-optimizer': ['GetLambdaFunctionRecommendations'],
  dynamodb: ['DescribeContinuousBackups', 'DescribeLimits', 'DescribeTable', 'ListTables'],
  ec2: ['DescribeRegions', 'DescribeSubnets'],
  iam: ['GetAccountAuthorizationDetails', 'GetAccountSummary', 'ListAccountAliases'],
  kinesis: ['DescribeLimits', 'DescribeStreamSummary', 'ListStreams'],
  lambda: ['GetAccountSettings', 'GetFunctionConcurrency', 'GetPolicy', 'ListAliases', 'ListEventSourceMappings', 'ListFunctionEventInvokeConfigs', 'ListFunctionUrlConfigs', 'ListFunctions'],
  logs: ['DescribeLogGroups'],
  organizations: ['ListAccounts', 'ListAccountsForParent', 'ListOrganizationalUnitsForParent'],
  securityhub: ['DescribeStandardsControls', 'GetEnabledStandards'],
  servicequotas: ['GetAWSDefaultServiceQuota', 'GetServiceQuota'],
  sns: ['GetSubscriptionAttributes', 'GetTopicAttributes', 'ListSubscriptions', 'ListTopics'],
  sts: ['GetCallerIdentity'],
  tag: ['GetResources'],
};
const AUDIT_ALLOWED = new Set(Object.entries(AUDIT_OPERATIONS).flatMap(([service, ops]) => ops.map((op) => `${service}:${op}`)));

/** Whether an audit (read-only) client may send `operation` to `service`: on the allowlist, and a read by name. */
export function isAuditOperation(service: string, operation: string): boolean {
  return AUDIT_ALLOWED.has(`${service}:${operation}`) && isReadOperation(operation);
}

export class ReadOnlyViolation extends Error {
  override name = 'ReadOnlyViolation';
  constructor(readonly service: string, readonly operation: string) {
    super(`refused ${service}:${operation}: audit clients are read-only and send only the reads the audit makes`);
  }
}

/** serviceId (SDK) → the short service key used in `service:Operation` counters. */
const SERVICE_KEYS: Record<string, string> = {
  Lambda: 'lambda', 'API Gateway': 'apigateway', ApiGatewayV2: 'apigatewayv2', DynamoDB: 'dynamodb', Kinesis: 'kinesis',
  SNS: 'sns', 'CloudWatch Logs': 'logs', CloudWatch: 'cloudwatch', IAM: 'iam', STS: 'sts', 'Service Quotas': 'servicequotas',
  Organizations: 'organizations', SecurityHub: 'securityhub', Account: 'account', EC2: 'ec2',
  'Resource Groups Tagging API': 'tag', 'Application Auto Scaling': 'application-autoscaling', Backup: 'backup',
  CodeDeploy: 'codedeploy', 'Compute Optimizer': 'compute-optimizer', SSM: 'ssm', 'Secrets Manager': 'secretsmanager', SFN: 'states',
};
export function serviceKey(serviceId: string): string {
  return SERVICE_KEYS[serviceId] ?? serviceId.toLowerCase().replace(/\s+/g, '');
}

/** Counts API calls by `service:Operation`, plus attempts and throttling responses. */
export class ApiCallCounter {
  readonly calls: Record<string, number> = {};
  attempts = 0;
  throttled = 0;
  /** Optional observer (progress display, benchmark). */
  onCall?: (key: string) => void;
  record(key: string): void {
    this.calls[key] = (this.calls[key] ?? 0) + 1;
    this.onCall?.(key);
  }
  total(): number {
    return Object.values(this.calls).reduce((a, b) => a + b, 0);
  }
  merge(other: ApiCallCounter): void {
    for (const [k, v] of Object.entries(other.calls)) this.calls[k] = (this.calls[k] ?? 0) + v;
    this.attempts += other.attempts;
    this.throttled += other.throttled;
  }
}

export type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

export interface ClientFactoryOptions {
  credentials?: Credentials;
  /** Named profile (used for credentials and default region when `credentials` is not given). */
  profile?: string;
  /** Explicit endpoint for every client (`--endpoint-url`); otherwise the SDK honours AWS_ENDPOINT_URL[_SERVICE]. */
  endpoint?: string;
  maxAttempts?: number;
  retryMode?: 'standard' | 'adaptive';
  /** Audit clients: true (default). Sinks' own clients pass false. */
  readOnly?: boolean;
  counter?: ApiCallCounter;
  /** Injected request handler (benchmark's simulated AWS, tests). */
  requestHandler?: unknown;
  /**
   * Pace calls to the published per-account, per-region rate limits (rate-limits.ts), one pacer per factory, so one
   * per account. Default on; `false` leaves throttling to the SDK's retries alone.
   */
  pacing?: boolean | PacerOptions;
  /**
   * Milliseconds to wait for a connection, and for an answer, before the attempt fails with TimeoutError (and is
   * retried). Without them the SDK waits forever: one unreachable region would hang the whole run.
   */
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  /**
   * The checkpoint of a scan step (journal.ts): calls it has answered are answered from it, the others are recorded
   * in it. Lambda scan steps only.
   */
  journal?: CallJournal;
  /** Once aborted (the step's deadline), no call starts and calls in flight are cancelled (DeadlineReached). */
  signal?: AbortSignal;
  /**
   * The per-region circuit breaker (breaker.ts): after this many consecutive timed-out or refused attempts, or calls
   * still throttled after their retries, the rest of the region fails at once with RegionSkipped. A number is the
   * threshold; `false` turns it off. Default: on (BREAKER_THRESHOLD) for read-only factories, off for writing ones.
   */
  breaker?: boolean | number;
  /**
   * Told of every AWS call as it ends (`--debug`): service, operation, region, outcome, duration. Never the call's
   * parameters or answer, which may hold secrets.
   */
  onCall?: (call: CallRecord) => void;
}

/** One finished AWS call, as `--debug` logs it. */
export interface CallRecord {
  service: string;
  operation: string;
  region: string;
  /** HTTP status of the last attempt when known (200, 400, 503), else 0 (no answer: timeout, refused, skipped). */
  status: number;
  /** The error code when it failed (ThrottlingException, TimeoutError, RegionSkipped, ...). */
  error?: string;
  durationMs: number;
  attempts: number;
}

/**
 * Clients whose SDK default handler is HTTP/2 (NodeHttp2Handler), given the HTTP/1.1 handler of every other client.
 * Kinesis needs HTTP/2 only for SubscribeToShard, which the scanner never calls; against an `http://` endpoint
 * (LocalStack, moto: HTTP/1.1 servers) the HTTP/2 handler speaks cleartext HTTP/2 and every call fails with
 * ERR_HTTP2_ERROR. The options object alone would be handed to NodeHttp2Handler, hence a handler instance.
 */
export const HTTP1_CLIENTS = new Set(['KinesisClient']);

export const DEFAULT_CONNECTION_TIMEOUT_MS = 5_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** The SDK's default logger logs nothing either, but having `info` makes the SDK build each call's log entry. */
const QUIET_LOGGER = { debug() {}, warn() {}, error() {} };

// Minimal structural type of an SDK v3 client, enough to build and instrument any of them.
interface SdkClient {
  config: { serviceId?: string };
  middlewareStack: {
    add(mw: unknown, opts: { step: string; name?: string; priority?: string; override?: boolean }): void;
    addRelativeTo?(mw: unknown, opts: unknown): void;
  };
  destroy(): void;
}
export type ClientCtor<C> = new (config: Record<string, unknown>) => C;

/** A client's key: its class and region (a factory caches one client per key). */
export const clientKey = (Ctor: { name: string }, region: string): string => `${Ctor.name}|${region}`;

export class ClientFactory {
  readonly counter: ApiCallCounter;
  /** Rate-limit buckets of this factory's account (undefined with `pacing: false`). */
  readonly pacer?: Pacer;
  /** The circuit breaker of this factory's account, by region (undefined when off). */
  readonly breaker?: RegionBreaker;
  private cache = new Map<string, unknown>();
  /** The proxy agents of this factory's clients (shared, so they share sockets), made on first use. */
  private proxy?: { agents: ReturnType<typeof proxyAgents> };
  private proxyAgents(): ReturnType<typeof proxyAgents> {
    this.proxy ??= { agents: this.options.requestHandler ? undefined : proxyAgents() };
    return this.proxy.agents;
  }
  constructor(readonly options: ClientFactoryOptions = {}) {
    this.counter = options.counter ?? new ApiCallCounter();
    if (options.pacing !== false) this.pacer = new Pacer(typeof options.pacing === 'object' ? options.pacing : {});
    const breaker = options.breaker ?? options.readOnly !== false;
    if (breaker !== false) this.breaker = new RegionBreaker(typeof breaker === 'number' ? breaker : BREAKER_THRESHOLD);
  }

  /**
   * Per cached client: how many hold it (`hold`), or `pinned` once it was handed out by `get` — a client whose users
   * are not counted is never released.
   */
  private holds = new Map<string, number | 'pinned'>();

  /** A client of `Ctor` for `region`, cached per (client class, region); kept until the factory is destroyed. */
  get<C>(Ctor: ClientCtor<C>, region: string): C {
    const key = clientKey(Ctor, region);
    this.holds.set(key, 'pinned');
    return this.cached(Ctor, region, key);
  }

  /**
   * The same client as `get`, held until `release`: it goes when the last holder releases it, unless `get` handed it
   * out too. Several accounts may share a factory (explicit targets without one of their own): each holds.
   */
  hold<C>(Ctor: ClientCtor<C>, region: string): C {
    const key = clientKey(Ctor, region);
    const n = this.holds.get(key);
    if (n !== 'pinned') this.holds.set(key, (n ?? 0) + 1);
    return this.cached(Ctor, region, key);
  }

  private cached<C>(Ctor: ClientCtor<C>, region: string, key: string): C {
    let client = this.cache.get(key) as C | undefined;
    if (!client) {
      client = this.create(Ctor, region);
      this.cache.set(key, client);
    }
    return client;
  }

  create<C>(Ctor: ClientCtor<C>, region: string): C {
    const o = this.options;
    // Adaptive retry with more attempts than the SDK default, unless the standard settings (AWS_MAX_ATTEMPTS,
    // AWS_RETRY_MODE, or the profile's max_attempts / retry_mode) say otherwise.
    // cacheMiddleware: the middleware stack is resolved once per command class instead of on every call (about half
    // of the SDK's CPU per call); nothing here changes a stack after its first request. A logger without `info`
    // skips the SDK's per-call redaction of input and output for a log line that the default no-op logger drops.
    const config: Record<string, unknown> = { region, cacheMiddleware: true, logger: QUIET_LOGGER };
    const maxAttempts = o.maxAttempts ?? (process.env.AWS_MAX_ATTEMPTS ? undefined : 8);
    const retryMode = o.retryMode ?? (process.env.AWS_RETRY_MODE ? undefined : 'adaptive');
    if (maxAttempts !== undefined) config.maxAttempts = maxAttempts;
    if (retryMode !== undefined) config.retryMode = retryMode;
    if (o.credentials) config.credentials = o.credentials;
    else if (o.profile) config.profile = o.profile;
    if (o.endpoint) config.endpoint = o.endpoint;
    // An options object: each client builds its own NodeHttpHandler from it.
    const handlerOptions = {
      connectionTimeout: o.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
      requestTimeout: o.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
      // HTTPS_PROXY / HTTP_PROXY / NO_PROXY (proxy.ts): the SDK reads none of them itself.
      ...this.proxyAgents(),
    };
    config.requestHandler = o.requestHandler ?? (HTTP1_CLIENTS.has(Ctor.name) ? NodeHttpHandler.create(handlerOptions) : handlerOptions);
    if (Ctor.name === 'DynamoDBClient' && (o.endpoint || process.env.AWS_ENDPOINT_URL || process.env.AWS_ENDPOINT_URL_DYNAMODB)) {
      config.accountIdEndpointMode = 'disabled';
    }
    const client = new Ctor(config) as C;
    instrument(client as unknown as SdkClient, this.counter, o.readOnly ?? true, this.pacer?.forRegion(region), {
      region, journal: o.journal, signal: o.signal, breaker: this.breaker, onCall: o.onCall,
    });
    return client;
  }

  /**
   * One holder of the client of `Ctor` for `region` lets it go (`hold`). With none left (and never handed out by
   * `get`) it leaves the cache — a later hold or get makes a new one — and its sockets are closed with it, unless its
   * handler is not its own (an injected one, or the proxy agents this factory's clients share, closed by destroy).
   */
  release<C>(Ctor: ClientCtor<C>, region: string): void {
    const key = clientKey(Ctor, region);
    const n = this.holds.get(key);
    if (n === 'pinned' || n === undefined) return;
    if (n > 1) {
      this.holds.set(key, n - 1);
      return;
    }
    this.holds.delete(key);
    const client = this.cache.get(key) as SdkClient | undefined;
    if (!client) return;
    this.cache.delete(key);
    if (!this.options.requestHandler && !this.proxy?.agents) client.destroy();
  }

  destroy(): void {
    // An injected request handler may be shared with other factories (organization members): its owner destroys it.
    if (!this.options.requestHandler) {
      for (const c of this.cache.values()) (c as SdkClient).destroy();
      // The proxy agents the clients shared (released clients left them open for the others).
      this.proxy?.agents?.httpAgent.destroy();
      this.proxy?.agents?.httpsAgent.destroy();
    }
    this.cache.clear();
    this.holds.clear();
  }
}

/** The operation a command calls: from its schema (survives minification), else its class name. */
export function operationName(cmd: object): string {
  const schema = (cmd as { schema?: unknown }).schema;
  if (Array.isArray(schema) && typeof schema[2] === 'string') return schema[2];
  return cmd.constructor.name.replace(/Command$/, '');
}

/**
 * Counting, the read-only guard and the breaker's fail-fast wrap `send` (so they also hold under aws-sdk-client-mock,
 * which stubs the prototype's send); attempts and throttling answers are counted by a middleware inside the retry loop,
 * where `pace` (the rate-limit pacer) holds each attempt, retries included, until its limit allows it, and where the
 * breaker sees each timed-out attempt and stops the retries of a region it has skipped.
 * Exported so sinks can instrument their own (writing) clients.
 */
export function instrument(
  client: SdkClient,
  counter: ApiCallCounter,
  readOnly: boolean,
  pace?: (service: string, operation: string) => Promise<void> | undefined,
  checkpoint: { region?: string; journal?: CallJournal; signal?: AbortSignal; breaker?: RegionBreaker; onCall?: (call: CallRecord) => void } = {},
): void {
  const service = serviceKey(client.config.serviceId ?? 'unknown');
  const target = client as unknown as { send: (cmd: object, ...rest: unknown[]) => Promise<unknown> };
  const { journal, signal, breaker } = checkpoint;
  // Where the breaker counts this client's calls, and how an unreachable endpoint is named (`lambda.eu-west-1`).
  const scope = breakerScope(service, checkpoint.region ?? 'unknown');
  const endpoint = scope.startsWith('global:') ? `${service} (global)` : `${service}.${scope}`;
  // Per operation, once per client: whether the guard lets it through, and its counter key.
  const operations = new Map<string, { allowed: boolean; key: string }>();
  // Per command name (the attempt middleware's context), the operation the pacer is asked about.
  const paced = new Map<string, string>();
  target.send = function send(cmd: object, ...rest: unknown[]) {
    const operation = operationName(cmd);
    let op = operations.get(operation);
    if (!op) operations.set(operation, (op = { allowed: !readOnly || isAuditOperation(service, operation), key: `${service}:${operation}` }));
    if (!op.allowed) return Promise.reject(new ReadOnlyViolation(service, operation));
    if (signal?.aborted) return Promise.reject(new DeadlineReached());
    const key = journal ? callKey(service, checkpoint.region ?? '', operation, (cmd as { input?: unknown }).input ?? {}) : undefined;
    if (key !== undefined) {
      const hit = journal!.replay(key);
      if (hit) return 'error' in hit ? Promise.reject(hit.error) : Promise.resolve(hit.output);
    }
    // A region the breaker skipped: the call fails here, without going to the network.
    const skipped = breaker?.open(scope);
    if (skipped) return Promise.reject(skipped);
    counter.record(op.key);
    // Looked up at call time, so a stub installed after the client was made still applies.
    const protoSend = (Object.getPrototypeOf(client) as { send: (...a: unknown[]) => Promise<unknown> }).send;
    if (signal && (rest.length === 0 || (rest[0] && typeof rest[0] === 'object' && typeof rest[0] !== 'function'))) {
      rest = [{ ...(rest[0] as object | undefined), abortSignal: signal }, ...rest.slice(1)];
    }
    const started = checkpoint.onCall ? performance.now() : 0;
    const log = checkpoint.onCall && ((meta: { httpStatusCode?: number; attempts?: number } | undefined, error?: string) =>
      checkpoint.onCall!({ service, operation, region: checkpoint.region ?? '', status: meta?.httpStatusCode ?? 0, ...(error ? { error } : {}), durationMs: Math.round(performance.now() - started), attempts: meta?.attempts ?? 1 }));
    const sent = protoSend.call(client, cmd, ...rest);
    // A stub (aws-sdk-client-mock) may answer with a plain value.
    return Promise.resolve(sent).then(
      (out) => {
        breaker?.success(scope);
        if (key !== undefined) journal!.record(key, out);
        log?.((out as { $metadata?: { httpStatusCode?: number; attempts?: number } } | undefined)?.$metadata);
        return out;
      },
      (err: unknown) => {
        log?.((err as { $metadata?: { httpStatusCode?: number; attempts?: number } })?.$metadata, (err as { name?: string })?.name ?? 'Error');
        if (signal?.aborted && !isRecordableError(err)) throw new DeadlineReached();
        if (key !== undefined) journal!.recordError(key, err);
        nameUnreachable(err, endpoint);
        throw breaker ? breaker.record(scope, endpoint, err, true) : err;
      },
    );
  };
  const operationOf = (context: { commandName?: string }): string => {
    const name = context.commandName ?? '';
    let operation = paced.get(name);
    if (operation === undefined) paced.set(name, (operation = name.replace(/Command$/, '')));
    return operation;
  };
  // A call waits for its rate limit in the SDK's first step, before the request is serialized, signed and held: a
  // call queued behind a limit for seconds is then its input, not a signed request that outlives the young
  // generation (the old generation's collector paid for every one). Retries wait after signing (below).
  if (pace) {
    client.middlewareStack.add(
      // Not an async function: a call that need not wait (most) goes on without a promise of this step's own.
      // A throw in the steps below still reaches the caller as a rejection: the SDK's send makes it one
      // (test/rate-limits.test.ts).
      (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => {
        const wait = pace(service, operationOf(context));
        if (!wait) return next(args);
        return (signal ? untilAborted(wait, signal) : wait).then(() => next(args));
      },
      { step: 'initialize', name: 'lensAuditPace', priority: 'high', override: true },
    );
  }
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => {
      const succeeded = (out: unknown) => {
        breaker?.success(scope);
        return out;
      };
      const failed = (err: unknown) => {
        const code = (err as { Code?: string })?.Code ?? (err as { name?: string })?.name ?? '';
        if (/Throttl|TooManyRequests|RequestLimitExceeded|RateExceeded|SlowDown/i.test(code)) counter.throttled++;
        // Each timed-out or refused attempt counts; throttling only once the retries are spent (in send, above).
        nameUnreachable(err, endpoint);
        throw breaker ? breaker.record(scope, endpoint, err, false) : err;
      };
      const attempt = (args: unknown): Promise<unknown> => {
        // Tripped while this call waited or retried: its next attempt does not go out either (RegionSkipped is a
        // client error, which the SDK does not retry).
        const skipped = breaker?.open(scope);
        if (skipped) return Promise.reject(skipped);
        counter.attempts++;
        let sent: Promise<unknown>;
        try {
          sent = next(args);
        } catch (err) {
          return Promise.reject(err).catch(failed);
        }
        return Promise.resolve(sent).then(succeeded, failed);
      };
      // Not an async function (one promise less per attempt): a retry waits for its limit here, inside the retry
      // loop, after signing — a wait of a few seconds is far inside the signature's validity. The first attempt
      // waited in the initialize step (above).
      return (args: unknown) => {
        const wait = pace && isRetry(args) ? pace(service, operationOf(context)) : undefined;
        if (!wait) return attempt(args);
        return (signal ? untilAborted(wait, signal) : wait).then(() => attempt(args));
      };
    },
    { step: 'deserialize', name: 'lensAuditAttempts', priority: 'high', override: true },
  );
}

/**
 * Whether an attempt is a retry: the SDK's retry middleware numbers each attempt in its `amz-sdk-request` header
 * (`attempt=2; max=8`). The handler context cannot tell: with `cacheMiddleware` one context serves every call of a
 * command class.
 */
function isRetry(args: unknown): boolean {
  const header = (args as { request?: { headers?: Record<string, string> } })?.request?.headers?.['amz-sdk-request'];
  return header !== undefined && !header.startsWith('attempt=1;');
}

/** `wait`, or DeadlineReached as soon as `signal` aborts (a call queued behind a rate limit does not hold the step). */
function untilAborted(wait: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(new DeadlineReached());
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new DeadlineReached());
    signal.addEventListener('abort', onAbort, { once: true });
    wait.then(
      () => (signal.removeEventListener('abort', onAbort), resolve()),
      (err: unknown) => (signal.removeEventListener('abort', onAbort), reject(err)),
    );
  });
}
