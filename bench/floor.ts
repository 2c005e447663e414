// The CPU floor of a scan (issue 21 point 1): the same calls, issued by bare SDK clients on the same simulated AWS —
// no ClientFactory instrumentation, no pacer, no collectors, no evaluation. What an SDK call costs by itself; the
// scanner's collection CPU per call is compared with it (`cpu.ratioToFloor`).
//
// The calls are recorded during the scan, below the scanner's own wrapper (the SDK client's inherited `send`, which
// instrument() calls for every call that goes out): client class, region and credentials of the client, command
// class and input. Recording keeps the inputs (small objects), not the clients.

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

export interface Recorder {
  calls: RecordedCall[];
  /** Puts `send` back as it was, and waits for the clients' regions and credentials to be resolved. */
  stop(): Promise<void>;
}

const resolve = async (v: unknown): Promise<unknown> => (typeof v === 'function' ? (v as () => unknown)() : v);

/**
 * Records every call sent through a client whose prototype chain has `base.send` (the SDK's shared Client class:
 * `Object.getPrototypeOf(SomeClient.prototype)`).
 */
export function recordCalls(base: { send: SdkClientLike['send'] }): Recorder {
  const original = base.send;
  const keys = new WeakMap<object, ClientKey>();
  const pending: Promise<unknown>[] = [];
  const calls: RecordedCall[] = [];
  base.send = function send(this: SdkClientLike, cmd: object, ...rest: unknown[]) {
    let key = keys.get(this);
    if (!key) {
      const k: ClientKey = { Ctor: this.constructor as Ctor };
      keys.set(this, (key = k));
      pending.push(
        resolve(this.config.region).then((r) => (k.region = r as string)),
        resolve(this.config.credentials).then((c) => {
          const { accessKeyId, secretAccessKey, sessionToken } = c as NonNullable<ClientKey['credentials']>;
          k.credentials = { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
        }),
      );
    }
    calls.push({ client: key, Command: cmd.constructor as RecordedCall['Command'], input: (cmd as { input?: unknown }).input });
    return original.call(this, cmd, ...rest);
  };
  return {
    calls,
    async stop() {
      base.send = original;
      await Promise.allSettled(pending);
    },
  };
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

/** A recorded call as it crosses from a worker thread: class names instead of classes (clients shared by identity). */
export interface SerialisedCall {
  client: { ctor: string; region?: string; credentials?: ClientKey['credentials'] };
  command: string;
  input: unknown;
}

/** The calls by class name; one object per client, so that the structured clone keeps them shared. */
export function serialiseCalls(calls: readonly RecordedCall[]): SerialisedCall[] {
  const clients = new Map<ClientKey, SerialisedCall['client']>();
  return calls.map((c) => {
    let client = clients.get(c.client);
    if (!client) clients.set(c.client, (client = { ctor: c.client.Ctor.name, region: c.client.region, ...(c.client.credentials ? { credentials: c.client.credentials } : {}) }));
    return { client, command: c.Command.name, input: c.input };
  });
}

/** Calls recorded in worker threads, with their classes again (looked up in the given SDK client modules). */
export function reviveCalls(calls: readonly SerialisedCall[], modules: readonly Record<string, unknown>[]): RecordedCall[] {
  const classes = new Map<string, unknown>();
  for (const m of modules) for (const [name, v] of Object.entries(m)) if (typeof v === 'function' && !classes.has(name)) classes.set(name, v);
  const clients = new Map<SerialisedCall['client'], ClientKey>();
  const find = <T>(name: string): T => {
    const c = classes.get(name);
    if (!c) throw new Error(`floor replay: no SDK class ${name} in the loaded client modules`);
    return c as T;
  };
  return calls.map((c) => {
    let client = clients.get(c.client);
    if (!client) clients.set(c.client, (client = { Ctor: find<Ctor>(c.client.ctor), region: c.client.region, ...(c.client.credentials ? { credentials: c.client.credentials } : {}) }));
    return { client, Command: find<RecordedCall['Command']>(c.command), input: c.input };
  });
}
