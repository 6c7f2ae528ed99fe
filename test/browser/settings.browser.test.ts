import { randomUUID } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { eventuallyExpect, expectVisible, browserSuite } from '../support/browser';
import { seedUsers } from '../support/seed';

const suite = browserSuite({ env: { BULK_BATCH_SIZE: '3' } });
const env = suite.env();

async function openSettings(tenant: string): Promise<Page> {
  const p = await suite.openConsole(`/tenants/${tenant}/settings`, (t) => expectVisible(t.page.getByRole('heading', { name: 'Settings', level: 1 })));
  return p.page;
}

/** A description list as a person reads it: each term and its definition. */
async function facts(region: Locator): Promise<Record<string, string>> {
  const terms = await region.getByRole('term').allInnerTexts();
  const definitions = await region.getByRole('definition').allInnerTexts();
  return Object.fromEntries(terms.map((t, i) => [t.trim(), (definitions[i] ?? '').trim()]));
}

async function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => el === el.ownerDocument.activeElement);
}

async function changeRequired(tenant: string, userId: string): Promise<string | null> {
  const res = await env.http('GET', `/admin/tenants/${tenant}/users/${userId}`);
  expect(res.status).toBe(200);
  return res.body.passwordIdentity.changeRequired;
}

test('rotation: turn it on, see the next runs, pause and resume from the keyboard, run it now and see the counts', async () => {
  const tenant = await env.tenant({}, 'Wayne Enterprises');
  const old = await seedUsers(env.pool, tenant, 3, { passwordAgeDays: 200 });
  const pending = await seedUsers(env.pool, tenant, 2, { passwordAgeDays: 200, changeRequired: 'temporary_password' });
  const fresh = await seedUsers(env.pool, tenant, 2, { passwordAgeDays: 10 });
  const schedule = env.client.schedule.getHandle(`password-rotation/${tenant}`);

  const page = await openSettings(tenant);
  const card = page.getByRole('region', { name: 'Scheduled password rotation' });
  await expectVisible(card.getByText('No rotation schedule.'));
  await expectVisible(card.getByText('NIST SP 800-63B advises against forcing periodic password changes'));

  await card.getByLabel('Schedule (cron)').fill('0 3 * * 1');
  await card.getByLabel('Time zone').fill('Europe/Berlin');
  await card.getByLabel('Maximum password age (days)').fill('90');
  await card.getByRole('button', { name: 'Turn on rotation' }).click();
  await expectVisible(page.getByRole('status').filter({ hasText: 'Scheduled rotation is on. Rotation schedule saved. Next run:' }));

  // the next runs are the Schedule's own, shown in the browser's time and in the schedule's zone
  await expectVisible(card.getByText('On', { exact: true }));
  const runs = card.getByRole('list', { name: 'Next runs' }).getByRole('listitem');
  await expectVisible(runs.first());
  expect(await runs.count()).toBe(3);
  const described = await schedule.describe();
  expect(described.state.paused).toBe(false);
  const shown = await runs.locator('time').evaluateAll((els) => els.map((el) => el.getAttribute('datetime')));
  expect(shown).toEqual(described.info.nextActionTimes.slice(0, 3).map((t) => t.toISOString()));
  for (const text of await runs.allInnerTexts()) expect(text).toMatch(/\(Mon.* 03:00 Europe\/Berlin\)$/);

  // Pause and Resume, keyboard only: the button keeps focus as its label changes
  const pause = card.getByRole('button', { name: 'Pause' });
  await pause.focus();
  await page.keyboard.press('Enter');
  await expectVisible(page.getByRole('status').filter({ hasText: 'Rotation paused. No scheduled runs happen until you resume it.' }));
  const resume = card.getByRole('button', { name: 'Resume' });
  await expectVisible(resume);
  expect(await isFocused(resume)).toBe(true);
  await expectVisible(card.getByText('Paused: scheduled runs are skipped until you resume it.'));
  expect((await schedule.describe()).state.paused).toBe(true);
  await page.keyboard.press('Enter');
  await expectVisible(page.getByRole('status').filter({ hasText: 'Rotation resumed. Next run:' }));
  await expectVisible(card.getByRole('button', { name: 'Pause' }));
  expect((await schedule.describe()).state.paused).toBe(false);
  await expectVisible(card.getByText('It has not run yet.'));

  // Run now: confirm, then the run's progress until it completes
  await card.getByRole('button', { name: 'Run now' }).click();
  const dialog = page.getByRole('dialog', { name: 'Run the rotation now?' });
  await expectVisible(dialog.getByText('older than 90 days (the saved setting)'));
  await dialog.getByRole('button', { name: 'Run now' }).click();
  const lastRun = card.getByRole('region', { name: 'Last run' });
  await expectVisible(lastRun.getByRole('status').filter({ hasText: 'Completed. 3 users must choose a new password at their next sign-in; 2 skipped (a change was already required).' }));
  const counts = await facts(lastRun);
  expect(counts).toMatchObject({ State: 'Completed', 'Users matched': '5', Flagged: '3', Skipped: '2' });
  expect(counts['Finished']).toBeTruthy();
  expect(await card.getByRole('button', { name: 'Stop' }).count()).toBe(0);

  const run = (await env.http('GET', `/admin/tenants/${tenant}/password-rotation`)).body.lastRun;
  expect(run).toMatchObject({ state: 'completed', matched: 5, done: 3, skipped: 2 });
  const link = lastRun.getByRole('link', { name: `View workflow ${run.workflowId} in the Temporal Web UI (opens in a new tab)` });
  expect(await link.getAttribute('href')).toBe(run.temporalUiUrl);
  for (const id of old) expect(await changeRequired(tenant, id)).toBe('scheduled_rotation');
  for (const id of pending) expect(await changeRequired(tenant, id)).toBe('temporary_password');
  for (const id of fresh) expect(await changeRequired(tenant, id)).toBeNull();

  // the last run is still there after a reload (GET …/password-rotation has it)
  await page.reload();
  await expectVisible(page.getByRole('region', { name: 'Last run' }).getByText('Completed. 3 users must choose a new password'));
});

test('rotation: an invalid cron expression or time zone is shown on its field, and focused', async () => {
  const tenant = await env.tenant();
  const page = await openSettings(tenant);
  const card = page.getByRole('region', { name: 'Scheduled password rotation' });
  await expectVisible(card.getByText('No rotation schedule.'));

  const cron = card.getByLabel('Schedule (cron)');
  await cron.fill('61 * * * *');
  await card.getByRole('button', { name: 'Turn on rotation' }).click();
  await expectVisible(page.getByRole('alert').filter({ hasText: 'The rotation schedule was not saved. Correct the fields marked below.' }));
  expect(await cron.getAttribute('aria-invalid')).toBe('true');
  const cronError = (await cron.getAttribute('aria-describedby'))!.split(' ').find((id) => id.endsWith('-error'))!;
  expect(await page.locator(`[id="${cronError}"]`).innerText()).toMatch(/\S/);
  await eventuallyExpect(async () => expect(await isFocused(cron)).toBe(true));
  expect(await card.getByLabel('Time zone').getAttribute('aria-invalid')).toBeNull();

  await cron.fill('0 3 * * 1');
  const zone = card.getByLabel('Time zone');
  await zone.fill('Mars/Olympus');
  await card.getByRole('button', { name: 'Turn on rotation' }).click();
  await eventuallyExpect(async () => expect(await zone.getAttribute('aria-invalid')).toBe('true'));
  expect(await cron.getAttribute('aria-invalid')).toBeNull();
  await eventuallyExpect(async () => expect(await isFocused(zone)).toBe(true));
  expect((await env.http('GET', `/admin/tenants/${tenant}/password-rotation`)).status).toBe(404);

  await zone.fill('Europe/Paris');
  await card.getByRole('button', { name: 'Turn on rotation' }).click();
  await expectVisible(page.getByRole('status').filter({ hasText: 'Rotation schedule saved.' }));
  expect(await zone.getAttribute('aria-invalid')).toBeNull();
  expect((await env.http('GET', `/admin/tenants/${tenant}/password-rotation`)).body).toMatchObject({ cron: '0 3 * * 1', timezone: 'Europe/Paris' });
});

test('bulk forced reset of everyone: confirmation, live progress, the right counts, users flagged', async () => {
  const tenant = await env.tenant({}, 'Acme Corporation');
  const everyone = await seedUsers(env.pool, tenant, 4, { passwordAgeDays: 30 });
  const pending = await seedUsers(env.pool, tenant, 1, { passwordAgeDays: 30, changeRequired: 'scheduled_rotation' });
  await seedUsers(env.pool, tenant, 2, { federated: true });

  const page = await openSettings(tenant);
  const card = page.getByRole('region', { name: 'Force password reset for many users' });
  expect(await card.getByRole('radio', { name: 'Everyone with a password' }).isChecked()).toBe(true);
  expect(await card.getByRole('checkbox', { name: 'Also revoke all sessions' }).isChecked()).toBe(false);

  // a reading of the progress fails once: said on the page, and it recovers by itself
  let failOnce = true;
  await page.route('**/bulk-operations/*', (route) => {
    if (!failOnce || route.request().method() !== 'GET') return route.fallback();
    failOnce = false;
    return route.abort('connectionrefused');
  });

  await card.getByRole('button', { name: 'Force password reset…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Force password reset for many users?' });
  await expectVisible(dialog.getByText('Every user of Acme Corporation who has a password'));
  await expectVisible(dialog.getByText('They stay signed in where they are now.'));
  expect(await isFocused(dialog.getByRole('button', { name: 'Cancel', exact: true }))).toBe(true);
  await dialog.getByRole('button', { name: 'Force reset' }).click();
  await expectVisible(page.getByRole('status').filter({ hasText: 'Bulk forced reset started.' }));

  const progress = card.getByRole('region', { name: 'Latest bulk reset' });
  await expectVisible(progress.getByRole('alert').filter({ hasText: 'Its progress could not be read' }));
  await expectVisible(progress.getByRole('status').filter({ hasText: 'Completed. 4 users must choose a new password at their next sign-in; 1 skipped' }));
  expect(await progress.getByRole('alert').count()).toBe(0);
  expect(await facts(progress)).toMatchObject({ State: 'Completed', 'Users matched': '5', Flagged: '4', Skipped: '1' });

  const operationId = new URL(page.url()).searchParams.get('bulk')!;
  const status = await env.http('GET', `/admin/tenants/${tenant}/bulk-operations/${operationId}`);
  expect(status.body).toMatchObject({ kind: 'bulk_force_reset', state: 'completed', matched: 5, done: 4, skipped: 1 });
  for (const id of everyone) expect(await changeRequired(tenant, id)).toBe('admin_forced');
  expect(await changeRequired(tenant, pending[0]!)).toBe('scheduled_rotation');
  const audited = (await env.audit(tenant)).filter((e) => e.action === 'user.force_password_reset_set');
  expect(audited).toHaveLength(4);
  for (const e of audited) expect(e.data).toEqual({ reason: 'bulk', operationId });

  // the address keeps the operation: a reload shows it again; an id that is not this tenant's is said, not polled forever
  await page.reload();
  await expectVisible(page.getByRole('region', { name: 'Latest bulk reset' }).getByText('Completed. 4 users must choose a new password'));
  await page.goto(`/console/tenants/${tenant}/settings?bulk=${randomUUID()}`);
  await expectVisible(page.getByRole('region', { name: 'Latest bulk reset' }).getByRole('alert').filter({ hasText: 'This operation was not found' }));
  expect(await page.getByRole('region', { name: 'Latest bulk reset' }).getByRole('term').count()).toBe(0);
  expect(await card.getByRole('button', { name: 'Force password reset…' }).getAttribute('aria-disabled')).toBeNull();
});

test('bulk forced reset by date: the date is required, on its field; the confirmation names it; Stop cancels the rest', async () => {
  const tenant = await env.tenant();
  // 60 users in id order, 15 an activity (3 a batch, 5 batches); rows 18-20 are held, so the run waits in its second activity and can be stopped
  const ids = (await seedUsers(env.pool, tenant, 60, { passwordAgeDays: 30 })).sort();
  const page = await openSettings(tenant);
  const card = page.getByRole('region', { name: 'Force password reset for many users' });

  await card.getByRole('radio', { name: 'Passwords set before a date' }).check();
  const date = card.getByLabel('Date', { exact: true });
  await card.getByRole('button', { name: 'Force password reset…' }).click();
  await eventuallyExpect(async () => expect(await date.getAttribute('aria-invalid')).toBe('true'));
  await expectVisible(card.getByText('Choose a date: users whose password was set before it must choose a new one.'));
  expect(await isFocused(date)).toBe(true);
  expect(await page.getByRole('dialog').count()).toBe(0);

  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  await date.fill(tomorrow);
  await card.getByRole('checkbox', { name: 'Also revoke all sessions' }).check();
  await card.getByRole('button', { name: 'Force password reset…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Force password reset for many users?' });
  await expectVisible(dialog.getByText(/whose password was set before .*00:00/));
  await expectVisible(dialog.getByText('All their sessions are revoked as well'));

  const blocker = await env.pool.connect();
  try {
    await blocker.query('BEGIN');
    await blocker.query('SELECT id FROM users WHERE id = ANY($1) FOR UPDATE', [ids.slice(18, 21)]);
    await dialog.getByRole('button', { name: 'Force reset' }).click();

    const progress = card.getByRole('region', { name: 'Latest bulk reset' });
    await expectVisible(progress.getByRole('status').filter({ hasText: 'Running since' }));
    await expectVisible(progress.getByRole('progressbar', { name: 'Latest bulk reset' }));
    await eventuallyExpect(async () => expect(await facts(progress)).toMatchObject({ State: 'Running', Flagged: '15' }), 30_000);
    expect(await card.getByRole('button', { name: 'Force password reset…' }).getAttribute('aria-disabled')).toBe('true');

    const operationId = new URL(page.url()).searchParams.get('bulk')!;
    const { workflowId } = (await env.http('GET', `/admin/tenants/${tenant}/bulk-operations/${operationId}`)).body;
    await progress.getByRole('button', { name: 'Stop' }).click();
    await eventuallyExpect(async () => {
      const d = await env.client.workflow.getHandle(workflowId).describe();
      expect((d.raw.pendingActivities ?? []).length > 0 || d.status.name !== 'RUNNING').toBe(true);
    });
    await blocker.query('COMMIT');

    const stopped = progress.getByRole('status').filter({ hasText: /Stopped\. No new batches start; users already flagged stay flagged \(\d+ counted\)\./ });
    await expectVisible(stopped);
    await expectVisible(page.getByRole('status').filter({ hasText: 'Stopped. Users already flagged stay flagged.' }));
    expect(await progress.getByRole('button', { name: /Stop/ }).count()).toBe(0);
    await eventuallyExpect(async () => expect(await isFocused(progress.getByRole('heading', { name: 'Latest bulk reset' }))).toBe(true));
    expect((await env.client.workflow.getHandle(workflowId).describe()).status.name).toBe('CANCELLED');
    // the counts are final and exact: the batch in hand when Stop came (the held rows) is counted too,
    // and the run did not go on to the end
    const flagged = (await env.pool.query("SELECT count(*)::int AS n FROM users WHERE tenant_id = $1 AND change_required = 'admin_forced'", [tenant])).rows[0].n;
    expect(flagged).toBeGreaterThanOrEqual(21);
    expect(flagged).toBeLessThan(60);
    expect(await stopped.textContent()).toContain(`(${flagged} counted)`);
    expect(await facts(progress)).toMatchObject({ State: 'Stopped', Flagged: String(flagged) });
    expect((await env.http('GET', `/admin/tenants/${tenant}/bulk-operations/${operationId}`)).body).toMatchObject({ state: 'cancelled', done: flagged });
    expect(await card.getByRole('button', { name: 'Force password reset…' }).getAttribute('aria-disabled')).toBeNull();
  } finally {
    await blocker.query('ROLLBACK').catch(() => undefined);
    blocker.release();
  }
});
