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
    /** how long a temporary password (path 2, must change at next sign-in) keeps working: 7 days by default */
    temporaryPasswordTtlSeconds: z.number().int().min(60).max(2_592_000).default(604_800),
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
