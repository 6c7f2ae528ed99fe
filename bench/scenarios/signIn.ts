import type { BenchUser } from '../fixtures';
import { argon2Floor } from '../pathLevels';
import { pathRequests } from '../paths';
import { pathScenario } from '../pathScenario';
import { USER_PATH_LEVELS } from './levels';

const SIGN_IN_USERS = 256;
let users: Promise<BenchUser[]> | undefined;

/** Scenario 5b: sign-in with an argon2id verify (in the API process), vs the argon2 floor. */
export const signIn = pathScenario({
  name: 'sign-in',
  summary: 'POST /auth/sign-in with the right password (one argon2id verify, a session), vs the argon2id floor',
  levels: USER_PATH_LEVELS,
  rowName: (c) => `sign-in, ${c} at once`,
  floor: (ctx, c) => argon2Floor(ctx, c, 1),
  // users are reused round robin, so one set serves every level (the floor is measured after it is seeded)
  prepare: async (_ctx, l) => pathRequests.signIn(l.http, l.tenant, await (users ??= l.fixtures.users(l.tenant, SIGN_IN_USERS))),
});
