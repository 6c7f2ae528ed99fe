import { useState } from 'react';
import { errorMessage, ok } from '../api/client';
import type { User } from '../api/types';
import { useToasts } from '../components/Toasts';
import { useSession } from '../session';

/**
 * The user's `privileged` flag, changed with PATCH (audited user.updated): shown at once,
 * set to what the API answered once saved, set back if it was not.
 */
function usePrivileged(user: User, saidWhenSet: string, onSaved?: () => Promise<void>) {
  const { client } = useSession();
  const toasts = useToasts();
  const [busy, setBusy] = useState(false);
  const [shown, setShown] = useState(user.privileged);

  const change = async (privileged: boolean) => {
    setBusy(true);
    setShown(privileged);
    try {
      const updated = await ok(client.PATCH('/admin/tenants/{tenantId}/users/{userId}', { params: { path: { tenantId: user.tenantId, userId: user.id } }, body: { privileged } }));
      setShown(updated.privileged);
      toasts.ok(updated.privileged ? saidWhenSet : `${user.email} is no longer privileged.`);
      await onSaved?.();
    } catch (err) {
      setShown(!privileged);
      toasts.fail(`Not changed. ${errorMessage(err)}`);
    } finally {
      setBusy(false);
    }
  };
  return { shown, busy, change };
}

/** Whether the user is privileged (a second admin approves their resets when the tenant's approvals cover privileged users). */
export function UserPrivileged({ user, onChanged }: { user: User; onChanged: () => Promise<void> }) {
  const { shown, busy, change } = usePrivileged(user, `${user.email} is privileged: their resets need a second admin when the tenant's approvals cover privileged users.`, onChanged);
  return (
    <label className="row">
      <input type="checkbox" checked={shown} disabled={busy} onChange={(e) => void change(e.target.checked)} />
      <span>Privileged account (an administrator, an executive…)</span>
    </label>
  );
}

/** The Users list's column: a checkbox per user, changed in place. */
export function PrivilegedToggle({ user }: { user: User }) {
  const { shown, busy, change } = usePrivileged(user, `${user.email} is privileged.`);
  return (
    <label className="row">
      <input type="checkbox" checked={shown} disabled={busy} onChange={(e) => void change(e.target.checked)} />
      <span className="visually-hidden">Privileged: {user.email}</span>
      {shown ? <span className="badge warn" aria-hidden="true">Privileged</span> : null}
    </label>
  );
}
