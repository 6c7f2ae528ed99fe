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

/**
 * What the mail provider's webhook said about one reset email (Postmark's Delivery,
 * Bounce or SpamComplaint). Ids and the provider's words only: never the address.
 */
export const deliveryReportSchema = z.strictObject({
  /** the provider's id of the message (a UUID at Postmark) */
  messageId: z.string().min(1).max(200),
  state: z.enum(['delivered', 'bounced', 'complained']),
  /** when it happened, as the provider says (DeliveredAt, BouncedAt) */
  at: z.iso.datetime({ offset: true }),
  /** the provider's description, with anything like an address taken out */
  detail: z.string().max(500).optional(),
  /** Postmark's bounce type: HardBounce, SoftBounce, Blocked, SpamComplaint… */
  bounceType: z.string().min(1).max(100).optional(),
});
export type DeliveryReport = z.infer<typeof deliveryReportSchema>;

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
/**
 * The mail provider reported on the link's email. The workflow records it through an
 * activity; a hard bounce or a spam complaint ends a pending link (cancelled).
 */
export const deliveryReportedSignal = defineSignal<[DeliveryReport]>('deliveryReported');
export const resetStatusQuery = defineQuery<ResetEmailStatus>('resetStatus');
