import { GetAccountAuthorizationDetailsCommand, IAMClient, IAMServiceException, ListAccountAliasesCommand, type RoleDetail } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { decodePolicyDocument, iamCollector } from '../../src/collect/iam.js';
import { makeResource } from '../../src/engine/examples.js';
import type { AccountInventory, CollectionError, IamRole } from '../../src/model/index.js';
import { makeContext } from './harness.js';

const ACCOUNT = '123456789012';
const roleArn = (path: string, name: string) => `arn:aws:iam::${ACCOUNT}:role${path}${name}`;
/** IAM returns policy documents URL-encoded (RFC 3986). */
const enc = (doc: unknown) => encodeURIComponent(JSON.stringify(doc));
const trust = (service: string | string[]) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
});
const LOCAL_POLICY_ARN = `arn:aws:iam::${ACCOUNT}:policy/orders-table-access`;
const BASIC_EXECUTION = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
const inline = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }] };
const tableV1 = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }] };
const tableV2 = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders` }] };

function role(path: string, name: string, trustDoc: unknown, extra: Partial<RoleDetail> = {}): RoleDetail {
  return {
    Path: path,
    RoleName: name,
    RoleId: `AROA${name.toUpperCase().replace(/[^A-Z]/g, '').padEnd(17, 'X').slice(0, 17)}`,
    Arn: roleArn(path, name),
    CreateDate: new Date('2024-05-01T10:00:00Z'),
    AssumeRolePolicyDocument: enc(trustDoc),
    InstanceProfileList: [],
    RolePolicyList: [],
    AttachedManagedPolicies: [],
    Tags: [],
    RoleLastUsed: {},
    ...extra,
  };
}

const ordersRole = role('/service-role/', 'orders-api-role', trust('lambda.amazonaws.com'), {
  RolePolicyList: [{ PolicyName: 'queue-access', PolicyDocument: enc(inline) }],
  AttachedManagedPolicies: [
    { PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: BASIC_EXECUTION },
    { PolicyName: 'orders-table-access', PolicyArn: LOCAL_POLICY_ARN },
  ],
  PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/boundary` },
  Tags: [{ Key: 'team', Value: 'orders' }],
  RoleLastUsed: { LastUsedDate: new Date('2025-03-01T08:00:00Z'), Region: 'us-east-1' },
});
// Used by a function but trusting another service: kept because a function uses it.
const workerRole = role('/', 'eu-worker-role', trust('states.amazonaws.com'));
// Used by no function but trusting Lambda: kept.
const spareRole = role('/', 'legacy-lambda-role', trust(['lambda.amazonaws.com', 'edgelambda.amazonaws.com']));
// Neither: dropped.
const ec2Role = role('/', 'ec2-instance-role', trust('ec2.amazonaws.com'));

const tablePolicy = {
  PolicyName: 'orders-table-access',
  PolicyId: 'ANPAEXAMPLEORDERSTBL',
  Arn: LOCAL_POLICY_ARN,
  Path: '/',
  DefaultVersionId: 'v2',
  AttachmentCount: 1,
  PermissionsBoundaryUsageCount: 0,
  IsAttachable: true,
  CreateDate: new Date('2024-05-01T10:00:00Z'),
  UpdateDate: new Date('2024-06-01T10:00:00Z'),
  PolicyVersionList: [
    { Document: enc(tableV1), VersionId: 'v1', IsDefaultVersion: false, CreateDate: new Date('2024-05-01T10:00:00Z') },
    { Document: enc(tableV2), VersionId: 'v2', IsDefaultVersion: true, CreateDate: new Date('2024-06-01T10:00:00Z') },
  ],
};

const MARKER = 'AAMA-UzI1NiJ9ZXhhbXBsZS1tYXJrZXI';

const iam = mockClient(IAMClient);
beforeEach(() => {
  iam.reset();
  // Most accounts have no alias (IAM answers an empty list).
  iam.on(ListAccountAliasesCommand).resolves({ AccountAliases: [], IsTruncated: false });
});

function mockPages(policies = [tablePolicy]) {
  iam.on(GetAccountAuthorizationDetailsCommand).callsFake((input: { Filter?: string[]; Marker?: string }) => {
    if (JSON.stringify(input.Filter) !== JSON.stringify(['Role', 'LocalManagedPolicy'])) throw new Error(`unexpected Filter ${JSON.stringify(input.Filter)}`);
    const empty = { UserDetailList: [], GroupDetailList: [] };
    if (input.Marker === undefined) return { ...empty, RoleDetailList: [ordersRole, workerRole], Policies: [], IsTruncated: true, Marker: MARKER };
    // The attached local policy arrives on a later page than the role that uses it.
    if (input.Marker === MARKER) return { ...empty, RoleDetailList: [spareRole, ec2Role], Policies: policies, IsTruncated: false };
    throw new Error(`unexpected Marker ${input.Marker}`);
  });
}

/** Stage 1 output: functions in two regions (one with a role in another account), then the global IAM context. */
function stage2() {
  const inventory: AccountInventory = { accountId: ACCOUNT, partition: 'aws', regions: [] };
  const errors: CollectionError[] = [];
  const use1 = makeContext({ region: 'us-east-1', accountId: ACCOUNT, inventory, errors });
  use1.ctx.add(makeResource('AwsLambdaFunction', { name: 'orders-api', accountId: ACCOUNT, Role: ordersRole.Arn }));
  use1.ctx.add(makeResource('AwsLambdaFunction', { name: 'partner-fn', accountId: ACCOUNT, Role: 'arn:aws:iam::999999999999:role/partner-role' }));
  const euw1 = makeContext({ region: 'eu-west-1', accountId: ACCOUNT, inventory, errors });
  euw1.ctx.add(makeResource('AwsLambdaFunction', { name: 'eu-worker', region: 'eu-west-1', accountId: ACCOUNT, Role: workerRole.Arn }));
  return makeContext({ region: 'global', accountId: ACCOUNT, inventory, errors });
}

const rolesOf = (t: ReturnType<typeof makeContext>) => (t.region.resources.AwsIamRole ?? []) as IamRole[];

describe('iam collector', () => {
  it('is an account-scope stage-2 collector with one bulk operation (and the account alias)', () => {
    expect(iamCollector).toMatchObject({ scope: 'account', stage: 2, kinds: ['AwsIamRole'], operations: ['iam:GetAccountAuthorizationDetails', 'iam:ListAccountAliases'] });
  });

  it('keeps the roles functions use (any region) and the roles trusting Lambda, with decoded documents', async () => {
    mockPages();
    const t = stage2();
    await iamCollector.collect(t.ctx);

    const roles = rolesOf(t);
    expect(roles.map((r) => r.RoleName).sort()).toEqual(['eu-worker-role', 'legacy-lambda-role', 'orders-api-role']);
    expect(t.factory.counter.calls).toEqual({ 'iam:GetAccountAuthorizationDetails': 2, 'iam:ListAccountAliases': 1 });
    expect(t.errors).toEqual([]);
    expect(t.inventory.alias).toBeUndefined(); // no alias

    const orders = roles.find((r) => r.RoleName === 'orders-api-role')!;
    expect(orders).toEqual({
      kind: 'AwsIamRole',
      arn: roleArn('/service-role/', 'orders-api-role'),
      name: 'orders-api-role',
      accountId: ACCOUNT,
      region: 'global',
      tags: { team: 'orders' },
      RoleName: 'orders-api-role',
      RoleId: ordersRole.RoleId,
      Path: '/service-role/',
      Arn: roleArn('/service-role/', 'orders-api-role'),
      CreateDate: '2024-05-01T10:00:00.000Z',
      AssumeRolePolicyDocument: trust('lambda.amazonaws.com'),
      RolePolicyList: [{ PolicyName: 'queue-access', PolicyDocument: inline }],
      AttachedManagedPolicies: ordersRole.AttachedManagedPolicies,
      // AWS-managed: ARN only. Local: the default version (v2), not v1.
      AttachedPolicyDocuments: [{ PolicyArn: BASIC_EXECUTION }, { PolicyArn: LOCAL_POLICY_ARN, Document: tableV2 }],
      PermissionsBoundary: ordersRole.PermissionsBoundary,
      RoleLastUsed: { LastUsedDate: '2025-03-01T08:00:00.000Z', Region: 'us-east-1' },
    });
    // The partner function's role lives in another account: no resource, no error.
    expect(roles.some((r) => r.Arn.includes('999999999999'))).toBe(false);
    expect(JSON.parse(JSON.stringify(t.inventory))).toEqual(t.inventory);
  });

  it('records a gap, not an empty list, when an attached local policy is missing from the response', async () => {
    mockPages([]);
    const t = stage2();
    await iamCollector.collect(t.ctx);
    const orders = rolesOf(t).find((r) => r.RoleName === 'orders-api-role')!;
    expect(orders).not.toHaveProperty('AttachedPolicyDocuments');
    expect(orders.gaps?.AttachedPolicyDocuments).toMatchObject({ operation: 'iam:GetAccountAuthorizationDetails', code: 'NotCollected' });
    // Roles without local policies are unaffected.
    expect(rolesOf(t).find((r) => r.RoleName === 'legacy-lambda-role')!.gaps).toBeUndefined();
  });

  it('records a list gap under the account root and an error when the call is denied', async () => {
    iam.on(GetAccountAuthorizationDetailsCommand).rejects(new IAMServiceException({
      name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 },
      message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/auditor/s is not authorized to perform: iam:GetAccountAuthorizationDetails on resource: *`,
    }));
    const t = stage2();
    await iamCollector.collect(t.ctx);
    expect(rolesOf(t)).toEqual([]);
    expect(t.region.listGaps).toEqual([expect.objectContaining({
      kind: 'AwsIamRole', scopeArn: `arn:aws:iam::${ACCOUNT}:root`, operation: 'iam:GetAccountAuthorizationDetails', code: 'AccessDenied',
    })]);
    expect(t.errors).toEqual([expect.objectContaining({ region: 'global', service: 'iam', operation: 'iam:GetAccountAuthorizationDetails', code: 'AccessDenied' })]);
  });

  it('drops the partial result when a later page fails', async () => {
    mockPages();
    iam.on(GetAccountAuthorizationDetailsCommand, { Marker: MARKER }).rejects(new IAMServiceException({
      name: 'Throttling', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'Rate exceeded',
    }));
    const t = stage2();
    await iamCollector.collect(t.ctx);
    expect(rolesOf(t)).toEqual([]);
    expect(t.region.listGaps.map((g) => [g.kind, g.code])).toEqual([['AwsIamRole', 'Throttling']]);
  });
});

describe('decodePolicyDocument', () => {
  it('decodes URL-encoded JSON and accepts plain JSON', () => {
    expect(decodePolicyDocument(enc(tableV2))).toEqual(tableV2);
    expect(decodePolicyDocument(JSON.stringify(tableV2))).toEqual(tableV2);
    expect(decodePolicyDocument('%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D')).toEqual({ Version: '2012-10-17', Statement: [] });
  });

  it('throws a named error on garbage', () => {
    expect(() => decodePolicyDocument('%7B%22Version')).toThrow(expect.objectContaining({ name: 'InvalidPolicyDocument' }));
  });
});

describe('iam collector: the account alias (issue 18, account names in reports)', () => {
  it('puts the alias on the account inventory', async () => {
    mockPages();
    iam.on(ListAccountAliasesCommand).resolves({ AccountAliases: ['acme-payments-prod'], IsTruncated: false });
    const t = stage2();
    await iamCollector.collect(t.ctx);
    expect(t.inventory.alias).toBe('acme-payments-prod');
    expect(t.errors).toEqual([]);
    expect(rolesOf(t)).toHaveLength(3);
  });

  it('records a denied alias as an error entry and still collects the roles', async () => {
    mockPages();
    iam.on(ListAccountAliasesCommand).rejects(new IAMServiceException({
      name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 },
      message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/LensAuditReadOnly/lens-audit is not authorized to perform: iam:ListAccountAliases`,
    }));
    const t = stage2();
    await iamCollector.collect(t.ctx);
    expect(t.inventory.alias).toBeUndefined();
    expect(t.errors).toEqual([expect.objectContaining({ accountId: ACCOUNT, service: 'iam', operation: 'ListAccountAliases', code: 'AccessDenied' })]);
    expect(rolesOf(t)).toHaveLength(3);
  });
});
