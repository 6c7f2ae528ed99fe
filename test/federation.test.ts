import { useTestEnv } from './support/env';

const env = useTestEnv();

test('a federated-only user: reset actions disabled, all three paths refused with 409, nothing started or audited', async () => {
  const tenant = await env.tenant();
  const user = await env.user(tenant, { federated: true });
  const view = await env.http('GET', `/admin/tenants/${tenant}/users/${user.id}`);
  expect(view.body.passwordIdentity).toBeNull();
  expect(view.body.federatedIdentities).toEqual([{ provider: 'google', subject: expect.any(String) }]);
  const disabled = { enabled: false, reason: 'no_password_identity' };
  expect(view.body.actions).toEqual({ sendPasswordResetEmail: disabled, setTemporaryPassword: disabled, forcePasswordReset: disabled, revokeSessions: { enabled: true } });

  const base = `/admin/tenants/${tenant}/users/${user.id}`;
  for (const [path, body] of [
    ['password-reset-email', {}],
    ['temporary-password', { password: 'lantern-oyster-kettle-21' }],
    ['force-password-reset', {}],
  ] as const) {
    const res = await env.http('POST', `${base}/${path}`, { body });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('no_password_identity');
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  }
  expect(await env.audit(tenant, user.id)).toEqual([]);
  const started = [];
  for await (const wf of env.client.workflow.list({ query: `UserId = "${user.id}"` })) started.push(wf);
  expect(started).toEqual([]);
  expect(env.sink.messages.filter((m) => m.to === user.email)).toEqual([]);

  // sign-in answers exactly like a wrong password
  const signIn = await env.signIn(tenant, user.email, 'whatever-they-type-1');
  expect(signIn.status).toBe(401);
  expect(signIn.body.code).toBe('invalid_credentials');
  // revoking sessions stays available
  expect((await env.http('DELETE', `${base}/sessions`)).body).toEqual({ revoked: 0 });
});

test('a user with both a password and a federated identity can be reset', async () => {
  const tenant = await env.tenant();
  const res = await env.http('POST', `/admin/tenants/${tenant}/users`, {
    body: { email: 'both@example.com', password: 'glacier-ticket-marble-74', federatedIdentities: [{ provider: 'saml', subject: 'abc' }] },
  });
  expect(res.status).toBe(201);
  expect(res.body.actions.forcePasswordReset).toEqual({ enabled: true });
  expect((await env.http('POST', `/admin/tenants/${tenant}/users/${res.body.id}/force-password-reset`, { body: {} })).status).toBe(200);
});
