import { z } from 'zod';

/** A value sealed by src/security/sealing.ts: opaque in histories, opened only in the activity that needs it. */
export const sealedSchema = z.string().regex(/^v1\.[0-9a-f]{16}\.[\w-]+\.[\w-]*\.[\w-]+$/, 'must be a sealed value');

/** Sealing contexts: a sealed value opens only for the user and purpose it was sealed for. */
export const sealContext = {
  newPassword: (tenant: string, userId: string, ref: string) => `password:${tenant}:${userId}:${ref}`,
  resetToken: (tenant: string, resetId: string) => `reset-token:${tenant}:${resetId}`,
};
