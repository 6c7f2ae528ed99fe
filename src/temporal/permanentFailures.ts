import { ApplicationFailure, type Context } from '@temporalio/activity';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next, WorkerInterceptors } from '@temporalio/worker';
import { isPermanentDatabaseError, sqlState } from '../db/errors';

/** The failure type of an activity that met data the database refuses: retrying can never succeed. */
export const BAD_DATA = 'BadData';

/**
 * An activity error that can never succeed on retry (PostgreSQL refusing the data or the
 * statement) fails the activity for good, so the workflow ends with the reason instead of
 * retrying forever. The message names the SQLSTATE only: the database's own message can
 * quote the values.
 */
export const permanentFailures: NonNullable<WorkerInterceptors['activity']>[number] = (_ctx: Context) => {
  const inbound: ActivityInboundCallsInterceptor = {
    async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>) {
      try {
        return await next(input);
      } catch (err) {
        if (isPermanentDatabaseError(err)) {
          throw ApplicationFailure.nonRetryable(`the database refused the data (SQLSTATE ${sqlState(err)})`, BAD_DATA);
        }
        throw err;
      }
    },
  };
  return { inbound };
};
