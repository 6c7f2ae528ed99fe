import { html, type SafeHtml } from '../../html';

/**
 * The shell of every server-rendered page (reset link, sign-in): no scripts,
 * nothing from elsewhere. The look is the console's: both use the stylesheet
 * console/public/theme.css, served at /console/theme.css.
 */
export function page(title: string, body: SafeHtml, o: { org?: string | undefined } = {}): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title}${o.org ? ` · ${o.org}` : ''}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/theme.css">
</head>
<body class="end-user">
<header class="topbar"><span class="brand">${o.org ?? 'resetflow'}</span></header>
<main class="narrow">
<div class="card">
${body}
</div>
</main>
</body>
</html>`.value;
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
