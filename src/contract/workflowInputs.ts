/**
 * The zod schemas of every workflow input and every update and signal argument: the
 * API checks what it sends (src/services/temporalCalls.ts) and each activity checks what
 * it receives. Workflow code does not import this file: the SDK evaluates the workflow
 * bundle's modules afresh for every workflow, and building zod schemas there cost about
 * 14 ms of CPU per workflow run (docs/performance.md); workflows check their inputs' shape
 * with src/workflows/guards.ts instead.
 */
import { z } from 'zod';
import { tenantIdSchema, uuidSchema } from './ids';
import { sealedSchema } from './sealing';
import { actorSchema, bulkKindSchema, bulkStateSchema } from './vocabulary';

// ---------------------------------------------------------------- path 1: reset email

export const resetEmailInputSchema = z.strictObject({
  tenantId: tenantIdSchema,
  userId: uuidSchema,
  resetId: uuidSchema,
  expiresAt: z.iso.datetime(),
  actor: actorSchema,
  revokeSessions: z.boolean(),
  /** held for a second admin and approved by this actor (the audit event keeps `actor` as the requester) */
  approvedBy: actorSchema.optional(),
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

// ---------------------------------------------------------------- paths 2 and 3

export const temporaryPasswordInputSchema = z.strictObject({
  tenantId: tenantIdSchema,
  userId: uuidSchema,
  operationId: uuidSchema,
  sealedPassword: sealedSchema,
  mustResetOnNextSignIn: z.boolean(),
  notifyUser: z.boolean(),
  revokeSessions: z.boolean(),
  actor: actorSchema,
  approvedBy: actorSchema.optional(),
});
export type TemporaryPasswordInput = z.infer<typeof temporaryPasswordInputSchema>;

export const forceResetInputSchema = z.strictObject({
  tenantId: tenantIdSchema,
  userId: uuidSchema,
  operationId: uuidSchema,
  revokeSessions: z.boolean(),
  actor: actorSchema,
  approvedBy: actorSchema.optional(),
});
export type ForceResetInput = z.infer<typeof forceResetInputSchema>;

// ---------------------------------------------------------------- approvals (a second admin)

export const approvalInputSchema = z.strictObject({
  tenantId: tenantIdSchema,
  userId: uuidSchema,
  approvalId: uuidSchema,
  action: z.enum(['password_reset_email', 'temporary_password', 'force_password_reset']),
  requestedBy: actorSchema,
  /** the approval lapses then, undecided */
  expiresAt: z.iso.datetime(),
  revokeSessions: z.boolean(),
  /** temporary_password only: sealed for (tenant, user, approvalId), opened only by the activity that hashes it */
  sealedPassword: sealedSchema.optional(),
  mustResetOnNextSignIn: z.boolean().optional(),
  notifyUser: z.boolean().optional(),
});
export type ApprovalInput = z.infer<typeof approvalInputSchema>;

// ---------------------------------------------------------------- the change at sign-in

export const signInChangeInputSchema = z.strictObject({
  tenantId: tenantIdSchema,
  userId: uuidSchema,
  changeTokenId: uuidSchema,
  sealedPassword: sealedSchema,
});
export type SignInChangeInput = z.infer<typeof signInChangeInputSchema>;

// ---------------------------------------------------------------- rotation and bulk forced resets

export const bulkTuningSchema = z.strictObject({
  /** users per SQL statement */
  batchSize: z.number().int().min(1).max(100_000),
  /** batches per activity (it heartbeats after each) */
  batchesPerActivity: z.number().int().min(1).max(1000),
  /** activities per workflow run before it continues as new */
  activitiesPerRun: z.number().int().min(1).max(1000),
});
export type BulkTuning = z.infer<typeof bulkTuningSchema>;

const count = z.number().int().min(0);

export const bulkResetInputSchema = z.strictObject({
  tenantId: tenantIdSchema,
  kind: bulkKindSchema,
  /** set by the API; a run started by the schedule makes its own */
  operationId: uuidSchema.optional(),
  /** rotation: passwords older than this many days */
  maxPasswordAgeDays: z.number().int().min(1).max(3650).optional(),
  /** bulk: passwords set before this instant (undefined with all: every password user) */
  passwordSetBefore: z.iso.datetime().optional(),
  revokeSessions: z.boolean(),
  actor: actorSchema,
  tuning: bulkTuningSchema.optional(),
  /** carried across continue-as-new */
  continuation: z
    .strictObject({
      operationId: uuidSchema,
      afterUserId: uuidSchema,
      startedAt: z.iso.datetime(),
      passwordSetBefore: z.iso.datetime().optional(),
      matched: count,
      done: count,
      skipped: count,
    })
    .optional(),
});
export type BulkResetInput = z.infer<typeof bulkResetInputSchema>;

/** An operation as the API reports it: the workflow's progress, and `failed` when the workflow failed or was terminated. */
export const bulkStatusSchema = z.object({
  operationId: z.string(),
  kind: bulkKindSchema,
  state: bulkStateSchema,
  matched: z.number().int(),
  done: z.number().int(),
  skipped: z.number().int(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  /** why a failed operation failed */
  failure: z.string().optional(),
  workflowId: z.string(),
});
export type BulkStatus = z.infer<typeof bulkStatusSchema>;
