import { createHistogram, performance } from 'node:perf_hooks';

/** Thrown by an operation when its fixtures ran out: the run stops early and counts what it measured. */
export class OutOfFixtures extends Error {
  override name = 'OutOfFixtures';
}

export interface LoadOptions {
  /** operations in flight at once (a closed loop: each slot starts the next as soon as one ends) */
  concurrency: number;
  /** run, unmeasured, at least this long first (connections, JIT, caches), and until every slot has finished one operation */
  warmupMs: number;
  measureMs: number;
  op: (slot: number) => Promise<void>;
  /** called when the measured window opens and closes (CPU accounting) */
  window?: { open(): void; close(): void };
}

export interface LoadResult {
  /** operations that ended inside the measured window */
  count: number;
  errors: number;
  firstError?: string;
  measuredMs: number;
  /** per second */
  throughput: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

/**
 * Closed-loop load: `concurrency` slots each run `op` back to back. The window
 * opens once the warm-up time has passed and every slot has completed an
 * operation (so a slow path is in its steady state, not filling its pipeline);
 * operations that end inside it count, with their latency; the ones still
 * running when it closes are awaited and dropped. Failures count wherever they
 * happen, warm-up included, so none goes unseen.
 */
export async function closedLoop(o: LoadOptions): Promise<LoadResult> {
  const histogram = createHistogram();
  const start = performance.now();
  let opened: number | undefined;
  let closed: number | undefined;
  let openTimer: NodeJS.Timeout | undefined;
  let closeTimer: NodeJS.Timeout | undefined;
  let cycled = 0;
  let count = 0;
  let errors = 0;
  let firstError: string | undefined;

  function close(): void {
    if (closed !== undefined) return;
    if (opened === undefined) open();
    closed = performance.now();
    clearTimeout(closeTimer);
    o.window?.close();
  }
  function open(): void {
    if (opened !== undefined) return;
    clearTimeout(openTimer);
    opened = performance.now();
    o.window?.open();
    closeTimer = setTimeout(close, o.measureMs);
  }
  // a path too slow to cycle every slot still gets measured: the window opens after 10 warm-ups at the latest
  const latest = setTimeout(open, Math.max(10 * o.warmupMs, 30_000));

  async function slot(n: number): Promise<void> {
    let first = true;
    while (closed === undefined) {
      const t0 = performance.now();
      let failed = false;
      try {
        await o.op(n);
      } catch (err) {
        if (err instanceof OutOfFixtures) {
          close();
          return;
        }
        failed = true;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
      const t1 = performance.now();
      if (failed) errors++;
      else if (opened !== undefined && closed === undefined) {
        count++;
        histogram.record(Math.max(1, Math.round((t1 - t0) * 1000)));
      }
      if (first) {
        first = false;
        // every slot warm: open now, or when the warm-up time is up
        if (++cycled === o.concurrency && opened === undefined) openTimer = setTimeout(open, Math.max(0, start + o.warmupMs - t1));
      }
    }
  }

  await Promise.all(Array.from({ length: o.concurrency }, (_, n) => slot(n)));
  clearTimeout(latest);
  close();
  const measuredMs = Math.max(1, closed! - opened!);
  const ms = (p: number) => (count > 0 ? histogram.percentile(p) / 1000 : NaN);
  return {
    count,
    errors,
    ...(firstError !== undefined ? { firstError } : {}),
    measuredMs,
    throughput: (count * 1000) / measuredMs,
    p50Ms: ms(50),
    p95Ms: ms(95),
    p99Ms: ms(99),
  };
}
