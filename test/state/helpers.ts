// Shared builders for state and sink tests.
import { findingId } from '../../src/engine/finding-id.js';
import type { Result, Status } from '../../src/model/index.js';
import type { FindingRecord } from '../../src/state/store.js';

export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';

export function fnArn(name: string, region = 'us-east-1', account = ACCOUNT): string {
  return `arn:aws:lambda:${region}:${account}:function:${name}`;
}

export function result(
  status: Status,
  name: string,
  o: { checkId?: string; region?: string; accountId?: string; subKey?: string; suppressed?: string; kind?: string; arn?: string } = {},
): Result {
  const checkId = o.checkId ?? 'lambda.no-tracing';
  const region = o.region ?? 'us-east-1';
  const accountId = o.accountId ?? ACCOUNT;
  const arn = o.arn ?? fnArn(name, region, accountId);
  return {
    findingId: findingId(checkId, accountId, region, arn, o.subKey),
    checkId,
    title: 'Lambda function has X-Ray active tracing off',
    status,
    severity: 'LOW',
    pillar: 'OPS',
    lens: ['SERVOPS 1'],
    accountId,
    region,
    resourceKind: o.kind ?? 'AwsLambdaFunction',
    resourceArn: arn,
    resourceName: name,
    message: `${status} ${name}`,
    ...(o.suppressed ? { suppressed: { reason: o.suppressed } } : {}),
  };
}

/** An OPEN record as a previous run would have left it. */
export function openRecord(r: Result, firstSeen = '2026-01-01T00:00:00.000Z', lastRunId = 'run-0'): FindingRecord {
  return {
    findingId: r.findingId, checkId: r.checkId, title: r.title, severity: r.severity, accountId: r.accountId, region: r.region,
    resourceArn: r.resourceArn, resourceName: r.resourceName, resourceKind: r.resourceKind, status: 'OPEN',
    firstSeen, lastSeen: firstSeen, message: r.message, lastRunId,
  };
}
