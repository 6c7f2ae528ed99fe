import { EMAIL_TEMPLATE_NAMES, LOCALES } from '../src/contract/vocabulary';
import { brandColours, contrastRatio } from '../src/domain/brandColours';
import { translate } from '../src/i18n';
import { builtInTemplate, renderEmail, sampleFacts, TEMPLATE_VARIABLES, validateTemplate } from '../src/mail/emailTemplates';
import { TestEnv } from './support/env';

/**
 * Tenant email templates (api.md, Languages and email templates): listed with
 * the built-in ones, set per name and language, validated (422
 * template_invalid), escaped, previewed, audited, removed (back to built-in).
 */

const INITIAL = 'glacier-ticket-marble-74';
const CUSTOM = {
  subject: 'Password help for {{user.email}} at {{branding.productName}}',
  textBody: 'Hi {{user.displayName}}!\nNew password: {{link}}\nValid for {{expiresIn}}.',
  htmlBody: '<p>Hi <b>{{user.displayName}}</b>!</p><p><a href="{{link}}" style="color:{{branding.linkColor}}">New password</a> (valid for {{expiresIn}})</p>',
};

let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.start();
});
afterAll(async () => {
  await env?.close();
});

const base = (tenant: string) => `/admin/tenants/${tenant}/email-templates`;

describe('built-in templates', () => {
  test.each(EMAIL_TEMPLATE_NAMES)('%s: valid in every language, and the password_changed email renders with and without its report link', (name) => {
    for (const locale of LOCALES) {
      const t = builtInTemplate(name, locale);
      expect({ name, locale, errors: validateTemplate(name, t) }).toEqual({ name, locale, errors: [] });
      const facts = sampleFacts({ tenantName: 'Acme', branding: {}, publicUrl: 'https://id.example.com', now: new Date('2026-03-01T10:00:00Z'), linkTtlSeconds: 3600 });
      for (const reportLink of [facts.reportLink, undefined]) {
        const out = renderEmail(name, locale, t, { ...facts, reportLink });
        expect(out.htmlBody).toContain(`<html lang="${locale}">`);
        expect(out.textBody).not.toMatch(/\{\{|\}\}/);
        expect(out.htmlBody).not.toMatch(/\{\{|\}\}/);
        if (name !== 'password_reset_link') expect(out.textBody.includes('/report-password-change?token=')).toBe(Boolean(reportLink));
      }
    }
    const changed = renderEmail('password_changed', 'de', builtInTemplate('password_changed', 'de'),
      sampleFacts({ tenantName: 'Acme', branding: {}, publicUrl: 'https://id.example.com', now: new Date('2026-03-01T10:00:00Z'), linkTtlSeconds: 3600 }));
    expect(changed.subject).toBe(translate('de', 'email.passwordChanged.subject', { product: 'Acme' }));
    expect(changed.textBody).toContain('1. März 2026 um 10:00 UTC');
    expect(changed.textBody).toContain(`${translate('de', 'email.report.action')}: https://id.example.com/report-password-change?token=`);
  });

  test('every template offers the common variables and password_reset_link requires its link', () => {
    for (const name of EMAIL_TEMPLATE_NAMES) expect(TEMPLATE_VARIABLES[name].variables).toEqual(expect.arrayContaining(['user.displayName', 'user.email', 'tenant.name', 'branding.productName']));
    expect(TEMPLATE_VARIABLES.password_reset_link.required).toEqual(['link']);
  });

  test('brand colours: text on the colour and the colour on white always reach 4.5:1', () => {
    for (const colour of ['#ffff00', '#777777', '#1d4ed8', '#000000', '#ffffff', '#00ff00', '#ff0000', '#7f7f7f']) {
      const c = brandColours(colour);
      expect(contrastRatio(c.primary, c.onPrimary)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(c.primaryOnWhite, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    }
    expect(brandColours('#FFFF00').onPrimary).toBe('#000000');
    expect(brandColours('#1d4ed8')).toMatchObject({ onPrimary: '#ffffff', primaryOnWhite: '#1d4ed8' });
  });
});

describe('the email template API', () => {
  test('lists every name in every language; set, used when mailing (escaped in HTML), audited; removed, the built-in one again', async () => {
    const tenant = await env.tenant({ branding: { productName: 'Umbrella', primaryColor: '#ffd400', supportEmail: 'help@umbrella.example' } }, 'Umbrella Corp');
    const list = await env.http('GET', base(tenant));
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(EMAIL_TEMPLATE_NAMES.length * LOCALES.length);
    expect(list.body.items.every((i: any) => i.custom === false)).toBe(true);
    expect(list.body.items.find((i: any) => i.name === 'password_reset_link' && i.locale === 'ja')).toEqual({
      name: 'password_reset_link', locale: 'ja', custom: false, ...builtInTemplate('password_reset_link', 'ja'),
    });

    const put = await env.http('PUT', `${base(tenant)}/password_reset_link/en`, { body: CUSTOM });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ name: 'password_reset_link', locale: 'en', custom: true, ...CUSTOM });
    const listed = (await env.http('GET', base(tenant))).body.items;
    expect(listed.filter((i: any) => i.custom)).toEqual([put.body]);
    const audit = await env.audit(tenant);
    expect(audit.find((e) => e.action === 'tenant.email_template_changed')).toMatchObject({ data: { name: 'password_reset_link', locale: 'en', change: 'set' } });

    // the custom template is the one mailed, values escaped in HTML and plain in text, in the brand's frame
    const created = await env.http('POST', `/admin/tenants/${tenant}/users`, { body: { email: `tpl-${Date.now()}@example.com`, displayName: 'Bobby <b>"Tables"</b> & Co', password: INITIAL } });
    expect(created.status).toBe(201);
    const user = created.body;
    const before = env.sink.messages.length;
    expect((await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/password-reset-email`, { body: {} })).status).toBe(202);
    const m = await env.sink.waitFor((x) => x.to === user.email && env.sink.messages.indexOf(x) >= before);
    expect(m.subject).toBe(`Password help for ${user.email} at Umbrella`);
    expect(m.textBody).toContain('Hi Bobby <b>"Tables"</b> & Co!');
    expect(m.textBody).toMatch(/New password: http:\/\/\S+\/reset-password\?token=[\w-]{43}\nValid for 1 day\./);
    expect(m.textBody).toContain('help@umbrella.example'); // the frame's footer
    expect(m.htmlBody).toContain('<p>Hi <b>Bobby &lt;b&gt;&quot;Tables&quot;&lt;/b&gt; &amp; Co</b>!</p>');
    expect(m.htmlBody).not.toContain('<b>"Tables"</b>');
    expect(m.htmlBody).toContain(`style="color:${brandColours('#ffd400').primaryOnWhite}"`); // the brand's yellow, darkened to read on white
    expect(m.htmlBody).toContain('background:#ffd400'); // the branded header

    // another language still gets the built-in template
    const de = await env.http('PATCH', `/admin/tenants/${tenant}/users/${user.id}`, { body: { locale: 'de' } });
    expect(de.status).toBe(200);
    const before2 = env.sink.messages.length;
    expect((await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/password-reset-email`, { body: {} })).status).toBe(202);
    const m2 = await env.sink.waitFor((x) => x.to === user.email && env.sink.messages.indexOf(x) >= before2);
    expect(m2.subject).toBe('Setzen Sie Ihr Passwort für Umbrella zurück');

    const del = await env.http('DELETE', `${base(tenant)}/password_reset_link/en`);
    expect(del.status).toBe(204);
    expect((await env.http('GET', base(tenant))).body.items.every((i: any) => i.custom === false)).toBe(true);
    expect((await env.http('DELETE', `${base(tenant)}/password_reset_link/en`)).status).toBe(204); // nothing left: a no-op
    const changes = (await env.audit(tenant)).filter((e) => e.action === 'tenant.email_template_changed').map((e) => (e.data as any).change);
    expect(changes).toEqual(['removed', 'set']);

    await env.http('PATCH', `/admin/tenants/${tenant}/users/${user.id}`, { body: { locale: 'en' } });
    const before3 = env.sink.messages.length;
    expect((await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/password-reset-email`, { body: {} })).status).toBe(202);
    const m3 = await env.sink.waitFor((x) => x.to === user.email && env.sink.messages.indexOf(x) >= before3);
    expect(m3.subject).toBe('Reset your Umbrella password');
  });

  test.each([
    ['an unknown variable', { htmlBody: '<p>{{link}} {{user.phone}}</p>' }, 'htmlBody', 'unknown_variable'],
    ['a missing link', { textBody: 'Go to the website.' }, 'textBody', 'missing_variable'],
    ['a template that does not parse', { htmlBody: '<p>{{#user.displayName}}{{link}}</p>' }, 'htmlBody', 'unparsable'],
    ['raw output', { htmlBody: '<p>{{{link}}}</p>' }, 'htmlBody', 'raw_output'],
    ['raw output (&)', { htmlBody: '<p>{{& link}}</p>' }, 'htmlBody', 'raw_output'],
    ['a partial', { htmlBody: '<p>{{link}}{{> footer}}</p>' }, 'htmlBody', 'not_allowed'],
    ['changed delimiters', { textBody: '{{=<% %>=}}<% link %>' }, 'textBody', 'not_allowed'],
    ['an unquoted attribute value', { htmlBody: '<a href={{link}}>go</a>' }, 'htmlBody', 'not_allowed'],
  ])('refused with 422 template_invalid: %s', async (_what, change, field, code) => {
    const tenant = await env.tenant();
    const res = await env.http('PUT', `${base(tenant)}/password_reset_link/de`, { body: { ...CUSTOM, ...change } });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('template_invalid');
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, code })]));
    const preview = await env.http('POST', `${base(tenant)}/password_reset_link/de/preview`, { body: change });
    expect(preview.status).toBe(422);
    expect(preview.body.code).toBe('template_invalid');
    expect((await env.http('GET', base(tenant))).body.items.some((i: any) => i.custom)).toBe(false);
    expect((await env.audit(tenant)).some((e) => e.action === 'tenant.email_template_changed')).toBe(false);
  });

  test('no template variable reaches a secret: only the fixed list renders, for every template', async () => {
    const tenant = await env.tenant();
    for (const name of EMAIL_TEMPLATE_NAMES) {
      for (const secret of ['password', 'token', 'temporaryPassword', 'user.passwordHash', 'user.password_hash', 'user.id', 'sealedToken', 'constructor', 'user.constructor', '.', 'process.env']) {
        const res = await env.http('PUT', `${base(tenant)}/${name}/en`, { body: { subject: 's', textBody: `{{link}}{{reportLink}} {{${secret}}}`, htmlBody: `{{link}} {{#${secret}}}x{{/${secret}}}` } });
        expect({ name, secret, status: res.status }).toEqual({ name, secret, status: 422 });
        const about = res.body.errors.filter((e: any) => e.code === 'unknown_variable' && e.message.startsWith(`Unknown variable {{${secret}}}`));
        expect(about.map((e: any) => e.field)).toEqual(['textBody', 'htmlBody']);
      }
    }
    // what a template may name, rendered with every variable it knows: no password anywhere
    const temp = 'lantern-pebble-harbor-58';
    const every = TEMPLATE_VARIABLES.temporary_password_set.variables.map((v) => `${v}={{${v}}}`).join('\n');
    expect((await env.http('PUT', `${base(tenant)}/temporary_password_set/en`, { body: { subject: 'x', textBody: every, htmlBody: `<pre>${every}</pre>` } })).status).toBe(200);
    const user = await env.user(tenant, { password: INITIAL });
    expect((await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/temporary-password`, { body: { password: temp, notifyUser: true } })).status).toBeLessThan(300);
    const m = await env.sink.waitFor((x) => x.to === user.email && x.tag === 'temporary-password');
    expect(m.textBody).toContain(`user.email=${user.email}`);
    expect(m.textBody).toContain('mustChange=true');
    expect(m.textBody + m.htmlBody + m.subject).not.toContain(temp);
  });

  test('preview: the draft (the rest from the current template) with sample values and the brand', async () => {
    const tenant = await env.tenant({ branding: { logoUrl: 'https://cdn.example.com/logo.png', primaryColor: '#0b6e4f' } }, 'Globex');
    const built = await env.http('POST', `${base(tenant)}/password_reset_link/fr/preview`, { body: {} });
    expect(built.status).toBe(200);
    expect(built.body.subject).toBe('Réinitialisez votre mot de passe Globex');
    expect(built.body.textBody).toContain('Bonjour Alex Example,');
    expect(built.body.textBody).toContain('/reset-password?token=sample-token-for-preview');
    expect(built.body.htmlBody).toContain('<html lang="fr">');
    expect(built.body.htmlBody).toContain('src="https://cdn.example.com/logo.png" alt="Globex"');

    const draft = await env.http('POST', `${base(tenant)}/password_reset_link/fr/preview`, { body: { subject: '{{tenant.name}} : {{user.displayName}}' } });
    expect(draft.status).toBe(200);
    expect(draft.body.subject).toBe('Globex : Alex Example');
    expect(draft.body.textBody).toBe(built.body.textBody);
    // previewing saves nothing
    expect((await env.http('GET', base(tenant))).body.items.some((i: any) => i.custom)).toBe(false);
  });

  test('unknown names and languages are 400; another tenant\'s templates are not found', async () => {
    const tenant = await env.tenant();
    expect((await env.http('PUT', `${base(tenant)}/welcome_email/en`, { body: CUSTOM })).status).toBe(400);
    expect((await env.http('PUT', `${base(tenant)}/password_reset_link/xx`, { body: CUSTOM })).status).toBe(400);
    expect((await env.http('PUT', `${base(tenant)}/password_reset_link/en`, { body: { ...CUSTOM, extra: 1 } })).status).toBe(400);
    expect((await env.http('GET', base('t-doesnotexist'))).status).toBe(404);
  });
});
