/** Path 2 (temporary password) and path 3 (forced reset): the workflows' inputs, update and results. */
import { defineSignal, defineUpdate } from '@temporalio/workflow';
import type { PolicyFailure } from './vocabulary';
import type { ForceResetInput, TemporaryPasswordInput } from './workflowInputs';

// the inputs' zod schemas live in ./workflowInputs.ts: this file is imported by workflow code, which loads no zod
export type { ForceResetInput, TemporaryPasswordInput };

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
