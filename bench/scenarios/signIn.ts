import { argon2Floor, measurePath } from '../pathLevels';
import { pathRequests } from '../paths';
import type { Row, Scenario } from '../scenario';
import { USER_PATH_LEVELS } from './levels';

/** Scenario 5b: sign-in with an argon2id verify (in the API process), vs the argon2 floor. */
export const signIn: Scenario = {
  name: 'sign-in',
  summary: 'POST /auth/sign-in with the right password (one argon2id verify, a session), vs the argon2id floor',
  flags: { concurrency: 'levels, e.g. 1,4,16' },
  async run(ctx) {
    const http = await ctx.http();
    const fixtures = await ctx.fixtures();
    const tenant = await fixtures.tenant();
    const users = await fixtures.users(tenant, 256);
    const rows: Row[] = [];
    for (const c of ctx.levels('concurrency', USER_PATH_LEVELS.full, USER_PATH_LEVELS.quick)) {
      const floor = await argon2Floor(ctx, c, 1);
      rows.push(await measurePath(ctx, { name: `sign-in, ${c} at once`, c, floor, op: pathRequests.signIn(http, tenant, users) }));
    }
    return rows;
  },
};
