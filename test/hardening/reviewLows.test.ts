import { Sealer } from '../../src/security/sealing';
import { INITIAL, expectProblem, useTestEnv } from '../support/env';

/** The second security review's low findings (issue 17), each with the test that failed before its fix. */
const env = useTestEnv({ worker: false });

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

test('a cursor whose instant PostgreSQL cannot store (year 0, year 10000) is a 400 on every list, never a 500', async () => {
  const tenant = await env.tenant();
  const id = '00000000-0000-4000-8000-000000000000';
  for (const createdAt of ['0000-01-01T00:00:00.000Z', '+010000-01-01T00:00:00.000Z', '1899-12-31T23:59:59.000Z']) {
    for (const path of [`/admin/tenants/${tenant}/password-resets`, `/admin/tenants/${tenant}/users`]) {
      expectProblem(await env.http('GET', `${path}?cursor=${b64({ createdAt, id })}`), 400, 'invalid_request');
    }
  }
});

test('Origin: null on a state-changing form post is refused like a foreign site; the page names its own origin instead', async () => {
  const tenant = await env.tenant();
  const user = await env.user(tenant, { password: INITIAL });
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const post = (path: string, body: string, origin?: string) =>
    env.http('POST', path, { rawBody: body, auth: null, headers: { 'content-type': 'application/x-www-form-urlencoded', ...(origin ? { origin } : {}) } });
  const signIn = form({ tenant, email: user.email, password: INITIAL });
  expect((await post('/sign-in', signIn, 'null')).status).toBe(403);
  expect((await post('/auth/password-reset', form({ token: 'x'.repeat(43), newPassword: 'orbit-velvet-canyon-93', confirmPassword: 'orbit-velvet-canyon-93' }), 'null')).status).toBe(403);
  expect((await post('/sign-in/change', form({ changeToken: 'x'.repeat(43), newPassword: 'a', confirmPassword: 'a' }), 'null')).status).toBe(403);
  // this site's own origin, and a client that sends none (not a browser), go through
  expect((await post('/sign-in', signIn, new URL(env.baseUrl).origin)).status).not.toBe(403);
  expect((await post('/sign-in', signIn)).status).not.toBe(403);
  const page = await fetch(`${env.baseUrl}/sign-in?tenant=${tenant}`);
  expect(page.headers.get('referrer-policy')).toBe('strict-origin');
});

test('displayed names refuse invisible format characters (Unicode Cf): RLM, ALM, zero-width space, word joiner, BOM', async () => {
  const tenant = await env.tenant();
  for (const displayName of ['Ada\u200fLovelace', 'Ada\u061cLovelace', '\u200bAda', 'Ada\u2060Lovelace', 'Ada\ufeffLovelace', 'Ada\u00adLovelace']) {
    const res = await env.http('POST', `/admin/tenants/${tenant}/users`, { body: { email: `cf-${Math.random().toString(36).slice(2)}@example.com`, displayName, password: INITIAL } });
    expectProblem(res, 400, 'invalid_request');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['displayName']);
  }
  expectProblem(await env.http('PATCH', `/admin/tenants/${tenant}`, { body: { name: 'Acme\u200b Corp' } }), 400, 'invalid_request');
  // a joiner between two letters is how Persian (ZWNJ) and emoji sequences (ZWJ) are spelled
  const persian = await env.http('POST', `/admin/tenants/${tenant}/users`, { body: { email: `zwnj-${Date.now()}@example.com`, displayName: 'می\u200cخواهم', password: INITIAL } });
  expect({ status: persian.status, body: persian.status === 201 ? undefined : persian.body }).toEqual({ status: 201, body: undefined });
});

test('a tenant key tightens its controls but loosens none, and never renames its tenant; the platform key may', async () => {
  const tenant = await env.tenant();
  const key = (await env.http('POST', `/admin/tenants/${tenant}/api-keys`, { body: { name: 'helpdesk' } })).body.key as string;
  const patch = (body: unknown, auth?: string) => env.http('PATCH', `/admin/tenants/${tenant}`, { body, ...(auth ? { auth } : {}) });
  // tightening is the tenant's own business
  expect((await patch({ settings: { resetLinkTtlSeconds: 3600, temporaryPasswordTtlSeconds: 86_400, approvals: { requiredFor: 'all_users' }, breachedPasswordAtSignIn: 'require_change' } }, key)).status).toBe(200);
  for (const body of [
    { name: 'Renamed by the helpdesk' },
    { settings: { resetLinkTtlSeconds: 2_592_000 } },
    { settings: { temporaryPasswordTtlSeconds: 2_592_000 } },
    { settings: { approvals: { requiredFor: 'none' } } },
    { settings: { notifyPasswordChanged: false } },
    { settings: { breachedPasswordAtSignIn: 'ignore' } },
    { settings: { passwordPolicy: { blockBreachedPasswords: false } } },
  ]) {
    const res = await patch(body, key);
    expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status: 403, code: 'forbidden' });
  }
  const now = (await env.http('GET', `/admin/tenants/${tenant}`)).body;
  expect(now.name).toBe('Example Org');
  expect(now.settings).toMatchObject({ resetLinkTtlSeconds: 3600, approvals: { requiredFor: 'all_users' }, notifyPasswordChanged: true });
  // up to the defaults is still the tenant key's to choose
  expect((await patch({ settings: { resetLinkTtlSeconds: 86_400 } }, key)).status).toBe(200);
  expect((await patch({ name: 'Renamed by the platform', settings: { resetLinkTtlSeconds: 2_592_000, approvals: { requiredFor: 'none' } } })).status).toBe(200);
});

test('a sealed password does not tell its length: every password up to 252 bytes seals to the same length', () => {
  const sealer = new Sealer(Buffer.alloc(32, 7));
  const lengths = new Set(['', 'a', 'correct-horse', 'x'.repeat(64), 'é'.repeat(100), 'y'.repeat(252)].map((p) => sealer.seal(p, 'ctx').length));
  expect(lengths.size).toBe(1);
  expect(sealer.unseal(sealer.seal('é'.repeat(100), 'ctx'), 'ctx')).toBe('é'.repeat(100));
  expect(sealer.seal('y'.repeat(253), 'ctx').length).toBeGreaterThan([...lengths][0]!);
});
