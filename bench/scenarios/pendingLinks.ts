import { freshPassword, issueResetLinks } from '../fixtures';
import type { Row, Scenario } from '../scenario';
import { progress, toRow } from '../rows';

/** the worker's resident memory a deployment can plan for with this many links pending */
const RSS_TARGET_MB = 512;
/** links used after the fill: the oldest ones, long evicted from the sticky cache when it is smaller than the fill */
const COMPLETED_AFTER = 20;

/**
 * Scenario: many reset links pending at once (each one a workflow waiting on its
 * timer and on the user), with the worker's default settings. Reports the worker's
 * resident memory once they are all pending, then uses the oldest links, whose
 * workflows the bounded sticky cache has evicted: each must replay and complete.
 */
export const pendingLinks: Scenario = {
  name: 'pending-links',
  summary: `worker resident memory with --links N (default 10000) reset links pending at once (target ${RSS_TARGET_MB} MiB), then the oldest links used (evicted workflows replay)`,
  flags: {
    links: 'pending links to hold (default 10000, --quick 1000)',
    cache: "the worker's WORKER_MAX_CACHED_WORKFLOWS (default: the project's default)",
  },
  async run(ctx) {
    const n = ctx.numberFlag('links', ctx.quick ? 1000 : 10_000);
    const cache = ctx.flags['cache'];
    const settings = cache ? { worker: { WORKER_MAX_CACHED_WORKFLOWS: cache } } : {};
    // a fresh worker: what earlier scenarios left open (path 2's lapse timers) is not in its cache
    const services = await ctx.services(settings, { freshWorker: true });
    const http = await ctx.http();
    const fixtures = await ctx.fixtures();
    const tenant = await fixtures.tenant();
    const users = await fixtures.users(tenant, n);
    services.resetPeakRss();
    ctx.log(`  issuing ${n} reset links…`);
    const t0 = Date.now();
    const tokens = await issueResetLinks(http, await ctx.resetLinks(), tenant, users, 32);
    const seconds = (Date.now() - t0) / 1000;
    const filled = services.peakRss();
    // resident once the fill is over: the emails are out (their tokens arrived), the workflows wait
    // and the worker has had 10 s to settle (the figure a deployment lives with, not the fill's burst)
    await new Promise((r) => setTimeout(r, 10_000));
    const resident = services.worker!.rss.currentMb();
    ctx.log(`  ${n} links pending after ${seconds.toFixed(0)} s; peak RSS during the fill api ${filled.api} MiB, worker ${filled.worker} MiB; worker resident 10 s later ${resident} MiB`);

    // the oldest links: their workflows were evicted from the cache long ago (when it holds fewer than n)
    let completed = 0;
    const errors: string[] = [];
    for (const token of tokens.slice(0, COMPLETED_AFTER)) {
      try {
        await http.request('POST', '/auth/password-reset', { body: { token, newPassword: freshPassword() }, auth: null, expect: 200 });
        completed++;
      } catch (err) {
        errors.push(String(err));
      }
    }
    ctx.log(`  the ${COMPLETED_AFTER} oldest links used: ${completed} completed`);
    if (errors.length > 0) ctx.log(`  ! ${errors.length} of the oldest links failed; first: ${errors[0]}`);
    const after = services.peakRss();
    const row: Row = {
      ...toRow({
        name: `${n} reset links pending: worker resident memory${cache ? ` (WORKER_MAX_CACHED_WORKFLOWS=${cache})` : ''}`,
        unit: 'MiB',
        result: { throughput: resident, p50Ms: NaN, p95Ms: NaN, p99Ms: NaN, count: completed, errors: errors.length, measuredMs: seconds * 1000 },
        floor: RSS_TARGET_MB,
        rss: after,
      }),
      ratio: Number((resident / RSS_TARGET_MB).toFixed(3)),
      floorNote: `the target (${RSS_TARGET_MB} MiB, at most; ratio ≤ 1 meets it); peak RSS is the fill's and the uses'. Filled at ${(n / seconds).toFixed(1)} links/s; ` +
        `then the ${COMPLETED_AFTER} oldest links used: ${completed} completed (their workflows replayed from history), ${errors.length} failed`,
    };
    progress(ctx, row);
    return [row];
  },
};
