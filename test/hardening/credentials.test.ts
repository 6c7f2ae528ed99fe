import { CHOSEN, INITIAL, TEMPORARY, useTestEnv } from '../support/env';

/** Every credential is bound to the password it was issued for, and is spent once. */
const ADMIN_SET = 'harbor-quill-meadow-58';

const env = useTestEnv();

async function withTemporaryPassword(tenant: string) {
  const user = await env.user(tenant, { password: INITIAL });
  const set = await env.setTemporaryPassword(tenant, user.id, { password: TEMPORARY, notifyUser: false });
  expect(set.status).toBe(200);
  const signIn = await env.signIn(tenant, user.email, TEMPORARY);
  expect(signIn.body.result).toBe('password_change_required');
  return { user, changeToken: signIn.body.changeToken as string };
}

const count = async (sql: string, params: unknown[]) => (await env.pool.query(sql, params)).rows[0].n as number;

test('a change token obtained with the old password sets nothing after an admin set a newer one', async () => {
  const tenant = await env.tenant();
  const { user, changeToken } = await withTemporaryPassword(tenant);
  const reset = await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/temporary-password`, { body: { password: ADMIN_SET, notifyUser: false } });
  expect(reset.status).toBe(200);

  const stale = await env.http('POST', '/auth/password/change', { body: { changeToken, newPassword: CHOSEN }, auth: null });
  expect({ status: stale.status, code: stale.body.code }).toEqual({ status: 410, code: 'token_used' });
  // the admin's password is the one that works; the attacker's choice never landed
  expect((await env.signIn(tenant, user.email, CHOSEN)).status).toBe(401);
  expect((await env.signIn(tenant, user.email, ADMIN_SET)).body.result).toBe('password_change_required');
  expect((await env.audit(tenant, user.id)).filter((e) => e.action === 'user.password_reset_completed')).toEqual([]);
});

test('a change token dies when the user resets the password through an email link', async () => {
  const tenant = await env.tenant();
  const { user, changeToken } = await withTemporaryPassword(tenant);
  await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/password-reset-email`, { body: {} });
  const link = await env.resetLink(user.email);
  expect((await env.http('POST', '/auth/password-reset', { body: { token: link.token, newPassword: CHOSEN }, auth: null })).status).toBe(200);
  const stale = await env.http('POST', '/auth/password/change', { body: { changeToken, newPassword: 'quiet-ember-tundra-17' }, auth: null });
  expect({ status: stale.status, code: stale.body.code }).toEqual({ status: 410, code: 'token_used' });
  expect((await env.signIn(tenant, user.email, CHOSEN)).body.result).toBe('signed_in');
});

test('of eight concurrent submissions of one change token exactly one wins: one password, one session, one audit row', async () => {
  const tenant = await env.tenant();
  const { user, changeToken } = await withTemporaryPassword(tenant);
  const historyBefore = await count('SELECT count(*)::int AS n FROM password_history WHERE user_id = $1', [user.id]);
  const passwords = Array.from({ length: 8 }, (_, i) => `concurrent-walrus-${i}-lagoon`);
  const answers = await Promise.all(passwords.map((newPassword) => env.http('POST', '/auth/password/change', { body: { changeToken, newPassword }, auth: null })));
  const statuses = answers.map((a) => a.status).sort();
  expect(statuses).toEqual([200, 410, 410, 410, 410, 410, 410, 410]);
  expect(answers.filter((a) => a.status === 410).every((a) => a.body.code === 'token_used')).toBe(true);
  const winner = passwords[answers.findIndex((a) => a.status === 200)]!;

  expect(await count('SELECT count(*)::int AS n FROM sessions WHERE user_id = $1', [user.id])).toBe(1);
  expect(await count('SELECT count(*)::int AS n FROM password_history WHERE user_id = $1', [user.id])).toBe(historyBefore + 1);
  expect((await env.audit(tenant, user.id)).filter((e) => e.action === 'user.password_reset_completed')).toHaveLength(1);
  expect((await env.signIn(tenant, user.email, winner)).body.result).toBe('signed_in');
});

test('of ten concurrent submissions of one reset link one sets the password, the rest are 410 link_used or 429, never a 500', async () => {
  const tenant = await env.tenant();
  const user = await env.user(tenant, { password: INITIAL });
  await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/password-reset-email`, { body: {} });
  const link = await env.resetLink(user.email);
  const passwords = Array.from({ length: 10 }, (_, i) => `racing-otter-${i}-fjord`);
  const answers = await Promise.all(passwords.map((newPassword) => env.http('POST', '/auth/password-reset', { body: { token: link.token, newPassword }, auth: null })));
  const byStatus = answers.reduce<Record<number, number>>((m, a) => ({ ...m, [a.status]: (m[a.status] ?? 0) + 1 }), {});
  expect(byStatus[200]).toBe(1);
  expect(Object.keys(byStatus).map(Number).every((s) => [200, 410, 429].includes(s))).toBe(true);
  expect(answers.filter((a) => a.status === 410).every((a) => a.body.code === 'link_used')).toBe(true);
  expect((await env.audit(tenant, user.id)).filter((e) => e.action === 'user.password_reset_completed')).toHaveLength(1);
  const winner = passwords[answers.findIndex((a) => a.status === 200)]!;
  expect((await env.signIn(tenant, user.email, winner)).body.result).toBe('signed_in');
});

test('a link whose workflow closed while the submission was on its way is a lost race: 410, never a 500', async () => {
  const tenant = await env.tenant();
  const user = await env.user(tenant, { password: INITIAL });
  const sent = await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/password-reset-email`, { body: {} });
  const link = await env.resetLink(user.email);
  // the row still says pending when the request reads it; the workflow is gone by the time the update arrives
  await env.client.workflow.getHandle(sent.body.workflowId).terminate('closed under a racing submission');
  const late = await env.http('POST', '/auth/password-reset', { body: { token: link.token, newPassword: CHOSEN }, auth: null });
  expect({ status: late.status, code: late.body.code }).toEqual({ status: 410, code: 'link_used' });
  expect((await env.signIn(tenant, user.email, INITIAL)).body.result).toBe('signed_in');
});
