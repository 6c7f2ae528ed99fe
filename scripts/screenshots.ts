/**
 * `npm run screenshots`: the console and the end-user pages, photographed in
 * headless Chromium (Debian's `chromium`, driven by playwright-core) against a
 * throwaway stack on free ports, seeded with a demo tenant. Writes PNGs to
 * docs/screenshots/ (the README shows them).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { chromium, type Page } from 'playwright-core';
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

async function shot(page: Page, name: string, o: { fullPage?: boolean } = {}) {
  await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: o.fullPage ?? false, animations: 'disabled' });
  console.log(`  docs/screenshots/${name}.png`);
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  console.log('Starting a throwaway stack (PostgreSQL, Temporal, worker, API) on free ports…');
  const stack = await startThrowawayStack();
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

    await page.goto(`/console/tenants/${TENANT}/settings`);
    await page.getByRole('heading', { name: 'Scheduled password rotation' }).waitFor();
    await page.getByRole('button', { name: /Turn on rotation|Save schedule/ }).waitFor();
    await shot(page, 'settings', { fullPage: true });

    // Alan must choose a new password at sign-in (forced reset)
    await person.goto(`/sign-in?tenant=${TENANT}`);
    await person.getByLabel('Email address').fill('alan@demo.example');
    await person.getByLabel('Password').fill('lantern-oyster-kettle-21');
    await person.getByRole('button', { name: 'Sign in' }).click();
    await person.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await shot(person, 'sign-in-change-required');
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
