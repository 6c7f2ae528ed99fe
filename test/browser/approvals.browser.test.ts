import { INITIAL, TEMPORARY } from '../support/env';
import { browserSuite, expectVisible, signInToConsole } from '../support/browser';

/** Issue 18 in the browser: a temporary password held for a second admin, approved by another admin on the Approvals page. */
const suite = browserSuite();
const env = suite.env();

test('a second admin approves a held temporary password from the Approvals page', async () => {
  const tenant = await env.tenant({ approvals: { requiredFor: 'privileged_users', ttlSeconds: 3600 } }, 'Globex');
  const user = await env.user(tenant, { password: INITIAL, displayName: 'Hank Scorpio' });

  // the first admin marks the user privileged, then sets a temporary password: it is held
  const { page: first } = await suite.openUser(tenant, user.id);
  await first.getByRole('checkbox', { name: /Privileged account/ }).check();
  await expectVisible(first.getByRole('status').filter({ hasText: `${user.email} is privileged` }));
  await first.getByRole('button', { name: 'Actions' }).click();
  await first.getByRole('menuitem', { name: 'Set temporary password' }).click();
  const dialog = first.getByRole('dialog', { name: 'Set temporary password' });
  await dialog.getByRole('textbox', { name: 'Temporary password' }).fill(TEMPORARY);
  await dialog.getByRole('switch', { name: 'Notify the user via email' }).click();
  await dialog.getByRole('button', { name: 'Set temporary password' }).click();
  await expectVisible(first.getByRole('status').filter({ hasText: "waiting for a second admin's approval" }));
  // the user page shows the held request in place of the action
  await expectVisible(first.getByText('Waiting for a second admin:'));
  expect((await env.signIn(tenant, user.email, INITIAL)).body.result).toBe('signed_in');

  // the first admin cannot approve their own request
  await first.goto(`/console/tenants/${tenant}/approvals`);
  const ownRow = first.getByRole('table', { name: 'Waiting for approval' }).getByRole('row').filter({ hasText: user.email });
  await ownRow.getByRole('button', { name: /^Approve/ }).click();
  await expectVisible(first.getByRole('alert').filter({ hasText: 'another admin than the one who asked' }));

  // a second admin, with a key of their own, approves it
  const secondKey = (await env.http('POST', `/admin/tenants/${tenant}/api-keys`, { body: { name: 'Second admin' } })).body.key as string;
  const { page: second } = await suite.open();
  await signInToConsole(second, secondKey);
  await expectVisible(second.getByRole('link', { name: 'Approvals' }));
  await second.getByRole('link', { name: 'Approvals' }).click();
  await expectVisible(second.getByRole('heading', { name: 'Approvals', level: 1 }));
  const pending = second.getByRole('table', { name: 'Waiting for approval' });
  const row = pending.getByRole('row').filter({ hasText: user.email });
  await expectVisible(row.getByText('Set temporary password'));
  await expectVisible(row.getByText('platform admin key'));
  await row.getByRole('button', { name: /^Approve/ }).click();
  await expectVisible(second.getByRole('status').filter({ hasText: `Approved: set temporary password for ${user.email} is applied` }));
  await expectVisible(second.getByRole('table', { name: 'All approvals' }).getByText('Approved'));

  // applied: the temporary password signs in (and must be changed)
  expect((await env.signIn(tenant, user.email, TEMPORARY)).body.result).toBe('password_change_required');
  const set = (await env.audit(tenant, user.id)).find((e) => e.action === 'user.password_set_by_admin');
  expect(set?.data).toMatchObject({ approvedBy: { name: 'Second admin' } });
});
