import { UserQueue } from '../fixtures';
import { pathRequests } from '../paths';
import { loadServices, progress, toRow } from '../rows';
import type { Row, Scenario } from '../scenario';
import { NOOP_LEVELS, WORKFLOW_TARGET } from './levels';

/** Scenario 3: path 1 start (202 once the link is stored) through HTTP with the local Postmark sink, vs the no-op workflow floor. */
export const resetEmail: Scenario = {
  name: 'reset-email',
  summary: 'path 1 start (POST …/password-reset-email, answered once the link is stored; the email follows) on fresh users, vs the no-op workflow floor',
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
      ctx.log(`  path 1 start, ${c} at once…`);
      const { result, rss, cpu } = await loadServices(ctx, services, c, pathRequests.resetEmail(http, tenant, users));
      const row = toRow({
        name: `path 1: send reset email (start), ${c} at once`, unit: 'requests/s', result, rss, cpu, concurrency: c,
        floor: noop.throughput, target: WORKFLOW_TARGET,
        floorNote: `no-op workflow with one activity, ${c} at once, measured just before (p50 ${noop.p50Ms.toFixed(1)} ms)`,
      });
      progress(ctx, row);
      rows.push(row);
    }
    return rows;
  },
};
