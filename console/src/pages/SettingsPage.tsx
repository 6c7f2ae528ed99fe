import { useState, type FormEvent } from 'react';
import { ApiError, errorMessage, ok } from '../api/client';
import type { SettingsPatch, Tenant } from '../api/types';
import { DurationField, durationSeconds, splitDuration } from '../components/DurationField';
import { Checkbox, Field } from '../components/Field';
import { PageHeading } from '../components/PageHeading';
import { useToasts } from '../components/Toasts';
import { LoadError, useLoad } from '../components/useLoad';
import { useSession } from '../session';
import { BulkResetCard } from '../settings/BulkResetCard';
import { LanguageCard } from '../settings/LanguageCard';
import { RotationCard } from '../settings/RotationCard';
import { ApprovalsCard } from '../settings/ApprovalsCard';

/**
 * Tenant settings: reset-link lifetime and password policy (PATCH /admin/tenants/{t}),
 * scheduled rotation, and a forced reset for many users at once.
 */
export function SettingsPage({ tenantId }: { tenantId: string }) {
  const { client } = useSession();
  const tenant = useLoad(() => ok(client.GET('/admin/tenants/{tenantId}', { params: { path: { tenantId } } })), [client, tenantId]);
  return (
    <>
      <div className="page-head">
        <div>
          <PageHeading>Settings</PageHeading>
          <p className="subtitle">{tenant.data ? `${tenant.data.name} (${tenant.data.id})` : tenantId}</p>
        </div>
      </div>
      {tenant.error ? <LoadError error={tenant.error} retry={tenant.reload} /> : null}
      {tenant.data ? <PolicyForm tenant={tenant.data} onSaved={tenant.reload} /> : null}
      {tenant.data ? <LanguageCard key={tenant.data.updatedAt} tenant={tenant.data} onSaved={tenant.reload} /> : null}
      {tenant.data ? <ApprovalsCard key={`approvals-${tenant.data.updatedAt}`} tenant={tenant.data} onSaved={tenant.reload} /> : null}
      <RotationCard tenantId={tenantId} />
      <BulkResetCard tenantId={tenantId} tenant={tenant.data} />
    </>
  );
}

function PolicyForm({ tenant, onSaved }: { tenant: Tenant; onSaved: () => Promise<void> }) {
  const { client } = useSession();
  const toasts = useToasts();
  const s = tenant.settings;
  const [ttl, setTtl] = useState(splitDuration(s.resetLinkTtlSeconds));
  const [tempTtl, setTempTtl] = useState(splitDuration(s.temporaryPasswordTtlSeconds));
  /** the lifetimes, each a duration field in a fieldset of its own */
  const lifetimes = [
    {
      legend: 'Reset links', setting: 'resetLinkTtlSeconds', label: 'Reset links are valid for', unitLabel: 'Unit', unitId: 'ttl-unit', value: ttl, onChange: setTtl,
      hint: 'Between 10 seconds and 30 days. Links already sent keep their expiry.',
    },
    {
      legend: 'Temporary passwords', setting: 'temporaryPasswordTtlSeconds', label: 'Temporary passwords lapse after', unitLabel: 'Lapse counted in', unitId: 'temp-ttl-unit',
      value: tempTtl, onChange: setTempTtl,
      hint: 'Between 1 minute and 30 days. A temporary password the user must change stops working then, and they need a new reset. Passwords already set keep their lapse time.',
    },
  ];
  const [p, setP] = useState({
    minLength: String(s.passwordPolicy.minLength),
    maxLength: String(s.passwordPolicy.maxLength),
    historyCount: String(s.passwordPolicy.historyCount),
    blockCommonPasswords: s.passwordPolicy.blockCommonPasswords,
    forbidPersonalInfo: s.passwordPolicy.forbidPersonalInfo,
    blockBreachedPasswords: s.passwordPolicy.blockBreachedPasswords,
    breachedPasswordAtSignIn: s.breachedPasswordAtSignIn,
  });
  const [error, setError] = useState<ApiError | string>();
  const [busy, setBusy] = useState(false);
  const fieldError = (name: string) => (error instanceof ApiError ? error.forField(name) : undefined);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const settings: SettingsPatch = {
      resetLinkTtlSeconds: durationSeconds(ttl),
      temporaryPasswordTtlSeconds: durationSeconds(tempTtl),
      passwordPolicy: {
        minLength: Number(p.minLength), maxLength: Number(p.maxLength), historyCount: Number(p.historyCount),
        blockCommonPasswords: p.blockCommonPasswords, forbidPersonalInfo: p.forbidPersonalInfo, blockBreachedPasswords: p.blockBreachedPasswords,
      },
      breachedPasswordAtSignIn: p.breachedPasswordAtSignIn,
    };
    try {
      await ok(client.PATCH('/admin/tenants/{tenantId}', { params: { path: { tenantId: tenant.id } }, body: { settings } }));
      toasts.ok('Settings saved. New reset links and new passwords follow them from now on.');
      await onSaved();
    } catch (err) {
      setError(err instanceof ApiError && err.errors.length > 0 ? err : errorMessage(err));
      toasts.fail(`The settings were not saved. ${err instanceof ApiError && err.errors.length > 0 ? 'Correct the fields marked below.' : errorMessage(err)}`);
    } finally {
      setBusy(false);
    }
  };

  const num = (key: 'minLength' | 'maxLength' | 'historyCount') => ({
    type: 'number' as const, inputMode: 'numeric' as const, value: p[key], onChange: (e: { target: { value: string } }) => setP({ ...p, [key]: e.target.value }),
  });

  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="policy-title">
      <h2 id="policy-title">Reset links and password policy</h2>
      {lifetimes.map(({ legend, setting, ...field }) => (
        <fieldset key={setting}>
          <legend>{legend}</legend>
          <div className="row">
            <DurationField {...field} error={fieldError(`settings.${setting}`)} />
          </div>
        </fieldset>
      ))}
      <fieldset>
        <legend>Password policy</legend>
        <Field label="Minimum length" min={8} max={64} hint="8 to 64 characters (NIST SP 800-63B asks for at least 8; 12 or more is better)." error={fieldError('settings.passwordPolicy.minLength')} {...num('minLength')} />
        <Field label="Maximum length" min={64} max={1024} hint="At least 64, so passphrases and password managers fit." error={fieldError('settings.passwordPolicy.maxLength')} {...num('maxLength')} />
        <Field label="Previous passwords remembered" min={0} max={24} hint="A new password may not be one of these; 0 turns the rule off." error={fieldError('settings.passwordPolicy.historyCount')} {...num('historyCount')} />
        <Checkbox
          label="Block common and easily guessed passwords"
          hint="Breached-password list, dictionary words with digits, keyboard patterns."
          checked={p.blockCommonPasswords}
          onChange={(v) => setP({ ...p, blockCommonPasswords: v })}
        />
        <Checkbox
          label="Refuse passwords found in data breaches"
          hint="Each new password is looked up in Pwned Passwords by k-anonymity: only 5 characters of its SHA-1 leave resetflow. If the lookup fails, the password is accepted."
          checked={p.blockBreachedPasswords}
          onChange={(v) => setP({ ...p, blockBreachedPasswords: v })}
        />
        <div className="field">
          <label htmlFor="breached-at-sign-in">A correct password found in a breach at sign-in</label>
          <select id="breached-at-sign-in" value={p.breachedPasswordAtSignIn} onChange={(e) => setP({ ...p, breachedPasswordAtSignIn: e.target.value as typeof p.breachedPasswordAtSignIn })}>
            <option value="ignore">Let the user sign in</option>
            <option value="require_change">Require a new password before the session starts</option>
          </select>
        </div>
        <Checkbox
          label="Forbid the user’s name, email address and the organisation name"
          checked={p.forbidPersonalInfo}
          onChange={(v) => setP({ ...p, forbidPersonalInfo: v })}
        />
      </fieldset>
      {typeof error === 'string' ? <div className="notice bad" role="alert">{error}</div> : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>{busy ? 'Saving…' : 'Save settings'}</button>
      </div>
    </form>
  );
}
