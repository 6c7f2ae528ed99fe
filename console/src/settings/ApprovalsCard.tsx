import { useState, type FormEvent } from 'react';
import { ApiError, errorMessage, ok } from '../api/client';
import type { Tenant } from '../api/types';
import { DurationField, durationSeconds, splitDuration } from '../components/DurationField';
import { useToasts } from '../components/Toasts';
import { useSession } from '../session';

type Scope = Tenant['settings']['approvals']['requiredFor'];

/** Second-admin approval: whose resets wait for another admin, and how long a request waits (docs/approvals.md). */
export function ApprovalsCard({ tenant, onSaved }: { tenant: Tenant; onSaved: () => Promise<void> }) {
  const { client } = useSession();
  const toasts = useToasts();
  const [scope, setScope] = useState<Scope>(tenant.settings.approvals.requiredFor);
  const [ttl, setTtl] = useState(splitDuration(tenant.settings.approvals.ttlSeconds));
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await ok(client.PATCH('/admin/tenants/{tenantId}', {
        params: { path: { tenantId: tenant.id } },
        body: { settings: { approvals: { requiredFor: scope, ttlSeconds: durationSeconds(ttl) } } },
      }));
      toasts.ok('Approval settings saved. Requests already waiting keep their expiry.');
      await onSaved();
    } catch (err) {
      if (err instanceof ApiError) setError(err);
      toasts.fail(`The approval settings were not saved. ${errorMessage(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="approvals-title">
      <h2 id="approvals-title">Second-admin approval</h2>
      <p className="hint">
        A reset held for approval applies nothing until another admin approves it: a caller who talks one helpdesk admin into resetting an account still
        needs a second one. Only the platform key may loosen this.
      </p>
      <div className="field">
        <label htmlFor="approvals-scope">Resets that need a second admin</label>
        <select id="approvals-scope" value={scope} onChange={(e) => setScope(e.target.value as Scope)}>
          <option value="none">None</option>
          <option value="privileged_users">Privileged users’ resets</option>
          <option value="all_users">Every user’s resets</option>
        </select>
      </div>
      <div className="row">
        <DurationField
          label="A request waits for a decision for" unitLabel="Wait counted in" unitId="approvals-ttl-unit" value={ttl} onChange={setTtl}
          hint="Between 5 minutes and 7 days; then it expires undecided." error={error?.forField('settings.approvals.ttlSeconds')}
        />
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>{busy ? 'Saving…' : 'Save approval settings'}</button>
      </div>
    </form>
  );
}
