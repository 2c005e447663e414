// Published per-account, per-region API rate limits (aws-integration.md §6) and the pacer that keeps a scan under them.
// Pacing each call to its limit's token rate, instead of sending freely and retrying throttled calls, keeps a scan at
// the rate limit without retry storms; the SDK's adaptive retry still handles limits spent by someone else.

export interface RateLimit {
  /** Sustained requests per second. */
  rate: number;
  /** Bucket size: requests that may go at once after a quiet period. */
  burst: number;
  /** `account`: one bucket for the whole account (IAM); default: one per account and region. */
  scope?: 'account';
}

/**
 * Limits by bucket name. Only published numbers; an operation without one is not paced. Where AWS publishes no
 * burst, one second's worth is assumed.
 */
export const RATE_LIMITS = {
  // Lambda: GetPolicy has its own 15/s; everything else in the control plane (ListFunctions, GetAccountSettings,
  // ListFunctionUrlConfigs ...) shares 15/s; GetFunction 100/s.
  'lambda:control': { rate: 15, burst: 15 },
  'lambda:GetPolicy': { rate: 15, burst: 15 },
  'lambda:GetFunction': { rate: 100, burst: 100 },
  // API Gateway (REST and v2 together): 10/s, burst 40; GetResources also 5 per 2 s.
  'apigateway:control': { rate: 10, burst: 40 },
  'apigateway:GetResources': { rate: 2.5, burst: 5 },
  'cloudwatch:DescribeAlarms': { rate: 9, burst: 9 },
  'cloudwatch:GetMetricData': { rate: 50, burst: 50 },
  'cloudwatch:ListMetrics': { rate: 25, burst: 25 },
  'logs:DescribeLogGroups': { rate: 5, burst: 5 },
  'servicequotas:ListServiceQuotas': { rate: 10, burst: 20 },
  'servicequotas:ListAWSDefaultServiceQuotas': { rate: 10, burst: 10 },
  'servicequotas:GetServiceQuota': { rate: 5, burst: 5 },
  'servicequotas:GetAWSDefaultServiceQuota': { rate: 5, burst: 5 },
  'kinesis:DescribeLimits': { rate: 1, burst: 1 },
  'kinesis:ListStreams': { rate: 5, burst: 5 },
  'kinesis:DescribeStreamSummary': { rate: 20, burst: 20 },
  'sns:ListTopics': { rate: 30, burst: 30 },
  'sns:ListSubscriptions': { rate: 30, burst: 30 },
  'dynamodb:control': { rate: 2500, burst: 2500 },
} as const satisfies Record<string, RateLimit>;

export type BucketName = keyof typeof RATE_LIMITS;

const DYNAMODB_CONTROL = new Set([
  'ListTables', 'DescribeTable', 'DescribeContinuousBackups', 'DescribeLimits', 'DescribeTimeToLive', 'ListBackups',
  'DescribeGlobalTable', 'ListGlobalTables', 'ListTagsOfResource', 'DescribeKinesisStreamingDestination',
  'DescribeContributorInsights', 'ListContributorInsights', 'DescribeExport', 'ListExports', 'DescribeImport', 'ListImports',
]);

/** The buckets a call draws from (`service` is the counter key: `lambda`, `apigateway`, `apigatewayv2` ...). */
export function bucketsFor(service: string, operation: string): readonly BucketName[] {
  switch (service) {
    case 'lambda':
      if (operation === 'GetPolicy') return ['lambda:GetPolicy'];
      if (operation === 'GetFunction') return ['lambda:GetFunction'];
      // Invoke is the data plane: not a control-plane call, and never made by the audit.
      return operation === 'Invoke' ? [] : ['lambda:control'];
    case 'apigateway':
      return operation === 'GetResources' ? ['apigateway:control', 'apigateway:GetResources'] : ['apigateway:control'];
    case 'apigatewayv2':
      return ['apigateway:control'];
    case 'dynamodb':
      return DYNAMODB_CONTROL.has(operation) ? ['dynamodb:control'] : [];
    default: {
      const name = `${service}:${operation}`;
      return name in RATE_LIMITS ? [name as BucketName] : [];
    }
  }
}

/**
 * A token bucket that hands out reservations: `reserve()` takes a token now or books the next free one and says how
 * long to wait for it, so waiters are served in arrival order without a queue.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(readonly rate: number, readonly burst: number, private readonly now: () => number = () => Date.now()) {
    this.tokens = burst;
    this.last = now();
  }
  /** Milliseconds until the reserved token is due (0: go now). */
  reserve(): number {
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.rate) * 1000;
  }
  /** Resolves when the reserved token is due (Security Hub's import pacing); `sleep` is injectable for tests. */
  async take(sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms))): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await sleep(Math.ceil(wait));
  }
  /** Whether a token is there now (what a server checks before it answers). */
  available(): boolean {
    this.refill();
    return this.tokens >= 1;
  }
  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.rate);
    this.last = t;
  }
}

export interface PacerOptions {
  /** Fraction of each published limit the pacer uses (default 1). */
  share?: number;
}

/**
 * One account's pacer: a bucket per (region, limit). Its bursts are half the published ones, so that the server's
 * bucket keeps slack for timing jitter and a scan that starts with a full burst is not throttled on its second
 * second.
 */
export class Pacer {
  private buckets = new Map<string, TokenBucket>();
  constructor(private readonly options: PacerOptions = {}) {}

  /** Waits until the call may be sent; resolves at once for calls without a published limit. */
  acquire(region: string, service: string, operation: string): Promise<void> | undefined {
    return reserveAll(this.bucketsOf(region, service, operation));
  }

  /**
   * `acquire` for one region's client: the buckets of each (service, operation) are looked up on its first call and
   * kept (each call built its bucket names and keys again).
   */
  forRegion(region: string): (service: string, operation: string) => Promise<void> | undefined {
    const known = new Map<string, Map<string, readonly TokenBucket[]>>();
    return (service, operation) => {
      let ops = known.get(service);
      if (!ops) known.set(service, (ops = new Map()));
      let buckets = ops.get(operation);
      if (!buckets) ops.set(operation, (buckets = this.bucketsOf(region, service, operation)));
      return reserveAll(buckets);
    };
  }

  private bucketsOf(region: string, service: string, operation: string): TokenBucket[] {
    return bucketsFor(service, operation).map((name) => {
      const limit: RateLimit = RATE_LIMITS[name];
      const key = limit.scope === 'account' ? name : `${region}|${name}`;
      let bucket = this.buckets.get(key);
      if (!bucket) {
        const share = this.options.share ?? 1;
        this.buckets.set(key, (bucket = new TokenBucket(limit.rate * share, Math.max(1, Math.floor((limit.burst * share) / 2)))));
      }
      return bucket;
    });
  }
}

/** A token from each bucket: undefined when all are there now, else a promise for when the last one is due. */
function reserveAll(buckets: readonly TokenBucket[]): Promise<void> | undefined {
  let wait = 0;
  for (const bucket of buckets) wait = Math.max(wait, bucket.reserve());
  return wait > 0 ? new Promise((resolve) => setTimeout(resolve, wait)) : undefined;
}
