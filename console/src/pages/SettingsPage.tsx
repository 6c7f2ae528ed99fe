import { useState, type FormEvent } from 'react';
import { ApiError, errorMessage, ok } from '../api/client';
import type { SettingsPatch, Tenant } from '../api/types';
import { Checkbox, Field } from '../components/Field';
import { PageHeading } from '../components/PageHeading';
import { useToasts } from '../components/Toasts';
import { LoadError, useLoad } from '../components/useLoad';
import { useSession } from '../session';
import { BulkResetCard } from '../settings/BulkResetCard';
import { RotationCard } from '../settings/RotationCard';

const UNITS = [
  { id: 'days', seconds: 86400 },
  { id: 'hours', seconds: 3600 },
  { id: 'minutes', seconds: 60 },
  { id: 'seconds', seconds: 1 },
] as const;
type Unit = (typeof UNITS)[number]['id'];

function splitTtl(seconds: number): { amount: string; unit: Unit } {
  const unit = UNITS.find((u) => seconds % u.seconds === 0)!;
  return { amount: String(seconds / unit.seconds), unit: unit.id };
}

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
      <RotationCard tenantId={tenantId} />
      <BulkResetCard tenantId={tenantId} tenant={tenant.data} />
    </>
  );
}

function PolicyForm({ tenant, onSaved }: { tenant: Tenant; onSaved: () => Promise<void> }) {
  const { client } = useSession();
  const toasts = useToasts();
  const s = tenant.settings;
  const [ttl, setTtl] = useState(splitTtl(s.resetLinkTtlSeconds));
  const [tempTtl, setTempTtl] = useState(splitTtl(s.temporaryPasswordTtlSeconds));
  const [p, setP] = useState({
    minLength: String(s.passwordPolicy.minLength),
    maxLength: String(s.passwordPolicy.maxLength),
    historyCount: String(s.passwordPolicy.historyCount),
    blockCommonPasswords: s.passwordPolicy.blockCommonPasswords,
    forbidPersonalInfo: s.passwordPolicy.forbidPersonalInfo,
  });
  const [error, setError] = useState<ApiError | string>();
  const [busy, setBusy] = useState(false);
  const fieldError = (name: string) => (error instanceof ApiError ? error.forField(name) : undefined);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const seconds = (t: { amount: string; unit: Unit }) => Number(t.amount) * UNITS.find((u) => u.id === t.unit)!.seconds;
    const settings: SettingsPatch = {
      resetLinkTtlSeconds: seconds(ttl),
      temporaryPasswordTtlSeconds: seconds(tempTtl),
      passwordPolicy: {
        minLength: Number(p.minLength), maxLength: Number(p.maxLength), historyCount: Number(p.historyCount),
        blockCommonPasswords: p.blockCommonPasswords, forbidPersonalInfo: p.forbidPersonalInfo,
      },
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
      <fieldset>
        <legend>Reset links</legend>
        <div className="row">
          <Field
            label="Reset links are valid for"
            type="number"
            inputMode="numeric"
            min={1}
            value={ttl.amount}
            onChange={(e) => setTtl({ ...ttl, amount: e.target.value })}
            error={fieldError('settings.resetLinkTtlSeconds')}
            hint="Between 10 seconds and 30 days. Links already sent keep their expiry."
            after={
              <>
                <label htmlFor="ttl-unit" className="visually-hidden">Unit</label>
                <select id="ttl-unit" value={ttl.unit} onChange={(e) => setTtl({ ...ttl, unit: e.target.value as Unit })}>
                  {UNITS.map((u) => <option key={u.id} value={u.id}>{u.id}</option>)}
                </select>
              </>
            }
          />
        </div>
      </fieldset>
      <fieldset>
        <legend>Temporary passwords</legend>
        <div className="row">
          <Field
            label="Temporary passwords lapse after"
            type="number"
            inputMode="numeric"
            min={1}
            value={tempTtl.amount}
            onChange={(e) => setTempTtl({ ...tempTtl, amount: e.target.value })}
            error={fieldError('settings.temporaryPasswordTtlSeconds')}
            hint="Between 1 minute and 30 days. A temporary password the user must change stops working then, and they need a new reset. Passwords already set keep their lapse time."
            after={
              <>
                <label htmlFor="temp-ttl-unit" className="visually-hidden">Lapse counted in</label>
                <select id="temp-ttl-unit" value={tempTtl.unit} onChange={(e) => setTempTtl({ ...tempTtl, unit: e.target.value as Unit })}>
                  {UNITS.map((u) => <option key={u.id} value={u.id}>{u.id}</option>)}
                </select>
              </>
            }
          />
        </div>
      </fieldset>
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
