// Per-run intermediate results of the scheduled scan (the plan, each account-region's inventory, each account's
// results), kept in the state table so that the Step Functions state stays under its 256 KB limit: every step
// passes only ids and reads what it needs from here.
//
// Layout, next to the findings history (which uses PK = ACCT#... and RUN#...):
//   PK = PART#<runId>   SK = <key>#<chunk, 4 digits>   data (gzip of the JSON, ≤ CHUNK_BYTES a chunk), parts, writeId,
//   expiresAt (TTL). A value larger than one item is split over several chunks. Chunk 0 is written last and names
//   the number of parts and the write id: it is the commit mark. A reader takes a value only when chunk 0 and every
//   other chunk carry the same write id, so a retried step that wrote fewer (or more) chunks than a crashed attempt
//   never mixes the two: until the retry commits, the value is absent, never half of one.
import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { errorCode, errorMessage } from '../aws/errors.js';
import { TTL_ATTRIBUTE, queryAll, type DynamoLike } from '../state/dynamodb-store.js';

/** Bytes of compressed data per item: DynamoDB items are at most 400 KB, names and keys included. */
export const CHUNK_BYTES = 350_000;
/** Partials expire this long after they were written (they are only read during the run). */
export const DEFAULT_PARTIAL_TTL_DAYS = 7;

type Item = Record<string, AttributeValue>;

export class PartialsError extends Error {
  override name = 'PartialsError';
}

export interface PartialsOptions {
  ttlDays?: number;
  now?: () => Date;
  chunkBytes?: number;
}

function chunkSk(key: string, n: number): string {
  return `${key}#${String(n).padStart(4, '0')}`;
}

export class Partials {
  private readonly ttlDays: number;
  private readonly now: () => Date;
  private readonly chunkBytes: number;

  constructor(private readonly client: DynamoLike, readonly table: string, opts: PartialsOptions = {}) {
    this.ttlDays = opts.ttlDays ?? DEFAULT_PARTIAL_TTL_DAYS;
    this.now = opts.now ?? (() => new Date());
    this.chunkBytes = opts.chunkBytes ?? CHUNK_BYTES;
  }

  private fail(operation: string, err: unknown): never {
    throw new PartialsError(`dynamodb://${this.table}: ${operation} failed: ${errorCode(err)} (${errorMessage(err)})`);
  }

  /** Stores `value` under (runId, key), replacing what an earlier attempt stored.  */
  async put<T>(runId: string, key: string, value: T): Promise<void> {
    const data = gzipSync(Buffer.from(JSON.stringify(value), 'utf8'));
    const parts = Math.max(1, Math.ceil(data.length / this.chunkBytes));
    const writeId = randomUUID();
    const expiresAt = String(Math.floor(this.now().getTime() / 1000) + this.ttlDays * 86_400);
    // Chunk 0 last: it commits the value.
    for (let i = parts - 1; i >= 0; i--) {
      const item: Item = {
        PK: { S: `PART#${runId}` },
        SK: { S: chunkSk(key, i) },
        type: { S: 'partial' },
        writeId: { S: writeId },
        parts: { N: String(parts) },
        data: { B: data.subarray(i * this.chunkBytes, (i + 1) * this.chunkBytes) },
        [TTL_ATTRIBUTE]: { N: expiresAt },
      };
      try {
        await this.client.send(new PutItemCommand({ TableName: this.table, Item: item }));
      } catch (err) {
        this.fail('PutItem', err);
      }
    }
  }

  /** The value stored under (runId, key), or undefined when none was committed. */
  async get<T>(runId: string, key: string): Promise<T | undefined> {
    const found = await this.list<T>(runId, key);
    return found.find((f) => f.key === key)?.value;
  }

  /** Every committed value of the run whose key starts with `prefix`, in key order. */
  async list<T>(runId: string, prefix: string): Promise<{ key: string; value: T }[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
      ExpressionAttributeValues: { ':pk': { S: `PART#${runId}` }, ':p': { S: prefix } },
      ConsistentRead: true,
    }, (err) => this.fail('Query', err));

    const byKey = new Map<string, Map<number, Item>>();
    for (const item of items) {
      const sk = item.SK?.S ?? '';
      const m = /^(.*)#(\d{4})$/.exec(sk);
      if (!m) continue;
      let chunks = byKey.get(m[1]!);
      if (!chunks) byKey.set(m[1]!, (chunks = new Map()));
      chunks.set(Number(m[2]), item);
    }
    const out: { key: string; value: T }[] = [];
    for (const [key, chunks] of [...byKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const head = chunks.get(0);
      if (!head) continue;
      const writeId = head.writeId?.S;
      const parts = Number(head.parts?.N ?? '0');
      const buffers: Uint8Array[] = [];
      for (let i = 0; i < parts; i++) {
        const c = chunks.get(i);
        if (!c || c.writeId?.S !== writeId || !c.data?.B) break;
        buffers.push(c.data.B);
      }
      // A chunk of the committed write is missing: treat the value as absent (the step did not complete).
      if (buffers.length !== parts) continue;
      try {
        out.push({ key, value: JSON.parse(gunzipSync(Buffer.concat(buffers)).toString('utf8')) as T });
      } catch (err) {
        throw new PartialsError(`dynamodb://${this.table}: partial ${runId}/${key} cannot be decoded: ${errorMessage(err)}`);
      }
    }
    return out;
  }
}
