// Synthetic estates for the simulated AWS. Nothing is stored: every resource is a pure function of (account, region,
// index), so an organization of any size costs the simulator no memory, and the benchmark can count exactly what a
// complete scan must find.

export interface Counts {
  functions: number;
  restApis: number;
  httpApis: number;
  tables: number;
  streams: number;
  topics: number;
  logGroups: number;
  alarms: number;
}

export interface EstateSpec {
  name: string;
  accounts: number;
  regions: readonly string[];
  /** Resources of each account, spread over its regions. */
  perAccount: Counts;
}

const SCALE = (c: Counts, f: number): Counts =>
  Object.fromEntries(Object.entries(c).map(([k, v]) => [k, Math.round(v * f)])) as unknown as Counts;

/** L's mix: 2,000 functions, 300 APIs (200 REST, 100 HTTP/WebSocket), 500 tables ... */
const L_COUNTS: Counts = { functions: 2000, restApis: 200, httpApis: 100, tables: 500, streams: 100, topics: 300, logGroups: 3000, alarms: 5000 };

export const ESTATES: Record<'S' | 'L' | 'XL', EstateSpec> = {
  S: {
    name: 'S',
    accounts: 1,
    regions: ['eu-west-1'],
    perAccount: { functions: 50, restApis: 3, httpApis: 2, tables: 6, streams: 2, topics: 5, logGroups: 70, alarms: 60 },
  },
  L: { name: 'L', accounts: 1, regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'], perAccount: L_COUNTS },
  // 500 functions and L's proportions of everything else in each account, spread over its four regions.
  XL: { name: 'XL', accounts: 100, regions: ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1'], perAccount: SCALE(L_COUNTS, 0.25) },
};

/** An estate `factor` times as large (`--size`), same shape. */
export function scaled(spec: EstateSpec, factor: number): EstateSpec {
  return factor === 1 ? spec : { ...spec, name: `${spec.name}x${factor}`, perAccount: SCALE(spec.perAccount, factor) };
}

export function accountId(index: number): string {
  return String(210000000000 + index);
}
/** Access key ids carry the account, so one simulator serves every account of an organization. */
export function accessKeyId(index: number): string {
  return `AKIASIM${accountId(index)}`;
}
export function accountIndexOfKey(key: string): number | undefined {
  const m = /^AKIASIM(\d{12})$/.exec(key);
  return m ? Number(m[1]) - 210000000000 : undefined;
}

/** `n` spread over `parts`: the first `n % parts` get one more. */
function share(n: number, parts: number, i: number): number {
  return Math.floor(n / parts) + (i < n % parts ? 1 : 0);
}

export function regionCounts(spec: EstateSpec, regionIndex: number): Counts {
  const n = spec.regions.length;
  return Object.fromEntries(Object.entries(spec.perAccount).map(([k, v]) => [k, share(v, n, regionIndex)])) as unknown as Counts;
}

/** What one account-region holds, with the derived sizes the simulator and the call plan both need. */
export interface RegionEstate {
  account: string;
  region: string;
  counts: Counts;
  /** Event source mappings: one per stream, one per fifth table (DynamoDB streams). */
  mappings: number;
  /** Subscriptions, in list order: per topic a Lambda and an SQS one, and a pending HTTPS one on every tenth topic. */
  subscriptions: number;
  confirmedSubscriptions: number;
  /** Lambda aliases: one (`live`) on every fourth function (index 0, 4, 8 ...). */
  aliases: number;
}

export function regionEstate(spec: EstateSpec, accountIndex: number, regionIndex: number): RegionEstate {
  const counts = regionCounts(spec, regionIndex);
  const pending = Math.ceil(counts.topics / 10);
  return {
    account: accountId(accountIndex),
    region: spec.regions[regionIndex]!,
    counts,
    mappings: counts.streams + Math.ceil(counts.tables / 5),
    subscriptions: counts.topics * 2 + pending,
    confirmedSubscriptions: counts.topics * 2,
    aliases: Math.ceil(counts.functions / 4),
  };
}

/** IAM of one account: Lambda execution roles (one per four functions of a region), other roles, customer policies. */
export function iamCounts(spec: EstateSpec): { execRoles: number; otherRoles: number; policies: number } {
  return { execRoles: Math.max(1, Math.ceil(spec.perAccount.functions / 4)), otherRoles: 20, policies: 10 };
}

/** Kinds and resources a complete scan finds in the estate (pseudo resources included). */
export function expectedResources(spec: EstateSpec): Record<string, number> {
  const out: Record<string, number> = {};
  const add = (k: string, n: number) => (out[k] = (out[k] ?? 0) + n);
  for (let a = 0; a < spec.accounts; a++) {
    for (let r = 0; r < spec.regions.length; r++) {
      const e = regionEstate(spec, a, r);
      const c = e.counts;
      add('AwsLambdaFunction', c.functions);
      add('AwsLambdaEventSourceMapping', e.mappings);
      add('AwsApiGatewayRestApi', c.restApis);
      add('AwsApiGatewayStage', c.restApis * 2);
      add('AwsApiGatewayV2Api', c.httpApis);
      add('AwsApiGatewayV2Stage', c.httpApis);
      add('AwsDynamoDbTable', c.tables);
      add('AwsKinesisStream', c.streams);
      add('AwsSnsTopic', c.topics);
      add('AwsSnsSubscription', e.confirmedSubscriptions);
      add('AwsLogsLogGroup', c.logGroups);
      add('AwsCloudWatchAlarm', c.alarms);
      add('AwsAccountRegion', 1);
    }
    add('AwsAccount', 1);
    // Every execution role is used by a function; the other roles do not trust Lambda and are not kept.
    add('AwsIamRole', iamCounts(spec).execRoles);
  }
  return out;
}

export function totalResources(spec: EstateSpec): number {
  return Object.values(expectedResources(spec)).reduce((a, b) => a + b, 0);
}
