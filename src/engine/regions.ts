import { UsageError } from './errors.js';

/** Region codes known when this release was made. `--regions all` asks the account instead. */
export const KNOWN_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-south-1', 'eu-south-2', 'eu-north-1', 'il-central-1', 'me-south-1',
  'me-central-1', 'mx-central-1', 'sa-east-1', 'us-gov-east-1', 'us-gov-west-1', 'cn-north-1', 'cn-northwest-1',
] as const;

/** Parses `--regions` (comma list or `all`); unknown names are a usage error naming them. */
export function parseRegions(value: string | string[] | undefined): string[] | 'all' | undefined {
  if (value === undefined) return undefined;
  const list = (Array.isArray(value) ? value : value.split(',')).map((s) => s.trim()).filter(Boolean);
  if (list.length === 1 && list[0] === 'all') return 'all';
  if (list.length === 0) throw new UsageError('--regions is empty: give region codes (us-east-1,eu-west-1) or "all"');
  const unknown = list.filter((r) => !(KNOWN_REGIONS as readonly string[]).includes(r));
  if (unknown.length > 0) {
    throw new UsageError(`unknown region ${unknown.map((r) => `"${r}"`).join(', ')} (use region codes such as us-east-1, or "all" for every region enabled in the account)`);
  }
  return [...new Set(list)];
}
