import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { ApiError, errorMessage, ok, type FieldProblem } from '../api/client';
import type { Tenant } from '../api/types';
import { Field } from '../components/Field';
import { PageHeading } from '../components/PageHeading';
import { useToasts } from '../components/Toasts';
import { LoadError, useLoad } from '../components/useLoad';
import { EMAIL_TEMPLATES, LANGUAGES, type LanguageCode } from '../languages';
import { useSession } from '../session';

type TemplateName = (typeof EMAIL_TEMPLATES)[number]['name'];
interface Content { subject: string; textBody: string; htmlBody: string }

/**
 * Branding and emails: the tenant's name, logo, colour and support address on
 * every email and end-user page (PATCH settings.branding), and its own email
 * templates per name and language, edited beside a live preview rendered by
 * the server with sample values (POST …/preview), saved (PUT) or reset to the
 * built-in one (DELETE).
 */
export function BrandingPage({ tenantId }: { tenantId: string }) {
  const { client } = useSession();
  const tenant = useLoad(() => ok(client.GET('/admin/tenants/{tenantId}', { params: { path: { tenantId } } })), [client, tenantId]);
  return (
    <>
      <div className="page-head">
        <div>
          <PageHeading>Branding and emails</PageHeading>
          <p className="subtitle">{tenant.data ? `${tenant.data.name} (${tenant.data.id})` : tenantId}</p>
        </div>
      </div>
      {tenant.error ? <LoadError error={tenant.error} retry={tenant.reload} /> : null}
      {tenant.data ? <BrandingForm key={tenant.data.updatedAt} tenant={tenant.data} onSaved={tenant.reload} /> : null}
      {tenant.data ? <TemplateEditor tenantId={tenantId} brandVersion={tenant.data.updatedAt} defaultLocale={tenant.data.settings.defaultLocale} /> : null}
    </>
  );
}

// ---------------------------------------------------------------- colours (WCAG 2.2 contrast, as the server computes it)

function luminance(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const COLOUR = /^#[0-9a-fA-F]{6}$/;

function BrandingForm({ tenant, onSaved }: { tenant: Tenant; onSaved: () => Promise<void> }) {
  const { client } = useSession();
  const toasts = useToasts();
  const b = tenant.settings.branding;
  const [form, setForm] = useState({ productName: b.productName ?? '', logoUrl: b.logoUrl ?? '', primaryColor: b.primaryColor ?? '', supportEmail: b.supportEmail ?? '' });
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const fieldError = (name: string) => error?.forField(`settings.branding.${name}`);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });

  const colour = COLOUR.test(form.primaryColor) ? form.primaryColor.toLowerCase() : undefined;
  const black = colour ? contrast(colour, '#000000') : 0;
  const white = colour ? contrast(colour, '#ffffff') : 0;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    // a field left empty is removed (null), the others set
    const value = (v: string) => v.trim() || null;
    const branding = { productName: value(form.productName), logoUrl: value(form.logoUrl), primaryColor: value(form.primaryColor), supportEmail: value(form.supportEmail) };
    try {
      await ok(client.PATCH('/admin/tenants/{tenantId}', { params: { path: { tenantId: tenant.id } }, body: { settings: { branding } } }));
      toasts.ok('Branding saved. Emails sent and pages opened from now on carry it.');
      await onSaved();
    } catch (err) {
      if (err instanceof ApiError && err.errors.length > 0) setError(err);
      toasts.fail(`The branding was not saved. ${err instanceof ApiError && err.errors.length > 0 ? 'Correct the fields marked below.' : errorMessage(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="branding-title">
      <h2 id="branding-title">Branding</h2>
      <p className="hint">On every email and end-user page (sign-in, forgot password, reset link). Empty fields use the tenant’s name and resetflow’s look.</p>
      <Field label="Product name" value={form.productName} onChange={set('productName')} maxLength={100} placeholder={tenant.name}
        hint="What your users know you as, in subjects and headers." error={fieldError('productName')} />
      <Field label="Logo URL" type="url" value={form.logoUrl} onChange={set('logoUrl')} placeholder="https://…/logo.png"
        hint="An https address of an image about 32 pixels high; emails load it from there." error={fieldError('logoUrl')} />
      <Field
        label="Primary colour" value={form.primaryColor} onChange={set('primaryColor')} placeholder="#1d4ed8" maxLength={7}
        error={fieldError('primaryColor')}
        hint={colour
          ? <>Text on it will be <span className="swatch" style={{ background: colour, color: white >= black ? '#ffffff' : '#000000' }}>{white >= black ? 'white' : 'black'}</span>, contrast {Math.max(black, white).toFixed(1)}:1 (at least 4.5:1 is readable). Links on white use it darkened as much as needed to reach 4.5:1.</>
          : 'As #rrggbb. Headers and buttons use it; text on it is black or white, whichever reads better.'}
        after={<input type="color" aria-label="Pick the primary colour" value={colour ?? '#1d4ed8'} onChange={set('primaryColor')} />}
      />
      <Field label="Support email" type="email" value={form.supportEmail} onChange={set('supportEmail')} placeholder="help@example.com"
        hint="Shown in every email’s footer and under every page." error={fieldError('supportEmail')} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>{busy ? 'Saving…' : 'Save branding'}</button>
      </div>
    </form>
  );
}

// ---------------------------------------------------------------- templates

function TemplateEditor({ tenantId, brandVersion, defaultLocale }: { tenantId: string; brandVersion: string; defaultLocale: LanguageCode }) {
  const { client } = useSession();
  const toasts = useToasts();
  const list = useLoad(() => ok(client.GET('/admin/tenants/{tenantId}/email-templates', { params: { path: { tenantId } } })), [client, tenantId]);
  const [name, setName] = useState<TemplateName>('password_reset_link');
  const [locale, setLocale] = useState<LanguageCode>(defaultLocale);
  const current = list.data?.items.find((t) => t.name === name && t.locale === locale);
  const [draft, setDraft] = useState<Content>();
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [preview, setPreview] = useState<Content>();
  const [previewError, setPreviewError] = useState<string>();
  const [busy, setBusy] = useState(false);

  // a new template chosen (or reloaded): edit its stored text
  useEffect(() => {
    if (current) setDraft({ subject: current.subject, textBody: current.textBody, htmlBody: current.htmlBody });
    setProblems([]);
  }, [current]);

  const changed = Boolean(current && draft && (draft.subject !== current.subject || draft.textBody !== current.textBody || draft.htmlBody !== current.htmlBody));

  // the live preview: the server renders the draft with sample values, a moment after typing stops
  const seq = useRef(0);
  useEffect(() => {
    if (!draft) return;
    const mine = ++seq.current;
    const timer = setTimeout(async () => {
      try {
        const rendered = await ok(client.POST('/admin/tenants/{tenantId}/email-templates/{name}/{locale}/preview', { params: { path: { tenantId, name, locale } }, body: draft }));
        if (mine !== seq.current) return;
        setPreview(rendered);
        setPreviewError(undefined);
        setProblems([]);
      } catch (err) {
        if (mine !== seq.current) return;
        if (err instanceof ApiError && err.code === 'template_invalid') setProblems(err.errors);
        setPreviewError(errorMessage(err));
      }
    }, 350);
    return () => clearTimeout(timer);
  }, [client, tenantId, name, locale, draft, brandVersion]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!draft) return;
    setBusy(true);
    try {
      await ok(client.PUT('/admin/tenants/{tenantId}/email-templates/{name}/{locale}', { params: { path: { tenantId, name, locale } }, body: draft }));
      toasts.ok(`Template saved: the ${label(name)} email in ${languageLabel(locale)} now uses it.`);
      await list.reload();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'template_invalid') setProblems(err.errors);
      toasts.fail(`The template was not saved. ${errorMessage(err)}`);
    } finally {
      setBusy(false);
    }
  };

  const reset = async () => {
    setBusy(true);
    try {
      await ok(client.DELETE('/admin/tenants/{tenantId}/email-templates/{name}/{locale}', { params: { path: { tenantId, name, locale } } }));
      toasts.ok(`The ${label(name)} email in ${languageLabel(locale)} is back to the built-in template.`);
      await list.reload();
    } catch (err) {
      toasts.fail(`The template was not reset. ${errorMessage(err)}`);
    } finally {
      setBusy(false);
    }
  };

  const problemsFor = (field: keyof Content) => problems.filter((p) => p.field === field).map((p) => p.message).join(' ') || undefined;
  const customCount = useMemo(() => list.data?.items.filter((t) => t.custom).length ?? 0, [list.data]);

  return (
    <section className="card" aria-labelledby="templates-title">
      <h2 id="templates-title">Emails</h2>
      <p className="hint">
        Each email in each language is a template: Mustache, with <code>{'{{variables}}'}</code> from a fixed list (values are escaped in HTML). The branded
        header and footer frame every email. {customCount > 0 ? `${customCount} custom template${customCount === 1 ? '' : 's'} in use.` : 'All emails use the built-in templates.'}
      </p>
      {list.error ? <LoadError error={list.error} retry={list.reload} /> : null}
      <div className="row">
        <div className="field">
          <label htmlFor="template-name">Email</label>
          <select id="template-name" value={name} onChange={(e) => setName(e.target.value as TemplateName)}>
            {EMAIL_TEMPLATES.map((t) => <option key={t.name} value={t.name}>{t.label}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="template-locale">Language</label>
          <select id="template-locale" value={locale} onChange={(e) => setLocale(e.target.value as LanguageCode)}>
            {LANGUAGES.map((l) => (
              <option key={l.code} value={l.code}>
                {l.name}{list.data?.items.some((t) => t.name === name && t.locale === l.code && t.custom) ? ' (custom)' : ''}
              </option>
            ))}
          </select>
        </div>
        <p className="muted" aria-live="polite">{current ? (current.custom ? 'Custom template' : 'Built-in template') : ''}{changed ? ' · unsaved changes' : ''}</p>
      </div>
      {draft ? (
        <div className="split">
          <form onSubmit={save} noValidate aria-label="Template">
            <TemplateField id="tpl-subject" label="Subject" rows={2} value={draft.subject} error={problemsFor('subject')} onChange={(v) => setDraft({ ...draft, subject: v })} />
            <TemplateField id="tpl-text" label="Plain-text body" rows={10} value={draft.textBody} error={problemsFor('textBody')} onChange={(v) => setDraft({ ...draft, textBody: v })} />
            <TemplateField id="tpl-html" label="HTML body" rows={14} value={draft.htmlBody} error={problemsFor('htmlBody')} onChange={(v) => setDraft({ ...draft, htmlBody: v })} />
            <div className="actions">
              <button type="submit" className="primary" disabled={busy || !changed}>Save template</button>
              <button type="button" disabled={busy || !current?.custom} onClick={() => void reset()}>Reset to built-in</button>
            </div>
          </form>
          <div className="email-preview" aria-labelledby="preview-title">
            <h3 id="preview-title">Preview <span className="muted">(sample values)</span></h3>
            {previewError ? <div className="notice bad" role="alert">{previewError}</div> : null}
            {preview ? (
              <>
                <p><strong>Subject:</strong> <span data-testid="preview-subject">{preview.subject}</span></p>
                <PreviewFrame html={preview.htmlBody} />
                <h4>Plain text</h4>
                <pre data-testid="preview-text">{preview.textBody}</pre>
              </>
            ) : null}
          </div>
        </div>
      ) : null}
    </section>
  );
}

/**
 * The email's HTML in a frame of its own (/console/email-preview.html): sandboxed (an opaque origin, its one script
 * receives the HTML), with the inline styles and https logo the console's own policy refuses.
 */
function PreviewFrame({ html }: { html: string }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    // the sandboxed frame's origin is opaque ("null"): it can only be addressed as "*"
    if (ready) frame.current?.contentWindow?.postMessage({ html }, '*');
  }, [html, ready]);
  return <iframe ref={frame} title="HTML email preview" sandbox="allow-scripts" src="/console/email-preview.html" onLoad={() => setReady(true)} />;
}

function TemplateField({ id, label, rows, value, error, onChange }: { id: string; label: string; rows: number; value: string; error?: string | undefined; onChange: (v: string) => void }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} rows={rows} value={value} spellCheck={false} onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} />
      {error ? <p className="field-error" id={`${id}-error`}>{error}</p> : null}
    </div>
  );
}

function label(name: TemplateName): string {
  return EMAIL_TEMPLATES.find((t) => t.name === name)!.label.toLowerCase();
}

function languageLabel(code: LanguageCode): string {
  return LANGUAGES.find((l) => l.code === code)!.name;
}
