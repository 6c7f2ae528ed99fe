import os from 'node:os';
import { UserQueue } from '../fixtures';
import { pathRequests } from '../paths';
import { loadServices, progress, toRow } from '../rows';
import type { Row, Scenario } from '../scenario';
import { ARGON2_PATH_LEVELS, ARGON2_TARGET } from './levels';

/** argon2id runs per request: one verify against the user's only previous hash (reuse check), one hash of the new password. */
export const ARGON2_RUNS_PER_PASSWORD_CHANGE = 2;

/** Scenario 2: path 2 through HTTP, at increasing concurrency, against the argon2 floor. */
export const temporaryPassword: Scenario = {
  name: 'temporary-password',
  summary: 'path 2 (POST …/temporary-password, defaults: must reset, notify by email) on fresh users, vs the argon2id floor',
  flags: { concurrency: 'levels, e.g. 1,4,16' },
  async run(ctx) {
    const services = await ctx.services();
    const http = await ctx.http();
    const fixtures = await ctx.fixtures();
    const tenant = await fixtures.tenant();
    const rows: Row[] = [];
    for (const c of ctx.levels('concurrency', ARGON2_PATH_LEVELS.full, ARGON2_PATH_LEVELS.quick)) {
      const argon2 = await ctx.floors.argon2For(c);
      const floor = argon2.throughput / ARGON2_RUNS_PER_PASSWORD_CHANGE;
      const needed = Math.ceil(floor * 2 * (ctx.durations.warmupMs + ctx.durations.measureMs) / 1000) + 4 * c;
      const users = new UserQueue(await fixtures.users(tenant, needed));
      ctx.log(`  path 2, ${c} at once…`);
      const { result, rss, cpu } = await loadServices(ctx, services, c, pathRequests.temporaryPassword(http, tenant, users));
      const row = toRow({
        name: `path 2: set temporary password, ${c} at once`, unit: 'requests/s', result, rss, cpu, concurrency: c,
        floor, target: ARGON2_TARGET,
        floorNote: `argon2id with ${Math.min(c, os.availableParallelism())} in flight, measured just before (${argon2.throughput.toFixed(1)}/s) / ${ARGON2_RUNS_PER_PASSWORD_CHANGE} runs per request`,
      });
      progress(ctx, row);
      rows.push(row);
    }
    return rows;
  },
};
