/** Rotation runs and bulk forced resets: the workflow's input, progress and query. */
import { defineQuery } from '@temporalio/workflow';
import { z } from 'zod';
import { tenantIdSchema, uuidSchema } from './ids';
import { actorSchema, bulkKindSchema, bulkStateSchema, type BulkKind, type BulkState } from './vocabulary';

/** Scans start after this id: every user id sorts after it. */
export const FIRST_USER_ID = '00000000-0000-0000-0000-000000000000';

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

export interface BulkProgress {
  operationId: string;
  kind: BulkKind;
  state: BulkState;
  /** why it failed, when it did (an activity met data that can never succeed) */
  failure?: string;
  matched: number;
  done: number;
  skipped: number;
  startedAt: string;
  finishedAt?: string;
}

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

/** The same progress the workflow keeps in its memo (`progress`), readable without a worker from describe(). */
export const bulkProgressQuery = defineQuery<BulkProgress>('progress');
