import type { ChildProcess } from 'node:child_process';
import { eventually, TestEnv, useTestEnv } from './support/env';
import { seedUsers } from './support/seed';
import { kill, startWorkerProcess } from './support/workerProcess';

const TUNING = { BULK_BATCH_SIZE: '100', BULK_BATCHES_PER_ACTIVITY: '3', BULK_ACTIVITIES_PER_RUN: '4' };

async function flaggedCount(env: TestEnv, tenant: string, value = 'admin_forced'): Promise<number> {
  const res = await env.pool.query('SELECT count(*)::int AS n FROM users WHERE tenant_id = $1 AND change_required = $2', [tenant, value]);
  return res.rows[0].n;
}

describe('bulk forced reset', () => {
  const workers: ChildProcess[] = [];
  // declared first, so it runs first: the worker processes stop before the environment closes
  afterAll(() => Promise.all(workers.map(kill)));
  const env = useTestEnv({ worker: false, env: TUNING });

  test('3,000 users, the worker killed mid-run: resumed, every user done exactly once', async () => {
    const tenant = await env.tenant();
    const users = await seedUsers(env.pool, tenant, 3000, { passwordAgeDays: 30 });
    await seedUsers(env.pool, tenant, 20, { federated: true });
    workers.push(await startWorkerProcess(env));

    const started = await env.http('POST', `/admin/tenants/${tenant}/force-password-reset`, { body: { filter: { all: true } } });
    expect(started.status).toBe(202);
    const { operationId, workflowId } = started.body;
    expect(workflowId).toBe(`bulk-force-reset/${tenant}/${operationId}`);

    // kill the worker as soon as the first batches are committed
    await eventually(async () => {
      const r = await env.pool.query('SELECT count(*)::int AS n FROM bulk_operation_batches WHERE operation_id = $1', [operationId]);
      return r.rows[0].n > 0 ? true : undefined;
    }, 'the first batch', 60_000);
    await kill(workers[0]!);
    const atKill = await flaggedCount(env, tenant);
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(3000);

    workers.push(await startWorkerProcess(env));
    const status = await eventually(async () => {
      const s = await env.http('GET', `/admin/tenants/${tenant}/bulk-operations/${operationId}`);
      return s.body.state === 'completed' ? s.body : undefined;
    }, 'the bulk operation to complete', 90_000);
    expect(status).toMatchObject({ operationId, kind: 'bulk_force_reset', matched: 3000, done: 3000, skipped: 0, finishedAt: expect.any(String) });

    expect(await flaggedCount(env, tenant)).toBe(3000);
    const audits = await env.pool.query(
      `SELECT user_id, count(*)::int AS n FROM audit_events WHERE tenant_id = $1 AND action = 'user.force_password_reset_set' GROUP BY user_id`,
      [tenant],
    );
    expect(audits.rows).toHaveLength(3000);
    expect(audits.rows.every((r) => r.n === 1)).toBe(true);
    expect(new Set(audits.rows.map((r) => r.user_id))).toEqual(new Set(users));
    const sample = (await env.audit(tenant, users[0])).find((e) => e.action === 'user.force_password_reset_set')!;
    expect(sample.data).toEqual({ reason: 'bulk', operationId });
    expect(sample.actor).toMatchObject({ type: 'admin', id: 'platform' });

    // 30 batches, 3 an activity, 4 activities a run: the workflow continued as new, and no run's history grew long
    const runs = [];
    for await (const wf of env.client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) runs.push(wf);
    expect(runs.length).toBeGreaterThanOrEqual(3);
    for (const run of runs) {
      const history = await env.client.workflow.getHandle(workflowId, run.runId).fetchHistory();
      expect(history.events!.length).toBeLessThan(200);
    }
  });

  test('cancelling stops after the current batch; users already done stay done', async () => {
    workers.push(await startWorkerProcess(env));
    const tenant = await env.tenant();
    const ids = (await seedUsers(env.pool, tenant, 1500, { passwordAgeDays: 30 })).sort();
    // hold the last users' rows, so the run waits there
    const blocker = await env.pool.connect();
    await blocker.query('BEGIN');
    await blocker.query('SELECT id FROM users WHERE id = ANY($1) FOR UPDATE', [ids.slice(-50)]);
    try {
      const started = await env.http('POST', `/admin/tenants/${tenant}/force-password-reset`, { body: { filter: { passwordSetBefore: new Date().toISOString() } } });
      const path = `/admin/tenants/${tenant}/bulk-operations/${started.body.operationId}`;
      await eventually(async () => ((await env.http('GET', path)).body.done > 0 ? true : undefined), 'some progress', 60_000);
      const cancelling = env.http('DELETE', path);
      await eventually(async () => {
        const d = await env.client.workflow.getHandle(started.body.workflowId).describe();
        return (d.raw.pendingActivities ?? []).length > 0 || d.status.name !== 'RUNNING' ? true : undefined;
      }, 'the activity in flight');
      await blocker.query('COMMIT');
      const cancelled = await cancelling;
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.state).toBe('cancelled');
      expect(cancelled.body.done).toBeLessThan(1500);
      const flagged = await flaggedCount(env, tenant);
      expect(flagged).toBeGreaterThan(0);
      expect(flagged).toBeLessThan(1500);
      // the counts are final: the batch in hand when the cancel came is counted too
      expect(cancelled.body.done).toBe(flagged);
      // the workflow is closed: nothing more can change
      expect((await env.client.workflow.getHandle(started.body.workflowId).describe()).status.name).toBe('CANCELLED');
      expect(await flaggedCount(env, tenant)).toBe(flagged);
      expect((await env.http('GET', path)).body).toMatchObject({ state: 'cancelled' });
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      blocker.release();
    }
  });

  test('bad filters are 400; a tenant key cannot read another tenant’s operation', async () => {
    const tenant = await env.tenant();
    for (const filter of [{}, { all: false }, { all: true, passwordSetBefore: new Date().toISOString() }, { passwordSetBefore: 'yesterday' }]) {
      const res = await env.http('POST', `/admin/tenants/${tenant}/force-password-reset`, { body: { filter } });
      expect(res.status).toBe(400);
    }
    const other = await env.tenant();
    const started = await env.http('POST', `/admin/tenants/${other}/force-password-reset`, { body: { filter: { all: true } } });
    const key = (await env.http('POST', `/admin/tenants/${tenant}/api-keys`, { body: { name: 'k' } })).body.key;
    expect((await env.http('GET', `/admin/tenants/${tenant}/bulk-operations/${started.body.operationId}`, { auth: key })).status).toBe(404);
    expect((await env.http('GET', `/admin/tenants/${other}/bulk-operations/${started.body.operationId}`, { auth: key })).status).toBe(404);
  });
});
