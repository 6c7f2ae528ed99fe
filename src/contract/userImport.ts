/** User import (api.md, "User import with existing password hashes"): the workflow's input, progress and query. */
import { defineQuery } from '@temporalio/workflow';
import type { Actor } from './vocabulary';

export const USER_IMPORT_STATES = ['running', 'completed', 'failed', 'cancelled'] as const;
export type UserImportState = (typeof USER_IMPORT_STATES)[number];

/** The line codes of api.md: `failed` counts the first two, `skipped` the last two. */
export const IMPORT_LINE_CODES = ['invalid_line', 'unsupported_hash', 'email_taken', 'duplicate_in_file'] as const;
export type ImportLineCode = (typeof IMPORT_LINE_CODES)[number];

/** The most bad lines an import keeps (api.md: the first 1,000). */
export const MAX_IMPORT_ERRORS = 1000;

export interface UserImportTuning {
  /** lines a transaction */
  batchSize: number;
  /** batches an activity (it heartbeats after each) */
  batchesPerActivity: number;
  /** activities a run, then continue-as-new */
  activitiesPerRun: number;
}

export const DEFAULT_IMPORT_TUNING: UserImportTuning = { batchSize: 500, batchesPerActivity: 20, activitiesPerRun: 50 };

/** The workflow's input: ids only. The file stays in PostgreSQL (user_import_lines); no line, email or hash reaches Temporal. */
export interface UserImportInput {
  tenantId: string;
  importId: string;
  actor: Actor;
  tuning?: UserImportTuning;
  /** set by continue-as-new */
  continued?: boolean;
}

/** Counts only, as the workflow publishes them in its memo and its query. */
export interface UserImportProgress {
  importId: string;
  state: UserImportState;
  lines: number;
  created: number;
  skipped: number;
  failed: number;
}

export const userImportProgressQuery = defineQuery<UserImportProgress>('progress');
