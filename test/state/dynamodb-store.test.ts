import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BatchGetItemCommand, BatchWriteItemCommand, DynamoDBClient, PutItemCommand, QueryCommand, ScanCommand, type AttributeValue, type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientFactory, operationName } from '../../src/aws/clients.js';
import { DynamoStore, ensureTable, type DynamoLike } from '../../src/state/dynamodb-store.js';
import { buildCoverage, diffFindings } from '../../src/state/diff.js';
import { openStore } from '../../src/state/index.js';
import { RECENT_RUNS, RUN_SUMMARY_ACCOUNTS, StateError, runRecord, type FindingRecord, type StateStore } from '../../src/state/store.js';
import type { Result } from '../../src/model/index.js';
import { ACCOUNT, OTHER_ACCOUNT, result } from './helpers.js';

// dynalite ships no types.
const dynalite = createRequire(import.meta.url)('dynalite') as (opts: { createTableMs?: number }) => Server;

let server: Server;
let endpoint: string;
let factory: ClientFactory;
let raw: DynamoDBClient;
let tableSeq = 0;

beforeAll(async () => {
  server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  factory = new ClientFactory({ readOnly: false, endpoint, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' }, maxAttempts: 1 });
  raw = factory.get(DynamoDBClient, 'us-east-1');
});
afterAll(async () => {
  factory.destroy();
  await new Promise((resolve) => server.close(resolve));
});

async function newTable(): Promise<string> {
  const table = `lens-audit-test-${++tableSeq}`;
  await ensureTable(raw, table, { ttl: false }); // dynalite has no UpdateTimeToLive
  return table;
}

/** Every item of the table (test inspection only; the store itself never scans). */
async function scanAll(table: string): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const out = await raw.send(new ScanCommand({ TableName: table, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items.sort((a, b) => `${a.PK!.S}${a.SK!.S}`.localeCompare(`${b.PK!.S}${b.SK!.S}`));
}

/** A client that records operations and can fail BatchWriteItem from the n-th call on. */
function recordingClient(failBatchFrom?: number): DynamoLike & { ops: string[]; batchSizes: number[] } {
  const ops: string[] = [];
  const batchSizes: number[] = [];
  let batches = 0;
  const client = {
    ops,
    batchSizes,
    send: async (cmd: object) => {
      const op = operationName(cmd);
      ops.push(op);
      if (cmd instanceof BatchWriteItemCommand) {
        batches++;
        batchSizes.push(Object.values(cmd.input.RequestItems ?? {})[0]!.length);
        if (failBatchFrom !== undefined && batches >= failBatchFrom) throw Object.assign(new Error('connection reset'), { name: 'NetworkingError' });
      }
      return raw.send(cmd as never);
    },
  };
  return client as unknown as DynamoLike & { ops: string[]; batchSizes: number[] };
}

const DAY = (n: number) => new Date(Date.UTC(2026, 5, n));

async function runOnce(store: StateStore, results: Result[], runId: string, now: Date) {
  const previous = await store.load({ accountIds: [ACCOUNT], runId, now });
  const diff = diffFindings(previous, results, buildCoverage(results, { accounts: [] }), { runId, now });
  await store.save(diff, runRecord(diff, {
    runId, startedAt: now.toISOString(), finishedAt: now.toISOString(), accounts: [ACCOUNT], regions: ['us-east-1'], failedScopes: [],
  }));
  return diff;
}

const fails = (names: string[]) => names.map((n) => result('FAIL', n));
const names = (rs: FindingRecord[]) => rs.map((r) => r.resourceName).sort();
const range = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`);

describe('DynamoStore delivery marks (issue 20 point 5)', () => {
  it('saves the marks on the findings, carries them over a persisting run, and never overwrites a later run', async () => {
    const table = await newTable();
    const store = openStore(`dynamodb://${table}?region=us-east-1`, { aws: { endpoint, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' } } });
    try {
      const d1 = await runOnce(store, fails(['a', 'b']), 'r1', DAY(1));
      const [a, b] = d1.new;
      await store.saveDelivery([
        { ...a!, delivery: { securityHub: { sentAt: DAY(1).toISOString(), digest: 'd-a' } } },
        { ...b!, delivery: { slackPending: true } },
      ]);
      const loaded = new Map((await store.load({ accountIds: [ACCOUNT], runId: 'r2', now: DAY(2) })).map((r) => [r.resourceName, r]));
      expect(loaded.get('a')!.delivery).toEqual({ securityHub: { sentAt: DAY(1).toISOString(), digest: 'd-a' } });
      expect(loaded.get('b')!.delivery).toEqual({ slackPending: true });

      // Persisting: the marks carry over into the next run's records.
      const d2 = await runOnce(store, fails(['a', 'b']), 'r2', DAY(2));
      expect(d2.persisting.find((r) => r.resourceName === 'a')!.delivery).toEqual({ securityHub: { sentAt: DAY(1).toISOString(), digest: 'd-a' } });
      // Marks written for r1's version of a record are refused once r2 changed it; clearing them (REMOVE) works.
      await store.saveDelivery([{ ...a!, delivery: { securityHubArchivePending: true } }, { ...d2.persisting.find((r) => r.resourceName === 'b')! , delivery: {} }]);
      const after = new Map((await store.load({ accountIds: [ACCOUNT], runId: 'r3', now: DAY(3) })).map((r) => [r.resourceName, r]));
      expect(after.get('a')!.delivery).toEqual({ securityHub: { sentAt: DAY(1).toISOString(), digest: 'd-a' } });
      expect(after.get('b')!.delivery).toBeUndefined();
    } finally {
      store.close();
    }
  });
});

describe('DynamoStore against dynalite', () => {
  it('first run, then a run that resolves one finding and adds another', async () => {
    const table = await newTable();
    const store = openStore(`dynamodb://${table}?region=us-east-1`, { aws: { endpoint, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' } } });
    try {
      const d1 = await runOnce(store, fails(['a', 'b', 'c']), 'r1', DAY(1));
      expect(names(d1.new)).toEqual(['a', 'b', 'c']);
      let items = await scanAll(table);
      expect(items.map((i) => i.PK!.S)).toEqual([`ACCT#${ACCOUNT}`, `ACCT#${ACCOUNT}`, `ACCT#${ACCOUNT}`, 'RUN#r1', 'RUNS']);
      expect(items[0]!.SK!.S).toMatch(/^F#[0-9a-f]{32}$/);
      expect(items[0]).toMatchObject({ status: { S: 'OPEN' }, lastRunId: { S: 'r1' }, prev: { NULL: true }, checkId: { S: 'lambda.no-tracing' } });
      expect(items[0]!.expiresAt).toBeUndefined();

      const d2 = await runOnce(store, [result('FAIL', 'a'), result('PASS', 'b'), result('FAIL', 'c'), result('FAIL', 'd')], 'r2', DAY(2));
      expect(names(d2.new)).toEqual(['d']);
      expect(names(d2.persisting)).toEqual(['a', 'c']);
      expect(names(d2.resolved)).toEqual(['b']);
      expect(d2.persisting[0]!.firstSeen).toBe(DAY(1).toISOString());

      items = await scanAll(table);
      expect(items.filter((i) => i.type!.S === 'finding')).toHaveLength(4);
      const b = items.find((i) => i.resourceName?.S === 'b')!;
      expect(b.status!.S).toBe('RESOLVED');
      // TTL: resolvedAt + 90 days, epoch seconds.
      expect(Number(b.expiresAt!.N)).toBe(DAY(2).getTime() / 1000 + 90 * 86_400);
      expect(JSON.parse(b.prev!.S!)).toMatchObject({ status: 'OPEN', lastRunId: 'r1' });

      const loaded = await store.load({ accountIds: [ACCOUNT], runId: 'r3', now: DAY(3) });
      expect(loaded.map((r) => [r.resourceName, r.status]).sort()).toEqual([['a', 'OPEN'], ['b', 'RESOLVED'], ['c', 'OPEN'], ['d', 'OPEN']]);
      // Past the retention a resolved finding is gone even if TTL has not deleted the item yet.
      const later = await store.load({ accountIds: [ACCOUNT], runId: 'r3', now: new Date(DAY(2).getTime() + 90 * 86_400_000) });
      expect(names(later)).toEqual(['a', 'c', 'd']);
      expect(await store.load({ accountIds: [OTHER_ACCOUNT], runId: 'r3', now: DAY(3) })).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('loads with Query on the account partitions, never Scan; writes in chunks of 25', async () => {
    const table = await newTable();
    const client = recordingClient();
    const store = new DynamoStore(client, table);
    await runOnce(store, fails(range('f', 60)), 'r1', DAY(1));
    expect(client.ops).not.toContain('Scan');
    expect(client.ops.filter((o) => o === 'Query')).toHaveLength(1);
    expect(client.batchSizes).toEqual([25, 25, 10]);
    expect(client.ops.at(-1)).toBe('PutItem'); // the run item comes last
  });

  it.each([
    ['a new run id', 'r3'],
    ['the same run id', 'r2'],
  ])('a run interrupted mid-write, then re-run with %s: no duplicates, no losses', async (_label, rerunId) => {
    const table = await newTable();
    const store = new DynamoStore(recordingClient(), table);
    const first = range('old', 30);
    await runOnce(store, fails(first), 'r1', DAY(1));

    // Run 2: old00 passes (resolved), old01..old29 persist, 30 new ones: 60 changed items, 3 batches.
    const second = [result('PASS', 'old00'), ...fails(first.slice(1)), ...fails(range('new', 30))];
    const broken = recordingClient(2);
    await expect(runOnce(new DynamoStore(broken, table), second, 'r2', DAY(2))).rejects.toThrow(StateError);
    expect(broken.batchSizes).toEqual([25, 25]);
    expect(broken.ops).not.toContain('PutItem'); // not committed
    expect((await scanAll(table)).filter((i) => i.lastRunId?.S === 'r2')).toHaveLength(25);

    // The re-run sees the history as it was before run 2 and reports what run 2 should have reported.
    const rerun = await runOnce(store, second, rerunId, DAY(2));
    expect(names(rerun.new)).toEqual(range('new', 30));
    expect(names(rerun.resolved)).toEqual(['old00']);
    expect(names(rerun.persisting)).toEqual(first.slice(1));
    expect(rerun.persisting.every((r) => r.firstSeen === DAY(1).toISOString())).toBe(true);

    const items = await scanAll(table);
    const findings = items.filter((i) => i.type!.S === 'finding');
    expect(findings).toHaveLength(60);
    expect(new Set(findings.map((i) => i.SK!.S)).size).toBe(60);
    expect(findings.every((i) => i.lastRunId!.S === rerunId)).toBe(true);
    const loaded = await store.load({ accountIds: [ACCOUNT], runId: 'r9', now: DAY(3) });
    expect(loaded).toHaveLength(60);
    expect(loaded.filter((r) => r.status === 'OPEN')).toHaveLength(59);
  });

  it('re-running a completed run writes the same items and reports the same diff', async () => {
    const table = await newTable();
    const store = new DynamoStore(recordingClient(), table);
    await runOnce(store, fails(['a', 'b']), 'r1', DAY(1));
    const results = [result('FAIL', 'a'), result('PASS', 'b'), result('FAIL', 'c')];
    const d = await runOnce(store, results, 'r2', DAY(2));
    const before = await scanAll(table);
    const again = await runOnce(store, results, 'r2', DAY(2));
    expect(await scanAll(table)).toEqual(before);
    expect({ new: names(again.new), resolved: names(again.resolved), persisting: names(again.persisting) })
      .toEqual({ new: names(d.new), resolved: names(d.resolved), persisting: names(d.persisting) });
    expect(names(again.new)).toEqual(['c']);
  });

  it('a missing table is a one-line StateError', async () => {
    const store = new DynamoStore(raw, 'no-such-table');
    const err = await store.load({ accountIds: [ACCOUNT], runId: 'r', now: DAY(1) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateError);
    expect((err as Error).message).toMatch(/^dynamodb:\/\/no-such-table: Query failed: ResourceNotFoundException/);
  });
});

describe('DynamoStore with a mocked client', () => {
  const item = (id: string): WriteRequest => ({ PutRequest: { Item: { PK: { S: `ACCT#${ACCOUNT}` }, SK: { S: `F#${id}` } } } });

  function diffOf(n: number) {
    const results = fails(range('f', n));
    return diffFindings([], results, buildCoverage(results, { accounts: [] }), { runId: 'r1', now: DAY(1) });
  }
  const run = { runId: 'r1', startedAt: DAY(1).toISOString(), finishedAt: DAY(1).toISOString(), accounts: [ACCOUNT], regions: [], failedScopes: [] };

  it('retries UnprocessedItems with backoff until they are written', async () => {
    const mock = mockClient(DynamoDBClient);
    try {
      const diff = diffOf(3);
      let unprocessed: WriteRequest[] = [];
      mock.on(BatchWriteItemCommand)
        .callsFakeOnce((input: { RequestItems: Record<string, WriteRequest[]> }) => {
          unprocessed = input.RequestItems.t!.slice(1);
          return { UnprocessedItems: { t: unprocessed } };
        })
        .resolves({ UnprocessedItems: {} });
      mock.on(PutItemCommand).resolves({});
      const sleeps: number[] = [];
      const store = new DynamoStore(new DynamoDBClient({ region: 'us-east-1' }), 't', { sleep: async (ms) => void sleeps.push(ms) });
      await store.save(diff, runRecord(diff, run));
      const calls = mock.commandCalls(BatchWriteItemCommand);
      expect(calls).toHaveLength(2);
      expect(calls[0]!.args[0].input.RequestItems!.t).toHaveLength(3);
      expect(calls[1]!.args[0].input.RequestItems!.t).toEqual(unprocessed);
      expect(unprocessed).toHaveLength(2);
      expect(sleeps).toHaveLength(1);
      // the run item (the commit mark), then the recent runs
      expect(mock.commandCalls(PutItemCommand).map((c) => c.args[0].input.Item!.PK!.S)).toEqual(['RUN#r1', 'RUNS']);
    } finally {
      mock.restore();
    }
  });

  it('gives up after the bounded attempts, reports an error and does not commit the run', async () => {
    const mock = mockClient(DynamoDBClient);
    try {
      mock.on(BatchWriteItemCommand).resolves({ UnprocessedItems: { t: [item('x')] } });
      mock.on(PutItemCommand).resolves({});
      const diff = diffOf(1);
      const store = new DynamoStore(new DynamoDBClient({ region: 'us-east-1' }), 't', { maxAttempts: 3, sleep: async () => {} });
      await expect(store.save(diff, runRecord(diff, run))).rejects.toThrow(/1 items still unprocessed after 3 BatchWriteItem attempts/);
      expect(mock.commandCalls(BatchWriteItemCommand)).toHaveLength(3);
      expect(mock.commandCalls(PutItemCommand)).toHaveLength(0);
    } finally {
      mock.restore();
    }
  });

  it('loads page by page with Query on the account partition', async () => {
    const mock = mockClient(DynamoDBClient);
    try {
      const rec = (name: string) => ({ ...diffOf(1).new[0]!, resourceName: name, findingId: name.padEnd(32, '0') });
      const asItem = (r: FindingRecord): Record<string, AttributeValue> => ({
        PK: { S: `ACCT#${ACCOUNT}` }, SK: { S: `F#${r.findingId}` }, type: { S: 'finding' }, prev: { NULL: true },
        ...Object.fromEntries(Object.entries(r).map(([k, v]) => [k, { S: String(v) }])),
      });
      mock.on(QueryCommand)
        .resolvesOnce({ Items: [asItem(rec('a'))], LastEvaluatedKey: { PK: { S: `ACCT#${ACCOUNT}` }, SK: { S: 'F#a' } } })
        .resolvesOnce({ Items: [asItem(rec('b'))] });
      mock.on(BatchGetItemCommand).callsFake((input: { RequestItems?: Record<string, { Keys: unknown[] }> }) => ({
        Responses: { t: input.RequestItems!.t!.Keys }, UnprocessedKeys: {},
      }));
      const store = new DynamoStore(new DynamoDBClient({ region: 'us-east-1' }), 't');
      const loaded = await store.load({ accountIds: [ACCOUNT], runId: 'r2', now: DAY(2) });
      expect(names(loaded)).toEqual(['a', 'b']);
      const queries = mock.commandCalls(QueryCommand);
      expect(queries).toHaveLength(2);
      expect(queries[0]!.args[0].input.ExpressionAttributeValues![':pk']).toEqual({ S: `ACCT#${ACCOUNT}` });
      expect(queries[1]!.args[0].input.ExclusiveStartKey).toEqual({ PK: { S: `ACCT#${ACCOUNT}` }, SK: { S: 'F#a' } });
      expect(mock.commandCalls(ScanCommand)).toHaveLength(0);
    } finally {
      mock.restore();
    }
  });

  it('openStore rejects a malformed URL and a missing region with one line', () => {
    expect(() => openStore('dynamodb://a b')).toThrow(/expected dynamodb:\/\/TABLE/);
    const saved = { r: process.env.AWS_REGION, d: process.env.AWS_DEFAULT_REGION };
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    try {
      expect(() => openStore('dynamodb://findings')).toThrow(/no region/);
    } finally {
      if (saved.r !== undefined) process.env.AWS_REGION = saved.r;
      if (saved.d !== undefined) process.env.AWS_DEFAULT_REGION = saved.d;
    }
    const store = openStore('dynamodb://findings?region=eu-west-1');
    expect(store.location).toBe('dynamodb://findings');
    store.close();
  });
});

describe('DynamoStore recent runs (issue 18, the trend)', () => {
  it('keeps the last runs in one RUNS/RECENT item, with their open findings by severity, oldest first', async () => {
    const table = await newTable();
    const client = recordingClient();
    const store = new DynamoStore(client, table);
    const zero = { INFORMATIONAL: 0, LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0 };
    await runOnce(store, fails(['a', 'b', 'c']), 'r1', DAY(1));
    await runOnce(store, [result('FAIL', 'a'), result('PASS', 'b'), result('FAIL', 'c', { suppressed: 'accepted' })], 'r2', DAY(2));
    let runs = await store.recentRuns(10);
    expect(runs.map((r) => [r.runId, r.openBySeverity])).toEqual([['r1', { ...zero, LOW: 3 }], ['r2', { ...zero, LOW: 1 }]]);
    expect(runs[1]).toMatchObject({ finishedAt: DAY(2).toISOString(), counts: { new: 0, persisting: 2, resolved: 1, kept: 0 } });
    expect(runs[1]).toMatchObject({ accounts: [ACCOUNT] });
    expect(runs[1]).not.toHaveProperty('regions');
    // a re-run of the same run replaces its entry
    await runOnce(store, fails(['a']), 'r2', DAY(2));
    runs = await store.recentRuns(10);
    expect(runs.map((r) => r.runId)).toEqual(['r1', 'r2']);
    // read with GetItem on one key: no Scan, no Query across run partitions
    expect(client.ops).not.toContain('Scan');
    expect(client.ops.filter((o) => o === 'GetItem').length).toBeGreaterThan(0);

    // never more than RECENT_RUNS
    for (let i = 3; i <= RECENT_RUNS + 3; i++) await runOnce(store, fails(['a']), `r${i}`, DAY(i));
    runs = await store.recentRuns(100);
    expect(runs).toHaveLength(RECENT_RUNS);
    expect(runs.at(-1)!.runId).toBe(`r${RECENT_RUNS + 3}`);
    expect((await store.recentRuns(3)).map((r) => r.runId)).toEqual([`r${RECENT_RUNS + 1}`, `r${RECENT_RUNS + 2}`, `r${RECENT_RUNS + 3}`]);
    const items = await scanAll(table);
    expect(items.filter((i) => i.PK!.S === 'RUNS')).toHaveLength(1);
  });

  it('leaves out the account list of a run of more than RUN_SUMMARY_ACCOUNTS accounts (the item stays small)', async () => {
    const table = await newTable();
    const store = new DynamoStore(raw, table);
    const many = Array.from({ length: RUN_SUMMARY_ACCOUNTS + 1 }, (_, i) => String(100000000000 + i));
    const diff = diffFindings([], [], buildCoverage([], { accounts: [] }), { runId: 'big', now: DAY(1) });
    await store.save(diff, runRecord(diff, { runId: 'big', startedAt: DAY(1).toISOString(), finishedAt: DAY(1).toISOString(), accounts: many, regions: ['us-east-1'], failedScopes: [] }));
    const [run] = await store.recentRuns(1);
    expect(run).toMatchObject({ runId: 'big', counts: { new: 0, persisting: 0, resolved: 0, kept: 0 } });
    expect(run).not.toHaveProperty('accounts');
  });

  it('has no recent runs in a new table, and an unreadable item is a StateError', async () => {
    const table = await newTable();
    const store = new DynamoStore(raw, table);
    expect(await store.recentRuns(5)).toEqual([]);
    await raw.send(new PutItemCommand({ TableName: table, Item: { PK: { S: 'RUNS' }, SK: { S: 'RECENT' }, data: { S: '{not json' } } }));
    await expect(store.recentRuns(5)).rejects.toThrow(StateError);
  });
});
