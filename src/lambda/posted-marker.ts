// The Slack sink's "already posted" marker, kept in the state table, so that a retried finalize step (same run id)
// does not post the digest twice. Adapter for src/sinks/slack.ts PostedMarker.
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { PostedMarker } from '../sinks/slack.js';
import { TTL_ATTRIBUTE, type DynamoLike } from '../state/dynamodb-store.js';

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
