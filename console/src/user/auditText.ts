import type { AuditEvent } from '../api/types';
import { formatDateTime } from '../format';

/** Who did it, in words. */
export function actorText(e: AuditEvent): string {
  const a = e.actor;
  if (a.type === 'admin') return a.id === 'platform' ? 'The platform admin key' : `Admin key “${a.name ?? a.id}”`;
  if (a.type === 'user') return a.id === e.userId ? 'The user' : `User ${a.id}`;
  return a.id === 'password-rotation' ? 'Scheduled rotation' : 'resetflow';
}

/** What happened, as a sentence that starts with the actor. */
export function eventText(e: AuditEvent): string {
  const who = actorText(e);
  const d = e.data as Record<string, unknown>;
  switch (e.action) {
    case 'user.password_reset_email_sent':
      return `${who} sent a password reset email${typeof d['expiresAt'] === 'string' ? ` (link valid until ${formatDateTime(d['expiresAt'])})` : ''}.`;
    case 'user.password_set_by_admin':
      return `${who} set a ${d['temporary'] ? 'temporary' : 'new'} password${d['mustResetOnNextSignIn'] ? ', to be changed at the next sign-in' : ''}; ${
        d['notified'] ? 'the user was notified by email' : 'no email was sent'}.`;
    case 'user.force_password_reset_set':
      return d['reason'] === 'scheduled_rotation'
        ? `${who} required a new password at the next sign-in.`
        : `${who} forced a password reset at the next sign-in${d['reason'] === 'bulk' ? ' (bulk operation)' : ''}.`;
    case 'user.password_reset_completed':
      return `${who} completed the password reset ${d['via'] === 'email_link' ? 'through the reset link' : 'at sign-in'}.`;
    case 'user.password_reset_link_expired':
      return 'The reset link expired unused.';
    case 'user.password_reset_email_cancelled':
      return `${who} cancelled the pending reset link.`;
    case 'user.sessions_revoked': {
      const n = Number(d['count'] ?? 0);
      return d['sessionId'] ? `${who} revoked a session.` : `${who} revoked all sessions (${n}).`;
    }
    default:
      return `${who}: ${e.action}.`;
  }
}
