import { UserQueue } from '../fixtures';
import { argon2Floor, fixturesFor, measurePath } from '../pathLevels';
import { pathRequests } from '../paths';
import type { Row, Scenario } from '../scenario';
import { ARGON2_PATH_LEVELS } from './levels';

/** argon2id runs per request: one verify against the user's only previous hash (reuse check), one hash of the new password. */
export const ARGON2_RUNS_PER_PASSWORD_CHANGE = 2;

/** Scenario 2: path 2 through HTTP, at increasing concurrency, against the argon2 floor. */
export const temporaryPassword: Scenario = {
  name: 'temporary-password',
  summary: 'path 2 (POST …/temporary-password, defaults: must reset, notify by email) on fresh users, vs the argon2id floor',
  flags: { concurrency: 'levels, e.g. 1,4,16' },
  async run(ctx) {
    const http = await ctx.http();
    const fixtures = await ctx.fixtures();
    const tenant = await fixtures.tenant();
    const rows: Row[] = [];
    for (const c of ctx.levels('concurrency', ARGON2_PATH_LEVELS.full, ARGON2_PATH_LEVELS.quick)) {
      const floor = await argon2Floor(ctx, c, ARGON2_RUNS_PER_PASSWORD_CHANGE);
      const users = new UserQueue(await fixtures.users(tenant, fixturesFor(ctx, floor, c, 2)));
      rows.push(await measurePath(ctx, { name: `path 2: set temporary password, ${c} at once`, c, floor, op: pathRequests.temporaryPassword(http, tenant, users) }));
    }
    return rows;
  },
};
