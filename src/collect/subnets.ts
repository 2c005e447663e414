// Availability Zones of the subnets that the region's VPC-attached functions use (ec2:DescribeSubnets), for
// lambda.vpc-single-az. Stage 2: it needs the functions the Lambda collector found. Only those subnets are asked for.
import { DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { toGap } from '../aws/errors.js';
import { paginate } from '../aws/paginate.js';
import type { Collector } from './types.js';

/** Subnet ids per request (as values of one `subnet-id` filter). */
const CHUNK = 100;

export const subnetsCollector: Collector = {
  name: 'subnets',
  kinds: ['AwsAccountRegion'],
  scope: 'region',
  stage: 2,
  operations: ['ec2:DescribeSubnets'],
  async collect(ctx) {
    const functions = ctx.inventory().regions.find((r) => r.region === ctx.region)?.resources.AwsLambdaFunction ?? [];
    const ids = [...new Set(functions.flatMap((f) => f.VpcConfig?.SubnetIds ?? []))].sort();
    if (ids.length === 0) return;
    const ar = ctx.accountRegion();
    const client = ctx.client(EC2Client);
    const zones: Record<string, string> = {};
    try {
      for (let i = 0; i < ids.length; i += CHUNK) {
        // A filter (not SubnetIds) so that a subnet deleted since the function was configured is just absent,
        // instead of failing the whole call with InvalidSubnetID.NotFound.
        const Filters = [{ Name: 'subnet-id', Values: ids.slice(i, i + CHUNK) }];
        const subnets = await paginate(async (NextToken) => {
          const out = await ctx.limit('ec2', () => client.send(new DescribeSubnetsCommand({ Filters, NextToken, MaxResults: 1000 })));
          return { items: out.Subnets ?? [], next: out.NextToken };
        });
        for (const s of subnets) if (s.SubnetId && s.AvailabilityZoneId) zones[s.SubnetId] = s.AvailabilityZoneId;
      }
      ar.SubnetAvailabilityZones = zones;
    } catch (err) {
      ar.gaps = { ...ar.gaps, SubnetAvailabilityZones: toGap('ec2:DescribeSubnets', err) };
      ctx.error('ec2', 'DescribeSubnets', err);
    }
  },
};
