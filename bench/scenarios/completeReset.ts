import os from 'node:os';
import { freshPassword, issueResetLinks } from '../fixtures';
import { OutOfFixtures } from '../load';
import { argon2Floor } from '../pathLevels';
import { pathScenario } from '../pathScenario';
import { USER_PATH_LEVELS } from './levels';
import { ARGON2_RUNS_PER_PASSWORD_CHANGE } from './temporaryPassword';

/** Scenario 4: completing path 1 through POST /auth/password-reset with links issued beforehand, vs the argon2 floor. */
export const completeReset = pathScenario({
  name: 'complete-reset',
  summary: 'path 1 completion (POST /auth/password-reset) with links issued beforehand (untimed), vs the argon2id floor',
  levels: USER_PATH_LEVELS,
  rowName: (c) => `path 1: complete a reset, ${c} at once`,
  composition: { shape: 'resetEmailComplete', argon2Runs: ARGON2_RUNS_PER_PASSWORD_CHANGE },
  floor: (ctx, c) => argon2Floor(ctx, c, ARGON2_RUNS_PER_PASSWORD_CHANGE),
  // the floor is measured after the links are issued (issuing loads the machine): it is not asked for here
  prepare: async (ctx, l) => {
    // enough links for the window at the argon2 floor's pace (a memoised estimate)
    const estimate = (await ctx.floors.argon2(Math.min(l.c, os.availableParallelism()))).throughput / ARGON2_RUNS_PER_PASSWORD_CHANGE;
    const needed = Math.ceil(estimate * 1.5 * (ctx.durations.warmupMs + ctx.durations.measureMs) / 1000) + 4 * l.c;
    const users = await l.fixtures.users(l.tenant, needed);
    ctx.log(`  issuing ${needed} reset links…`);
    const tokens = await issueResetLinks(l.http, await ctx.resetLinks(), l.tenant, users, 16);
    let next = 0;
    return async () => {
      const token = tokens[next++];
      if (!token) throw new OutOfFixtures('no links left');
      await l.http.request('POST', '/auth/password-reset', { body: { token, newPassword: freshPassword() }, auth: null, expect: 200 });
    };
  },
});
