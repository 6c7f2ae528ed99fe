import { useState, type FormEvent } from 'react';
import { errorMessage, ok } from '../api/client';
import type { Tenant } from '../api/types';
import { useToasts } from '../components/Toasts';
import { LANGUAGES, type LanguageCode } from '../languages';
import { useSession } from '../session';

/** The tenant's default language: emails and pages use it when the user has none (and the page no better clue). */
export function LanguageCard({ tenant, onSaved }: { tenant: Tenant; onSaved: () => Promise<void> }) {
  const { client } = useSession();
  const toasts = useToasts();
  const [locale, setLocale] = useState<LanguageCode>(tenant.settings.defaultLocale);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await ok(client.PATCH('/admin/tenants/{tenantId}', { params: { path: { tenantId: tenant.id } }, body: { settings: { defaultLocale: locale } } }));
      toasts.ok('Default language saved. Emails and pages use it for users without a language of their own.');
      await onSaved();
    } catch (err) {
      toasts.fail(`The default language was not saved. ${errorMessage(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card" onSubmit={submit} aria-labelledby="language-title">
      <h2 id="language-title">Language</h2>
      <div className="field">
        <label htmlFor="default-locale">Default language</label>
        <select id="default-locale" value={locale} onChange={(e) => setLocale(e.target.value as LanguageCode)} aria-describedby="default-locale-hint">
          {LANGUAGES.map((l) => <option key={l.code} value={l.code}>{l.name}</option>)}
        </select>
        <p className="hint" id="default-locale-hint">
          Emails go out in the user’s own language, else in this one. End-user pages follow the browser’s language first, then this one.
        </p>
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || locale === tenant.settings.defaultLocale}>{busy ? 'Saving…' : 'Save language'}</button>
      </div>
    </form>
  );
}
