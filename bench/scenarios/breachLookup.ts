import { performance } from 'node:perf_hooks';
import { PwnedRangeServer } from '../../dev/pwnedRangeServer';
import { PwnedPasswordsClient } from '../../src/security/breachedPasswords';
import { ARGON2_PARAMS, PasswordHasher } from '../../src/security/passwordHashing';
import { DEFAULT_TENANT_SETTINGS } from '../../src/domain/tenantSettings';
import type { BenchContext } from '../context';
import { closedLoop, type LoadResult } from '../load';
import { pathRequests } from '../paths';
import { progress } from '../rows';
import type { Row, Scenario } from '../scenario';

/**
 * What the breached-password check costs (issue 19), in this process against the local range server:
 * one cold lookup (a prefix no earlier lookup cached: SHA-1, a padded range of ~900 lines over HTTP, parsed),
 * one cached lookup, and a sign-in's own work with `require_change` on (an argon2id verify and a cached lookup)
 * against the argon2id verify alone, one at a time in this process; and the row: sign-in through the
 * API at 16 in flight for a tenant with `breachedPasswordAtSignIn: require_change` against one with `ignore`, in
 * the same run (the API pointed at the local range server). The lookup must not cost a tenth of a sign-in
 * (target 0.9).
 */
async function timed(n: number, op: (i: number) => Promise<unknown>): Promise<{ perSecond: number; p50Ms: number; p99Ms: number }> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await op(i);
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return { perSecond: 1000 / mean, p50Ms: samples[Math.floor(n / 2)]!, p99Ms: samples[Math.floor(n * 0.99)]! };
}

export const breachLookup: Scenario = {
  name: 'breach-lookup',
  summary: 'a breached-password lookup, cold and cached, against the local range server; a sign-in\'s work with require_change beside argon2id alone',
  async run(ctx) {
    const server = new PwnedRangeServer();
    const url = await server.listen(0);
    const client = new PwnedPasswordsClient({ baseUrl: url });
    const hasher = new PasswordHasher(ARGON2_PARAMS);
    const hash = await hasher.hash('glacier-ticket-marble-74');
    const rows: Row[] = [];
    const row = (name: string, m: { perSecond: number; p50Ms: number; p99Ms: number }, floor: number | null, target: number | null, count: number, floorNote: string): Row => ({
      name, unit: 'ops/s', throughput: m.perSecond, floor, ratio: floor ? m.perSecond / floor : null, target, p50Ms: m.p50Ms, p95Ms: null, p99Ms: m.p99Ms,
      peakRssMb: process.memoryUsage().rss / 2 ** 20, count, errors: 0, floorNote,
    });
    try {
      ctx.log('  breached-password lookups…');
      const cold = await timed(300, (i) => client.isBreached(`cold-password-${i}-${Date.now()}`));
      const cached = await timed(2000, () => client.isBreached('cold-password-1-warm'));
      const argon2 = await timed(20, () => hasher.verify(hash, 'glacier-ticket-marble-74'));
      const withCheck = await timed(20, async () => {
        await hasher.verify(hash, 'glacier-ticket-marble-74');
        await client.isBreached('glacier-ticket-marble-74');
      });
      rows.push(row('breached-password lookup, cold (a new prefix), local range server', cold, null, null, 300, 'none: a network round trip to a range API; the public one adds its own latency'));
      rows.push(row('breached-password lookup, cached prefix', cached, null, null, 2000, 'none'));
      rows.push(row('sign-in work with require_change (argon2id verify + cached lookup), one at a time', withCheck, argon2.perSecond, 0.9, 20, 'an argon2id verify alone, in the same process'));
      const asked = server.requests.length;
      rows.push(...(await signInsInFlight(ctx, server, url, 16)));
      // a row of sign-ins that never looked anything up would measure nothing
      if (server.requests.length === asked) throw new Error('the API never asked the range server: is PWNED_PASSWORDS_URL set for it?');
      for (const r of rows) progress(ctx, r);
    } finally {
      await server.close();
    }
    return rows;
  },
};

/**
 * Sign-in at `c` in flight through the API for two tenants that differ only in `breachedPasswordAtSignIn`:
 * `ignore`, `require_change`, `ignore` again (the floor is the mean of the two, so drift during the run
 * does not favour either side). The password is in no breach, so every sign-in answers `signed_in`.
 */
async function signInsInFlight(ctx: BenchContext, server: PwnedRangeServer, rangeUrl: string, c: number): Promise<Row[]> {
  ctx.log(`  sign-in at ${c} in flight, require_change against ignore…`);
  // the client first: asked for after, it would start the API again with the default settings
  const http = await ctx.http();
  const services = await ctx.services({ api: { PWNED_PASSWORDS_URL: rangeUrl } });
  const fixtures = await ctx.fixtures();
  const window = async (atSignIn: 'ignore' | 'require_change'): Promise<LoadResult> => {
    const tenant = await fixtures.tenant({ ...DEFAULT_TENANT_SETTINGS, breachedPasswordAtSignIn: atSignIn });
    const users = await fixtures.users(tenant, 4 * c);
    return closedLoop({ concurrency: c, warmupMs: ctx.durations.warmupMs, measureMs: ctx.durations.measureMs, op: pathRequests.signIn(http, tenant, users) });
  };
  services.resetPeakRss();
  const before = await window('ignore');
  const checked = await window('require_change');
  // the range API hangs: the first lookups wait out their 2 s, then the circuit breaker skips the rest. Every
  // bench user has the same password, so its prefix is cached by now: the API starts again (the same URL
  // spelled with a trailing slash is another setting) with a cold cache, and every sign-in needs a lookup.
  ctx.log(`  sign-in at ${c} in flight, require_change, while the range API hangs (API restarted: cache cold)…`);
  await ctx.services({ api: { PWNED_PASSWORDS_URL: `${rangeUrl}/` } });
  server.mode = 'hang';
  let hanging: LoadResult;
  try {
    hanging = await window('require_change');
  } finally {
    server.mode = 'ok';
  }
  const after = await window('ignore');
  const floor = (before.throughput + after.throughput) / 2;
  const rss = services.peakRss();
  const floorNote = `the same sign-ins for a tenant with breachedPasswordAtSignIn: ignore, before and after (${before.throughput.toFixed(1)} and ${after.throughput.toFixed(1)} req/s)`;
  const of = (name: string, r: LoadResult): Row => ({
    name, unit: 'req/s', throughput: r.throughput, floor, ratio: r.throughput / floor, target: 0.9,
    p50Ms: r.p50Ms, p95Ms: r.p95Ms, p99Ms: r.p99Ms,
    peakRssMb: rss.api + rss.worker, peakRssMbByProcess: rss, concurrency: c,
    count: r.count, errors: r.errors + before.errors + after.errors, floorNote,
  });
  return [
    of(`sign-in with require_change, ${c} at once, through the API`, checked),
    of(`sign-in with require_change, ${c} at once, range API hanging (circuit breaker)`, hanging),
  ];
}
