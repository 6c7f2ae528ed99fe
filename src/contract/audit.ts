/**
 * The audit catalogue: every action resetflow audits, with the shape of its `data`
 * and what it means, defined once. The writers (store/audit.ts takes only a payload of
 * its action's type), the API's audit list and CSV export, the OpenAPI document (a
 * union discriminated on `action`), the console (through the generated client) and the
 * outbound webhooks all read it. Adding an action here fails to compile until the
 * console has words for it.
 *
 * No `data` holds a password, a token, a hash or a webhook secret (api.md, Audit).
 */
import { z } from 'zod';
import { actorSchema } from './vocabulary';

// ---------------------------------------------------------------- the system actors

/** The actors of audit events that no admin key or user caused directly, by id, with their description. */
export const SYSTEM_ACTOR_IDS = [
  'password-rotation',
  'reset-link-expiry',
  'mail-delivery',
  'temporary-password-expiry',
  'approval-expiry',
  'user-import',
  'webhook-delivery',
  'breach-check',
] as const;
export type SystemActorId = (typeof SYSTEM_ACTOR_IDS)[number];

export const SYSTEM_ACTORS: Record<SystemActorId, { description: string }> = {
  'password-rotation': { description: 'Scheduled rotation runs as this actor, whoever configured the schedule.' },
  'reset-link-expiry': { description: 'A pending reset link reaching its TTL.' },
  'mail-delivery': { description: "The mail provider refusing a reset email's recipient for good." },
  'temporary-password-expiry': { description: 'A temporary password reaching its lapse time unused.' },
  'approval-expiry': { description: 'A held reset reaching its approval TTL undecided.' },
  'user-import': { description: 'A user import creating users and reporting its end.' },
  'webhook-delivery': { description: 'Outbound webhook delivery disabling an endpoint that is gone or failing.' },
  'breach-check': { description: 'The breached-password check at sign-in.' },
};

/** A system actor as an audit event carries it. */
export function systemActor(id: SystemActorId): { type: 'system'; id: SystemActorId } {
  return { type: 'system', id };
}

// ---------------------------------------------------------------- payloads

const id = z.string().min(1).max(200);
const instant = z.string().min(1).max(64);
/** The admin who approved a held reset (four eyes): the action's own event keeps the requester as actor. */
const approvedBy = { approvedBy: actorSchema.optional() };

/** What a held reset does once approved (api.md, Approvals). */
export const APPROVAL_ACTIONS = ['password_reset_email', 'temporary_password', 'force_password_reset'] as const;
export const approvalActionSchema = z.enum(APPROVAL_ACTIONS);
export type ApprovalAction = (typeof APPROVAL_ACTIONS)[number];

/** The user fields an admin may change (PATCH …/users/{userId}): `user.updated` shows them before and after. */
const userFields = z.object({
  displayName: z.string().nullable().optional(),
  privileged: z.boolean().optional(),
  locale: z.string().nullable().optional(),
});

const settingsSnapshot = z.object({ name: z.string(), settings: z.record(z.string(), z.unknown()) });
const approvalData = z.object({ approvalId: id, action: approvalActionSchema, reason: z.string().max(1000).optional() });
const webhookEndpointData = z.object({ endpointId: id, url: z.string().max(2048), reason: z.string().max(200).optional() });
const importData = z.object({
  importId: id,
  created: z.number().int().optional(),
  skipped: z.number().int().optional(),
  failed: z.number().int().optional(),
  state: z.string().max(20).optional(),
});

interface CatalogueEntry {
  description: string;
  data: z.ZodObject;
}

const entry = <D extends z.ZodObject>(description: string, data: D) => ({ description, data }) satisfies CatalogueEntry;

export const AUDIT_CATALOGUE = {
  'user.password_reset_email_sent': entry('A reset email was handed to the mail provider.', z.object({ resetId: id, expiresAt: instant, ...approvedBy })),
  'user.password_set_by_admin': entry(
    'An admin set a password (path 2).',
    z.object({ temporary: z.boolean(), mustResetOnNextSignIn: z.boolean(), notified: z.boolean(), ...approvedBy }),
  ),
  'user.force_password_reset_set': entry(
    'The next sign-in demands a new password: path 3, a rotation run or a bulk operation.',
    z.object({ reason: z.enum(['admin', 'scheduled_rotation', 'bulk']), operationId: id.optional(), ...approvedBy }),
  ),
  'user.password_reset_completed': entry(
    'The user chose a new password, through a reset link or at sign-in.',
    z.object({ via: z.enum(['email_link', 'sign_in']), resetId: id.optional(), reason: z.string().max(64).nullable().optional() }),
  ),
  'user.password_reset_link_expired': entry('A pending reset link reached its TTL.', z.object({ resetId: id })),
  'user.password_reset_email_cancelled': entry(
    'A pending reset link was cancelled: by an admin, or because the mail provider refused the address.',
    z.object({ resetId: id, reason: z.enum(['delivery_failed', 'password_change_reported']).optional(), error: z.string().max(200).optional() }),
  ),
  'user.sessions_revoked': entry('Sessions were revoked.', z.object({ count: z.number().int(), sessionId: id.optional(), reason: z.string().max(64).optional() })),
  'user.password_reset_email_bounced': entry(
    'The mail provider reported a hard bounce or a spam complaint for a reset email; the link was cancelled.',
    z.object({ resetId: id, bounceType: z.string().max(100), description: z.string().max(10_000) }),
  ),
  'user.temporary_password_expired': entry('A temporary password lapsed unused.', z.object({})),
  'tenant.settings_changed': entry("The tenant's name or settings were changed.", z.object({ before: settingsSnapshot, after: settingsSnapshot })),
  'api_key.created': entry('A tenant API key was created.', z.object({ keyId: id, name: z.string() })),
  'api_key.revoked': entry('A tenant API key was revoked.', z.object({ keyId: id, name: z.string() })),
  'user.updated': entry("An admin changed a user's displayName, privileged or locale.", z.object({ before: userFields, after: userFields })),
  'user.password_change_reported': entry(
    'The user reported a password change as not theirs: the password is locked, sessions revoked, pending links cancelled.',
    z.object({ lockedAt: instant }),
  ),
  'user.breached_password_detected': entry("Sign-in found the user's password in the breach corpus.", z.object({})),
  'user.password_rehashed': entry('An imported password hash was replaced by argon2id at sign-in.', z.object({ from: z.string().max(64) })),
  'approval.requested': entry('A reset was held for a second admin.', approvalData),
  'approval.approved': entry('A second admin approved a held reset; it was applied.', approvalData),
  'approval.rejected': entry('A second admin rejected a held reset.', approvalData),
  'approval.expired': entry('A held reset was not decided within the approval TTL.', approvalData),
  'webhook_endpoint.created': entry('An outbound webhook endpoint was created.', webhookEndpointData),
  'webhook_endpoint.updated': entry('An outbound webhook endpoint was changed.', webhookEndpointData),
  'webhook_endpoint.deleted': entry('An outbound webhook endpoint was deleted.', webhookEndpointData),
  'webhook_endpoint.disabled': entry('An outbound webhook endpoint was disabled (410 Gone, or failing for 5 days).', webhookEndpointData),
  'user_import.started': entry('A user import began.', importData),
  'user_import.finished': entry('A user import ended.', importData),
  'tenant.email_template_changed': entry(
    'A custom email template was set or removed.',
    z.object({ name: z.string().max(64), locale: z.string().max(16), change: z.enum(['set', 'removed']).optional() }),
  ),
} as const;

export type AuditAction = keyof typeof AUDIT_CATALOGUE;
export const AUDIT_ACTIONS = Object.keys(AUDIT_CATALOGUE) as [AuditAction, ...AuditAction[]];
export const auditActionSchema = z.enum(AUDIT_ACTIONS);

/** The `data` of one action. */
export type AuditData<A extends AuditAction> = z.infer<(typeof AUDIT_CATALOGUE)[A]['data']>;

/** An action with its payload: what a writer passes (the union keeps each action with its own `data`). */
export type AuditPayload = { [A in AuditAction]: { action: A; data: AuditData<A> } }[AuditAction];

/** A payload of one of `actions`. */
export type AuditPayloadOf<A extends AuditAction> = Extract<AuditPayload, { action: A }>;
