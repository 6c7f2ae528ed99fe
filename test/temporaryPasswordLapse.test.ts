import { CHOSEN, eventually, INITIAL, TEMPORARY, useTestEnv } from './support/env';

const env = useTestEnv();

/** The temporary password these tests set, with no notice to mail. */
const QUIET = { password: TEMPORARY, notifyUser: false };

test('temporaryPasswordTtlSeconds: seven days by default, 60 s to 30 days, changed by PATCH', async () => {
  const tenant = await env.tenant();
  expect((await env.http('GET', `/admin/tenants/${tenant}`)).body.settings.temporaryPasswordTtlSeconds).toBe(604_800);
  for (const bad of [59, 2_592_001, 'soon']) {
    const res = await env.http('PATCH', `/admin/tenants/${tenant}`, { body: { settings: { temporaryPasswordTtlSeconds: bad } } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('settings.temporaryPasswordTtlSeconds');
  }
  const ok = await env.http('PATCH', `/admin/tenants/${tenant}`, { body: { settings: { temporaryPasswordTtlSeconds: 60 } } });
  expect(ok.status).toBe(200);
  expect(ok.body.settings).toMatchObject({ temporaryPasswordTtlSeconds: 60, resetLinkTtlSeconds: 86_400 });
});

test('a temporary password lapses at the tenant TTL: sign-in says so (only for the right password), the lapse is audited once', async () => {
  const tenant = await env.tenant({ temporaryPasswordTtlSeconds: 60 });
  const user = await env.user(tenant, { password: INITIAL });
  const before = Date.now();
  const set = await env.setTemporaryPassword(tenant, user.id, QUIET);
  expect(set.status).toBe(200);

  const view = await env.http('GET', `/admin/tenants/${tenant}/users/${user.id}`);
  expect(view.body.passwordIdentity).toMatchObject({ temporary: true, changeRequired: 'temporary_password', expiresAt: expect.any(String) });
  const expiresAt = Date.parse(view.body.passwordIdentity.expiresAt);
  expect(expiresAt - before).toBeGreaterThanOrEqual(59_000);
  expect(expiresAt - before).toBeLessThan(70_000);
  // before the lapse it works as a temporary password does
  expect((await env.signIn(tenant, user.email, TEMPORARY)).body.result).toBe('password_change_required');

  // the workflow's durable timer fires at the lapse and audits it
  const lapsed = await eventually(async () => (await env.audit(tenant, user.id)).find((e) => e.action === 'user.temporary_password_expired'), 'the lapse audited', 90_000);
  expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
  expect(lapsed).toMatchObject({ data: {}, actor: { type: 'system', id: 'temporary-password-expiry' }, workflowId: set.body.workflowId });
  expect(await env.client.workflow.getHandle(set.body.workflowId).result()).toEqual({ ok: true });

  const right = await env.signIn(tenant, user.email, TEMPORARY);
  expect(right.status).toBe(401);
  expect(right.body).toMatchObject({ code: 'temporary_password_expired', status: 401 });
  expect(right.body.changeToken).toBeUndefined();
  const wrong = await env.signIn(tenant, user.email, 'not-the-temporary-one-9');
  expect(wrong.status).toBe(401);
  expect(wrong.body.code).toBe('invalid_credentials');
  expect((await env.signIn(tenant, user.email, INITIAL)).body.code).toBe('invalid_credentials');
  expect((await env.audit(tenant, user.id)).filter((e) => e.action === 'user.temporary_password_expired')).toHaveLength(1);

  // the user needs a new reset: a reset link still works, and ends the lapse
  await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/password-reset-email`, { body: {} });
  const link = await env.resetLink(user.email);
  expect((await env.http('POST', '/auth/password-reset', { body: { token: link.token, newPassword: CHOSEN }, auth: null })).status).toBe(200);
  expect((await env.signIn(tenant, user.email, CHOSEN)).body.result).toBe('signed_in');
  const after = await env.http('GET', `/admin/tenants/${tenant}/users/${user.id}`);
  expect(after.body.passwordIdentity).toMatchObject({ temporary: false, expiresAt: null });
});

test('the forced change at sign-in replaces the temporary password: its workflow ends at once, nothing lapses', async () => {
  const tenant = await env.tenant({ temporaryPasswordTtlSeconds: 3600 });
  const user = await env.user(tenant, { password: INITIAL });
  const set = await env.setTemporaryPassword(tenant, user.id, QUIET);
  const signIn = await env.signIn(tenant, user.email, TEMPORARY);
  const changed = await env.http('POST', '/auth/password/change', { body: { changeToken: signIn.body.changeToken, newPassword: CHOSEN }, auth: null });
  expect(changed.status).toBe(200);
  // well before the hour: the change signalled it
  expect(await env.client.workflow.getHandle(set.body.workflowId).result()).toEqual({ ok: true });
  expect((await env.http('GET', `/admin/tenants/${tenant}/users/${user.id}`)).body.passwordIdentity).toMatchObject({ expiresAt: null, changeRequired: null });
  expect((await env.audit(tenant, user.id)).map((e) => e.action)).not.toContain('user.temporary_password_expired');
});

test('a newer temporary password replaces the older one: the older workflow ends, the newer one tracks its own lapse', async () => {
  const tenant = await env.tenant({ temporaryPasswordTtlSeconds: 3600 });
  const user = await env.user(tenant, { password: INITIAL });
  const first = await env.setTemporaryPassword(tenant, user.id, QUIET);
  const firstExpiry = (await env.http('GET', `/admin/tenants/${tenant}/users/${user.id}`)).body.passwordIdentity.expiresAt;
  const second = await env.setTemporaryPassword(tenant, user.id, { ...QUIET, password: 'copper-lantern-meadow-42' });
  expect(second.status).toBe(200);
  expect(await env.client.workflow.getHandle(first.body.workflowId).result()).toEqual({ ok: true });
  const row = await env.pool.query('SELECT temporary_password_workflow_id AS wf, password_expires_at AS at FROM users WHERE id = $1', [user.id]);
  expect(row.rows[0].wf).toBe(second.body.workflowId);
  expect(row.rows[0].at.toISOString() >= firstExpiry).toBe(true);
  expect((await env.client.workflow.getHandle(second.body.workflowId).describe()).status.name).toBe('RUNNING');
  // a permanent password set by an admin ends the second one too, and lapses never
  const permanent = await env.setTemporaryPassword(tenant, user.id, { ...QUIET, password: 'orbit-velvet-canyon-93', mustResetOnNextSignIn: false });
  expect(await env.client.workflow.getHandle(second.body.workflowId).result()).toEqual({ ok: true });
  expect(await env.client.workflow.getHandle(permanent.body.workflowId).result()).toEqual({ ok: true });
  expect((await env.http('GET', `/admin/tenants/${tenant}/users/${user.id}`)).body.passwordIdentity).toMatchObject({ temporary: false, expiresAt: null });
});
