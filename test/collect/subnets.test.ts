import { DescribeSubnetsCommand, EC2Client, type Subnet } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { subnetsCollector } from '../../src/collect/subnets.js';
import { makeResource } from '../../src/engine/examples.js';
import type { LambdaFunction } from '../../src/model/index.js';
import { makeContext, TEST_ACCOUNT } from './harness.js';

const mock = mockClient(EC2Client);
afterAll(() => mock.restore());
beforeEach(() => mock.reset());

const fn = (name: string, SubnetIds?: string[]) =>
  makeResource('AwsLambdaFunction', { name, FunctionName: name, accountId: TEST_ACCOUNT, ...(SubnetIds ? { VpcConfig: { SubnetIds, SecurityGroupIds: ['sg-1'], VpcId: 'vpc-1' } } : {}) }) as LambdaFunction;
/** A Subnet as DescribeSubnets returns it (the members that matter plus a few usual ones). */
const subnet = (id: string, az: string, azId: string): Subnet => ({
  SubnetId: id, AvailabilityZone: az, AvailabilityZoneId: azId, VpcId: 'vpc-1', CidrBlock: '10.0.0.0/24', State: 'available',
  OwnerId: TEST_ACCOUNT, SubnetArn: `arn:aws:ec2:us-east-1:${TEST_ACCOUNT}:subnet/${id}`, AvailableIpAddressCount: 250,
});

function setup(functions: LambdaFunction[]) {
  const t = makeContext();
  for (const f of functions) t.ctx.add(f);
  return t;
}

describe('subnets collector', () => {
  it('describes only the subnets functions use, following NextToken, into SubnetAvailabilityZones', async () => {
    mock.on(DescribeSubnetsCommand).resolves({ Subnets: [subnet('subnet-a', 'us-east-1a', 'use1-az1')], NextToken: 'next' });
    mock.on(DescribeSubnetsCommand, { NextToken: 'next' }).resolves({ Subnets: [subnet('subnet-b', 'us-east-1b', 'use1-az2')] });
    const { ctx, region } = setup([fn('a', ['subnet-b', 'subnet-a']), fn('b', ['subnet-a', 'subnet-gone']), fn('no-vpc')]);
    await subnetsCollector.collect(ctx);

    const calls = mock.commandCalls(DescribeSubnetsCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(2);
    expect(calls[0]!.Filters).toEqual([{ Name: 'subnet-id', Values: ['subnet-a', 'subnet-b', 'subnet-gone'] }]);
    const ar = region.resources.AwsAccountRegion![0]!;
    // subnet-gone was deleted: absent, so the check reports that function as not assessed rather than guessing.
    expect(ar.SubnetAvailabilityZones).toEqual({ 'subnet-a': 'use1-az1', 'subnet-b': 'use1-az2' });
    expect(ar.gaps).toBeUndefined();
  });

  it('splits more than 100 subnet ids over several requests', async () => {
    mock.on(DescribeSubnetsCommand).resolves({ Subnets: [] });
    const ids = Array.from({ length: 130 }, (_, i) => `subnet-${String(i).padStart(3, '0')}`);
    const { ctx } = setup([fn('wide', ids)]);
    await subnetsCollector.collect(ctx);
    expect(mock.commandCalls(DescribeSubnetsCommand).map((c) => c.args[0].input.Filters![0]!.Values!.length)).toEqual([100, 30]);
  });

  it('records a gap on SubnetAvailabilityZones when the call fails', async () => {
    mock.on(DescribeSubnetsCommand).rejects(Object.assign(new Error('You are not authorized to perform this operation.'), { name: 'UnauthorizedOperation', $metadata: { httpStatusCode: 403 } }));
    const { ctx, region, errors } = setup([fn('a', ['subnet-a'])]);
    await subnetsCollector.collect(ctx);
    const ar = region.resources.AwsAccountRegion![0]!;
    expect(ar.SubnetAvailabilityZones).toBeUndefined();
    expect(ar.gaps?.SubnetAvailabilityZones).toMatchObject({ operation: 'ec2:DescribeSubnets', code: 'UnauthorizedOperation' });
    expect(errors).toEqual([expect.objectContaining({ service: 'ec2', operation: 'DescribeSubnets' })]);
  });

  it('makes no call when no function is in a VPC', async () => {
    const { ctx, region } = setup([fn('plain')]);
    await subnetsCollector.collect(ctx);
    expect(mock.commandCalls(DescribeSubnetsCommand)).toHaveLength(0);
    expect(region.resources.AwsAccountRegion).toBeUndefined();
  });
});
