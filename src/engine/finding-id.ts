import { createHash } from 'node:crypto';

/** design.md: a hash of checkId|accountId|region|resourceArn (plus a sub-key). Never change this function. */
export function findingId(checkId: string, accountId: string, region: string, resourceArn: string, subKey?: string): string {
  const parts = [checkId, accountId, region, resourceArn];
  if (subKey !== undefined && subKey !== '') parts.push(subKey);
  return createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 32);
}
