import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/api/app';
import { createHttpDeps } from '../../src/api/deps';
import { silentLogger } from '../../src/log';
import { useTestEnv } from '../support/env';

/** Admin changes are audited, and keys can be revoked (at once, on every replica). */
const env = useTestEnv({ worker: false });

const tenantAudit = async (tenant: string) =>
  (await env.http('GET', `/admin/tenants/${tenant}/audit-events?limit=200`)).body.items.filter((e: { userId: string | null }) => e.userId === null);

test('tenant settings changes are audited with before and after', async () => {
  const tenant = await env.tenant();
  expect((await env.http('PATCH', `/admin/tenants/${tenant}`, { body: { settings: { passwordPolicy: { minLength: 14 } } } })).status).toBe(200);
  const [event] = await tenantAudit(tenant);
  expect(event).toMatchObject({
    action: 'tenant.settings_changed',
    actor: { type: 'admin', id: 'platform' },
    data: { before: { settings: { passwordPolicy: { minLength: 12 } } }, after: { settings: { passwordPolicy: { minLength: 14 } } } },
  });
  // a PATCH that changes nothing audits nothing
  expect((await env.http('PATCH', `/admin/tenants/${tenant}`, { body: { settings: { passwordPolicy: { minLength: 14 } } } })).status).toBe(200);
  expect(await tenantAudit(tenant)).toHaveLength(1);
});

test('a tenant key may tighten its password policy but not weaken it', async () => {
  const tenant = await env.tenant();
  const key = (await env.http('POST', `/admin/tenants/${tenant}/api-keys`, { body: { name: 'helpdesk' } })).body.key as string;
  expect((await env.http('PATCH', `/admin/tenants/${tenant}`, { auth: key, body: { settings: { passwordPolicy: { minLength: 16, historyCount: 8 } } } })).status).toBe(200);
  for (const passwordPolicy of [{ minLength: 8 }, { historyCount: 0 }, { blockCommonPasswords: false }, { forbidPersonalInfo: false }]) {
    const res = await env.http('PATCH', `/admin/tenants/${tenant}`, { auth: key, body: { settings: { passwordPolicy } } });
    expect({ passwordPolicy, status: res.status, code: res.body.code }).toEqual({ passwordPolicy, status: 403, code: 'forbidden' });
  }
  expect((await env.http('GET', `/admin/tenants/${tenant}`)).body.settings.passwordPolicy).toMatchObject({ minLength: 16, historyCount: 8, blockCommonPasswords: true });
  // the platform key may
  expect((await env.http('PATCH', `/admin/tenants/${tenant}`, { body: { settings: { passwordPolicy: { minLength: 10 } } } })).status).toBe(200);
});

test('keys are listed without their secret, revoked once (idempotently), and a revoked key is refused at once by every replica', async () => {
  const tenant = await env.tenant();
  const created = await env.http('POST', `/admin/tenants/${tenant}/api-keys`, { body: { name: 'scim bridge' } });
  const { id, key } = created.body as { id: string; key: string };
  // a second API replica on the same database
  const replica = http.createServer(createApp(createHttpDeps(env.config, { pool: env.pool, temporal: env.client, log: silentLogger })));
  await new Promise<void>((r) => replica.listen(0, '127.0.0.1', r));
  const replicaUrl = `http://127.0.0.1:${(replica.address() as AddressInfo).port}`;
  const onReplica = (auth: string) => fetch(`${replicaUrl}/admin/tenants/${tenant}`, { headers: { authorization: `Bearer ${auth}` } });
  try {
    expect((await env.http('GET', `/admin/tenants/${tenant}`, { auth: key })).status).toBe(200);
    expect((await onReplica(key)).status).toBe(200);
    const listed = await env.http('GET', `/admin/tenants/${tenant}/api-keys`);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([{ id, name: 'scim bridge', createdAt: expect.any(String), lastUsedAt: expect.any(String) }]);
    expect(listed.text).not.toContain(key.slice(4));

    expect((await env.http('DELETE', `/admin/tenants/${tenant}/api-keys/${id}`)).status).toBe(204);
    expect((await env.http('DELETE', `/admin/tenants/${tenant}/api-keys/${id}`)).status).toBe(204);
    expect((await env.http('GET', `/admin/tenants/${tenant}`, { auth: key })).status).toBe(401);
    expect((await onReplica(key)).status).toBe(401);
    expect((await env.http('GET', `/admin/tenants/${tenant}/api-keys`)).body.items[0].revokedAt).toEqual(expect.any(String));
    expect((await env.http('DELETE', `/admin/tenants/${tenant}/api-keys/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    // a tenant key may not manage keys
    const other = (await env.http('POST', `/admin/tenants/${tenant}/api-keys`, { body: { name: 'other' } })).body.key as string;
    expect((await env.http('GET', `/admin/tenants/${tenant}/api-keys`, { auth: other })).status).toBe(403);
  } finally {
    replica.closeAllConnections();
    await new Promise((r) => replica.close(r));
  }
  const actions = (await tenantAudit(tenant)).map((e: { action: string; data: { keyId: string } }) => `${e.action}:${e.data.keyId === id ? 'scim' : 'other'}`);
  expect(actions.sort()).toEqual(['api_key.created:other', 'api_key.created:scim', 'api_key.revoked:scim']);
});
