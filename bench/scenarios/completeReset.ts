import os from 'node:os';
import { freshPassword, issueResetLinks } from '../fixtures';
import { OutOfFixtures } from '../load';
import { argon2Floor, measurePath } from '../pathLevels';
import type { Row, Scenario } from '../scenario';
import { USER_PATH_LEVELS } from './levels';
import { ARGON2_RUNS_PER_PASSWORD_CHANGE } from './temporaryPassword';

/** Scenario 4: completing path 1 through POST /auth/password-reset with links issued beforehand, vs the argon2 floor. */
export const completeReset: Scenario = {
  name: 'complete-reset',
  summary: 'path 1 completion (POST /auth/password-reset) with links issued beforehand (untimed), vs the argon2id floor',
  flags: { concurrency: 'levels, e.g. 1,4,16' },
  async run(ctx) {
    const http = await ctx.http();
    const fixtures = await ctx.fixtures();
    const links = await ctx.resetLinks();
    const tenant = await fixtures.tenant();
    const rows: Row[] = [];
    for (const c of ctx.levels('concurrency', USER_PATH_LEVELS.full, USER_PATH_LEVELS.quick)) {
      // enough links for the window at the argon2 floor's pace (a memoised estimate; the floor itself is measured after issuing)
      const estimate = (await ctx.floors.argon2(Math.min(c, os.availableParallelism()))).throughput / ARGON2_RUNS_PER_PASSWORD_CHANGE;
      const needed = Math.ceil(estimate * 1.5 * (ctx.durations.warmupMs + ctx.durations.measureMs) / 1000) + 4 * c;
      const users = await fixtures.users(tenant, needed);
      ctx.log(`  issuing ${needed} reset links…`);
      const tokens = await issueResetLinks(http, links, tenant, users, 16);
      const floor = await argon2Floor(ctx, c, ARGON2_RUNS_PER_PASSWORD_CHANGE);
      let next = 0;
      rows.push(await measurePath(ctx, {
        name: `path 1: complete a reset, ${c} at once`, c, floor,
        op: async () => {
          const token = tokens[next++];
          if (!token) throw new OutOfFixtures('no links left');
          await http.request('POST', '/auth/password-reset', { body: { token, newPassword: freshPassword() }, auth: null, expect: 200 });
        },
      }));
    }
    return rows;
  },
};
