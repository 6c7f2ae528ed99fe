import { DEFAULT_TENANT_SETTINGS } from '../../src/domain/tenantSettings';
import { freshPassword, issueResetLinks } from '../fixtures';
import { closedLoop, OutOfFixtures, type LoadResult } from '../load';
import { progress } from '../rows';
import type { Row, Scenario } from '../scenario';

const C = 16;

/**
 * What the "your password was changed" notice (issue 18) costs the request that changes a password: path 1's
 * completion (POST /auth/password-reset) at 16 in flight for a tenant with `notifyPasswordChanged` on, against
 * the same for a tenant with it off, off / on / off in one run (the floor is the mean of the two off windows, so
 * drift favours neither). With notices on, the completing workflow also starts the notice's workflow (a child
 * start it waits for: one more round trip to Temporal) and the notice then mails, off the request's path.
 */
export const passwordChangedNotice: Scenario = {
  name: 'password-changed-notice',
  summary: 'path 1 completion with the password-changed notice on, against the same with it off (16 in flight, same run)',
  async run(ctx) {
    const http = await ctx.http();
    await ctx.services();
    const fixtures = await ctx.fixtures();
    const links = await ctx.resetLinks();
    // enough links for a window at well above the measured pace (about 40/s here), plus one per slot
    const perWindow = Math.ceil(80 * (ctx.durations.warmupMs + ctx.durations.measureMs) / 1000) + 4 * C;
    const window = async (notices: boolean): Promise<LoadResult> => {
      const tenant = await fixtures.tenant({ ...DEFAULT_TENANT_SETTINGS, notifyPasswordChanged: notices });
      const users = await fixtures.users(tenant, perWindow);
      ctx.log(`  notices ${notices ? 'on' : 'off'}: issuing ${perWindow} reset links…`);
      const tokens = await issueResetLinks(http, links, tenant, users, C);
      let next = 0;
      ctx.log(`  notices ${notices ? 'on' : 'off'}: completing them, ${C} at once…`);
      return closedLoop({
        concurrency: C, warmupMs: ctx.durations.warmupMs, measureMs: ctx.durations.measureMs,
        op: async () => {
          const token = tokens[next++];
          if (!token) throw new OutOfFixtures('no links left');
          await http.request('POST', '/auth/password-reset', { body: { token, newPassword: freshPassword() }, auth: null, expect: 200 });
        },
      });
    };
    const before = await window(false);
    const on = await window(true);
    const after = await window(false);
    const floor = (before.throughput + after.throughput) / 2;
    const row: Row = {
      name: `path 1: complete a reset with the password-changed notice on, ${C} at once`,
      unit: 'req/s', throughput: on.throughput, floor, ratio: on.throughput / floor, target: 0.9,
      p50Ms: on.p50Ms, p95Ms: on.p95Ms, p99Ms: on.p99Ms, peakRssMb: null, concurrency: C,
      count: on.count, errors: before.errors + on.errors + after.errors,
      floorNote: `the same completions for a tenant with notifyPasswordChanged off, before and after (${before.throughput.toFixed(1)} and ${after.throughput.toFixed(1)} req/s; p50 ${before.p50Ms.toFixed(0)} and ${after.p50Ms.toFixed(0)} ms)`,
    };
    progress(ctx, row);
    return [row];
  },
};
