import { INITIAL } from '../support/env';
import { eventuallyExpect, expectVisible, browserSuite, signInToConsole } from '../support/browser';

const CHOSEN = 'orbit-velvet-canyon-93';
const CHOSEN_AT_SIGN_IN = 'copper-lantern-meadow-42';

const suite = browserSuite();
const env = suite.env();
const { open, openUser } = suite;

test('path 1 in the browser: an admin sends a reset email, the user sets a password from the mailbox link, the Audit tab shows both', async () => {
  const tenant = await env.tenant({}, 'Globex');
  const user = await env.user(tenant, { password: INITIAL, displayName: 'Hank Scorpio' });

  const { page: admin } = await open();
  await signInToConsole(admin, env.adminKey);
  // the platform key picks a tenant
  await expectVisible(admin.getByRole('heading', { name: 'Choose a tenant' }));
  await admin.getByLabel('Search tenants').fill(tenant);
  await admin.getByRole('button', { name: 'Search' }).click();
  // the row of this tenant (other test files' tenants are called Globex too, and the unfiltered list may
  // still be on screen when the search is submitted)
  await admin.getByRole('row').filter({ hasText: tenant }).getByRole('link', { name: 'Globex' }).click();

  // find the user, open them
  await expectVisible(admin.getByRole('heading', { name: 'Users' }));
  await admin.getByLabel('Search users').fill('scorpio');
  await admin.getByRole('button', { name: 'Search' }).click();
  await admin.getByRole('link', { name: 'Hank Scorpio' }).click();
  await expectVisible(admin.getByRole('heading', { name: 'Hank Scorpio' }));

  // Actions → Send password reset email → confirm (sessions are kept unless asked)
  await admin.getByRole('button', { name: 'Actions' }).click();
  expect(await admin.getByRole('menuitem').allInnerTexts()).toEqual([
    'Send password reset email', 'Set temporary password', 'Force password reset', 'Revoke all sessions',
  ]);
  await admin.getByRole('menuitem', { name: 'Send password reset email' }).click();
  const dialog = admin.getByRole('dialog', { name: 'Send password reset email?' });
  await expectVisible(dialog);
  expect(await dialog.getByRole('checkbox', { name: 'Also revoke all sessions' }).isChecked()).toBe(false);
  await dialog.getByRole('button', { name: 'Send email' }).click();
  await expectVisible(admin.getByRole('status').filter({ hasText: `Password reset email sent to ${user.email}` }));
  await expectVisible(admin.getByRole('button', { name: 'Cancel link' }));

  // the user opens the link from the mailbox and chooses a password on the reset page
  const link = await env.resetLink(user.email);
  const { page: person } = await open();
  const response = await person.goto(link.url);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  await expectVisible(person.getByRole('heading', { name: 'Choose a new password' }));
  await person.getByLabel('New password', { exact: true }).fill(CHOSEN);
  await person.getByLabel('Confirm new password').fill('something-else-entirely-7');
  await person.getByRole('button', { name: 'Set new password' }).click();
  // a mismatch is an error tied to the confirmation field
  const confirm = person.getByLabel('Confirm new password');
  await expectVisible(person.getByText('The two passwords are not the same.'));
  expect(await confirm.getAttribute('aria-invalid')).toBe('true');
  expect(await confirm.getAttribute('aria-describedby')).toBe('confirmPassword-error');
  await person.getByLabel('New password', { exact: true }).fill(CHOSEN);
  await confirm.fill(CHOSEN);
  await person.getByRole('button', { name: 'Set new password' }).click();
  await expectVisible(person.getByRole('heading', { name: 'Password changed' }));

  // opening the link again says honestly that it was used
  await person.goto(link.url);
  await expectVisible(person.getByRole('heading', { name: 'Link no longer valid' }));

  // the Audit tab shows both events, newest first, each linking to its workflow
  await admin.getByRole('tab', { name: 'Audit' }).click();
  const events = admin.getByRole('list', { name: 'Audit events, newest first' }).getByRole('listitem');
  await eventuallyExpect(async () => {
    await admin.getByRole('button', { name: 'Refresh' }).click();
    expect(await events.count()).toBe(2);
  });
  await expect(events.nth(0).innerText()).resolves.toContain('The user completed the password reset through the reset link.');
  await expect(events.nth(1).innerText()).resolves.toContain('The platform admin key sent a password reset email');
  const href = await events.nth(1).getByRole('link', { name: /View workflow/ }).getAttribute('href');
  expect(href).toMatch(new RegExp(`^http://localhost:8233/namespaces/default/workflows/password-reset-email%2F${tenant}%2F[0-9a-f-]+/[0-9a-f-]+/history$`));

  // and the user signs in with the new password
  expect((await env.signIn(tenant, user.email, CHOSEN)).body.result).toBe('signed_in');
});

test('path 2 in the browser: a temporary password with both toggles, then the user signs in and changes it, keyboard only', async () => {
  const tenant = await env.tenant({}, 'Initech');
  const user = await env.user(tenant, { password: INITIAL, displayName: 'Peter Gibbons' });
  const { page: admin } = await openUser(tenant, user.id);

  await admin.getByRole('button', { name: 'Actions' }).click();
  await admin.getByRole('menuitem', { name: 'Set temporary password' }).click();
  const dialog = admin.getByRole('dialog', { name: 'Set temporary password' });
  await expectVisible(dialog);
  expect(await dialog.getByRole('switch', { name: 'Password must be reset on next sign-in' }).isChecked()).toBe(true);
  expect(await dialog.getByRole('switch', { name: 'Notify the user via email' }).isChecked()).toBe(true);
  expect(await dialog.getByRole('checkbox', { name: 'Also revoke all sessions' }).isChecked()).toBe(false);
  await expectVisible(dialog.getByText('Share the password over a secure channel'));

  // the policy is checked as the admin types: a common password fails a rule at once
  const field = dialog.getByRole('textbox', { name: 'Temporary password' });
  await field.fill('qwertyuiop123');
  await eventuallyExpect(async () => {
    expect(await dialog.getByRole('listitem').filter({ hasText: 'Not a common or easily guessed password' }).textContent()).toContain('(not met)');
  });
  await dialog.getByRole('button', { name: 'Set temporary password' }).click();
  await expectVisible(dialog.getByText('The password does not meet the policy'));
  expect(await field.getAttribute('aria-invalid')).toBe('true');

  // reuse is only known to the server: its 422 is shown on the field
  await field.fill(INITIAL);
  await eventuallyExpect(async () => {
    expect(await dialog.getByRole('listitem').filter({ hasText: 'Not a common or easily guessed password' }).textContent()).toContain('(met)');
  });
  await dialog.getByRole('button', { name: 'Set temporary password' }).click();
  await expectVisible(dialog.getByText('Choose a password you have not used'));

  // a generated one passes; both toggles stay on
  await dialog.getByRole('button', { name: 'Generate' }).click();
  const temporary = await field.inputValue();
  expect(temporary).toMatch(/^([A-Za-z0-9]{4}-){3,}[A-Za-z0-9]{4}$/);
  await dialog.getByRole('button', { name: 'Set temporary password' }).click();
  await expectVisible(admin.getByRole('status').filter({ hasText: `Temporary password set for ${user.email}` }));
  await expectVisible(admin.getByText('Change required at next sign-in: it is a temporary password'));
  const notice = await env.sink.waitFor((m) => m.to === user.email && m.tag === 'temporary-password');
  expect(notice.textBody).not.toContain(temporary);
  expect((await env.audit(tenant, user.id)).find((e) => e.action === 'user.password_set_by_admin')?.data).toEqual({
    temporary: true, mustResetOnNextSignIn: true, notified: true,
  });

  // the user signs in with it and must choose their own, using the keyboard only
  const { page: person } = await open();
  await person.goto(`/sign-in?tenant=${tenant}`);
  await expectVisible(person.getByRole('heading', { name: 'Sign in' }));
  const focusedId = () => person.evaluate<string | undefined>('document.activeElement?.id');
  expect(await focusedId()).toBe('email');
  await person.keyboard.type(user.email);
  await person.keyboard.press('Tab');
  expect(await focusedId()).toBe('password');
  await person.keyboard.type(temporary);
  await person.keyboard.press('Enter');

  await expectVisible(person.getByRole('heading', { name: 'Choose a new password' }));
  await expectVisible(person.getByText('Your administrator gave you a temporary password.'));
  expect(await focusedId()).toBe('newPassword');
  await person.keyboard.type('password1234');
  await person.keyboard.press('Tab');
  expect(await focusedId()).toBe('confirmPassword');
  await person.keyboard.type('password1234');
  await person.keyboard.press('Enter');
  // a policy failure is tied to the field, which gets the focus back
  await expectVisible(person.getByText('This password is too common'));
  const newPassword = person.getByLabel('New password', { exact: true });
  expect(await newPassword.getAttribute('aria-invalid')).toBe('true');
  expect(await newPassword.getAttribute('aria-describedby')).toBe('newPassword-hint newPassword-error');
  expect(await focusedId()).toBe('newPassword');
  await person.keyboard.type(CHOSEN_AT_SIGN_IN);
  await person.keyboard.press('Tab');
  await person.keyboard.type(CHOSEN_AT_SIGN_IN);
  await person.keyboard.press('Enter');
  await expectVisible(person.getByRole('heading', { name: 'You are signed in' }));
  await expectVisible(person.getByText(`as ${user.email}`));

  expect((await env.signIn(tenant, user.email, CHOSEN_AT_SIGN_IN)).body.result).toBe('signed_in');
  const completed = (await env.audit(tenant, user.id)).filter((e) => e.action === 'user.password_reset_completed');
  expect(completed).toHaveLength(1);
  expect(completed[0]!.data).toMatchObject({ via: 'sign_in' });
});

test('path 3 in the browser: force a reset, also revoking sessions; the old password then leads to the change step', async () => {
  const tenant = await env.tenant();
  const user = await env.user(tenant, { password: INITIAL, displayName: 'Milton Waddams' });
  const before = await env.signIn(tenant, user.email, INITIAL);
  expect(before.body.result).toBe('signed_in');
  const { page: admin } = await openUser(tenant, user.id);

  await admin.getByRole('button', { name: 'Actions' }).click();
  await admin.getByRole('menuitem', { name: 'Force password reset' }).click();
  const dialog = admin.getByRole('dialog', { name: 'Force password reset?' });
  await expectVisible(dialog);
  const revoke = dialog.getByRole('checkbox', { name: 'Also revoke all sessions' });
  expect(await revoke.isChecked()).toBe(false);
  await revoke.check();
  await dialog.getByRole('button', { name: 'Force reset' }).click();
  await expectVisible(admin.getByRole('status').filter({ hasText: `${user.email} must choose a new password at their next sign-in. All their sessions were revoked.` }));
  await expectVisible(admin.getByText('Change required at next sign-in: an administrator forced a reset'));

  expect((await env.http('GET', '/auth/session', { auth: before.body.session.token })).status).toBe(401);
  const signIn = await env.signIn(tenant, user.email, INITIAL);
  expect(signIn.body).toMatchObject({ result: 'password_change_required', reason: 'admin_forced' });
  const events = await env.audit(tenant, user.id);
  expect(events.find((e) => e.action === 'user.force_password_reset_set')?.data).toEqual({ reason: 'admin' });
  expect(events.find((e) => e.action === 'user.sessions_revoked')?.data).toMatchObject({ count: 1 });
});
