import { z } from 'zod';
import { APPROVAL_SCOPES, BREACHED_AT_SIGN_IN, LOCALES } from '../contract/vocabulary';
import { displayTextProblem } from './displayText';

/** Per-tenant password policy (NIST SP 800-63B: length, blocklist, context words, no composition rules). */
export const passwordPolicySchema = z
  .object({
    minLength: z.number().int().min(8).max(64).default(12),
    maxLength: z.number().int().min(64).max(1024).default(128),
    blockCommonPasswords: z.boolean().default(true),
    forbidPersonalInfo: z.boolean().default(true),
    historyCount: z.number().int().min(0).max(24).default(5),
    /** every new password is looked up in a Pwned Passwords range API (k-anonymity); a hit is the rule `breached` */
    blockBreachedPasswords: z.boolean().default(true),
  })
  .strict();

/** Second-admin approval of the three reset paths (api.md, Approvals). */
export const approvalSettingsSchema = z
  .object({
    requiredFor: z.enum(APPROVAL_SCOPES).default('none'),
    ttlSeconds: z.number().int().min(300).max(604_800).default(86_400),
  })
  .strict();

const shownText = (max: number) =>
  z.string().trim().min(1).max(max).superRefine((v, ctx) => {
    const problem = displayTextProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** The tenant's name, colour, logo and support address on every email and end-user page. */
export const brandingSchema = z
  .object({
    productName: shownText(100).optional(),
    /** an https URL of an image (emails load it from there; pages too) */
    logoUrl: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }).max(2048).optional(),
    /** #rrggbb; text on it is black or white, whichever has the better contrast */
    primaryColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour as #rrggbb').optional(),
    supportEmail: z.email().max(254).optional(),
  })
  .strict();

export const tenantSettingsSchema = z
  .object({
    resetLinkTtlSeconds: z.number().int().min(10).max(2_592_000).default(86_400),
    /** how long a temporary password (path 2, must change at next sign-in) keeps working: 7 days by default */
    temporaryPasswordTtlSeconds: z.number().int().min(60).max(2_592_000).default(604_800),
    passwordPolicy: passwordPolicySchema.prefault({}),
    /** `require_change`: a correct password found breached at sign-in must be changed before the session starts */
    breachedPasswordAtSignIn: z.enum(BREACHED_AT_SIGN_IN).default('ignore'),
    /** "your password was changed" (with a "this wasn't me" link) after every password the user chose */
    notifyPasswordChanged: z.boolean().default(true),
    approvals: approvalSettingsSchema.prefault({}),
    /** the language of emails and pages when the user has none (and the page no better clue) */
    defaultLocale: z.enum(LOCALES).default('en'),
    branding: brandingSchema.prefault({}),
  })
  .strict()
  .refine((s) => s.passwordPolicy.minLength <= s.passwordPolicy.maxLength, {
    message: 'minLength must not exceed maxLength',
    path: ['passwordPolicy', 'minLength'],
  });

export type PasswordPolicy = z.infer<typeof passwordPolicySchema>;
export type ApprovalSettings = z.infer<typeof approvalSettingsSchema>;
export type Branding = z.infer<typeof brandingSchema>;
export type TenantSettings = z.infer<typeof tenantSettingsSchema>;

export const DEFAULT_TENANT_SETTINGS: TenantSettings = tenantSettingsSchema.parse({});

/** Settings as stored (jsonb): parsed with defaults, so rows written before a new field existed still read. */
export function readTenantSettings(stored: unknown): TenantSettings {
  return tenantSettingsSchema.parse(stored ?? {});
}

/**
 * The rules `after` makes weaker than `before`: a shorter minimum, a history that
 * remembers fewer passwords, the common-password, breached-password or personal-information
 * check off. Only the platform key may weaken a tenant's policy (docs/security.md).
 */
export function weakenedRules(before: PasswordPolicy, after: PasswordPolicy): string[] {
  const weaker: string[] = [];
  if (after.minLength < before.minLength) weaker.push('minLength');
  if (after.historyCount < before.historyCount) weaker.push('historyCount');
  if (before.blockCommonPasswords && !after.blockCommonPasswords) weaker.push('blockCommonPasswords');
  if (before.forbidPersonalInfo && !after.forbidPersonalInfo) weaker.push('forbidPersonalInfo');
  if (before.blockBreachedPasswords && !after.blockBreachedPasswords) weaker.push('blockBreachedPasswords');
  return weaker;
}

/** The longest lifetimes a tenant key may give its own links and temporary passwords (the defaults); beyond them only the platform key. */
export const TENANT_KEY_MAX_LINK_TTL_SECONDS = 86_400;
export const TENANT_KEY_MAX_TEMPORARY_PASSWORD_TTL_SECONDS = 604_800;

const APPROVAL_REACH: Record<ApprovalSettings['requiredFor'], number> = { none: 0, privileged_users: 1, all_users: 2 };

/**
 * What only the platform key may change in a tenant (docs/security.md, "What a tenant key may change"): the
 * tenant's name (it signs every email's subject), a weaker password policy, link and temporary-password
 * lifetimes raised beyond the defaults, fewer resets held for a second admin's approval, the change notice
 * ("this wasn't me") off, and breached passwords let through at sign-in. A tenant key, the helpdesk's
 * credential, is what a social engineer talks into acting: it may tighten every control, never loosen one.
 */
export function platformOnlyChanges(before: { name: string; settings: TenantSettings }, after: { name: string; settings: TenantSettings }): string[] {
  const out = weakenedRules(before.settings.passwordPolicy, after.settings.passwordPolicy).map((r) => `passwordPolicy.${r}`);
  const b = before.settings;
  const a = after.settings;
  if (after.name !== before.name) out.push('name');
  if (a.resetLinkTtlSeconds > b.resetLinkTtlSeconds && a.resetLinkTtlSeconds > TENANT_KEY_MAX_LINK_TTL_SECONDS) out.push('resetLinkTtlSeconds');
  if (a.temporaryPasswordTtlSeconds > b.temporaryPasswordTtlSeconds && a.temporaryPasswordTtlSeconds > TENANT_KEY_MAX_TEMPORARY_PASSWORD_TTL_SECONDS) out.push('temporaryPasswordTtlSeconds');
  if (APPROVAL_REACH[a.approvals.requiredFor] < APPROVAL_REACH[b.approvals.requiredFor]) out.push('approvals.requiredFor');
  if (b.notifyPasswordChanged && !a.notifyPasswordChanged) out.push('notifyPasswordChanged');
  if (b.breachedPasswordAtSignIn === 'require_change' && a.breachedPasswordAtSignIn === 'ignore') out.push('breachedPasswordAtSignIn');
  return out;
}
