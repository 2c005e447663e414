// A dynalite server on 127.0.0.1 for the Lambda handler tests (the state table, the partials).
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { ClientFactory } from '../../src/aws/clients.js';
import { ensureTable } from '../../src/state/dynamodb-store.js';

// dynalite ships no types.
const dynalite = createRequire(import.meta.url)('dynalite') as (opts: { createTableMs?: number }) => Server;

export const FAKE_CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' };

export interface LocalDynamo {
  endpoint: string;
  client: DynamoDBClient;
  newTable(): Promise<string>;
  scanAll(table: string): Promise<Record<string, AttributeValue>[]>;
  close(): Promise<void>;
}

let seq = 0;

export async function startDynalite(): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const factory = new ClientFactory({ readOnly: false, endpoint, credentials: FAKE_CREDENTIALS, maxAttempts: 1 });
  const client = factory.get(DynamoDBClient, 'us-east-1');
  return {
    endpoint,
    client,
    async newTable() {
      const table = `lens-audit-lambda-${process.pid}-${++seq}`;
      await ensureTable(client, table, { ttl: false }); // dynalite has no UpdateTimeToLive
      return table;
    },
    async scanAll(table) {
      const items: Record<string, AttributeValue>[] = [];
      let start: Record<string, AttributeValue> | undefined;
      do {
        const out = await client.send(new ScanCommand({ TableName: table, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
        items.push(...(out.Items ?? []));
        start = out.LastEvaluatedKey;
      } while (start);
      return items.sort((a, b) => `${a.PK!.S}${a.SK!.S}`.localeCompare(`${b.PK!.S}${b.SK!.S}`));
    },
    async close() {
      factory.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
