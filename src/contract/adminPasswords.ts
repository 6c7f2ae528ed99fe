/** Path 2 (temporary password) and path 3 (forced reset): the workflows' inputs, update and results. */
import { defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { tenantIdSchema, uuidSchema } from './ids';
import { sealedSchema } from './sealing';
import { actorSchema, type PolicyFailure } from './vocabulary';

export const temporaryPasswordInputSchema = z.strictObject({
  tenantId: tenantIdSchema,
  userId: uuidSchema,
  operationId: uuidSchema,
  sealedPassword: sealedSchema,
  mustResetOnNextSignIn: z.boolean(),
  notifyUser: z.boolean(),
  revokeSessions: z.boolean(),
  actor: actorSchema,
});
export type TemporaryPasswordInput = z.infer<typeof temporaryPasswordInputSchema>;

export const forceResetInputSchema = z.strictObject({
  tenantId: tenantIdSchema,
  userId: uuidSchema,
  operationId: uuidSchema,
  revokeSessions: z.boolean(),
  actor: actorSchema,
});
export type ForceResetInput = z.infer<typeof forceResetInputSchema>;

/** The user is gone, or signs in through SSO only: there is no password to set or flag. */
export type NoPasswordSubject = { ok: false; code: 'no_password_identity' | 'user_not_found' };
export type ApplyResult = { ok: true } | PolicyFailure | NoPasswordSubject;

/** Answers once the password is stored (the notification email may still be on its way). */
export const passwordAppliedUpdate = defineUpdate<ApplyResult>('passwordApplied');

/**
 * A newer password write (any path) replaced this workflow's temporary password:
 * it no longer lapses, and the workflow ends without auditing an expiry.
 */
export const temporaryPasswordReplacedSignal = defineSignal('temporaryPasswordReplaced');
