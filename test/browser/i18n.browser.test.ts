import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { TestEnv } from '../support/env';
import { browserSuite, eventuallyExpect, expectVisible, signInToConsole } from '../support/browser';

/**
 * Languages and branding in a real browser (issue 22): the reset page in German
 * through the browser's Accept-Language, a Japanese reset email's link completing
 * a reset, and the console's Branding and emails page. With SCREENSHOTS_DIR set
 * (docs/screenshots), the branded email and pages are photographed for the docs.
 */
const suite = browserSuite();
let env: TestEnv;
beforeAll(() => {
  env = suite.env();
});

const INITIAL = 'glacier-ticket-marble-74';
const GOOD = 'orbit-velvet-canyon-93';
const BRANDING = { productName: 'Umbrella Cloud', primaryColor: '#ffd400', supportEmail: 'help@umbrella.example' };

async function shoot(page: Page, name: string): Promise<void> {
  const dir = process.env['SCREENSHOTS_DIR'];
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

async function userIn(tenant: string, locale: string | null): Promise<{ id: string; email: string }> {
  const u = await env.user(tenant, { password: INITIAL, displayName: 'Alex Example' });
  if (locale) expect((await env.http('PATCH', `/admin/tenants/${tenant}/users/${u.id}`, { body: { locale } })).status).toBe(200);
  return u;
}

async function sendLink(tenant: string, user: { id: string; email: string }) {
  const before = env.sink.messages.length;
  expect((await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/password-reset-email`, { body: {} })).status).toBe(202);
  const message = await env.sink.waitFor((m) => m.to === user.email && m.tag === 'password-reset' && env.sink.messages.indexOf(m) >= before);
  return { message, url: message.textBody.match(/https?:\/\/\S+\/reset-password\?token=[\w-]+/)![0] };
}

test('the reset page in German through Accept-Language, in the tenant\'s brand', async () => {
  const tenant = await env.tenant({ branding: BRANDING }, 'Umbrella Corporation');
  const user = await userIn(tenant, 'de');
  const { message } = await sendLink(tenant, user);
  // the browser's language decides when the page does not know the user's: this user has none
  expect((await env.http('PATCH', `/admin/tenants/${tenant}/users/${user.id}`, { body: { locale: null } })).status).toBe(200);
  const { url } = await sendLink(tenant, user);

  // a browser set to German: a context of its own (the suite's pages speak en-GB)
  const { context: english } = await suite.open();
  const context = await english.browser()!.newContext({ baseURL: env.baseUrl, locale: 'de-DE', timezoneId: 'UTC' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // the German email, as a mail client shows its HTML part
  await page.setContent(message.htmlBody);
  await expectVisible(page.getByRole('link', { name: 'Neues Passwort wählen' }));
  await shoot(page, 'email-reset-link-de-branded');
  await page.goto(url);
  await expectVisible(page.getByRole('heading', { name: 'Neues Passwort wählen' }));
  expect(await page.getAttribute('html', 'lang')).toBe('de');
  await expectVisible(page.getByText(`Für ${user.email} bei Umbrella Corporation.`));
  // the brand: its name in a header of its colour, black text on yellow, the support address under the page
  const header = page.locator('header[data-brand="header"]');
  await expectVisible(header.getByText('Umbrella Cloud'));
  expect(await header.evaluate((el) => { const s = el.ownerDocument.defaultView!.getComputedStyle(el); return [s.backgroundColor, s.color]; })).toEqual(['rgb(255, 212, 0)', 'rgb(0, 0, 0)']);
  await expectVisible(page.getByRole('link', { name: 'help@umbrella.example' }));

  await page.getByLabel('Neues Passwort', { exact: true }).fill('kurz');
  await page.getByLabel('Neues Passwort bestätigen').fill('kurz');
  await page.getByRole('button', { name: 'Neues Passwort festlegen' }).click();
  await expectVisible(page.getByText('Verwenden Sie mindestens 12 Zeichen.'));
  await shoot(page, 'reset-page-de-branded');

  await page.getByLabel('Neues Passwort', { exact: true }).fill(GOOD);
  await page.getByLabel('Neues Passwort bestätigen').fill(GOOD);
  await page.getByRole('button', { name: 'Neues Passwort festlegen' }).click();
  await expectVisible(page.getByRole('heading', { name: 'Passwort geändert' }));
  expect((await env.signIn(tenant, user.email, GOOD)).status).toBe(200);
  expect(errors).toEqual([]);
  await context.close();
});

test('a Japanese reset email\'s link completes a reset', async () => {
  const tenant = await env.tenant({ branding: BRANDING }, 'Umbrella Corporation');
  const user = await userIn(tenant, 'ja');
  const { message, url } = await sendLink(tenant, user);
  expect(message.subject).toBe('Umbrella Cloud のパスワード再設定');

  const { page } = await suite.open();
  // the email itself, as a mail client shows its HTML part
  await page.setContent(message.htmlBody);
  await expectVisible(page.getByRole('link', { name: '新しいパスワードを設定する' }));

  // the browser says English; the link knows its user, who reads Japanese
  await page.goto(url);
  await expectVisible(page.getByRole('heading', { name: '新しいパスワードの設定' }));
  expect(await page.getAttribute('html', 'lang')).toBe('ja');
  await page.getByLabel('新しいパスワード', { exact: true }).fill(GOOD);
  await page.getByLabel('新しいパスワード（確認）').fill(GOOD);
  await page.getByRole('button', { name: '新しいパスワードを設定' }).click();
  await expectVisible(page.getByRole('heading', { name: 'パスワードを変更しました' }));
  expect((await env.signIn(tenant, user.email, GOOD)).status).toBe(200);
});

test('the sign-in page in French through ?lang, branded', async () => {
  const tenant = await env.tenant({ branding: BRANDING }, 'Umbrella Corporation');
  const { page } = await suite.open();
  await page.goto(`/sign-in?tenant=${tenant}&lang=fr`);
  await expectVisible(page.getByRole('heading', { name: 'Connexion' }));
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expectVisible(page.getByText('Saisissez votre adresse e-mail.'));
  expect(await page.getAttribute('html', 'lang')).toBe('fr');
  await shoot(page, 'sign-in-fr-branded');
});

test('console: brand the tenant, edit an email per language beside its live preview, reset it to the built-in one', async () => {
  const tenant = await env.tenant({}, 'Globex');
  const { page } = await suite.open();
  await signInToConsole(page, env.adminKey);
  await expectVisible(page.getByRole('heading', { name: 'Choose a tenant' }));
  await page.goto(`/console/tenants/${tenant}/branding`);
  await expectVisible(page.getByRole('heading', { name: 'Branding and emails', level: 1 }));

  const brand = page.getByRole('form', { name: 'Branding' });
  await brand.getByLabel('Product name').fill('Globex Online');
  await brand.getByLabel('Primary colour', { exact: true }).fill('#0b6e4f');
  await expectVisible(brand.getByText(/Text on it will be\s*white, contrast 6\.\d:1/));
  await brand.getByLabel('Support email').fill('help@globex.example');
  await brand.getByRole('button', { name: 'Save branding' }).click();
  await expectVisible(page.getByRole('status').filter({ hasText: 'Branding saved.' }));
  await eventuallyExpect(async () => expect((await env.http('GET', `/admin/tenants/${tenant}`)).body.settings.branding).toEqual({
    productName: 'Globex Online', primaryColor: '#0b6e4f', supportEmail: 'help@globex.example',
  }));

  const emails = page.getByRole('region', { name: 'Emails' });
  await emails.getByLabel('Language').selectOption('de');
  await expectVisible(emails.getByTestId('preview-subject').getByText('Setzen Sie Ihr Passwort für Globex Online zurück'));
  await emails.getByLabel('Subject').fill('{{tenant.name}}: neues Passwort für {{user.displayName}}');
  await expectVisible(emails.getByTestId('preview-subject').getByText('Globex: neues Passwort für Alex Example'));
  const frame = page.frameLocator('iframe[title="HTML email preview"]');
  await expectVisible(frame.getByRole('link', { name: 'Neues Passwort wählen' }));
  await shoot(page, 'console-branding-and-emails');

  // an unknown variable: said at once, beside the field
  await emails.getByLabel('Subject').fill('{{user.password}}');
  await expectVisible(emails.getByText(/Unknown variable \{\{user\.password\}\}/).first());
  await emails.getByLabel('Subject').fill('{{tenant.name}}: neues Passwort');
  await emails.getByRole('button', { name: 'Save template' }).click();
  await expectVisible(page.getByRole('status').filter({ hasText: 'Template saved' }));
  await expectVisible(emails.getByText('Custom template'));
  const custom = (await env.http('GET', `/admin/tenants/${tenant}/email-templates`)).body.items.filter((i: any) => i.custom);
  expect(custom.map((i: any) => [i.name, i.locale, i.subject])).toEqual([['password_reset_link', 'de', '{{tenant.name}}: neues Passwort']]);

  await emails.getByRole('button', { name: 'Reset to built-in' }).click();
  await expectVisible(page.getByRole('status').filter({ hasText: 'back to the built-in template' }));
  await expectVisible(emails.getByText('Built-in template'));
  expect((await env.http('GET', `/admin/tenants/${tenant}/email-templates`)).body.items.some((i: any) => i.custom)).toBe(false);
});

test('console: the user\'s language on the Users list and the user page; the default language in Settings', async () => {
  const tenant = await env.tenant({}, 'Initech');
  const user = await userIn(tenant, 'pt-BR');
  const { page } = await suite.open();
  await signInToConsole(page, env.adminKey);
  await expectVisible(page.getByRole('heading', { name: 'Choose a tenant' }));
  await page.goto(`/console/tenants/${tenant}/users`);
  await expectVisible(page.getByRole('cell', { name: 'Português do Brasil (Brazilian Portuguese)' }));

  await page.goto(`/console/tenants/${tenant}/users/${user.id}`);
  const language = page.getByRole('combobox', { name: 'Language' });
  await expectVisible(language);
  expect(await language.inputValue()).toBe('pt-BR');
  await language.selectOption('ja');
  await expectVisible(page.getByRole('status').filter({ hasText: 'now gets emails in 日本語 (Japanese)' }));
  expect((await env.http('GET', `/admin/tenants/${tenant}/users/${user.id}`)).body.locale).toBe('ja');

  await page.goto(`/console/tenants/${tenant}/settings`);
  await page.getByLabel('Default language').selectOption('es');
  await page.getByRole('button', { name: 'Save language' }).click();
  await expectVisible(page.getByRole('status').filter({ hasText: 'Default language saved.' }));
  expect((await env.http('GET', `/admin/tenants/${tenant}`)).body.settings.defaultLocale).toBe('es');
});
