// Builds resources and tiny inventories from check examples (used by the generic check test and the cross-resource check tests).
import {
  accountArn, accountRegionArn, type AccountInventory, type AnyResource, type Check, type CheckExample, type Kind, type RegionInventory, type ResourceOf, type Result,
} from '../model/index.js';
import { evaluateAccount } from './evaluate.js';

export const EXAMPLE_ACCOUNT = '111122223333';
export const EXAMPLE_REGION = 'us-east-1';
export const EXAMPLE_NOW = '2026-06-01T00:00:00Z';
export const EXAMPLE_PARTITION = 'aws';
const P = EXAMPLE_PARTITION;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge: objects merge, arrays and scalars replace. */
export function deepMerge<T>(base: T, patch: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(patch)) return (patch === undefined ? base : patch) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = isPlainObject(out[k]) && isPlainObject(v) ? deepMerge(out[k], v) : v;
  return out as T;
}

/** A minimal, neutral resource of each kind; examples patch the fields they test. */
export function defaultResource<K extends Kind>(kind: K, region = EXAMPLE_REGION, accountId = EXAMPLE_ACCOUNT, name = 'example'): ResourceOf<K> {
  const base = { kind, accountId, region, tags: {}, name };
  const r: Record<Kind, () => Record<string, unknown>> = {
    AwsLambdaFunction: () => ({
      arn: `arn:${P}:lambda:${region}:${accountId}:function:${name}`,
      FunctionName: name,
      FunctionArn: `arn:${P}:lambda:${region}:${accountId}:function:${name}`,
      Role: `arn:${P}:iam::${accountId}:role/${name}-role`,
      Runtime: 'nodejs22.x', PackageType: 'Zip', MemorySize: 1024, Timeout: 10, Architectures: ['arm64'],
    }),
    AwsLambdaEventSourceMapping: () => ({
      arn: `arn:${P}:lambda:${region}:${accountId}:event-source-mapping:${name}`,
      UUID: name, State: 'Enabled',
    }),
    AwsApiGatewayRestApi: () => ({ arn: `arn:${P}:apigateway:${region}::/restapis/${name}`, id: name }),
    AwsApiGatewayStage: () => ({
      arn: `arn:${P}:apigateway:${region}::/restapis/api1/stages/${name}`,
      restApiId: 'api1', restApiName: 'api1', apiArn: `arn:${P}:apigateway:${region}::/restapis/api1`, stageName: name,
    }),
    AwsApiGatewayV2Api: () => ({ arn: `arn:${P}:apigateway:${region}::/apis/${name}`, ApiId: name, ProtocolType: 'HTTP' }),
    AwsApiGatewayV2Stage: () => ({
      arn: `arn:${P}:apigateway:${region}::/apis/api1/stages/${name}`,
      ApiId: 'api1', ApiName: 'api1', apiArn: `arn:${P}:apigateway:${region}::/apis/api1`, ProtocolType: 'HTTP', StageName: name,
    }),
    AwsDynamoDbTable: () => ({ arn: `arn:${P}:dynamodb:${region}:${accountId}:table/${name}`, TableName: name, TableArn: `arn:${P}:dynamodb:${region}:${accountId}:table/${name}` }),
    AwsKinesisStream: () => ({ arn: `arn:${P}:kinesis:${region}:${accountId}:stream/${name}`, StreamName: name, StreamARN: `arn:${P}:kinesis:${region}:${accountId}:stream/${name}` }),
    AwsSnsTopic: () => ({ arn: `arn:${P}:sns:${region}:${accountId}:${name}`, TopicArn: `arn:${P}:sns:${region}:${accountId}:${name}` }),
    AwsSnsSubscription: () => ({
      arn: `arn:${P}:sns:${region}:${accountId}:topic:${name}`,
      SubscriptionArn: `arn:${P}:sns:${region}:${accountId}:topic:${name}`, TopicArn: `arn:${P}:sns:${region}:${accountId}:topic`,
    }),
    AwsLogsLogGroup: () => ({ arn: `arn:${P}:logs:${region}:${accountId}:log-group:${name}`, logGroupName: name }),
    AwsCloudWatchAlarm: () => ({ arn: `arn:${P}:cloudwatch:${region}:${accountId}:alarm:${name}`, AlarmName: name, AlarmArn: `arn:${P}:cloudwatch:${region}:${accountId}:alarm:${name}`, AlarmType: 'MetricAlarm' }),
    AwsIamRole: () => ({ arn: `arn:${P}:iam::${accountId}:role/${name}`, RoleName: name, Arn: `arn:${P}:iam::${accountId}:role/${name}`, region: 'global' }),
    AwsAccountRegion: () => ({ arn: accountRegionArn(P, region, accountId), name: `${accountId}/${region}` }),
    AwsAccount: () => ({ arn: accountArn(P, accountId), name: accountId, region: 'global' }),
    AwsCodeDeployDeploymentGroup: () => ({
      arn: `arn:${P}:codedeploy:${region}:${accountId}:deploymentgroup:app/${name}`, applicationName: 'app', deploymentGroupName: name,
    }),
  };
  return { ...base, ...r[kind]() } as unknown as ResourceOf<K>;
}

/** Build a resource of `kind` from a partial (deep-merged over the default). */
export function makeResource<K extends Kind>(kind: K, partial: unknown = {}): ResourceOf<K> {
  const p = (partial ?? {}) as Record<string, unknown>;
  const region = (p.region as string | undefined) ?? (kind === 'AwsIamRole' || kind === 'AwsAccount' ? 'global' : EXAMPLE_REGION);
  const name = (p.name as string | undefined) ?? 'example';
  return deepMerge(defaultResource(kind, region, (p.accountId as string | undefined) ?? EXAMPLE_ACCOUNT, name), p);
}

/** One-account inventory from loose resources (regions created as needed). */
export function accountOf(resources: AnyResource[], listGaps: { kind: Kind; region?: string }[] = [], accountId = EXAMPLE_ACCOUNT): AccountInventory {
  const regions = new Map<string, RegionInventory>();
  const regionOf = (name: string) => {
    let r = regions.get(name);
    if (!r) regions.set(name, (r = { region: name, resources: {}, listGaps: [] }));
    return r;
  };
  regionOf(EXAMPLE_REGION);
  for (const res of resources) {
    const list = ((regionOf(res.region).resources as Record<string, AnyResource[]>)[res.kind] ??= []);
    list.push(res);
  }
  for (const g of listGaps) {
    const region = g.region ?? EXAMPLE_REGION;
    regionOf(region).listGaps.push({
      kind: g.kind, scopeArn: accountRegionArn(P, region, accountId), operation: 'example:List', code: 'AccessDeniedException', message: 'example gap',
    });
  }
  return { accountId, partition: P, regions: [...regions.values()] };
}

/** Run one example; returns only the results about the example's resource (or its sub-resources). */
export function runExample(check: Check, example: CheckExample, onUndeclaredRead?: (checkId: string, what: string) => void): Result[] {
  const subject = makeResource((example.resource as { kind?: Kind }).kind ?? check.resourceKind, example.resource) as AnyResource;
  const others = (example.others ?? []).map((o) => makeResource(o.kind, o) as AnyResource);
  const account = accountOf([subject, ...others], (example.listGaps ?? []).map((kind) => ({ kind })));
  const results = evaluateAccount([check], account, {
    now: new Date(example.now ?? EXAMPLE_NOW),
    checkOptions: example.options ? { [check.id]: example.options } : undefined,
    onUndeclaredRead,
  });
  // Only neighbours of the check's own kind are evaluated by it; results a check reports under another
  // resource's ARN (account-wide checks with `resource` overrides) are about the example and stay.
  const otherArns = new Set(others.filter((o) => o.kind === check.resourceKind).map((o) => o.arn));
  return results.filter((r) => !otherArns.has(r.resourceArn) || r.resourceArn === subject.arn);
}
