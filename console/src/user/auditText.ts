import type { AuditEvent } from '../api/types';
import { bounceReason } from '../delivery';
import { formatDateTime } from '../format';

/**
 * The console's words for every audit action and system actor. The types come from the
 * generated client, whose AuditEvent is the audit catalogue's union (src/contract/audit.ts,
 * through /openapi.json): an action or a system actor added there fails to compile here
 * until it has its words.
 */
export type AuditAction = AuditEvent['action'];
type EventOf<A extends AuditAction> = Extract<AuditEvent, { action: A }>;
type SystemActorId = Extract<AuditEvent['actor'], { type: 'system' }>['id'];

interface ActionWords<A extends AuditAction> {
  /** the action's name, as the Audit page's filter offers it */
  label: string;
  /** what happened, as a sentence that starts with `who` */
  text: (who: string, data: EventOf<A>['data']) => string;
}

/** The system actors of audit events, by id. */
export const SYSTEM_ACTORS: Record<SystemActorId, string> = {
  'password-rotation': 'Scheduled rotation',
  'reset-link-expiry': 'Reset link expiry',
  'mail-delivery': 'The mail provider',
  'temporary-password-expiry': 'Temporary password expiry',
  'approval-expiry': 'Approval expiry',
  'user-import': 'User import',
  'webhook-delivery': 'Webhook delivery',
  'breach-check': 'Breached-password check',
};

const APPROVAL_ACTION_TEXT: Record<EventOf<'approval.requested'>['data']['action'], string> = {
  password_reset_email: 'a password reset email',
  temporary_password: 'a temporary password',
  force_password_reset: 'a forced password reset',
};

/** ", approved by …" for an action a second admin approved. */
function approved(d: { approvedBy?: { type: string; id: string; name?: string } | undefined }): string {
  if (!d.approvedBy) return '';
  const a = d.approvedBy;
  return `, approved by ${a.id === 'platform' ? 'the platform admin key' : `admin key “${a.name ?? a.id}”`}`;
}

export const AUDIT_WORDS: { [A in AuditAction]: ActionWords<A> } = {
  'user.password_reset_email_sent': {
    label: 'Reset email sent',
    text: (who, d) => `${who} sent a password reset email (link valid until ${formatDateTime(d.expiresAt)})${approved(d)}.`,
  },
  'user.password_set_by_admin': {
    label: 'Password set by an admin',
    text: (who, d) =>
      `${who} set a ${d.temporary ? 'temporary' : 'new'} password${d.mustResetOnNextSignIn ? ', to be changed at the next sign-in' : ''}${approved(d)}; ${
        d.notified ? 'the user was notified by email' : 'no email was sent'}.`,
  },
  'user.force_password_reset_set': {
    label: 'Password reset forced',
    text: (who, d) =>
      d.reason === 'scheduled_rotation'
        ? `${who} required a new password at the next sign-in.`
        : `${who} forced a password reset at the next sign-in${d.reason === 'bulk' ? ' (bulk operation)' : ''}${approved(d)}.`,
  },
  'user.password_reset_completed': {
    label: 'Password reset completed',
    text: (who, d) => `${who} completed the password reset ${d.via === 'email_link' ? 'through the reset link' : 'at sign-in'}.`,
  },
  'user.password_reset_link_expired': { label: 'Reset link expired', text: () => 'The reset link expired unused.' },
  'user.password_reset_email_cancelled': {
    label: 'Reset link cancelled',
    text: (who, d) =>
      d.reason === 'delivery_failed'
        ? `The mail provider refused the address${d.error ? ` (${d.error.replace(/_/g, ' ')})` : ''}; the reset link was cancelled.`
        : d.reason === 'password_change_reported'
          ? 'The pending reset link was cancelled: the user reported a password change as not theirs.'
          : `${who} cancelled the pending reset link.`,
  },
  'user.sessions_revoked': {
    label: 'Sessions revoked',
    text: (who, d) => (d.sessionId ? `${who} revoked a session.` : `${who} revoked all sessions (${d.count}).`),
  },
  'user.password_reset_email_bounced': {
    label: 'Reset email bounced',
    text: (_who, d) =>
      d.bounceType === 'SpamComplaint'
        ? 'The user marked the reset email as spam; the link was cancelled.'
        : `The reset email bounced: ${bounceReason({ bounceType: d.bounceType || undefined, detail: d.description || undefined })}. The link was cancelled.`,
  },
  'user.temporary_password_expired': { label: 'Temporary password lapsed', text: () => 'The temporary password lapsed unused; the user needs a new reset.' },
  'tenant.settings_changed': { label: 'Tenant settings changed', text: (who) => `${who} changed the tenant's settings.` },
  'api_key.created': { label: 'API key created', text: (who, d) => `${who} created the API key “${d.name || d.keyId}”.` },
  'api_key.revoked': { label: 'API key revoked', text: (who, d) => `${who} revoked the API key “${d.name || d.keyId}”.` },
  'user.updated': {
    label: 'User changed',
    text: (who, d) => {
      const changed = (['displayName', 'privileged', 'locale'] as const).filter((k) => k in d.after && d.after[k] !== d.before[k]);
      return `${who} changed the user's ${changed.length ? changed.map((k) => (k === 'displayName' ? 'display name' : k)).join(', ') : 'details'}.`;
    },
  },
  'user.password_change_reported': {
    label: 'Password change reported',
    text: () => 'The user reported the password change as not theirs: the password is locked and every session was revoked.',
  },
  'user.breached_password_detected': {
    label: 'Breached password found',
    text: () => "Sign-in found the user's password in a breach corpus; a new password is required.",
  },
  'user.password_rehashed': {
    label: 'Imported hash upgraded',
    text: (_who, d) => `The imported ${d.from} password hash was replaced by argon2id at sign-in.`,
  },
  'approval.requested': { label: 'Approval requested', text: (who, d) => `${who} asked a second admin to approve ${APPROVAL_ACTION_TEXT[d.action]}.` },
  'approval.approved': { label: 'Approval granted', text: (who, d) => `${who} approved ${APPROVAL_ACTION_TEXT[d.action]}; it was applied.` },
  'approval.rejected': {
    label: 'Approval rejected',
    text: (who, d) => `${who} rejected ${APPROVAL_ACTION_TEXT[d.action]}${d.reason ? `: “${d.reason}”` : ''}.`,
  },
  'approval.expired': { label: 'Approval expired', text: (_who, d) => `The request for ${APPROVAL_ACTION_TEXT[d.action]} expired undecided.` },
  'webhook_endpoint.created': { label: 'Webhook endpoint created', text: (who, d) => `${who} added the webhook endpoint ${d.url}.` },
  'webhook_endpoint.updated': { label: 'Webhook endpoint changed', text: (who, d) => `${who} changed the webhook endpoint ${d.url}.` },
  'webhook_endpoint.deleted': { label: 'Webhook endpoint deleted', text: (who, d) => `${who} deleted the webhook endpoint ${d.url}.` },
  'webhook_endpoint.disabled': {
    label: 'Webhook endpoint disabled',
    text: (_who, d) => `The webhook endpoint ${d.url} was disabled${d.reason ? ` (${d.reason.replace(/_/g, ' ')})` : ''}.`,
  },
  'user_import.started': { label: 'User import started', text: (who) => `${who} started a user import.` },
  'user_import.finished': {
    label: 'User import finished',
    text: (_who, d) => `A user import ended${d.state ? ` (${d.state})` : ''}: ${d.created ?? 0} created, ${d.skipped ?? 0} skipped, ${d.failed ?? 0} failed.`,
  },
  'tenant.email_template_changed': {
    label: 'Email template changed',
    text: (who, d) => `${who} ${d.change === 'removed' ? 'removed the custom' : 'changed the'} “${d.name}” email template (${d.locale}).`,
  },
};

/** Who did it, in words. */
export function actorText(e: AuditEvent): string {
  const a = e.actor;
  if (a.type === 'system') return SYSTEM_ACTORS[a.id] ?? 'resetflow';
  if (a.type === 'admin') return a.id === 'platform' ? 'The platform admin key' : `Admin key “${a.name ?? a.id}”`;
  return a.id === e.userId ? 'The user' : `User ${a.id}`;
}

/** What happened, as a sentence that starts with the actor. */
export function eventText(e: AuditEvent): string {
  const words = AUDIT_WORDS[e.action] as ActionWords<AuditAction> | undefined;
  return words ? words.text(actorText(e), e.data as never) : `${actorText(e)}: ${e.action}.`;
}
