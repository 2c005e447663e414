// The deploy configuration comes from a file (`-c configFile=PATH`, JSON or YAML) or from the `lensAudit` context
// (an object in cdk.json, or a JSON string on the command line: `-c lensAudit='{"scope":{"org":true}}'`).
// Single settings can be overridden on the command line: `-c regions=us-east-1,eu-west-1`, `-c schedule="cron(0 2 * * ? *)"`,
// `-c waWorkload=<workload id>` (Well-Architected Tool notes on that workload).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { App } from 'aws-cdk-lib';
import { parse as parseYaml } from 'yaml';
import { ALL_CHECKS } from '../../checks/index.js';
import { UsageError } from '../../src/engine/errors.js';
import { parseDeployConfig, type DeployConfig } from '../../src/lambda/config.js';

type Raw = Record<string, unknown> & { scope?: Record<string, unknown>; schedule?: Record<string, unknown>; wellArchitected?: Record<string, unknown> };

function readFile(path: string): Raw {
  let text: string;
  try {
    text = readFileSync(resolve(path), 'utf8');
  } catch (err) {
    throw new UsageError(`configFile ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return (path.endsWith('.json') ? JSON.parse(text) : parseYaml(text)) as Raw;
  } catch (err) {
    throw new UsageError(`configFile ${path} cannot be parsed: ${String((err as Error).message).split('\n')[0]}`);
  }
}

export function loadDeployConfig(app: Pick<App, 'node'>): DeployConfig {
  const ctx = (key: string) => app.node.tryGetContext(key) as unknown;
  const file = ctx('configFile');
  const inline = ctx('lensAudit');
  let raw: Raw = {};
  let source = 'context lensAudit';
  if (typeof file === 'string' && file) {
    raw = readFile(file);
    source = `configFile ${file}`;
  } else if (typeof inline === 'string') {
    raw = JSON.parse(inline) as Raw;
  } else if (inline && typeof inline === 'object') {
    raw = structuredClone(inline) as Raw;
  }
  const list = (v: unknown) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v);
  const overrides: [string, (v: unknown) => void][] = [
    ['regions', (v) => (raw.scope = { ...raw.scope, regions: v === 'all' ? 'all' : list(v) })],
    ['accounts', (v) => (raw.scope = { ...raw.scope, accounts: list(v) })],
    ['ous', (v) => (raw.scope = { ...raw.scope, ous: list(v) })],
    ['roleName', (v) => (raw.scope = { ...raw.scope, roleName: v })],
    ['externalId', (v) => (raw.scope = { ...raw.scope, externalId: v })],
    ['schedule', (v) => (raw.schedule = { ...raw.schedule, expression: v })],
    ['timeZone', (v) => (raw.schedule = { ...raw.schedule, timeZone: v })],
    ['waWorkload', (v) => (raw.wellArchitected = { ...raw.wellArchitected, workloadId: v })],
  ];
  for (const [key, apply] of overrides) {
    const v = ctx(key);
    if (v !== undefined) apply(v);
  }
  return parseDeployConfig(raw, ALL_CHECKS, source);
}
