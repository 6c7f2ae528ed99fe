import { useCallback, useState } from 'react';
import { ok } from '../api/client';
import type { Tenant, User } from '../api/types';
import { MenuButton, type MenuItem } from '../components/Menu';
import { useToasts } from '../components/Toasts';
import { formatDateTime, formatDuration, providerName } from '../format';
import { useSession } from '../session';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { TemporaryPasswordDialog } from './TemporaryPasswordDialog';
import type { Approval } from '../api/types';
import { actorName, heldMessage } from '../approvals/words';

type Open = 'reset-email' | 'temporary' | 'force' | 'revoke' | undefined;

/** The Actions menu of the user detail page and the dialog each item opens. */
export function UserActions({ user, tenant, pending = [], onChanged }: { user: User; tenant: Tenant; pending?: Approval[]; onChanged: () => Promise<void> }) {
  const { client } = useSession();
  const toasts = useToasts();
  const [open, setOpen] = useState<Open>();
  const close = useCallback(() => setOpen(undefined), []);
  const path = { tenantId: tenant.id, userId: user.id };

  const why = (action: User['actions'][keyof User['actions']]) => {
    if (action.enabled) return undefined;
    if (action.reason === 'no_password_identity') {
      const via = user.federatedIdentities.map((f) => providerName(f.provider)).join(', ') || 'single sign-on';
      return `No password to reset: this user signs in with ${via}. Use “Revoke all sessions” to make them sign in again.`;
    }
    if (action.reason === 'password_locked') {
      return 'The password is locked (the user reported a change as not theirs), so it cannot sign in to change itself. Send a reset email or set a temporary password instead: either ends the lock.';
    }
    return `Not available (${action.reason ?? 'unknown reason'}).`;
  };

  /** a reset already waiting for a second admin takes the place of its action */
  const waiting = (action: Approval['action']) => {
    const a = pending.find((p) => p.action === action);
    return a ? `Waiting for a second admin's approval (asked by ${actorName(a.requestedBy)}); see the Approvals page.` : undefined;
  };
  const items: MenuItem[] = [
    { id: 'reset-email', label: 'Send password reset email', disabledReason: why(user.actions.sendPasswordResetEmail) ?? waiting('password_reset_email'), onSelect: () => setOpen('reset-email') },
    { id: 'temporary', label: 'Set temporary password', disabledReason: why(user.actions.setTemporaryPassword) ?? waiting('temporary_password'), onSelect: () => setOpen('temporary') },
    { id: 'force', label: 'Force password reset', disabledReason: why(user.actions.forcePasswordReset) ?? waiting('force_password_reset'), onSelect: () => setOpen('force') },
    { id: 'revoke', label: 'Revoke all sessions', disabledReason: why(user.actions.revokeSessions), onSelect: () => setOpen('revoke'), separatorBefore: true },
  ];

  const done = async (message: string) => {
    toasts.ok(message);
    await onChanged();
  };
  const revokedNote = (revoke: boolean) => (revoke ? ' All their sessions were revoked.' : '');

  return (
    <>
      <MenuButton label="Actions" items={items} />
      {open === 'reset-email' ? (
        <ConfirmDialog
          title="Send password reset email?"
          confirmLabel="Send email"
          offerRevokeSessions
          onClose={close}
          onConfirm={async (revokeSessions) => {
            const r = await ok(client.POST('/admin/tenants/{tenantId}/users/{userId}/password-reset-email', { params: { path }, body: { revokeSessions } }));
            if ('approvalId' in r) return done(heldMessage('The reset email', user.email, r.expiresAt));
            await done(`Password reset email sent to ${user.email}. The link works until ${formatDateTime(r.expiresAt)}.${revokedNote(revokeSessions)}`);
          }}
        >
          <p>
            <strong>{user.email}</strong> gets an email with a one-time link, valid for {formatDuration(tenant.settings.resetLinkTtlSeconds)}. They choose the new
            password themselves; you never see it.
          </p>
          {user.pendingPasswordReset ? <p>The link sent earlier stops working: only the newest link works.</p> : null}
        </ConfirmDialog>
      ) : null}
      {open === 'temporary' ? (
        <TemporaryPasswordDialog
          user={user}
          tenant={tenant}
          onClose={close}
          onDone={(o) =>
            o.heldUntil ? done(heldMessage('The temporary password', user.email, o.heldUntil)) : done(
              `Temporary password set for ${user.email}.` +
                (o.mustReset ? ' They must choose a new one at their next sign-in.' : ' It stays their password until they change it.') +
                (o.notify ? ' They were emailed that it changed (the email does not contain it).' : ' No email was sent.') +
                revokedNote(o.revokeSessions) +
                ' Share the password over a secure channel.',
            )
          }
        />
      ) : null}
      {open === 'force' ? (
        <ConfirmDialog
          title="Force password reset?"
          confirmLabel="Force reset"
          offerRevokeSessions
          onClose={close}
          onConfirm={async (revokeSessions) => {
            const r = await ok(client.POST('/admin/tenants/{tenantId}/users/{userId}/force-password-reset', { params: { path }, body: { revokeSessions } }));
            if ('approvalId' in r) return done(heldMessage('The forced reset', user.email, r.expiresAt));
            await done(`${user.email} must choose a new password at their next sign-in.${revokedNote(revokeSessions)}`);
          }}
        >
          <p>
            <strong>{user.email}</strong> keeps their current password for signing in, but right after their next successful sign-in they must choose a new one
            that meets the tenant’s policy.
          </p>
        </ConfirmDialog>
      ) : null}
      {open === 'revoke' ? (
        <ConfirmDialog
          title="Revoke all sessions?"
          confirmLabel="Revoke all sessions"
          danger
          offerRevokeSessions={false}
          onClose={close}
          onConfirm={async () => {
            const r = await ok(client.DELETE('/admin/tenants/{tenantId}/users/{userId}/sessions', { params: { path } }));
            await done(r.revoked === 0 ? `${user.email} had no active sessions.` : `Revoked ${r.revoked} session${r.revoked === 1 ? '' : 's'}: ${user.email} must sign in again everywhere.`);
          }}
        >
          <p>
            <strong>{user.email}</strong> is signed out on every device at once and must sign in again. Their password does not change.
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
