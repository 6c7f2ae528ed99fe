import { useState } from 'react';
import { errorMessage, ok } from '../api/client';
import type { User } from '../api/types';
import { useToasts } from '../components/Toasts';
import { CHANGE_REASONS, formatDateTime, fromNow, providerName } from '../format';
import { useSession } from '../session';

/** Email, name, password status, federated identities and the pending reset link (with Cancel). */
export function UserOverview({ user, onChanged }: { user: User; onChanged: () => Promise<void> }) {
  const { client } = useSession();
  const toasts = useToasts();
  const [cancelling, setCancelling] = useState(false);
  const p = user.passwordIdentity;
  const reset = user.pendingPasswordReset;

  const cancelLink = async () => {
    setCancelling(true);
    try {
      await ok(client.DELETE('/admin/tenants/{tenantId}/users/{userId}/password-reset-email', { params: { path: { tenantId: user.tenantId, userId: user.id } } }));
      toasts.ok(`The pending reset link for ${user.email} is cancelled; it no longer works.`);
    } catch (err) {
      toasts.fail(`The reset link was not cancelled. ${errorMessage(err)}`);
    } finally {
      setCancelling(false);
      await onChanged();
    }
  };

  return (
    <>
      <h2 className="visually-hidden">Overview</h2>
      {!p ? (
        <div className="notice warn">
          <p>
            <strong>No password identity.</strong> This user signs in through {user.federatedIdentities.map((f) => providerName(f.provider)).join(', ') || 'a federated identity provider'} only,
            so there is no password to reset. To make them sign in again, use <strong>Revoke all sessions</strong>.
          </p>
        </div>
      ) : null}
      <dl className="facts">
        <dt>Email</dt>
        <dd>{user.email}</dd>
        <dt>Display name</dt>
        <dd>{user.displayName ?? <span className="muted">not set</span>}</dd>
        <dt>Password</dt>
        <dd>
          {p ? (
            <>
              <div>Set {formatDateTime(p.setAt)} ({fromNow(p.setAt)}){p.temporary ? ' · temporary password' : ''}</div>
              <div>
                {p.changeRequired ? (
                  <span className="badge warn">Change required at next sign-in: {CHANGE_REASONS[p.changeRequired]}</span>
                ) : (
                  <span className="muted">No change required</span>
                )}
              </div>
            </>
          ) : (
            <span className="muted">None (federated sign-in only)</span>
          )}
        </dd>
        <dt>Federated identities</dt>
        <dd>
          {user.federatedIdentities.length === 0 ? (
            <span className="muted">None</span>
          ) : (
            <ul className="plain">
              {user.federatedIdentities.map((f) => (
                <li key={`${f.provider}:${f.subject}`}>
                  {providerName(f.provider)} <code>{f.subject}</code>
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Pending reset link</dt>
        <dd>
          {reset ? (
            <div className="row">
              <span>
                Expires {formatDateTime(reset.expiresAt)} ({fromNow(reset.expiresAt)})
              </span>
              <button type="button" className="small" onClick={cancelLink} disabled={cancelling}>
                {cancelling ? 'Cancelling…' : 'Cancel link'}
              </button>
            </div>
          ) : (
            <span className="muted">None</span>
          )}
        </dd>
        <dt>User id</dt>
        <dd><code>{user.id}</code></dd>
      </dl>
    </>
  );
}
