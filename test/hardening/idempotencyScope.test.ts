import { createHash } from 'node:crypto';
import { eventually, TestEnv } from '../support/env';

/**
 * The second security review (issue 17): an Idempotency-Key belongs to its caller and to its retention,
 * and nothing secret is kept to replay an answer.
 */
const PASSWORD = 'glacier-ticket-marble-74';
let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.start();
});
afterAll(async () => {
  await env?.close();
});

const setBy = async (tenant: string, userId: string) =>
  (await env.audit(tenant, userId)).filter((e) => e.action === 'user.password_set_by_admin').map((e) => e.actor.id);

test('the same key value from two admin keys is two operations: each password is set and audited, nothing is a silent no-op', async () => {
  const tenant = await env.tenant();
  const user = await env.user(tenant, { password: PASSWORD });
  const tenantKey = (await env.http('POST', `/admin/tenants/${tenant}/api-keys`, { body: { name: 'helpdesk' } })).body;
  const path = `/admin/tenants/${tenant}/users/${user.id}/temporary-password`;
  const headers = { 'idempotency-key': 'same-value-1' };
  const byPlatform = await env.http('POST', path, { body: { password: 'lantern-oyster-kettle-21' }, headers });
  expect(byPlatform.status).toBe(200);
  const byTenantKey = await env.http('POST', path, { body: { password: 'saffron-walrus-piano-58' }, headers: { ...headers }, auth: tenantKey.key });
  expect(byTenantKey.status).toBe(200);
  expect(byTenantKey.headers.get('idempotent-replayed')).toBeNull();
  expect(byTenantKey.body.workflowId).not.toBe(byPlatform.body.workflowId);
  // (a temporary password's workflow stays open until the password lapses: its audit row says it was set)
  await eventually(async () => ((await setBy(tenant, user.id)).length === 2 ? true : undefined), 'both passwords set');
  expect((await setBy(tenant, user.id)).sort()).toEqual(['platform', tenantKey.id].sort());
});

test('a key reused after its retention is a new operation, not the old one replayed or joined', async () => {
  const tenant = await env.tenant({ passwordPolicy: { historyCount: 0 } }); // the same request may set the same password again
  const user = await env.user(tenant, { password: PASSWORD });
  const path = `/admin/tenants/${tenant}/users/${user.id}/temporary-password`;
  const headers = { 'idempotency-key': 'kept-a-day' };
  const first = await env.http('POST', path, { body: { password: 'lantern-oyster-kettle-21', notifyUser: false }, headers });
  expect(first.status).toBe(200);
  await eventually(async () => ((await setBy(tenant, user.id)).length === 1 ? true : undefined), 'the first password set');
  // the retention (24 h) runs out
  await env.pool.query(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = 'kept-a-day'`);
  const later = await env.http('POST', path, { body: { password: 'lantern-oyster-kettle-21', notifyUser: false }, headers });
  expect(later.status).toBe(200);
  expect(later.headers.get('idempotent-replayed')).toBeNull();
  expect(later.body.workflowId).not.toBe(first.body.workflowId);
  await eventually(async () => ((await setBy(tenant, user.id)).length === 2 ? true : undefined), 'set again');
});

test('a new API key is never stored to replay: a replay is 409 secret_not_replayed naming the key; no secret a request sent is in the table', async () => {
  const tenant = await env.tenant();
  const user = await env.user(tenant, { password: PASSWORD });
  const headers = { 'idempotency-key': 'console-request-42' };
  const created = await env.http('POST', `/admin/tenants/${tenant}/api-keys`, { body: { name: 'helpdesk' }, headers });
  expect(created.status).toBe(201);
  expect(created.body.key).toMatch(/\S{24,}/);
  const replay = await env.http('POST', `/admin/tenants/${tenant}/api-keys`, { body: { name: 'helpdesk' }, headers });
  expect({ status: replay.status, code: replay.body.code, id: replay.body.id }).toEqual({ status: 409, code: 'secret_not_replayed', id: created.body.id });
  expect(replay.headers.get('idempotent-replayed')).toBe('true');
  expect(replay.text).not.toContain(created.body.key);
  // the request was done once: one key, listed without its secret
  expect((await env.http('GET', `/admin/tenants/${tenant}/api-keys`)).body.items.map((k: { id: string }) => k.id)).toEqual([created.body.id]);

  const temporary = 'saffron-walrus-piano-58';
  const body = { password: temporary };
  const path = `/admin/tenants/${tenant}/users/${user.id}/temporary-password`;
  expect((await env.http('POST', path, { body, headers: { 'idempotency-key': 'temp-1' } })).status).toBe(200);

  const rows = (await env.pool.query(`SELECT * FROM idempotency_keys WHERE key IN ('console-request-42', 'temp-1')`)).rows;
  expect(rows).toHaveLength(2);
  const dump = JSON.stringify(rows, (_k, v) => (v && v.type === 'Buffer' ? Buffer.from(v.data).toString('hex') : v));
  expect(dump).not.toContain(created.body.key);
  expect(dump).not.toContain(temporary);
  // the fingerprint is a keyed MAC: the bare SHA-256 of the request an offline dictionary would try is not there
  const bare = createHash('sha256').update(`POST ${path}\n${JSON.stringify(body)}`).digest('hex');
  expect(dump).not.toContain(bare);
});
