// `npm run bench -- --profile`: a V8 CPU profile of the scan (the inspector's Profiler, in the estate's own process),
// kept as bench/results/<estate>.cpuprofile (Chrome DevTools, speedscope), and its top self-time functions.

/** The parts of a V8 `Profiler.Profile` read here. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number }; hitCount?: number }[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface SelfTime {
  /** `functionName url:line:column` (1-based; `(anonymous)` for unnamed functions), or a source (selfTimeBySource). */
  name: string;
  selfMs: number;
  /** Share of all sampled time, 0..1. */
  share: number;
}

type Frame = CpuProfile['nodes'][number]['callFrame'];

/** A script's path: relative to `root` when under it, from `node_modules/` for a package. */
function scriptPath(url: string, root?: string): string {
  const path = url.replace(/^file:\/\//, '');
  if (root && path.startsWith(`${root}/`)) return path.slice(root.length + 1);
  if (path.includes('/node_modules/')) return path.slice(path.lastIndexOf('/node_modules/') + 1);
  return path;
}

/** Self time under each key (`keyOf` a node's call frame), largest first; the idle time is left out. */
function selfTimeBy(profile: CpuProfile, keyOf: (f: Frame) => string, top: number): SelfTime[] {
  const keyOfNode = new Map<number, string>();
  for (const n of profile.nodes) keyOfNode.set(n.id, n.callFrame.functionName === '(idle)' ? '(idle)' : keyOf(n.callFrame));
  const self = new Map<string, number>();
  let total = 0;
  const add = (key: string, us: number) => {
    if (key === '(idle)') return;
    self.set(key, (self.get(key) ?? 0) + us);
    total += us;
  };
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  if (samples.length > 0) {
    // Sample i's duration is the delta to the next sample (the last one's: to the profile's end).
    let t = profile.startTime;
    const times = deltas.map((d) => (t += d));
    for (let i = 0; i < samples.length; i++) {
      add(keyOfNode.get(samples[i]!) ?? '(unknown)', Math.max(0, (i + 1 < times.length ? times[i + 1]! : profile.endTime) - times[i]!));
    }
  } else {
    // No sample list: hit counts, spread evenly over the profile's duration.
    const hits = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0);
    const per = hits > 0 ? (profile.endTime - profile.startTime) / hits : 0;
    for (const n of profile.nodes) if (n.hitCount) add(keyOfNode.get(n.id)!, n.hitCount * per);
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({ name, selfMs: Math.round(us / 10) / 100, share: total > 0 ? Math.round((us / total) * 1000) / 1000 : 0 }));
}

/**
 * Self time per function (profile nodes aggregated by function name and position in its script), largest first. The
 * idle time is left out, of the list and of the shares: they are shares of the time the process was busy. Script
 * paths under `root` are shown relative to it, packages from their `node_modules/`.
 */
export function topSelfTime(profile: CpuProfile, top = 15, root?: string): SelfTime[] {
  return selfTimeBy(profile, (f) => functionKey(f, root), top);
}

function functionKey(f: Frame, root?: string): string {
  const url = scriptPath(f.url, root);
  return `${f.functionName || '(anonymous)'}${url ? ` ${url}:${f.lineNumber + 1}:${(f.columnNumber ?? 0) + 1}` : ''}`;
}

/**
 * Self time per source: each package (`@smithy/core`), each top directory of the project (`src/aws`, `checks`), Node's
 * own (`node:`) and V8's (garbage collector, program).
 */
export function selfTimeBySource(profile: CpuProfile, root?: string, top = 15): SelfTime[] {
  return selfTimeBy(profile, (f) => sourceKey(f, root), top);
}

function sourceKey(f: Frame, root?: string): string {
  if (!f.url) return f.functionName.startsWith('(') ? f.functionName : '(native)';
  if (f.url.startsWith('node:')) return 'node:';
  const path = scriptPath(f.url, root);
  const pkg = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (pkg) return pkg[1]!;
  const parts = path.split('/');
  return parts[0] === 'src' && parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts.length > 1 ? parts[0]! : path;
}

/** Starts the inspector's CPU profiler; `stop()` ends it and returns the profile. */
export async function startProfile(): Promise<{ stop(): Promise<CpuProfile> }> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
      session.disconnect();
      return profile;
    },
  };
}

/** The parts of a V8 `HeapProfiler.SamplingHeapProfile` read here. */
export interface HeapProfileNode {
  callFrame: Frame;
  /** Bytes allocated at this frame (not its callees), estimated from the samples. */
  selfSize: number;
  children: HeapProfileNode[];
}
export interface AllocationProfile {
  head: HeapProfileNode;
}

export interface Allocated {
  /** `functionName url:line:column`, or a source (allocationsBySource). */
  name: string;
  mb: number;
  /** Share of all bytes allocated, 0..1. */
  share: number;
}

/**
 * Starts V8's sampling heap profiler, counting what is collected as well (every allocation, not what is live at the
 * end: what the garbage collector has to deal with). `stop()` ends it and returns the profile.
 */
export async function startAllocationProfile(samplingInterval = 16 * 1024): Promise<{ stop(): Promise<AllocationProfile> }> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', { samplingInterval, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  return {
    async stop() {
      const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as { profile: AllocationProfile };
      session.disconnect();
      return profile;
    },
  };
}

function allocatedBy(profile: AllocationProfile, keyOf: (f: Frame) => string, top: number): Allocated[] {
  const bytes = new Map<string, number>();
  let total = 0;
  const stack: HeapProfileNode[] = [profile.head];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.selfSize > 0) {
      const key = keyOf(n.callFrame);
      bytes.set(key, (bytes.get(key) ?? 0) + n.selfSize);
      total += n.selfSize;
    }
    stack.push(...n.children);
  }
  return [...bytes.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, b]) => ({ name, mb: Math.round(b / 2 ** 10) / 2 ** 10, share: total > 0 ? Math.round((b / total) * 1000) / 1000 : 0 }));
}

/** Bytes allocated per function (as topSelfTime names them), largest first. */
export function topAllocations(profile: AllocationProfile, top = 15, root?: string): Allocated[] {
  return allocatedBy(profile, (f) => functionKey(f, root), top);
}

/** Bytes allocated per source (as selfTimeBySource groups them). */
export function allocationsBySource(profile: AllocationProfile, root?: string, top = 15): Allocated[] {
  return allocatedBy(profile, (f) => sourceKey(f, root), top);
}
