import { UserQueue } from '../fixtures';
import { fixturesFor, measurePath, noopWorkflowFloor } from '../pathLevels';
import { pathRequests } from '../paths';
import type { Row, Scenario } from '../scenario';
import { NOOP_LEVELS } from './levels';

/** Scenario 5a: path 3 through HTTP (answered when its workflow completes), vs the no-op workflow floor. */
export const forceReset: Scenario = {
  name: 'force-reset',
  summary: 'path 3 (POST …/force-password-reset, answered when the workflow completes) on fresh users, vs the no-op workflow floor',
  flags: { concurrency: 'levels, e.g. 1,8,32' },
  async run(ctx) {
    const http = await ctx.http();
    const fixtures = await ctx.fixtures();
    const tenant = await fixtures.tenant();
    const rows: Row[] = [];
    for (const c of ctx.levels('concurrency', NOOP_LEVELS.full, NOOP_LEVELS.quick)) {
      const floor = await noopWorkflowFloor(ctx, c);
      // path 3 can outrun the floor (its steps are local activities): room for three times the floor's pace
      const users = new UserQueue(await fixtures.users(tenant, fixturesFor(ctx, floor, c, 3)));
      rows.push(await measurePath(ctx, { name: `path 3: force reset, ${c} at once`, c, floor, op: pathRequests.forceReset(http, tenant, users) }));
    }
    return rows;
  },
};
