// How many accounts a scan works on at once.
//
// Rate limits are per account and region, so more accounts at once means more calls per second, up to the point where
// this process's CPU (parsing, signing, evaluating) is the limit. Past that point another account in flight only adds
// its inventory to memory and makes every account take longer. So accounts are admitted adaptively: always a few, and
// another one only while the event loop has had idle time over the last interval (it is waiting on AWS, not busy).
// A scan of a few accounts behaves as before; an organization-wide scan holds about as many accounts as the CPU can
// keep busy — on a 2-core machine against AWS latencies, 24–30 on the XL benchmark — not the whole organization.
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';

export interface AdmissionOptions {
  /** Never more at once. */
  max: number;
  /** Always this many at once (while there are items). */
  min: number;
  /** Event-loop utilisation (0-1) above which no further item is admitted. */
  busyAbove?: number;
  /** Milliseconds between two admission rounds beyond `min` (each round's effect is measured before the next). */
  intervalMs?: number;
  /** Test hook: the event-loop utilisation since the previous call. */
  utilisation?: () => number;
}

export const DEFAULT_BUSY_ABOVE = 0.85;
export const DEFAULT_ADMIT_INTERVAL_MS = 250;

/**
 * A worker thread's admission (engine/scan-worker.ts): another account while its event loop was not saturated — up to
 * 97% busy over the interval, where the scanning thread stops at 85% (it keeps room for the progress display and the
 * workers' messages) — and, beyond the minimum, only while the worker's heap is under `heapBudget` bytes, so that the
 * workers' heaps together stay about what one thread's would be. On the XL benchmark (2 workers, two runs each) 0.97
 * took 218.4 and 221.8 s and 349 and 350 CPU-s against 239.0 and 242.0 s and 380 and 384 CPU-s at 0.85, with the
 * same peak RSS (961, 995 MB against 988, 960): the heap budget, not the event loop, then sets how many accounts are
 * in flight, and more of them in flight cost less CPU per call (responses come back together). Without a budget (or 0)
 * the heap does not count; the event-loop threshold is the same.
 */
export const WORKER_BUSY_ABOVE = 0.97;

export function workerAdmission(
  admission: { min: number; max: number },
  heapBudget: number | undefined,
  probes: { utilisation?: () => number; heapUsed?: () => number } = {},
): AdmissionOptions {
  const loop = probes.utilisation ?? eventLoopMeter();
  const heapUsed = probes.heapUsed ?? (() => getHeapStatistics().used_heap_size);
  return {
    ...admission,
    busyAbove: WORKER_BUSY_ABOVE,
    utilisation: () => {
      const u = loop();
      return heapBudget && heapUsed() > heapBudget ? 1 : u;
    },
  };
}

/** Event-loop utilisation since the previous call (the first call: since the process started). */
export function eventLoopMeter(): () => number {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const delta = performance.eventLoopUtilization(now, last);
    last = now;
    return delta.utilization;
  };
}

/**
 * Where runAdmitted's items come from when they are not all known up front: a scan worker's accounts, handed out by the
 * scanning thread as each worker has room for more (engine/workers.ts). `request(n, deliver)` asks for up to `n` more;
 * `deliver` is called once per request — at once or later — with the items (possibly none) and whether the source has
 * no more. runAdmitted has at most one request outstanding, and starts what is delivered as soon as it arrives: the
 * room it was asked for was measured when it asked.
 */
export interface AdmissionSource<T> {
  request(n: number, deliver: (items: readonly T[], exhausted: boolean) => void): void;
}

/** The items of an array, in order, as a source. */
export function arraySource<T>(items: readonly T[]): AdmissionSource<T> {
  let next = 0;
  return {
    request(n, deliver) {
      const taken = items.slice(next, next + n);
      next += taken.length;
      deliver(taken, next >= items.length);
    },
  };
}

/**
 * Runs `run` over `items` (an array, or a source that hands them out), `min` to `max` at once, admitting beyond `min`
 * only while the event loop is not busy. `run` must not reject (errors are the caller's to record); resolves when every
 * item is done and the source has no more.
 */
export async function runAdmitted<T>(items: readonly T[] | AdmissionSource<T>, run: (item: T) => Promise<void>, opts: AdmissionOptions): Promise<{ peak: number }> {
  const source = Array.isArray(items) ? arraySource(items as readonly T[]) : (items as AdmissionSource<T>);
  const max = Math.max(1, opts.max);
  const min = Math.max(1, Math.min(opts.min, max));
  const busyAbove = opts.busyAbove ?? DEFAULT_BUSY_ABOVE;
  const utilisation = opts.utilisation ?? eventLoopMeter();
  let exhausted = false;
  let asking = false;
  // Set by an empty delivery from a source that has more to come: no asking again before the next round.
  let starved = false;
  let inFlight = 0;
  let peak = 0;
  let failure: unknown;
  let settled = false;
  await new Promise<void>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const start = (item: T) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      run(item)
        .catch((err: unknown) => (failure ??= err))
        .finally(() => {
          inFlight--;
          fill();
        });
    };
    const ask = (n: number) => {
      asking = true;
      source.request(n, (got, last) => {
        asking = false;
        if (last) exhausted = true;
        else if (got.length === 0) starved = true;
        for (const item of got) start(item);
        fill();
      });
    };
    const fill = () => {
      if (settled) return;
      if (!exhausted && !asking && !starved && inFlight < min) ask(min - inFlight);
      if (exhausted) {
        if (timer) clearTimeout(timer);
        timer = undefined;
        if (inFlight === 0) {
          settled = true;
          if (failure === undefined) resolve();
          else reject(failure as Error);
        }
        return;
      }
      timer ??= setTimeout(tick, opts.intervalMs ?? DEFAULT_ADMIT_INTERVAL_MS);
    };
    // Beyond `min`: a quarter more per interval while the loop had idle time (from a few accounts to a hundred in
    // about fifteen intervals), none while it was busy. Growing by half reached 42 accounts at once on a 2-core machine
    // against AWS latencies (966 MB at peak on the XL benchmark, 9 s faster); a quarter, 875 MB.
    const tick = () => {
      timer = undefined;
      starved = false;
      if (utilisation() < busyAbove && !asking && !exhausted && inFlight < max) ask(Math.min(max - inFlight, Math.max(1, Math.floor(inFlight / 4))));
      fill();
    };
    utilisation();
    fill();
  });
  return { peak };
}
