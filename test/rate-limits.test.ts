// The pacer's pieces: which published limit a call draws from, and the reservation token bucket.
import { describe, expect, it } from 'vitest';
import { Pacer, TokenBucket, bucketsFor } from '../src/aws/rate-limits.js';

describe('bucketsFor', () => {
  it('maps calls to the limits AWS publishes for them', () => {
    expect(bucketsFor('lambda', 'GetPolicy')).toEqual(['lambda:GetPolicy']);
    expect(bucketsFor('lambda', 'ListFunctionUrlConfigs')).toEqual(['lambda:control']);
    expect(bucketsFor('lambda', 'ListFunctions')).toEqual(['lambda:control']);
    // REST and v2 share API Gateway's account-region limit; GetResources also has its own.
    expect(bucketsFor('apigatewayv2', 'GetRoutes')).toEqual(['apigateway:control']);
    expect(bucketsFor('apigateway', 'GetResources')).toEqual(['apigateway:control', 'apigateway:GetResources']);
    expect(bucketsFor('logs', 'DescribeLogGroups')).toEqual(['logs:DescribeLogGroups']);
    // No published limit: not paced.
    expect(bucketsFor('iam', 'GetAccountAuthorizationDetails')).toEqual([]);
    expect(bucketsFor('logs', 'FilterLogEvents')).toEqual([]);
  });
});

describe('TokenBucket', () => {
  it('lets a burst go at once, then books one slot per 1/rate in arrival order', () => {
    let now = 0;
    const b = new TokenBucket(10, 2, () => now);
    expect([b.reserve(), b.reserve(), b.reserve(), b.reserve()]).toEqual([0, 0, 100, 200]);
    // 300 ms later the two booked slots are spent and one more token has accrued.
    now = 300;
    expect(b.reserve()).toBe(0);
    expect(b.available()).toBe(false);
    // A long pause refills to the burst, not beyond.
    now = 10_000;
    expect([b.reserve(), b.reserve(), b.reserve()]).toEqual([0, 0, 100]);
  });
});

describe('Pacer', () => {
  it('waits for limited calls per region and never for unlimited ones', async () => {
    const pacer = new Pacer();
    expect(pacer.acquire('eu-west-1', 'iam', 'GetAccountAuthorizationDetails')).toBeUndefined();
    // Half of the published burst goes at once (Kinesis DescribeLimits: 1/s, burst 1 → 1) ...
    expect(pacer.acquire('eu-west-1', 'kinesis', 'DescribeLimits')).toBeUndefined();
    // ... the next one has to wait for the next token; another region has its own bucket.
    const wait = pacer.acquire('eu-west-1', 'kinesis', 'DescribeLimits');
    expect(wait).toBeInstanceOf(Promise);
    expect(pacer.acquire('us-east-1', 'kinesis', 'DescribeLimits')).toBeUndefined();
  });

  it('paces a region\'s client (forRegion) from the same buckets as acquire', () => {
    const pacer = new Pacer();
    const eu = pacer.forRegion('eu-west-1');
    expect(eu('iam', 'GetAccountAuthorizationDetails')).toBeUndefined();
    expect(eu('kinesis', 'DescribeLimits')).toBeUndefined();
    // The one token of eu-west-1's DescribeLimits bucket is spent, whichever way it is asked for.
    expect(pacer.acquire('eu-west-1', 'kinesis', 'DescribeLimits')).toBeInstanceOf(Promise);
    expect(eu('kinesis', 'DescribeLimits')).toBeInstanceOf(Promise);
    expect(pacer.forRegion('us-east-1')('kinesis', 'DescribeLimits')).toBeUndefined();
    // Lambda's control-plane calls share one bucket (burst 15 → 7 at once).
    const waits = Array.from({ length: 8 }, (_, i) => eu('lambda', i % 2 ? 'ListFunctions' : 'GetFunctionConcurrency'));
    expect(waits.slice(0, 7).every((w) => w === undefined)).toBe(true);
    expect(waits[7]).toBeInstanceOf(Promise);
  });
});
