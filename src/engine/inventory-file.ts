// Reading a saved inventory (--inventory): structure validated, one-line errors.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { INVENTORY_SCHEMA_VERSION, KINDS, type Inventory } from '../model/index.js';
import { errorMessage } from '../aws/errors.js';
import { UsageError } from './errors.js';

const gap = z.object({ operation: z.string(), code: z.string(), message: z.string() });
const resource = z.looseObject({
  kind: z.enum(KINDS as [string, ...string[]]),
  arn: z.string().min(1),
  name: z.string(),
  accountId: z.string(),
  region: z.string(),
  tags: z.record(z.string(), z.string()),
  gaps: z.record(z.string(), gap).optional(),
});
const InventorySchema = z.object({
  schemaVersion: z.literal(INVENTORY_SCHEMA_VERSION),
  tool: z.object({ name: z.string(), version: z.string() }),
  collectedAt: z.string(),
  accounts: z.array(
    z.object({
      accountId: z.string().regex(/^\d{12}$/, 'account ids are 12 digits'),
      partition: z.string(),
      regions: z.array(
        z.object({
          region: z.string().min(1),
          resources: z.partialRecord(z.enum(KINDS as [string, ...string[]]), z.array(resource)),
          listGaps: z.array(gap.extend({ kind: z.enum(KINDS as [string, ...string[]]), scopeArn: z.string(), scopeName: z.string().optional() })),
        }),
      ),
    }),
  ),
  errors: z.array(z.object({ accountId: z.string(), region: z.string(), service: z.string(), operation: z.string(), code: z.string(), message: z.string() })),
  apiCalls: z.record(z.string(), z.number()).optional(),
});

export function parseInventory(raw: unknown, source = 'inventory'): Inventory {
  if (raw && typeof raw === 'object' && 'schemaVersion' in raw && (raw as { schemaVersion: unknown }).schemaVersion !== INVENTORY_SCHEMA_VERSION) {
    throw new UsageError(`${source}: schemaVersion ${String((raw as { schemaVersion: unknown }).schemaVersion)} is not supported (this version reads ${INVENTORY_SCHEMA_VERSION})`);
  }
  const parsed = InventorySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`${source}: ${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
  }
  const inv = parsed.data as unknown as Inventory;
  for (const a of inv.accounts) {
    for (const r of a.regions) {
      for (const [kind, list] of Object.entries(r.resources)) {
        for (const res of list ?? []) {
          if (res.kind !== kind) throw new UsageError(`${source}: a ${res.kind} resource (${res.arn}) is listed under ${kind}`);
        }
      }
    }
  }
  return inv;
}

export function readInventory(path: string): Inventory {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read inventory file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`inventory file ${path} is not valid JSON: ${errorMessage(err)}`);
  }
  return parseInventory(raw, `inventory file ${path}`);
}
