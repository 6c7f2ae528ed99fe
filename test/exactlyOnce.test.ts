import type { ChildProcess } from 'node:child_process';
import { counts, eventually, INITIAL, useTestEnv } from './support/env';
import { failEachActivityOnceAfterItRuns } from './support/faults';
import { kill, startWorkerProcess } from './support/workerProcess';

const ALL_ACTIVITIES = [
  'issueResetLink', 'sendResetEmail', 'recordResetEmailSent', 'applyChosenPassword', 'cancelResetLink', 'expireResetLink',
  'applyTemporaryPassword', 'sendTemporaryPasswordNotice', 'flagPasswordChange', 'revokeUserSessions', 'recordEmailDelivery',
] as const;

describe('every activity failing once after it did its work', () => {
  const faults = failEachActivityOnceAfterItRuns(ALL_ACTIVITIES);
  const env = useTestEnv({ interceptors: faults.interceptors });

  test('every path still writes each password, token change and audit event exactly once', async () => {
    // links live long enough to be used on a loaded machine (every activity retries once); the expiry part shortens them
    const tenant = await env.tenant({ resetLinkTtlSeconds: 600 });
    const user = await env.user(tenant, { password: INITIAL });
    const base = `/admin/tenants/${tenant}/users/${user.id}`;
    await env.signIn(tenant, user.email, INITIAL); // a session to revoke

    // path 1, completed
    const sent = await env.http('POST', `${base}/password-reset-email`, { body: { revokeSessions: true } });
    expect(sent.status).toBe(202);
    // the mail activity's retry sends again before it records the email as sent
    await eventually(async () => (await env.audit(tenant, user.id)).find((e) => e.action === 'user.password_reset_email_sent'), 'email_sent audit');
    const link = await env.resetLink(user.email);
    expect((await env.http('POST', '/auth/password-reset', { body: { token: link.token, newPassword: 'orbit-velvet-canyon-93' }, auth: null })).status).toBe(200);
    expect(await env.client.workflow.getHandle(sent.body.workflowId).result()).toEqual({ state: 'completed' });
    // the email went out twice (at-least-once), both times with the one link that works
    const emails = env.sink.messages.filter((m) => m.to === user.email && m.tag === 'password-reset');
    expect(emails.length).toBe(2);
    expect(new Set(emails.map((m) => m.textBody)).size).toBe(1);

    const emailsSent = async (n: number) =>
      eventually(async () => (counts(await env.audit(tenant, user.id))['user.password_reset_email_sent'] === n ? true : undefined), `${n} emails sent`);

    // path 1, cancelled (once its email is out)
    const second = await env.http('POST', `${base}/password-reset-email`, { body: {} });
    await emailsSent(2);
    expect((await env.http('DELETE', `${base}/password-reset-email`)).status).toBe(200);
    expect(await env.client.workflow.getHandle(second.body.workflowId).result()).toEqual({ state: 'cancelled' });

    // path 1, expired; its email reported delivered by the sink's webhook, through the running workflow
    expect((await env.http('PATCH', `/admin/tenants/${tenant}`, { body: { settings: { resetLinkTtlSeconds: 10 } } })).status).toBe(200);
    const third = await env.http('POST', `${base}/password-reset-email`, { body: {} });
    await emailsSent(3);
    await eventually(async () => ((await env.http('GET', `/admin/tenants/${tenant}/password-resets/${third.body.resetId}`)).body.delivery.state === 'delivered' ? true : undefined), 'delivered');
    expect(await env.client.workflow.getHandle(third.body.workflowId).result()).toEqual({ state: 'expired' });
    expect((await env.http('GET', `/admin/tenants/${tenant}/password-resets/${third.body.resetId}`)).body.delivery.state).toBe('delivered');

    // path 2 with notice, path 3 with revocation, then the change at sign-in
    const temp = await env.http('POST', `${base}/temporary-password`, { body: { password: 'lantern-oyster-kettle-21', mustResetOnNextSignIn: false } });
    expect(temp.status).toBe(200);
    await env.client.workflow.getHandle(temp.body.workflowId).result();
    expect((await env.signIn(tenant, user.email, 'lantern-oyster-kettle-21')).body.result).toBe('signed_in');
    const forced = await env.http('POST', `${base}/force-password-reset`, { body: { revokeSessions: true } });
    expect(forced.status).toBe(200);
    const signIn = await env.signIn(tenant, user.email, 'lantern-oyster-kettle-21');
    expect(signIn.body.reason).toBe('admin_forced');
    const changed = await env.http('POST', '/auth/password/change', { body: { changeToken: signIn.body.changeToken, newPassword: 'maple-harbor-quartz-88' }, auth: null });
    expect(changed.status).toBe(200);

    expect(new Set(faults.injected)).toEqual(new Set(ALL_ACTIVITIES));
    expect(counts(await env.audit(tenant, user.id))).toEqual({
      'user.password_reset_email_sent': 3,
      'user.password_reset_completed': 2,
      'user.password_reset_email_cancelled': 1,
      'user.password_reset_link_expired': 1,
      'user.password_set_by_admin': 1,
      'user.force_password_reset_set': 1,
      'user.sessions_revoked': 2,
    });
    // one history row per password written: the initial one, the reset, the temporary one, the change
    const history = await env.pool.query('SELECT count(*)::int AS n FROM password_history WHERE user_id = $1', [user.id]);
    expect(history.rows[0].n).toBe(4);
    const resets = await env.pool.query('SELECT state, count(*)::int AS n FROM password_resets WHERE user_id = $1 GROUP BY state ORDER BY state', [user.id]);
    expect(resets.rows).toEqual([{ state: 'cancelled', n: 1 }, { state: 'completed', n: 1 }, { state: 'expired', n: 1 }]);
    expect((await env.signIn(tenant, user.email, 'maple-harbor-quartz-88')).body.result).toBe('signed_in');
  });
});

describe('the worker process killed mid-path', () => {
  const workers: ChildProcess[] = [];
  // declared first, so it runs first: the worker processes stop before the environment closes
  afterAll(() => Promise.all(workers.map(kill)));
  const env = useTestEnv({ worker: false });

  test('a reset in flight when the worker dies finishes exactly once on a new worker', async () => {
    const tenant = await env.tenant();
    const user = await env.user(tenant, { password: INITIAL });
    const first = await startWorkerProcess(env);
    workers.push(first);

    env.sink.hold(); // the mail provider hangs, so the worker dies inside the mail activity
    const sent = await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/password-reset-email`, { body: {} });
    expect(sent.status).toBe(202);
    await env.sink.waitForRequests(1);
    await kill(first);
    env.sink.releaseHeld();

    workers.push(await startWorkerProcess(env));
    // the mail activity times out on the dead worker and is retried on the new one
    await eventually(async () => (await env.audit(tenant, user.id)).find((e) => e.action === 'user.password_reset_email_sent'), 'email_sent audit', 60_000);
    const link = await env.resetLink(user.email);
    expect((await env.http('POST', '/auth/password-reset', { body: { token: link.token, newPassword: 'orbit-velvet-canyon-93' }, auth: null })).status).toBe(200);
    expect(await env.client.workflow.getHandle(sent.body.workflowId).result()).toEqual({ state: 'completed' });
    expect(counts(await env.audit(tenant, user.id))).toEqual({ 'user.password_reset_email_sent': 1, 'user.password_reset_completed': 1 });
    expect((await env.signIn(tenant, user.email, 'orbit-velvet-canyon-93')).body.result).toBe('signed_in');
  });
});
