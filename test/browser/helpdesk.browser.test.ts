import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { eventually, INITIAL } from '../support/env';
import { eventuallyExpect, expectVisible, browserSuite } from '../support/browser';

const suite = browserSuite();
const env = suite.env();
const { openConsole, openUser } = suite;

async function sendResetFromTheMenu(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Actions' }).click();
  await page.getByRole('menuitem', { name: 'Send password reset email' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Send email' }).click();
}

test("the user page says whether the reset email arrived: delivered, or bounced with the link cancelled, also in the Audit tab", async () => {
  const tenant = await env.tenant({}, 'Acme');
  const ada = await env.user(tenant, { password: INITIAL, displayName: 'Ada Lovelace' });
  const { page } = await openUser(tenant, ada.id);
  await sendResetFromTheMenu(page);
  // the sink reports the delivery; the page reads it without a reload
  const delivered = page.locator('p.delivery').filter({ hasText: /Delivered \d\d:\d\d$/ });
  await expectVisible(delivered, 'the "Delivered 09:14" line');
  expect(await delivered.getAttribute('data-tone')).toBe('ok');
  const reset = (await env.http('GET', `/admin/tenants/${tenant}/users/${ada.id}`)).body.pendingPasswordReset;
  const at = new Date(reset.delivery.at);
  expect(await delivered.innerText()).toContain(`Delivered ${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')}`);

  const bob = await env.user(tenant, { password: INITIAL, displayName: 'Bob Bounce', email: 'HardBounce@bounce-testing.postmarkapp.com' });
  const { page: bobPage } = await openUser(tenant, bob.id);
  await sendResetFromTheMenu(bobPage);
  const bounced = bobPage.getByText('Bounced: mailbox does not exist — the link was cancelled');
  await expectVisible(bounced, 'the bounce, in words');
  expect(await bobPage.locator('p.delivery').filter({ hasText: 'Bounced' }).getAttribute('data-tone')).toBe('bad');
  await expectVisible(bobPage.getByRole('term').filter({ hasText: 'Last reset email' }));
  expect(await bobPage.getByRole('button', { name: 'Cancel link' }).count()).toBe(0);

  await bobPage.getByRole('tab', { name: 'Audit' }).click();
  await expectVisible(bobPage.getByText('The reset email bounced: mailbox does not exist. The link was cancelled.'));
});

test("a temporary password shows when it lapses, and that it has", async () => {
  const tenant = await env.tenant({ temporaryPasswordTtlSeconds: 6 * 86400 + 3600 });
  const user = await env.user(tenant, { password: INITIAL, displayName: 'Grace Temp' });
  expect((await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/temporary-password`, { body: { password: 'lantern-oyster-kettle-21', notifyUser: false } })).status).toBe(200);
  const { page } = await openUser(tenant, user.id);
  await expectVisible(page.getByText('Temporary password — lapses in 6 days'));

  // once lapsed (here: its time moved three days back), the page says so and what to do
  await env.pool.query(`UPDATE users SET password_expires_at = now() - interval '3 days' WHERE id = $1`, [user.id]);
  await page.reload();
  await expectVisible(page.getByText('Temporary password — lapsed 3 days ago'));
  await expectVisible(page.getByText('The user can no longer sign in with it'));
});

test('the Audit page filters by action, user, actor and dates, pages through, links each event, and exports the filtered events as CSV', async () => {
  const tenant = await env.tenant({}, 'Audit Co');
  const key = await env.http('POST', `/admin/tenants/${tenant}/api-keys`, { body: { name: 'Helpdesk' } });
  const ada = await env.user(tenant, { password: INITIAL, email: 'ada@audit.example' });
  const bob = await env.user(tenant, { password: INITIAL, email: 'bob@audit.example' });
  await env.http('POST', `/admin/tenants/${tenant}/users/${ada.id}/force-password-reset`, { body: {} });
  await env.http('POST', `/admin/tenants/${tenant}/users/${bob.id}/force-password-reset`, { body: {}, auth: key.body.key });
  await env.http('POST', `/admin/tenants/${tenant}/users/${bob.id}/password-reset-email`, { body: {}, auth: key.body.key });
  await eventually(async () => ((await env.audit(tenant, bob.id)).some((e) => e.action === 'user.password_reset_email_sent') ? true : undefined), 'email sent');

  const { page } = await openConsole(`/tenants/${tenant}/audit`, (p) => expectVisible(p.page.getByRole('heading', { name: 'Audit' })));
  expect(await page.getByRole('navigation', { name: 'Tenant' }).getByRole('link').allInnerTexts()).toEqual(['Users', 'Resets', 'Audit', 'Import', 'Settings', 'Branding and emails', 'Approvals', 'Webhooks']);
  const rows = page.getByRole('table').getByRole('row');
  await eventuallyExpect(async () => expect(await rows.count()).toBe(1 + 4)); // header, 3 user events and the key's creation
  expect(await rows.nth(1).innerText()).toContain('Admin key “Helpdesk” sent a password reset email');

  // action
  await page.getByLabel('Action', { exact: true }).selectOption({ label: 'Password reset forced' });
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await eventuallyExpect(async () => expect(await rows.count()).toBe(1 + 2));
  expect(page.url()).toContain('action=user.force_password_reset_set');
  // and user, by email
  await page.getByLabel('User', { exact: true }).fill('bob@audit.example');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await eventuallyExpect(async () => expect(await rows.count()).toBe(1 + 1));
  await expectVisible(rows.nth(1).getByRole('link', { name: 'bob@audit.example' }));
  // actor: the platform key did nothing to Bob
  await page.getByLabel('Actor', { exact: true }).selectOption({ label: 'Platform admin key' });
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expectVisible(page.getByText('No events match these filters.'));
  await page.getByLabel('Actor', { exact: true }).selectOption({ label: 'Key “Helpdesk”' });
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await eventuallyExpect(async () => expect(await rows.count()).toBe(1 + 1));
  // dates: from tomorrow there is nothing; up to today there is
  const day = (offset: number) => new Date(Date.now() + offset * 86400_000).toISOString().slice(0, 10);
  await page.getByLabel('From', { exact: true }).fill(day(1));
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expectVisible(page.getByText('No events match these filters.'));
  await page.getByLabel('From', { exact: true }).fill(day(-1));
  await page.getByLabel('To', { exact: true }).fill(day(0));
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await eventuallyExpect(async () => expect(await rows.count()).toBe(1 + 1));

  // Export CSV: the filtered events, fetched with the key in a header (never in a URL)
  const requests: { url: string; accept: string | undefined; authorization: string | undefined }[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/audit-events')) requests.push({ url: r.url(), accept: r.headers()['accept'], authorization: r.headers()['authorization'] });
  });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  expect(download.suggestedFilename()).toBe(`audit-${tenant}.csv`);
  const csv = fs.readFileSync((await download.path())!, 'utf8');
  const lines = csv.trim().split('\r\n');
  expect(lines[0]).toBe('id,occurredAt,action,userId,actorType,actorId,actorName,workflowId,runId,data');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(`,user.force_password_reset_set,${bob.id},admin,${key.body.id},Helpdesk,`);
  const exportRequest = requests.find((r) => r.accept === 'text/csv')!;
  expect(exportRequest.url).toContain(`actorId=${key.body.id}`);
  expect(exportRequest.authorization).toBe(`Bearer ${env.adminKey}`);
  expect(exportRequest.url).not.toContain(env.adminKey);
  await expectVisible(page.getByRole('status').filter({ hasText: `Exported audit-${tenant}.csv` }));

  // each event links to its user and to its workflow in the Temporal Web UI
  const workflow = await rows.nth(1).getByRole('link', { name: /View workflow/ }).getAttribute('href');
  expect(workflow).toMatch(new RegExp(`^http://localhost:8233/namespaces/default/workflows/force-password-reset%2F${tenant}%2F${bob.id}%2F[0-9a-f-]+/[0-9a-f-]+/history$`));
  await rows.nth(1).getByRole('link', { name: 'bob@audit.example' }).click();
  await expectVisible(page.getByRole('heading', { name: 'Test Person' }));
  expect(page.url()).toContain(`/users/${bob.id}`);

  // paging: 30 more events, 25 a page
  await env.pool.query(
    `INSERT INTO audit_events (id, tenant_id, user_id, occurred_at, action, actor, data, idempotency_key)
     SELECT gen_random_uuid(), $1, $2, now(), 'user.sessions_revoked', '{"type":"admin","id":"platform"}', '{"count":1}', 'seed:' || $1 || ':' || i
       FROM generate_series(1, 30) AS i`,
    [tenant, ada.id],
  );
  await page.goto(`/console/tenants/${tenant}/audit?user=${ada.id}`);
  await eventuallyExpect(async () => expect(await rows.count()).toBe(1 + 25));
  await page.getByRole('button', { name: 'Next page' }).click();
  await eventuallyExpect(async () => expect(await rows.count()).toBe(1 + 6)); // 5 seeded and the forced reset
  await expectVisible(rows.last().getByText('The platform admin key forced a password reset at the next sign-in.'));
  expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
  await page.getByRole('button', { name: 'Previous page' }).click();
  await eventuallyExpect(async () => expect(await rows.count()).toBe(1 + 25));

  // a user email nobody has is said as such
  await page.getByLabel('User', { exact: true }).fill('nobody@audit.example');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expectVisible(page.getByText('No user of this tenant has the email address “nobody@audit.example”.'));
});

test('the Resets page: emails that did not arrive first, pending links with expiry and delivery, then every outcome', async () => {
  const tenant = await env.tenant({}, 'Resets Co');
  const base = `/admin/tenants/${tenant}`;
  const bounced = await env.user(tenant, { password: INITIAL, email: 'hardbounce@bounce-testing.postmarkapp.com' });
  const pending = await env.user(tenant, { password: INITIAL, email: 'pending@resets.example' });
  const done = await env.user(tenant, { password: INITIAL, email: 'done@resets.example' });
  const b = await env.http('POST', `${base}/users/${bounced.id}/password-reset-email`, { body: {} });
  const d = await env.http('POST', `${base}/users/${done.id}/password-reset-email`, { body: {} });
  const link = await env.resetLink(done.email);
  expect((await env.http('POST', '/auth/password-reset', { body: { token: link.token, newPassword: 'orbit-velvet-canyon-93' }, auth: null })).status).toBe(200);
  const p = await env.http('POST', `${base}/users/${pending.id}/password-reset-email`, { body: {} });
  await eventually(async () => ((await env.http('GET', `${base}/password-resets/${b.body.resetId}`)).body.state === 'cancelled' ? true : undefined), 'bounce');
  await eventually(async () => ((await env.http('GET', `${base}/password-resets/${p.body.resetId}`)).body.delivery.state === 'delivered' ? true : undefined), 'delivered');
  await eventually(async () => ((await env.http('GET', `${base}/password-resets/${d.body.resetId}`)).body.delivery.state === 'delivered' ? true : undefined), 'delivered');

  const { page } = await openConsole(`/tenants/${tenant}/users`, (t) => expectVisible(t.page.getByRole('heading', { name: 'Users' })));
  await page.getByRole('navigation', { name: 'Tenant' }).getByRole('link', { name: 'Resets' }).click();
  await expectVisible(page.getByRole('heading', { name: 'Resets', level: 1 }));
  const sections = page.locator('main section');
  expect(await sections.locator('h2').allInnerTexts()).toEqual(['Emails that did not arrive', 'Pending links', 'Recent resets']);

  const undelivered = page.getByRole('region', { name: 'Emails that did not arrive' });
  const undeliveredRows = undelivered.getByRole('row');
  await eventuallyExpect(async () => expect(await undeliveredRows.count()).toBe(2));
  expect(await undeliveredRows.nth(1).innerText()).toContain('Cancelled');
  await expectVisible(undeliveredRows.nth(1).getByText('Bounced: mailbox does not exist — the link was cancelled'));
  await expectVisible(undeliveredRows.nth(1).getByRole('link', { name: 'hardbounce@bounce-testing.postmarkapp.com' }));

  const open = page.getByRole('region', { name: 'Pending links' }).getByRole('row');
  await eventuallyExpect(async () => expect(await open.count()).toBe(2));
  expect(await open.nth(1).innerText()).toMatch(/pending@resets\.example\s+Pending\s+in (24 hours|1 day)\s+.*Delivered \d\d:\d\d/s);
  expect(await open.nth(1).getByRole('link', { name: /View workflow/ }).getAttribute('href')).toContain(`password-reset-email%2F${tenant}%2F${p.body.resetId}`);

  const recent = page.getByRole('region', { name: 'Recent resets' }).getByRole('row');
  await eventuallyExpect(async () => expect(await recent.count()).toBe(4));
  expect((await recent.allInnerTexts()).slice(1).map((t) => t.split(/\s+/)[0])).toEqual(['pending@resets.example', 'done@resets.example', 'hardbounce@bounce-testing.postmarkapp.com']);
  expect(await recent.nth(2).innerText()).toContain('Completed');
});
