import { useState } from 'react';
import { errorMessage, ok } from '../api/client';
import type { User } from '../api/types';
import { useToasts } from '../components/Toasts';
import { LANGUAGES, languageName, type LanguageCode } from '../languages';
import { useSession } from '../session';

/** The user's language (their emails, and the pages that know them), changed in place (PATCH, audited user.updated). */
export function UserLanguage({ user, onChanged }: { user: User; onChanged: () => Promise<void> }) {
  const { client } = useSession();
  const toasts = useToasts();
  const [busy, setBusy] = useState(false);

  const change = async (value: string) => {
    const locale = value ? (value as LanguageCode) : null;
    setBusy(true);
    try {
      await ok(client.PATCH('/admin/tenants/{tenantId}/users/{userId}', { params: { path: { tenantId: user.tenantId, userId: user.id } }, body: { locale } }));
      toasts.ok(locale ? `${user.email} now gets emails in ${languageName(locale)}.` : `${user.email} now gets emails in the tenant’s default language.`);
      await onChanged();
    } catch (err) {
      toasts.fail(`The language was not changed. ${errorMessage(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <select aria-labelledby="user-language" value={user.locale ?? ''} disabled={busy} onChange={(e) => void change(e.target.value)}>
      <option value="">The tenant’s default language</option>
      {LANGUAGES.map((l) => <option key={l.code} value={l.code}>{l.name}</option>)}
    </select>
  );
}
