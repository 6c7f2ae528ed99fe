import { CHOSEN, INITIAL, TEMPORARY, useTestEnv } from './support/env';

const env = useTestEnv();

describe('path 2: temporary password', () => {
  test('defaults: the user is notified (without the password) and must choose a new one at sign-in', async () => {
    const tenant = await env.tenant({}, 'Initech');
    const user = await env.user(tenant, { password: INITIAL });

    const res = await env.setTemporaryPassword(tenant, user.id, { password: TEMPORARY });
    expect(res.status).toBe(200);
    expect(res.body.workflowId).toMatch(new RegExp(`^temporary-password/${tenant}/${user.id}/`));
    const view = await env.http('GET', `/admin/tenants/${tenant}/users/${user.id}`);
    expect(view.body.passwordIdentity).toMatchObject({ temporary: true, changeRequired: 'temporary_password' });

    const notice = await env.sink.waitFor((m) => m.to === user.email && m.tag === 'temporary-password');
    expect(notice.subject).toBe('Your administrator set a temporary password for Initech');
    expect(notice.textBody + notice.htmlBody).not.toContain(TEMPORARY);
    // the workflow keeps tracking the temporary password (it lapses at the tenant's TTL) until it is replaced

    const events = await env.audit(tenant, user.id);
    const set = events.filter((e) => e.action === 'user.password_set_by_admin');
    expect(set).toHaveLength(1);
    expect(set[0]).toMatchObject({ data: { temporary: true, mustResetOnNextSignIn: true, notified: true }, actor: { type: 'admin', id: 'platform' } });

    // sign-in with the temporary password: a change token, no session
    expect((await env.signIn(tenant, user.email, INITIAL)).status).toBe(401);
    const signIn = await env.signIn(tenant, user.email, TEMPORARY);
    expect(signIn.status).toBe(200);
    expect(signIn.body).toEqual({ result: 'password_change_required', reason: 'temporary_password', changeToken: expect.any(String), expiresAt: expect.any(String) });
    expect(signIn.body.session).toBeUndefined();
    const changeToken = signIn.body.changeToken as string;
    expect((await env.http('GET', '/auth/session', { auth: changeToken })).status).toBe(401);

    // policy failures keep the change token usable; reusing the temporary password counts as reuse
    const weak = await env.http('POST', '/auth/password/change', { body: { changeToken, newPassword: 'qwertyuiop123' }, auth: null });
    expect(weak.status).toBe(422);
    expect(weak.body.errors[0]).toMatchObject({ field: 'newPassword', code: 'common_password' });
    const reused = await env.http('POST', '/auth/password/change', { body: { changeToken, newPassword: TEMPORARY }, auth: null });
    expect(reused.status).toBe(422);
    expect(reused.body.errors).toEqual([expect.objectContaining({ code: 'reused' })]);

    const changed = await env.http('POST', '/auth/password/change', { body: { changeToken, newPassword: CHOSEN }, auth: null });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ result: 'signed_in', session: { id: expect.any(String), token: expect.any(String), expiresAt: expect.any(String) } });
    const who = await env.http('GET', '/auth/session', { auth: changed.body.session.token });
    expect(who.body).toEqual({ sessionId: changed.body.session.id, userId: user.id, tenantId: tenant });

    const replay = await env.http('POST', '/auth/password/change', { body: { changeToken, newPassword: 'yet-another-passphrase-9' }, auth: null });
    expect(replay.status).toBe(410);
    expect(replay.body.code).toBe('token_used');

    // the change replaced the temporary password: its workflow ended without waiting for the lapse
    expect(await env.client.workflow.getHandle(res.body.workflowId).result()).toEqual({ ok: true });
    const direct = await env.signIn(tenant, user.email, CHOSEN);
    expect(direct.body.result).toBe('signed_in');
    const after = await env.http('GET', `/admin/tenants/${tenant}/users/${user.id}`);
    expect(after.body.passwordIdentity).toMatchObject({ temporary: false, changeRequired: null });
    const completed = (await env.audit(tenant, user.id)).filter((e) => e.action === 'user.password_reset_completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({ data: { via: 'sign_in' }, actor: { type: 'user', id: user.id } });
  });

  test('both toggles off: a permanent password, no email, temporary false in audit', async () => {
    const tenant = await env.tenant();
    const user = await env.user(tenant, { password: INITIAL });
    const res = await env.setTemporaryPassword(tenant, user.id, { password: TEMPORARY, mustResetOnNextSignIn: false, notifyUser: false });
    expect(res.status).toBe(200);
    await env.client.workflow.getHandle(res.body.workflowId).result();
    // by address: a password-changed notice of an earlier test may reach the provider meanwhile
    expect(env.sink.attempts.filter((a) => a.to === user.email)).toEqual([]);
    expect((await env.signIn(tenant, user.email, TEMPORARY)).body.result).toBe('signed_in');
    const events = await env.audit(tenant, user.id);
    expect(events.find((e) => e.action === 'user.password_set_by_admin')?.data).toEqual({ temporary: false, mustResetOnNextSignIn: false, notified: false });
  });

  test('a password that breaks the tenant policy is refused with every failed rule; nothing starts', async () => {
    const tenant = await env.tenant({ passwordPolicy: { minLength: 16 } }, 'Umbrella');
    const user = await env.user(tenant, { password: 'a-long-enough-passphrase-1', displayName: 'Jill Valentine' });
    const res = await env.setTemporaryPassword(tenant, user.id, { password: 'valentine123' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('password_policy');
    expect(res.body.errors.map((e: { code: string }) => e.code).sort()).toEqual(['common_password', 'min_length', 'personal_info']);
    expect(res.body.errors.every((e: { field: string }) => e.field === 'password')).toBe(true);
    const reuse = await env.setTemporaryPassword(tenant, user.id, { password: 'a-long-enough-passphrase-1' });
    expect(reuse.status).toBe(422);
    expect(reuse.body.errors[0].code).toBe('reused');
    expect((await env.audit(tenant, user.id)).filter((e) => e.action === 'user.password_set_by_admin')).toHaveLength(0);
    expect((await env.signIn(tenant, user.email, 'a-long-enough-passphrase-1')).body.result).toBe('signed_in');
  });

  test('the Idempotency-Key header makes a retried request join the first one', async () => {
    const tenant = await env.tenant();
    const user = await env.user(tenant, { password: INITIAL });
    const headers = { 'idempotency-key': 'retry-me-1' };
    const a = await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/temporary-password`, { body: { password: TEMPORARY, notifyUser: false }, headers });
    const b = await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/temporary-password`, { body: { password: TEMPORARY, notifyUser: false }, headers });
    expect(a.status).toBe(200);
    expect(b.body.workflowId).toBe(a.body.workflowId);
    expect((await env.audit(tenant, user.id)).filter((e) => e.action === 'user.password_set_by_admin')).toHaveLength(1);
    // one workflow, which now tracks the temporary password until it lapses or is replaced
    expect((await env.client.workflow.getHandle(a.body.workflowId).describe()).status.name).toBe('RUNNING');
  });
});
