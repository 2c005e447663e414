// The CPU floor of a scan (issue 21 point 1): the same calls, issued by bare SDK clients on the same simulated AWS —
// no ClientFactory instrumentation, no pacer, no collectors, no evaluation. What an SDK call costs by itself; the
// scanner's collection CPU per call is compared with it (`cpu.ratioToFloor`).
//
// The calls are recorded during the scan, below the scanner's own wrapper (the SDK client's inherited `send`, which
// instrument() calls for every call that goes out): client class, region and credentials of the client, command
// class and input, written to a file as the scan goes (not held: see recordCalls).

import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { repoRoot } from './build.js';

/** An SDK client, as far as the recorder needs it. */
interface SdkClientLike {
  config: { region?: unknown; credentials?: unknown };
  send(cmd: object, ...rest: unknown[]): Promise<unknown>;
}
type Ctor = new (config: Record<string, unknown>) => unknown;

/** The client a call went through: its class, region and credentials (resolved from its config). */
export interface ClientKey {
  Ctor: Ctor;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** One recorded call. */
export interface RecordedCall {
  client: ClientKey;
  Command: new (input: unknown) => object;
  input: unknown;
}

/** A client of a recording, by class name (resolved again by loadCalls). */
export interface RecordedClient {
  ctor: string;
  region?: string;
  credentials?: ClientKey['credentials'];
}

/**
 * The calls of a recording, in a file (a private temporary one): batches of calls, each a 4-byte length and the V8
 * serialisation (the structured clone's format: dates and bytes stay what they were) of `[client, command, input]`
 * triples, `client` an index into `clients`. Plain data, so that a worker thread can hand it to the scanning thread.
 */
export interface Recording {
  path: string;
  count: number;
  clients: RecordedClient[];
}

export interface Recorder {
  /** Calls recorded so far. */
  readonly count: number;
  /**
   * Puts `send` back as it was, waits for the clients' regions and credentials to be resolved and writes the calls
   * still pending: the recording (loadCalls reads it, removeRecording removes its file).
   */
  stop(): Promise<Recording>;
}

const resolve = async (v: unknown): Promise<unknown> => (typeof v === 'function' ? (v as () => unknown)() : v);

/** Calls serialised together: the recorder holds no more inputs than this (the scan's memory is what the bench measures). */
const BATCH = 2048;

/**
 * Records every call sent through a client whose prototype chain has `base.send` (the SDK's shared Client class:
 * `Object.getPrototypeOf(SomeClient.prototype)`), to a file in `dir` (default: the system's temporary directory).
 * A scan of XL sends 350,000 calls: held as objects until the scan was over, their inputs were some 100 MB of the
 * peak RSS the bench reports; now the recorder holds one batch. Serialising and writing run inside the scan, so the
 * scanner's measured CPU includes them (XL's runs with the floor took 2–6% more CPU than runs
 * without it, inside this machine's noise).
 */
export function recordCalls(base: { send: SdkClientLike['send'] }, opts: { dir?: string } = {}): Recorder {
  const original = base.send;
  const keys = new WeakMap<object, number>();
  const pending: Promise<unknown>[] = [];
  const clients: RecordedClient[] = [];
  const path = join(opts.dir ?? tmpdir(), `lens-audit-floor-${process.pid}-${randomUUID()}.bin`);
  const fd = openSync(path, 'wx', 0o600);
  let batch: [number, string, unknown][] = [];
  let count = 0;
  // A batch that cannot be serialised or written stops the recording (stop() reports it), not the scan's calls.
  let failure: unknown;
  const flush = () => {
    if (batch.length === 0 || failure !== undefined) return;
    try {
      const body = serialize(batch);
      const bytes = Buffer.allocUnsafe(4 + body.length);
      bytes.writeUInt32LE(body.length, 0);
      body.copy(bytes, 4);
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
    } catch (err) {
      failure = err;
    }
    batch = [];
  };
  base.send = function send(this: SdkClientLike, cmd: object, ...rest: unknown[]) {
    let key = keys.get(this);
    if (key === undefined) {
      const k: RecordedClient = { ctor: this.constructor.name };
      keys.set(this, (key = clients.push(k) - 1));
      pending.push(
        resolve(this.config.region).then((r) => (k.region = r as string)),
        resolve(this.config.credentials).then((c) => {
          const { accessKeyId, secretAccessKey, sessionToken } = c as NonNullable<ClientKey['credentials']>;
          k.credentials = { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
        }),
      );
    }
    if (failure === undefined) {
      batch.push([key, cmd.constructor.name, (cmd as { input?: unknown }).input]);
      count++;
      if (batch.length >= BATCH) flush();
    }
    return original.call(this, cmd, ...rest);
  };
  let stopped: Promise<Recording> | undefined;
  return {
    get count() {
      return count;
    },
    stop() {
      stopped ??= (async () => {
        base.send = original;
        try {
          await Promise.allSettled(pending);
          flush();
        } finally {
          closeSync(fd);
        }
        if (failure !== undefined) {
          removeRecording({ path });
          throw new Error(`floor recording failed: ${(failure as Error)?.message ?? String(failure)}`);
        }
        return { path, count, clients };
      })();
      return stopped;
    },
  };
}

/**
 * The client packages the scanner depends on (package.json), by the name of their client class: a command is looked up
 * in its client's package (several services have a `GetStagesCommand`, a `GetPolicyCommand` ...).
 */
export async function sdkClasses(): Promise<Map<string, Record<string, unknown>>> {
  // From bench/floor.ts, or from a bundle of it (build.ts): the package's own package.json.
  const pkg = JSON.parse(readFileSync(join(repoRoot(import.meta.url), 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const modules = await Promise.all(Object.keys(pkg.dependencies).filter((d) => d.startsWith('@aws-sdk/client-')).map((d) => import(d) as Promise<Record<string, unknown>>));
  const byClient = new Map<string, Record<string, unknown>>();
  for (const m of modules) for (const [name, v] of Object.entries(m)) if (typeof v === 'function' && name.endsWith('Client') && !name.startsWith('__')) byClient.set(name, m);
  return byClient;
}

/** The calls of recordings, in order (recording by recording), with their SDK classes again (sdkClasses). */
export function loadCalls(recordings: readonly Recording[], byClient: ReadonlyMap<string, Record<string, unknown>>): RecordedCall[] {
  const find = <T>(client: string, name: string): T => {
    const c = byClient.get(client)?.[name];
    if (typeof c !== 'function') throw new Error(`floor replay: no SDK class ${name} in the package of ${client}`);
    return c as T;
  };
  const calls: RecordedCall[] = [];
  for (const rec of recordings) {
    const keys = rec.clients.map((c): ClientKey => ({ Ctor: find<Ctor>(c.ctor, c.ctor), region: c.region, ...(c.credentials ? { credentials: c.credentials } : {}) }));
    // Per client of the recording: its commands by name, looked up in its package once each.
    const commands = rec.clients.map(() => new Map<string, RecordedCall['Command']>());
    const bytes = readFileSync(rec.path);
    const before = calls.length;
    for (let at = 0; at < bytes.length; ) {
      const length = at + 4 <= bytes.length ? bytes.readUInt32LE(at) : -1;
      if (length < 0 || at + 4 + length > bytes.length) throw new Error(`floor replay: ${rec.path} is cut short at byte ${at}`);
      const triples = deserialize(bytes.subarray(at + 4, at + 4 + length)) as [number, string, unknown][];
      for (const [client, command, input] of triples) {
        const known = commands[client]!;
        let Command = known.get(command);
        if (!Command) known.set(command, (Command = find<RecordedCall['Command']>(rec.clients[client]!.ctor, command)));
        calls.push({ client: keys[client]!, Command, input });
      }
      at += 4 + length;
    }
    if (calls.length - before !== rec.count) throw new Error(`floor replay: ${calls.length - before} calls read from ${rec.path}, ${rec.count} recorded`);
  }
  return calls;
}

/** Removes a recording's file. */
export function removeRecording(rec: Pick<Recording, 'path'>): void {
  rmSync(rec.path, { force: true });
}

export interface ReplayOptions {
  /** The request handler the bare clients send to (the simulated AWS). */
  requestHandler: unknown;
  /** Calls in flight at once (default 64). */
  concurrency?: number;
  /** Extra configuration of every bare client (the SDK settings the scanner's clients have: cacheMiddleware ...). */
  clientConfig?: Record<string, unknown>;
}

export interface ReplayOutcome {
  calls: number;
  /** Calls answered with an error (a policy not found ...): errors are part of the plan, and cost CPU too. */
  errors: number;
  clients: number;
}

/**
 * Sends `calls` again, in their order, with bare clients: one per (client class, region, credentials), made with
 * `maxAttempts: 1` and nothing else added. A client is let go after its last call, as the scanner lets an account's
 * clients go once the account is done.
 */
export async function replayCalls(calls: readonly RecordedCall[], options: ReplayOptions): Promise<ReplayOutcome> {
  const clients = new Map<string, SdkClientLike>();
  const idOf = (k: ClientKey) => `${k.Ctor.name}|${k.region}|${k.credentials?.accessKeyId}`;
  const clientFor = (k: ClientKey): SdkClientLike => {
    let c = clients.get(idOf(k));
    if (!c) {
      c = new k.Ctor({ ...options.clientConfig, region: k.region, credentials: k.credentials, requestHandler: options.requestHandler, maxAttempts: 1 }) as SdkClientLike;
      clients.set(idOf(k), c);
      made++;
    }
    return c;
  };
  const last = new Map<ClientKey, number>();
  calls.forEach((c, i) => last.set(c.client, i));
  let next = 0;
  let errors = 0;
  let made = 0;
  const worker = async () => {
    while (next < calls.length) {
      const i = next++;
      const call = calls[i]!;
      const client = clientFor(call.client);
      if (last.get(call.client) === i) clients.delete(idOf(call.client));
      try {
        await client.send(new call.Command(call.input));
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 64) }, worker));
  return { calls: calls.length, errors, clients: made };
}
