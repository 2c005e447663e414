// Adaptive admission of accounts: a few always, more only while the event loop has room, never more than the cap.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_BUSY_ABOVE, runAdmitted as runAdmittedNow, workerAdmission, type AdmissionOptions, type AdmissionSource } from '../../src/engine/admission.js';

// On the fake clock: the admission rounds (every 5 ms) and the items (30 to 100 ms) keep their order to the
// millisecond. On the real clock, reaching the cap takes 6 or 7 rounds before the first items end (35 ms of 60): a
// CPU-starved process whose event loop was frozen 10 ms out of every 20 reached 7 or 8 instead of 10.
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});
async function runAdmitted<T>(items: readonly T[] | AdmissionSource<T>, run: (item: T) => Promise<void>, opts: AdmissionOptions): Promise<{ peak: number }> {
  const done = runAdmittedNow(items, run, opts);
  // Rejections are the caller's to see: attach a handler now, while the clock runs.
  done.catch(() => {});
  await vi.runAllTimersAsync();
  return done;
}

/** Items that each take `ms`; records the peak number in flight. */
function workload(n: number, ms: number) {
  let inFlight = 0;
  let peak = 0;
  const done: number[] = [];
  const run = async (i: number) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise((r) => setTimeout(r, ms));
    inFlight--;
    done.push(i);
  };
  return { items: Array.from({ length: n }, (_, i) => i), run, peak: () => peak, done };
}

describe('runAdmitted', () => {
  it('while the loop is busy, holds to the minimum', async () => {
    const w = workload(12, 30);
    await runAdmitted(w.items, w.run, { min: 3, max: 10, intervalMs: 5, utilisation: () => 1 });
    expect(w.peak()).toBe(3);
    expect(w.done.sort((a, b) => a - b)).toEqual(w.items);
  });

  it('while the loop is idle, grows past the minimum up to the cap', async () => {
    const w = workload(40, 80);
    await runAdmitted(w.items, w.run, { min: 2, max: 10, intervalMs: 5, utilisation: () => 0 });
    expect(w.peak()).toBe(10);
    expect(w.done).toHaveLength(40);
  });

  it('a fixed concurrency (min = max) is exactly that', async () => {
    const w = workload(9, 10);
    await runAdmitted(w.items, w.run, { min: 4, max: 4, intervalMs: 5, utilisation: () => 0 });
    expect(w.peak()).toBe(4);
  });

  it('stops growing once the loop gets busy', async () => {
    const w = workload(60, 100);
    let calls = 0;
    // Idle for the first two measurements, busy after.
    await runAdmitted(w.items, w.run, { min: 4, max: 50, intervalMs: 5, utilisation: () => (calls++ < 3 ? 0 : 1) });
    expect(w.peak()).toBeGreaterThan(4);
    expect(w.peak()).toBeLessThan(10);
  });

  it('handles no items, and reports a rejected item after the others finish', async () => {
    await runAdmitted([], async () => {}, { min: 2, max: 2 });
    const seen: number[] = [];
    await expect(runAdmitted([1, 2, 3], async (i) => {
      if (i === 1) throw new Error('boom');
      seen.push(i);
    }, { min: 1, max: 1, utilisation: () => 1 })).rejects.toThrow('boom');
    expect(seen).toEqual([2, 3]);
  });
});

/**
 * A queue of `n` items handed out as a scan's accounts are to its workers: each request answered after `replyMs` (a
 * message each way), with at most what is left. Counts the requests, and the most ever outstanding at once.
 */
function queue(n: number, replyMs = 1) {
  let next = 0;
  let outstanding = 0;
  const stats = { requests: 0, maxOutstanding: 0 };
  const source = (): AdmissionSource<number> => ({
    request(k, deliver) {
      stats.requests++;
      stats.maxOutstanding = Math.max(stats.maxOutstanding, ++outstanding);
      setTimeout(() => {
        outstanding--;
        const given = Array.from({ length: Math.max(0, Math.min(k, n - next)) }, () => next++);
        deliver(given, next >= n);
      }, replyMs);
    },
  });
  return { source, stats };
}

describe('runAdmitted over a source that hands items out as there is room (a scan worker asking for accounts)', () => {
  it('runs every item once, within min and max, with one request outstanding at a time', async () => {
    const w = workload(40, 30);
    const q = queue(40);
    await runAdmitted(q.source(), w.run, { min: 3, max: 8, intervalMs: 5, utilisation: () => 0 });
    expect(w.done.sort((a, b) => a - b)).toEqual(w.items);
    expect(w.peak()).toBe(8);
    expect(q.stats.maxOutstanding).toBe(1);
    // Busy: the minimum, topped up as items end.
    const busy = workload(20, 30);
    await runAdmitted(queue(20).source(), busy.run, { min: 3, max: 8, intervalMs: 5, utilisation: () => 1 });
    expect(busy.peak()).toBe(3);
    expect(busy.done).toHaveLength(20);
  });

  it('two consumers of one queue: the faster takes more, and both finish about together', async () => {
    const q = queue(60);
    const source = q.source();
    const taken = { fast: 0, slow: 0 };
    const ends = { fast: 0, slow: 0 };
    const consumer = (name: 'fast' | 'slow', ms: number) =>
      runAdmitted(source, async () => {
        taken[name]++;
        await new Promise((r) => setTimeout(r, ms));
        ends[name] = Date.now();
      }, { min: 2, max: 2, intervalMs: 5, utilisation: () => 1 });
    const t0 = Date.now();
    await Promise.all([consumer('fast', 10), consumer('slow', 50)]);
    expect(taken.fast + taken.slow).toBe(60);
    // In proportion to their rates (2 per 11 ms against 2 per 51, a reply taking 1 ms): about 49 against 11. Split in
    // halves up front, the slow one alone would take 30 × 51 ÷ 2 = 765 ms; handed out, both end by about 60 ÷ (2/11 +
    // 2/51) = 271 ms.
    expect(taken.fast).toBeGreaterThan(3 * taken.slow);
    expect(Math.max(ends.fast, ends.slow) - t0).toBeLessThan(350);
    expect(Math.abs(ends.fast - ends.slow)).toBeLessThan(60);
  });

  it('a source that has more to come but nothing now is asked again at the next round, not in a loop', async () => {
    let requests = 0;
    const items = [1, 2, 3];
    const source: AdmissionSource<number> = {
      request(_n, deliver) {
        requests++;
        // Nothing for the first three asks, then one item per ask.
        if (requests <= 3) deliver([], false);
        else deliver(items.splice(0, 1), items.length === 0);
      },
    };
    const w = workload(0, 10);
    await runAdmitted(source, w.run, { min: 2, max: 2, intervalMs: 5, utilisation: () => 1 });
    expect(w.done.sort()).toEqual([1, 2, 3]);
    expect(requests).toBeLessThan(10);
  });
});

describe('workerAdmission: a worker thread admits while its loop is not saturated and its heap is under budget', () => {
  const MB = 2 ** 20;
  it('grows past the minimum at 90% busy, where the scanning thread (DEFAULT_BUSY_ABOVE) holds to it', async () => {
    expect(0.9).toBeGreaterThan(DEFAULT_BUSY_ABOVE);
    const w = workload(40, 60);
    await runAdmitted(w.items, w.run, { ...workerAdmission({ min: 2, max: 10 }, 160 * MB, { utilisation: () => 0.9, heapUsed: () => 100 * MB }), intervalMs: 5 });
    expect(w.peak()).toBe(10);
    const main = workload(40, 60);
    await runAdmitted(main.items, main.run, { min: 2, max: 10, intervalMs: 5, utilisation: () => 0.9 });
    expect(main.peak()).toBe(2);
  });

  it('holds to the minimum when the loop is saturated, or while the heap is over its budget however idle the loop', async () => {
    const busy = workload(20, 30);
    await runAdmitted(busy.items, busy.run, { ...workerAdmission({ min: 3, max: 10 }, 160 * MB, { utilisation: () => 0.99, heapUsed: () => 100 * MB }), intervalMs: 5 });
    expect(busy.peak()).toBe(3);
    const full = workload(20, 30);
    await runAdmitted(full.items, full.run, { ...workerAdmission({ min: 3, max: 10 }, 160 * MB, { utilisation: () => 0, heapUsed: () => 161 * MB }), intervalMs: 5 });
    expect(full.peak()).toBe(3);
    // No budget (or 0): the heap does not count.
    const unbounded = workload(40, 60);
    await runAdmitted(unbounded.items, unbounded.run, { ...workerAdmission({ min: 3, max: 10 }, undefined, { utilisation: () => 0, heapUsed: () => 10_000 * MB }), intervalMs: 5 });
    expect(unbounded.peak()).toBe(10);
    const zero = workload(40, 60);
    await runAdmitted(zero.items, zero.run, { ...workerAdmission({ min: 3, max: 10 }, 0, { utilisation: () => 0, heapUsed: () => 10_000 * MB }), intervalMs: 5 });
    expect(zero.peak()).toBe(10);
  });
});
