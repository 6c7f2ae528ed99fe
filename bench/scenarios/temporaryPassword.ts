import { UserQueue } from '../fixtures';
import { argon2Floor, fixturesFor } from '../pathLevels';
import { pathRequests } from '../paths';
import { pathScenario } from '../pathScenario';
import { ARGON2_PATH_LEVELS } from './levels';

/** argon2id runs per request: one verify against the user's only previous hash (reuse check), one hash of the new password. */
export const ARGON2_RUNS_PER_PASSWORD_CHANGE = 2;

/** Scenario 2: path 2 through HTTP, at increasing concurrency, against the argon2 floor. */
export const temporaryPassword = pathScenario({
  name: 'temporary-password',
  summary: 'path 2 (POST …/temporary-password, defaults: must reset, notify by email) on fresh users, vs the argon2id floor',
  levels: ARGON2_PATH_LEVELS,
  rowName: (c) => `path 2: set temporary password, ${c} at once`,
  composition: { shape: 'temporaryPassword', argon2Runs: ARGON2_RUNS_PER_PASSWORD_CHANGE },
  floor: (ctx, c) => argon2Floor(ctx, c, ARGON2_RUNS_PER_PASSWORD_CHANGE),
  prepare: async (ctx, l) => pathRequests.temporaryPassword(l.http, l.tenant, new UserQueue(await l.fixtures.users(l.tenant, fixturesFor(ctx, await l.floor(), l.c, 2)))),
});
