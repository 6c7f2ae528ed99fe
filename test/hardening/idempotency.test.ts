import { eventually, INITIAL, useTestEnv } from '../support/env';

/** Idempotency-Key as the IETF draft has it: one key, one operation, one outcome. */
const env = useTestEnv();

const emailsTo = (to: string) => env.sink.messages.filter((m) => m.to === to && m.tag === 'password-reset').length;
const runsOf = async (tenant: string, userId: string) => {
  const runs = [];
  for await (const wf of env.client.workflow.list({ query: `TenantId = "${tenant}" AND UserId = "${userId}" AND ResetPath = "reset_email"` })) runs.push(wf.runId);
  return runs.length;
};

test('the same key and request, concurrently and later: one workflow run, one email, the first outcome every time', async () => {
  const tenant = await env.tenant();
  const user = await env.user(tenant, { password: INITIAL });
  const send = () => env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/password-reset-email`, { body: {}, headers: { 'idempotency-key': 'reset-ada-1' } });
  const first = await Promise.all([send(), send(), send(), send(), send()]);
  expect(first.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
  expect(new Set(first.map((r) => r.body.resetId)).size).toBe(1);
  const later = await send();
  expect(later.status).toBe(202);
  expect(later.body).toEqual(first[0]!.body);
  expect(later.headers.get('idempotent-replayed')).toBe('true');

  await eventually(async () => ((await env.audit(tenant, user.id)).some((e) => e.action === 'user.password_reset_email_sent') ? true : undefined), 'the email');
  expect(emailsTo(user.email)).toBe(1);
  expect(await runsOf(tenant, user.id)).toBe(1);
});

test('the same key with a different request is 422 idempotency_key_reused, and nothing is done', async () => {
  const tenant = await env.tenant();
  const user = await env.user(tenant, { password: INITIAL });
  const first = await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/force-password-reset`, { body: {}, headers: { 'idempotency-key': 'k-77' } });
  expect(first.status).toBe(200);
  const other = await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/force-password-reset`, { body: { revokeSessions: true }, headers: { 'idempotency-key': 'k-77' } });
  expect({ status: other.status, code: other.body.code }).toEqual({ status: 422, code: 'idempotency_key_reused' });
  const elsewhere = await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/password-reset-email`, { body: {}, headers: { 'idempotency-key': 'k-77' } });
  expect(elsewhere.status).toBe(422);
  expect(await runsOf(tenant, user.id)).toBe(0);
  expect((await env.audit(tenant, user.id)).map((e) => e.action)).toEqual(['user.force_password_reset_set']);
});

test("a key whose operation ended returns that outcome and never touches the user's newer link", async () => {
  const tenant = await env.tenant();
  const user = await env.user(tenant, { password: INITIAL });
  const base = `/admin/tenants/${tenant}/users/${user.id}/password-reset-email`;
  const keyed = await env.http('POST', base, { body: {}, headers: { 'idempotency-key': 'first-link' } });
  const link = await env.resetLink(user.email);
  expect((await env.http('POST', '/auth/password-reset', { body: { token: link.token, newPassword: 'orbit-velvet-canyon-93' }, auth: null })).status).toBe(200);
  await env.client.workflow.getHandle(keyed.body.workflowId).result();
  const newer = await env.http('POST', base, { body: {} });
  expect(newer.status).toBe(202);

  // replayed from the stored outcome: the ended operation is not run again and the newer link stays
  const replayed = await env.http('POST', base, { body: {}, headers: { 'idempotency-key': 'first-link' } });
  expect(replayed.body.resetId).toBe(keyed.body.resetId);
  expect(replayed.headers.get('idempotent-replayed')).toBe('true');
  const pending = await env.http('GET', `/admin/tenants/${tenant}/password-resets/${newer.body.resetId}`);
  expect(pending.body.state).toBe('pending');
  expect((await env.http('GET', `/admin/tenants/${tenant}/password-resets/${keyed.body.resetId}`)).body.state).toBe('completed');
  expect(await runsOf(tenant, user.id)).toBe(2);
  // once the stored outcome is gone (its retention ran out), the key is a new request: a new link, never a silent no-op
  await env.pool.query("DELETE FROM idempotency_keys WHERE key = 'first-link'");
  const rerun = await env.http('POST', base, { body: {}, headers: { 'idempotency-key': 'first-link' } });
  expect(rerun.status).toBe(202);
  expect(rerun.body.resetId).not.toBe(keyed.body.resetId);
  expect(await runsOf(tenant, user.id)).toBe(3);
});

test('an Idempotency-Key that is not 1–200 printable characters is a 400', async () => {
  const tenant = await env.tenant();
  const user = await env.user(tenant, { password: INITIAL });
  for (const key of ['', 'x'.repeat(201), 'with space']) {
    const res = await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/force-password-reset`, { body: {}, headers: { 'idempotency-key': key } });
    expect({ key: key.slice(0, 5), status: res.status, code: res.body.code }).toEqual({ key: key.slice(0, 5), status: 400, code: 'invalid_request' });
  }
});
