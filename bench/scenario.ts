import type { BenchContext } from './context';

/**
 * One line of the report: a figure measured in this run beside the floor it is
 * judged against, measured in the same run. `ratio` = throughput / floor;
 * `target` is the ratio the scenario aims for. Floors themselves have no floor.
 */
export interface Row {
  name: string;
  unit: string;
  throughput: number | null;
  floor: number | null;
  ratio: number | null;
  target: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  /** peak RSS of the processes doing the work (API + worker for the paths), MiB */
  peakRssMb: number | null;
  /** the same, process by process */
  peakRssMbByProcess?: Record<string, number>;
  /** requests in flight (closed loop) */
  concurrency?: number;
  /** requests measured, and those that failed (any failure is reported, never hidden) */
  count?: number;
  errors?: number;
  /**
   * CPU ms per operation, process tree by process tree (api, worker, temporal,
   * postgres, bench…), from /proc: where the work went
   */
  cpuMsPerOp?: Record<string, number>;
  /** share of the machine's CPU used during the window by processes the bench did not start (a loaded machine shows here), % */
  otherLoadPct?: number;
  /**
   * Path rows: the composed floor (the path's argon2id runs plus a no-op workflow of
   * the path's Temporal shape, measured in this run), the ratio to it, and the CPU
   * per request that is resetflow's own: API + worker minus argon2id
   */
  composedFloor?: number;
  composedRatio?: number | null;
  composedNote?: string;
  argon2CpuMsPerOp?: number;
  /** the shaped no-op's CPU ms per request, process by process (noop-worker, temporal, bench as the client) */
  shapeCpuMsPerOp?: Record<string, number>;
  ownOverheadMsPerOp?: number | null;
  /** what the floor is, in words (e.g. "argon2id best rate / 2 argon2 runs per request") */
  floorNote?: string;
}

/** `npm run bench -- <name> [--flag value]`: flags a scenario reads, with a line of help each. */
export type FlagHelp = Record<string, string>;

/**
 * A benchmark scenario: one file in bench/scenarios/, registered in
 * bench/scenarios/index.ts. It asks the context for what it needs (the stack,
 * the API and worker processes, floors, fixtures), so it also runs alone.
 */
export interface Scenario {
  name: string;
  summary: string;
  flags?: FlagHelp;
  /** part of a plain `npm run bench` (default true); false: only when named */
  inDefaultRun?: boolean;
  run(ctx: BenchContext): Promise<Row[]>;
}
