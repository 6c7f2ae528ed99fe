import type { Actor } from '../contract/vocabulary';

/** The actors of audit events that no admin key or user caused directly. */

/** The ADMIN_API_KEY: acts on every tenant. */
export const PLATFORM_ACTOR: Actor = { type: 'admin', id: 'platform', name: 'platform admin key' };
/** Scheduled rotation runs as this system actor, whoever configured the schedule. */
export const ROTATION_ACTOR: Actor = { type: 'system', id: 'password-rotation' };
/** A pending reset link reaching its TTL. */
export const LINK_EXPIRY_ACTOR: Actor = { type: 'system', id: 'reset-link-expiry' };
/** The mail provider refusing a reset email's recipient for good. */
export const MAIL_DELIVERY_ACTOR: Actor = { type: 'system', id: 'mail-delivery' };
/** A temporary password reaching its lapse time unused. */
export const TEMPORARY_PASSWORD_EXPIRY_ACTOR: Actor = { type: 'system', id: 'temporary-password-expiry' };
