import type { Context } from '@temporalio/activity';
import type { ActivityInboundCallsInterceptor, ActivityExecuteInput, Next, WorkerInterceptors } from '@temporalio/worker';

/**
 * Worker interceptors that let an activity do all its work, then fail its first
 * attempt, as if the worker had crashed before reporting success. Temporal
 * retries it; an idempotent activity must change nothing the second time.
 */
export function failEachActivityOnceAfterItRuns(types: readonly string[]): { interceptors: WorkerInterceptors; injected: string[] } {
  const injected: string[] = [];
  const seen = new Set<string>();
  const wanted = new Set(types);
  const factory = (ctx: Context) => {
    const inbound: ActivityInboundCallsInterceptor = {
      async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>) {
        const result = await next(input);
        const { activityType, activityId } = ctx.info;
        const key = `${ctx.info.workflowExecution?.workflowId}/${activityId}`;
        if (wanted.has(activityType) && !seen.has(key)) {
          seen.add(key);
          injected.push(activityType);
          throw new Error(`injected failure after ${activityType} completed`);
        }
        return result;
      },
    };
    return { inbound };
  };
  return { interceptors: { activity: [factory] }, injected };
}
