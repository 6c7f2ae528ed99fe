import { createHistogram, performance } from 'node:perf_hooks';

/** Thrown by an operation when its fixtures ran out: the run stops early and counts what it measured. */
export class OutOfFixtures extends Error {
  override name = 'OutOfFixtures';
}

export interface LoadOptions {
  /** operations in flight at once (a closed loop: each slot starts the next as soon as one ends) */
  concurrency: number;
  /** run, unmeasured, for this long first (connections, JIT, caches) */
  warmupMs: number;
  measureMs: number;
  op: (slot: number) => Promise<void>;
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
 * Closed-loop load: `concurrency` slots each run `op` back to back. Operations
 * that end inside the measured window (after the warm-up) count, with their
 * latency; the ones still running at its end are awaited and dropped. Failures
 * count wherever they happen, warm-up included, so none goes unseen.
 */
export async function closedLoop(o: LoadOptions): Promise<LoadResult> {
  const histogram = createHistogram();
  const start = performance.now();
  const measureFrom = start + o.warmupMs;
  let measureTo = measureFrom + o.measureMs;
  let count = 0;
  let errors = 0;
  let firstError: string | undefined;

  async function slot(n: number): Promise<void> {
    while (performance.now() < measureTo) {
      const t0 = performance.now();
      let failed = false;
      try {
        await o.op(n);
      } catch (err) {
        if (err instanceof OutOfFixtures) {
          measureTo = Math.min(measureTo, performance.now());
          return;
        }
        failed = true;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
      const t1 = performance.now();
      if (failed) errors++;
      else if (t1 >= measureFrom && t1 <= measureTo) {
        count++;
        histogram.record(Math.max(1, Math.round((t1 - t0) * 1000)));
      }
    }
  }

  await Promise.all(Array.from({ length: o.concurrency }, (_, n) => slot(n)));
  const measuredMs = Math.max(1, measureTo - measureFrom);
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
