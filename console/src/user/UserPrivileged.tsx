import { useState } from 'react';
import { errorMessage, ok } from '../api/client';
import type { User } from '../api/types';
import { useToasts } from '../components/Toasts';
import { useSession } from '../session';

/** Whether the user is privileged (a second admin approves their resets when the tenant's approvals cover privileged users); PATCH, audited user.updated. */
export function UserPrivileged({ user, onChanged }: { user: User; onChanged: () => Promise<void> }) {
  const { client } = useSession();
  const toasts = useToasts();
  const [busy, setBusy] = useState(false);
  // shown at once; the user is read again once saved (and set back if it was not)
  const [shown, setShown] = useState(user.privileged);

  const change = async (privileged: boolean) => {
    setBusy(true);
    setShown(privileged);
    try {
      await ok(client.PATCH('/admin/tenants/{tenantId}/users/{userId}', { params: { path: { tenantId: user.tenantId, userId: user.id } }, body: { privileged } }));
      toasts.ok(privileged ? `${user.email} is privileged: their resets need a second admin when the tenant's approvals cover privileged users.` : `${user.email} is no longer privileged.`);
      await onChanged();
    } catch (err) {
      setShown(!privileged);
      toasts.fail(`Not changed. ${errorMessage(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <label className="row">
      <input type="checkbox" checked={shown} disabled={busy} onChange={(e) => void change(e.target.checked)} />
      <span>Privileged account (an administrator, an executive…)</span>
    </label>
  );
}

/** The Users list's column: a checkbox per user, changed in place. */
export function PrivilegedToggle({ user }: { user: User }) {
  const { client } = useSession();
  const toasts = useToasts();
  const [privileged, setPrivileged] = useState(user.privileged);
  const [busy, setBusy] = useState(false);
  const change = async (value: boolean) => {
    setBusy(true);
    try {
      const updated = await ok(client.PATCH('/admin/tenants/{tenantId}/users/{userId}', { params: { path: { tenantId: user.tenantId, userId: user.id } }, body: { privileged: value } }));
      setPrivileged(updated.privileged);
      toasts.ok(updated.privileged ? `${user.email} is privileged.` : `${user.email} is no longer privileged.`);
    } catch (err) {
      toasts.fail(`Not changed. ${errorMessage(err)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <label className="row">
      <input type="checkbox" checked={privileged} disabled={busy} onChange={(e) => void change(e.target.checked)} />
      <span className="visually-hidden">Privileged: {user.email}</span>
      {privileged ? <span className="badge warn" aria-hidden="true">Privileged</span> : null}
    </label>
  );
}
