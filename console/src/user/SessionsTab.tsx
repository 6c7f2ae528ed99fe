import { useState } from 'react';
import { errorMessage, ok } from '../api/client';
import type { User, UserSession } from '../api/types';
import { useToasts } from '../components/Toasts';
import { LoadError, useLoad } from '../components/useLoad';
import { describeDevice, formatDateTime, fromNow } from '../format';
import { useSession } from '../session';
import { ConfirmDialog } from '../components/ConfirmDialog';

/** The user's active sessions; revoke one, or all. */
export function SessionsTab({ user }: { user: User }) {
  const { client } = useSession();
  const toasts = useToasts();
  const path = { tenantId: user.tenantId, userId: user.id };
  const list = useLoad(() => ok(client.GET('/admin/tenants/{tenantId}/users/{userId}/sessions', { params: { path } })), [client, user]);
  const [busy, setBusy] = useState<string>();
  const [confirmAll, setConfirmAll] = useState(false);

  const revokeOne = async (s: UserSession) => {
    setBusy(s.id);
    try {
      await ok(client.DELETE('/admin/tenants/{tenantId}/users/{userId}/sessions/{sessionId}', { params: { path: { ...path, sessionId: s.id } } }));
      toasts.ok(`Session revoked: ${describeDevice(s.userAgent)}${s.ip ? ` (${s.ip})` : ''} is signed out.`);
    } catch (err) {
      toasts.fail(`The session was not revoked. ${errorMessage(err)}`);
    } finally {
      setBusy(undefined);
      await list.reload();
    }
  };

  const items = list.data?.items ?? [];
  return (
    <>
      <div className="row">
        <h2>Active sessions</h2>
        <span className="spacer" />
        <button type="button" onClick={() => void list.reload()}>Refresh</button>
        <button type="button" className="danger" onClick={() => setConfirmAll(true)} disabled={items.length === 0}>Revoke all</button>
      </div>
      {list.error ? <LoadError error={list.error} retry={list.reload} /> : null}
      {list.data && items.length === 0 ? <p>No active sessions.</p> : null}
      {items.length > 0 ? (
        <table className="data">
          <caption className="visually-hidden">Active sessions</caption>
          <thead>
            <tr><th scope="col">Device</th><th scope="col">IP address</th><th scope="col">Signed in</th><th scope="col">Last seen</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.id}>
                <td title={s.userAgent ?? undefined}>{describeDevice(s.userAgent)}</td>
                <td>{s.ip ?? <span className="muted">unknown</span>}</td>
                <td>{formatDateTime(s.createdAt)}</td>
                <td>{fromNow(s.lastSeenAt)}</td>
                <td>
                  <button type="button" className="small" onClick={() => void revokeOne(s)} disabled={busy === s.id}>
                    {busy === s.id ? 'Revoking…' : 'Revoke'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {confirmAll ? (
        <ConfirmDialog
          title="Revoke all sessions?"
          confirmLabel="Revoke all sessions"
          danger
          offerRevokeSessions={false}
          onClose={() => setConfirmAll(false)}
          onConfirm={async () => {
            const r = await ok(client.DELETE('/admin/tenants/{tenantId}/users/{userId}/sessions', { params: { path } }));
            toasts.ok(`Revoked ${r.revoked} session${r.revoked === 1 ? '' : 's'}: ${user.email} must sign in again everywhere.`);
            await list.reload();
          }}
        >
          <p><strong>{user.email}</strong> is signed out on every device at once. Their password does not change.</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
