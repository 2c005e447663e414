// `npm run bench -- --profile`: a V8 CPU profile of the scan (the inspector's Profiler, in the estate's own process),
// kept as bench/results/<estate>.cpuprofile (Chrome DevTools, speedscope), and its top self-time functions.

/** The parts of a V8 `Profiler.Profile` read here. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface SelfTime {
  /** `functionName url:line` (line 1-based; `(anonymous)` for unnamed functions). */
  name: string;
  selfMs: number;
  /** Share of all sampled time, 0..1. */
  share: number;
}

/**
 * Self time per function (profile nodes aggregated by function name, script and line), largest first. The idle time
 * is left out, of the list and of the shares: they are shares of the time the process was busy. Script paths under
 * `root` are shown relative to it, packages from their `node_modules/`.
 */
export function topSelfTime(profile: CpuProfile, top = 15, root?: string): SelfTime[] {
  const nameOf = new Map<number, string>();
  for (const n of profile.nodes) {
    const f = n.callFrame;
    let url = f.url.replace(/^file:\/\//, '');
    if (root && url.startsWith(`${root}/`)) url = url.slice(root.length + 1);
    else if (url.includes('/node_modules/')) url = url.slice(url.lastIndexOf('/node_modules/') + 1);
    const where = url ? ` ${url}:${f.lineNumber + 1}` : '';
    nameOf.set(n.id, `${f.functionName || '(anonymous)'}${where}`);
  }
  const self = new Map<string, number>();
  let total = 0;
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  if (samples.length > 0) {
    // Sample i's duration is the delta to the next sample (the last one's: to the profile's end).
    let t = profile.startTime;
    const times = deltas.map((d) => (t += d));
    for (let i = 0; i < samples.length; i++) {
      const dt = Math.max(0, (i + 1 < times.length ? times[i + 1]! : profile.endTime) - times[i]!);
      const name = nameOf.get(samples[i]!) ?? '(unknown)';
      if (name === '(idle)') continue;
      self.set(name, (self.get(name) ?? 0) + dt);
      total += dt;
    }
  } else {
    // No sample list: hit counts, spread evenly over the profile's duration.
    const hits = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0);
    const per = hits > 0 ? (profile.endTime - profile.startTime) / hits : 0;
    for (const n of profile.nodes) {
      const name = nameOf.get(n.id)!;
      if (!n.hitCount || name === '(idle)') continue;
      self.set(name, (self.get(name) ?? 0) + n.hitCount * per);
      total += n.hitCount * per;
    }
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({ name, selfMs: Math.round(us / 10) / 100, share: total > 0 ? Math.round((us / total) * 1000) / 1000 : 0 }));
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
