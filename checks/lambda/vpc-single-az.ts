import { defineCheck, type CheckExamples } from '../../src/model/index.js';

const check = defineCheck({
  id: 'lambda.vpc-single-az',
  title: 'VPC-connected Lambda function uses subnets in a single Availability Zone',
  description:
    'A function attached to subnets of one Availability Zone stops when that zone fails, although Lambda itself runs in several. ' +
    'The lens (SERVPER 3) asks for VPC access only when necessary, and then in multiple AZs.',
  severity: 'MEDIUM',
  pillar: 'REL',
  lens: ['SERVPER 3', 'SERVREL 5'],
  lens2022: ['SERVREL 2'],
  resourceKind: 'AwsLambdaFunction',
  uses: ['VpcConfig'],
  needs: ['AwsAccountRegion'],
  cost: 'C',
  options: { minimumAvailabilityZones: 2 },
  remediation: {
    text: 'Add subnets in at least two Availability Zones to the function VPC configuration (aws lambda update-function-configuration --vpc-config SubnetIds=...,SecurityGroupIds=...).',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html',
  },
  peers: {
    cspm: ['Lambda.5'],
    config: ['lambda-vpc-multi-az-check'],
    trustedAdvisor: ['L4dfs2Q4C6'],
    prowler: ['awslambda_function_vpc_multi_az'],
  },
  evaluate(fn, ctx) {
    const subnets = fn.VpcConfig?.SubnetIds ?? [];
    if (subnets.length === 0) return; // not attached to a VPC
    const region = ctx.list('AwsAccountRegion')[0];
    const gap = region?.gaps?.SubnetAvailabilityZones;
    if (gap) return ctx.notAssessed(`Subnet zones unknown: ${gap.operation} failed: ${gap.code}`);
    const zones = region?.SubnetAvailabilityZones;
    if (!zones) return ctx.notAssessed('Subnet Availability Zones were not collected (ec2:DescribeSubnets).');
    const unknown = subnets.filter((s) => !zones[s]);
    if (unknown.length > 0) return ctx.notAssessed(`Availability Zone unknown for subnet(s) ${unknown.join(', ')} of function ${fn.name}.`);
    const azs = [...new Set(subnets.map((s) => zones[s]!))].sort();
    const min = Number(ctx.options.minimumAvailabilityZones);
    const evidence = { SubnetIds: subnets, AvailabilityZoneIds: azs };
    return azs.length >= min
      ? ctx.pass(`Function ${fn.name} uses subnets in ${azs.length} Availability Zones (${azs.join(', ')}).`, evidence)
      : ctx.fail(`Function ${fn.name} uses subnets in ${azs.length} Availability Zone(s) (${azs.join(', ')}); at least ${min} are needed.`, evidence);
  },
});
export default check;

const region = (zones: Record<string, string>) => ({ kind: 'AwsAccountRegion' as const, SubnetAvailabilityZones: zones });

export const examples: CheckExamples<'AwsLambdaFunction'> = {
  pass: [
    {
      name: 'two zones',
      resource: { VpcConfig: { SubnetIds: ['subnet-a', 'subnet-b'] } },
      others: [region({ 'subnet-a': 'use1-az1', 'subnet-b': 'use1-az2' })],
    },
  ],
  fail: [
    {
      name: 'two subnets, one zone',
      resource: { VpcConfig: { SubnetIds: ['subnet-a', 'subnet-b'] } },
      others: [region({ 'subnet-a': 'use1-az1', 'subnet-b': 'use1-az1' })],
    },
  ],
  notAssessed: [
    {
      name: 'DescribeSubnets failed',
      resource: { VpcConfig: { SubnetIds: ['subnet-a'] } },
      others: [{ kind: 'AwsAccountRegion', gaps: { SubnetAvailabilityZones: { operation: 'ec2:DescribeSubnets', code: 'UnauthorizedOperation', message: 'denied' } } }],
    },
    {
      name: 'subnet not described',
      resource: { VpcConfig: { SubnetIds: ['subnet-a', 'subnet-c'] } },
      others: [region({ 'subnet-a': 'use1-az1' })],
    },
  ],
};
