import type { AuditEvent } from '../api/types';
import { bounceReason } from '../delivery';
import { formatDateTime } from '../format';

/** Who did it, in words. */
export function actorText(e: AuditEvent): string {
  const a = e.actor;
  if (a.type === 'admin') return a.id === 'platform' ? 'The platform admin key' : `Admin key “${a.name ?? a.id}”`;
  if (a.type === 'user') return a.id === e.userId ? 'The user' : `User ${a.id}`;
  return SYSTEM_ACTORS[a.id] ?? 'resetflow';
}

/** The system actors of audit events (src/domain/actors.ts), by id. */
export const SYSTEM_ACTORS: Record<string, string> = {
  'password-rotation': 'Scheduled rotation',
  'reset-link-expiry': 'Reset link expiry',
  'mail-delivery': 'The mail provider',
  'temporary-password-expiry': 'Temporary password expiry',
};

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
      return d['reason'] === 'delivery_failed'
        ? `The mail provider refused the address${typeof d['error'] === 'string' ? ` (${String(d['error']).replace(/_/g, ' ')})` : ''}; the reset link was cancelled.`
        : `${who} cancelled the pending reset link.`;
    case 'user.password_reset_email_bounced':
      return d['bounceType'] === 'SpamComplaint'
        ? 'The user marked the reset email as spam; the link was cancelled.'
        : `The reset email bounced: ${bounceReason({ bounceType: str(d['bounceType']), detail: str(d['description']) })}. The link was cancelled.`;
    case 'user.temporary_password_expired':
      return 'The temporary password lapsed unused; the user needs a new reset.';
    case 'tenant.settings_changed':
      return `${who} changed the tenant's settings.`;
    case 'api_key.created':
      return `${who} created the API key “${str(d['name']) ?? str(d['keyId'])}”.`;
    case 'api_key.revoked':
      return `${who} revoked the API key “${str(d['name']) ?? str(d['keyId'])}”.`;
    case 'user.sessions_revoked': {
      const n = Number(d['count'] ?? 0);
      return d['sessionId'] ? `${who} revoked a session.` : `${who} revoked all sessions (${n}).`;
    }
    default:
      return `${who}: ${e.action}.`;
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}
