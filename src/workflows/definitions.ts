/**
 * The contract between the API and the workflows: inputs (validated with zod on
 * both sides), workflow ids, updates, signals, queries and search attributes.
 * Imported by workflow code, so nothing here may touch Node APIs.
 */
import { z } from 'zod';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { actorSchema } from '../domain/actor';

/** A value sealed by src/security/sealing.ts: opaque in histories, opened only in the activity that needs it. */
export const sealedSchema = z.string().regex(/^v1\.[0-9a-f]{16}\.[\w-]+\.[\w-]*\.[\w-]+$/, 'must be a sealed value');

const tenantId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/);
const uuid = z.uuid();

export const resetPathSchema = z.enum(['reset_email', 'temporary_password', 'force_reset', 'sign_in_change', 'scheduled_rotation', 'bulk_force_reset']);
export type ResetPath = z.infer<typeof resetPathSchema>;

// ---------------------------------------------------------------- search attributes

export const searchAttributes = {
  tenantId: defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD),
  userId: defineSearchAttributeKey('UserId', SearchAttributeType.KEYWORD),
  resetPath: defineSearchAttributeKey('ResetPath', SearchAttributeType.KEYWORD),
  resetId: defineSearchAttributeKey('ResetId', SearchAttributeType.KEYWORD),
  resetState: defineSearchAttributeKey('ResetState', SearchAttributeType.KEYWORD),
  operationId: defineSearchAttributeKey('OperationId', SearchAttributeType.KEYWORD),
} as const;

/** Registered at start-up (dev server flags, or the operator API on a cluster). */
export const SEARCH_ATTRIBUTE_NAMES = Object.values(searchAttributes).map((k) => k.name);

// ---------------------------------------------------------------- workflow ids (ids only, never emails or names)

export const workflowIds = {
  resetEmail: (t: string, resetId: string) => `password-reset-email/${t}/${resetId}`,
  temporaryPassword: (t: string, userId: string, operationId: string) => `temporary-password/${t}/${userId}/${operationId}`,
  forceReset: (t: string, userId: string, operationId: string) => `force-password-reset/${t}/${userId}/${operationId}`,
  signInChange: (t: string, userId: string, changeTokenId: string) => `password-change/${t}/${userId}/${changeTokenId}`,
  /** a rotation run started through the API; scheduled runs get the schedule's id plus a timestamp */
  rotationRun: (t: string, operationId: string) => `password-rotation/${t}/${operationId}`,
  bulkForceReset: (t: string, operationId: string) => `bulk-force-reset/${t}/${operationId}`,
};

export const rotationScheduleId = (t: string) => `password-rotation/${t}`;

// ---------------------------------------------------------------- path 1: reset email

export const resetEmailInputSchema = z.strictObject({
  tenantId,
  userId: uuid,
  resetId: uuid,
  expiresAt: z.iso.datetime(),
  actor: actorSchema,
  revokeSessions: z.boolean(),
});
export type ResetEmailInput = z.infer<typeof resetEmailInputSchema>;

export const completeResetArgsSchema = z.strictObject({ sealedPassword: sealedSchema });
export type CompleteResetArgs = z.infer<typeof completeResetArgsSchema>;

export const cancelResetArgsSchema = z.strictObject({ actor: actorSchema });
export type CancelResetArgs = z.infer<typeof cancelResetArgsSchema>;

export type FinalResetState = 'completed' | 'expired' | 'superseded' | 'cancelled';
export type ResetEmailResult = { state: FinalResetState } | { state: 'not_applicable'; reason: 'user_not_found' | 'no_password_identity' };

export interface PolicyFailure {
  ok: false;
  code: 'password_policy';
  violations: { rule: string; message: string }[];
}

export type CompleteResetResult =
  | { ok: true }
  | PolicyFailure
  | { ok: false; code: 'link_expired' | 'link_used'; state: FinalResetState };

export type CancelResetResult = { cancelled: true } | { cancelled: false; state: FinalResetState };

export interface ResetEmailStatus {
  state: 'pending' | FinalResetState;
  expiresAt: string;
  delivery: 'pending' | 'sent' | 'failed';
}

export type LinkIssuedResult = { issued: true } | { issued: false; reason: 'user_not_found' | 'no_password_identity' };

/** Answers once the link is stored (older links superseded); the API waits on it so its 202 is read-your-writes. */
export const linkIssuedUpdate = defineUpdate<LinkIssuedResult>('linkIssued');
/** The user submitted a new password through the link (an Update: it answers with the outcome). */
export const completeResetUpdate = defineUpdate<CompleteResetResult, [CompleteResetArgs]>('completeReset');
/** An admin cancelled the pending link. */
export const cancelResetUpdate = defineUpdate<CancelResetResult, [CancelResetArgs]>('cancelReset');
/** A newer link or a password change ended this link. */
export const resetSupersededSignal = defineSignal('resetSuperseded');
export const resetStatusQuery = defineQuery<ResetEmailStatus>('resetStatus');

// ---------------------------------------------------------------- path 2: temporary password

export const temporaryPasswordInputSchema = z.strictObject({
  tenantId,
  userId: uuid,
  operationId: uuid,
  sealedPassword: sealedSchema,
  mustResetOnNextSignIn: z.boolean(),
  notifyUser: z.boolean(),
  revokeSessions: z.boolean(),
  actor: actorSchema,
});
export type TemporaryPasswordInput = z.infer<typeof temporaryPasswordInputSchema>;

export type ApplyResult = { ok: true } | PolicyFailure | { ok: false; code: 'no_password_identity' | 'user_not_found' };

/** Answers once the password is stored (the notification email may still be on its way). */
export const passwordAppliedUpdate = defineUpdate<ApplyResult>('passwordApplied');

// ---------------------------------------------------------------- path 3: forced reset

export const forceResetInputSchema = z.strictObject({
  tenantId,
  userId: uuid,
  operationId: uuid,
  revokeSessions: z.boolean(),
  actor: actorSchema,
});
export type ForceResetInput = z.infer<typeof forceResetInputSchema>;

// ---------------------------------------------------------------- forced change at sign-in

export const signInChangeInputSchema = z.strictObject({
  tenantId,
  userId: uuid,
  changeTokenId: uuid,
  sealedPassword: sealedSchema,
});
export type SignInChangeInput = z.infer<typeof signInChangeInputSchema>;

export type SignInChangeResult = { ok: true } | PolicyFailure | { ok: false; code: 'invalid_token' };

// ---------------------------------------------------------------- rotation and bulk forced resets

const bulkProgressFields = { matched: z.number().int().min(0), done: z.number().int().min(0), skipped: z.number().int().min(0) };

export const bulkResetInputSchema = z.strictObject({
  tenantId,
  kind: z.enum(['rotation', 'bulk_force_reset']),
  /** set by the API; a run started by the schedule makes its own */
  operationId: uuid.optional(),
  /** rotation: passwords older than this many days */
  maxPasswordAgeDays: z.number().int().min(1).max(3650).optional(),
  /** bulk: passwords set before this instant (undefined with all: every password user) */
  passwordSetBefore: z.iso.datetime().optional(),
  revokeSessions: z.boolean(),
  actor: actorSchema,
  tuning: z
    .strictObject({
      batchSize: z.number().int().min(1).max(100_000),
      batchesPerActivity: z.number().int().min(1).max(1000),
      activitiesPerRun: z.number().int().min(1).max(1000),
    })
    .optional(),
  /** carried across continue-as-new */
  continuation: z
    .strictObject({
      operationId: uuid,
      afterUserId: uuid,
      startedAt: z.iso.datetime(),
      passwordSetBefore: z.iso.datetime().optional(),
      ...bulkProgressFields,
    })
    .optional(),
});
export type BulkResetInput = z.infer<typeof bulkResetInputSchema>;

export interface BulkProgress {
  operationId: string;
  kind: 'rotation' | 'bulk_force_reset';
  state: 'running' | 'completed' | 'cancelled';
  matched: number;
  done: number;
  skipped: number;
  startedAt: string;
  finishedAt?: string;
}

/** The same progress the workflow keeps in its memo (`progress`), readable without a worker from describe(). */
export const bulkProgressQuery = defineQuery<BulkProgress>('progress');

/** Sealing contexts: a sealed value opens only for the user and purpose it was sealed for. */
export const sealContext = {
  newPassword: (tenant: string, userId: string, ref: string) => `password:${tenant}:${userId}:${ref}`,
  resetToken: (tenant: string, resetId: string) => `reset-token:${tenant}:${resetId}`,
};
