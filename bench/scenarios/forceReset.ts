import { UserQueue } from '../fixtures';
import { pathRequests } from '../paths';
import { loadServices, progress, toRow } from '../rows';
import type { Row, Scenario } from '../scenario';
import { NOOP_LEVELS, WORKFLOW_TARGET } from './levels';

/** Scenario 5a: path 3 through HTTP (answered when its workflow completes), vs the no-op workflow floor. */
export const forceReset: Scenario = {
  name: 'force-reset',
  summary: 'path 3 (POST …/force-password-reset, answered when the workflow completes) on fresh users, vs the no-op workflow floor',
  flags: { concurrency: 'levels, e.g. 1,8,32' },
  async run(ctx) {
    const services = await ctx.services();
    const http = await ctx.http();
    const fixtures = await ctx.fixtures();
    const tenant = await fixtures.tenant();
    const rows: Row[] = [];
    for (const c of ctx.levels('concurrency', NOOP_LEVELS.full, NOOP_LEVELS.quick)) {
      const noop = await ctx.floors.noopWorkflow(c, { fresh: true });
      const needed = Math.ceil(noop.throughput * 1.5 * (ctx.durations.warmupMs + ctx.durations.measureMs) / 1000) + 4 * c;
      const users = new UserQueue(await fixtures.users(tenant, needed));
      ctx.log(`  path 3, ${c} at once…`);
      const { result, rss, cpu } = await loadServices(ctx, services, c, pathRequests.forceReset(http, tenant, users));
      const row = toRow({
        name: `path 3: force reset, ${c} at once`, unit: 'requests/s', result, rss, cpu, concurrency: c,
        floor: noop.throughput, target: WORKFLOW_TARGET,
        floorNote: `no-op workflow with one activity, ${c} at once, measured just before (p50 ${noop.p50Ms.toFixed(1)} ms)`,
      });
      progress(ctx, row);
      rows.push(row);
    }
    return rows;
  },
};
