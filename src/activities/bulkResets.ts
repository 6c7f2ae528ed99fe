import { CancelledFailure, Context } from '@temporalio/activity';
import { inTransaction } from '../db/pool';
import type { Actor, BulkKind } from '../contract/vocabulary';
import { insertAuditEventPerUser } from '../store/audit';
import { countBatches, findBatch, flagBatch, insertBatch, insertBulkOperation, type BatchResult, type BulkSelection } from '../store/bulkOperations';
import { revokeSessionsOfUsers } from '../store/sessions';
import { currentExecution, type ActivityDeps } from './deps';

export interface ChunkInput {
  operationId: string;
  kind: BulkKind;
  selection: BulkSelection;
  afterUserId: string;
  batchSize: number;
  maxBatches: number;
  revokeSessions: boolean;
  actor: Actor;
}

export interface ChunkResult {
  matched: number;
  done: number;
  skipped: number;
  afterUserId: string;
  finished: boolean;
}

interface Checkpoint {
  afterUserId: string;
  batches: number;
  matched: number;
  done: number;
  skipped: number;
}

export function bulkResetActivities(deps: ActivityDeps) {
  /**
   * One batch, in one transaction: flag (one statement), audit (one statement),
   * optionally revoke sessions, and record the batch. A batch already recorded
   * (a retry after the commit) returns its recorded counts and writes nothing.
   */
  async function runBatch(input: ChunkInput, afterUserId: string): Promise<BatchResult> {
    const exec = currentExecution();
    let flaggedNow = 0;
    const batch = await inTransaction(deps.pool, async (c) => {
      const recorded = await findBatch(c, input.operationId, afterUserId);
      if (recorded) return recorded;
      const now = deps.clock();
      const rotation = input.kind === 'rotation';
      const { matched, lastUserId, flagged } = await flagBatch(c, {
        ...input.selection,
        afterUserId,
        limit: input.batchSize,
        changeRequired: rotation ? 'scheduled_rotation' : 'admin_forced',
      });
      const tenantId = input.selection.tenantId;
      const common = { tenantId, actor: input.actor, occurredAt: now, ...exec };
      const flaggedData = { reason: rotation ? ('scheduled_rotation' as const) : ('bulk' as const), operationId: input.operationId };
      await insertAuditEventPerUser(c, {
        ...common, action: 'user.force_password_reset_set', keyPrefix: `bulk:${input.operationId}`,
        users: flagged.map((userId) => ({ userId, data: flaggedData })),
      });
      if (input.revokeSessions) {
        const revoked = await revokeSessionsOfUsers(c, { tenantId, userIds: flagged, now });
        await insertAuditEventPerUser(c, {
          ...common, action: 'user.sessions_revoked', keyPrefix: `bulk-sessions:${input.operationId}`,
          users: revoked.map((r) => ({ userId: r.userId, data: { count: r.count } })),
        });
      }
      const result: BatchResult = { matched, done: flagged.length, skipped: matched - flagged.length, lastUserId };
      await insertBatch(c, input.operationId, afterUserId, result);
      flaggedNow = flagged.length;
      return result;
    });
    deps.metrics.resetEnded(input.kind === 'rotation' ? 'scheduled_rotation' : 'bulk_force_reset', 'completed', flaggedNow);
    return batch;
  }

  return {
    /** The operation's totals, from its batch records (exact whatever was reported before). */
    async countBulkOperation(input: { operationId: string }): Promise<{ matched: number; done: number; skipped: number }> {
      return countBatches(deps.pool, input.operationId);
    },

    /** Make a run's operation id known to the API (runs the schedule starts have no row yet). */
    async registerBulkOperation(input: { operationId: string; tenantId: string; kind: BulkKind }): Promise<void> {
      await insertBulkOperation(deps.pool, { id: input.operationId, tenantId: input.tenantId, kind: input.kind, workflowId: currentExecution().workflowId });
    },

    /**
     * Up to `maxBatches` batches of set-based SQL, heartbeating after each with a
     * checkpoint; a retried attempt resumes from the last checkpoint, and batches
     * committed after it are found recorded, so no user is done twice or skipped.
     * No argon2 here: a forced reset only sets a flag.
     */
    async flagUsersChunk(input: ChunkInput): Promise<ChunkResult> {
      const ctx = Context.current();
      const resumed = ctx.info.heartbeatDetails as Checkpoint | undefined;
      const cp: Checkpoint = resumed ?? { afterUserId: input.afterUserId, batches: 0, matched: 0, done: 0, skipped: 0 };
      while (cp.batches < input.maxBatches) {
        if (ctx.cancellationSignal.aborted) throw new CancelledFailure('bulk operation cancelled');
        const r = await runBatch(input, cp.afterUserId);
        cp.matched += r.matched;
        cp.done += r.done;
        cp.skipped += r.skipped;
        cp.batches += 1;
        if (r.lastUserId) cp.afterUserId = r.lastUserId;
        ctx.heartbeat(cp);
        if (r.matched < input.batchSize) return { ...cp, finished: true };
      }
      return { matched: cp.matched, done: cp.done, skipped: cp.skipped, afterUserId: cp.afterUserId, finished: false };
    },
  };
}
