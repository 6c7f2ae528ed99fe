/** The updates of the shaped no-op workflows (noopWorkflows.ts), shared with the bench's client. */
import { defineUpdate } from '@temporalio/workflow';

/** answered once the first step is done, as passwordApplied and linkIssued are */
export const firstStepUpdate = defineUpdate<{ ok: true }>('firstStep');
/** path 1 completion's update: one activity under the handler */
export const completeUpdate = defineUpdate<{ ok: true }>('complete');
