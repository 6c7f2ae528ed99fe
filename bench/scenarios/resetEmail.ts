import { UserQueue } from '../fixtures';
import { fixturesFor, noopWorkflowFloor } from '../pathLevels';
import { pathRequests } from '../paths';
import { pathScenario } from '../pathScenario';
import { NOOP_LEVELS } from './levels';

/** Scenario 3: path 1 start (202 once the link is stored) through HTTP with the local Postmark sink, vs the no-op workflow floor. */
export const resetEmail = pathScenario({
  name: 'reset-email',
  summary: 'path 1 start (POST …/password-reset-email, answered once the link is stored; the email follows) on fresh users, vs the no-op workflow floor',
  levels: NOOP_LEVELS,
  rowName: (c) => `path 1: send reset email (start), ${c} at once`,
  composition: { shape: 'resetEmailStart', argon2Runs: 0 },
  floor: noopWorkflowFloor,
  prepare: async (ctx, l) => pathRequests.resetEmail(l.http, l.tenant, new UserQueue(await l.fixtures.users(l.tenant, fixturesFor(ctx, await l.floor(), l.c)))),
});
