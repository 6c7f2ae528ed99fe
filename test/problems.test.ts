import { expectProblem, INITIAL, useTestEnv } from './support/env';

const env = useTestEnv({ worker: false, env: { RATE_LIMIT_PER_ACCOUNT: '3' } });
let tenant: string;
let user: { id: string; email: string };
beforeAll(async () => {
  tenant = await env.tenant();
  user = await env.user(tenant, { password: INITIAL });
});

describe('bad input is a clear 4xx, never a 500', () => {
  const usersPath = () => `/admin/tenants/${tenant}/users`;

  test('malformed JSON', async () => {
    expectProblem(await env.http('POST', usersPath(), { rawBody: '{"email": ', headers: { 'content-type': 'application/json' } }), 400, 'invalid_request');
  });
  test('unknown fields, wrong types, over-long strings, with field errors', async () => {
    const unknown = await env.http('POST', usersPath(), { body: { email: 'x@example.com', password: INITIAL, admin: true } });
    expectProblem(unknown, 400, 'invalid_request');
    expect(unknown.body.errors).toEqual([expect.objectContaining({ code: 'unrecognized_keys' })]);
    const wrongType = await env.http('POST', `${usersPath()}/${user.id}/temporary-password`, { body: { password: INITIAL, notifyUser: 'yes' } });
    expectProblem(wrongType, 400, 'invalid_request');
    expect(wrongType.body.errors).toEqual([expect.objectContaining({ field: 'notifyUser' })]);
    expectProblem(await env.http('POST', usersPath(), { body: { email: `${'a'.repeat(300)}@example.com`, password: INITIAL } }), 400, 'invalid_request');
    expectProblem(await env.http('POST', '/auth/sign-in', { body: { tenant, email: user.email, password: 'x'.repeat(5000) }, auth: null }), 400, 'invalid_request');
  });
  test('a body over 64 KiB is 413', async () => {
    expectProblem(await env.http('POST', usersPath(), { body: { email: 'big@example.com', displayName: 'x'.repeat(70 * 1024) } }), 413, 'invalid_request');
  });
  test('ids of the wrong shape are 400, unknown ones 404', async () => {
    expectProblem(await env.http('GET', `${usersPath()}/not-a-uuid`), 400, 'invalid_request');
    expectProblem(await env.http('GET', '/admin/tenants/Not_A_Slug'), 400, 'invalid_request');
    expectProblem(await env.http('GET', `${usersPath()}/00000000-0000-4000-8000-000000000000`), 404, 'not_found');
    expectProblem(await env.http('GET', '/admin/tenants/no-such-tenant'), 404, 'not_found');
    expectProblem(await env.http('GET', `/admin/tenants/${tenant}/password-resets/00000000-0000-4000-8000-000000000000`), 404, 'not_found');
    expectProblem(await env.http('POST', `${usersPath()}/00000000-0000-4000-8000-000000000000/force-password-reset`, { body: {} }), 404, 'not_found');
  });
  test('duplicate email (any case) is 409 email_taken', async () => {
    expectProblem(await env.http('POST', usersPath(), { body: { email: user.email.toUpperCase(), password: INITIAL } }), 409, 'email_taken');
  });
  test('a user needs a password or a federated identity', async () => {
    expectProblem(await env.http('POST', usersPath(), { body: { email: 'nothing@example.com' } }), 400, 'invalid_request');
  });
  test('tenant settings are validated', async () => {
    const res = await env.http('PATCH', `/admin/tenants/${tenant}`, { body: { settings: { passwordPolicy: { maxLength: 32 } } } });
    expectProblem(res, 400, 'invalid_request');
    expect(res.body.errors[0].field).toBe('settings.passwordPolicy.maxLength');
    expectProblem(await env.http('PATCH', `/admin/tenants/${tenant}`, { body: { settings: { resetLinkTtlSeconds: 5 } } }), 400, 'invalid_request');
    const ok = await env.http('PATCH', `/admin/tenants/${tenant}`, { body: { settings: { resetLinkTtlSeconds: 600, passwordPolicy: { historyCount: 0 } } } });
    expect(ok.status).toBe(200);
    expect(ok.body.settings).toEqual({
      resetLinkTtlSeconds: 600, temporaryPasswordTtlSeconds: 604_800,
      passwordPolicy: { minLength: 12, maxLength: 128, blockCommonPasswords: true, forbidPersonalInfo: true, historyCount: 0, blockBreachedPasswords: true },
      breachedPasswordAtSignIn: 'ignore', notifyPasswordChanged: true, approvals: { requiredFor: 'none', ttlSeconds: 86_400 }, defaultLocale: 'en', branding: {},
    });
  });
  test('malformed and unknown reset tokens are 400 invalid_token', async () => {
    expectProblem(await env.http('POST', '/auth/password-reset', { body: { token: 'short', newPassword: INITIAL }, auth: null }), 400, 'invalid_token');
    expectProblem(await env.http('POST', '/auth/password-reset', { body: { token: 'A'.repeat(43), newPassword: INITIAL }, auth: null }), 400, 'invalid_token');
    const page = await fetch(`${env.baseUrl}/reset-password?token=nope`);
    expect(page.status).toBe(400);
    expectProblem(await env.http('POST', '/auth/password/change', { body: { changeToken: 'A'.repeat(43), newPassword: INITIAL }, auth: null }), 400, 'invalid_token');
  });
  test('an unknown route is a 404 problem', async () => {
    expectProblem(await env.http('GET', '/admin/nothing-here'), 404, 'not_found');
  });
});

describe('authentication and tenant isolation', () => {
  test('missing or wrong key is 401', async () => {
    expectProblem(await env.http('GET', `/admin/tenants/${tenant}`, { auth: null }), 401, 'unauthenticated');
    expectProblem(await env.http('GET', `/admin/tenants/${tenant}`, { auth: 'rfk_wrong' }), 401, 'unauthenticated');
  });
  test("a tenant key acts on its tenant only; another tenant's resources are 404", async () => {
    const other = await env.tenant();
    const otherUser = await env.user(other, { password: INITIAL });
    const created = await env.http('POST', `/admin/tenants/${tenant}/api-keys`, { body: { name: 'helpdesk' } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), name: 'helpdesk', tenantId: tenant, key: expect.stringMatching(/^rfk_/) });
    const key = created.body.key as string;

    expect((await env.http('GET', `/admin/tenants/${tenant}/users/${user.id}`, { auth: key })).status).toBe(200);
    expectProblem(await env.http('GET', `/admin/tenants/${other}`, { auth: key }), 404, 'not_found');
    expectProblem(await env.http('GET', `/admin/tenants/${other}/users/${otherUser.id}`, { auth: key }), 404, 'not_found');
    expectProblem(await env.http('POST', `/admin/tenants/${other}/users/${otherUser.id}/force-password-reset`, { auth: key, body: {} }), 404, 'not_found');
    // a user id from another tenant under one's own tenant is unknown too
    expectProblem(await env.http('GET', `/admin/tenants/${tenant}/users/${otherUser.id}`, { auth: key }), 404, 'not_found');
    expectProblem(await env.http('POST', '/admin/tenants', { auth: key, body: { id: 'sneaky', name: 'x' } }), 403, 'forbidden');
    expectProblem(await env.http('POST', `/admin/tenants/${tenant}/api-keys`, { auth: key, body: { name: 'more' } }), 403, 'forbidden');
    expect(await env.audit(other, otherUser.id)).toEqual([]);
  });
  test('the tenant id must be unique', async () => {
    expectProblem(await env.http('POST', '/admin/tenants', { body: { id: tenant, name: 'again' } }), 409, 'tenant_exists');
  });
});

describe('sign-in', () => {
  test('unknown email, wrong password and a federated-only user answer alike', async () => {
    const federated = await env.user(tenant, { federated: true });
    const answers = await Promise.all([
      env.signIn(tenant, 'nobody@example.com', INITIAL),
      env.signIn(tenant, user.email, 'wrong-password-entirely'),
      env.signIn(tenant, federated.email, INITIAL),
      env.signIn('no-such-tenant', user.email, INITIAL),
    ]);
    for (const a of answers) expectProblem(a, 401, 'invalid_credentials');
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
  });
  test('repeated failures for one account are rate-limited with Retry-After, even with the right password', async () => {
    const target = await env.user(tenant, { password: INITIAL });
    for (let i = 0; i < 3; i++) expect((await env.signIn(tenant, target.email, `wrong-guess-number-${i}`)).status).toBe(401);
    const blocked = await env.signIn(tenant, target.email, INITIAL);
    expectProblem(blocked, 429, 'rate_limited');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // other accounts are not affected
    expect((await env.signIn(tenant, user.email, INITIAL)).status).toBe(200);
  });
});
