// A scaled clock for the whole process: Date.now, setTimeout and setInterval run `1/scale` times faster than real
// time (scale 0.05: one simulated second passes in 50 real ms). Latency, rate limits, the pacer and the SDK's own
// retry back-off all read these, so they shrink together and the ratio wall time / rate-limit bound is preserved —
// as long as the CPU is not the bottleneck, since CPU work is not compressed.

export interface DilatedClock {
  scale: number;
  /** Real milliseconds (unscaled), for measuring. */
  realNow(): number;
  restore(): void;
}

export function dilateTime(scale: number): DilatedClock {
  const orig = { now: Date.now, setTimeout: globalThis.setTimeout, setInterval: globalThis.setInterval };
  const realNow = () => orig.now.call(Date);
  if (scale === 1) return { scale, realNow, restore() {} };
  const t0 = realNow();
  Date.now = () => t0 + (realNow() - t0) / scale;
  const scaled = (ms: unknown) => (typeof ms === 'number' && ms > 0 ? ms * scale : ms);
  globalThis.setTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) =>
    orig.setTimeout(fn, scaled(ms) as number, ...args)) as typeof setTimeout;
  globalThis.setInterval = ((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) =>
    orig.setInterval(fn, scaled(ms) as number, ...args)) as typeof setInterval;
  return {
    scale,
    realNow,
    restore() {
      Date.now = orig.now;
      globalThis.setTimeout = orig.setTimeout;
      globalThis.setInterval = orig.setInterval;
    },
  };
}
