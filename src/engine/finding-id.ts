import { createHash } from 'node:crypto';

/** design.md: a hash of checkId|accountId|region|resourceArn (plus a sub-key). Never change this function. */
export function findingId(checkId: string, accountId: string, region: string, resourceArn: string, subKey?: string): string {
  const parts = [checkId, accountId, region, resourceArn];
  if (subKey !== undefined && subKey !== '') parts.push(subKey);
  // The first 16 bytes as 32 hex digits. Encoding only those (rather than slicing the 64-digit string) keeps a flat
  // 32-character string: a slice would hold on to its 64-digit parent in every one of a big scan's results.
  return createHash('sha256').update(parts.join('|')).digest().toString('hex', 0, 16);
}
