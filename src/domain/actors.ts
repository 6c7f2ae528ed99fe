import { systemActor } from '../contract/audit';
import type { Actor } from '../contract/vocabulary';

/** The actors of audit events that no admin key or user caused directly (their ids and meanings: the audit catalogue). */

/** The ADMIN_API_KEY: acts on every tenant. */
export const PLATFORM_ACTOR: Actor = { type: 'admin', id: 'platform', name: 'platform admin key' };
/** Scheduled rotation runs as this system actor, whoever configured the schedule. */
export const ROTATION_ACTOR: Actor = systemActor('password-rotation');
/** A pending reset link reaching its TTL. */
export const LINK_EXPIRY_ACTOR: Actor = systemActor('reset-link-expiry');
/** The mail provider refusing a reset email's recipient for good. */
export const MAIL_DELIVERY_ACTOR: Actor = systemActor('mail-delivery');
/** A temporary password reaching its lapse time unused. */
export const TEMPORARY_PASSWORD_EXPIRY_ACTOR: Actor = systemActor('temporary-password-expiry');
/** A held reset reaching its approval TTL undecided. */
export const APPROVAL_EXPIRY_ACTOR: Actor = systemActor('approval-expiry');
/** A user import. */
export const USER_IMPORT_ACTOR: Actor = systemActor('user-import');
/** Outbound webhook delivery (disabling an endpoint). */
export const WEBHOOK_DELIVERY_ACTOR: Actor = systemActor('webhook-delivery');
/** The breached-password check at sign-in. */
export const BREACH_CHECK_ACTOR: Actor = systemActor('breach-check');
