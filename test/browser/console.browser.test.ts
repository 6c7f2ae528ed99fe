import { INITIAL } from '../support/env';
import { eventuallyExpect, expectVisible, browserSuite, signInToConsole } from '../support/browser';

const suite = browserSuite();
const env = suite.env();
const { open, openUser } = suite;

test('the Sessions tab shows a browser session; revoking it signs that browser out', async () => {
  const tenant = await env.tenant({}, 'Vandelay Industries');
  const user = await env.user(tenant, { password: INITIAL, displayName: 'Art Vandelay' });

  const { page: person } = await open();
  await person.goto(`/sign-in?tenant=${tenant}`);
  await person.getByLabel('Email address').fill(user.email);
  await person.getByLabel('Password').fill(INITIAL);
  await person.getByRole('button', { name: 'Sign in' }).click();
  await expectVisible(person.getByRole('heading', { name: 'You are signed in' }));

  const { page: admin } = await openUser(tenant, user.id, '/sessions');
  const row = admin.getByRole('row').filter({ hasText: 'Chrome on Linux' });
  await expectVisible(row);
  expect(await row.getByRole('cell').nth(1).innerText()).toMatch(/127\.0\.0\.1/);
  expect(await admin.getByRole('columnheader').allInnerTexts()).toEqual(['Device', 'IP address', 'Signed in', 'Last seen', 'Actions']);
  await row.getByRole('button', { name: 'Revoke' }).click();
  await expectVisible(admin.getByRole('status').filter({ hasText: 'Session revoked: Chrome on Linux' }));
  await expectVisible(admin.getByText('No active sessions.'));

  await person.reload();
  await expectVisible(person.getByRole('heading', { name: 'You are not signed in' }));
  await expectVisible(person.getByText('Your session has ended'));
  const revoked = (await env.audit(tenant, user.id)).filter((e) => e.action === 'user.sessions_revoked');
  expect(revoked).toHaveLength(1);
  expect(revoked[0]!.data).toMatchObject({ count: 1, sessionId: expect.any(String) });
});

test("a federated user's reset items are disabled, say why, and point to Revoke all sessions", async () => {
  const tenant = await env.tenant();
  const user = await env.user(tenant, { federated: true, displayName: 'Grace Hopper' });
  const { page: admin } = await openUser(tenant, user.id);
  await expectVisible(admin.getByText('No password identity.'));

  // keyboard: ArrowDown opens the menu on its first item
  await admin.getByRole('button', { name: 'Actions' }).focus();
  await admin.keyboard.press('ArrowDown');
  const first = admin.getByRole('menuitem', { name: 'Send password reset email' });
  await eventuallyExpect(async () => expect(await first.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true));
  for (const name of ['Send password reset email', 'Set temporary password', 'Force password reset']) {
    const item = admin.getByRole('menuitem', { name });
    expect(await item.getAttribute('aria-disabled')).toBe('true');
    const why = await item.getAttribute('aria-describedby');
    expect(await admin.locator(`[id="${why}"]`).innerText()).toBe('No password to reset: this user signs in with Google. Use “Revoke all sessions” to make them sign in again.');
  }
  const revoke = admin.getByRole('menuitem', { name: 'Revoke all sessions' });
  expect(await revoke.getAttribute('aria-disabled')).toBeNull();

  // a disabled item does nothing when chosen (Playwright refuses to click it, as it should); Revoke all sessions works
  await admin.keyboard.press('Enter');
  expect(await first.isVisible()).toBe(true);
  expect(await admin.getByRole('dialog').count()).toBe(0);
  await revoke.click();
  const dialog = admin.getByRole('dialog', { name: 'Revoke all sessions?' });
  await dialog.getByRole('button', { name: 'Revoke all sessions' }).click();
  await expectVisible(admin.getByRole('status').filter({ hasText: `${user.email} had no active sessions.` }));
  expect(await env.audit(tenant, user.id)).toEqual([]);
});

test('the pending reset link shows its expiry, and Cancel link ends it', async () => {
  const tenant = await env.tenant({ resetLinkTtlSeconds: 3600 });
  const user = await env.user(tenant, { password: INITIAL });
  const sent = await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/password-reset-email`, { body: {} });
  expect(sent.status).toBe(202);
  const { page } = await openUser(tenant, user.id);
  await expectVisible(page.getByText('(in 60 minutes)'));
  await page.getByRole('button', { name: 'Cancel link' }).click();
  await expectVisible(page.getByRole('status').filter({ hasText: `The pending reset link for ${user.email} is cancelled` }));
  await page.getByRole('button', { name: 'Cancel link' }).waitFor({ state: 'detached' });
  expect((await env.http('GET', `/admin/tenants/${tenant}/password-resets/${sent.body.resetId}`)).body.state).toBe('cancelled');
});

test('a tenant key lands in its tenant; a wrong key is refused on its field; sign out forgets the key', async () => {
  const tenant = await env.tenant({}, 'Stark Industries');
  await env.user(tenant, { password: INITIAL, displayName: 'Pepper Potts' });
  const created = await env.http('POST', `/admin/tenants/${tenant}/api-keys`, { body: { name: 'helpdesk' } });
  const key = created.body.key as string;

  const { page } = await open();
  await signInToConsole(page, 'rfk_not-a-real-key');
  const field = page.getByLabel('Admin key');
  await expectVisible(page.getByText('This key is not valid.'));
  expect(await field.getAttribute('aria-invalid')).toBe('true');

  await field.fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectVisible(page.getByRole('heading', { name: 'Users' }));
  expect(new URL(page.url()).pathname).toBe(`/console/tenants/${tenant}/users`);
  await expectVisible(page.getByRole('link', { name: 'Pepper Potts' }));
  await expectVisible(page.getByText('Tenant key “helpdesk”'));
  expect(await page.getByRole('link', { name: 'Switch tenant' }).count()).toBe(0);
  expect(page.url()).not.toContain(key);
  expect(await page.evaluate<string>('JSON.stringify(sessionStorage)')).toContain(key);
  expect(await page.context().cookies()).toEqual([]);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expectVisible(page.getByLabel('Admin key'));
  expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
});

test('failures are said, not swallowed: rate limit, server down, policy errors in settings', async () => {
  const tenant = await env.tenant();
  const user = await env.user(tenant, { password: INITIAL });
  const { page } = await openUser(tenant, user.id);

  await page.route('**/force-password-reset', (route) =>
    route.fulfill({ status: 429, headers: { 'retry-after': '42', 'content-type': 'application/problem+json' }, body: JSON.stringify({ code: 'rate_limited', status: 429, title: 'Too many attempts', detail: 'Too many attempts.', type: 'x' }) }),
  );
  await page.getByRole('button', { name: 'Actions' }).click();
  await page.getByRole('menuitem', { name: 'Force password reset' }).click();
  const dialog = page.getByRole('dialog', { name: 'Force password reset?' });
  await dialog.getByRole('button', { name: 'Force reset' }).click();
  await expectVisible(dialog.getByRole('alert').filter({ hasText: 'Too many attempts. Try again in 42 seconds.' }));

  await page.unroute('**/force-password-reset');
  await page.route('**/force-password-reset', (route) => route.abort('connectionrefused'));
  await dialog.getByRole('button', { name: 'Force reset' }).click();
  await expectVisible(dialog.getByRole('alert').filter({ hasText: 'The server did not answer' }));
  await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
  expect((await env.http('GET', `/admin/tenants/${tenant}/users/${user.id}`)).body.passwordIdentity.changeRequired).toBeNull();

  // settings: a bad value is tied to its field; a good one is saved through PATCH
  await page.getByRole('link', { name: 'Settings' }).click();
  const max = page.getByLabel('Maximum length');
  await max.fill('32');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expectVisible(page.getByRole('alert').filter({ hasText: 'The settings were not saved' }));
  expect(await max.getAttribute('aria-invalid')).toBe('true');
  await max.fill('256');
  await page.getByLabel('Minimum length').fill('16');
  await page.getByLabel('Reset links are valid for').fill('2');
  await page.getByLabel('Unit').selectOption('hours');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expectVisible(page.getByRole('status').filter({ hasText: 'Settings saved' }));
  const saved = await env.http('GET', `/admin/tenants/${tenant}`);
  expect(saved.body.settings).toMatchObject({ resetLinkTtlSeconds: 7200, passwordPolicy: { minLength: 16, maxLength: 256 } });

  // rotation: a 404 reads as "no schedule"; turning it on and off (the rest is in settings.browser.test.ts)
  await expectVisible(page.getByText('No rotation schedule.'));
  await page.getByRole('button', { name: 'Turn on rotation' }).click();
  await expectVisible(page.getByRole('status').filter({ hasText: 'Rotation schedule saved.' }));
  await page.getByRole('button', { name: 'Turn off rotation' }).click();
  await expectVisible(page.getByRole('status').filter({ hasText: 'Scheduled rotation is off.' }));
  await expectVisible(page.getByText('No rotation schedule.'));
  expect((await env.http('GET', `/admin/tenants/${tenant}/password-rotation`)).status).toBe(404);
});

test('every state-changing request carries an Idempotency-Key, and a lost answer is retried with the same key: applied once', async () => {
  const tenant = await env.tenant();
  const user = await env.user(tenant, { password: INITIAL });
  const { page } = await openUser(tenant, user.id);
  const keys: string[] = [];
  let first = true;
  // the first attempt reaches the server (the action is applied) but its answer is lost: the proxy says 503
  await page.route('**/force-password-reset', async (route) => {
    keys.push(route.request().headers()['idempotency-key'] ?? '');
    const response = await route.fetch();
    if (first) {
      first = false;
      return route.fulfill({ status: 503, headers: { 'retry-after': '1', 'content-type': 'application/problem+json' },
        body: JSON.stringify({ type: 'x', title: 'Temporarily unavailable', status: 503, code: 'temporarily_unavailable', detail: 'The action may still be applied.' }) });
    }
    return route.fulfill({ response });
  });
  await page.getByRole('button', { name: 'Actions' }).click();
  await page.getByRole('menuitem', { name: 'Force password reset' }).click();
  await page.getByRole('dialog', { name: 'Force password reset?' }).getByRole('button', { name: 'Force reset' }).click();
  await expectVisible(page.getByRole('status').filter({ hasText: 'must choose a new password' }));
  expect(keys).toHaveLength(2);
  expect(keys[0]).toMatch(/^console-[0-9a-f-]{36}$/);
  expect(keys[1]).toBe(keys[0]);
  expect((await env.audit(tenant, user.id)).filter((e) => e.action === 'user.force_password_reset_set')).toHaveLength(1);
});

test('every page carries a strict CSP and the usual headers; built assets are cached, pages are not', async () => {
  for (const path of ['/console/', '/console/tenants/x/users', '/sign-in?tenant=nope', '/reset-password?token=nope']) {
    const res = await fetch(env.baseUrl + path);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect({ path, csp }).toEqual({ path, csp: expect.stringContaining("script-src 'self';script-src-attr 'none';style-src 'self'") });
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https:/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    // the console: no-referrer; the end-user pages: strict-origin (their own form posts must name their origin, issue 17)
    expect(res.headers.get('referrer-policy')).toBe(path.startsWith('/console') ? 'no-referrer' : 'strict-origin');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).not.toMatch(/<script>|<style|style="|https?:\/\/(?!127\.0\.0\.1)/);
  }
  const index = await (await fetch(`${env.baseUrl}/console/`)).text();
  const asset = index.match(/src="(\/console\/assets\/[^"]+\.js)"/)![1]!;
  const js = await fetch(env.baseUrl + asset);
  expect(js.status).toBe(200);
  expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  expect((await fetch(`${env.baseUrl}/console/assets/missing.js`)).status).toBe(404);
  const config = await env.http('GET', '/console/config.json', { auth: null });
  expect(config.body).toEqual({ temporalUiUrl: 'http://localhost:8233', namespace: 'default' });
});
