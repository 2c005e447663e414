import { hash } from 'node:crypto';

/** design.md: a hash of checkId|accountId|region|resourceArn (plus a sub-key). Never change this function. */
export function findingId(checkId: string, accountId: string, region: string, resourceArn: string, subKey?: string): string {
  const input = subKey !== undefined && subKey !== '' ? `${checkId}|${accountId}|${region}|${resourceArn}|${subKey}` : `${checkId}|${accountId}|${region}|${resourceArn}`;
  // One-shot crypto.hash: the same SHA-256 as createHash().update().digest() without a Hash object per result (a big
  // scan hashes one input per result; the object was most of the cost). The first 16 bytes as 32 hex digits. Encoding
  // only those (rather than slicing the 64-digit string) keeps a flat 32-character string: a slice would hold on to
  // its 64-digit parent in every one of a big scan's results.
  return hash('sha256', input, 'buffer').toString('hex', 0, 16);
}
