// `npm run bench`: scans synthetic estates on a simulated AWS (bench/sim/) with the real SDK clients, retries and
// parsing, and compares the scan with what the rate limits allow.
//
//   npm run bench                          S, L and XL, each in its own process
//   npm run bench -- --estate S            one estate
//   npm run bench -- --estate L --no-pacing --time-scale 0.1 --latency 40 --size 2 --accounts 3
//   npm run bench -- --estate S --profile  CPU profiles of the scan and of the floor replay: bench/results/<estate>.cpuprofile
//                                          and <estate>.floor.cpuprofile, top 15 printed, and both by source per call
//   npm run bench -- --estate S --alloc-profile
//                                          what the scan and the floor allocate (V8's sampling heap profiler, collected
//                                          objects included): <estate>.heapprofile and <estate>.floor.heapprofile, KB per
//                                          call by source and by function, the scan's against the floor's
//   npm run bench -- --estate S --source   the measured process from source under tsx (default: bundled, bench/build.ts;
//                                          --profile and --alloc-profile run from source, to attribute by source file)
//   npm run bench -- --linearity           evaluation time over one account of L's shape at 1x, 2x, 4x (linearity.ts)
//
// Per estate: wall time (real and simulated), the rate-limit lower bound and the ratio, API calls against the minimal
// plan, calls throttled, CPU seconds, peak memory and resources per second, and the CPU floor: the scan's calls
// replayed by bare SDK clients on the same simulator (floor.ts), against the scanner's own CPU per call (collection
// and evaluation apart). Results: bench/results/<estate>.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildBench, loadsTsx, measuredCommand, repoRoot } from './build.js';

// The SDK's Node 20 end-of-support notice, printed by the first client, is not a bench result (the CLI silences it too).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/**
 * Whether this is the bench as built (bench/.build/bench/run.js, `buildBench`): the measured process runs the scanner as
 * `npm run build` ships it, without tsx in any thread. Its results still go to bench/results.
 */
const BUILT = !import.meta.url.endsWith('.ts');
const ROOT = repoRoot(import.meta.url);
const BENCH = join(ROOT, 'bench');
const RESULTS = join(BENCH, 'results');
// Kept before the clock is scaled: the memory sampler runs on real time.
const realSetInterval = globalThis.setInterval;

/**
 * Default clock scale per estate. L's rate-limit bound is over two minutes of AWS time: at half scale the run takes a
 * minute and the scanner's CPU (not compressed by the scale) stays well below the bound. XL runs at AWS's own speed,
 * where this machine's CPU, not the rate limits, is what bounds it (see `--time-scale 10`).
 */
const DEFAULT_SCALE: Record<string, number> = { S: 1, L: 0.5, XL: 1 };

const { values: args } = parseArgs({
  options: {
    estate: { type: 'string', default: 'all' },
    'time-scale': { type: 'string' },
    latency: { type: 'string', default: '40' },
    'no-pacing': { type: 'boolean', default: false },
    size: { type: 'string', default: '1' },
    accounts: { type: 'string' },
    'account-concurrency': { type: 'string' },
    'region-concurrency': { type: 'string' },
    tag: { type: 'string' },
    // The floor replay (floor.ts): on by default; --no-floor skips it (and its recording).
    'no-floor': { type: 'boolean', default: false },
    // Calls the floor keeps in flight: a number, or `scan` for the scan's own mean per thread (calls.meanInFlight).
    'floor-concurrency': { type: 'string', default: '64' },
    'floor-defaults': { type: 'boolean', default: false },
    'floor-also-at-scan': { type: 'boolean', default: false },
    // The measured process runs the scanner as built (buildBench, the default) or from source under tsx (--source).
    source: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'alloc-profile': { type: 'boolean', default: false },
    // Worker threads (engine/workers.ts): `auto` as the CLI chooses them; --workers 1 scans in one thread.
    workers: { type: 'string', default: 'auto' },
    // With more than one worker: the same estate scanned again in one thread, and the results compared.
    'no-compare': { type: 'boolean', default: false },
    // --linearity: no scan; evaluation at 1x, 2x and 4x one account of --estate (default L) times --base (linearity.ts).
    linearity: { type: 'boolean', default: false },
    base: { type: 'string', default: '0.25' },
    repeat: { type: 'string', default: '3' },
    'linearity-cache': { type: 'boolean', default: false },
    child: { type: 'boolean', default: false },
  },
});

type SelfTimeRow = { name: string; selfMs: number; share: number };
type AllocatedRow = { name: string; mb: number; share: number };
type AllocationFigures = { file: string; mb: number; top: AllocatedRow[]; bySource: AllocatedRow[] };

interface BenchResult {
  estate: string;
  tag?: string;
  options: { timeScale: number; latencyMs: number; pacing: boolean; accountConcurrency?: number; regionConcurrency?: number; size: number };
  estateShape: { accounts: number; regions: number; perAccount: Record<string, number> };
  wall: { realSeconds: number; simulatedSeconds: number; lastRegionDoneSimulatedSeconds: number };
  bound: { simulatedSeconds: number; realSeconds: number; scope: string; bucket: string; calls: number };
  ratio: number;
  calls: {
    made: number;
    attempts: number;
    plan: number;
    ratioToPlan: number;
    throttled: number;
    overPlan: Record<string, { made: number; plan: number }>;
    answeredEmpty: Record<string, number>;
    /** Calls in flight on average over the scan (all threads): requests × latency ÷ wall time. */
    meanInFlight: number;
  };
  cpu: {
    seconds: number;
    simulatorSeconds: number;
    /** The scanner's own: process CPU less the simulator's; collection (everything but evaluation) and evaluation. */
    scannerSeconds: number;
    collectSeconds: number;
    evaluateMs: number;
    /** Per API call made: the scanner's CPU, and its collection CPU alone. */
    msPerCall: number;
    collectMsPerCall: number;
    /** collectMsPerCall ÷ floor.cpuMsPerCall (issue 21's goal: ≤ 1.3 on L and XL). */
    ratioToFloor?: number;
    /**
     * The main thread's busy time (event-loop utilization, less the simulator's) per call: the process CPU above also
     * counts V8's background threads (compilation, concurrent GC).
     */
    mainThreadMsPerCall?: number;
  };
  /** The same calls by bare SDK clients on a simulator of the same estate, latency and clock (no rate limits). */
  floor?: {
    calls: number;
    recorded: number;
    errors: number;
    concurrency: number;
    realSeconds: number;
    cpuSeconds: number;
    simulatorSeconds: number;
    /** CPU less the simulator's, per call: bare clients with the scanner's SDK settings. */
    cpuMsPerCall: number;
    mainThreadMsPerCall: number;
    /** --floor-defaults: the same with the SDK's default settings. */
    sdkDefaultsCpuMsPerCall?: number;
    /**
     * --floor-also-at-scan: the floor once more with as many calls in flight as each of the scan's threads had on
     * average (calls.meanInFlight ÷ threads): the SDK's cost per call at the scan's own concurrency.
     */
    atScanConcurrency?: { concurrency: number; cpuMsPerCall: number; ratioToFloor: number };
  };
  /** --profile: the scan's CPU profile (the figures above include the profiler's overhead). */
  profile?: { file: string; top: SelfTimeRow[]; bySource: SelfTimeRow[]; floor?: { file: string; top: SelfTimeRow[]; bySource: SelfTimeRow[] } };
  /** --alloc-profile: what the scan allocated (all threads' would need a profile each: one-thread scans only), and the floor. */
  allocations?: AllocationFigures & { floor?: AllocationFigures };
  /** peakHeapUsedMB: this thread's; workerHeapPeakMB: each worker thread's (sampled every 250 ms). */
  memory: { peakRssMB: number; peakHeapUsedMB: number; workerHeapPeakMB?: number[] };
  accountsAtOnce?: number;
  /**
   * Each account's collection (its first collector's start to its last one's end): their mean, and their sum ÷ the
   * wall time — how many accounts were being collected at once on average, where accountsAtOnce is the most.
   */
  accountCollection?: { meanSeconds: number; maxSeconds: number; meanAtOnce: number };
  /**
   * The threads that scanned, and issue 21's goal for them: wall time against max(rate-limit bound, the floor CPU of
   * all calls ÷ cores). The floor CPU here is the bare SDK's and the simulator's (which shares the cores in this bench).
   */
  workers: {
    used: number;
    cores: number;
    floorCpuSeconds?: number;
    boundRealSeconds?: number;
    ratio?: number;
    /** The one-thread scan of the same estate gave the same finding ids and statuses (--no-compare: not checked). */
    identicalToOneWorker?: boolean;
    oneWorkerRealSeconds?: number;
  };
  resources: { collected: number; expected: number; missing: Record<string, number> };
  resourcesPerSecond: { real: number; simulated: number };
  results: { total: number; pass: number; fail: number; notAssessed: number; errors: number };
  machine: { cpus: number; model: string; node: string; loadavg1: number };
  /**
   * What ran: `bundle`, the scanner, the bench and its simulator bundled by esbuild as `npm run build` bundles the CLI
   * (buildBench), in plain Node in every thread; `source`, the TypeScript under tsx (--source), as `npm run audit` runs it.
   */
  build: 'bundle' | 'source';
}

async function runOne(estate: string): Promise<BenchResult> {
  // Loaded here so that module initialisation is not measured.
  const [{ dilateTime }, { SimulatedAws }, est, plan, { runAudit }, { ALL_COLLECTORS, neededKinds }, { ALL_CHECKS }, { ClientFactory }, { selectChecks, needsRegionMetrics }, { resultSet }, floorLib, profileLib, { LambdaClient }, { defaultWorkers }] = await Promise.all([
    import('./sim/clock.js'), import('./sim/aws.js'), import('./sim/estate.js'), import('./plan.js'),
    import('../src/engine/run-audit.js'), import('../src/collect/index.js'), import('../checks/index.js'), import('../src/aws/clients.js'),
    import('../src/engine/select.js'), import('../src/model/index.js'), import('./floor.js'), import('./profile.js'), import('@aws-sdk/client-lambda'),
    import('../src/engine/workers.js'),
  ]);
  // The checks a plain `audit` runs (no --metrics, no opt-in checks).
  const checks = selectChecks({ all: ALL_CHECKS, metrics: false });
  const base = est.ESTATES[estate as 'S' | 'L' | 'XL'];
  if (!base) throw new Error(`unknown estate ${estate} (S, L, XL)`);
  const size = Number(args.size);
  const scaledSpec = est.scaled(base, size);
  const spec = args.accounts ? { ...scaledSpec, name: `${scaledSpec.name}-${args.accounts}acc`, accounts: Number(args.accounts) } : scaledSpec;
  const scale = Number(args['time-scale'] ?? DEFAULT_SCALE[estate]);
  const latencyMs = Number(args.latency);
  const pacing = !args['no-pacing'];
  const accountConcurrency = args['account-concurrency'] ? Number(args['account-concurrency']) : undefined;
  const regionConcurrency = args['region-concurrency'] ? Number(args['region-concurrency']) : undefined;

  const workers = args.workers === 'auto' ? defaultWorkers(spec.accounts) : Math.max(1, Number(args.workers));
  const sim = new SimulatedAws({ spec, latencyMs });
  // Every resource a collector adds is counted on its way into the inventory.
  const collected: Record<string, number> = {};
  const collectors = ALL_COLLECTORS.map((c) => ({
    ...c,
    collect: (ctx: Parameters<typeof c.collect>[0]) =>
      c.collect({ ...ctx, add: (r) => ((collected[r.kind] = (collected[r.kind] ?? 0) + 1), ctx.add(r)) }),
  }));
  const credentials = (i: number) => ({ accessKeyId: est.accessKeyId(i), secretAccessKey: 'simulated' });
  const aws = { requestHandler: sim, pacing };
  const accounts = Array.from({ length: spec.accounts }, (_, i) => ({
    accountId: est.accountId(i),
    regions: [...spec.regions],
    // Account 0 is the caller's own account; the others have their own credentials, as assumed roles would.
    ...(i === 0 ? {} : { factory: new ClientFactory({ ...aws, credentials: credentials(i) }) }),
  }));

  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const sampler = realSetInterval(sample, 50);
  // The calls the scan sends, recorded for the floor replay below the scanner's wrapper: the SDK clients' shared send.
  // Into a private directory of this run's, removed when the process exits whatever happened to the scan (a worker
  // that dies leaves its file there too).
  const recordDir = args['no-floor'] ? undefined : mkdtempSync(join(tmpdir(), 'lens-audit-floor-'));
  if (recordDir) process.once('exit', () => rmSync(recordDir, { recursive: true, force: true }));
  const recorder = recordDir ? floorLib.recordCalls(Object.getPrototypeOf(LambdaClient.prototype), { dir: recordDir }) : undefined;
  const evaluateCpu = { micros: 0 };
  if (args['alloc-profile'] && (args.profile || workers > 1)) throw new Error('--alloc-profile: one thread (--workers 1), without --profile');
  const profiler = args.profile ? await profileLib.startProfile() : undefined;
  const allocProfiler = args['alloc-profile'] ? await profileLib.startAllocationProfile() : undefined;
  const clock = dilateTime(scale);
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  const t0 = clock.realNow();
  let lastRegionDone = 0;
  const progress = {
    start() {},
    regionDone() {
      lastRegionDone = clock.realNow() - t0;
    },
    update() {},
    stop() {},
    // Each account's collection, from its first collector's start to its last one's end (either thread).
    collectorStart(accountId: string) {
      const at = clock.realNow() - t0;
      const span = spans.get(accountId);
      if (!span) spans.set(accountId, { start: at, end: at });
      else span.start = Math.min(span.start, at);
    },
    collectorDone(accountId: string) {
      const span = spans.get(accountId);
      if (span) span.end = Math.max(span.end, clock.realNow() - t0);
    },
  };
  const spans = new Map<string, { start: number; end: number }>();
  // Sharded: each worker has its own simulator of the estate (bench/sim/worker-hook.ts) and counts what it collects.
  const hookData: import('./sim/worker-hook.js').BenchHookData = { spec, latencyMs, scale, ...(recordDir ? { recordDir } : {}) };
  const scanOptions = (n: number, simulator: InstanceType<typeof SimulatedAws>, meter?: { micros: number }, count = true) => ({
    checks,
    regions: [...spec.regions],
    accounts: accounts.map((a, i) => (i === 0 ? a : { ...a, factory: new ClientFactory({ requestHandler: simulator, pacing, credentials: credentials(i) }) })),
    aws: { requestHandler: simulator, pacing, credentials: credentials(0) },
    ...(meter ? { evaluateCpu: meter } : {}),
    ...(accountConcurrency ? { accountConcurrency } : {}),
    ...(regionConcurrency ? { regionConcurrency } : {}),
    ...(n > 1
      ? { workers: n, workerEntry: new URL(BUILT ? '../src/worker.js' : '../src/worker.ts', import.meta.url), workerHook: { module: new URL(BUILT ? './sim/worker-hook.js' : './sim/worker-hook.ts', import.meta.url).href, data: hookData } }
      : count ? { collectors } : {}),
  });
  let out: Awaited<ReturnType<typeof runAudit>> | undefined = await runAudit({ progress, ...scanOptions(workers, sim, evaluateCpu) });
  const realSeconds = (clock.realNow() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const spanSeconds = [...spans.values()].map((x) => (x.end - x.start) / 1000);
  const spanTotal = spanSeconds.reduce((a, b) => a + b, 0);
  const accountCollection = spanSeconds.length > 0
    ? { meanSeconds: round(spanTotal / spanSeconds.length), maxSeconds: round(Math.max(...spanSeconds)), meanAtOnce: round(spanTotal / realSeconds) }
    : undefined;
  const busyMs = performance.eventLoopUtilization(elu0).active;
  // What the workers' simulators saw, added to this thread's.
  const hooks = (out.workerReports ?? []) as import('./sim/worker-hook.js').BenchHookReport[];
  const simFigures = { busyMs: sim.busyMs, requests: sim.requests, throttled: sim.throttled, unsimulated: { ...sim.unsimulated }, stats: sim.stats() };
  for (const h of hooks) {
    simFigures.busyMs += h.busyMs;
    simFigures.requests += h.requests;
    simFigures.throttled += h.throttled;
    for (const [k, v] of Object.entries(h.unsimulated)) simFigures.unsimulated[k] = (simFigures.unsimulated[k] ?? 0) + v;
    simFigures.stats.push(...h.stats);
    for (const [k, v] of Object.entries(h.collected)) collected[k] = (collected[k] ?? 0) + v;
  }
  const digest = resultsDigest(resultSet(out.report));
  const workersUsed = out.workers ?? 1;
  const workerHeapPeaksMB = (out.workerHeapPeaks ?? []).map((b) => Math.round(b / 2 ** 20));
  // A large run's passes went to disk: the scan is over, the benchmark writes no report.
  out.report.passSpill?.dispose();
  // What the result needs of the report; the report itself goes before the floor replay, whose GC would pay for it.
  const report = {
    apiCalls: out.report.stats.apiCalls,
    accountsAtOnce: out.report.stats.accountsAtOnce,
    summary: out.report.summary,
    results: resultSet(out.report).size,
    errors: out.report.errors.length,
  };
  out = undefined;
  const simBusyMs = simFigures.busyMs;
  const madeTotal = Object.values(report.apiCalls).reduce((a, b) => a + b, 0);
  // The scanner's CPU, before the floor (which is measured in this same process).
  const scanCpu = (floor?: { cpuMsPerCall: number }) => cpuFigures((cpu.user + cpu.system) / 1e6, simBusyMs / 1000, evaluateCpu.micros / 1e6, madeTotal, floor);
  // Each request is in flight for the simulated latency: requests × latency ÷ simulated wall time is the mean in flight.
  const meanInFlight = (simFigures.requests * latencyMs) / ((realSeconds * 1000) / scale);
  sample();
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
  let profile: BenchResult['profile'];
  if (profiler) {
    const p = await profiler.stop();
    mkdirSync(RESULTS, { recursive: true });
    const file = join(RESULTS, `${spec.name}${args.tag ? `-${args.tag}` : ''}.cpuprofile`);
    writeFileSync(file, JSON.stringify(p));
    profile = { file, top: profileLib.topSelfTime(p, 15, process.cwd()), bySource: profileLib.selfTimeBySource(p, process.cwd()) };
  }
  const allocationFigures = (p: import('./profile.js').AllocationProfile, file: string): AllocationFigures => {
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(file, JSON.stringify(p));
    const bySource = profileLib.allocationsBySource(p, process.cwd(), 1000);
    return { file, mb: round(bySource.reduce((n, r) => n + r.mb, 0), 1), top: profileLib.topAllocations(p, 30, process.cwd()), bySource: bySource.slice(0, 20) };
  };
  let allocations: BenchResult['allocations'];
  if (allocProfiler) allocations = allocationFigures(await allocProfiler.stop(), join(RESULTS, `${spec.name}${args.tag ? `-${args.tag}` : ''}.heapprofile`));

  // The floor: the scan's calls again, by bare SDK clients, on a simulator of the same estate and latency under the
  // same clock. Without rate limits (bare clients have no pacer, and one attempt each): throttling answers would not
  // be the scan's calls. Its simulator's CPU is counted apart, as the scan's is.
  let floor: BenchResult['floor'];
  if (recorder) {
    // The calls this thread and the workers sent, with their SDK classes again (every client package the collectors use).
    const recordings = [await recorder.stop(), ...hooks.flatMap((h) => (h.recording ? [h.recording] : []))];
    let calls: import('./floor.js').RecordedCall[];
    try {
      calls = floorLib.loadCalls(recordings, await floorLib.sdkClasses());
    } finally {
      rmSync(recordDir!, { recursive: true, force: true });
    }
    const perThreadInFlight = Math.max(1, Math.round(meanInFlight / workersUsed));
    const concurrency = args['floor-concurrency'] === 'scan' ? perThreadInFlight : Number(args['floor-concurrency']);
    if (!(concurrency >= 1)) throw new Error(`--floor-concurrency: a number of calls, or scan (not ${args['floor-concurrency']})`);
    const replay = async (clientConfig: Record<string, unknown>, inFlight = concurrency) => {
      const floorSim = new SimulatedAws({ spec, latencyMs, limits: false });
      const f0 = process.cpuUsage();
      const e0 = performance.eventLoopUtilization();
      const ft0 = clock.realNow();
      // --profile: the floor's own profile too, so that the two can be compared by source.
      const floorProfiler = profile ? await profileLib.startProfile() : undefined;
      const floorAllocProfiler = allocations && !allocations.floor ? await profileLib.startAllocationProfile() : undefined;
      const replayed = await floorLib.replayCalls(calls, { requestHandler: floorSim, concurrency: inFlight, clientConfig });
      const fcpu = process.cpuUsage(f0);
      if (floorProfiler && profile && !profile.floor) {
        const fp = await floorProfiler.stop();
        const file = profile.file.replace(/\.cpuprofile$/, '.floor.cpuprofile');
        writeFileSync(file, JSON.stringify(fp));
        profile.floor = { file, top: profileLib.topSelfTime(fp, 15, process.cwd()), bySource: profileLib.selfTimeBySource(fp, process.cwd()) };
      }
      if (floorAllocProfiler && allocations) allocations.floor = allocationFigures(await floorAllocProfiler.stop(), allocations.file.replace(/\.heapprofile$/, '.floor.heapprofile'));
      const fBusyMs = performance.eventLoopUtilization(e0).active;
      const cpuSeconds = (fcpu.user + fcpu.system) / 1e6;
      const own = cpuSeconds - floorSim.busyMs / 1000;
      return {
        calls: replayed.calls,
        errors: replayed.errors,
        realSeconds: round((clock.realNow() - ft0) / 1000),
        cpuSeconds: round(cpuSeconds),
        simulatorSeconds: round(floorSim.busyMs / 1000),
        cpuMsPerCall: round((own * 1000) / Math.max(1, replayed.calls), 3),
        mainThreadMsPerCall: round((fBusyMs - floorSim.busyMs) / Math.max(1, replayed.calls), 3),
      };
    };
    // The SDK settings the scanner's clients have (clients.ts): the SDK's cost as the scanner configures it.
    const f = await replay(SCANNER_SDK_SETTINGS);
    floor = { ...f, recorded: calls.length, concurrency };
    // --floor-defaults: once more with the SDK's defaults (no middleware cache, its own logger), for comparison.
    if (args['floor-defaults']) floor.sdkDefaultsCpuMsPerCall = (await replay({})).cpuMsPerCall;
    if (args['floor-also-at-scan'] && perThreadInFlight !== concurrency) {
      const { cpuMsPerCall } = await replay(SCANNER_SDK_SETTINGS, perThreadInFlight);
      floor.atScanConcurrency = { concurrency: perThreadInFlight, cpuMsPerCall, ratioToFloor: round(scanCpu().collectMsPerCall / cpuMsPerCall) };
    }
    calls.length = 0;
  }
  // Identical results are the condition: the same estate in one thread, compared by finding id and status.
  let compared: { identical: boolean; realSeconds: number } | undefined;
  if (workers > 1 && !args['no-compare']) {
    const c0 = clock.realNow();
    const one = await runAudit(scanOptions(1, new SimulatedAws({ spec, latencyMs }), undefined, false));
    const oneDigest = resultsDigest(resultSet(one.report));
    one.report.passSpill?.dispose();
    compared = { identical: oneDigest === digest, realSeconds: round((clock.realNow() - c0) / 1000) };
  }
  clock.restore();

  const cores = availableParallelism();
  const floorCpuSeconds = floor ? (floor.cpuSeconds / Math.max(1, floor.calls)) * madeTotal : undefined;
  const workerFigures: BenchResult['workers'] = {
    used: workersUsed,
    cores,
    ...(floorCpuSeconds !== undefined ? { floorCpuSeconds: round(floorCpuSeconds) } : {}),
    ...(compared ? { identicalToOneWorker: compared.identical, oneWorkerRealSeconds: compared.realSeconds } : {}),
  };

  const kinds = neededKinds(checks);
  const p = plan.minimalPlan(spec, collectors, kinds, false, needsRegionMetrics(checks));
  // Operations the simulator does not model answer empty: one call per account-region is their minimal plan.
  for (const s of simFigures.stats) {
    const ops = p.get(`${s.account}|${s.region}`) ?? (p.set(`${s.account}|${s.region}`, {}), p.get(`${s.account}|${s.region}`)!);
    for (const op of Object.keys(s.calls)) if (simFigures.unsimulated[op] && !ops[op]) ops[op] = 1;
  }
  const bound = plan.lowerBound(p);
  if (floorCpuSeconds !== undefined) {
    workerFigures.boundRealSeconds = round(Math.max(bound.seconds * scale, floorCpuSeconds / cores));
    workerFigures.ratio = round(realSeconds / workerFigures.boundRealSeconds);
  }
  const planByOp: Record<string, number> = {};
  for (const ops of p.values()) for (const [k, v] of Object.entries(ops)) planByOp[k] = (planByOp[k] ?? 0) + v;
  const made = report.apiCalls;
  const overPlan: Record<string, { made: number; plan: number }> = {};
  for (const k of new Set([...Object.keys(made), ...Object.keys(planByOp)])) {
    if ((made[k] ?? 0) !== (planByOp[k] ?? 0)) overPlan[k] = { made: made[k] ?? 0, plan: planByOp[k] ?? 0 };
  }
  const expected = est.expectedResources(spec);
  const pseudo = { AwsAccountRegion: spec.accounts * spec.regions.length, AwsAccount: spec.accounts };
  const got: Record<string, number> = { ...collected, ...pseudo };
  const missing: Record<string, number> = {};
  for (const [k, v] of Object.entries(expected)) if ((got[k] ?? 0) !== v) missing[k] = v - (got[k] ?? 0);
  const collectedTotal = Object.values(got).reduce((a, b) => a + b, 0);
  const simulatedSeconds = realSeconds / scale;
  const s = report.summary;
  return {
    estate: spec.name,
    ...(args.tag ? { tag: args.tag } : {}),
    options: { timeScale: scale, latencyMs, pacing, accountConcurrency, regionConcurrency, size },
    estateShape: { accounts: spec.accounts, regions: spec.regions.length, perAccount: { ...spec.perAccount } },
    wall: { realSeconds: round(realSeconds), simulatedSeconds: round(simulatedSeconds), lastRegionDoneSimulatedSeconds: round(lastRegionDone / 1000 / scale) },
    bound: { simulatedSeconds: round(bound.seconds), realSeconds: round(bound.seconds * scale), scope: bound.scope, bucket: bound.bucket, calls: bound.calls },
    ratio: round(bound.seconds > 0 ? simulatedSeconds / bound.seconds : NaN),
    calls: {
      made: madeTotal,
      attempts: simFigures.requests,
      plan: plan.planTotal(p),
      ratioToPlan: round(madeTotal / plan.planTotal(p), 4),
      throttled: simFigures.throttled,
      overPlan,
      answeredEmpty: { ...simFigures.unsimulated },
      meanInFlight: round(meanInFlight, 1),
    },
    cpu: {
      ...scanCpu(floor),
      // This thread's simulator only: the workers' run on their own threads.
      mainThreadMsPerCall: round((busyMs - sim.busyMs) / Math.max(1, madeTotal), 3),
    },
    ...(floor ? { floor } : {}),
    ...(profile ? { profile } : {}),
    ...(allocations ? { allocations } : {}),
    memory: { peakRssMB: Math.round(peakRss / 2 ** 20), peakHeapUsedMB: Math.round(peakHeap / 2 ** 20), ...(workerHeapPeaksMB.length > 0 ? { workerHeapPeakMB: workerHeapPeaksMB } : {}) },
    accountsAtOnce: report.accountsAtOnce,
    ...(accountCollection ? { accountCollection } : {}),
    workers: workerFigures,
    resources: { collected: collectedTotal, expected: Object.values(expected).reduce((a, b) => a + b, 0), missing },
    resourcesPerSecond: { real: Math.round(collectedTotal / realSeconds), simulated: Math.round(collectedTotal / simulatedSeconds) },
    results: { total: report.results, pass: s.pass, fail: s.fail, notAssessed: s.notAssessed, errors: report.errors },
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '', node: process.version, loadavg1: round(loadavg()[0] ?? 0) },
    build: BUILT && !loadsTsx(process.execArgv, process.env.NODE_OPTIONS) ? 'bundle' : 'source',
  };
}

/**
 * An order-free digest of a run's results, by finding id and status: two runs with the same digest have the same
 * results (ids and statuses) however their accounts were scheduled.
 */
function resultsDigest(results: Iterable<{ findingId: string; status: string }>): string {
  let a = 0;
  let b = 0;
  let n = 0;
  for (const r of results) {
    const h = createHash('md5').update(`${r.findingId}\u0000${r.status}`).digest();
    a = (a + h.readUInt32LE(0)) >>> 0;
    b = (b + h.readUInt32LE(4)) >>> 0;
    n++;
  }
  return `${n}:${a.toString(16)}:${b.toString(16)}`;
}

/** The scanner's CPU split (seconds in), per call made, and against the floor. */
function cpuFigures(seconds: number, simulatorSeconds: number, evaluateSeconds: number, calls: number, floor?: { cpuMsPerCall: number }): BenchResult['cpu'] {
  const scanner = seconds - simulatorSeconds;
  const collect = scanner - evaluateSeconds;
  const perCall = (s: number) => round((s * 1000) / Math.max(1, calls), 3);
  return {
    seconds: round(seconds),
    simulatorSeconds: round(simulatorSeconds),
    scannerSeconds: round(scanner),
    collectSeconds: round(collect),
    evaluateMs: Math.round(evaluateSeconds * 1000),
    msPerCall: perCall(scanner),
    collectMsPerCall: perCall(collect),
    ...(floor && floor.cpuMsPerCall > 0 ? { ratioToFloor: round(perCall(collect) / floor.cpuMsPerCall) } : {}),
  };
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function table(results: BenchResult[]): string {
  const head = ['estate', 'resources', 'wall s (real)', 'wall s (sim)', 'bound s (sim)', 'wall/bound', 'calls/plan', 'throttled', 'CPU s', 'CPU ms/call (collect + eval)', 'floor ms/call', 'collect/floor', 'peak RSS MB', 'res/s (real)', 'workers', 'wall/CPU bound'];
  const rows = results.map((r) => [
    r.estate + (r.options.pacing ? '' : ' (no pacing)'),
    String(r.resources.collected),
    r.wall.realSeconds.toFixed(1),
    r.wall.simulatedSeconds.toFixed(1),
    `${r.bound.simulatedSeconds.toFixed(1)} (${r.bound.bucket})`,
    r.ratio.toFixed(2),
    `${r.calls.made}/${r.calls.plan} = ${r.calls.ratioToPlan.toFixed(3)}`,
    String(r.calls.throttled),
    r.cpu.seconds.toFixed(1),
    `${r.cpu.msPerCall.toFixed(3)} (${r.cpu.collectMsPerCall.toFixed(3)} + ${(r.cpu.msPerCall - r.cpu.collectMsPerCall).toFixed(3)})`,
    r.floor ? r.floor.cpuMsPerCall.toFixed(3) : '-',
    r.cpu.ratioToFloor !== undefined ? r.cpu.ratioToFloor.toFixed(2) : '-',
    String(r.memory.peakRssMB),
    String(r.resourcesPerSecond.real),
    `${r.workers.used}/${r.workers.cores}${r.workers.identicalToOneWorker === false ? ' RESULTS DIFFER' : ''}`,
    r.workers.ratio !== undefined ? `${r.workers.ratio.toFixed(2)} (${r.workers.boundRealSeconds} s)` : '-',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function save(r: BenchResult): string {
  mkdirSync(RESULTS, { recursive: true });
  const file = join(RESULTS, `${r.estate}${r.tag ? `-${r.tag}` : ''}.json`);
  writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
  return file;
}

const MARK = 'BENCH_RESULT_FILE=';

/** The SDK settings the scanner's clients have (src/aws/clients.ts), given to the floor's bare clients. */
const SCANNER_SDK_SETTINGS: Record<string, unknown> = { cacheMiddleware: true, logger: { debug() {}, warn() {}, error() {} }, retryMode: 'adaptive' };

async function main(): Promise<void> {
  if (args.linearity) {
    const { linearity, printLinearity } = await import('./linearity.js');
    const estate = args.estate === 'all' ? 'L' : args.estate!;
    const figures = await linearity({ estate, base: Number(args.base), repeat: Number(args.repeat), resultsDir: RESULTS, cache: args['linearity-cache']! });
    mkdirSync(RESULTS, { recursive: true });
    const file = join(RESULTS, `${estate}-linearity${args.tag ? `-${args.tag}` : ''}.json`);
    writeFileSync(file, `${JSON.stringify({ evaluation: { linearity: figures }, machine: { cpus: cpus().length, node: process.version, loadavg1: round(loadavg()[0] ?? 0) } }, null, 2)}\n`);
    console.log(printLinearity(figures));
    console.log(`  → ${file}`);
    return;
  }
  if (args.child) {
    const r = await runOne(args.estate!);
    console.log(`${MARK}${save(r)}`);
    return;
  }
  const estates = args.estate === 'all' ? ['S', 'L', 'XL'] : args.estate!.split(',');
  const results: BenchResult[] = [];
  // The measured process (build.ts): a bundle of this run's own, or this file as it is (under tsx with --source,
  // --profile, --alloc-profile; a bench that is a bundle already).
  const asIs = Boolean(args.source || args.profile || args['alloc-profile']) || BUILT;
  const bundle = asIs ? undefined : await buildBench(ROOT);
  const measured = measuredCommand({ execArgv: process.execArgv, script: fileURLToPath(import.meta.url), ...(bundle ? { bundle: bundle.run } : {}), env: process.env });
  try {
    for (const estate of estates) {
      // One process per estate: CPU and peak memory are the scan's own, not the previous estate's.
      const forward = process.argv.slice(2).filter((a, i, all) => a !== '--estate' && all[i - 1] !== '--estate' && !a.startsWith('--estate='));
      const child = spawnSync(process.execPath, [...measured.args, '--child', '--estate', estate, ...forward], {
        env: measured.env,
        stdio: ['ignore', 'pipe', 'inherit'],
        encoding: 'utf8',
        maxBuffer: 64 * 2 ** 20,
      });
      const line = child.stdout.split('\n').find((l) => l.startsWith(MARK));
      if (child.status !== 0 || !line) {
        process.stderr.write(child.stdout);
        throw new Error(`estate ${estate} failed (exit ${child.status})`);
      }
      const file = line.slice(MARK.length).trim();
      const r = JSON.parse(readFileSync(file, 'utf8')) as BenchResult;
      results.push(r);
      console.error(`${estate}: done in ${r.wall.realSeconds.toFixed(1)} s → ${file}`);
    }
  } finally {
    if (bundle) rmSync(bundle.dir, { recursive: true, force: true });
  }
  console.log(table(results));
  for (const r of results) {
    const over = Object.entries(r.calls.overPlan).map(([k, v]) => `${k} ${v.made}/${v.plan}`);
    const notes = [
      `${r.estate}: ${r.build === 'source' ? 'from source under tsx' : 'bundled (bench/.build)'}, time scale ${r.options.timeScale}, latency ${r.options.latencyMs} ms, pacing ${r.options.pacing ? 'on' : 'off'}`,
      `last region collected at ${r.wall.lastRegionDoneSimulatedSeconds} s (sim)`,
      `bound from ${r.bound.calls} calls on ${r.bound.bucket} in ${r.bound.scope}`,
      `CPU ${r.cpu.seconds} s (simulator ${r.cpu.simulatorSeconds} s, evaluation ${r.cpu.evaluateMs} ms)`,
      r.floor
        ? `floor: ${r.floor.calls} calls replayed (${r.floor.errors} errors, ${r.floor.concurrency} at once) in ${r.floor.realSeconds} s, CPU ${r.floor.cpuSeconds} s (simulator ${r.floor.simulatorSeconds} s)` +
          `; main thread ${r.cpu.mainThreadMsPerCall} ms/call (floor ${r.floor.mainThreadMsPerCall})` +
          (r.floor.sdkDefaultsCpuMsPerCall !== undefined ? `, ${r.floor.sdkDefaultsCpuMsPerCall} ms/call with the SDK's defaults` : '') +
          (r.floor.atScanConcurrency ? `; at the scan's ${r.floor.atScanConcurrency.concurrency} calls in flight per thread the floor is ${r.floor.atScanConcurrency.cpuMsPerCall} ms/call (collect/floor ${r.floor.atScanConcurrency.ratioToFloor})` : '') +
          (r.floor.recorded === r.calls.made ? '' : ` — RECORDED ${r.floor.recorded} of ${r.calls.made} calls`)
        : 'no floor',
      `heap peak ${r.memory.peakHeapUsedMB} MB${r.memory.workerHeapPeakMB ? ` (workers: ${r.memory.workerHeapPeakMB.join(', ')} MB)` : ''}`,
      `at most ${r.accountsAtOnce ?? '?'} accounts at once in ${r.workers.used} thread(s)` +
        (r.accountCollection ? ` (${r.accountCollection.meanAtOnce} on average, each collected in ${r.accountCollection.meanSeconds} s, at most ${r.accountCollection.maxSeconds})` : ''),
      r.workers.identicalToOneWorker === undefined ? (r.workers.used === 1 ? 'one thread: the run is the one-thread scan' : 'not compared with a one-thread scan (--no-compare)') : r.workers.identicalToOneWorker ? `results identical to a one-thread scan (${r.workers.oneWorkerRealSeconds} s)` : 'RESULTS DIFFER FROM A ONE-THREAD SCAN',
      `${r.results.total} results`,
      over.length ? `calls off plan: ${over.join(', ')}` : 'calls as planned',
      Object.keys(r.resources.missing).length ? `MISSING resources: ${JSON.stringify(r.resources.missing)}` : 'all resources found',
    ];
    console.log(`  ${notes.join('; ')}`);
    if (r.profile) {
      console.log(`  ${r.estate}: CPU profile ${r.profile.file} (the figures above include the profiler's overhead); top self time:`);
      const row = (f: SelfTimeRow) => `    ${f.selfMs.toFixed(0).padStart(7)} ms ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.name}`;
      for (const f of r.profile.top) console.log(row(f));
      console.log(`  ${r.estate}: self time by source:`);
      for (const f of r.profile.bySource) console.log(row(f));
      if (r.profile.floor) {
        // Side by side with the scan's, per call: where the scanner spends more than bare SDK clients do.
        const perCall = (rows: SelfTimeRow[], calls: number) => new Map(rows.map((f) => [f.name, (f.selfMs * 1000) / Math.max(1, calls)]));
        const scan = perCall(r.profile.bySource, r.calls.made);
        const bare = perCall(r.profile.floor.bySource, r.floor?.calls ?? r.calls.made);
        console.log(`  ${r.estate}: floor profile ${r.profile.floor.file}; self time by source, µs per call (scan / floor):`);
        for (const name of new Set([...scan.keys(), ...bare.keys()])) {
          console.log(`    ${(scan.get(name) ?? 0).toFixed(1).padStart(7)} / ${(bare.get(name) ?? 0).toFixed(1).padStart(7)}  ${name}`);
        }
      }
    }
    if (r.allocations) {
      // KB allocated per call, the scan's beside the floor's: what the garbage collector has to go through per call.
      const perCall = (rows: AllocatedRow[], calls: number) => new Map(rows.map((f) => [f.name, (f.mb * 1024) / Math.max(1, calls)]));
      const a = r.allocations;
      const fl = a.floor;
      const kb = (mb: number, calls: number) => ((mb * 1024) / Math.max(1, calls)).toFixed(1);
      console.log(`  ${r.estate}: allocations ${a.file}: ${kb(a.mb, r.calls.made)} KB per call${fl ? ` (floor ${kb(fl.mb, r.floor?.calls ?? 1)})` : ''}; by source, KB per call (scan / floor):`);
      const scan = perCall(a.bySource, r.calls.made);
      const bare = fl ? perCall(fl.bySource, r.floor?.calls ?? 1) : new Map<string, number>();
      for (const name of new Set([...scan.keys(), ...bare.keys()])) {
        console.log(`    ${(scan.get(name) ?? 0).toFixed(1).padStart(7)} / ${(bare.get(name) ?? 0).toFixed(1).padStart(7)}  ${name}`);
      }
      console.log(`  ${r.estate}: the scan's top allocating functions, KB per call:`);
      for (const f of a.top.slice(0, 20)) console.log(`    ${kb(f.mb, r.calls.made).padStart(7)}  ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.name}`);
    }
  }
}

await main();
