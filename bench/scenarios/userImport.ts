import { randomBytes, randomUUID } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { createPool } from '../../src/db/pool';
import { DEFAULT_TENANT_SETTINGS } from '../../src/domain/tenantSettings';
import { insertTenant } from '../../src/store/tenants';
import type { Row, Scenario } from '../scenario';

/**
 * Issue 21's benchmark: N users with bcrypt hashes (default 100,000) imported through
 * the API (the NDJSON upload streamed into PostgreSQL), Temporal and the worker, beside
 * the floor of the same users and password-history rows written by hand in one
 * transaction (one INSERT … SELECT FROM unnest each: the cheapest set-based insert the
 * pool offers without a COPY client), on another tenant, in the same run.
 */
export const userImport: Scenario = {
  name: 'user-import',
  summary: 'a user import of N users with bcrypt hashes through the API, Temporal and the worker, vs the same rows inserted by hand in one transaction',
  flags: { users: 'lines in the file (default 100000; --quick 10000)' },
  inDefaultRun: false,
  async run(ctx) {
    const n = ctx.numberFlag('users', ctx.quick ? 10_000 : 100_000);
    const infra = await ctx.infra();
    const services = await ctx.services();
    const http = await ctx.http();
    const hash = bcrypt.hashSync('Bench password 123', 10);
    const tenant = `i${randomBytes(6).toString('hex')}`;
    const floorTenant = `i${randomBytes(6).toString('hex')}`;
    await insertTenant(infra.pool, { id: tenant, name: 'Importco', settings: DEFAULT_TENANT_SETTINGS });
    await insertTenant(infra.pool, { id: floorTenant, name: 'Importco floor', settings: DEFAULT_TENANT_SETTINGS });
    const file = Buffer.from(Array.from({ length: n }, (_, i) => JSON.stringify({ email: `u${i}@import.example`, displayName: `User ${i}`, passwordHash: hash })).join('\n') + '\n');

    ctx.log(`  the floor: ${n} users and their history rows by hand…`);
    const unbounded = createPool(infra.databaseUrl, 1, { queryTimeoutMs: 3_600_000 });
    const client = await unbounded.connect();
    let floorS: number;
    try {
      const ids = Array.from({ length: n }, () => randomUUID());
      const t0 = performance.now();
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO users (id, tenant_id, email, display_name, password_hash, password_set_at, created_at, password_hash_algorithm)
         SELECT id, $1, 'u' || i || '@import.example', 'User ' || i, $3, now(), now(), 'bcrypt'
           FROM unnest($2::uuid[]) WITH ORDINALITY AS t(id, i)`,
        [floorTenant, ids, hash],
      );
      await client.query('INSERT INTO password_history (user_id, password_hash, set_at) SELECT id, $2, now() FROM unnest($1::uuid[]) AS t(id)', [ids, hash]);
      await client.query('COMMIT');
      floorS = (performance.now() - t0) / 1000;
    } finally {
      client.release();
      await unbounded.end();
    }

    ctx.log(`  the service: POST …/user-imports (${(file.length / 1048576).toFixed(1)} MiB), wait for the workflow…`);
    services.resetPeakRss();
    const meter = await ctx.cpuMeter();
    meter.begin();
    const t0 = performance.now();
    const started = await http.request<{ importId: string; workflowId: string }>('POST', `/admin/tenants/${tenant}/user-imports`, {
      raw: { contentType: 'application/x-ndjson', data: file },
      expect: 202,
    });
    const uploadS = (performance.now() - t0) / 1000;
    const result = (await infra.client.workflow.getHandle(started.workflowId).result()) as { created: number };
    const serviceS = (performance.now() - t0) / 1000;
    const cpu = meter.end();
    const rss = services.peakRss();
    if (result.created !== n) throw new Error(`the import created ${result.created} of ${n} users`);

    const throughput = n / serviceS;
    const floor = n / floorS;
    ctx.log(`  import of ${n} users: ${serviceS.toFixed(1)} s (upload ${uploadS.toFixed(1)} s), floor ${floorS.toFixed(1)} s; ratio ${(throughput / floor).toFixed(2)}; peak RSS api ${rss.api} MiB, worker ${rss.worker} MiB`);
    const row: Row = {
      name: `user import: ${n} users with bcrypt hashes (${(file.length / 1048576).toFixed(1)} MiB, upload ${uploadS.toFixed(1)} s, total ${serviceS.toFixed(1)} s; floor ${floorS.toFixed(1)} s)`,
      unit: 'users/s',
      throughput: Number(throughput.toFixed(1)),
      floor: Number(floor.toFixed(1)),
      ratio: Number((throughput / floor).toFixed(3)),
      target: 0.5,
      p50Ms: null,
      p95Ms: null,
      p99Ms: null,
      peakRssMb: rss.api + rss.worker,
      peakRssMbByProcess: { api: rss.api, worker: rss.worker },
      count: n,
      errors: 0,
      cpuMsPerOp: Object.fromEntries(Object.entries(cpu.byGroup).map(([k, v]) => [k, Number((v / n).toFixed(3))])),
      otherLoadPct: Math.round((100 * cpu.elsewhere) / Math.max(1, cpu.capacityMs)),
      floorNote: 'the same users and history rows by one INSERT … SELECT FROM unnest each, in one transaction, on another tenant',
    };
    return [row];
  },
};
