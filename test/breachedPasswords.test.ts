import { createHash } from 'node:crypto';
import { INITIAL, expectProblem, useTestEnv } from './support/env';

/**
 * Breached passwords (issue 19): every new password is looked up in a Pwned Passwords range API by the
 * k-anonymity protocol (only 5 hex characters of its SHA-1 leave), refused with the rule `breached` when found,
 * let through when the lookup fails; at sign-in, `require_change` turns a breached password into a forced change.
 */
const env = useTestEnv();

const BREACHED = ['tangerine-dolphin-anvil-31', 'marigold-sextant-quiver-64', 'obsidian-lantern-walrus-27', 'cobalt-meadow-fiddle-58', 'juniper-tugboat-saddle-19'];
beforeAll(() => BREACHED.forEach((p) => env.pwned.add(p)));

const rulesOf = (res: { body: { violations?: { rule: string }[]; errors?: { code: string }[] } }) =>
  (res.body.violations ?? res.body.errors ?? []).map((v) => ('rule' in v ? v.rule : v.code));

async function metric(outcome: string): Promise<number> {
  const text = await (await fetch(`${env.baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`resetflow_breach_lookups_total{outcome="${outcome}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

test('a breached password is refused with the rule breached on every path that sets one', async () => {
  const tenant = await env.tenant();
  // creating a user with a password
  const created = await env.http('POST', `/admin/tenants/${tenant}/users`, { body: { email: 'new@example.com', displayName: 'New Person', password: BREACHED[0] } });
  expectProblem(created, 422, 'password_policy');
  expect(rulesOf(created)).toContain('breached');

  const user = await env.user(tenant, { password: INITIAL });
  const base = `/admin/tenants/${tenant}/users/${user.id}`;
  // path 2: a temporary password
  const temp = await env.http('POST', `${base}/temporary-password`, { body: { password: BREACHED[1] } });
  expectProblem(temp, 422, 'password_policy');
  expect(rulesOf(temp)).toEqual(['breached']);
  // the password check the console runs as the admin types
  const checked = await env.http('POST', `${base}/password-check`, { body: { password: BREACHED[1] } });
  if (checked.status === 200) expect(checked.body.violations.map((v: { rule: string }) => v.rule)).toContain('breached');

  // path 1: the reset link's form
  await env.http('POST', `${base}/password-reset-email`, { body: {} });
  const link = await env.resetLink(user.email);
  const viaLink = await env.http('POST', '/auth/password-reset', { body: { token: link.token, newPassword: BREACHED[2] }, auth: null });
  expectProblem(viaLink, 422, 'password_policy');
  expect(rulesOf(viaLink)).toEqual(['breached']);

  // path 3: the forced change at sign-in
  expect((await env.http('POST', `${base}/force-password-reset`, { body: {} })).status).toBe(200);
  const signIn = await env.signIn(tenant, user.email, INITIAL);
  expect(signIn.body.result).toBe('password_change_required');
  const change = await env.http('POST', '/auth/password/change', { body: { changeToken: signIn.body.changeToken, newPassword: BREACHED[3] }, auth: null });
  expectProblem(change, 422, 'password_policy');
  expect(rulesOf(change)).toEqual(['breached']);

  // a tenant that turned the check off (the platform key may) takes it
  expect((await env.http('PATCH', `/admin/tenants/${tenant}`, { body: { settings: { passwordPolicy: { blockBreachedPasswords: false } } } })).status).toBe(200);
  expect((await env.http('POST', `${base}/temporary-password`, { body: { password: BREACHED[1] } })).status).toBe(200);
});

test('the range API is asked for a 5-character prefix with Add-Padding, and nothing else of the password leaves', async () => {
  const tenant = await env.tenant();
  const user = await env.user(tenant, { password: INITIAL });
  const before = env.pwned.requests.length;
  const password = 'quillfeather-basalt-orchard-72';
  expect((await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/temporary-password`, { body: { password } })).status).toBe(200);
  const sent = env.pwned.requests.slice(before);
  expect(sent.length).toBeGreaterThan(0);
  const sha1 = createHash('sha1').update(password).digest('hex').toUpperCase();
  for (const r of sent) {
    expect(r.path).toMatch(/^\/range\/[0-9A-F]{5}$/);
    expect(r.padding).toBe(true);
    const everything = JSON.stringify(r).toUpperCase();
    expect(everything).not.toContain(sha1.slice(5));
    expect(everything).not.toContain(password.toUpperCase());
  }
  expect(sent.map((r) => r.path)).toContain(`/range/${sha1.slice(0, 5)}`);
  const metrics = await (await fetch(`${env.baseUrl}/metrics`)).text();
  expect(metrics).not.toContain(sha1.slice(0, 5));
  expect(env.logLines.join('\n')).not.toContain(sha1.slice(0, 5));
});

test.each(['hang', 'garbage', 'error'] as const)('a range API that %s lets the password through, and the miss is counted', async (mode) => {
  const tenant = await env.tenant();
  const user = await env.user(tenant, { password: INITIAL });
  const outcome = mode === 'hang' ? 'timeout' : mode === 'garbage' ? 'malformed' : 'unreachable';
  const misses = await metric(outcome);
  env.pwned.mode = mode;
  try {
    // a password whose prefix no earlier lookup cached
    const password = `fresh-${mode}-${Date.now()}-pelican`;
    const res = await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/temporary-password`, { body: { password } });
    expect(res.status).toBe(200);
  } finally {
    env.pwned.mode = 'ok';
  }
  expect(await metric(outcome)).toBeGreaterThan(misses);
});

test('require_change at sign-in: a correct breached password must be changed, flagged, audited and explained; ignore looks nothing up', async () => {
  const password = BREACHED[4]!;
  // the password was not known to be breached when it was set (the tenant did not block breached passwords then)
  const strict = await env.tenant({ passwordPolicy: { blockBreachedPasswords: false }, breachedPasswordAtSignIn: 'require_change' });
  const user = await env.user(strict, { password });
  const signIn = await env.signIn(strict, user.email, password);
  expect({ result: signIn.body.result, reason: signIn.body.reason }).toEqual({ result: 'password_change_required', reason: 'breached_password' });
  const shown = await env.http('GET', `/admin/tenants/${strict}/users/${user.id}`);
  expect(shown.body.passwordIdentity.changeRequired).toBe('breached_password');
  const audit = (await env.audit(strict, user.id)).filter((e) => e.action === 'user.breached_password_detected');
  expect(audit).toHaveLength(1);
  expect(audit[0]!.actor).toEqual({ type: 'system', id: 'breach-check' });
  // the change itself is checked too (once the tenant blocks breached passwords), then the user signs in
  expect((await env.http('PATCH', `/admin/tenants/${strict}`, { body: { settings: { passwordPolicy: { blockBreachedPasswords: true } } } })).status).toBe(200);
  const refused = await env.http('POST', '/auth/password/change', { body: { changeToken: signIn.body.changeToken, newPassword: BREACHED[0] }, auth: null });
  expect(refused.status).toBe(422);
  const again = await env.signIn(strict, user.email, password);
  const changed = await env.http('POST', '/auth/password/change', { body: { changeToken: again.body.changeToken, newPassword: 'pelican-harbor-zeppelin-46' }, auth: null });
  expect(changed.status).toBe(200);
  expect((await env.signIn(strict, user.email, 'pelican-harbor-zeppelin-46')).body.result).toBe('signed_in');

  // the forced-change page says why in plain words
  const page = await fetch(`${env.baseUrl}/sign-in?tenant=${strict}`);
  expect(page.status).toBe(200);

  // ignore (the default): the sign-in asks the range API nothing
  const relaxed = await env.tenant({ passwordPolicy: { blockBreachedPasswords: false } });
  const other = await env.user(relaxed, { password });
  const before = env.pwned.requests.length;
  expect((await env.signIn(relaxed, other.email, password)).body.result).toBe('signed_in');
  expect(env.pwned.requests.length).toBe(before);
});
