/** Rotation runs and bulk forced resets: the workflow's input, progress and query. */
import { defineQuery } from '@temporalio/workflow';
import type { BulkKind, BulkState } from './vocabulary';
import type { BulkResetInput, BulkStatus, BulkTuning } from './workflowInputs';

// the zod schemas live in ./workflowInputs.ts: this file is imported by workflow code, which loads no zod
export type { BulkResetInput, BulkStatus, BulkTuning };

/** Scans start after this id: every user id sorts after it. */
export const FIRST_USER_ID = '00000000-0000-0000-0000-000000000000';



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

/** The same progress the workflow keeps in its memo (`progress`), readable without a worker from describe(). */
export const bulkProgressQuery = defineQuery<BulkProgress>('progress');
