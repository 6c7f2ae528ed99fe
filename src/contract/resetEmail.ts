/** Path 1, the reset email: the workflow's input, updates, signal, query and results. */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { tenantIdSchema, uuidSchema } from './ids';
import { sealedSchema } from './sealing';
import { actorSchema, type DeliveryState, type FinalResetState, type PolicyFailure, type ResetState } from './vocabulary';

export const resetEmailInputSchema = z.strictObject({
  tenantId: tenantIdSchema,
  userId: uuidSchema,
  resetId: uuidSchema,
  expiresAt: z.iso.datetime(),
  actor: actorSchema,
  revokeSessions: z.boolean(),
});
export type ResetEmailInput = z.infer<typeof resetEmailInputSchema>;

export const completeResetArgsSchema = z.strictObject({ sealedPassword: sealedSchema });
export type CompleteResetArgs = z.infer<typeof completeResetArgsSchema>;

export const cancelResetArgsSchema = z.strictObject({ actor: actorSchema });
export type CancelResetArgs = z.infer<typeof cancelResetArgsSchema>;

export type NotApplicableReason = 'user_not_found' | 'no_password_identity';
export type ResetEmailResult = { state: FinalResetState } | { state: 'not_applicable'; reason: NotApplicableReason };

export type CompleteResetResult =
  | { ok: true }
  | PolicyFailure
  | { ok: false; code: 'link_expired' | 'link_used'; state: FinalResetState };

export type CancelResetResult = { cancelled: true } | { cancelled: false; state: FinalResetState };

export interface ResetEmailStatus {
  state: ResetState;
  expiresAt: string;
  delivery: DeliveryState;
}

export type LinkIssuedResult = { issued: true } | { issued: false; reason: NotApplicableReason };

/** Answers once the link is stored (older links superseded); the API waits on it so its 202 is read-your-writes. */
export const linkIssuedUpdate = defineUpdate<LinkIssuedResult>('linkIssued');
/** The user submitted a new password through the link (an Update: it answers with the outcome). */
export const completeResetUpdate = defineUpdate<CompleteResetResult, [CompleteResetArgs]>('completeReset');
/** An admin cancelled the pending link. */
export const cancelResetUpdate = defineUpdate<CancelResetResult, [CancelResetArgs]>('cancelReset');
/** A newer link or a password change ended this link. */
export const resetSupersededSignal = defineSignal('resetSuperseded');
export const resetStatusQuery = defineQuery<ResetEmailStatus>('resetStatus');
