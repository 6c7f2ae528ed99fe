import { UserQueue } from '../fixtures';
import { fixturesFor, measurePath, noopWorkflowFloor } from '../pathLevels';
import { pathRequests } from '../paths';
import type { Row, Scenario } from '../scenario';
import { NOOP_LEVELS } from './levels';

/** Scenario 3: path 1 start (202 once the link is stored) through HTTP with the local Postmark sink, vs the no-op workflow floor. */
export const resetEmail: Scenario = {
  name: 'reset-email',
  summary: 'path 1 start (POST …/password-reset-email, answered once the link is stored; the email follows) on fresh users, vs the no-op workflow floor',
  flags: { concurrency: 'levels, e.g. 1,8,32' },
  async run(ctx) {
    const http = await ctx.http();
    const fixtures = await ctx.fixtures();
    const tenant = await fixtures.tenant();
    const rows: Row[] = [];
    for (const c of ctx.levels('concurrency', NOOP_LEVELS.full, NOOP_LEVELS.quick)) {
      const floor = await noopWorkflowFloor(ctx, c);
      const users = new UserQueue(await fixtures.users(tenant, fixturesFor(ctx, floor, c)));
      rows.push(await measurePath(ctx, { name: `path 1: send reset email (start), ${c} at once`, c, floor, op: pathRequests.resetEmail(http, tenant, users) }));
    }
    return rows;
  },
};
