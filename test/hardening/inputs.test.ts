import { expectProblem, INITIAL, useTestEnv } from '../support/env';

/** Bad input is a 400 (or 415), never a 500, and nothing is written. */
const env = useTestEnv({ worker: false });
let tenant: string;
let user: { id: string; email: string };
beforeAll(async () => {
  tenant = await env.tenant();
  user = await env.user(tenant, { password: INITIAL });
});

test('a body with a non-JSON content type is 415, whatever the route', async () => {
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
    expectProblem(await env.http('POST', `/admin/tenants/${tenant}/users`, { rawBody: 'email=x@example.com', headers: { 'content-type': type } }), 415, 'unsupported_media_type');
  }
  expectProblem(await env.http('POST', '/auth/sign-in', { rawBody: '{}', headers: { 'content-type': 'text/plain' }, auth: null }), 415, 'unsupported_media_type');
  expectProblem(await env.http('POST', `/admin/tenants/${tenant}/users`, { rawBody: '{}', headers: { 'content-type': 'application/json; charset=latin1' } }), 415, 'unsupported_media_type');
  // no body at all needs no content type
  expect((await env.http('POST', `/admin/tenants/${tenant}/password-rotation/run`)).status).toBe(404);
});

test('NUL bytes and lone surrogates in any string are 400, and nothing is stored', async () => {
  const before = (await env.pool.query('SELECT count(*)::int AS n FROM users WHERE tenant_id = $1', [tenant])).rows[0].n;
  for (const body of [
    { email: 'nul@example.com', displayName: 'Ada\u0000Lovelace', password: INITIAL },
    { email: 'lone@example.com', displayName: 'Ada \uD800 Lovelace', password: INITIAL },
    { email: 'x@example.com', password: `glacier\u0000ticket` },
  ]) expectProblem(await env.http('POST', `/admin/tenants/${tenant}/users`, { body }), 400, 'invalid_request');
  expectProblem(await env.http('POST', '/auth/sign-in', { body: { tenant, email: 'a\u0000@example.com', password: INITIAL }, auth: null }), 400, 'invalid_request');
  expectProblem(await env.http('GET', `/admin/tenants/${tenant}/users?q=%00`), 400, 'invalid_request');
  expectProblem(await env.http('PATCH', `/admin/tenants/${tenant}`, { body: { name: 'Evil\u0000Corp' } }), 400, 'invalid_request');
  expect((await env.pool.query('SELECT count(*)::int AS n FROM users WHERE tenant_id = $1', [tenant])).rows[0].n).toBe(before);
});

test('bidi overrides and control characters are refused in names shown to people', async () => {
  expectProblem(await env.http('POST', `/admin/tenants/${tenant}/users`, { body: { email: 'bidi@example.com', displayName: 'Invoice \u202Egpj.exe', password: INITIAL } }), 400, 'invalid_request');
  expectProblem(await env.http('PATCH', `/admin/tenants/${tenant}`, { body: { name: 'Acme\u2066 Corp' } }), 400, 'invalid_request');
  expectProblem(await env.http('POST', `/admin/tenants/${tenant}/api-keys`, { body: { name: 'key\u0007' } }), 400, 'invalid_request');
  expectProblem(await env.http('POST', '/admin/tenants', { body: { id: 'bidi-tenant', name: 'Bidi\u202D' } }), 400, 'invalid_request');
  // ordinary non-Latin names are fine
  expect((await env.http('POST', `/admin/tenants/${tenant}/users`, { body: { email: 'ok@example.com', displayName: 'Зоя Ковалёва 🐢', password: INITIAL } })).status).toBe(201);
});

test('dates PostgreSQL or JavaScript cannot represent are 400 (a bulk run with them used to retry forever)', async () => {
  for (const passwordSetBefore of ['0000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', '1899-12-31T23:59:59Z', '2016-12-31T23:59:60Z', '9999-13-01T00:00:00Z']) {
    expectProblem(await env.http('POST', `/admin/tenants/${tenant}/force-password-reset`, { body: { filter: { passwordSetBefore } } }), 400, 'invalid_request');
  }
  expect((await env.pool.query('SELECT count(*)::int AS n FROM bulk_operations WHERE tenant_id = $1', [tenant])).rows[0].n).toBe(0);
});

test('cron expressions and time zones that Temporal would refuse are 400 on their field', async () => {
  for (const [body, field] of [
    [{ cron: '0 0 L * *', maxPasswordAgeDays: 90 }, 'cron'],
    [{ cron: '0 0 * * 1#2', maxPasswordAgeDays: 90 }, 'cron'],
    [{ cron: '@every 5m', maxPasswordAgeDays: 90 }, 'cron'],
    [{ cron: '0 3 * * 1', timezone: 'utc', maxPasswordAgeDays: 90 }, 'timezone'],
    [{ cron: '0 3 * * 1', timezone: 'Etc/Unknown', maxPasswordAgeDays: 90 }, 'timezone'],
  ] as const) {
    const res = await env.http('PUT', `/admin/tenants/${tenant}/password-rotation`, { body });
    expectProblem(res, 400, 'invalid_request');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  }
});

test('cursors that decode to impossible values are 400', async () => {
  const cursor = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  for (const c of [cursor({ seq: 1e300 }), cursor({ seq: -5 }), cursor({ seq: '1; DROP TABLE' }), 'not-base64-json!!', cursor([1, 2])]) {
    expectProblem(await env.http('GET', `/admin/tenants/${tenant}/audit-events?cursor=${c}`), 400, 'invalid_request');
  }
  for (const c of [cursor({ createdAt: '0000-01-01T00:00:00Z', id: user.id }), cursor({ createdAt: '2026-01-01T00:00:00Z', id: 'x' })]) {
    expectProblem(await env.http('GET', `/admin/tenants/${tenant}/users?cursor=${c}`), 400, 'invalid_request');
  }
});

test('malformed cookies on the end-user pages are no session, not a 500', async () => {
  for (const cookie of ['rf_session=%E0%A4%A', 'rf_session=%', `rf_session=${'x'.repeat(6000)}`, 'rf_session=a; rf_session=b']) {
    const signedIn = await fetch(`${env.baseUrl}/signed-in?tenant=${tenant}`, { headers: { cookie } });
    expect({ cookie: cookie.slice(0, 20), status: signedIn.status }).toEqual({ cookie: cookie.slice(0, 20), status: 200 });
    expect(await signedIn.text()).toContain('not signed in');
    const out = await fetch(`${env.baseUrl}/sign-out`, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: `tenant=${tenant}`, redirect: 'manual' });
    expect(out.status).toBe(303);
  }
});
