import {
  GetFunctionConcurrencyCommand, GetPolicyCommand, LambdaClient, LambdaServiceException, ListEventSourceMappingsCommand,
  ListAliasesCommand, ListFunctionEventInvokeConfigsCommand, ListFunctionsCommand, ListFunctionUrlConfigsCommand, ResourceNotFoundException,
  type FunctionConfiguration,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { lambdaCollector, unqualifiedFunctionArn } from '../../src/collect/lambda.js';
import type { LambdaEventSourceMapping, LambdaFunction } from '../../src/model/index.js';
import { makeContext } from './harness.js';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const arnOf = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
const FAKE_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const FAKE_PASSWORD = 'Tr0ub4dor&3-horse';

// FunctionConfiguration as the SDK returns it for ListFunctions (LastModified is a string in this API).
const ordersApi: FunctionConfiguration = {
  FunctionName: 'orders-api',
  FunctionArn: arnOf('orders-api'),
  Runtime: 'nodejs22.x',
  Role: `arn:aws:iam::${ACCOUNT}:role/service-role/orders-api-role`,
  Handler: 'index.handler',
  CodeSize: 5123,
  Description: 'Orders API',
  Timeout: 10,
  MemorySize: 1024,
  LastModified: '2025-03-14T09:26:53.000+0000',
  CodeSha256: 'n2pMwo5vY6LFzqV1bvwGRwN9mN2rTtJvFa7Q0d3ZdWg=',
  Version: '$LATEST',
  VpcConfig: { SubnetIds: ['subnet-0a1b2c3d', 'subnet-1a2b3c4d'], SecurityGroupIds: ['sg-0123456789abcdef0'], VpcId: 'vpc-0abc', Ipv6AllowedForDualStack: false },
  DeadLetterConfig: { TargetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:orders-dlq` },
  Environment: { Variables: { LOG_LEVEL: 'DEBUG', UPSTREAM_KEY_ID: FAKE_KEY_ID, DB_PASSWORD: FAKE_PASSWORD, TABLE_NAME: 'orders' } },
  TracingConfig: { Mode: 'Active' },
  RevisionId: '4d3a8e2f-1c6b-4b8e-9a57-3f2c1d0e9b8a',
  Layers: [{ Arn: 'arn:aws:lambda:us-east-1:017000801446:layer:AWSLambdaPowertoolsTypeScriptV2:12', CodeSize: 1048576 }],
  State: 'Active',
  LastUpdateStatus: 'Successful',
  PackageType: 'Zip',
  Architectures: ['arm64'],
  EphemeralStorage: { Size: 512 },
  SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
  LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'WARN', LogGroup: '/aws/lambda/orders-api' },
};

const thumbnailer: FunctionConfiguration = {
  FunctionName: 'thumbnailer',
  FunctionArn: arnOf('thumbnailer'),
  Role: `arn:aws:iam::${ACCOUNT}:role/thumbnailer-role`,
  CodeSize: 0,
  Description: '',
  Timeout: 3,
  MemorySize: 128,
  LastModified: '2024-11-02T17:01:12.000+0000',
  CodeSha256: 'b1946ac92492d2347c6235b4d2611184b1946ac92492d2347c6=',
  Version: '$LATEST',
  TracingConfig: { Mode: 'PassThrough' },
  RevisionId: '0e5c2b4a-7f1d-4c3e-8b9a-1d2e3f4a5b6c',
  PackageType: 'Image',
  Architectures: ['x86_64'],
  EphemeralStorage: { Size: 512 },
  LoggingConfig: { LogFormat: 'Text', LogGroup: '/aws/lambda/thumbnailer' },
};

const ordersPolicy = {
  Version: '2012-10-17',
  Id: 'default',
  Statement: [{
    Sid: 'sns-invoke',
    Effect: 'Allow',
    Principal: { Service: 'sns.amazonaws.com' },
    Action: 'lambda:InvokeFunction',
    Resource: arnOf('orders-api'),
    Condition: { ArnLike: { 'AWS:SourceArn': `arn:aws:sns:${REGION}:${ACCOUNT}:orders` } },
  }],
};

const lambda = mockClient(LambdaClient);

function denied(operation: string) {
  return new LambdaServiceException({
    name: 'AccessDeniedException',
    $fault: 'client',
    $metadata: { httpStatusCode: 403 },
    message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/auditor/session is not authorized to perform: lambda:${operation} because no identity-based policy allows the lambda:${operation} action`,
  });
}

function notFound(name: string) {
  return new ResourceNotFoundException({
    $metadata: { httpStatusCode: 404 },
    Type: 'User',
    message: `The resource you requested does not exist. (Service: Lambda, Status Code: 404) ${name}`,
  });
}

/** The standard answers: two ListFunctions pages, one ESM page, per-function answers by FunctionName. */
function mockStandard() {
  lambda.on(ListFunctionsCommand).callsFake((input: { Marker?: string }) => {
    if (input.Marker === undefined) return { Functions: [ordersApi], NextMarker: 'YXJuOmF3czpsYW1iZGE6dXMtZWFzdC0xOjEyMzQ1Njc4OTAxMjpmdW5jdGlvbjpvcmRlcnMtYXBp' };
    if (input.Marker === 'YXJuOmF3czpsYW1iZGE6dXMtZWFzdC0xOjEyMzQ1Njc4OTAxMjpmdW5jdGlvbjpvcmRlcnMtYXBp') return { Functions: [thumbnailer] };
    throw new Error(`unexpected Marker ${input.Marker}`);
  });
  lambda.on(ListEventSourceMappingsCommand).resolves({
    EventSourceMappings: [
      {
        UUID: 'a1b2c3d4-5678-90ab-cdef-11111EXAMPLE',
        StartingPosition: 'LATEST',
        BatchSize: 100,
        MaximumBatchingWindowInSeconds: 0,
        ParallelizationFactor: 1,
        EventSourceArn: `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/orders`,
        FunctionArn: arnOf('orders-api'),
        LastModified: new Date('2025-01-20T10:00:00Z'),
        LastProcessingResult: 'OK',
        State: 'Enabled',
        StateTransitionReason: 'User action',
        DestinationConfig: { OnFailure: {} },
        MaximumRecordAgeInSeconds: -1,
        BisectBatchOnFunctionError: false,
        MaximumRetryAttempts: -1,
        TumblingWindowInSeconds: 0,
        FunctionResponseTypes: [],
        EventSourceMappingArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:event-source-mapping:a1b2c3d4-5678-90ab-cdef-11111EXAMPLE`,
      },
      {
        // Older responses carry no EventSourceMappingArn.
        UUID: 'b2c3d4e5-6789-01ab-cdef-22222EXAMPLE',
        BatchSize: 10,
        EventSourceArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:thumbs`,
        FunctionArn: arnOf('thumbnailer'),
        LastModified: new Date('2024-12-01T08:30:00Z'),
        State: 'Enabled',
        StateTransitionReason: 'USER_INITIATED',
      },
    ],
  });
  lambda.on(GetPolicyCommand).callsFake((input: { FunctionName?: string }) => {
    if (input.FunctionName === 'orders-api') return { Policy: JSON.stringify(ordersPolicy), RevisionId: ordersApi.RevisionId };
    throw notFound(input.FunctionName ?? '');
  });
  lambda.on(ListFunctionUrlConfigsCommand).callsFake((input: { FunctionName?: string }) => ({
    FunctionUrlConfigs: input.FunctionName === 'orders-api'
      ? [{
        FunctionUrl: 'https://abcdefghijklmnopqrstuvwxyz123456.lambda-url.us-east-1.on.aws/',
        FunctionArn: arnOf('orders-api'),
        CreationTime: '2025-02-01T12:00:00.000000Z',
        LastModifiedTime: '2025-02-01T12:00:00.000000Z',
        Cors: { AllowOrigins: ['*'], AllowMethods: ['GET'], AllowCredentials: false },
        AuthType: 'NONE',
        InvokeMode: 'BUFFERED',
      }]
      : [],
  }));
  lambda.on(ListFunctionEventInvokeConfigsCommand).callsFake((input: { FunctionName?: string }) => ({
    FunctionEventInvokeConfigs: input.FunctionName === 'orders-api'
      ? [{
        LastModified: new Date('2025-02-02T00:00:00Z'),
        FunctionArn: `${arnOf('orders-api')}:$LATEST`,
        MaximumRetryAttempts: 1,
        MaximumEventAgeInSeconds: 3600,
        DestinationConfig: { OnSuccess: {}, OnFailure: { Destination: `arn:aws:sqs:${REGION}:${ACCOUNT}:orders-failures` } },
      }]
      : [],
  }));
  lambda.on(GetFunctionConcurrencyCommand).callsFake((input: { FunctionName?: string }) =>
    input.FunctionName === 'orders-api' ? { ReservedConcurrentExecutions: 50 } : {});
  // No aliases unless a test adds them (as ListAliases answers a function without aliases).
  lambda.on(ListAliasesCommand).resolves({ Aliases: [] });
}

// ListAliases as AWS answers it: AliasConfiguration items (AliasArn, Name, FunctionVersion, Description, RevisionId,
// RoutingConfig for weighted aliases), paged with NextMarker.
const alias = (fn: string, name: string, version: string) => ({
  AliasArn: `${arnOf(fn)}:${name}`, Name: name, FunctionVersion: version, Description: '', RevisionId: `rev-${name}`,
});
// A grant made with `aws lambda add-permission --function-name orders-api --qualifier live --principal 444455556666`:
// GetPolicy without Qualifier never returns it.
const livePolicy = {
  Version: '2012-10-17', Id: 'default',
  Statement: [{ Sid: 'partner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'lambda:InvokeFunction', Resource: `${arnOf('orders-api')}:live` }],
};

function functionsOf(t: ReturnType<typeof makeContext>): LambdaFunction[] {
  return (t.region.resources.AwsLambdaFunction ?? []) as LambdaFunction[];
}
const byName = (fns: LambdaFunction[], name: string) => fns.find((f) => f.FunctionName === name)!;

beforeEach(() => {
  lambda.reset();
});

describe('lambda collector', () => {
  it('declares the operations it calls and no GetAccountSettings', () => {
    expect(lambdaCollector.operations).toEqual(expect.arrayContaining([
      'lambda:ListFunctions', 'lambda:ListEventSourceMappings', 'lambda:GetPolicy', 'lambda:ListFunctionUrlConfigs',
      'lambda:ListFunctionEventInvokeConfigs', 'lambda:GetFunctionConcurrency',
    ]));
    expect(lambdaCollector.operations).not.toContain('lambda:GetAccountSettings');
  });

  it('collects every function across ListFunctions pages with all returned fields and the per-function calls', async () => {
    mockStandard();
    const t = makeContext({ region: REGION, accountId: ACCOUNT });
    await lambdaCollector.collect(t.ctx);

    const fns = functionsOf(t);
    expect(fns.map((f) => f.FunctionName).sort()).toEqual(['orders-api', 'thumbnailer']);
    const orders = byName(fns, 'orders-api');
    expect(orders).toMatchObject({
      kind: 'AwsLambdaFunction', arn: arnOf('orders-api'), name: 'orders-api', accountId: ACCOUNT, region: REGION,
      Role: ordersApi.Role, Runtime: 'nodejs22.x', PackageType: 'Zip', MemorySize: 1024, Timeout: 10,
      TracingConfig: { Mode: 'Active' }, DeadLetterConfig: ordersApi.DeadLetterConfig, VpcConfig: ordersApi.VpcConfig,
      Layers: ordersApi.Layers, LoggingConfig: ordersApi.LoggingConfig, Architectures: ['arm64'],
      LastModified: '2025-03-14T09:26:53.000+0000', RevisionId: ordersApi.RevisionId, State: 'Active',
    });
    expect(orders.Policy).toEqual(ordersPolicy);
    expect(orders.FunctionUrlConfigs).toEqual([expect.objectContaining({ AuthType: 'NONE', Cors: { AllowOrigins: ['*'], AllowMethods: ['GET'], AllowCredentials: false } })]);
    expect(orders.FunctionEventInvokeConfigs).toEqual([expect.objectContaining({
      LastModified: '2025-02-02T00:00:00.000Z',
      MaximumRetryAttempts: 1,
      DestinationConfig: { OnSuccess: {}, OnFailure: { Destination: `arn:aws:sqs:${REGION}:${ACCOUNT}:orders-failures` } },
    })]);
    expect(orders.ReservedConcurrentExecutions).toBe(50);
    expect(orders.gaps).toBeUndefined();

    const thumbs = byName(fns, 'thumbnailer');
    expect(thumbs).toMatchObject({ PackageType: 'Image', MemorySize: 128, Timeout: 3, TracingConfig: { Mode: 'PassThrough' } });
    // GetPolicy ResourceNotFoundException = no policy; no reserved concurrency = null.
    expect(thumbs.Policy).toBeNull();
    expect(thumbs.ReservedConcurrentExecutions).toBeNull();
    expect(thumbs.FunctionUrlConfigs).toEqual([]);
    expect(thumbs.FunctionEventInvokeConfigs).toEqual([]);
    expect(thumbs.gaps).toBeUndefined();

    expect(t.factory.counter.calls).toEqual({
      'lambda:ListFunctions': 2,
      'lambda:ListEventSourceMappings': 1,
      'lambda:GetPolicy': 2,
      'lambda:ListFunctionUrlConfigs': 2,
      'lambda:ListFunctionEventInvokeConfigs': 2,
      'lambda:GetFunctionConcurrency': 2,
      'lambda:ListAliases': 2,
    });
    expect(orders.Aliases).toEqual([]);
    expect(t.errors).toEqual([]);
    expect(t.region.listGaps).toEqual([]);
    // The inventory must survive a JSON round trip unchanged (no Dates, no class instances).
    expect(JSON.parse(JSON.stringify(t.inventory))).toEqual(t.inventory);
  });

  it('collects event source mappings with their ARN (or a built one when AWS returns none)', async () => {
    mockStandard();
    const t = makeContext({ region: REGION, accountId: ACCOUNT });
    await lambdaCollector.collect(t.ctx);
    const esms = (t.region.resources.AwsLambdaEventSourceMapping ?? []) as LambdaEventSourceMapping[];
    expect(esms).toHaveLength(2);
    expect(esms[0]).toMatchObject({
      kind: 'AwsLambdaEventSourceMapping',
      arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:event-source-mapping:a1b2c3d4-5678-90ab-cdef-11111EXAMPLE`,
      UUID: 'a1b2c3d4-5678-90ab-cdef-11111EXAMPLE',
      MaximumRetryAttempts: -1, MaximumRecordAgeInSeconds: -1, BisectBatchOnFunctionError: false,
      DestinationConfig: { OnFailure: {} },
      LastModified: '2025-01-20T10:00:00.000Z',
    });
    expect(esms[1]!.arn).toBe(`arn:aws:lambda:${REGION}:${ACCOUNT}:event-source-mapping:b2c3d4e5-6789-01ab-cdef-22222EXAMPLE`);
    expect(esms[1]!.EventSourceMappingArn).toBeUndefined();
  });

  it('never stores environment values, only their profiles (log levels excepted)', async () => {
    mockStandard();
    const t = makeContext({ region: REGION, accountId: ACCOUNT });
    await lambdaCollector.collect(t.ctx);
    const json = JSON.stringify({ inventory: t.inventory, errors: t.errors });
    expect(json).not.toContain(FAKE_KEY_ID);
    expect(json).not.toContain(FAKE_PASSWORD);
    expect(json).not.toContain('Tr0ub4dor');

    const vars = byName(functionsOf(t), 'orders-api').Environment!.Variables!;
    expect(Object.keys(vars).sort()).toEqual(['DB_PASSWORD', 'LOG_LEVEL', 'TABLE_NAME', 'UPSTREAM_KEY_ID']);
    expect(vars.UPSTREAM_KEY_ID).toMatchObject({ redacted: true, length: 20, patterns: ['aws-access-key-id'] });
    expect(vars.UPSTREAM_KEY_ID).not.toHaveProperty('value');
    expect(vars.DB_PASSWORD).toMatchObject({ redacted: true, length: FAKE_PASSWORD.length });
    expect(vars.DB_PASSWORD).not.toHaveProperty('value');
    expect(vars.TABLE_NAME).not.toHaveProperty('value');
    expect(vars.LOG_LEVEL).toMatchObject({ redacted: true, value: 'DEBUG' });
  });

  it('keeps Environment.Error when the variables could not be decrypted', async () => {
    lambda.on(ListFunctionsCommand).resolves({
      Functions: [{
        ...thumbnailer,
        Environment: { Error: { ErrorCode: 'AccessDeniedException', Message: 'Lambda was unable to decrypt the environment variables because KMS access was denied.' } },
      }],
    });
    lambda.on(ListEventSourceMappingsCommand).resolves({ EventSourceMappings: [] });
    const t = makeContext({ region: REGION, accountId: ACCOUNT, kinds: ['AwsLambdaEventSourceMapping'] });
    await lambdaCollector.collect(t.ctx);
    expect(functionsOf(t)[0]!.Environment).toEqual({
      Error: { ErrorCode: 'AccessDeniedException', Message: 'Lambda was unable to decrypt the environment variables because KMS access was denied.' },
    });
  });

  it('collects aliases over pages and each alias policy with GetPolicy Qualifier (none = null, denied = gap on that alias)', async () => {
    mockStandard();
    lambda.on(ListAliasesCommand, { FunctionName: 'orders-api' }).resolves({ Aliases: [alias('orders-api', 'live', '7'), alias('orders-api', 'canary', '8')], NextMarker: 'm2' });
    lambda.on(ListAliasesCommand, { FunctionName: 'orders-api', Marker: 'm2' }).resolves({ Aliases: [alias('orders-api', 'staging', '8')] });
    lambda.on(GetPolicyCommand).callsFake((input: { FunctionName?: string; Qualifier?: string }) => {
      if (input.FunctionName !== 'orders-api') throw notFound(input.FunctionName ?? '');
      if (input.Qualifier === undefined) return { Policy: JSON.stringify(ordersPolicy), RevisionId: 'r0' };
      if (input.Qualifier === 'live') return { Policy: JSON.stringify(livePolicy), RevisionId: 'r1' };
      if (input.Qualifier === 'staging') throw denied('GetPolicy');
      throw notFound(`${input.FunctionName}:${input.Qualifier}`);
    });
    const t = makeContext({ region: REGION, accountId: ACCOUNT });
    await lambdaCollector.collect(t.ctx);

    const orders = byName(functionsOf(t), 'orders-api');
    expect(orders.Policy).toEqual(ordersPolicy);
    expect(orders.Aliases).toEqual([
      { AliasArn: `${arnOf('orders-api')}:live`, Name: 'live', FunctionVersion: '7', Policy: livePolicy },
      { AliasArn: `${arnOf('orders-api')}:canary`, Name: 'canary', FunctionVersion: '8', Policy: null },
      {
        AliasArn: `${arnOf('orders-api')}:staging`, Name: 'staging', FunctionVersion: '8',
        gaps: { Policy: { operation: 'lambda:GetPolicy', code: 'AccessDeniedException', message: expect.stringContaining('not authorized') } },
      },
    ]);
    // The function itself keeps no gap: one alias's policy failed, not the function's.
    expect(orders.gaps).toBeUndefined();
    const qualifiers = lambda.commandCalls(GetPolicyCommand).map((c) => `${c.args[0].input.FunctionName}:${c.args[0].input.Qualifier ?? ''}`).sort();
    expect(qualifiers).toEqual(['orders-api:', 'orders-api:canary', 'orders-api:live', 'orders-api:staging', 'thumbnailer:']);
    expect(t.factory.counter.calls).toMatchObject({ 'lambda:ListAliases': 3, 'lambda:GetPolicy': 5 });
  });

  it('ListAliases denied: a gap Aliases on that function, its other fields intact', async () => {
    mockStandard();
    lambda.on(ListAliasesCommand, { FunctionName: 'orders-api' }).rejects(denied('ListAliases'));
    const t = makeContext({ region: REGION, accountId: ACCOUNT });
    await lambdaCollector.collect(t.ctx);
    const orders = byName(functionsOf(t), 'orders-api');
    expect(orders.gaps).toEqual({ Aliases: { operation: 'lambda:ListAliases', code: 'AccessDeniedException', message: expect.stringContaining('not authorized') } });
    expect(orders).not.toHaveProperty('Aliases');
    expect(orders.Policy).toEqual(ordersPolicy);
    expect(byName(functionsOf(t), 'thumbnailer').Aliases).toEqual([]);
  });

  it('turns AccessDenied on one per-function call into a gap on that function only', async () => {
    mockStandard();
    lambda.on(GetPolicyCommand).callsFake((input: { FunctionName?: string }) => {
      if (input.FunctionName === 'orders-api') throw denied('GetPolicy');
      throw notFound(input.FunctionName ?? '');
    });
    const t = makeContext({ region: REGION, accountId: ACCOUNT });
    await lambdaCollector.collect(t.ctx);

    const orders = byName(functionsOf(t), 'orders-api');
    expect(orders.gaps).toEqual({
      Policy: { operation: 'lambda:GetPolicy', code: 'AccessDeniedException', message: expect.stringContaining('not authorized') },
    });
    // No default in place of the failed call.
    expect(orders).not.toHaveProperty('Policy');
    // The other calls of the same function went on.
    expect(orders.ReservedConcurrentExecutions).toBe(50);
    expect(orders.FunctionUrlConfigs).toHaveLength(1);
    expect(orders.FunctionEventInvokeConfigs).toHaveLength(1);
    // The other function is untouched.
    const thumbs = byName(functionsOf(t), 'thumbnailer');
    expect(thumbs.gaps).toBeUndefined();
    expect(thumbs.Policy).toBeNull();
    // A field gap is not a list gap.
    expect(t.region.listGaps).toEqual([]);
  });

  it('records a list gap and an error when ListFunctions is denied, and makes no per-function calls', async () => {
    mockStandard();
    lambda.on(ListFunctionsCommand).rejects(denied('ListFunctions'));
    const t = makeContext({ region: REGION, accountId: ACCOUNT });
    await lambdaCollector.collect(t.ctx);

    expect(functionsOf(t)).toEqual([]);
    expect(t.region.listGaps).toEqual([{
      kind: 'AwsLambdaFunction',
      scopeArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:account`,
      scopeName: `${ACCOUNT}/${REGION}`,
      operation: 'lambda:ListFunctions',
      code: 'AccessDeniedException',
      message: expect.stringContaining('not authorized'),
    }]);
    expect(t.errors).toEqual([expect.objectContaining({ accountId: ACCOUNT, region: REGION, service: 'lambda', operation: 'lambda:ListFunctions', code: 'AccessDeniedException' })]);
    // Event source mappings are a separate sweep and still arrive.
    expect(t.region.resources.AwsLambdaEventSourceMapping).toHaveLength(2);
    expect(t.factory.counter.calls).toEqual({ 'lambda:ListFunctions': 1, 'lambda:ListEventSourceMappings': 1 });
  });

  it('records a list gap for mappings when ListEventSourceMappings fails, functions unaffected', async () => {
    mockStandard();
    lambda.on(ListEventSourceMappingsCommand).rejects(denied('ListEventSourceMappings'));
    const t = makeContext({ region: REGION, accountId: ACCOUNT });
    await lambdaCollector.collect(t.ctx);
    expect(t.region.listGaps.map((g) => [g.kind, g.operation, g.code])).toEqual([
      ['AwsLambdaEventSourceMapping', 'lambda:ListEventSourceMappings', 'AccessDeniedException'],
    ]);
    expect(functionsOf(t)).toHaveLength(2);
    expect(t.region.resources.AwsLambdaEventSourceMapping ?? []).toEqual([]);
  });

  it('skips the per-function calls when no check needs functions, and the mapping sweep when none needs mappings', async () => {
    mockStandard();
    const onlyEsm = makeContext({ region: REGION, accountId: ACCOUNT, kinds: ['AwsLambdaEventSourceMapping'] });
    await lambdaCollector.collect(onlyEsm.ctx);
    expect(onlyEsm.factory.counter.calls).toEqual({ 'lambda:ListFunctions': 2, 'lambda:ListEventSourceMappings': 1 });

    const onlyFns = makeContext({ region: REGION, accountId: ACCOUNT, kinds: ['AwsLambdaFunction'] });
    await lambdaCollector.collect(onlyFns.ctx);
    expect(onlyFns.factory.counter.calls['lambda:ListEventSourceMappings']).toBeUndefined();
    expect(onlyFns.factory.counter.calls['lambda:GetPolicy']).toBe(2);
  });

  it('records a gap for a resource policy that is not JSON', async () => {
    mockStandard();
    lambda.on(GetPolicyCommand).resolves({ Policy: '{"Version":"2012-10-17",', RevisionId: 'r' });
    const t = makeContext({ region: REGION, accountId: ACCOUNT, kinds: ['AwsLambdaFunction'] });
    await lambdaCollector.collect(t.ctx);
    for (const fn of functionsOf(t)) {
      expect(fn.gaps?.Policy).toMatchObject({ operation: 'lambda:GetPolicy', code: 'InvalidPolicyJson' });
      expect(fn).not.toHaveProperty('Policy');
    }
  });
});

describe('lambda collector: per-function calls', () => {
  beforeEach(() => lambda.reset());

  it('works on two functions per Lambda call slot at a time, however many functions the region has, and details every one', async () => {
    const names = Array.from({ length: 60 }, (_, i) => `fn-${String(i).padStart(2, '0')}`);
    lambda.on(ListFunctionsCommand).resolves({ Functions: names.map((n) => ({ ...thumbnailer, FunctionName: n, FunctionArn: arnOf(n) })) });
    lambda.on(ListEventSourceMappingsCommand).resolves({ EventSourceMappings: [] });
    const later = <T>(answer: T) => async () => (await new Promise((r) => setTimeout(r, 2)), answer);
    lambda.on(GetPolicyCommand).callsFake(later({ Policy: JSON.stringify(ordersPolicy) }));
    lambda.on(ListAliasesCommand).callsFake(later({ Aliases: [] }));
    lambda.on(ListFunctionUrlConfigsCommand).callsFake(later({ FunctionUrlConfigs: [] }));
    lambda.on(ListFunctionEventInvokeConfigsCommand).callsFake(later({ FunctionEventInvokeConfigs: [] }));
    lambda.on(GetFunctionConcurrencyCommand).callsFake(later({ ReservedConcurrentExecutions: 5 }));
    const { ctx, region } = makeContext({ concurrency: { lambda: 3 } });
    // The calls waiting for one of the region's Lambda slots, or in one: each is a suspended call while it waits.
    const limit = ctx.limit.bind(ctx);
    let waiting = 0;
    let most = 0;
    ctx.limit = (service, fn) => {
      most = Math.max(most, ++waiting);
      return limit(service, fn).finally(() => waiting--);
    };
    await lambdaCollector.collect(ctx);
    // All 60 functions at once: their 300 calls waiting together. Six functions at a time: at most their 30.
    expect(most).toBeLessThanOrEqual(30);
    expect(most).toBeGreaterThan(3);
    const fns = region.resources.AwsLambdaFunction as LambdaFunction[];
    expect(fns.map((f) => f.FunctionName)).toEqual(names);
    expect(fns.every((f) => f.ReservedConcurrentExecutions === 5 && f.Policy !== undefined && Array.isArray(f.Aliases) && !f.gaps)).toBe(true);
    expect(lambda.commandCalls(GetFunctionConcurrencyCommand)).toHaveLength(60);
  });
});

describe('unqualifiedFunctionArn', () => {
  it('drops a version or alias qualifier', () => {
    expect(unqualifiedFunctionArn(`${arnOf('f')}:$LATEST`)).toBe(arnOf('f'));
    expect(unqualifiedFunctionArn(`${arnOf('f')}:live`)).toBe(arnOf('f'));
    expect(unqualifiedFunctionArn(arnOf('f'))).toBe(arnOf('f'));
  });
});
