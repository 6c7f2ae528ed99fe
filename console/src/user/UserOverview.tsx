import { useState } from 'react';
import { errorMessage, ok } from '../api/client';
import type { User } from '../api/types';
import { useToasts } from '../components/Toasts';
import { useLoad } from '../components/useLoad';
import { deliveryText, RESET_STATES } from '../delivery';
import { CHANGE_REASONS, formatDateTime, fromNow, providerName } from '../format';
import { useSession } from '../session';
import { DeliveryLine } from './DeliveryLine';
import { UserLanguage } from './UserLanguage';
import { UserPrivileged } from './UserPrivileged';

/** Email, name, password status, federated identities and the pending reset link (with Cancel). */
export function UserOverview({ user, onChanged }: { user: User; onChanged: () => Promise<void> }) {
  const { client } = useSession();
  const toasts = useToasts();
  const [cancelling, setCancelling] = useState(false);
  const p = user.passwordIdentity;
  const reset = user.pendingPasswordReset;
  // the newest link, for what became of it once it is no longer pending (a bounce cancels it)
  const latest = useLoad(
    () => ok(client.GET('/admin/tenants/{tenantId}/password-resets', { params: { path: { tenantId: user.tenantId }, query: { userId: user.id, limit: 1 } } })),
    [client, user],
  );
  const last = latest.data?.items[0];

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
      {p?.lockedAt ? <PasswordLock lockedAt={p.lockedAt} email={user.email} /> : null}
      <dl className="facts">
        <dt>Email</dt>
        <dd>{user.email}</dd>
        <dt>Display name</dt>
        <dd>{user.displayName ?? <span className="muted">not set</span>}</dd>
        <dt id="user-language">Language</dt>
        <dd><UserLanguage user={user} onChanged={onChanged} /></dd>
        <dt>Privileged</dt>
        <dd><UserPrivileged user={user} onChanged={onChanged} /></dd>
        <dt>Password</dt>
        <dd>
          {p ? (
            <>
              <div>Set {formatDateTime(p.setAt)} ({fromNow(p.setAt)}){p.temporary && !p.expiresAt ? ' · temporary password' : ''}</div>
              {p.lockedAt ? (
                <div><span className="badge bad" title={formatDateTime(p.lockedAt)}>Locked — reported by the user {fromNow(p.lockedAt)}</span></div>
              ) : null}
              {p.expiresAt ? <TemporaryLapse expiresAt={p.expiresAt} /> : null}
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
          {reset ? <DeliveryLine {...deliveryText(reset.delivery, 'pending')} live /> : null}
        </dd>
        {!reset && last ? (
          <>
            <dt>Last reset email</dt>
            <dd>
              <div>{RESET_STATES[last.state]} · sent {formatDateTime(last.createdAt)} ({fromNow(last.createdAt)})</div>
              <DeliveryLine {...deliveryText(last.delivery, last.state)} live />
            </dd>
          </>
        ) : null}
        <dt>User id</dt>
        <dd><code>{user.id}</code></dd>
      </dl>
    </>
  );
}

/** "Temporary password — lapses in 6 days", or that it has lapsed. */
function TemporaryLapse({ expiresAt }: { expiresAt: string }) {
  const lapsed = Date.parse(expiresAt) <= Date.now();
  return (
    <div>
      <span className={`badge ${lapsed ? 'bad' : 'warn'}`} title={formatDateTime(expiresAt)}>
        {lapsed ? `Temporary password — lapsed ${fromNow(expiresAt)}` : `Temporary password — lapses ${fromNow(expiresAt)}`}
      </span>
      {lapsed ? <span className="muted"> The user can no longer sign in with it: send a reset email or set a new one.</span> : null}
    </div>
  );
}

/**
 * The user said "this wasn't me" in a password-changed email: the password is locked (it fails at
 * sign-in like a wrong one), their sessions ended and pending links were cancelled. A new reset
 * email completed by the user, or a temporary password, ends the lock (docs/password-change-notices.md).
 */
function PasswordLock({ lockedAt, email }: { lockedAt: string; email: string }) {
  return (
    <div className="notice bad" role="status" data-testid="password-lock">
      <p>
        <strong>Password locked.</strong> On {formatDateTime(lockedAt)} ({fromNow(lockedAt)}) {email} reported a change of their password as not theirs
        (“This wasn’t me” in the password-changed email). That password no longer signs in; every session was ended and pending reset links were cancelled.
      </p>
      <p>
        Check with the user over a channel you trust, then end the lock from <strong>Actions</strong>: <strong>Send password reset email</strong> (the lock ends when
        they choose a new password through it) or <strong>Set temporary password</strong>.
      </p>
    </div>
  );
}
