// The worker-thread side of a scan in workers (workers.ts): asks the scanning thread for accounts as its own event loop
// and heap have room for more (admission.ts), scans each with scanAccount, and sends each account's results back.
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { ApiCallCounter, ClientFactory, type Credentials } from '../aws/clients.js';
import { errorCode, errorMessage } from '../aws/errors.js';
import { ALL_COLLECTORS } from '../collect/index.js';
import type { Collector, Logger } from '../collect/types.js';
import { skeletonOf, type AccountInventory, type Check, type Result } from '../model/index.js';
import { runAdmitted, workerAdmission, type AdmissionSource } from './admission.js';
import { ResultSpill } from './result-spill.js';
import { spillAccountPasses } from './spill-passes.js';
import { scanAccount } from './scan-account.js';
import type { AccountMessage, Identity, TargetsMessage, WorkerCredentials, WorkerData, WorkerMessage, WorkerSetup, WorkerTargetData } from './workers.js';


/** Credentials a worker's clients ask the scanning thread for, kept until five minutes before they expire. */
function askedCredentials(key: number, ask: (key: number) => Promise<Identity>): Credentials {
  let cached: Identity | undefined;
  let inFlight: Promise<Identity> | undefined;
  return async () => {
    if (cached && (!cached.expiration || cached.expiration.getTime() - Date.now() > 300_000)) return cached;
    inFlight ??= ask(key).then(
      (c) => ((inFlight = undefined), (cached = c)),
      (err: unknown) => {
        inFlight = undefined;
        throw err;
      },
    );
    return inFlight;
  };
}

/** Serves the scan this worker was started for (workerData), with the checks of `registry`. */
export async function serveScanWorker(registry: readonly Check[]): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('serveScanWorker runs in a worker thread');
  const data = workerData as WorkerData;
  const send = (m: WorkerMessage) => port.postMessage(m);

  const asks = new Map<number, { resolve: (c: Identity) => void; reject: (e: Error) => void }>();
  let askSeq = 0;
  const ask = (key: number) =>
    new Promise<Identity>((resolve, reject) => {
      const id = ++askSeq;
      asks.set(id, { resolve, reject });
      send({ t: 'cred', id, key });
    });
  // Passes to disk once the scanning thread asks (a large run): its file, which it adopts and removes.
  let spill: ResultSpill | undefined;
  // The accounts: asked for as admission has room (runAdmitted has one request out at a time), answered by 'targets'.
  let delivering: ((items: readonly WorkerTargetData[], exhausted: boolean) => void) | undefined;
  const accounts: AdmissionSource<WorkerTargetData> = {
    request(n, deliver) {
      delivering = deliver;
      send({ t: 'want', n });
    },
  };
  port.on('message', (m: TargetsMessage | { t: 'spill'; path: string } | { t: 'cred'; id: number; identity?: Identity; error?: { name: string; message: string } }) => {
    if (m?.t === 'targets') {
      const deliver = delivering;
      delivering = undefined;
      deliver?.(m.targets, m.exhausted);
      return;
    }
    if (m?.t === 'spill') {
      try {
        spill ??= new ResultSpill(undefined, { path: m.path, owner: false });
      } catch (err) {
        send({ t: 'log', level: 'warn', msg: `cannot keep passes on disk in a worker (${errorMessage(err)}): they go to the scanning thread` });
      }
      return;
    }
    if (m?.t !== 'cred') return;
    const waiting = asks.get(m.id);
    asks.delete(m.id);
    if (!waiting) return;
    if (m.identity) waiting.resolve(m.identity);
    else waiting.reject(Object.assign(new Error(m.error?.message ?? 'no credentials'), { name: m.error?.name ?? 'CredentialsError' }));
  });
  const credentialsOf = (c: WorkerCredentials): Credentials | undefined => (c.kind === 'static' ? c.value : c.kind === 'ask' ? askedCredentials(c.key, ask) : undefined);

  const log: Logger = {
    debug: (msg, extra) => send({ t: 'log', level: 'debug', msg, ...(extra ? { extra } : {}) }),
    info: (msg, extra) => send({ t: 'log', level: 'info', msg, ...(extra ? { extra } : {}) }),
    warn: (msg, extra) => send({ t: 'log', level: 'warn', msg, ...(extra ? { extra } : {}) }),
    error: (msg, extra) => send({ t: 'log', level: 'error', msg, ...(extra ? { extra } : {}) }),
  };

  const setup: WorkerSetup = data.hook ? ((await (await import(data.hook.module)).setupScanWorker(data.hook.data)) as WorkerSetup) ?? {} : {};
  const byId = new Map(registry.map((c) => [c.id, c]));
  const checks = data.checkIds.map((id) => {
    const c = byId.get(id);
    if (!c) throw new Error(`check ${id} is not in the worker's registry`);
    return c;
  });
  const collectors: readonly Collector[] = setup.collectors ? setup.collectors(ALL_COLLECTORS) : ALL_COLLECTORS;

  // The worker's calls so far, for the progress display (sent every 250 ms while it scans).
  const counter = new ApiCallCounter();
  let throttled = 0;
  const tick = setInterval(() => send({ t: 'calls', total: counter.total(), throttled, heapUsed: getHeapStatistics().used_heap_size }), 250);
  const meter = data.meterEvaluation ? () => performance.now() * 1000 : undefined;

  const admitted = await runAdmitted(
    accounts,
    async (t) => {
      const factory = new ClientFactory({
        ...data.aws, ...setup.aws, counter: undefined,
        ...(t.credentials.kind !== 'chain' ? { credentials: credentialsOf(t.credentials), profile: undefined } : {}),
        ...(data.debug ? { onCall: (record) => send({ t: 'call', record }) } : {}),
      });
      factory.counter.onCall = (k) => counter.record(k);
      let evaluatedMicros = 0;
      const message = (m: Partial<AccountMessage>): AccountMessage => ({
        t: 'account', accountId: t.accountId, errors: [], calls: { ...factory.counter.calls }, attempts: factory.counter.attempts,
        throttled: factory.counter.throttled, evaluatedMicros, ...m,
      });
      try {
        const scan = await scanAccount({
          factory, accountId: t.accountId, partition: t.partition, regions: t.regions, ...(t.name ? { name: t.name } : {}),
          checks, collectors, collectOptions: data.collectOptions, now: data.now, log,
          ...(data.checkOptions ? { checkOptions: data.checkOptions } : {}),
          ...(data.regionConcurrency ? { regionConcurrency: data.regionConcurrency } : {}),
          ...(data.tagKeys ? { tagKeys: data.tagKeys } : {}),
          ...(t.regionsBefore ? { regionsBefore: t.regionsBefore } : {}),
          onRegionDone: (region) => send({ t: 'region', accountId: t.accountId, region }),
          onCollector: (event, region, collector) => send({ t: 'collector', event, accountId: t.accountId, region, collector }),
          ...(meter ? { meter, evaluated: (us: number) => (evaluatedMicros += us) } : {}),
        });
        const a = scan.account;
        const account: AccountInventory = data.keepInventory
          ? a
          : { ...skeletonOf(a), ...(a.alias ? { alias: a.alias } : {}), ...(a.name ? { name: a.name } : {}) };
        throttled += factory.counter.throttled;
        if (spill) {
          const held: Result[] = [];
          const passes: Result[] = [];
          for (const r of scan.results) (r.status === 'PASS' ? passes : held).push(r);
          const { passedIds } = spillAccountPasses(spill, passes, a, { checks });
          send(message({ account, results: held, errors: scan.errors, missingRegions: scan.missingRegions, spilled: { segments: spill.takeSegments(), count: passes.length, passedIds } }));
        } else {
          send(message({ account, results: scan.results, errors: scan.errors, missingRegions: scan.missingRegions }));
        }
      } catch (err) {
        throttled += factory.counter.throttled;
        send(message({ failure: { code: errorCode(err), message: errorMessage(err) } }));
      } finally {
        factory.destroy();
      }
    },
    workerAdmission(data.admission, data.heapBudget),
  );
  clearInterval(tick);
  spill?.dispose();
  send({ t: 'calls', total: counter.total(), throttled, heapUsed: getHeapStatistics().used_heap_size });
  send({ t: 'done', peak: admitted.peak, ...(setup.finish ? { hook: await setup.finish() } : {}) });
}
