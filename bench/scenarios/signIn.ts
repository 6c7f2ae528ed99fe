import os from 'node:os';
import { pathRequests } from '../paths';
import { loadServices, progress, toRow } from '../rows';
import type { Row, Scenario } from '../scenario';
import { ARGON2_TARGET, USER_PATH_LEVELS } from './levels';

/** Scenario 5b: sign-in with an argon2id verify (in the API process), vs the argon2 floor. */
export const signIn: Scenario = {
  name: 'sign-in',
  summary: 'POST /auth/sign-in with the right password (one argon2id verify, a session), vs the argon2id floor',
  flags: { concurrency: 'levels, e.g. 1,4,16' },
  async run(ctx) {
    const services = await ctx.services();
    const http = await ctx.http();
    const fixtures = await ctx.fixtures();
    const tenant = await fixtures.tenant();
    const users = await fixtures.users(tenant, 256);
    const rows: Row[] = [];
    for (const c of ctx.levels('concurrency', USER_PATH_LEVELS.full, USER_PATH_LEVELS.quick)) {
      const argon2 = await ctx.floors.argon2For(c);
      ctx.log(`  sign-in, ${c} at once…`);
      const { result, rss, cpu } = await loadServices(ctx, services, c, pathRequests.signIn(http, tenant, users));
      const row = toRow({
        name: `sign-in, ${c} at once`, unit: 'requests/s', result, rss, cpu, concurrency: c,
        floor: argon2.throughput, target: ARGON2_TARGET,
        floorNote: `argon2id with ${Math.min(c, os.availableParallelism())} in flight, measured just before / 1 verify per request`,
      });
      progress(ctx, row);
      rows.push(row);
    }
    return rows;
  },
};
