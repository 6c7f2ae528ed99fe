import { z } from 'zod';
import { SEALED_PATTERN } from './patterns';

/** A value sealed by src/security/sealing.ts: opaque in histories, opened only in the activity that needs it. */
export const sealedSchema = z.string().regex(SEALED_PATTERN, 'must be a sealed value');

/** Sealing contexts: a sealed value opens only for the user and purpose it was sealed for. */
export const sealContext = {
  newPassword: (tenant: string, userId: string, ref: string) => `password:${tenant}:${userId}:${ref}`,
  resetToken: (tenant: string, resetId: string) => `reset-token:${tenant}:${resetId}`,
  /** a "this wasn't me" link's token, between the activity that stores its hash and the one that mails it */
  reportToken: (tenant: string, reportId: string) => `report-token:${tenant}:${reportId}`,
};
