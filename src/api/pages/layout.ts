import type { Branding } from '../../domain/tenantSettings';
import type { Response } from 'express';
import { html, type SafeHtml } from '../../html';
import { translator, type Locale, type Translate } from '../../i18n';

/** What every end-user page is said in and dressed as: its language and the tenant's brand. */
export interface PageChrome {
  locale: Locale;
  t: Translate;
  /** the tenant's brand; undefined when the page knows no tenant */
  brand?: { tenantId: string; name: string; branding: Branding } | undefined;
}

export function chrome(locale: Locale, brand?: PageChrome['brand']): PageChrome {
  return { locale, t: translator(locale), brand };
}

/**
 * The shell of every server-rendered page (reset link, sign-in, forgot password):
 * no scripts, nothing from elsewhere but a tenant's logo. The look is the
 * console's: both use the stylesheet console/public/theme.css, served at
 * /console/theme.css; a tenant's colours come from /brand.css (brandStyles.ts:
 * no inline style), its logo from its https origin, which `sendPage` adds to the
 * response's img-src. `lang` says the language; nothing in the layout assumes
 * left-to-right.
 */
export function page(title: string, body: SafeHtml, c?: PageChrome): string {
  const locale = c?.locale ?? 'en';
  const b = c?.brand;
  const name = b ? b.branding.productName ?? b.name : 'resetflow';
  const branded = Boolean(b?.branding.primaryColor);
  const support = b?.branding.supportEmail && c
    ? html`<footer class="support" data-brand="support">${c.t('page.support', { email: '\u0000' }).split('\u0000').map((part, i) => (i === 0 ? part : html`<a href="mailto:${b.branding.supportEmail}">${b.branding.supportEmail}</a>${part}`))}</footer>`
    : '';
  return html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title} · ${name}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/theme.css">
${branded && b ? html`<link rel="stylesheet" href="/brand.css?tenant=${encodeURIComponent(b.tenantId)}">` : ''}
</head>
<body class="end-user"${branded ? html` data-branded` : ''}>
<header class="topbar${branded ? ' brandbar' : ''}" data-brand="header">${
  b?.branding.logoUrl ? html`<img src="${b.branding.logoUrl}" alt="${name}">` : html`<span class="brand">${name}</span>`}</header>
<main class="narrow">
<div class="card">
${body}
</div>
</main>
${support}
</body>
</html>`.value;
}

/**
 * Send a page. A tenant's logo is an https image from its own origin: that origin
 * (and only it) joins the response's img-src; every other directive stays the app's.
 */
export function sendPage(res: Response, status: number, body: string, c?: PageChrome): void {
  const logo = c?.brand?.branding.logoUrl;
  const csp = res.getHeader('content-security-policy');
  if (logo && typeof csp === 'string') {
    res.setHeader('Content-Security-Policy', csp.replace(/img-src ([^;]*)/, (_m, sources: string) => `img-src ${sources} ${new URL(logo).origin}`));
  }
  res.status(status).type('html').send(body);
}

/** One form field: a label, the input, a hint and its error, tied together for assistive technology. */
export function field(p: {
  id: string;
  label: string;
  type: 'email' | 'password' | 'text';
  autocomplete: string;
  value?: string | undefined;
  hint?: SafeHtml | string | undefined;
  error?: string | undefined;
  autofocus?: boolean;
  extra?: SafeHtml;
}): SafeHtml {
  const described = [p.hint ? `${p.id}-hint` : '', p.error ? `${p.id}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field">
  <label for="${p.id}">${p.label}</label>
  <input type="${p.type}" id="${p.id}" name="${p.id}" autocomplete="${p.autocomplete}" required${p.value !== undefined ? html` value="${p.value}"` : ''}${
    described ? html` aria-describedby="${described}"` : ''}${p.error ? html` aria-invalid="true"` : ''}${p.autofocus ? html` autofocus` : ''}${p.extra ?? ''}>
  ${p.hint ? html`<p class="hint" id="${p.id}-hint">${p.hint}</p>` : ''}
  ${p.error ? html`<p class="field-error" id="${p.id}-error">${p.error}</p>` : ''}
</div>`;
}

/** A page-level message: `alert` for what went wrong, `status` for what happened. */
export function notice(kind: 'ok' | 'bad' | 'info', text: SafeHtml | string, id?: string): SafeHtml {
  return html`<div class="notice ${kind}" role="${kind === 'bad' ? 'alert' : 'status'}"${id ? html` id="${id}"` : ''}>${text}</div>`;
}

/** A page that says one thing: its heading, a notice, and what to do next. */
export function sendMessagePage(res: Response, status: number, c: PageChrome, kind: 'ok' | 'bad', title: string, text: string, next?: string): void {
  sendPage(res, status, page(title, html`<h1>${title}</h1>${notice(kind, text)}${next ? html`<p>${next}</p>` : ''}`, c), c);
}
