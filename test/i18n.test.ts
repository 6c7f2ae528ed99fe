import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { CATALOGUES, emailLocale, LOCALES, negotiateLocale, pageLocale, translate, type Locale, type MessageKey } from '../src/i18n';
import { en } from '../src/i18n/catalogues/en';
import { eventually, TestEnv } from './support/env';

/**
 * Every email and end-user page in every language (issue 22): the catalogues
 * are complete and used, the language is chosen by api.md's rules, and each
 * page and email says it (`<html lang>`) in the tenant's brand.
 */

const INITIAL = 'glacier-ticket-marble-74';
const GOOD = 'orbit-velvet-canyon-93';
const KEYS = Object.keys(en) as MessageKey[];

/** The argument names of an ICU message (plural/select arguments included), sorted. */
function argumentsOf(message: string, locale: string): string[] {
  const names = new Set<string>();
  const walk = (nodes: any[]) => {
    for (const n of nodes) {
      if (typeof n.value === 'string' && n.type !== 0 /* literal */ && n.type !== 7 /* pound */) names.add(n.value);
      if (n.options) for (const o of Object.values<any>(n.options)) walk(o.value);
    }
  };
  walk(new IntlMessageFormat(message, locale).getAst() as any[]);
  return [...names].sort();
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('catalogues', () => {
  test.each(LOCALES.filter((l) => l !== 'en'))('%s has exactly the English keys, each a valid ICU message with the same arguments', (locale) => {
    const catalogue = CATALOGUES[locale] as Record<string, string>;
    expect({ missing: KEYS.filter((k) => !(k in catalogue)), extra: Object.keys(catalogue).filter((k) => !(k in en)) }).toEqual({ missing: [], extra: [] });
    for (const key of KEYS) {
      expect({ key, args: argumentsOf(catalogue[key]!, locale) }).toEqual({ key, args: argumentsOf(en[key], 'en') });
      // not the English text left in place (words that are the same in both languages are few and listed)
      if (!['duration.minutes', 'field.email'].includes(key) || locale === 'ja') {
        if (catalogue[key] === en[key]) throw new Error(`${locale}: ${key} is still English`);
      }
    }
  });

  test('no key is unused: each is named in the code that renders pages and emails', () => {
    const code = sourceFiles(join(__dirname, '..', 'src')).filter((f) => !f.includes(`${join('i18n', 'catalogues')}`)).map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(KEYS.filter((k) => !code.includes(`'${k}'`))).toEqual([]);
  });

  test('plurals and dates follow the language', () => {
    expect(translate('en', 'duration.hours', { count: 1 })).toBe('1 hour');
    expect(translate('en', 'duration.hours', { count: 24 })).toBe('24 hours');
    expect(translate('de', 'duration.days', { count: 2 })).toBe('2 Tage');
    expect(translate('fr', 'policy.min_length', { min: 12 })).toBe('Utilisez au moins 12 caractères.');
    expect(translate('pt-BR', 'problem.rate_limited', { seconds: 1 })).toBe('Tentativas demais. Tente novamente em 1 segundo.');
    expect(translate('ja', 'duration.minutes', { count: 30 })).toBe('30分間');
  });
});

describe('language choice', () => {
  test('Accept-Language: by weight, exact tag first, then the primary language', () => {
    expect(negotiateLocale('de-AT,de;q=0.9,en;q=0.8')).toBe('de');
    expect(negotiateLocale('pt-PT')).toBe('pt-BR');
    expect(negotiateLocale('en;q=0.5, ja')).toBe('ja');
    expect(negotiateLocale('zh-CN, es;q=0.1')).toBe('es');
    expect(negotiateLocale('zh-CN, *;q=0.1')).toBeUndefined();
    expect(negotiateLocale('fr;q=0, de;q=0.2')).toBe('de');
    expect(negotiateLocale(undefined)).toBeUndefined();
  });

  test('an email: the user\'s language, else the tenant\'s default', () => {
    expect(emailLocale('ja', 'de')).toBe('ja');
    expect(emailLocale(null, 'de')).toBe('de');
    expect(emailLocale('xx', 'fr')).toBe('fr');
  });

  test('a page: ?lang, the user, Accept-Language, the tenant', () => {
    expect(pageLocale({ lang: 'fr', userLocale: 'ja', acceptLanguage: 'de', tenantDefault: 'es' })).toBe('fr');
    expect(pageLocale({ lang: 'klingon', userLocale: 'ja', acceptLanguage: 'de', tenantDefault: 'es' })).toBe('ja');
    expect(pageLocale({ userLocale: null, acceptLanguage: 'de', tenantDefault: 'es' })).toBe('de');
    expect(pageLocale({ acceptLanguage: 'zh', tenantDefault: 'es' })).toBe('es');
    expect(pageLocale({})).toBe('en');
  });
});

describe('pages and emails in every language, in the tenant\'s brand', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await TestEnv.start();
  });
  afterAll(async () => {
    await env?.close();
  });

  const BRANDING = { productName: 'Umbrella Cloud', logoUrl: 'https://cdn.example.com/umbrella.png', primaryColor: '#ffd400', supportEmail: 'help@umbrella.example' };

  async function userWith(tenant: string, locale: Locale | null, password = INITIAL) {
    const u = await env.user(tenant, { password });
    if (locale) expect((await env.http('PATCH', `/admin/tenants/${tenant}/users/${u.id}`, { body: { locale } })).status).toBe(200);
    return u;
  }

  async function get(path: string, headers: Record<string, string> = {}) {
    const res = await fetch(`${env.baseUrl}${path}`, { headers });
    return { status: res.status, html: await res.text() };
  }

  async function post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
    const res = await fetch(`${env.baseUrl}${path}`, {
      method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form).toString(),
    });
    return { status: res.status, html: await res.text(), location: res.headers.get('location') };
  }

  /** A branded page: the logo, the brand's stylesheet, the support address (its CSP allows the logo's origin and nothing more). */
  function expectBranded(html: string, tenant?: string) {
    expect(html).toContain('src="https://cdn.example.com/umbrella.png" alt="Umbrella Cloud"');
    expect(html).toMatch(tenant ? new RegExp(`<link rel="stylesheet" href="/brand.css\\?tenant=${tenant}">`) : /<link rel="stylesheet" href="\/brand.css\?tenant=[\w-]+">/);
    expect(html).toContain('help@umbrella.example');
    expect(html).not.toMatch(/style="|<style/);
  }

  test('a branded page: its stylesheet (black text on yellow, the better contrast), and the logo\'s origin in its CSP', async () => {
    const tenant = await env.tenant({ branding: BRANDING });
    const page = await fetch(`${env.baseUrl}/sign-in?tenant=${tenant}`);
    expect(page.headers.get('content-security-policy')).toContain("img-src 'self' data: https://cdn.example.com;");
    expect(page.headers.get('content-security-policy')).not.toMatch(/unsafe-inline|https:(?!\/\/cdn\.example\.com)/);
    expectBranded(await page.text(), tenant);
    const css = await fetch(`${env.baseUrl}/brand.css?tenant=${tenant}`);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    const text = await css.text();
    expect(text).toContain('.brandbar { background: #ffd400; color: #000000; }');
    expect(text).toContain('--brand-accent: #8c7500;'); // the yellow darkened to 4.5:1 on white
    expect(await (await fetch(`${env.baseUrl}/brand.css?tenant=nope`)).text()).not.toContain('brand-primary');
    // a tenant without a brand: the app's policy as it is, no brand stylesheet
    const plain = await env.tenant();
    const unbranded = await fetch(`${env.baseUrl}/sign-in?tenant=${plain}`);
    expect(unbranded.headers.get('content-security-policy')).toContain("img-src 'self' data:;");
    expect(await unbranded.text()).not.toContain('/brand.css');
  });

  test.each(LOCALES)('every page in %s, with its error messages', async (locale) => {
    const t = (k: MessageKey, v?: Record<string, string | number>) => translate(locale, k, v);
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
    const tenant = await env.tenant({ branding: BRANDING, passwordPolicy: { historyCount: 3 } }, 'Umbrella Corp');
    const lang = { 'accept-language': locale };

    const signIn = await get(`/sign-in?tenant=${tenant}`, lang);
    expect(signIn.html).toContain(`<html lang="${locale}">`);
    expect(signIn.html).toContain(`<h1>${esc(t('signIn.title'))}</h1>`);
    expect(signIn.html).toContain(esc(t('signIn.forgot')));
    expectBranded(signIn.html);

    const empty = await post('/sign-in', { tenant, email: '', password: '' }, lang);
    expect(empty.status).toBe(400);
    expect(empty.html).toContain(esc(t('error.enterEmail')));
    expect(empty.html).toContain(esc(t('error.fillMarked')));

    const forgot = await get(`/forgot-password?tenant=${tenant}`, lang);
    expect(forgot.html).toContain(`<h1>${esc(t('forgot.title'))}</h1>`);
    expectBranded(forgot.html);
    const asked = await post('/forgot-password', { tenant, email: 'nobody@example.com' }, lang);
    expect(asked.status).toBe(202);
    expect(asked.html).toContain(esc(t('forgot.sent.text', { email: 'nobody@example.com' })));

    // forced change at sign-in (a temporary password), with a policy error in the language
    const user = await env.user(tenant, { password: GOOD });
    const temp = await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/temporary-password`, { body: { password: INITIAL, mustResetOnNextSignIn: true, notifyUser: false } });
    expect(temp.status).toBeLessThan(300);
    const change = await post('/sign-in', { tenant, email: user.email, password: INITIAL }, lang);
    expect(change.html).toContain(esc(t('change.reason.temporary_password')));
    expect(change.html).toContain(esc(t('password.hintHistory', { min: 12, history: 3 })));
    expectBranded(change.html);
    const changeToken = change.html.match(/name="changeToken" value="([^"]+)"/)![1]!;
    const short = await post('/sign-in/change', { tenant, changeToken, reason: 'temporary_password', newPassword: 'short', confirmPassword: 'short' }, lang);
    expect(short.status).toBe(422);
    expect(short.html).toContain(esc(t('policy.min_length', { min: 12 })));
    const differ = await post('/sign-in/change', { tenant, changeToken, reason: 'temporary_password', newPassword: GOOD, confirmPassword: 'x' }, lang);
    expect(differ.html).toContain(esc(t('error.passwordsDiffer')));

    const wrong = await post('/sign-in', { tenant, email: user.email, password: 'not-the-password-at-all' }, lang);
    expect(wrong.status).toBe(401);
    expect(wrong.html).toContain(esc(t('problem.invalid_credentials')));

    // the reset page: form, done, used link
    const resetUser = await userWith(tenant, null);
    const before = env.sink.messages.length;
    expect((await env.http('POST', `/admin/tenants/${tenant}/users/${resetUser.id}/password-reset-email`, { body: {} })).status).toBe(202);
    const link = await env.resetLink(resetUser.email, before);
    const form = await get(`/reset-password?token=${link.token}`, lang);
    expect(form.html).toContain(`<html lang="${locale}">`);
    expect(form.html).toContain(esc(t('reset.for', { email: resetUser.email, tenant: 'Umbrella Corp' })));
    expectBranded(form.html);
    const done = await post('/auth/password-reset', { token: link.token, newPassword: GOOD, confirmPassword: GOOD }, lang);
    expect(done.status).toBe(200);
    expect(done.html).toContain(esc(t('reset.done.title')));
    expectBranded(done.html);
    const used = await get(`/reset-password?token=${link.token}`, lang);
    expect(used.status).toBe(410);
    expect(used.html).toContain(esc(t('problem.link_used.title')));
    expect(used.html).toContain(esc(t('problem.link_used.next')));
    const unknown = await get('/reset-password?token=nonsense', lang);
    expect(unknown.status).toBe(400);
    expect(unknown.html).toContain(`<html lang="${locale}">`);
    expect(unknown.html).toContain(esc(t('problem.invalid_token.title')));
  });

  test('the reset page: ?lang over the user\'s language over Accept-Language over the tenant\'s default', async () => {
    const tenant = await env.tenant({ defaultLocale: 'es' });
    const withLocale = await userWith(tenant, 'ja');
    const without = await userWith(tenant, null);
    const linkOf = async (u: { id: string; email: string }) => {
      const before = env.sink.messages.length;
      expect((await env.http('POST', `/admin/tenants/${tenant}/users/${u.id}/password-reset-email`, { body: {} })).status).toBe(202);
      return (await env.resetLink(u.email, before)).token;
    };
    const [ja, none] = [await linkOf(withLocale), await linkOf(without)];
    const langOf = async (path: string, headers: Record<string, string> = {}) => (await get(path, headers)).html.match(/<html lang="([^"]+)">/)![1];
    expect(await langOf(`/reset-password?token=${ja}&lang=fr`, { 'accept-language': 'de' })).toBe('fr');
    expect(await langOf(`/reset-password?token=${ja}`, { 'accept-language': 'de' })).toBe('ja');
    expect(await langOf(`/reset-password?token=${none}`, { 'accept-language': 'de-CH, en;q=0.5' })).toBe('de');
    expect(await langOf(`/reset-password?token=${none}`)).toBe('es');
    // a sign-in page knows no user: Accept-Language, then the tenant
    expect(await langOf(`/sign-in?tenant=${tenant}`)).toBe('es');
    expect(await langOf(`/sign-in?tenant=${tenant}`, { 'accept-language': 'pt-BR' })).toBe('pt-BR');
    // ?lang rides through a form post
    const posted = await post('/sign-in', { tenant, email: '', password: '', lang: 'ja' });
    expect(posted.html).toContain('<html lang="ja">');
  });

  test.each(LOCALES)('the reset link and temporary password emails in %s (the user\'s language), branded, with a plain-text part', async (locale) => {
    const tenant = await env.tenant({ branding: BRANDING, defaultLocale: locale === 'en' ? 'de' : 'en' }, 'Umbrella Corp');
    const user = await userWith(tenant, locale);
    const before = env.sink.messages.length;
    expect((await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/password-reset-email`, { body: {} })).status).toBe(202);
    const reset = await env.sink.waitFor((m) => m.to === user.email && m.tag === 'password-reset' && env.sink.messages.indexOf(m) >= before);
    expect(reset.subject).toBe(translate(locale, 'email.resetLink.subject', { product: 'Umbrella Cloud' }));
    expect(reset.htmlBody).toContain(`<html lang="${locale}">`);
    expect(reset.textBody).toContain(translate(locale, 'email.resetLink.ignore'));
    expect(reset.textBody).toContain(translate(locale, 'duration.days', { count: 1 }));
    expect(reset.textBody).toMatch(/\/reset-password\?token=[\w-]{43}/);
    expect(reset.textBody).toContain('help@umbrella.example');
    expect(reset.htmlBody).toContain('src="https://cdn.example.com/umbrella.png" alt="Umbrella Cloud"');
    expect(reset.htmlBody).toContain('help@umbrella.example');
    expect(reset.htmlBody).toContain('<td data-brand="header" style="background:#ffd400;');
    expect(reset.htmlBody).toContain('background:#ffd400"><a href='); // the button in the brand's colour
    expect(reset.htmlBody).toContain('color:#000000;text-decoration:none'); // with black text on yellow

    const temp = await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/temporary-password`, { body: { password: 'lantern-pebble-harbor-58', mustResetOnNextSignIn: true, notifyUser: true } });
    expect(temp.status).toBeLessThan(300);
    const notice = await env.sink.waitFor((m) => m.to === user.email && m.tag === 'temporary-password');
    expect(notice.subject).toBe(translate(locale, 'email.temporaryPassword.subject', { product: 'Umbrella Cloud' }));
    expect(notice.textBody).toContain(translate(locale, 'email.temporaryPassword.mustChange'));
    expect(notice.textBody + notice.htmlBody).not.toContain('lantern-pebble-harbor-58');
    expect(notice.htmlBody).toContain('src="https://cdn.example.com/umbrella.png"');
  });

  test('an email without the user\'s language is in the tenant\'s default', async () => {
    const tenant = await env.tenant({ defaultLocale: 'fr' }, 'Initech');
    const user = await userWith(tenant, null);
    expect((await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/password-reset-email`, { body: {} })).status).toBe(202);
    const m = await env.sink.waitFor((x) => x.to === user.email);
    expect(m.subject).toBe('Réinitialisez votre mot de passe Initech');
    expect(m.htmlBody).toContain('<html lang="fr">');
  });

  test('a Japanese reset email\'s link completes a reset', async () => {
    const tenant = await env.tenant();
    const user = await userWith(tenant, 'ja');
    expect((await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/password-reset-email`, { body: {} })).status).toBe(202);
    const link = await env.resetLink(user.email);
    const form = await get(new URL(link.url).pathname + new URL(link.url).search);
    expect(form.html).toContain('<html lang="ja">');
    expect(form.html).toContain('新しいパスワードを設定');
    const done = await post('/auth/password-reset', { token: link.token, newPassword: GOOD, confirmPassword: GOOD });
    expect(done.html).toContain('パスワードを変更しました');
    await eventually(async () => ((await env.signIn(tenant, user.email, GOOD)).status === 200 ? true : undefined), 'sign-in with the new password');
  });
});
