/** The forced change at sign-in: the workflow's input and result. */
import { z } from 'zod';
import { tenantIdSchema, uuidSchema } from './ids';
import { sealedSchema } from './sealing';
import type { PolicyFailure } from './vocabulary';

export const signInChangeInputSchema = z.strictObject({
  tenantId: tenantIdSchema,
  userId: uuidSchema,
  changeTokenId: uuidSchema,
  sealedPassword: sealedSchema,
});
export type SignInChangeInput = z.infer<typeof signInChangeInputSchema>;

export type SignInChangeResult = { ok: true } | PolicyFailure | { ok: false; code: 'invalid_token' };
