import type { BenchContext } from './context';
import { closedLoop, type LoadOptions, type LoadResult } from './load';
import type { Row } from './scenario';
import type { CpuUsage } from './stack/cpuMeter';
import type { Services } from './stack/services';

const round = (n: number | null, digits: number) => (n === null || !Number.isFinite(n) ? null : Number(n.toFixed(digits)));

/** A report row from a load result, judged against `floor` (same unit, measured in this run). */
export function toRow(o: {
  name: string;
  unit: string;
  result: LoadResult;
  floor?: number | null;
  target?: number | null;
  floorNote?: string;
  concurrency?: number;
  rss?: Record<string, number> | number | null;
  cpu?: CpuUsage;
}): Row {
  const floor = o.floor ?? null;
  const byProcess = o.rss && typeof o.rss === 'object' ? o.rss : undefined;
  const peak = byProcess ? Object.values(byProcess).reduce((a, b) => a + b, 0) : typeof o.rss === 'number' ? o.rss : null;
  return {
    name: o.name,
    unit: o.unit,
    throughput: round(o.result.throughput, 2),
    floor: round(floor, 2),
    ratio: floor ? round(o.result.throughput / floor, 3) : null,
    target: o.target ?? null,
    p50Ms: round(o.result.p50Ms, 1),
    p95Ms: round(o.result.p95Ms, 1),
    p99Ms: round(o.result.p99Ms, 1),
    peakRssMb: peak,
    ...(byProcess ? { peakRssMbByProcess: byProcess } : {}),
    ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}),
    count: o.result.count,
    errors: o.result.errors,
    ...(o.cpu && o.result.count > 0 ? cpuFields(o.cpu, o.result.count) : {}),
    ...(o.floorNote ? { floorNote: o.floorNote } : {}),
  };
}

function cpuFields(cpu: CpuUsage, ops: number): Pick<Row, 'cpuMsPerOp' | 'otherLoadPct'> {
  // the meter covers the measured window only, as does `ops`
  const perOp = Object.fromEntries(Object.entries(cpu.byGroup).map(([k, v]) => [k, Number((v / ops).toFixed(1))]));
  return { cpuMsPerOp: perOp, otherLoadPct: Math.round((100 * cpu.elsewhere) / Math.max(1, cpu.capacityMs)) };
}

/** Closed-loop load on the API, with the API's and the worker's peak RSS over the window. */
export async function loadServices(
  ctx: BenchContext,
  services: Services,
  concurrency: number,
  op: (slot: number) => Promise<void>,
): Promise<{ result: LoadResult; rss: { api: number; worker: number }; cpu: CpuUsage }> {
  services.resetPeakRss();
  const { result, cpu } = await metered(ctx, (window) => closedLoop({ concurrency, ...ctx.durations, op, ...(window ? { window } : {}) }));
  const rss = services.peakRss();
  if (result.errors > 0) ctx.log(`  ! ${result.errors} failed requests; first: ${result.firstError}`);
  return { result, rss, cpu };
}

/** Run a closed loop with CPU accounted over its measured window only (not the warm-up). */
export async function metered(ctx: BenchContext, load: (window: LoadOptions['window']) => Promise<LoadResult>): Promise<{ result: LoadResult; cpu: CpuUsage }> {
  const meter = await ctx.cpuMeter();
  let cpu: CpuUsage | undefined;
  const result = await load({ open: () => meter.begin(), close: () => (cpu = meter.end()) });
  return { result, cpu: cpu ?? meter.end() };
}

/** One progress line per measurement, on stderr. */
export function progress(ctx: BenchContext, row: Row): void {
  const f = (n: number | null, d = 1) => (n === null ? '–' : n.toFixed(d));
  ctx.log(
    `  ${row.name}: ${f(row.throughput)} ${row.unit}` +
      (row.floor !== null ? ` (floor ${f(row.floor)}, ratio ${f(row.ratio, 2)}${row.target !== null ? `, target ${row.target}` : ''})` : '') +
      ` p50 ${f(row.p50Ms)} p95 ${f(row.p95Ms)} p99 ${f(row.p99Ms)} ms` +
      (row.peakRssMb !== null ? `, peak RSS ${row.peakRssMb} MiB${row.peakRssMbByProcess ? ` ${JSON.stringify(row.peakRssMbByProcess)}` : ''}` : '') +
      (row.cpuMsPerOp ? `\n      CPU ms per op ${JSON.stringify(row.cpuMsPerOp)}` : '') +
      (row.otherLoadPct !== undefined ? `, other load ${row.otherLoadPct}% of the machine` : '') +
      (row.composedFloor !== undefined
        ? `\n      composed floor ${f(row.composedFloor)} (${row.composedNote}), ratio ${f(row.composedRatio ?? null, 2)}; ` +
          `own overhead ${f(row.ownOverheadMsPerOp ?? null)} ms/request (API + worker − argon2id ${f(row.argon2CpuMsPerOp ?? null)}); shape CPU ${JSON.stringify(row.shapeCpuMsPerOp)}`
        : ''),
  );
}
