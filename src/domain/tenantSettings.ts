import { z } from 'zod';

/** Per-tenant password policy (NIST SP 800-63B: length, blocklist, context words, no composition rules). */
export const passwordPolicySchema = z
  .object({
    minLength: z.number().int().min(8).max(64).default(12),
    maxLength: z.number().int().min(64).max(1024).default(128),
    blockCommonPasswords: z.boolean().default(true),
    forbidPersonalInfo: z.boolean().default(true),
    historyCount: z.number().int().min(0).max(24).default(5),
  })
  .strict();

export const tenantSettingsSchema = z
  .object({
    resetLinkTtlSeconds: z.number().int().min(10).max(2_592_000).default(86_400),
    passwordPolicy: passwordPolicySchema.prefault({}),
  })
  .strict()
  .refine((s) => s.passwordPolicy.minLength <= s.passwordPolicy.maxLength, {
    message: 'minLength must not exceed maxLength',
    path: ['passwordPolicy', 'minLength'],
  });

export type PasswordPolicy = z.infer<typeof passwordPolicySchema>;
export type TenantSettings = z.infer<typeof tenantSettingsSchema>;

export const DEFAULT_TENANT_SETTINGS: TenantSettings = tenantSettingsSchema.parse({});

/** Settings as stored (jsonb): parsed with defaults, so rows written before a new field existed still read. */
export function readTenantSettings(stored: unknown): TenantSettings {
  return tenantSettingsSchema.parse(stored ?? {});
}

/**
 * The rules `after` makes weaker than `before`: a shorter minimum, a history that
 * remembers fewer passwords, the common-password or personal-information check off.
 * Only the platform key may weaken a tenant's policy (README, Security).
 */
export function weakenedRules(before: PasswordPolicy, after: PasswordPolicy): string[] {
  const weaker: string[] = [];
  if (after.minLength < before.minLength) weaker.push('minLength');
  if (after.historyCount < before.historyCount) weaker.push('historyCount');
  if (before.blockCommonPasswords && !after.blockCommonPasswords) weaker.push('blockCommonPasswords');
  if (before.forbidPersonalInfo && !after.forbidPersonalInfo) weaker.push('forbidPersonalInfo');
  return weaker;
}
