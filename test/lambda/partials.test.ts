import { randomBytes } from 'node:crypto';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Partials, PartialsError } from '../../src/lambda/partials.js';
import { DynamoPostedMarker } from '../../src/state/posted-marker.js';
import type { DynamoLike } from '../../src/state/dynamodb-store.js';
import { startDynalite, type LocalDynamo } from './dynalite.js';

let db: LocalDynamo;
beforeAll(async () => {
  db = await startDynalite();
});
afterAll(async () => {
  await db.close();
});

/** Incompressible payload of about `bytes` bytes once gzipped. */
const noise = (bytes: number) => ({ blob: randomBytes(bytes).toString('base64') });

/** A client that throws on the n-th PutItem (a step that dies half-way through its write). */
function failingOnPut(n: number): DynamoLike {
  let puts = 0;
  return {
    send: async (cmd: object) => {
      if (cmd instanceof PutItemCommand && ++puts === n) throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
      return db.client.send(cmd as never);
    },
  } as unknown as DynamoLike;
}

describe('Partials', () => {
  it('round-trips a value and lists by prefix, per run, in key order', async () => {
    const table = await db.newTable();
    const p = new Partials(db.client, table);
    await p.put('run-1', 'SCAN#111122223333#us-east-1', { n: 1 });
    await p.put('run-1', 'SCAN#111122223333#eu-west-1', { n: 2 });
    await p.put('run-1', 'SCAN#444455556666#us-east-1', { n: 3 });
    await p.put('run-2', 'SCAN#111122223333#us-east-1', { n: 4 });

    expect(await p.get('run-1', 'SCAN#111122223333#us-east-1')).toEqual({ n: 1 });
    expect(await p.get('run-2', 'SCAN#111122223333#us-east-1')).toEqual({ n: 4 });
    expect(await p.get('run-1', 'SCAN#111122223333#ap-south-1')).toBeUndefined();
    const listed = await p.list<{ n: number }>('run-1', 'SCAN#111122223333#');
    expect(listed).toEqual([
      { key: 'SCAN#111122223333#eu-west-1', value: { n: 2 } },
      { key: 'SCAN#111122223333#us-east-1', value: { n: 1 } },
    ]);
  });

  it('splits a large value over several items under the item size limit, with a TTL', async () => {
    const table = await db.newTable();
    const now = new Date('2026-06-01T00:00:00Z');
    const p = new Partials(db.client, table, { now: () => now });
    const value = noise(900_000); // ~1.2 MB of base64 that gzip cannot shrink much
    await p.put('run-1', 'ACCOUNT#111122223333', value);

    const items = await db.scanAll(table);
    expect(items.length).toBeGreaterThanOrEqual(3);
    for (const item of items) {
      expect(item.data!.B!.length).toBeLessThanOrEqual(350_000);
      expect(item.expiresAt!.N).toBe(String(Date.parse('2026-06-08T00:00:00Z') / 1000));
      expect(item.parts!.N).toBe(String(items.length));
    }
    expect(await p.get('run-1', 'ACCOUNT#111122223333')).toEqual(value);
  });

  it('never mixes two writes: an interrupted rewrite leaves the value absent, a complete one replaces it', async () => {
    const table = await db.newTable();
    const small = { chunkBytes: 2_000 };
    const first = noise(7_000);
    await new Partials(db.client, table, small).put('run-1', 'K', first);
    const firstChunks = (await db.scanAll(table)).length;
    expect(firstChunks).toBeGreaterThanOrEqual(4);

    // The retry writes fewer chunks and dies before its commit mark (chunk 0, written last).
    const second = noise(2_500); // 2 chunks
    expect(await new Partials(db.client, table, small).get('run-1', 'K')).toEqual(first);
    await expect(new Partials(failingOnPut(2), table, small).put('run-1', 'K', second)).rejects.toThrow(PartialsError);
    expect(await new Partials(db.client, table, small).get('run-1', 'K')).toBeUndefined();

    // A complete write commits; the stale later chunks of the first write are still there, and ignored.
    await new Partials(db.client, table, small).put('run-1', 'K', second);
    expect(await new Partials(db.client, table, small).get('run-1', 'K')).toEqual(second);
    const items = await db.scanAll(table);
    expect(items.length).toBe(firstChunks);
    expect(new Set(items.map((i) => i.writeId!.S)).size).toBe(2);
  });

  it('a value whose later chunks were never written is absent', async () => {
    const table = await db.newTable();
    await expect(new Partials(failingOnPut(1), table, { chunkBytes: 2_000 }).put('run-1', 'K', noise(5_000))).rejects.toThrow(/PutItem failed: TimeoutError/);
    expect(await new Partials(db.client, table).list('run-1', '')).toEqual([]);
  });
});

describe('DynamoPostedMarker', () => {
  it('remembers posted run ids with a TTL', async () => {
    const table = await db.newTable();
    const marker = new DynamoPostedMarker(db.client, table, () => new Date('2026-06-01T00:00:00Z'));
    expect(await marker.has('run-1')).toBe(false);
    await marker.mark('run-1');
    expect(await marker.has('run-1')).toBe(true);
    expect(await marker.has('run-2')).toBe(false);
    const [item] = await db.scanAll(table);
    expect(item!.expiresAt!.N).toBe(String(Date.parse('2026-07-01T00:00:00Z') / 1000));
  });
});
