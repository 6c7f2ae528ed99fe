import { CHOSEN, INITIAL } from '../support/env';
import { browserSuite, eventuallyExpect, expectVisible } from '../support/browser';

const suite = browserSuite();
const env = suite.env();
const { open, openUser } = suite;

test('"this wasn\'t me": the user opens the notice\'s link and reports; the console user page shows the lock and the ways out', async () => {
  const tenant = await env.tenant({}, 'Globex');
  const user = await env.user(tenant, { password: INITIAL, displayName: 'Hank Scorpio' });
  // the password changes (a reset link, completed): the notice follows
  const sent = await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/password-reset-email`, { body: {} });
  expect(sent.status).toBe(202);
  const link = await env.resetLink(user.email);
  expect((await env.http('POST', '/auth/password-reset', { body: { token: link.token, newPassword: CHOSEN }, auth: null })).status).toBe(200);
  const notice = await env.sink.waitFor((m) => m.to === user.email && m.tag === 'password-changed');
  const url = notice.textBody.match(/https?:\/\/\S+\/report-password-change\?token=[\w-]+/)![0];

  // the user opens the link: a question and one button; opening it changes nothing
  const { page: person } = await open();
  const response = await person.goto(url);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  await expectVisible(person.getByRole('heading', { name: 'Was this you?' }));
  await expectVisible(person.getByText(`The password of ${user.email} at Globex was changed on`));
  expect((await env.signIn(tenant, user.email, CHOSEN)).body.result).toBe('signed_in');
  await person.getByRole('button', { name: 'This wasn’t me: lock the password' }).click();
  await expectVisible(person.getByRole('heading', { name: 'Password locked' }));
  // the link worked once
  await person.goto(url);
  await expectVisible(person.getByRole('heading', { name: 'Link no longer valid' }));
  expect((await env.signIn(tenant, user.email, CHOSEN)).status).toBe(401);

  // the admin sees the lock and why, and the Actions menu offers the ways out
  const { page: admin } = await openUser(tenant, user.id);
  const lock = admin.getByTestId('password-lock');
  await expectVisible(lock);
  await expect(lock.innerText()).resolves.toContain(`${user.email} reported a change of their password as not theirs`);
  await expectVisible(admin.getByText(/Locked — reported by the user/));
  await admin.getByRole('button', { name: 'Actions' }).click();
  await expectVisible(admin.getByRole('menuitem', { name: 'Send password reset email' }));
  expect(await admin.getByRole('menuitem', { name: 'Send password reset email' }).isDisabled()).toBe(false);
  expect(await admin.getByRole('menuitem', { name: 'Set temporary password' }).isDisabled()).toBe(false);
  expect(await admin.getByRole('menuitem', { name: 'Force password reset' }).getAttribute('aria-disabled')).toBe('true');

  // the Audit tab says what the user did
  await admin.keyboard.press('Escape');
  await admin.getByRole('tab', { name: 'Audit' }).click();
  const events = admin.getByRole('list', { name: 'Audit events, newest first' }).getByRole('listitem');
  await eventuallyExpect(async () => {
    await admin.getByRole('button', { name: 'Refresh' }).click();
    expect((await events.allInnerTexts()).join('\n')).toMatch(/not theirs|this wasn.t me/i);
  });
});
