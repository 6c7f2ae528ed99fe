import {
  ActivityCancellationType,
  ActivityFailure,
  CancellationScope,
  isCancellation,
  makeContinueAsNewFunc,
  proxyActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { bulkProgressQuery, FIRST_USER_ID, type BulkProgress, type BulkResetInput } from '../contract/bulkReset';
import { searchAttributes } from '../contract/searchAttributes';
import { db } from './activityOptions';
import { actor, expectInput, is } from './guards';

/** Defaults: 1,000 users a statement; 5 batches an activity; a fresh run every 20 activities (about 150 events). */
const DEFAULT_TUNING = { batchSize: 1000, batchesPerActivity: 5, activitiesPerRun: 20 };

const bulk = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '10 seconds',
  // on cancellation, wait for the activity to stop (after the batch in hand), so the counts are final
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * A forced reset (path 3) for many users at once: a scheduled or manual rotation
 * run (`kind: rotation`: passwords older than maxPasswordAgeDays, flagged
 * `scheduled_rotation`) or a bulk forced reset (`kind: bulk_force_reset`, flagged
 * `admin_forced`). Set-based SQL in batches, keyed so nothing is done twice;
 * progress in the memo and a query; continues as new before its history grows.
 * Cancelling it stops after the current batch; users already done stay done.
 */
export async function bulkForceResetWorkflow(rawInput: BulkResetInput): Promise<BulkProgress> {
  const input = expectInput(rawInput, {
    tenantId: is.tenantId, kind: is.oneOf('rotation', 'bulk_force_reset'), operationId: is.optional(is.uuid),
    maxPasswordAgeDays: is.optional(is.count), passwordSetBefore: is.optional(is.instant), revokeSessions: is.boolean, actor,
    tuning: is.optional(is.object({ batchSize: is.count, batchesPerActivity: is.count, activitiesPerRun: is.count })),
    continuation: is.optional(is.object({
      operationId: is.uuid, afterUserId: is.uuid, startedAt: is.instant, passwordSetBefore: is.optional(is.instant),
      matched: is.count, done: is.count, skipped: is.count,
    })),
  });
  const tuning = input.tuning ?? DEFAULT_TUNING;
  const c = input.continuation;
  const operationId = c?.operationId ?? input.operationId ?? uuid4();
  const startedAt = c?.startedAt ?? new Date().toISOString();
  const passwordSetBefore = c
    ? c.passwordSetBefore
    : input.kind === 'rotation'
      ? new Date(Date.now() - (input.maxPasswordAgeDays ?? 90) * 86_400_000).toISOString()
      : input.passwordSetBefore;
  let afterUserId = c?.afterUserId ?? FIRST_USER_ID;
  let progress: BulkProgress = {
    operationId,
    kind: input.kind,
    state: 'running',
    matched: c?.matched ?? 0,
    done: c?.done ?? 0,
    skipped: c?.skipped ?? 0,
    startedAt,
  };
  const publish = (next: Partial<BulkProgress>) => {
    progress = { ...progress, ...next };
    upsertMemo({ progress });
  };
  setHandler(bulkProgressQuery, () => progress);

  if (!c) {
    upsertSearchAttributes([{ key: searchAttributes.operationId, value: operationId }]);
    await db.registerBulkOperation({ operationId, tenantId: input.tenantId, kind: input.kind });
  }
  publish({});

  try {
    for (let chunk = 0; ; chunk++) {
      if (chunk >= tuning.activitiesPerRun || workflowInfo().continueAsNewSuggested) {
        const next = makeContinueAsNewFunc<typeof bulkForceResetWorkflow>({
          memo: { progress },
          typedSearchAttributes: workflowInfo().typedSearchAttributes,
        });
        await next({
          ...input,
          continuation: { operationId, afterUserId, startedAt, passwordSetBefore, matched: progress.matched, done: progress.done, skipped: progress.skipped },
        });
      }
      const r = await bulk.flagUsersChunk({
        operationId,
        kind: input.kind,
        selection: { tenantId: input.tenantId, passwordSetBefore, createdBefore: startedAt },
        afterUserId,
        batchSize: tuning.batchSize,
        maxBatches: tuning.batchesPerActivity,
        revokeSessions: input.revokeSessions,
        actor: input.actor,
      });
      afterUserId = r.afterUserId;
      publish({ matched: progress.matched + r.matched, done: progress.done + r.done, skipped: progress.skipped + r.skipped });
      if (r.finished) break;
    }
  } catch (err) {
    if (isCancellation(err)) {
      // the batches the cancelled activity committed since its last report count too: read them from their records
      const totals = await CancellationScope.nonCancellable(() => db.countBulkOperation({ operationId }));
      publish({ ...totals, state: 'cancelled', finishedAt: new Date().toISOString() });
    } else {
      // an activity failed for good (bad data): the operation shows failed, with why, never running forever
      const cause = err instanceof ActivityFailure && err.cause ? err.cause.message : String((err as Error)?.message ?? err);
      publish({ state: 'failed', failure: cause, finishedAt: new Date().toISOString() });
    }
    throw err;
  }
  publish({ state: 'completed', finishedAt: new Date().toISOString() });
  return progress;
}
