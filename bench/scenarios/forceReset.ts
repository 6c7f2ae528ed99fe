import { UserQueue } from '../fixtures';
import { fixturesFor, noopWorkflowFloor } from '../pathLevels';
import { pathRequests } from '../paths';
import { pathScenario } from '../pathScenario';
import { NOOP_LEVELS } from './levels';

/** Scenario 5a: path 3 through HTTP (answered when its workflow completes), vs the no-op workflow floor. */
export const forceReset = pathScenario({
  name: 'force-reset',
  summary: 'path 3 (POST …/force-password-reset, answered when the workflow completes) on fresh users, vs the no-op workflow floor',
  levels: NOOP_LEVELS,
  rowName: (c) => `path 3: force reset, ${c} at once`,
  composition: { shape: 'forceReset', argon2Runs: 0 },
  floor: noopWorkflowFloor,
  // path 3 can outrun the floor (its steps are local activities): room for three times the floor's pace
  prepare: async (ctx, l) => pathRequests.forceReset(l.http, l.tenant, new UserQueue(await l.fixtures.users(l.tenant, fixturesFor(ctx, await l.floor(), l.c, 3)))),
});
