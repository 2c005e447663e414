// Findings history: open a store by URL or path, diff a run against it.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ClientFactory, type ClientFactoryOptions } from '../aws/clients.js';
import { DynamoStore } from './dynamodb-store.js';
import { DEFAULT_STATE_PATH, FileStore } from './file-store.js';
import { StateError, type StateStore } from './store.js';

export * from './store.js';
export * from './diff.js';
export { FileStore, DEFAULT_STATE_PATH, writeAtomic } from './file-store.js';
export { DynamoStore, ensureTable, queryAll, tableSchema, TTL_ATTRIBUTE } from './dynamodb-store.js';
export { writeFileAtomic, batches } from './atomic-write.js';
export { DynamoPostedMarker, FilePostedMarker, MemoryPostedMarker, filePostedMarkerBeside, type PostedMarker } from './posted-marker.js';

export interface OpenStoreOptions {
  /** Days a resolved finding is remembered (file: dropped on save; DynamoDB: TTL). Default 90. */
  retentionDays?: number;
  /** Credentials, profile, endpoint (e.g. dynalite), counter for the DynamoDB client. readOnly is forced to false. */
  aws?: ClientFactoryOptions;
  /** Region of the table when the URL has no `?region=`; else AWS_REGION / AWS_DEFAULT_REGION. */
  region?: string;
}

/**
 * `dynamodb://TABLE[?region=REGION]` → DynamoStore; anything else is a file path (default `.lens-audit/state.json`).
 * Throws StateError (one line) on a malformed URL or a missing region.
 */
export function openStore(target: string = DEFAULT_STATE_PATH, opts: OpenStoreOptions = {}): StateStore & { close(): void } {
  if (!target.startsWith('dynamodb://')) {
    const store = new FileStore(target, { retentionDays: opts.retentionDays });
    return Object.assign(store, { close() {} });
  }
  const [table = '', query = ''] = target.slice('dynamodb://'.length).split('?', 2);
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(table)) throw new StateError(`state store ${target}: expected dynamodb://TABLE with a valid table name`);
  const region = new URLSearchParams(query).get('region') ?? opts.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) throw new StateError(`state store ${target}: no region (use dynamodb://${table}?region=REGION or set AWS_REGION)`);
  const factory = new ClientFactory({ ...opts.aws, readOnly: false });
  const store = new DynamoStore(factory.get(DynamoDBClient, region), table, { retentionDays: opts.retentionDays });
  return Object.assign(store, { close: () => factory.destroy() });
}
