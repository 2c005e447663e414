// Finding ids are kept in users' histories: the value of each input must never change.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { findingId } from '../../src/engine/finding-id.js';

describe('findingId', () => {
  it('is the first 16 bytes of SHA-256 of checkId|accountId|region|resourceArn[|subKey], in hex', () => {
    expect(findingId('lambda.no-dlq', '111122223333', 'us-east-1', 'arn:aws:lambda:us-east-1:111122223333:function:orders')).toBe(
      createHash('sha256').update('lambda.no-dlq|111122223333|us-east-1|arn:aws:lambda:us-east-1:111122223333:function:orders').digest('hex').slice(0, 32),
    );
    const withSub = findingId('apigw.rest.method-no-authorization', '111122223333', 'eu-west-1', 'arn:aws:apigateway:eu-west-1::/restapis/abc', 'GET /orders');
    expect(withSub).toBe(createHash('sha256').update('apigw.rest.method-no-authorization|111122223333|eu-west-1|arn:aws:apigateway:eu-west-1::/restapis/abc|GET /orders').digest('hex').slice(0, 32));
    // An empty sub-key is no sub-key; non-ASCII input is hashed as UTF-8.
    expect(findingId('c', 'a', 'r', 'x', '')).toBe(findingId('c', 'a', 'r', 'x'));
    expect(findingId('c', 'a', 'r', 'arn:é✓')).toBe(createHash('sha256').update('c|a|r|arn:é✓').digest('hex').slice(0, 32));
  });

  it('keeps the values persisted in histories', () => {
    expect(findingId('lambda.no-dlq', '111122223333', 'us-east-1', 'arn:aws:lambda:us-east-1:111122223333:function:orders')).toBe(FIXED.plain);
    expect(findingId('lambda.no-dlq', '111122223333', 'us-east-1', 'arn:aws:lambda:us-east-1:111122223333:function:orders', 'sub')).toBe(FIXED.sub);
  });
});

// Computed with the createHash implementation this replaced.
const FIXED = { plain: '90c55f507e52261ddd805db1978369a2', sub: '97a550068861ee94c7e962f775bd7c32' };
