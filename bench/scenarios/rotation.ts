import { randomBytes } from 'node:crypto';
import { createPool, type Pool } from '../../src/db/pool';
import { insertTenant } from '../../src/store/tenants';
import { DEFAULT_TENANT_SETTINGS } from '../../src/domain/tenantSettings';
import type { Row, Scenario } from '../scenario';

const PASSWORD_AGE_DAYS = 400;
const MAX_AGE_DAYS = 365;

/** `n` password users with passwords older than the rotation's limit, one statement, no argon2 (nothing here hashes). */
async function seedTenant(pool: Pool, n: number): Promise<string> {
  const id = `r${randomBytes(6).toString('hex')}`;
  await insertTenant(pool, { id, name: 'Rotationco', settings: DEFAULT_TENANT_SETTINGS });
  await pool.query(
    `INSERT INTO users (id, tenant_id, email, password_hash, password_set_at, created_at)
     SELECT gen_random_uuid(), $1, 'u' || g || '@' || $1 || '.example', '$argon2id$v=19$m=19456,t=2,p=1$c2VlZA$c2VlZA',
            now() - make_interval(days => $2), now() - interval '1 minute'
       FROM generate_series(1, $3::int) AS g`,
    [id, PASSWORD_AGE_DAYS, n],
  );
  await pool.query('ANALYZE users');
  return id;
}

/**
 * The floor: the same flags and the same audit rows, written by one hand-written
 * statement each, in one transaction, on an identically seeded tenant.
 */
async function floorSeconds(pool: Pool, tenant: string): Promise<number> {
  const client = await pool.connect();
  try {
    const t0 = performance.now();
    await client.query('BEGIN');
    await client.query(
      `UPDATE users SET change_required = 'scheduled_rotation'
        WHERE tenant_id = $1 AND password_hash IS NOT NULL AND change_required IS NULL
          AND password_set_at < now() - make_interval(days => $2)`,
      [tenant, MAX_AGE_DAYS],
    );
    await client.query(
      `INSERT INTO audit_events (id, tenant_id, user_id, occurred_at, action, actor, data, idempotency_key)
       SELECT gen_random_uuid(), $1, id, now(), 'user.force_password_reset_set', '{"type":"system","id":"password-rotation"}',
              '{"reason":"scheduled_rotation"}', 'floor:' || id
         FROM users WHERE tenant_id = $1 AND change_required = 'scheduled_rotation'`,
      [tenant],
    );
    await client.query('COMMIT');
    return (performance.now() - t0) / 1000;
  } finally {
    client.release();
  }
}

/**
 * Issue 3's benchmark: a rotation run over N users (default 100,000) through the
 * API, Temporal and the worker, beside the floor of the same writes done by hand.
 */
export const rotation: Scenario = {
  name: 'rotation',
  summary: 'a password-rotation run over N users through Temporal, vs one hand-written SQL statement each for the flags and the audit rows',
  flags: { users: 'password users in the tenant (default 100000; --quick 10000)' },
  inDefaultRun: false,
  async run(ctx) {
    const n = ctx.numberFlag('users', ctx.quick ? 10_000 : 100_000);
    const infra = await ctx.infra();
    const services = await ctx.services();
    const http = await ctx.http();

    ctx.log(`  seeding two tenants of ${n} users with ${PASSWORD_AGE_DAYS}-day-old passwords…`);
    // seeding and the floor's single statements take minutes at 1,000,000 users: a pool without the services' 10 s bound
    const unbounded = createPool(infra.databaseUrl, 2, { queryTimeoutMs: 3_600_000 });
    const [tenant, floorTenant] = [await seedTenant(unbounded, n), await seedTenant(unbounded, n)];

    ctx.log('  the floor: one UPDATE and one INSERT … SELECT…');
    const floorS = await floorSeconds(unbounded, floorTenant);
    await unbounded.end();

    ctx.log('  the service: PUT the schedule (paused), POST …/password-rotation/run, wait for the run…');
    await http.request('PUT', `/admin/tenants/${tenant}/password-rotation`, { body: { cron: '0 3 1 * *', maxPasswordAgeDays: MAX_AGE_DAYS, paused: true }, expect: 200 });
    services.resetPeakRss();
    const meter = await ctx.cpuMeter();
    meter.begin();
    const t0 = performance.now();
    const started = await http.request<{ operationId: string; workflowId: string }>('POST', `/admin/tenants/${tenant}/password-rotation/run`, { expect: 202 });
    const result = (await infra.client.workflow.getHandle(started.workflowId).result()) as { done: number; matched: number; skipped: number };
    const serviceS = (performance.now() - t0) / 1000;
    const cpu = meter.end();
    const rss = services.peakRss();

    const runs: string[] = [];
    for await (const wf of infra.client.workflow.list({ query: `WorkflowId = "${started.workflowId}"` })) runs.push(wf.runId);
    let longest = 0;
    for (const runId of runs) {
      const history = await infra.client.workflow.getHandle(started.workflowId, runId).fetchHistory();
      longest = Math.max(longest, history.events?.length ?? 0);
    }
    const audited = await infra.pool.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = $1 AND action = 'user.force_password_reset_set'`,
      [tenant],
    );
    if (result.done !== n || audited.rows[0].n !== n) {
      throw new Error(`the run flagged ${result.done} and audited ${audited.rows[0].n} of ${n} users`);
    }

    const throughput = n / serviceS;
    const floor = n / floorS;
    ctx.log(
      `  rotation of ${n} users: ${serviceS.toFixed(1)} s (${throughput.toFixed(0)} users/s); floor ${floorS.toFixed(1)} s (${floor.toFixed(0)} users/s); ` +
        `ratio ${(throughput / floor).toFixed(2)}; ${runs.length} workflow runs, longest history ${longest} events; worker peak RSS ${rss.worker} MiB`,
    );
    const row: Row = {
      name: `rotation: ${n} users (${runs.length} workflow runs, longest history ${longest} events, ${serviceS.toFixed(1)} s; floor ${floorS.toFixed(1)} s)`,
      unit: 'users/s',
      throughput: Number(throughput.toFixed(1)),
      floor: Number(floor.toFixed(1)),
      ratio: Number((throughput / floor).toFixed(3)),
      target: 0.5,
      p50Ms: null,
      p95Ms: null,
      p99Ms: null,
      peakRssMb: rss.worker,
      peakRssMbByProcess: { worker: rss.worker, api: rss.api },
      count: n,
      errors: 0,
      cpuMsPerOp: Object.fromEntries(Object.entries(cpu.byGroup).map(([k, v]) => [k, Number((v / n).toFixed(3))])),
      otherLoadPct: Math.round((100 * cpu.elsewhere) / Math.max(1, cpu.capacityMs)),
      floorNote: 'the same flags and audit rows by one UPDATE and one INSERT … SELECT, in one transaction, on an identical tenant',
    };
    return [row];
  },
};
