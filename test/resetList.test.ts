import { eventually, INITIAL, useTestEnv } from './support/env';

const env = useTestEnv();

test("GET /admin/tenants/{t}/password-resets: the tenant's resets, newest first, as the single reset shows them, by state, user and delivery", async () => {
  const tenant = await env.tenant();
  const base = `/admin/tenants/${tenant}`;
  const send = async (userId: string) => {
    const res = await env.http('POST', `${base}/users/${userId}/password-reset-email`, { body: {} });
    expect(res.status).toBe(202);
    return res.body.resetId as string;
  };
  const ada = await env.user(tenant, { password: INITIAL });
  const bob = await env.user(tenant, { password: INITIAL });
  const cy = await env.user(tenant, { password: INITIAL, email: 'hardbounce@bounce-testing.postmarkapp.com' });

  const cancelled = await send(ada.id);
  await env.resetLink(ada.email);
  expect((await env.http('DELETE', `${base}/users/${ada.id}/password-reset-email`)).status).toBe(200);
  const expired = await send(bob.id);
  // past its expiry in the database: shown as expired before its workflow's timer records it
  await env.pool.query(`UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired]);
  const bounced = await send(cy.id);
  await eventually(async () => ((await env.http('GET', `${base}/password-resets/${bounced}`)).body.state === 'cancelled' ? true : undefined), 'bounce cancels');
  const pending = await send(ada.id);
  await eventually(async () => ((await env.http('GET', `${base}/password-resets/${pending}`)).body.delivery.state === 'delivered' ? true : undefined), 'delivered');

  const all = await env.http('GET', `${base}/password-resets`);
  expect(all.status).toBe(200);
  expect(all.body.items.map((r: any) => [r.resetId, r.state])).toEqual([[pending, 'pending'], [bounced, 'cancelled'], [expired, 'expired'], [cancelled, 'cancelled']]);
  expect(all.body.nextCursor).toBeNull();
  // each item is the single reset
  for (const item of all.body.items) expect(item).toEqual((await env.http('GET', `${base}/password-resets/${item.resetId}`)).body);
  expect(all.body.items[1]).toMatchObject({ userId: cy.id, delivery: { state: 'bounced', bounceType: 'HardBounce' } });

  const ids = async (q: string) => {
    const res = await env.http('GET', `${base}/password-resets?${q}`);
    expect(res.status).toBe(200);
    return res.body.items.map((r: any) => r.resetId);
  };
  expect(await ids('state=pending')).toEqual([pending]);
  expect(await ids('state=expired')).toEqual([expired]);
  expect(await ids('state=cancelled')).toEqual([bounced, cancelled]);
  expect(await ids('state=completed')).toEqual([]);
  expect(await ids(`userId=${ada.id}`)).toEqual([pending, cancelled]);
  expect(await ids('delivery=bounced,complained,failed')).toEqual([bounced]);
  expect(await ids(`state=cancelled&userId=${ada.id}`)).toEqual([cancelled]);

  // keyset pages
  const first = await env.http('GET', `${base}/password-resets?limit=3`);
  expect(first.body.items.map((r: any) => r.resetId)).toEqual([pending, bounced, expired]);
  const second = await env.http('GET', `${base}/password-resets?limit=3&cursor=${first.body.nextCursor}`);
  expect(second.body.items.map((r: any) => r.resetId)).toEqual([cancelled]);
  expect(second.body.nextCursor).toBeNull();

  for (const q of ['state=lost', 'delivery=maybe', 'delivery=', 'userId=not-a-uuid', 'limit=0', 'cursor=garbage']) {
    const res = await env.http('GET', `${base}/password-resets?${q}`);
    expect({ q, status: res.status, code: res.body.code }).toEqual({ q, status: 400, code: 'invalid_request' });
  }
  // another tenant's key sees nothing of it
  const other = await env.tenant();
  const key = await env.http('POST', `/admin/tenants/${other}/api-keys`, { body: { name: 'other' } });
  expect((await env.http('GET', `${base}/password-resets`, { auth: key.body.key })).status).toBe(404);
  expect((await env.http('GET', `/admin/tenants/${other}/password-resets`, { auth: key.body.key })).body.items).toEqual([]);
});
