/** How workflows call activities: timeouts and retries, per kind of side effect. */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { FAILURE_TYPES } from '../contract/failureTypes';

const DB_OPTIONS = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
} as const;

/**
 * Database activities (hash-and-write included): short, idempotent, retried until
 * the database answers (a Postgres outage delays a reset, it never loses one).
 */
export const db = proxyActivities<Activities>(DB_OPTIONS);

/**
 * The same activities run as local activities: in the worker that runs the
 * workflow task, with no round trip through the Temporal server (results are
 * recorded as markers; the Web UI shows them as local activities). Used only by
 * workflows with no update or signal handlers: `npm run bench` showed a forced
 * reset answering in 63 ms instead of 150 ms, but an update arriving while a
 * local activity holds the workflow task can be rejected by the server
 * ("unexpected workflow task failure"), so path 1 and path 2 keep regular ones.
 */
export const localDb = proxyLocalActivities<Activities>(DB_OPTIONS);

/** Mail activities: at-least-once, retried with backoff while `within` lasts; a rejected recipient is final. */
export function mailWithin(withinMs: number) {
  return proxyActivities<Activities>({
    // above the mail client's own 10 s timeout, so a hung provider is retried, not waited on
    startToCloseTimeout: '15 seconds',
    scheduleToCloseTimeout: withinMs,
    retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', nonRetryableErrorTypes: [FAILURE_TYPES.mailRejected] },
  });
}
