import Mustache from 'mustache';
import type { EmailTemplateName, Locale } from '../contract/vocabulary';
import { brandColours } from '../domain/brandColours';
import type { Branding } from '../domain/tenantSettings';
import { escapeHtml } from '../html';
import { formatDateTime, formatDuration, translator, type Translate } from '../i18n';

/**
 * Every email is a template of one kind: `subject`, `textBody` and `htmlBody`,
 * Mustache (logic-less), with `{{variables}}` from a fixed list per template.
 * The built-in templates are written from the language catalogues
 * (src/i18n/catalogues); a tenant may replace any of them per name and
 * language (store/emailTemplates.ts). Whichever is used, the message body is
 * framed the same way: a branded header (logo, product name, primary colour)
 * and a footer (support address), in HTML and in plain text, so every email
 * carries the tenant's brand and always has a plain-text part.
 *
 * Values are HTML-escaped in `htmlBody` and nowhere raw: `{{{x}}}` and `{{& x}}`
 * are refused, as are partials and delimiter changes. No variable holds a
 * secret: the view is built field by field from the list below (a link's
 * token is the link itself; a temporary password never reaches an email).
 */

export interface TemplateContent {
  subject: string;
  textBody: string;
  htmlBody: string;
}

const COMMON_VARIABLES = [
  'user.displayName', 'user.email', 'tenant.name',
  'branding.productName', 'branding.logoUrl', 'branding.supportEmail',
  'branding.primaryColor', 'branding.onPrimaryColor', 'branding.linkColor',
] as const;

/** What each template may say, and what it must say. */
export const TEMPLATE_VARIABLES = {
  password_reset_link: { variables: [...COMMON_VARIABLES, 'link', 'expiresAt', 'expiresIn'], required: ['link'] },
  temporary_password_set: { variables: [...COMMON_VARIABLES, 'mustChange', 'reportLink'], required: [] },
  password_changed: { variables: [...COMMON_VARIABLES, 'changedAt', 'reportLink'], required: [] },
} as const satisfies Record<EmailTemplateName, { variables: readonly string[]; required: readonly string[] }>;

export type TemplateVariable<N extends EmailTemplateName> = (typeof TEMPLATE_VARIABLES)[N]['variables'][number];

/** The facts an email is rendered from; each template reads the ones on its list. */
export interface EmailFacts {
  user: { displayName: string | null; email: string };
  tenant: { name: string };
  branding: Branding;
  link?: string | undefined;
  expiresAt?: Date | undefined;
  /** seconds the link stays valid, from the time it was issued */
  validForSeconds?: number | undefined;
  mustChange?: boolean | undefined;
  reportLink?: string | undefined;
  changedAt?: Date | undefined;
}

/** Where a template is wrong, part by part (422 template_invalid's `errors`). */
export interface TemplateError {
  field: 'subject' | 'textBody' | 'htmlBody';
  code: 'unparsable' | 'unknown_variable' | 'missing_variable' | 'raw_output' | 'not_allowed';
  message: string;
}

const PARTS = ['subject', 'textBody', 'htmlBody'] as const;

type Span = [string, string, number, number, ...unknown[]];

function names(spans: Span[], out: { name: string; kind: string }[] = []): { name: string; kind: string }[] {
  for (const s of spans) {
    const [kind, value] = s;
    if (kind === 'text') continue;
    out.push({ name: value, kind });
    if ((kind === '#' || kind === '^') && Array.isArray(s[4])) names(s[4] as Span[], out);
  }
  return out;
}

/** Everything wrong with a template: an empty list means it may be saved. */
export function validateTemplate(name: EmailTemplateName, t: TemplateContent): TemplateError[] {
  const allowed = new Set<string>(TEMPLATE_VARIABLES[name].variables);
  const errors: TemplateError[] = [];
  for (const field of PARTS) {
    const source = t[field];
    if (/\{\{\s*=/.test(source)) {
      errors.push({ field, code: 'not_allowed', message: 'Changing the {{ }} delimiters is not allowed.' });
      continue;
    }
    if (field === 'htmlBody' && /<[^<>]*=\s*\{\{/.test(source)) {
      errors.push({ field, code: 'not_allowed', message: 'Put attribute values in quotes: href="{{link}}", not href={{link}}.' });
    }
    let spans: Span[];
    try {
      spans = Mustache.parse(source) as unknown as Span[];
    } catch (err) {
      errors.push({ field, code: 'unparsable', message: `The template does not parse: ${err instanceof Error ? err.message : String(err)}` });
      continue;
    }
    const used = names(spans);
    for (const u of used) {
      if (u.kind === '!') continue;
      if (u.kind === '>') errors.push({ field, code: 'not_allowed', message: `Partials ({{> ${u.name}}}) are not allowed.` });
      else if (u.kind === '&' || u.kind === '{') errors.push({ field, code: 'raw_output', message: `{{{${u.name}}}} and {{& ${u.name}}} would insert a value unescaped; use {{${u.name}}}.` });
      else if (!allowed.has(u.name)) {
        errors.push({ field, code: 'unknown_variable', message: `Unknown variable {{${u.name}}}: ${name} knows ${[...allowed].join(', ')}.` });
      }
    }
    if (field !== 'subject') {
      for (const req of TEMPLATE_VARIABLES[name].required) {
        if (!used.some((u) => u.name === req && u.kind === 'name')) {
          errors.push({ field, code: 'missing_variable', message: `The ${field} must contain {{${req}}}.` });
        }
      }
    }
  }
  if (!t.subject.trim()) errors.push({ field: 'subject', code: 'missing_variable', message: 'The subject must not be empty.' });
  return errors;
}

/** The product name the user knows: the tenant's brand, else its name. */
export function productName(f: Pick<EmailFacts, 'branding' | 'tenant'>): string {
  return f.branding.productName ?? f.tenant.name;
}

/** The view a template renders: only the listed variables, each a string or a boolean. */
function view(locale: Locale, f: EmailFacts): Record<string, unknown> {
  const colours = brandColours(f.branding.primaryColor);
  return {
    user: { displayName: f.user.displayName ?? '', email: f.user.email },
    tenant: { name: f.tenant.name },
    branding: {
      productName: productName(f),
      logoUrl: f.branding.logoUrl ?? '',
      supportEmail: f.branding.supportEmail ?? '',
      primaryColor: colours.primary,
      onPrimaryColor: colours.onPrimary,
      linkColor: colours.primaryOnWhite,
    },
    link: f.link ?? '',
    expiresAt: f.expiresAt ? formatDateTime(locale, f.expiresAt) : '',
    expiresIn: f.validForSeconds !== undefined ? formatDuration(locale, f.validForSeconds) : '',
    mustChange: Boolean(f.mustChange),
    reportLink: f.reportLink ?? '',
    changedAt: f.changedAt ? formatDateTime(locale, f.changedAt) : '',
  };
}

// ---------------------------------------------------------------- built-in templates

const v = (name: string) => `{{${name}}}`;

function greeting(t: Translate): string {
  return `{{#user.displayName}}${t('email.greetingNamed', { name: v('user.displayName') })}{{/user.displayName}}{{^user.displayName}}${t('email.greeting')}{{/user.displayName}}`;
}

/** A call to action: a bulletproof button (a table cell with the colour, for clients that ignore padding on links). */
function button(href: string, label: string): string {
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:24px 0"><tr>
<td style="border-radius:6px;background:{{branding.primaryColor}}"><a href="${href}" style="display:inline-block;padding:12px 20px;font-weight:600;color:{{branding.onPrimaryColor}};text-decoration:none;border-radius:6px">${label}</a></td>
</tr></table>`;
}

const P = 'style="margin:0 0 16px"';

function reportBlock(t: Translate, html: boolean, fallback: string): string {
  if (!html) {
    return `{{#reportLink}}${t('email.report.hint')}\n${t('email.report.action')}: {{reportLink}}{{/reportLink}}{{^reportLink}}${fallback}{{/reportLink}}`;
  }
  return `{{#reportLink}}<p ${P}>${escapeHtml(t('email.report.hint'))}</p>
${button('{{reportLink}}', escapeHtml(t('email.report.action')))}{{/reportLink}}{{^reportLink}}<p ${P}>${escapeHtml(fallback)}</p>{{/reportLink}}`;
}

/**
 * Catalogue messages become template text: their ICU arguments are filled with
 * `{{variables}}`, and the text around them is escaped for HTML once, here.
 */
function builtIn(name: EmailTemplateName, locale: Locale): TemplateContent {
  const t = translator(locale);
  const product = v('branding.productName');
  const email = v('user.email');
  const h = escapeHtml; // {{variables}} hold no character it escapes
  switch (name) {
    case 'password_reset_link': {
      const validity = t('email.resetLink.validity', { expiresIn: v('expiresIn'), expiresAt: v('expiresAt') });
      return {
        subject: t('email.resetLink.subject', { product }),
        textBody: [greeting(t), '', t('email.resetLink.intro', { product, email }), '', `${t('email.resetLink.action')}:`, v('link'), '', validity, '',
          t('email.resetLink.ignore')].join('\n'),
        htmlBody: [`<p ${P}>${h(greeting(t))}</p>`, `<p ${P}>${h(t('email.resetLink.intro', { product, email }))}</p>`,
          button(v('link'), h(t('email.resetLink.action'))), `<p ${P}>${h(validity)}</p>`, `<p ${P}>${h(t('email.resetLink.ignore'))}</p>`].join('\n'),
      };
    }
    case 'temporary_password_set': {
      const must = t('email.temporaryPassword.mustChange');
      return {
        subject: t('email.temporaryPassword.subject', { product }),
        textBody: [greeting(t), '', t('email.temporaryPassword.intro', { product, email }), t('email.temporaryPassword.channel'),
          `{{#mustChange}}${must}{{/mustChange}}`, '', reportBlock(t, false, t('email.temporaryPassword.unexpected'))].join('\n'),
        htmlBody: [`<p ${P}>${h(greeting(t))}</p>`, `<p ${P}>${h(t('email.temporaryPassword.intro', { product, email }))}</p>`,
          `<p ${P}>${h(t('email.temporaryPassword.channel'))}</p>`, `{{#mustChange}}<p ${P}>${h(must)}</p>{{/mustChange}}`,
          reportBlock(t, true, t('email.temporaryPassword.unexpected'))].join('\n'),
      };
    }
    case 'password_changed': {
      const intro = t('email.passwordChanged.intro', { product, email, changedAt: v('changedAt') });
      return {
        subject: t('email.passwordChanged.subject', { product }),
        textBody: [greeting(t), '', intro, t('email.passwordChanged.ifYou'), '', reportBlock(t, false, t('email.passwordChanged.notYou'))].join('\n'),
        htmlBody: [`<p ${P}>${h(greeting(t))}</p>`, `<p ${P}>${h(intro)}</p>`, `<p ${P}>${h(t('email.passwordChanged.ifYou'))}</p>`,
          reportBlock(t, true, t('email.passwordChanged.notYou'))].join('\n'),
      };
    }
  }
}

const builtInCache = new Map<string, TemplateContent>();

/** The built-in template of a name and language, as GET …/email-templates lists it. */
export function builtInTemplate(name: EmailTemplateName, locale: Locale): TemplateContent {
  const key = `${name}/${locale}`;
  let t = builtInCache.get(key);
  if (!t) {
    t = builtIn(name, locale);
    builtInCache.set(key, t);
  }
  return t;
}

// ---------------------------------------------------------------- rendering

const identity = (s: unknown) => String(s);
/** & < > " ' and the backtick: enough for text and quoted attributes (validateTemplate refuses a variable as an unquoted attribute value). */
const escapeForHtml = (s: unknown) => escapeHtml(String(s)).replace(/`/g, '&#96;');
// templates are parsed per render (cheap): Mustache's global parse cache would grow with every template a tenant tries
Mustache.templateCache = undefined;

/** The branded frame around every HTML body: tables and inline styles, as email clients need; no left/right assumed. */
function frameHtml(locale: Locale, f: EmailFacts, subject: string, body: string): string {
  const t = translator(locale);
  const c = brandColours(f.branding.primaryColor);
  const product = escapeHtml(productName(f));
  const logo = f.branding.logoUrl
    ? `<img src="${escapeHtml(f.branding.logoUrl)}" alt="${product}" height="32" style="display:block;height:32px;max-width:200px;border:0">`
    : `<span style="font-size:18px;font-weight:700;color:${c.onPrimary}">${product}</span>`;
  const support = f.branding.supportEmail
    ? `<p style="margin:0 0 8px">${escapeHtml(t('email.footer.support', { email: '\u0000' })).replace('\u0000',
      `<a href="mailto:${escapeHtml(f.branding.supportEmail)}" style="color:${c.primaryOnWhite}">${escapeHtml(f.branding.supportEmail)}</a>`)}</p>`
    : '';
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${escapeHtml(subject)}</title>
</head>
<body style="margin:0;padding:0;background:#f6f7f9">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f6f7f9">
<tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background:#ffffff;border:1px solid #d5d9e0;border-radius:8px;font-family:-apple-system,'Segoe UI',Roboto,'Hiragino Sans','Noto Sans JP',Arial,sans-serif;font-size:16px;line-height:1.5;color:#14181f;text-align:start">
<tr><td data-brand="header" style="background:${c.primary};padding:16px 24px;border-radius:8px 8px 0 0">${logo}</td></tr>
<tr><td style="padding:24px">
${body}
</td></tr>
<tr><td style="padding:16px 24px;border-top:1px solid #d5d9e0;font-size:13px;color:#5b6472">
${support}<p style="margin:0">${escapeHtml(t('email.footer.automatic', { product: productName(f) }))}</p>
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>`;
}

function frameText(locale: Locale, f: EmailFacts, body: string): string {
  const t = translator(locale);
  const footer = [
    ...(f.branding.supportEmail ? [t('email.footer.support', { email: f.branding.supportEmail })] : []),
    t('email.footer.automatic', { product: productName(f) }),
  ];
  return `${body.replace(/\n{3,}/g, '\n\n').trim()}\n\n-- \n${footer.join('\n')}\n`;
}

/**
 * One email, ready to send: the template (the tenant's or the built-in one)
 * rendered with the facts, framed with the brand. Throws only on a template
 * that validateTemplate refuses (never stored).
 */
export function renderEmail(name: EmailTemplateName, locale: Locale, template: TemplateContent, facts: EmailFacts): TemplateContent {
  const data = view(locale, facts);
  const subject = Mustache.render(template.subject, data, {}, { escape: identity }).replace(/\s+/g, ' ').trim();
  const textBody = Mustache.render(template.textBody, data, {}, { escape: identity });
  const htmlBody = Mustache.render(template.htmlBody, data, {}, { escape: escapeForHtml });
  return { subject, textBody: frameText(locale, facts, textBody), htmlBody: frameHtml(locale, facts, subject, htmlBody) };
}

/** Sample facts for previews: invented people and links, nothing real. */
export function sampleFacts(p: { tenantName: string; branding: Branding; publicUrl: string; now: Date; linkTtlSeconds: number }): EmailFacts {
  return {
    user: { displayName: 'Alex Example', email: 'alex@example.com' },
    tenant: { name: p.tenantName },
    branding: p.branding,
    link: `${p.publicUrl}/reset-password?token=sample-token-for-preview`,
    expiresAt: new Date(p.now.getTime() + p.linkTtlSeconds * 1000),
    validForSeconds: p.linkTtlSeconds,
    mustChange: true,
    reportLink: `${p.publicUrl}/report-password-change?token=sample-token-for-preview`,
    changedAt: p.now,
  };
}
