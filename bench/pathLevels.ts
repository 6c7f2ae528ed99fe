import os from 'node:os';
import type { BenchContext } from './context';
import { loadServices, progress, toRow } from './rows';
import type { Row } from './scenario';
import { ARGON2_TARGET, WORKFLOW_TARGET } from './scenarios/levels';

/** A floor for one concurrency level, measured just before the path it judges. */
export interface LevelFloor {
  throughput: number;
  target: number;
  note: string;
}

/** The argon2id floor at `c` in flight, per request of a path that runs argon2id `runs` times. */
export async function argon2Floor(ctx: BenchContext, c: number, runs: number): Promise<LevelFloor> {
  const argon2 = await ctx.floors.argon2For(c);
  return {
    throughput: argon2.throughput / runs,
    target: ARGON2_TARGET,
    note: `argon2id with ${Math.min(c, os.availableParallelism())} in flight, measured just before (${argon2.throughput.toFixed(1)}/s) / ${runs} run${runs === 1 ? '' : 's'} per request`,
  };
}

/** The no-op workflow (one activity) floor at `c` at once. */
export async function noopWorkflowFloor(ctx: BenchContext, c: number): Promise<LevelFloor> {
  const noop = await ctx.floors.noopWorkflow(c, { fresh: true });
  return {
    throughput: noop.throughput,
    target: WORKFLOW_TARGET,
    note: `no-op workflow with one activity, ${c} at once, measured just before (p50 ${noop.p50Ms.toFixed(1)} ms)`,
  };
}

/** How many fresh fixtures a window at up to `pace` × the floor's rate can use. */
export function fixturesFor(ctx: BenchContext, floor: LevelFloor, c: number, pace = 1.5): number {
  return Math.ceil((floor.throughput * pace * (ctx.durations.warmupMs + ctx.durations.measureMs)) / 1000) + 4 * c;
}

/** One row: `op` through the API under closed-loop load at `c`, judged against `floor`. */
export async function measurePath(ctx: BenchContext, o: { name: string; c: number; floor: LevelFloor; op: (slot: number) => Promise<void> }): Promise<Row> {
  const services = await ctx.services();
  ctx.log(`  ${o.name}…`);
  const { result, rss, cpu } = await loadServices(ctx, services, o.c, o.op);
  const row = toRow({
    name: o.name, unit: 'requests/s', result, rss, cpu, concurrency: o.c,
    floor: o.floor.throughput, target: o.floor.target, floorNote: o.floor.note,
  });
  progress(ctx, row);
  return row;
}
