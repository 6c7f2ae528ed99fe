import os from 'node:os';
import type { BenchContext } from './context';
import { SHAPES, type Shape } from './floors';
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

/** What a path is made of, for its composed floor: its Temporal shape and its argon2id runs per request. */
export interface Composition {
  shape: Shape;
  argon2Runs: number;
}

/**
 * The architecture's limit for a path at `c` in flight: its argon2id runs plus a
 * no-op workflow of the same Temporal shape, both on this machine's cores, so the
 * time per request of each adds up (1 / (runs / argon2 rate + 1 / shape rate)).
 */
export interface ComposedFloor {
  throughput: number;
  /** CPU ms per request of the argon2id runs (in the probe process) */
  argon2CpuMsPerOp: number;
  /** CPU ms per request of the shaped no-op, process by process (noop-worker, temporal, bench: the client) */
  shapeCpuMsPerOp: Record<string, number>;
  note: string;
}

export async function composedFloor(ctx: BenchContext, c: number, comp: Composition): Promise<ComposedFloor> {
  const shape = await ctx.floors.shape(comp.shape, c);
  const perOp = (v: number) => Number((v / Math.max(1, shape.count)).toFixed(1));
  const shapeCpu = Object.fromEntries(Object.entries(shape.cpu?.byGroup ?? {}).filter(([, v]) => v > 0).map(([k, v]) => [k, perOp(v)]));
  let argon2Seconds = 0;
  let argon2Cpu = 0;
  let argon2Note = '';
  if (comp.argon2Runs > 0) {
    const argon2 = await ctx.floors.argon2(Math.min(c, os.availableParallelism()));
    argon2Seconds = comp.argon2Runs / argon2.throughput;
    argon2Cpu = comp.argon2Runs * (argon2.cpuMsPerHash ?? 0);
    argon2Note = `${comp.argon2Runs} argon2id runs at ${argon2.throughput.toFixed(1)}/s + `;
  }
  const throughput = 1 / (argon2Seconds + 1 / shape.throughput);
  return {
    throughput,
    argon2CpuMsPerOp: Number(argon2Cpu.toFixed(1)),
    shapeCpuMsPerOp: shapeCpu,
    note: `${argon2Note}no-op ${SHAPES[comp.shape]} at ${shape.throughput.toFixed(1)}/s`,
  };
}

/** How many fresh fixtures a window at up to `pace` × the floor's rate can use. */
export function fixturesFor(ctx: BenchContext, floor: LevelFloor, c: number, pace = 1.5): number {
  return Math.ceil((floor.throughput * pace * (ctx.durations.warmupMs + ctx.durations.measureMs)) / 1000) + 4 * c;
}

/** One row: `op` through the API under closed-loop load at `c`, judged against `floor`. */
export async function measurePath(ctx: BenchContext, o: { name: string; c: number; floor: LevelFloor; composition?: Composition; op: (slot: number) => Promise<void> }): Promise<Row> {
  const composed = o.composition ? await composedFloor(ctx, o.c, o.composition) : undefined;
  const services = await ctx.services();
  ctx.log(`  ${o.name}…`);
  const { result, rss, cpu } = await loadServices(ctx, services, o.c, o.op);
  const row = toRow({
    name: o.name, unit: 'requests/s', result, rss, cpu, concurrency: o.c,
    floor: o.floor.throughput, target: o.floor.target, floorNote: o.floor.note,
  });
  if (!composed) {
    progress(ctx, row);
    return row;
  }
  const ours = row.cpuMsPerOp ? (row.cpuMsPerOp['api'] ?? 0) + (row.cpuMsPerOp['worker'] ?? 0) : null;
  const withComposed: Row = {
    ...row,
    composedFloor: Number(composed.throughput.toFixed(2)),
    composedRatio: row.throughput !== null ? Number((row.throughput / composed.throughput).toFixed(3)) : null,
    composedNote: composed.note,
    argon2CpuMsPerOp: composed.argon2CpuMsPerOp,
    shapeCpuMsPerOp: composed.shapeCpuMsPerOp,
    ownOverheadMsPerOp: ours === null ? null : Number((ours - composed.argon2CpuMsPerOp).toFixed(1)),
  };
  progress(ctx, withComposed);
  return withComposed;
}
