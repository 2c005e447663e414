// Posted-run markers: which runs' Slack digests were posted, so a retried run (same run id) does not post twice. Run
// state kept next to the findings history: a JSON file beside the file store, items in the DynamoDB state table.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { writeFileAtomic } from './atomic-write.js';
import { TTL_ATTRIBUTE, type DynamoLike } from './dynamodb-store.js';
import { DEFAULT_STATE_PATH } from './file-store.js';

/** Remembers which runs were posted, so a retried run (same run id) does not post twice. */
export interface PostedMarker {
  has(runId: string): Promise<boolean>;
  mark(runId: string): Promise<void>;
}

export class MemoryPostedMarker implements PostedMarker {
  readonly runIds = new Set<string>();
  async has(runId: string): Promise<boolean> {
    return this.runIds.has(runId);
  }
  async mark(runId: string): Promise<void> {
    this.runIds.add(runId);
  }
}

/** A JSON file `{ "runIds": [...] }` keeping the most recent `keep` run ids. */
export class FilePostedMarker implements PostedMarker {
  constructor(readonly path: string, readonly keep = 500) {}

  private async read(): Promise<string[]> {
    try {
      const data = JSON.parse(await readFile(this.path, 'utf8')) as { runIds?: unknown };
      if (!Array.isArray(data.runIds)) throw new Error(`${this.path}: no runIds list`);
      return data.runIds.filter((x): x is string => typeof x === 'string');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }
  async has(runId: string): Promise<boolean> {
    return (await this.read()).includes(runId);
  }
  async mark(runId: string): Promise<void> {
    const ids = (await this.read()).filter((id) => id !== runId);
    ids.push(runId);
    writeFileAtomic(this.path, `${JSON.stringify({ runIds: ids.slice(-this.keep) }, null, 2)}\n`);
  }
}

/**
 * The CLI's markers: `slack-posted.json` beside the state file (a DynamoDB history: beside the default state file,
 * in the working directory).
 */
export function filePostedMarkerBeside(storeTarget: string): FilePostedMarker {
  return new FilePostedMarker(join(dirname(storeTarget.startsWith('dynamodb://') ? DEFAULT_STATE_PATH : storeTarget), 'slack-posted.json'));
}

/** Markers are forgotten after this many days (a run is never retried that late). */
const MARKER_TTL_DAYS = 30;

export class DynamoPostedMarker implements PostedMarker {
  constructor(private readonly client: DynamoLike, readonly table: string, private readonly now: () => Date = () => new Date()) {}

  private key(runId: string) {
    return { PK: { S: 'SLACK#POSTED' }, SK: { S: `RUN#${runId}` } };
  }

  async has(runId: string): Promise<boolean> {
    const out = await this.client.send(new GetItemCommand({ TableName: this.table, Key: this.key(runId), ConsistentRead: true }));
    return out.Item !== undefined;
  }

  async mark(runId: string): Promise<void> {
    const postedAt = this.now();
    await this.client.send(new PutItemCommand({
      TableName: this.table,
      Item: {
        ...this.key(runId),
        type: { S: 'slack-posted' },
        postedAt: { S: postedAt.toISOString() },
        [TTL_ATTRIBUTE]: { N: String(Math.floor(postedAt.getTime() / 1000) + MARKER_TTL_DAYS * 86_400) },
      },
    }));
  }
}
