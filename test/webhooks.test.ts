import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { ConfigError, loadConfig } from '../src/config';
import { DEFAULT_RETRY_SCHEDULE_SECONDS } from '../src/contract/webhooks';
import { checkWebhookUrl, classifyAddress, type Resolver } from '../src/security/webhookUrl';
import { sendWebhook } from '../src/security/webhookSender';
import { eventually, expectProblem, useTestEnv } from './support/env';
import { WebhookReceiver, type ReceivedWebhook } from './support/webhookReceiver';

/**
 * Outbound webhooks (api.md, "Outbound webhooks"; issue 20) through the real stack: the API,
 * PostgreSQL (the outbox trigger), the worker's dispatcher and delivery workflows, and a
 * receiver on 127.0.0.1 (WEBHOOK_ALLOW_LOOPBACK=true, as npm start sets it). The retry
 * schedule is shortened to seconds.
 */
const env = useTestEnv({
  webhooks: true,
  env: {
    WEBHOOK_ALLOW_LOOPBACK: 'true',
    WEBHOOK_RETRY_SCHEDULE_SECONDS: '0.2,0.3,0.5,0.5,0.5,0.5,0.5,0.5',
    WEBHOOK_DISPATCH_INTERVAL_MS: '500',
    WEBHOOK_TIMEOUT_MS: '2000',
  },
});

const receivers: WebhookReceiver[] = [];
async function receiver(): Promise<WebhookReceiver> {
  const r = new WebhookReceiver();
  await r.listen(0);
  receivers.push(r);
  return r;
}
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

const SECRET = /^whsec_[A-Za-z0-9+/]{43}=$/;

async function endpoint(tenantId: string, url: string, extra: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> {
  const res = await env.http('POST', `/admin/tenants/${tenantId}/webhook-endpoints`, { body: { url, ...extra } });
  expect(res.status).toBe(201);
  return { id: res.body.id, secret: res.body.secret };
}

/** An audit event of `tenantId` written through the API (a user created, then renamed: `user.updated`). */
async function auditSomething(tenantId: string, name = 'Renamed Person'): Promise<string> {
  const user = await env.user(tenantId, { federated: true });
  const res = await env.http('PATCH', `/admin/tenants/${tenantId}/users/${user.id}`, { body: { displayName: name } });
  expect(res.status).toBe(200);
  return user.id;
}

async function deliveries(tenantId: string, endpointId: string, query = ''): Promise<any[]> {
  const res = await env.http('GET', `/admin/tenants/${tenantId}/webhook-endpoints/${endpointId}/deliveries?limit=200${query}`);
  expect(res.status).toBe(200);
  return res.body.items;
}

function verify(secret: string, r: ReceivedWebhook): unknown {
  return new Webhook(secret).verify(r.body, { 'webhook-id': r.headers['webhook-id']!, 'webhook-timestamp': r.headers['webhook-timestamp']!, 'webhook-signature': r.headers['webhook-signature']! });
}

test('an endpoint is created with a secret shown once; reads and lists never show it', async () => {
  const t = await env.tenant();
  const rx = await receiver();
  const res = await env.http('POST', `/admin/tenants/${t}/webhook-endpoints`, { body: { url: rx.url, description: 'CRM' } });
  expect(res.status).toBe(201);
  expect(res.body).toEqual(expect.objectContaining({ id: expect.any(String), url: rx.url, description: 'CRM', enabled: true, allEventTypes: true, createdAt: expect.any(String) }));
  expect(res.body.secret).toMatch(SECRET);
  expect(Buffer.from(res.body.secret.slice(6), 'base64')).toHaveLength(32);
  expect(res.body.eventTypes).toEqual(expect.arrayContaining(['user.updated', 'webhook_endpoint.disabled']));
  const one = await env.http('GET', `/admin/tenants/${t}/webhook-endpoints/${res.body.id}`);
  const list = await env.http('GET', `/admin/tenants/${t}/webhook-endpoints`);
  expect(one.status).toBe(200);
  expect(list.body.items.map((e: any) => e.id)).toEqual([res.body.id]);
  for (const body of [one.text, list.text]) {
    expect(body).not.toContain(res.body.secret);
    expect(body).not.toContain('secret"');
  }
  const audit = await env.audit(t);
  expect(audit.filter((e) => e.action === 'webhook_endpoint.created')).toEqual([
    expect.objectContaining({ data: { endpointId: res.body.id, url: rx.url } }),
  ]);
  // an unknown field, a wrong type and an unknown event type are 400s
  expect((await env.http('POST', `/admin/tenants/${t}/webhook-endpoints`, { body: { url: rx.url, secret: 'mine' } })).status).toBe(400);
  expect((await env.http('POST', `/admin/tenants/${t}/webhook-endpoints`, { body: { url: 42 } })).status).toBe(400);
  expect((await env.http('POST', `/admin/tenants/${t}/webhook-endpoints`, { body: { url: rx.url, eventTypes: ['no.such'] } })).status).toBe(400);
  expect((await env.http('GET', `/admin/tenants/${t}/webhook-endpoints/not-a-uuid`)).status).toBe(400);
  expect((await env.http('GET', `/admin/tenants/${t}/webhook-endpoints/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
});

test('every audit event is delivered signed as Standard Webhooks says, its body the event as GET audit-events shows it; a wrong secret is refused', async () => {
  const t = await env.tenant();
  const rx = await receiver();
  const ep = await endpoint(t, rx.url);
  const userId = await auditSomething(t);
  const got = await eventually(async () => rx.ofType('user.updated')[0], 'the user.updated webhook');
  const event = (await env.audit(t)).find((e) => e.action === 'user.updated' && e.userId === userId)!;
  expect(got.headers['webhook-id']).toBe(event.id);
  expect(got.headers['content-type']).toBe('application/json');
  expect(Number(got.headers['webhook-timestamp'])).toBeGreaterThan(Date.now() / 1000 - 60);
  expect(got.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
  expect(verify(ep.secret, got)).toEqual({ type: 'user.updated', timestamp: event.occurredAt, data: event });
  expect(got.json).toEqual({ type: 'user.updated', timestamp: event.occurredAt, data: event });
  // another secret, a changed body or a changed id: refused
  const other = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
  expect(() => verify(other, got)).toThrow(WebhookVerificationError);
  expect(() => verify(ep.secret, { ...got, body: got.body.replace('Renamed', 'Renamad') })).toThrow(WebhookVerificationError);
  expect(() => verify(ep.secret, { ...got, headers: { ...got.headers, 'webhook-id': 'x' } })).toThrow(WebhookVerificationError);
  // the endpoint's own creation was delivered to it too
  await eventually(async () => rx.ofType('webhook_endpoint.created')[0], 'webhook_endpoint.created');
  const items = await eventually(async () => {
    const d = await deliveries(t, ep.id);
    return d.find((x) => x.eventId === event.id && x.state === 'succeeded');
  }, 'the delivery recorded as succeeded');
  expect(items).toEqual(expect.objectContaining({ eventType: 'user.updated', attempts: 1, lastStatus: 200, workflowId: expect.stringMatching(/^webhook-delivery-/) }));
  expect(items.nextAttemptAt).toBeUndefined();
});

test('an endpoint subscribed to some actions receives those only; a disabled one receives nothing', async () => {
  const t = await env.tenant();
  const some = await receiver();
  const off = await receiver();
  await endpoint(t, some.url, { eventTypes: ['api_key.created'] });
  await endpoint(t, off.url, { enabled: false });
  await auditSomething(t);
  const key = await env.http('POST', `/admin/tenants/${t}/api-keys`, { body: { name: 'ci' } });
  expect(key.status).toBe(201);
  await eventually(async () => some.ofType('api_key.created')[0], 'api_key.created');
  // the user.updated event, written before, has had every chance to go out
  expect(some.received.map((r) => r.json.type)).toEqual(['api_key.created']);
  expect(off.received).toEqual([]);
});

test('a failing receiver is retried with the same webhook-id until it answers 2xx', async () => {
  const t = await env.tenant();
  const rx = await receiver();
  let calls = 0;
  rx.respond = ({ json }) => (json?.type === 'user.updated' && ++calls <= 2 ? 503 : 200);
  const ep = await endpoint(t, rx.url, { eventTypes: ['user.updated'] });
  await auditSomething(t);
  const delivery = await eventually(async () => (await deliveries(t, ep.id)).find((d) => d.state === 'succeeded'), 'success after two 503s');
  const attempts = rx.ofType('user.updated');
  expect(attempts.map((a) => a.status)).toEqual([503, 503, 200]);
  expect(new Set(attempts.map((a) => a.headers['webhook-id'])).size).toBe(1);
  expect(attempts[0]!.body).toBe(attempts[2]!.body);
  expect(delivery).toEqual(expect.objectContaining({ attempts: 3, lastStatus: 200 }));
  expect(verify(ep.secret, attempts[2]!)).toBeDefined();
});

test('a receiver that is down, then up, gets every event', async () => {
  const t = await env.tenant();
  const rx = await receiver();
  const ep = await endpoint(t, rx.url, { eventTypes: ['user.updated'] });
  await rx.close();
  for (let i = 0; i < 5; i++) await auditSomething(t, `Person ${i}`);
  // every delivery has failed at least once against the closed port
  await eventually(async () => {
    const d = await deliveries(t, ep.id);
    return d.length === 5 && d.every((x) => x.attempts >= 1 && x.state === 'pending' && x.lastError) ? d : undefined;
  }, 'five failed first attempts');
  await rx.listen();
  const done = await eventually(async () => {
    const d = await deliveries(t, ep.id);
    return d.every((x) => x.state === 'succeeded') ? d : undefined;
  }, 'every delivery succeeded', 60_000);
  expect(done).toHaveLength(5);
  const names = rx.ofType('user.updated').map((r) => r.json.data.data.after.displayName);
  expect(new Set(names)).toEqual(new Set([0, 1, 2, 3, 4].map((i) => `Person ${i}`)));
});

test('410 Gone disables the endpoint at once, audited webhook_endpoint.disabled by the webhook-delivery actor', async () => {
  const t = await env.tenant();
  const rx = await receiver();
  rx.respond = () => 410;
  const ep = await endpoint(t, rx.url, { eventTypes: ['user.updated'] });
  await auditSomething(t);
  const disabled = await eventually(async () => {
    const res = await env.http('GET', `/admin/tenants/${t}/webhook-endpoints/${ep.id}`);
    return res.body.enabled === false ? res.body : undefined;
  }, 'the endpoint disabled');
  expect(disabled.disabledReason).toMatch(/410/);
  expect(rx.received).toHaveLength(1);
  const [d] = await deliveries(t, ep.id);
  expect(d).toEqual(expect.objectContaining({ state: 'failed', attempts: 1, lastStatus: 410 }));
  const audit = await env.audit(t);
  expect(audit.filter((e) => e.action === 'webhook_endpoint.disabled')).toEqual([
    expect.objectContaining({ actor: { type: 'system', id: 'webhook-delivery' }, data: expect.objectContaining({ endpointId: ep.id, reason: expect.stringMatching(/410/) }) }),
  ]);
  // a later event is not delivered to it; enabling it again clears the reason
  await auditSomething(t);
  const enabled = await env.http('PATCH', `/admin/tenants/${t}/webhook-endpoints/${ep.id}`, { body: { enabled: true } });
  expect(enabled.body).toEqual(expect.objectContaining({ enabled: true }));
  expect(enabled.body.disabledReason).toBeUndefined();
  expect(await deliveries(t, ep.id)).toHaveLength(1);
});

test('an endpoint that has failed every delivery for 5 days is disabled at its next failure', async () => {
  const t = await env.tenant();
  const rx = await receiver();
  rx.respond = () => 500;
  const ep = await endpoint(t, rx.url, { eventTypes: ['user.updated'] });
  await env.pool.query(`UPDATE webhook_endpoints SET failing_since = now() - interval '5 days 1 minute' WHERE id = $1`, [ep.id]);
  await auditSomething(t);
  const disabled = await eventually(async () => {
    const res = await env.http('GET', `/admin/tenants/${t}/webhook-endpoints/${ep.id}`);
    return res.body.enabled === false ? res.body : undefined;
  }, 'the endpoint disabled');
  expect(disabled.disabledReason).toMatch(/5 days/);
  expect(count(await env.audit(t), 'webhook_endpoint.disabled')).toBe(1);
  // a success in between would have cleared the streak
  const ok = await receiver();
  const ep2 = await endpoint(t, ok.url, { eventTypes: ['user.updated'] });
  await env.pool.query(`UPDATE webhook_endpoints SET failing_since = now() - interval '6 days' WHERE id = $1`, [ep2.id]);
  await auditSomething(t);
  await eventually(async () => ((await deliveries(t, ep2.id)).some((d) => d.state === 'succeeded') ? true : undefined), 'delivered');
  const { rows } = await env.pool.query('SELECT failing_since, enabled FROM webhook_endpoints WHERE id = $1', [ep2.id]);
  expect(rows[0]).toEqual({ failing_since: null, enabled: true });
});

function count(events: readonly { action: string }[], action: string): number {
  return events.filter((e) => e.action === action).length;
}

test('after the schedule is spent a delivery is failed; a manual retry sends it again with the same webhook-id', async () => {
  const t = await env.tenant();
  const rx = await receiver();
  rx.respond = () => 500;
  const ep = await endpoint(t, rx.url, { eventTypes: ['user.updated'] });
  await auditSomething(t);
  const failed = await eventually(async () => (await deliveries(t, ep.id)).find((d) => d.state === 'failed'), 'the delivery failed', 60_000);
  expect(failed).toEqual(expect.objectContaining({ attempts: 9, lastStatus: 500, lastError: 'HTTP 500' }));
  expect(rx.received).toHaveLength(9);
  const retryPath = `/admin/tenants/${t}/webhook-endpoints/${ep.id}/deliveries/${failed.id}/retry`;
  rx.respond = () => 204;
  expect((await env.http('POST', retryPath)).status).toBe(202);
  const again = await eventually(async () => (await deliveries(t, ep.id)).find((d) => d.state === 'succeeded'), 'retried and delivered');
  expect(again.workflowId).toBe(`webhook-delivery-${failed.id}/retry-1`);
  expect(again.attempts).toBe(10);
  expect(new Set(rx.received.map((r) => r.headers['webhook-id']))).toEqual(new Set([failed.eventId]));
  // only a failed delivery can be retried
  expectProblem(await env.http('POST', retryPath), 409, 'webhook_delivery_not_failed');
  expect((await env.http('POST', `/admin/tenants/${t}/webhook-endpoints/${ep.id}/deliveries/00000000-0000-4000-8000-000000000000/retry`)).status).toBe(404);
});

test('a test event goes to that endpoint alone; deliveries are listed newest first, page by page, and filtered by state', async () => {
  const t = await env.tenant();
  const rx = await receiver();
  const other = await receiver();
  const ep = await endpoint(t, rx.url, { eventTypes: ['api_key.created'] });
  await endpoint(t, other.url, { eventTypes: ['api_key.created'] });
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const res = await env.http('POST', `/admin/tenants/${t}/webhook-endpoints/${ep.id}/test`);
    expect(res.status).toBe(202);
    ids.push(res.body.deliveryId);
  }
  await eventually(async () => (rx.ofType('webhook.test').length === 3 ? true : undefined), 'three test events');
  const got = rx.ofType('webhook.test')[0]!;
  expect(got.json).toEqual({ type: 'webhook.test', timestamp: expect.any(String), data: expect.objectContaining({ action: 'webhook.test', tenantId: t }) });
  expect(verify(ep.secret, got)).toBeDefined();
  expect(other.received).toEqual([]);
  const page1 = await env.http('GET', `/admin/tenants/${t}/webhook-endpoints/${ep.id}/deliveries?limit=2`);
  expect(page1.body.items.map((d: any) => d.id)).toEqual([ids[2], ids[1]]);
  const page2 = await env.http('GET', `/admin/tenants/${t}/webhook-endpoints/${ep.id}/deliveries?limit=2&cursor=${page1.body.nextCursor}`);
  expect(page2.body).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
  await eventually(async () => ((await deliveries(t, ep.id, '&state=succeeded')).length === 3 ? true : undefined), 'three succeeded');
  expect(await deliveries(t, ep.id, '&state=failed')).toEqual([]);
  expect((await env.http('GET', `/admin/tenants/${t}/webhook-endpoints/${ep.id}/deliveries?state=lost`)).status).toBe(400);
});

test('after a rotation both secrets sign, space-separated, for 24 h; the new secret is shown once', async () => {
  const t = await env.tenant();
  const rx = await receiver();
  const ep = await endpoint(t, rx.url, { eventTypes: ['user.updated'] });
  const rotated = await env.http('POST', `/admin/tenants/${t}/webhook-endpoints/${ep.id}/rotate-secret`);
  expect(rotated.status).toBe(200);
  expect(rotated.body.secret).toMatch(SECRET);
  expect(rotated.body.secret).not.toBe(ep.secret);
  const expires = Date.parse(rotated.body.previousSecretExpiresAt);
  expect(Math.abs(expires - Date.now() - 24 * 3600_000)).toBeLessThan(60_000);
  await auditSomething(t);
  const got = await eventually(async () => rx.ofType('user.updated')[0], 'delivered after rotation');
  const signatures = got.headers['webhook-signature']!.split(' ');
  expect(signatures).toHaveLength(2);
  expect(verify(rotated.body.secret, got)).toBeDefined();
  expect(verify(ep.secret, got)).toBeDefined();
  // once the 24 h are over, only the new secret signs
  await env.pool.query(`UPDATE webhook_endpoints SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1`, [ep.id]);
  await auditSomething(t, 'Later Person');
  const later = await eventually(async () => rx.ofType('user.updated').find((r) => r.body.includes('Later Person')), 'delivered after expiry');
  expect(later.headers['webhook-signature']!.split(' ')).toHaveLength(1);
  expect(verify(rotated.body.secret, later)).toBeDefined();
  expect(() => verify(ep.secret, later)).toThrow(WebhookVerificationError);
  const audit = await env.audit(t);
  expect(audit.find((e) => e.action === 'webhook_endpoint.updated')).toEqual(expect.objectContaining({ data: expect.objectContaining({ endpointId: ep.id, reason: 'secret rotated' }) }));
});

test('SSRF: private, loopback (without WEBHOOK_ALLOW_LOOPBACK), link-local and metadata addresses and plain http elsewhere are refused 422', async () => {
  const t = await env.tenant();
  for (const url of [
    'https://10.1.2.3/hook', 'https://192.168.0.10/hook', 'https://172.16.5.5/', 'https://169.254.169.254/latest/meta-data', 'https://[fe80::1]/x',
    'https://169.254.10.10/', 'https://[fd00::1]/', 'https://0.0.0.0/', 'https://[::ffff:10.0.0.1]/', 'http://93.184.216.34/hook', 'ftp://127.0.0.1/',
    'https://user:pw@127.0.0.1/', 'not a url', 'https://no-such-host.invalid/',
  ]) {
    const res = await env.http('POST', `/admin/tenants/${t}/webhook-endpoints`, { body: { url } });
    expect({ url, status: res.status, code: res.body.code }).toEqual({ url, status: 422, code: 'webhook_url_forbidden' });
    expectProblem(res, 422, 'webhook_url_forbidden');
  }
  const rx = await receiver();
  const ep = await endpoint(t, rx.url);
  expectProblem(await env.http('PATCH', `/admin/tenants/${t}/webhook-endpoints/${ep.id}`, { body: { url: 'https://169.254.169.254/' } }), 422, 'webhook_url_forbidden');
  expect((await env.http('GET', `/admin/tenants/${t}/webhook-endpoints/${ep.id}`)).body.url).toBe(rx.url);
  // nothing refused was stored or audited
  expect((await env.http('GET', `/admin/tenants/${t}/webhook-endpoints`)).body.items).toHaveLength(1);
  expect(count(await env.audit(t), 'webhook_endpoint.created')).toBe(1);
});

test('SSRF without WEBHOOK_ALLOW_LOOPBACK: a name resolving to loopback is refused, at creation and at delivery (DNS rebinding), and the connection goes to the address checked', async () => {
  expect(['127.0.0.1', '::1', '10.0.0.1', '169.254.169.254', 'fe80::1', '100.64.0.1', '8.8.8.8', '::ffff:127.0.0.1'].map(classifyAddress))
    .toEqual(['loopback', 'loopback', 'private', 'metadata', 'link_local', 'private', 'public', 'loopback']);
  const strict = { allowLoopback: false };
  expect(await checkWebhookUrl('https://localhost/hook', strict)).toEqual({ ok: false, reason: expect.stringMatching(/loopback/) });
  expect(await checkWebhookUrl('http://127.0.0.1/hook', { allowLoopback: true })).toEqual(expect.objectContaining({ ok: true }));
  expect(await checkWebhookUrl('http://127.0.0.1/hook', strict)).toEqual({ ok: false, reason: expect.stringMatching(/https/) });

  // a name that answers a public address first (the check at creation), then 127.0.0.1 (at delivery)
  const rx = await receiver();
  let calls = 0;
  const rebinding: Resolver = async () => [{ address: calls++ === 0 ? '93.184.216.34' : '127.0.0.1', family: 4 }];
  const policy = { allowLoopback: false, resolver: rebinding };
  expect(await checkWebhookUrl(`https://rebind.example:${rx.port}/hooks`, policy)).toEqual(expect.objectContaining({ ok: true }));
  const sent = await sendWebhook({ url: `https://rebind.example:${rx.port}/hooks`, id: 'msg_1', body: '{}', secrets: ['whsec_' + Buffer.alloc(32).toString('base64')], policy, now: new Date() });
  expect(sent).toEqual({ kind: 'forbidden_address', detail: expect.stringMatching(/loopback/) });
  expect(rx.received).toEqual([]);

  // with loopback allowed, a made-up name resolved by the injected resolver reaches the receiver: the connection used the checked address
  const pinned = await sendWebhook({
    url: `http://made-up.test:${rx.port}/hooks`, id: 'msg_2', body: '{"a":1}', secrets: ['whsec_' + Buffer.alloc(32).toString('base64')],
    policy: { allowLoopback: true, resolver: async () => [{ address: '127.0.0.1', family: 4 }] }, now: new Date(),
  });
  expect(pinned).toEqual({ kind: 'answered', status: 200, snippet: 'ok' });
  expect(rx.received.map((r) => r.headers['webhook-id'])).toEqual(['msg_2']);
});

test('a redirect is not followed: it counts as a failed attempt', async () => {
  const t = await env.tenant();
  const target = await receiver();
  const rx = await receiver();
  let first = true;
  rx.respond = () => {
    if (!first) return 200;
    first = false;
    return { status: 302, headers: { location: target.url } };
  };
  const ep = await endpoint(t, rx.url, { eventTypes: ['user.updated'] });
  await auditSomething(t);
  await eventually(async () => ((await deliveries(t, ep.id)).some((d) => d.state === 'succeeded') ? true : undefined), 'delivered on the second attempt');
  expect(rx.received.map((r) => r.status)).toEqual([302, 200]);
  expect(target.received).toEqual([]);
});

test('an endpoint never receives another tenant’s events, and another tenant’s key cannot see or touch it', async () => {
  const a = await env.tenant();
  const b = await env.tenant();
  const rxA = await receiver();
  const rxB = await receiver();
  const epA = await endpoint(a, rxA.url, { eventTypes: ['user.updated'] });
  await endpoint(b, rxB.url, { eventTypes: ['user.updated'] });
  await auditSomething(a, 'Alice A');
  await auditSomething(b, 'Bob B');
  await eventually(async () => (rxA.received.length === 1 && rxB.received.length === 1 ? true : undefined), 'one event each');
  expect(rxA.received[0]!.json.data.tenantId).toBe(a);
  expect(rxB.received[0]!.json.data.tenantId).toBe(b);
  const keyB = (await env.http('POST', `/admin/tenants/${b}/api-keys`, { body: { name: 'b' } })).body.key as string;
  for (const [method, path] of [
    ['GET', `/admin/tenants/${a}/webhook-endpoints`], ['GET', `/admin/tenants/${b}/webhook-endpoints/${epA.id}`],
    ['PATCH', `/admin/tenants/${b}/webhook-endpoints/${epA.id}`], ['DELETE', `/admin/tenants/${b}/webhook-endpoints/${epA.id}`],
    ['POST', `/admin/tenants/${b}/webhook-endpoints/${epA.id}/test`], ['POST', `/admin/tenants/${b}/webhook-endpoints/${epA.id}/rotate-secret`],
    ['GET', `/admin/tenants/${b}/webhook-endpoints/${epA.id}/deliveries`],
  ] as const) {
    const res = await env.http(method, path, { auth: keyB, ...(method === 'PATCH' ? { body: { description: 'mine' } } : {}) });
    expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
  }
  expect((await env.http('GET', `/admin/tenants/${b}/webhook-endpoints`, { auth: keyB })).body.items).toHaveLength(1);
});

test('deleting an endpoint stops its deliveries and is audited', async () => {
  const t = await env.tenant();
  const rx = await receiver();
  rx.respond = () => 500;
  const ep = await endpoint(t, rx.url, { eventTypes: ['user.updated'] });
  await auditSomething(t);
  await eventually(async () => (rx.received.length >= 1 ? true : undefined), 'a first attempt');
  expect((await env.http('DELETE', `/admin/tenants/${t}/webhook-endpoints/${ep.id}`)).status).toBe(204);
  expect((await env.http('GET', `/admin/tenants/${t}/webhook-endpoints/${ep.id}`)).status).toBe(404);
  const audit = await env.audit(t);
  expect(audit.filter((e) => e.action === 'webhook_endpoint.deleted')).toEqual([expect.objectContaining({ data: { endpointId: ep.id, url: rx.url } })]);
  const { rows } = await env.pool.query('SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1', [ep.id]);
  expect(rows[0].n).toBe(0);
});

test('no secret in any workflow history, audit row, log line or stored column', async () => {
  const t = await env.tenant();
  const rx = await receiver();
  const ep = await endpoint(t, rx.url);
  const rotated = (await env.http('POST', `/admin/tenants/${t}/webhook-endpoints/${ep.id}/rotate-secret`)).body.secret as string;
  await auditSomething(t);
  await env.http('POST', `/admin/tenants/${t}/webhook-endpoints/${ep.id}/test`);
  await eventually(async () => (rx.ofType('webhook.test').length === 1 && rx.ofType('user.updated').length === 1 ? true : undefined), 'delivered');
  const secrets = [ep.secret, rotated, ep.secret.slice(6), rotated.slice(6)];
  const histories: string[] = [];
  for await (const wf of env.client.workflow.list({ query: `TenantId = "${t}" AND WorkflowType = "webhookDeliveryWorkflow"` })) {
    const history = await env.client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
    histories.push(JSON.stringify(history));
  }
  expect(histories.length).toBeGreaterThanOrEqual(2);
  const audit = JSON.stringify(await env.audit(t));
  const { rows } = await env.pool.query('SELECT row_to_json(e)::text AS j FROM webhook_endpoints e WHERE id = $1', [ep.id]);
  for (const s of secrets) {
    for (const h of histories) expect(h).not.toContain(s);
    expect(audit).not.toContain(s);
    expect(env.logLines.join('\n')).not.toContain(s);
    expect(rows[0].j).not.toContain(s);
  }
});

test('the Web UI finds deliveries by tenant, endpoint and event type; /metrics shows the oldest pending delivery', async () => {
  const t = await env.tenant();
  const rx = await receiver();
  const ep = await endpoint(t, rx.url, { eventTypes: ['user.updated'] });
  await auditSomething(t);
  await eventually(async () => (rx.received.length === 1 ? true : undefined), 'delivered');
  const found = await eventually(async () => {
    const ids: string[] = [];
    for await (const wf of env.client.workflow.list({ query: `WebhookEndpointId = "${ep.id}" AND EventType = "user.updated" AND TenantId = "${t}"` })) ids.push(wf.workflowId);
    return ids.length === 1 ? ids : undefined;
  }, 'the workflow by its search attributes');
  expect(found[0]).toMatch(/^webhook-delivery-/);
  const metrics = await env.http('GET', '/metrics', { auth: null });
  expect(metrics.text).toMatch(/^resetflow_webhook_oldest_pending_delivery_age_seconds \d/m);
});

test('the default retry schedule lasts more than 24 h; WEBHOOK_* settings are validated', () => {
  const total = DEFAULT_RETRY_SCHEDULE_SECONDS.reduce((a, b) => a + b, 0);
  expect(total).toBeGreaterThan(24 * 3600);
  const base = { NODE_ENV: 'test', DATABASE_URL: 'postgres://x@127.0.0.1/x', ADMIN_API_KEY: 'k'.repeat(32), SECRETS_KEY: Buffer.alloc(32, 1).toString('base64') };
  expect(loadConfig(base).webhooks).toEqual({ allowLoopback: false, retryScheduleSeconds: DEFAULT_RETRY_SCHEDULE_SECONDS, disableAfterMs: 5 * 24 * 3600_000, timeoutMs: 10_000, dispatchIntervalMs: 5000 });
  expect(loadConfig({ ...base, WEBHOOK_ALLOW_LOOPBACK: 'true', WEBHOOK_RETRY_SCHEDULE_SECONDS: '1,2.5' }).webhooks).toEqual(expect.objectContaining({ allowLoopback: true, retryScheduleSeconds: [1, 2.5] }));
  expect(() => loadConfig({ ...base, WEBHOOK_RETRY_SCHEDULE_SECONDS: 'soon' })).toThrow(ConfigError);
  expect(() => loadConfig({ ...base, WEBHOOK_ALLOW_LOOPBACK: 'yes' })).toThrow(ConfigError);
});
