/**
 * `npm run screenshots`: the console and the end-user pages, photographed in
 * headless Chromium (Debian's `chromium`, driven by playwright-core) against a
 * throwaway stack on free ports, seeded with a demo tenant. Writes PNGs to
 * docs/screenshots/ (the docs show them).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import bcrypt from 'bcryptjs';
import { chromium, type Locator, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../src/paths';
import { startThrowawayStack, type ThrowawayStack } from './throwawayStack';

const OUT = path.join(PROJECT_ROOT, 'docs', 'screenshots');
const TENANT = 'demo';
const ADA_PASSWORD = 'orbit-velvet-canyon-93';

async function call(stack: ThrowawayStack, method: string, p: string, body?: unknown) {
  const res = await fetch(stack.baseUrl + p, {
    method,
    headers: { authorization: `Bearer ${stack.adminKey}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json().catch(() => undefined)) as any;
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function seed(stack: ThrowawayStack) {
  await call(stack, 'POST', '/admin/tenants', { id: TENANT, name: 'Demo Company', settings: { resetLinkTtlSeconds: 86400 } });
  await call(stack, 'POST', '/admin/tenants', { id: 'initech', name: 'Initech' });
  await call(stack, 'POST', '/admin/tenants', { id: 'umbrella', name: 'Umbrella Corporation' });
  const users: Record<string, string> = {};
  for (const u of [
    { email: 'ada@demo.example', displayName: 'Ada Lovelace', password: ADA_PASSWORD },
    { email: 'grace@demo.example', displayName: 'Grace Hopper', federatedIdentities: [{ provider: 'google', subject: '1094857362' }] },
    { email: 'alan@demo.example', displayName: 'Alan Turing', password: 'lantern-oyster-kettle-21' },
    { email: 'katherine@demo.example', displayName: 'Katherine Johnson', password: 'glacier-ticket-marble-74', federatedIdentities: [{ provider: 'okta', subject: '00u1k2j3h4' }] },
    { email: 'edsger@demo.example', displayName: 'Edsger Dijkstra', password: 'maple-harbor-quartz-88' },
  ]) {
    users[u.email] = (await call(stack, 'POST', `/admin/tenants/${TENANT}/users`, u)).id;
  }
  await call(stack, 'POST', `/admin/tenants/${TENANT}/users/${users['alan@demo.example']}/force-password-reset`, {});
  return users;
}

/** Until a rotation run or bulk reset is no longer running (or has reached `until`). */
async function waitForOperation(stack: ThrowawayStack, tenant: string, operationId: string, until: (s: any) => boolean = (s) => s.state !== 'running') {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = await call(stack, 'GET', `/admin/tenants/${tenant}/bulk-operations/${operationId}`);
    if (until(status)) return status;
    if (Date.now() > deadline) throw new Error(`operation ${operationId} still at ${JSON.stringify(status)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Until the reset reaches `until` (its email delivered or bounced, as the sink's webhooks report). */
async function waitForReset(stack: ThrowawayStack, resetId: string, until: (r: any) => boolean) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const reset = await call(stack, 'GET', `/admin/tenants/${TENANT}/password-resets/${resetId}`);
    if (until(reset)) return reset;
    if (Date.now() > deadline) throw new Error(`reset ${resetId} still at ${JSON.stringify(reset)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function shot(page: Page, name: string, o: { fullPage?: boolean } = {}) {
  await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: o.fullPage ?? false, animations: 'disabled' });
  console.log(`  docs/screenshots/${name}.png`);
}

async function shotOf(locator: Locator, name: string) {
  await locator.screenshot({ path: path.join(OUT, `${name}.png`), animations: 'disabled' });
  console.log(`  docs/screenshots/${name}.png`);
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  console.log('Starting a throwaway stack (PostgreSQL, Temporal, worker, API) on free ports…');
  // two users a statement, two statements an activity: a bulk reset of a couple of dozen users shows progress
  const stack = await startThrowawayStack({ env: { BULK_BATCH_SIZE: '2', BULK_BATCHES_PER_ACTIVITY: '2' } });
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
  try {
    const users = await seed(stack);
    const grace = users['grace@demo.example']!;
    fs.mkdirSync(OUT, { recursive: true });
    const context = await browser.newContext({ baseURL: stack.baseUrl, viewport: { width: 1200, height: 760 }, deviceScaleFactor: 1, locale: 'en-GB', timezoneId: 'UTC', colorScheme: 'light' });
    const user = await browser.newContext({ baseURL: stack.baseUrl, viewport: { width: 900, height: 640 }, locale: 'en-GB', timezoneId: 'UTC', colorScheme: 'light' });
    const page = await context.newPage();
    const person = await user.newPage();

    // Ada signs in once, so she has a session, then asks for nothing: her admin will send the link
    await person.goto(`/sign-in?tenant=${TENANT}`);
    await shot(person, 'sign-in');
    await person.getByLabel('Email address').fill('ada@demo.example');
    await person.getByLabel('Password').fill(ADA_PASSWORD);
    await person.getByRole('button', { name: 'Sign in' }).click();
    await person.getByRole('heading', { name: 'You are signed in' }).waitFor();
    await shot(person, 'signed-in');

    console.log('Writing screenshots:');
    await page.goto('/console/');
    await page.getByLabel('Admin key').waitFor();
    await shot(page, 'console-sign-in');
    await page.getByLabel('Admin key').fill(stack.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Demo Company' }).waitFor();
    await shot(page, 'tenants');
    await page.getByRole('link', { name: 'Demo Company' }).click();
    await page.getByRole('link', { name: 'Ada Lovelace' }).waitFor();
    await shot(page, 'users');

    await page.getByRole('link', { name: 'Ada Lovelace' }).click();
    await page.getByRole('button', { name: 'Actions' }).click();
    await page.getByRole('menuitem', { name: 'Send password reset email' }).click();
    await page.getByRole('dialog').waitFor();
    await shot(page, 'send-reset-email');
    await page.getByRole('button', { name: 'Send email' }).click();
    await page.getByRole('button', { name: 'Cancel link' }).waitFor();
    await shot(page, 'user-detail');
    await page.getByRole('button', { name: 'Actions' }).click();
    await page.getByRole('menuitem').first().waitFor();
    await shot(page, 'actions-menu');
    await page.keyboard.press('Escape');

    const mail = await stack.sink.waitFor((m) => m.to === 'ada@demo.example' && m.tag === 'password-reset');
    const link = mail.textBody.match(/https?:\/\/\S+\/reset-password\?token=[\w-]+/)![0];
    await person.goto(link);
    await person.getByLabel('New password', { exact: true }).fill('password1234');
    await person.getByLabel('Confirm new password').fill('password1234');
    await person.getByRole('button', { name: 'Set new password' }).click();
    await person.getByText('Correct the field marked below').waitFor();
    await shot(person, 'reset-page-policy-error');
    await person.getByLabel('New password', { exact: true }).fill('copper-lantern-meadow-42');
    await person.getByLabel('Confirm new password').fill('copper-lantern-meadow-42');
    await person.getByRole('button', { name: 'Set new password' }).click();
    await person.getByRole('heading', { name: 'Password changed' }).waitFor();
    await shot(person, 'reset-page-done');

    await page.getByRole('button', { name: 'Actions' }).click();
    await page.getByRole('menuitem', { name: 'Set temporary password' }).click();
    await page.getByRole('textbox', { name: 'Temporary password' }).fill('demo');
    await page.getByRole('button', { name: 'Generate' }).click();
    await page.locator('ol.rules li[data-state="met"]').nth(3).waitFor();
    await shot(page, 'temporary-password');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel', exact: true }).click();

    await page.getByRole('tab', { name: 'Sessions' }).click();
    await page.getByRole('button', { name: 'Revoke', exact: true }).first().waitFor();
    await shot(page, 'sessions');
    await page.getByRole('tab', { name: 'Audit' }).click();
    await page.getByText('completed the password reset').waitFor();
    await shot(page, 'audit');

    await page.goto(`/console/tenants/${TENANT}/users/${grace}`);
    await page.getByRole('button', { name: 'Actions' }).click();
    await page.getByRole('menuitem').first().waitFor();
    await shot(page, 'federated-user');
    await page.keyboard.press('Escape');

    // a rotation schedule with a last run: three demo passwords are over a year old, and Alan's change is already pending
    await stack.pool.query(`UPDATE users SET password_set_at = now() - interval '400 days' WHERE tenant_id = $1 AND email = ANY($2)`, [
      TENANT, ['alan@demo.example', 'katherine@demo.example', 'edsger@demo.example'],
    ]);
    await call(stack, 'PUT', `/admin/tenants/${TENANT}/password-rotation`, { cron: '0 3 1 * *', timezone: 'Europe/London', maxPasswordAgeDays: 365 });
    const run = await call(stack, 'POST', `/admin/tenants/${TENANT}/password-rotation/run`);
    await waitForOperation(stack, TENANT, run.operationId);
    await page.goto(`/console/tenants/${TENANT}/settings`);
    await page.getByRole('region', { name: 'Last run' }).getByText('Completed.').waitFor();
    await shot(page, 'settings', { fullPage: true });

    // a bulk reset caught mid-run: Initech gets 24 password users (one copied hash; one already flagged), and a
    // transaction holds the 13th and 14th in id order, so the run waits there with 12 done
    const hash = (await stack.pool.query(`SELECT password_hash FROM users WHERE tenant_id = $1 AND email = 'edsger@demo.example'`, [TENANT])).rows[0].password_hash;
    const ids: string[] = (
      await stack.pool.query(
        `INSERT INTO users (id, tenant_id, email, display_name, password_hash, password_set_at, created_at)
         SELECT gen_random_uuid(), 'initech', 'employee-' || i || '@initech.example', 'Employee ' || i, $1, now() - interval '90 days', now() - interval '1 minute'
           FROM generate_series(1, 24) AS i RETURNING id`,
        [hash],
      )
    ).rows.map((r) => r.id as string).sort();
    await stack.pool.query(`UPDATE users SET change_required = 'admin_forced' WHERE id = $1`, [ids[5]]);
    const blocker = await stack.pool.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT id FROM users WHERE id = ANY($1) FOR UPDATE', [ids.slice(12, 14)]);
      await page.goto('/console/tenants/initech/settings');
      const card = page.getByRole('region', { name: 'Force password reset for many users' });
      await card.getByRole('radio', { name: 'Passwords set before a date' }).check();
      await card.getByLabel('Date', { exact: true }).fill(new Date().toISOString().slice(0, 10));
      await card.getByRole('button', { name: 'Force password reset…' }).click();
      await page.getByRole('dialog').waitFor();
      await shot(page, 'bulk-reset-confirm');
      await page.getByRole('dialog').getByRole('button', { name: 'Force reset' }).click();
      const progress = card.getByRole('region', { name: 'Latest bulk reset' });
      await progress.getByRole('definition').filter({ hasText: /^12$/ }).waitFor();
      await shotOf(card, 'bulk-reset-progress');
      await blocker.query('COMMIT');
      await progress.getByText('Completed.').waitFor();
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      blocker.release();
    }

    // helpdesk: did the email arrive? Edsger's was delivered; Mo's bounced (the sink imitates Postmark's
    // bounce-testing addresses), so the admin set a temporary password instead, which lapses in a week
    const edsger = users['edsger@demo.example']!;
    const mo = (await call(stack, 'POST', `/admin/tenants/${TENANT}/users`, { email: 'hardbounce@bounce-testing.postmarkapp.com', displayName: 'Mo Bounce', password: 'harbor-violet-pencil-31' })).id as string;
    const delivered = await call(stack, 'POST', `/admin/tenants/${TENANT}/users/${edsger}/password-reset-email`, {});
    const bounced = await call(stack, 'POST', `/admin/tenants/${TENANT}/users/${mo}/password-reset-email`, {});
    await waitForReset(stack, delivered.resetId, (r) => r.delivery.state === 'delivered');
    await waitForReset(stack, bounced.resetId, (r) => r.state === 'cancelled');
    await call(stack, 'POST', `/admin/tenants/${TENANT}/users/${mo}/temporary-password`, { password: 'copper-lantern-meadow-42', notifyUser: false });
    await page.goto(`/console/tenants/${TENANT}/users/${edsger}`);
    await page.getByText(/Delivered \d\d:\d\d/).waitFor();
    await shot(page, 'user-delivered');
    await page.goto(`/console/tenants/${TENANT}/users/${mo}`);
    await page.getByText('Bounced: mailbox does not exist — the link was cancelled').waitFor();
    await page.getByText(/Temporary password — lapses in/).waitFor();
    await shot(page, 'user-bounced');
    await page.goto(`/console/tenants/${TENANT}/resets`);
    await page.getByRole('region', { name: 'Emails that did not arrive' }).getByText('Bounced: mailbox does not exist').waitFor();
    await page.getByRole('region', { name: 'Pending links' }).getByText(/Delivered/).waitFor();
    await shot(page, 'resets', { fullPage: true });
    await page.goto(`/console/tenants/${TENANT}/audit`);
    await page.getByText('The reset email bounced: mailbox does not exist. The link was cancelled.').waitFor();
    await page.getByRole('link', { name: 'hardbounce@bounce-testing.postmarkapp.com' }).first().waitFor();
    await shot(page, 'tenant-audit', { fullPage: true });

    // Alan must choose a new password at sign-in (forced reset)
    await person.goto(`/sign-in?tenant=${TENANT}`);
    await person.getByLabel('Email address').fill('alan@demo.example');
    await person.getByLabel('Password').fill('lantern-oyster-kettle-21');
    await person.getByRole('button', { name: 'Sign in' }).click();
    await person.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await shot(person, 'sign-in-change-required');

    // "this wasn't me": Ada's completed reset was followed by the password-changed notice; its report page
    const notice = await stack.sink.waitFor((m) => m.to === 'ada@demo.example' && m.tag === 'password-changed');
    await person.goto(notice.textBody.match(/https?:\/\/\S+\/report-password-change\?token=[\w-]+/)![0]);
    await person.getByRole('heading', { name: 'Was this you?' }).waitFor();
    await shot(person, 'report-password-change');

    // four eyes: privileged users' resets wait for a second admin; Katherine's temporary password is held
    const katherine = users['katherine@demo.example']!;
    await call(stack, 'PATCH', `/admin/tenants/${TENANT}`, { settings: { approvals: { requiredFor: 'privileged_users', ttlSeconds: 86400 } } });
    await call(stack, 'PATCH', `/admin/tenants/${TENANT}/users/${katherine}`, { privileged: true });
    await call(stack, 'POST', `/admin/tenants/${TENANT}/users/${katherine}/temporary-password`, { password: 'walnut-signal-harbor-65', notifyUser: false });
    await page.goto(`/console/tenants/${TENANT}/approvals`);
    await page.getByRole('table', { name: 'Waiting for approval' }).getByRole('link', { name: 'katherine@demo.example' }).waitFor();
    await shot(page, 'approvals');

    // outbound webhooks: one endpoint (a public address literal: nothing here listens, so only the list is shown)
    await call(stack, 'POST', `/admin/tenants/${TENANT}/webhook-endpoints`, { url: 'https://93.184.216.34/hooks/resetflow', description: 'Security operations' });
    await page.goto(`/console/tenants/${TENANT}/webhooks`);
    await page.getByRole('link', { name: 'https://93.184.216.34/hooks/resetflow' }).waitFor();
    await shot(page, 'webhooks');

    // a user import from another system's bcrypt hashes, one line of which is no hash at all
    const ndjson = [
      { email: 'milton@initech.example', displayName: 'Milton Waddams', passwordHash: bcrypt.hashSync('Migrated from the old system 42', 4) },
      { email: 'peter@initech.example', displayName: 'Peter Gibbons', passwordHash: bcrypt.hashSync('another one entirely 77', 4) },
      { email: 'bill@initech.example', passwordHash: 'not-a-hash-of-any-kind' },
    ].map((l) => JSON.stringify(l)).join('\n') + '\n';
    await page.goto('/console/tenants/initech/import');
    await page.getByLabel('NDJSON file').setInputFiles({ name: 'users.ndjson', mimeType: 'application/x-ndjson', buffer: Buffer.from(ndjson) });
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByRole('heading', { name: 'Import completed' }).waitFor();
    await shot(page, 'user-import', { fullPage: true });
  } catch (err) {
    // what each page showed when it failed, for the person running the script
    for (const [i, c] of browser.contexts().entries()) {
      for (const p of c.pages()) {
        const file = path.join(os.tmpdir(), `resetflow-screenshots-failed-${i}.png`);
        if (await p.screenshot({ path: file }).then(() => true, () => false)) console.error(`page ${i} at failure: ${file}`);
      }
    }
    throw err;
  } finally {
    await browser.close();
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
