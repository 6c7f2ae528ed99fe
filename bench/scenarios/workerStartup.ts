import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { PROJECT_ROOT, WORKER_ARGS, WORKER_NODE_FLAGS } from '../../src/paths';
import type { BenchContext } from '../context';
import type { LoadResult } from '../load';
import { progress, toRow } from '../rows';
import type { Row, Scenario } from '../scenario';
import { Spawned } from '../stack/childProcess';

/**
 * A copy of the built worker without dist/workflow-bundle.js, so the real
 * `node dist/worker.js` finds no prebuilt bundle and runs webpack at start, as a
 * deployment that skipped `npm run build`'s bundling step would. Same code,
 * same node_modules (linked), nothing else differs.
 */
function unbundledCopy(dir: string): string {
  const root = path.join(dir, 'worker-without-bundle');
  if (fs.existsSync(root)) return path.join(root, 'dist', 'worker.js');
  fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(PROJECT_ROOT, 'package.json'), path.join(root, 'package.json'));
  fs.symlinkSync(path.join(PROJECT_ROOT, 'migrations'), path.join(root, 'migrations'));
  fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(root, 'node_modules'));
  fs.copyFileSync(path.join(PROJECT_ROOT, 'dist', 'worker.js'), path.join(root, 'dist', 'worker.js'));
  for (const dir of ['src', 'dev']) fs.cpSync(path.join(PROJECT_ROOT, 'dist', dir), path.join(root, 'dist', dir), { recursive: true });
  return path.join(root, 'dist', 'worker.js');
}

interface Variant {
  name: string;
  start: (n: number) => Promise<Spawned>;
  readyLine: string;
}

/** Start `variant` `runs` times, one at a time: ms from spawn to the line that says it polls, and its peak RSS. */
async function timeStarts(ctx: BenchContext, v: Variant, runs: number): Promise<{ result: LoadResult; rssMb: number }> {
  const times: number[] = [];
  let rssMb = 0;
  for (let n = 0; n < runs; n++) {
    const proc = await v.start(n);
    try {
      times.push(await proc.waitForOutput(v.readyLine, 180_000));
      rssMb = Math.max(rssMb, proc.rss.peakMb());
    } finally {
      await proc.stop();
    }
  }
  times.sort((a, b) => a - b);
  const pick = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]!;
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  ctx.log(`    ${v.name}: ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
  return {
    result: { count: times.length, errors: 0, measuredMs: mean * times.length, throughput: 1000 / mean, p50Ms: pick(50), p95Ms: pick(95), p99Ms: pick(99) },
    rssMb,
  };
}

/**
 * Scenario 6: worker start-up, from process start to polling, with the workflow
 * bundle prebuilt at build time vs bundled at start; the floor is a worker with
 * a one-workflow prebuilt bundle and nothing else (no database, no activities to
 * load). Figures are starts/s (1000 / mean ms) so the ratio reads like the others.
 */
export const workerStartup: Scenario = {
  name: 'worker-startup',
  summary: 'worker start-up to polling: prebuilt workflow bundle vs bundled at start, vs a bare no-op worker',
  flags: { runs: 'starts per variant (default 3, --quick 1)' },
  async run(ctx) {
    const services = await ctx.services();
    const infra = await ctx.infra();
    const runs = ctx.numberFlag('runs', ctx.quick ? 1 : 3);
    const queue = () => `startup-${randomBytes(4).toString('hex')}`;
    const workerEnv = () => services.env(0, { TEMPORAL_TASK_QUEUE: queue() });
    const unbundled = unbundledCopy(ctx.dir);
    const log = (name: string) => path.join(ctx.dir, `startup-${name}.log`);
    const variants: Variant[] = [
      {
        name: 'no-op worker (floor)',
        readyLine: 'noop worker polling',
        start: async () => new Spawned({
          name: 'noop worker', args: [path.join(__dirname, '..', 'probes', 'noopWorker.js')],
          env: await ctx.floors.noopWorkerEnv(infra.temporal.address, queue()), logFile: log('noop'),
        }),
      },
      {
        name: 'worker, prebuilt bundle',
        readyLine: 'worker polling',
        start: async () => new Spawned({ name: 'worker', args: [...WORKER_ARGS], env: workerEnv(), logFile: log('prebuilt') }),
      },
      {
        name: 'worker, bundled at start',
        readyLine: 'worker polling',
        start: async () => new Spawned({ name: 'worker', args: [...WORKER_NODE_FLAGS, unbundled], env: workerEnv(), logFile: log('unbundled') }),
      },
    ];
    const measured = [];
    for (const v of variants) {
      ctx.log(`  starting ${v.name} ×${runs}…`);
      measured.push(await timeStarts(ctx, v, runs));
    }
    const floor = measured[0]!.result.throughput;
    const rows: Row[] = measured.map((m, i) => toRow({
      name: `worker start-up: ${variants[i]!.name}`, unit: 'starts/s', result: m.result, rss: m.rssMb,
      ...(i === 0 ? {} : { floor, target: i === 1 ? 0.5 : null, floorNote: 'a worker with a prebuilt one-workflow bundle, no database' }),
    }));
    rows.forEach((r) => progress(ctx, r));
    return rows;
  },
};
