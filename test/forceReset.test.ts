import { CHOSEN, INITIAL, useTestEnv } from './support/env';

const env = useTestEnv();

describe('path 3: forced reset at next sign-in', () => {
  test('the current password keeps working, and the next sign-in demands a new one', async () => {
    const tenant = await env.tenant();
    const user = await env.user(tenant, { password: INITIAL });
    const res = await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/force-password-reset`, { body: {} });
    expect(res.status).toBe(200);
    expect(res.body.workflowId).toMatch(new RegExp(`^force-password-reset/${tenant}/${user.id}/`));
    expect((await env.http('GET', `/admin/tenants/${tenant}/users/${user.id}`)).body.passwordIdentity).toMatchObject({ changeRequired: 'admin_forced', temporary: false });

    const wrong = await env.signIn(tenant, user.email, 'not-the-password-at-all');
    expect(wrong.status).toBe(401);
    const signIn = await env.signIn(tenant, user.email, INITIAL);
    expect(signIn.body).toMatchObject({ result: 'password_change_required', reason: 'admin_forced' });
    const changed = await env.http('POST', '/auth/password/change', { body: { changeToken: signIn.body.changeToken, newPassword: CHOSEN }, auth: null });
    expect(changed.status).toBe(200);
    expect(changed.body.result).toBe('signed_in');
    expect((await env.signIn(tenant, user.email, CHOSEN)).body.result).toBe('signed_in');
    expect((await env.signIn(tenant, user.email, INITIAL)).status).toBe(401);

    const events = await env.audit(tenant, user.id);
    expect(events.filter((e) => e.action === 'user.force_password_reset_set').map((e) => e.data)).toEqual([{ reason: 'admin' }]);
    expect(events.filter((e) => e.action === 'user.password_reset_completed')).toHaveLength(1);
  });

  test('sessions survive every reset unless revokeSessions: true is sent', async () => {
    const tenant = await env.tenant();
    const user = await env.user(tenant, { password: INITIAL });
    const session = (await env.signIn(tenant, user.email, INITIAL)).body.session.token as string;
    const alive = async () => (await env.http('GET', '/auth/session', { auth: session })).status;
    const base = `/admin/tenants/${tenant}/users/${user.id}`;

    expect((await env.http('POST', `${base}/force-password-reset`, { body: {} })).status).toBe(200);
    expect(await alive()).toBe(200);
    expect((await env.http('POST', `${base}/temporary-password`, { body: { password: 'lantern-oyster-kettle-21', notifyUser: false } })).status).toBe(200);
    expect(await alive()).toBe(200);
    const sent = await env.http('POST', `${base}/password-reset-email`, { body: {} });
    expect(sent.status).toBe(202);
    const link = await env.resetLink(user.email);
    expect((await env.http('POST', '/auth/password-reset', { body: { token: link.token, newPassword: CHOSEN }, auth: null })).status).toBe(200);
    expect(await alive()).toBe(200);
    expect((await env.audit(tenant, user.id)).filter((e) => e.action === 'user.sessions_revoked')).toHaveLength(0);

    const revoke = await env.http('POST', `${base}/force-password-reset`, { body: { revokeSessions: true } });
    expect(revoke.status).toBe(200);
    expect(await alive()).toBe(401);
    const revoked = (await env.audit(tenant, user.id)).filter((e) => e.action === 'user.sessions_revoked');
    expect(revoked).toHaveLength(1);
    expect(revoked[0]!.data).toEqual({ count: 1 });
    expect(revoked[0]!.workflowId).toBe(revoke.body.workflowId);
  });
});

describe('sessions tab', () => {
  test('lists active sessions, revokes one, then all; each revocation audited', async () => {
    const tenant = await env.tenant();
    const user = await env.user(tenant, { password: INITIAL });
    const tokens: string[] = [];
    for (const agent of ['Firefox/1', 'Safari/2', 'Chrome/3']) {
      const r = await env.http('POST', '/auth/sign-in', { body: { tenant, email: user.email, password: INITIAL }, auth: null, headers: { 'user-agent': agent } });
      tokens.push(r.body.session.token);
    }
    const base = `/admin/tenants/${tenant}/users/${user.id}/sessions`;
    const list = await env.http('GET', base);
    expect(list.body.items).toHaveLength(3);
    expect(list.body.items.map((s: { userAgent: string }) => s.userAgent).sort()).toEqual(['Chrome/3', 'Firefox/1', 'Safari/2']);
    expect(list.body.items[0]).toEqual({ id: expect.any(String), createdAt: expect.any(String), lastSeenAt: expect.any(String), expiresAt: expect.any(String), userAgent: expect.any(String), ip: expect.any(String) });

    const firefox = list.body.items.find((s: { userAgent: string }) => s.userAgent === 'Firefox/1');
    expect((await env.http('DELETE', `${base}/${firefox.id}`)).status).toBe(204);
    expect((await env.http('DELETE', `${base}/${firefox.id}`)).status).toBe(404);
    expect((await env.http('GET', '/auth/session', { auth: tokens[0]! })).status).toBe(401);
    expect((await env.http('GET', '/auth/session', { auth: tokens[1]! })).status).toBe(200);

    const all = await env.http('DELETE', base);
    expect(all.body).toEqual({ revoked: 2 });
    expect((await env.http('GET', base)).body.items).toEqual([]);

    const signOut = await env.http('POST', '/auth/sign-in', { body: { tenant, email: user.email, password: INITIAL }, auth: null });
    expect((await env.http('POST', '/auth/sign-out', { auth: signOut.body.session.token })).status).toBe(204);
    expect((await env.http('GET', '/auth/session', { auth: signOut.body.session.token })).status).toBe(401);

    const events = (await env.audit(tenant, user.id)).filter((e) => e.action === 'user.sessions_revoked');
    expect(events.map((e) => e.data)).toEqual([{ count: 2 }, { count: 1, sessionId: firefox.id }]);
  });
});
