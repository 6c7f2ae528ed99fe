/**
 * The words every layer shares, defined once: reset states, why a password must
 * change, bulk operation kinds and states, actors, reset paths, delivery states,
 * audit actions and policy rules.
 */
import { z } from 'zod';

export const RESET_STATES = ['pending', 'completed', 'expired', 'superseded', 'cancelled'] as const;
export const resetStateSchema = z.enum(RESET_STATES);
export type ResetState = (typeof RESET_STATES)[number];
export type FinalResetState = Exclude<ResetState, 'pending'>;

/** Why the next sign-in demands a new password. */
export const CHANGE_REQUIRED_REASONS = ['temporary_password', 'admin_forced', 'scheduled_rotation', 'breached_password'] as const;
export const changeRequiredSchema = z.enum(CHANGE_REQUIRED_REASONS);
export type ChangeRequired = (typeof CHANGE_REQUIRED_REASONS)[number];

export const BULK_KINDS = ['rotation', 'bulk_force_reset'] as const;
export const bulkKindSchema = z.enum(BULK_KINDS);
export type BulkKind = (typeof BULK_KINDS)[number];
/** What a bulk workflow reports of itself; an operation's status adds `failed` (its workflow failed or was terminated). */
export const BULK_STATES = ['running', 'completed', 'cancelled', 'failed'] as const;
export const bulkStateSchema = z.enum(BULK_STATES);
export type BulkState = (typeof BULK_STATES)[number];

export const ACTOR_TYPES = ['admin', 'user', 'system'] as const;
/** Who caused an action: an admin key, the user themself, or the system (rotation, expiry). */
export const actorSchema = z.strictObject({
  type: z.enum(ACTOR_TYPES),
  id: z.string().min(1).max(200),
  name: z.string().max(200).optional(),
});
export type Actor = z.infer<typeof actorSchema>;

/** The `ResetPath` search attribute of every workflow. */
export const RESET_PATHS = ['reset_email', 'temporary_password', 'force_reset', 'sign_in_change', 'scheduled_rotation', 'bulk_force_reset'] as const;
export type ResetPath = (typeof RESET_PATHS)[number];

/**
 * Where a reset email stands with the mail provider: `pending` until it is handed
 * over, `sent` when the provider accepted it, then what the provider's webhooks
 * report (`delivered`, `bounced`, `complained`: the recipient marked it as spam);
 * `failed` when the provider refused the recipient outright.
 */
export const DELIVERY_STATES = ['pending', 'sent', 'delivered', 'bounced', 'complained', 'failed'] as const;
export const deliveryStateSchema = z.enum(DELIVERY_STATES);
export type DeliveryState = (typeof DELIVERY_STATES)[number];

// The audit actions and their payloads: src/contract/audit.ts (the audit catalogue).

/** The rules of a tenant's password policy, as named in `422 password_policy` errors. */
/** Rules checked from the password alone; `reused` needs the stored hashes, and is checked when the password is set. */
export const STATELESS_POLICY_RULES = ['min_length', 'max_length', 'common_password', 'personal_info'] as const;
/** `breached`: found by a Pwned Passwords range lookup (a network call, so not in the stateless check). */
export const POLICY_RULES = [...STATELESS_POLICY_RULES, 'reused', 'breached'] as const;
export type PolicyRule = (typeof POLICY_RULES)[number];

export interface PolicyViolation {
  rule: PolicyRule;
  message: string;
}

/** A new password the tenant's policy refuses (the HTTP edge answers 422 password_policy). */
export interface PolicyFailure {
  ok: false;
  code: 'password_policy';
  violations: PolicyViolation[];
}

/** The languages of every email and end-user page (api.md, Languages and email templates). */
export const LOCALES = ['en', 'de', 'fr', 'es', 'pt-BR', 'ja'] as const;
export const localeSchema = z.enum(LOCALES);
export type Locale = (typeof LOCALES)[number];

/** Which users' resets wait for a second admin (`approvals.requiredFor`). */
export const APPROVAL_SCOPES = ['none', 'privileged_users', 'all_users'] as const;
export type ApprovalScope = (typeof APPROVAL_SCOPES)[number];

/** What sign-in does with a correct password found in a breach corpus (`breachedPasswordAtSignIn`). */
export const BREACHED_AT_SIGN_IN = ['ignore', 'require_change'] as const;

/** The emails a tenant may template, per language (api.md, Languages and email templates). */
export const EMAIL_TEMPLATE_NAMES = ['password_reset_link', 'temporary_password_set', 'password_changed'] as const;
export const emailTemplateNameSchema = z.enum(EMAIL_TEMPLATE_NAMES);
export type EmailTemplateName = (typeof EMAIL_TEMPLATE_NAMES)[number];
