import { ScheduleNotFoundError } from '@temporalio/client';
import { eventually, useTestEnv } from './support/env';
import { SEEDED_PASSWORD, seedUsers } from './support/seed';

const env = useTestEnv({ env: { BULK_BATCH_SIZE: '3' } });

const rotation = (tenant: string) => `/admin/tenants/${tenant}/password-rotation`;

describe('scheduled rotation (Temporal Schedules)', () => {
  test('create, update, pause and delete through the API, checked against the Schedule itself', async () => {
    const tenant = await env.tenant();
    expect((await env.http('GET', rotation(tenant))).status).toBe(404);

    const created = await env.http('PUT', rotation(tenant), { body: { cron: '0 3 * * 1', timezone: 'Europe/Berlin', maxPasswordAgeDays: 90 } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ scheduleId: `password-rotation/${tenant}`, cron: '0 3 * * 1', timezone: 'Europe/Berlin', maxPasswordAgeDays: 90, paused: false });
    expect(created.body.nextRunTimes.length).toBeGreaterThan(0);
    expect(new Date(created.body.nextRunTimes[0]).getUTCDay()).toBe(1);

    const handle = env.client.schedule.getHandle(`password-rotation/${tenant}`);
    let d = await handle.describe();
    expect(d.spec.timezone).toBe('Europe/Berlin');
    expect(d.spec.calendars).toEqual([expect.objectContaining({ hour: [{ start: 3, end: 3, step: 1 }], dayOfWeek: [{ start: 'MONDAY', end: 'MONDAY', step: 1 }] })]);
    expect(d.policies.overlap).toBe('SKIP');
    expect(d.policies.catchupWindow).toBe(86_400_000);
    expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'bulkForceResetWorkflow', taskQueue: env.taskQueue });
    expect((d.action as { args: unknown[] }).args[0]).toMatchObject({ tenantId: tenant, kind: 'rotation', maxPasswordAgeDays: 90, actor: { type: 'system', id: 'password-rotation' } });

    const updated = await env.http('PUT', rotation(tenant), { body: { cron: '30 4 * * *', maxPasswordAgeDays: 30, paused: true } });
    expect(updated.body).toMatchObject({ cron: '30 4 * * *', timezone: 'UTC', maxPasswordAgeDays: 30, paused: true });
    d = await handle.describe();
    expect(d.state.paused).toBe(true);
    expect(d.spec.timezone).toBe('UTC');
    expect(d.spec.calendars).toEqual([expect.objectContaining({ hour: [{ start: 4, end: 4, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }] })]);
    expect((d.action as { args: unknown[] }).args[0]).toMatchObject({ maxPasswordAgeDays: 30 });

    // a pause or resume made elsewhere (Temporal UI, CLI) shows in the API
    await handle.unpause('resumed by an operator');
    expect((await env.http('GET', rotation(tenant))).body.paused).toBe(false);
    await handle.pause('paused by an operator');
    expect((await env.http('GET', rotation(tenant))).body.paused).toBe(true);

    expect((await env.http('DELETE', rotation(tenant))).status).toBe(204);
    await expect(handle.describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    expect((await env.http('GET', rotation(tenant))).status).toBe(404);
    expect((await env.http('DELETE', rotation(tenant))).status).toBe(404);
    expect((await env.http('POST', `${rotation(tenant)}/run`)).status).toBe(404);
  });

  test('invalid cron expressions and time zones are 400 with a clear message', async () => {
    const tenant = await env.tenant();
    for (const [body, field] of [
      [{ cron: '61 * * * *', maxPasswordAgeDays: 90 }, 'cron'],
      [{ cron: '* * *', maxPasswordAgeDays: 90 }, 'cron'],
      [{ cron: '0 3 * * 1', timezone: 'Mars/Olympus', maxPasswordAgeDays: 90 }, 'timezone'],
      [{ cron: '0 3 * * 1', maxPasswordAgeDays: 0 }, 'maxPasswordAgeDays'],
    ] as const) {
      const res = await env.http('PUT', rotation(tenant), { body });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field, message: expect.any(String) })]);
    }
    expect((await env.http('GET', rotation(tenant))).status).toBe(404);
  });

  test('a run flags exactly the password users with old passwords and no change pending, each audited once', async () => {
    const tenant = await env.tenant();
    const old = await seedUsers(env.pool, tenant, 7, { passwordAgeDays: 200 });
    const fresh = await seedUsers(env.pool, tenant, 4, { passwordAgeDays: 10 });
    const federated = await seedUsers(env.pool, tenant, 3, { federated: true });
    const alreadyFlagged = await seedUsers(env.pool, tenant, 2, { passwordAgeDays: 200, changeRequired: 'admin_forced' });
    expect((await env.http('PUT', rotation(tenant), { body: { cron: '0 3 1 * *', maxPasswordAgeDays: 90, paused: true } })).status).toBe(200);

    // triggered through the Schedule itself, as its cron would
    await env.client.schedule.getHandle(`password-rotation/${tenant}`).trigger();
    const first = await eventually(async () => {
      const r = (await env.http('GET', rotation(tenant))).body.lastRun;
      return r?.state === 'completed' ? r : undefined;
    }, 'the scheduled run to complete');
    expect(first).toMatchObject({ kind: 'rotation', matched: 9, done: 7, skipped: 2, finishedAt: expect.any(String) });
    expect(first.workflowId).toMatch(new RegExp(`^password-rotation/${tenant}-`));

    const flags = await env.pool.query('SELECT id, change_required FROM users WHERE tenant_id = $1', [tenant]);
    const flag = new Map(flags.rows.map((r) => [r.id, r.change_required]));
    for (const id of old) expect(flag.get(id)).toBe('scheduled_rotation');
    for (const id of [...fresh, ...federated]) expect(flag.get(id)).toBeNull();
    for (const id of alreadyFlagged) expect(flag.get(id)).toBe('admin_forced');

    const events = (await env.audit(tenant)).filter((e) => e.action === 'user.force_password_reset_set');
    expect(events).toHaveLength(7);
    expect(new Set(events.map((e: any) => e.userId))).toEqual(new Set(old));
    for (const e of events) {
      expect(e.actor).toEqual({ type: 'system', id: 'password-rotation' });
      expect(e.data).toMatchObject({ reason: 'scheduled_rotation', operationId: first.operationId });
    }

    // a run now (POST .../run) finds nothing left to do
    const run = await env.http('POST', `${rotation(tenant)}/run`);
    expect(run.status).toBe(202);
    expect(run.body.workflowId).toBe(`password-rotation/${tenant}/${run.body.operationId}`);
    await env.client.workflow.getHandle(run.body.workflowId).result();
    const second = await env.http('GET', `/admin/tenants/${tenant}/bulk-operations/${run.body.operationId}`);
    expect(second.body).toMatchObject({ state: 'completed', matched: 9, done: 0, skipped: 9 });
    expect((await env.http('GET', rotation(tenant))).body.lastRun.operationId).toBe(run.body.operationId);
    expect((await env.audit(tenant)).filter((e) => e.action === 'user.force_password_reset_set')).toHaveLength(7);

    // a flagged user completes the change at sign-in, like any forced reset
    const email = (await env.pool.query('SELECT email FROM users WHERE id = $1', [old[0]])).rows[0].email;
    const signIn = await env.signIn(tenant, email, SEEDED_PASSWORD);
    expect(signIn.body).toMatchObject({ result: 'password_change_required', reason: 'scheduled_rotation' });
    const changed = await env.http('POST', '/auth/password/change', { body: { changeToken: signIn.body.changeToken, newPassword: 'maple-harbor-quartz-88' }, auth: null });
    expect(changed.body.result).toBe('signed_in');
  });
});
