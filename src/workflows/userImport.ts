import {
  ActivityCancellationType,
  CancellationScope,
  ContinueAsNew,
  isCancellation,
  makeContinueAsNewFunc,
  proxyActivities,
  setHandler,
  upsertMemo,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { DEFAULT_IMPORT_TUNING, userImportProgressQuery, type UserImportInput, type UserImportProgress } from '../contract/userImport';
import { db } from './activityOptions';
import { actor, expectInput, is } from './guards';

const chunks = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  // on cancellation, wait for the activity to stop after the batch in hand, so the counts are final
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * A user import: the staged file (PostgreSQL, user_import_lines) imported in batches by
 * activities that heartbeat, with the cursor in the database; counts in the memo and a
 * query; continue-as-new before the history grows. Nothing of the file (no email, no hash)
 * enters the history: inputs and results are ids and counts. Cancelling it stops after
 * the batch in hand; the users already created stay.
 */
export async function userImportWorkflow(rawInput: UserImportInput): Promise<UserImportProgress> {
  const input = expectInput(rawInput, {
    tenantId: is.tenantId, importId: is.uuid, actor,
    tuning: is.optional(is.object({ batchSize: is.count, batchesPerActivity: is.count, activitiesPerRun: is.count })),
    continued: is.optional(is.boolean),
  });
  const tuning = input.tuning ?? DEFAULT_IMPORT_TUNING;
  let progress: UserImportProgress = { importId: input.importId, state: 'running', lines: 0, created: 0, skipped: 0, failed: 0 };
  const publish = (next: UserImportProgress) => {
    progress = next;
    upsertMemo({ progress });
  };
  setHandler(userImportProgressQuery, () => progress);

  try {
    if (!input.continued) publish(await db.startUserImport({ importId: input.importId, actor: input.actor }));
    for (let chunk = 0; ; chunk++) {
      if (chunk >= tuning.activitiesPerRun || workflowInfo().continueAsNewSuggested) {
        const next = makeContinueAsNewFunc<typeof userImportWorkflow>({ memo: { progress }, typedSearchAttributes: workflowInfo().typedSearchAttributes });
        await next({ ...input, continued: true });
      }
      const r = await chunks.importUsersChunk({ importId: input.importId, batchSize: tuning.batchSize, maxBatches: tuning.batchesPerActivity });
      publish(r.progress);
      if (r.finished) break;
    }
  } catch (err) {
    if (err instanceof ContinueAsNew) throw err;
    const state = isCancellation(err) ? 'cancelled' : 'failed';
    publish(await CancellationScope.nonCancellable(() => db.finishUserImport({ importId: input.importId, state, actor: input.actor })));
    throw err;
  }
  publish(await db.finishUserImport({ importId: input.importId, state: 'completed', actor: input.actor }));
  return progress;
}
