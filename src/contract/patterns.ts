/** The shapes of ids and sealed values, as patterns: shared by the zod schemas and by workflow code (which loads no zod). */

/** Tenant ids are slugs: lowercase letters, digits and dashes, 2–63 characters. */
export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;

/** A value sealed by src/security/sealing.ts: `v2.<kid>.<iv>.<ciphertext>.<tag>` (v1, unpadded, from before). */
export const SEALED_PATTERN = /^v[12]\.[0-9a-f]{16}\.[\w-]+\.[\w-]*\.[\w-]+$/;
