/** Path 1, the reset email: the workflow's input, updates, signal, query and results. */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { DeliveryState, FinalResetState, PolicyFailure, ResetState } from './vocabulary';
import type { CancelResetArgs, CompleteResetArgs, DeliveryReport, ResetEmailInput } from './workflowInputs';

// the inputs' zod schemas live in ./workflowInputs.ts: this file is imported by workflow code, which loads no zod
export type { CancelResetArgs, CompleteResetArgs, DeliveryReport, ResetEmailInput };

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
