import os from 'node:os';
import { UserQueue } from '../fixtures';
import { pathRequests } from '../paths';
import { loadServices, progress, toRow } from '../rows';
import type { Row, Scenario } from '../scenario';
import type { ServiceSettings } from '../stack/services';
import type { BenchContext } from '../context';
import { ARGON2_TARGET, WORKFLOW_TARGET } from './levels';
import { ARGON2_RUNS_PER_PASSWORD_CHANGE } from './temporaryPassword';

interface Sweep {
  variable: string;
  values: { full: string[]; quick: string[] };
  /** which processes get the variable */
  apply: (value: string) => ServiceSettings;
  loads: ('temporaryPassword' | 'signIn' | 'resetEmail')[];
}

/**
 * The process settings README.md (Configuration) documents, each swept with everything else
 * at its default: UV_THREADPOOL_SIZE (argon2 runs on libuv's pool), the worker's
 * activity concurrency and the pg pool size. Each value restarts the processes.
 */
const SWEEPS: Sweep[] = [
  {
    variable: 'UV_THREADPOOL_SIZE',
    values: { full: ['2', '4'], quick: ['2', '4'] },
    apply: (v) => ({ api: { UV_THREADPOOL_SIZE: v }, worker: { UV_THREADPOOL_SIZE: v } }),
    loads: ['temporaryPassword', 'signIn'],
  },
  {
    variable: 'WORKER_ACTIVITY_CONCURRENCY',
    values: { full: ['4', '8', '32'], quick: ['4', '8'] },
    apply: (v) => ({ worker: { WORKER_ACTIVITY_CONCURRENCY: v } }),
    loads: ['resetEmail'],
  },
  {
    variable: 'PG_POOL_SIZE',
    values: { full: ['2', '10', '20'], quick: ['2', '10'] },
    apply: (v) => ({ api: { PG_POOL_SIZE: v }, worker: { PG_POOL_SIZE: v } }),
    loads: ['resetEmail'],
  },
];

/** requests in flight for each load: past the point where the path saturates the machine */
const CONCURRENCY = { temporaryPassword: 16, signIn: 16, resetEmail: 32 };

async function measure(ctx: BenchContext, sweep: Sweep, value: string, load: Sweep['loads'][number], floors: { argon2: number; noop: number }): Promise<Row> {
  const services = await ctx.services(sweep.apply(value));
  const http = await ctx.http();
  const fixtures = await ctx.fixtures();
  const tenant = await fixtures.tenant();
  const c = CONCURRENCY[load];
  const seconds = (ctx.durations.warmupMs + ctx.durations.measureMs) / 1000;
  let op: () => Promise<void>;
  let floor: number;
  let target: number;
  let floorNote: string;
  if (load === 'signIn') {
    op = pathRequests.signIn(http, tenant, await fixtures.users(tenant, 256));
    [floor, target, floorNote] = [floors.argon2, ARGON2_TARGET, 'argon2id, measured right before'];
  } else if (load === 'temporaryPassword') {
    floor = floors.argon2 / ARGON2_RUNS_PER_PASSWORD_CHANGE;
    op = pathRequests.temporaryPassword(http, tenant, new UserQueue(await fixtures.users(tenant, Math.ceil(floor * 2 * seconds) + 4 * c)));
    [target, floorNote] = [ARGON2_TARGET, `argon2id / ${ARGON2_RUNS_PER_PASSWORD_CHANGE}, measured right before`];
  } else {
    floor = floors.noop;
    op = pathRequests.resetEmail(http, tenant, new UserQueue(await fixtures.users(tenant, Math.ceil(floor * 2 * seconds) + 4 * c)));
    [target, floorNote] = [WORKFLOW_TARGET, `no-op workflow, ${c} at once, measured right before`];
  }
  const label = { temporaryPassword: 'path 2', signIn: 'sign-in', resetEmail: 'path 1 start' }[load];
  ctx.log(`  ${sweep.variable}=${value}: ${label}, ${c} at once…`);
  const { result, rss, cpu } = await loadServices(ctx, services, c, op);
  const row = toRow({ name: `${sweep.variable}=${value}: ${label}, ${c} at once`, unit: 'requests/s', result, rss, cpu, concurrency: c, floor, target, floorNote });
  progress(ctx, row);
  return row;
}

export const settings: Scenario = {
  name: 'settings',
  summary: 'UV_THREADPOOL_SIZE, WORKER_ACTIVITY_CONCURRENCY and PG_POOL_SIZE swept one at a time (others at their defaults) on the paths they bear on',
  flags: { sweep: 'only this variable, e.g. PG_POOL_SIZE' },
  async run(ctx) {
    const rows: Row[] = [];
    const only = ctx.flags['sweep'];
    for (const sweep of SWEEPS.filter((s) => !only || s.variable === only)) {
      for (const value of ctx.quick ? sweep.values.quick : sweep.values.full) {
        // the floors again for every value, right before it: background load drifts between values
        await ctx.services(sweep.apply(value));
        const floors = {
          argon2: sweep.loads.some((l) => l !== 'resetEmail') ? (await ctx.floors.argon2(os.availableParallelism(), undefined, { fresh: true })).throughput : 0,
          noop: sweep.loads.includes('resetEmail') ? (await ctx.floors.noopWorkflow(CONCURRENCY.resetEmail, { fresh: true })).throughput : 0,
        };
        for (const load of sweep.loads) rows.push(await measure(ctx, sweep, value, load, floors));
      }
    }
    await ctx.services(); // back to the defaults for whatever runs next
    return rows;
  },
};
