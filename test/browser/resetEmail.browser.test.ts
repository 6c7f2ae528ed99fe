import type { Browser } from 'playwright-core';
import { TestEnv } from '../support/env';
import { eventuallyExpect, expectVisible, launchBrowser, openPage, signInToConsole, type TestPage } from '../support/browser';

const INITIAL = 'glacier-ticket-marble-74';
const CHOSEN = 'orbit-velvet-canyon-93';

let env: TestEnv;
let browser: Browser;
let closeBrowser: () => Promise<void>;
const pages: TestPage[] = [];

beforeAll(async () => {
  env = await TestEnv.start();
  ({ browser, close: closeBrowser } = await launchBrowser());
});
afterAll(async () => {
  await closeBrowser?.();
  await env?.close();
});
afterEach(() => {
  for (const p of pages.splice(0)) expect({ url: p.page.url(), errors: p.errors }).toEqual({ url: p.page.url(), errors: [] });
});

async function open(): Promise<TestPage> {
  const p = await openPage(browser, env.baseUrl);
  pages.push(p);
  return p;
}

test('path 1 in the browser: an admin sends a reset email, the user sets a password from the mailbox link, the Audit tab shows both', async () => {
  const tenant = await env.tenant({}, 'Globex');
  const user = await env.user(tenant, { password: INITIAL, displayName: 'Hank Scorpio' });

  const { page: admin } = await open();
  await signInToConsole(admin, env.adminKey);
  // the platform key picks a tenant
  await expectVisible(admin.getByRole('heading', { name: 'Choose a tenant' }));
  await admin.getByLabel('Search tenants').fill(tenant);
  await admin.getByRole('button', { name: 'Search' }).click();
  await admin.getByRole('link', { name: 'Globex' }).click();

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
