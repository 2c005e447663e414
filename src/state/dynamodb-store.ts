// The DynamoDB store (`dynamodb://TABLE`): one single table, on-demand, for scheduled org-wide runs.
//
// Key design (aws-integration.md §3, simplified to the access patterns we have: "load the findings of these accounts",
// "write these findings", "was this run committed"):
//   finding  PK = ACCT#<accountId>  SK = F#<findingId>   the FindingRecord as attributes, plus
//            lastRunId, prev (JSON of the record before lastRunId changed it, or NULL) and, while RESOLVED,
//            expiresAt (TTL, epoch seconds = resolvedAt + retention).
//   run      PK = RUN#<runId>       SK = RUN             data (JSON RunRecord). No TTL: loads look runs up by id.
//   recent   PK = RUNS              SK = RECENT          data (JSON: the last RECENT_RUNS run summaries, oldest first),
//            rewritten after each run item (runs are in partitions of their own: no Query lists them). The trend.
// Loading an account is one Query on its partition (no Scan, no index needed).
//
// Crash safety and idempotency: BatchWriteItem is not atomic, so a run writes its findings first and its run item
// last, as a commit mark. A finding item whose lastRunId has no run item (the run died mid-write), or whose lastRunId
// is the run now loading (a re-run of the same run), is read as its `prev`. So a run interrupted after any number of
// batches, then run again, computes the same NEW/RESOLVED as if the first attempt never happened, and writes the same
// items under the same keys: no duplicates, no losses.
//
// Overlapping runs: a run holds the history's lease from its load to its save —
//   lock     PK = LOCK              SK = HISTORY   owner (run id), token, until (epoch ms)
// taken with a conditional PutItem (free, expired, or this very run re-running), renewed with a conditional UpdateItem
// (`token = :mine`) while the findings are written and once more right before the run item: the commit is conditional
// on still holding the lease, so two overlapping runs can never both commit. The second run waits (bounded) for the
// first to finish, then loads what it saved.
import { randomUUID } from 'node:crypto';
import {
  BatchGetItemCommand, BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, DescribeTableCommand, GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand,
  UpdateTimeToLiveCommand, type AttributeValue, type CreateTableCommandInput, type DynamoDBClient, type QueryCommandInput, type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import pLimit from 'p-limit';
import { errorCode, errorMessage } from '../aws/errors.js';
import { DEFAULT_RETENTION_DAYS, RECENT_RUNS, StateError, isExpired, runSummary, type HistoryLock, type FindingDiff, type FindingRecord, type LoadScope, type RunRecord, type RunSummary, type StateStore } from './store.js';

export const TTL_ATTRIBUTE = 'expiresAt';

/** The table the store expects (deploy/ creates the same; tests create it with ensureTable). */
export function tableSchema(table: string): CreateTableCommandInput {
  return {
    TableName: table,
    KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }, { AttributeName: 'SK', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'S' }, { AttributeName: 'SK', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  };
}

export type DynamoLike = Pick<DynamoDBClient, 'send'>;

const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Creates the table if missing, waits until it is ACTIVE and (unless `ttl: false`) enables TTL on expiresAt. */
export async function ensureTable(client: DynamoLike, table: string, opts: { ttl?: boolean; sleep?: (ms: number) => Promise<void> } = {}): Promise<void> {
  const sleep = opts.sleep ?? sleepMs;
  try {
    await client.send(new CreateTableCommand(tableSchema(table)));
  } catch (err) {
    if (errorCode(err) !== 'ResourceInUseException') throw new StateError(`dynamodb://${table}: CreateTable failed: ${errorCode(err)} (${errorMessage(err)})`);
  }
  for (let i = 0; ; i++) {
    const out = await client.send(new DescribeTableCommand({ TableName: table }));
    if (out.Table?.TableStatus === 'ACTIVE') break;
    if (i >= 120) throw new StateError(`dynamodb://${table}: table is not ACTIVE after 60 s (${out.Table?.TableStatus})`);
    await sleep(500);
  }
  if (opts.ttl === false) return;
  try {
    await client.send(new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true } }));
  } catch (err) {
    // Already enabled is answered with a ValidationException.
    if (!/already enabled/i.test(errorMessage(err))) throw new StateError(`dynamodb://${table}: UpdateTimeToLive failed: ${errorCode(err)} (${errorMessage(err)})`);
  }
}

const STRING_FIELDS = [
  'findingId', 'checkId', 'title', 'severity', 'accountId', 'region', 'resourceArn', 'resourceName', 'resourceKind',
  'status', 'firstSeen', 'lastSeen', 'resolvedAt', 'reopenedAt', 'message', 'lastRunId',
] as const;

type Item = Record<string, AttributeValue>;

/** Every item a Query matches, page after page (LastEvaluatedKey); a failed call goes to `fail`, which throws. */
export async function queryAll(client: DynamoLike, input: Omit<QueryCommandInput, 'ExclusiveStartKey'>, fail: (err: unknown) => never): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    let out;
    try {
      out = await client.send(new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
    } catch (err) {
      fail(err);
    }
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

function toItem(after: FindingRecord, before: FindingRecord | undefined, retentionDays: number): Item {
  const item: Item = {
    PK: { S: `ACCT#${after.accountId}` },
    SK: { S: `F#${after.findingId}` },
    type: { S: 'finding' },
    prev: before ? { S: JSON.stringify(before) } : { NULL: true },
  };
  // Empty strings are left out (older emulators reject them); fromItem reads them back as ''.
  for (const f of STRING_FIELDS) {
    const v = after[f];
    if (v !== undefined && v !== '') item[f] = { S: v };
  }
  if (after.suppressed) item.suppressed = { BOOL: true };
  if (after.delivery && Object.keys(after.delivery).length > 0) item.delivery = { S: JSON.stringify(after.delivery) };
  if (after.status === 'RESOLVED' && after.resolvedAt) {
    item[TTL_ATTRIBUTE] = { N: String(Math.floor(Date.parse(after.resolvedAt) / 1000) + retentionDays * 86_400) };
  }
  return item;
}

function fromItem(item: Item): FindingRecord {
  const r: Record<string, unknown> = {};
  for (const f of STRING_FIELDS) {
    const v = item[f]?.S;
    if (v !== undefined) r[f] = v;
    else if (f !== 'resolvedAt' && f !== 'reopenedAt') r[f] = '';
  }
  if (item.suppressed?.BOOL) r.suppressed = true;
  if (item.delivery?.S) {
    try {
      r.delivery = JSON.parse(item.delivery.S);
    } catch {
      // Unreadable marks: as if nothing was delivered (Security Hub gets it again, which is idempotent).
    }
  }
  return r as unknown as FindingRecord;
}

export interface DynamoStoreOptions {
  retentionDays?: number;
  /** Attempts per BatchWriteItem chunk while UnprocessedItems remain (default 8). */
  maxAttempts?: number;
  /** Test hook for the backoff. */
  sleep?: (ms: number) => Promise<void>;
  /** The history lease: how long a holder may go without renewing it (default 15 minutes), longest wait (default 60 s). */
  lease?: { durationMs?: number; waitMs?: number; clock?: () => number };
}

const LOCK_KEY = { PK: { S: 'LOCK' }, SK: { S: 'HISTORY' } };
const RECENT_KEY = { PK: { S: 'RUNS' }, SK: { S: 'RECENT' } };
/** Renew the lease at least this often while writing. */
const RENEW_EVERY_MS = 30_000;

export class DynamoStore implements StateStore {
  readonly location: string;
  private readonly retentionDays: number;
  private readonly maxAttempts: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly leaseMs: number;
  private readonly leaseWaitMs: number;
  private readonly clock: () => number;
  /** The lease this store holds (lock → release). */
  private lease: { runId: string; token: string; renewedAt: number } | undefined;

  constructor(private readonly client: DynamoLike, readonly table: string, opts: DynamoStoreOptions = {}) {
    this.location = `dynamodb://${table}`;
    this.retentionDays = opts.retentionDays ?? DEFAULT_RETENTION_DAYS;
    this.maxAttempts = opts.maxAttempts ?? 8;
    this.sleep = opts.sleep ?? sleepMs;
    this.leaseMs = opts.lease?.durationMs ?? 15 * 60_000;
    this.leaseWaitMs = opts.lease?.waitMs ?? 60_000;
    this.clock = opts.lease?.clock ?? Date.now;
  }

  async lock(runId: string): Promise<HistoryLock> {
    const token = randomUUID();
    const started = this.clock();
    for (let attempt = 0; ; attempt++) {
      const now = this.clock();
      try {
        await this.client.send(new PutItemCommand({
          TableName: this.table,
          Item: { ...LOCK_KEY, type: { S: 'lock' }, owner: { S: runId }, token: { S: token }, until: { N: String(now + this.leaseMs) }, since: { S: new Date(now).toISOString() } },
          // Free, expired, or held by an earlier attempt of this same run (a retried step that died holding it).
          ConditionExpression: 'attribute_not_exists(PK) OR #until < :now OR #owner = :run',
          ExpressionAttributeNames: { '#until': 'until', '#owner': 'owner' },
          ExpressionAttributeValues: { ':now': { N: String(now) }, ':run': { S: runId } },
        }));
        this.lease = { runId, token, renewedAt: now };
        return { release: () => this.release(token) };
      } catch (err) {
        if (errorCode(err) !== 'ConditionalCheckFailedException') this.fail('PutItem (history lock)', err);
      }
      if (this.clock() - started >= this.leaseWaitMs) {
        const holder = await this.holder();
        throw new StateError(
          `${this.location}: the history is held by ${holder ? `run ${holder.owner} (since ${holder.since}, lease until ${new Date(holder.until).toISOString()})` : 'another run'}; waited ${Math.round(this.leaseWaitMs / 1000)} s. Overlapping runs take turns; this run is not recorded`,
        );
      }
      await this.sleep(Math.min(2000, 100 * 2 ** Math.min(attempt, 5)));
    }
  }

  private async holder(): Promise<{ owner: string; since: string; until: number } | undefined> {
    try {
      const out = await this.client.send(new QueryCommand({
        TableName: this.table, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': LOCK_KEY.PK }, ConsistentRead: true,
      }));
      const item = out.Items?.[0];
      return item ? { owner: item.owner?.S ?? '?', since: item.since?.S ?? '?', until: Number(item.until?.N ?? 0) } : undefined;
    } catch {
      return undefined;
    }
  }

  /** Extends the lease; fails when another run took it over (this one was too slow): nothing more may be written. */
  private async renew(force = false): Promise<void> {
    const lease = this.lease;
    if (!lease) return;
    const now = this.clock();
    if (!force && now - lease.renewedAt < RENEW_EVERY_MS) return;
    try {
      await this.client.send(new UpdateItemCommand({
        TableName: this.table,
        Key: LOCK_KEY,
        UpdateExpression: 'SET #until = :until',
        ConditionExpression: '#token = :token',
        ExpressionAttributeNames: { '#until': 'until', '#token': 'token' },
        ExpressionAttributeValues: { ':until': { N: String(now + this.leaseMs) }, ':token': { S: lease.token } },
      }));
      lease.renewedAt = now;
    } catch (err) {
      if (errorCode(err) === 'ConditionalCheckFailedException') {
        this.lease = undefined;
        throw new StateError(`${this.location}: run ${lease.runId} lost the history lease to another run (held past ${Math.round(this.leaseMs / 1000)} s); this run is not recorded`);
      }
      this.fail('UpdateItem (history lock)', err);
    }
  }

  private async release(token: string): Promise<void> {
    if (this.lease?.token === token) this.lease = undefined;
    try {
      await this.client.send(new DeleteItemCommand({
        TableName: this.table, Key: LOCK_KEY, ConditionExpression: '#token = :token',
        ExpressionAttributeNames: { '#token': 'token' }, ExpressionAttributeValues: { ':token': { S: token } },
      }));
    } catch {
      // Taken over, or unreachable: it expires by itself.
    }
  }

  private fail(operation: string, err: unknown): never {
    if (err instanceof StateError) throw err;
    throw new StateError(`${this.location}: ${operation} failed: ${errorCode(err)} (${errorMessage(err)})`);
  }

  async load(scope: LoadScope): Promise<FindingRecord[]> {
    // One partition per account; accounts are read a few at a time (an organisation can have hundreds).
    const limit = pLimit(8);
    const perAccount = await Promise.all(scope.accountIds.map((accountId) => limit(() => this.queryAccount(accountId))));
    const items = perAccount.flat();

    const runIds = [...new Set(items.map((i) => i.lastRunId?.S).filter((id): id is string => !!id && id !== scope.runId))];
    const committed = await this.committedRuns(runIds);
    const records: FindingRecord[] = [];
    for (const item of items) {
      const runId = item.lastRunId?.S;
      let record: FindingRecord | undefined;
      if (runId && runId !== scope.runId && committed.has(runId)) record = fromItem(item);
      else if (item.prev?.S) record = JSON.parse(item.prev.S) as FindingRecord;
      if (record && !isExpired(record, scope.now, this.retentionDays)) records.push(record);
    }
    return records;
  }

  private queryAccount(accountId: string): Promise<Item[]> {
    return queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :f)',
      ExpressionAttributeValues: { ':pk': { S: `ACCT#${accountId}` }, ':f': { S: 'F#' } },
      ConsistentRead: true,
    }, (err) => this.fail('Query', err));
  }

  /** Which of these run ids have a run item (BatchGetItem, 100 keys a call, UnprocessedKeys retried). */
  private async committedRuns(runIds: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < runIds.length; i += 100) {
      let keys: Item[] | undefined = runIds.slice(i, i + 100).map((id) => ({ PK: { S: `RUN#${id}` }, SK: { S: 'RUN' } }));
      for (let attempt = 1; keys && keys.length > 0; attempt++) {
        if (attempt > this.maxAttempts) throw new StateError(`${this.location}: BatchGetItem left ${keys.length} keys unprocessed after ${this.maxAttempts} attempts`);
        if (attempt > 1) await this.sleep(this.backoff(attempt - 1));
        let out;
        try {
          out = await this.client.send(new BatchGetItemCommand({
            RequestItems: { [this.table]: { Keys: keys, ConsistentRead: true, ProjectionExpression: 'PK' } },
          }));
        } catch (err) {
          this.fail('BatchGetItem', err);
        }
        for (const item of out.Responses?.[this.table] ?? []) found.add(item.PK!.S!.slice('RUN#'.length));
        keys = out.UnprocessedKeys?.[this.table]?.Keys;
      }
    }
    return found;
  }

  async save(diff: FindingDiff, run: RunRecord): Promise<void> {
    const requests: WriteRequest[] = diff.changes.map((c) => ({ PutRequest: { Item: toItem(c.after, c.before, this.retentionDays) } }));
    await this.renew(true);
    for (let i = 0; i < requests.length; i += 25) {
      await this.renew();
      await this.writeBatch(requests.slice(i, i + 25));
    }
    // The commit mark: written only once every finding item is in, and only while this run still holds the lease.
    await this.renew(true);
    try {
      await this.client.send(new PutItemCommand({
        TableName: this.table,
        Item: { PK: { S: `RUN#${run.runId}` }, SK: { S: 'RUN' }, type: { S: 'run' }, startedAt: { S: run.startedAt }, data: { S: JSON.stringify(run) } },
      }));
    } catch (err) {
      this.fail('PutItem', err);
    }
    // The recent runs, this one last (a re-run of the same run replaces its entry). Still under the lease: no other
    // run rewrites the item meanwhile. Summaries only: an organization's account list would outgrow the 400 KB item.
    const runs = [...(await this.readRecent()).filter((r) => r.runId !== run.runId), runSummary(run)].slice(-RECENT_RUNS);
    try {
      await this.client.send(new PutItemCommand({ TableName: this.table, Item: { ...RECENT_KEY, type: { S: 'recent-runs' }, data: { S: JSON.stringify(runs) } } }));
    } catch (err) {
      this.fail('PutItem (recent runs)', err);
    }
  }

  async recentRuns(n: number): Promise<RunSummary[]> {
    const take = Math.max(0, Math.min(n, RECENT_RUNS));
    return take === 0 ? [] : (await this.readRecent()).slice(-take);
  }

  private async readRecent(): Promise<RunSummary[]> {
    let out;
    try {
      out = await this.client.send(new GetItemCommand({ TableName: this.table, Key: RECENT_KEY, ConsistentRead: true }));
    } catch (err) {
      this.fail('GetItem (recent runs)', err);
    }
    const text = out?.Item?.data?.S;
    if (text === undefined) return [];
    let runs: unknown;
    try {
      runs = JSON.parse(text);
    } catch {
      runs = undefined;
    }
    if (!Array.isArray(runs)) throw new StateError(`${this.location}: the recent-runs item (PK=RUNS, SK=RECENT) is not a JSON list; fix or delete it`);
    return runs as RunSummary[];
  }

  async saveDelivery(records: readonly FindingRecord[]): Promise<void> {
    const limit = pLimit(8);
    await Promise.all(records.map((r) => limit(async () => {
      const marks = r.delivery && Object.keys(r.delivery).length > 0 ? JSON.stringify(r.delivery) : undefined;
      try {
        await this.client.send(new UpdateItemCommand({
          TableName: this.table,
          Key: { PK: { S: `ACCT#${r.accountId}` }, SK: { S: `F#${r.findingId}` } },
          UpdateExpression: marks ? 'SET delivery = :d' : 'REMOVE delivery',
          // Only the record as this run left it: a later run's change is never overwritten.
          ConditionExpression: 'attribute_exists(PK) AND lastRunId = :run',
          ExpressionAttributeValues: { ':run': { S: r.lastRunId }, ...(marks ? { ':d': { S: marks } } : {}) },
        }));
      } catch (err) {
        if (errorCode(err) !== 'ConditionalCheckFailedException') this.fail('UpdateItem (delivery)', err);
      }
    })));
  }

  private backoff(attempt: number): number {
    // Full jitter, 50 ms doubling, capped at 5 s.
    return Math.round(Math.random() * Math.min(5000, 50 * 2 ** attempt));
  }

  private async writeBatch(batch: WriteRequest[]): Promise<void> {
    let pending: WriteRequest[] | undefined = batch;
    for (let attempt = 1; pending && pending.length > 0; attempt++) {
      if (attempt > this.maxAttempts) {
        throw new StateError(`${this.location}: ${pending.length} items still unprocessed after ${this.maxAttempts} BatchWriteItem attempts; this run is not recorded`);
      }
      if (attempt > 1) await this.sleep(this.backoff(attempt - 1));
      let out;
      try {
        out = await this.client.send(new BatchWriteItemCommand({ RequestItems: { [this.table]: pending } }));
      } catch (err) {
        this.fail('BatchWriteItem', err);
      }
      pending = out.UnprocessedItems?.[this.table];
    }
  }
}
