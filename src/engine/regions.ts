// Region codes: validated against the SDK's own endpoint data (the partitions file every client resolves endpoints
// from), so a region AWS opens after this release works as soon as the SDK knows its partition's naming.
import { partition } from '@aws-sdk/core/client';
import { UsageError } from './errors.js';
import { didYouMean } from './suggest.js';

/**
 * Region codes the SDK of this release lists by name (for suggestions and `--regions` help). Validation asks the
 * SDK (regionStatus), so this list is never the gate; a test checks each entry against the SDK.
 */
export const KNOWN_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-south-1', 'eu-south-2', 'eu-north-1', 'il-central-1', 'me-south-1',
  'me-central-1', 'mx-central-1', 'sa-east-1', 'us-gov-east-1', 'us-gov-west-1', 'cn-north-1', 'cn-northwest-1',
] as const;

/**
 * What the SDK's endpoint data says of a region code: `known` (listed by name in a partition), `new` (not listed, but of
 * a partition's region pattern, e.g. a region opened after this SDK was built), or `unknown`.
 */
export function regionStatus(region: string): { status: 'known' | 'new' | 'unknown'; partition?: string } {
  // A region code is lower-case letters, digits and dashes; the SDK would otherwise fall back to `aws` for anything.
  if (!/^[a-z]{2,}(-[a-z0-9]+)+$/.test(region)) return { status: 'unknown' };
  const p = partition(region) as { name: string; description?: string };
  if (p.description !== undefined) return { status: 'known', partition: p.name };
  // partition() falls back to `aws` for a code that matches no partition's pattern; only a pattern match is a region.
  const matches = PARTITION_PATTERNS.some((re) => re.test(region));
  return matches ? { status: 'new', partition: p.name } : { status: 'unknown' };
}

/** The partition of a region code, from the SDK's endpoint data (`aws-cn` for cn-north-1, `aws-iso-e` for eu-isoe-west-1, ...). */
export function regionPartition(region: string): string {
  return (partition(region) as { name: string }).name;
}

// The partitions' regionRegex (aws, aws-cn, aws-us-gov, aws-iso*, aws-eusc): the names a new region can take.
const PARTITION_PATTERNS = [
  /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/, /^cn-\w+-\d+$/, /^us-gov-\w+-\d+$/, /^us-iso-\w+-\d+$/, /^us-isob-\w+-\d+$/,
  /^eu-isoe-\w+-\d+$/, /^us-isof-\w+-\d+$/, /^eusc-(de)-\w+-\d+$/,
];

/** Warnings for regions accepted as new (not in this SDK's list): printed once, then the run goes on. */
export function newRegionWarnings(regions: readonly string[]): string[] {
  return regions
    .filter((r) => regionStatus(r).status === 'new')
    .map((r) => `region "${r}" is not in this SDK's region list; scanning it as a new region${didYouMean(r, KNOWN_REGIONS)}`);
}

/** One region code (a Security Hub home region, say): a usage error naming it unless the SDK accepts it. */
export function assertRegion(region: string, what: string): void {
  if (regionStatus(region).status === 'unknown') {
    throw new UsageError(`${what}: unknown region ${JSON.stringify(region)}${didYouMean(region, KNOWN_REGIONS) || ' (use one region code, e.g. us-east-1)'}`);
  }
}

/** Parses `--regions` (comma list or `all`); unknown names are a usage error naming them. */
export function parseRegions(value: string | string[] | undefined): string[] | 'all' | undefined {
  if (value === undefined) return undefined;
  const list = (Array.isArray(value) ? value : value.split(',')).map((s) => s.trim()).filter(Boolean);
  if (list.length === 1 && list[0] === 'all') return 'all';
  if (list.length === 0) throw new UsageError('--regions is empty: give region codes (us-east-1,eu-west-1) or "all"');
  const unknown = list.filter((r) => regionStatus(r).status === 'unknown');
  if (unknown.length > 0) {
    const hint = unknown.length === 1 ? didYouMean(unknown[0]!, KNOWN_REGIONS) : '';
    throw new UsageError(`unknown region ${unknown.map((r) => `"${r}"`).join(', ')}${hint || ' (use region codes such as us-east-1, or "all" for every region enabled in the account)'}`);
  }
  return [...new Set(list)];
}
