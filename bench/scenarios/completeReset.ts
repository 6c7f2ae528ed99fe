import os from 'node:os';
import { freshPassword, issueResetLinks } from '../fixtures';
import { OutOfFixtures } from '../load';
import { loadServices, progress, toRow } from '../rows';
import type { Row, Scenario } from '../scenario';
import { ARGON2_TARGET, USER_PATH_LEVELS } from './levels';
import { ARGON2_RUNS_PER_PASSWORD_CHANGE } from './temporaryPassword';

/** Scenario 4: completing path 1 through POST /auth/password-reset with links issued beforehand, vs the argon2 floor. */
export const completeReset: Scenario = {
  name: 'complete-reset',
  summary: 'path 1 completion (POST /auth/password-reset) with links issued beforehand (untimed), vs the argon2id floor',
  flags: { concurrency: 'levels, e.g. 1,4,16' },
  async run(ctx) {
    const services = await ctx.services();
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
      const argon2 = await ctx.floors.argon2For(c);
      const floor = argon2.throughput / ARGON2_RUNS_PER_PASSWORD_CHANGE;
      let next = 0;
      ctx.log(`  completing resets, ${c} at once…`);
      const { result, rss, cpu } = await loadServices(ctx, services, c, async () => {
        const token = tokens[next++];
        if (!token) throw new OutOfFixtures('no links left');
        await http.request('POST', '/auth/password-reset', { body: { token, newPassword: freshPassword() }, auth: null, expect: 200 });
      });
      const row = toRow({
        name: `path 1: complete a reset, ${c} at once`, unit: 'requests/s', result, rss, cpu, concurrency: c,
        floor, target: ARGON2_TARGET,
        floorNote: `argon2id with ${Math.min(c, os.availableParallelism())} in flight, measured just before (${argon2.throughput.toFixed(1)}/s) / ${ARGON2_RUNS_PER_PASSWORD_CHANGE} runs per request`,
      });
      progress(ctx, row);
      rows.push(row);
    }
    return rows;
  },
};
