/** Small helpers shared by the workflows (workflow-safe: deterministic, no Node APIs). */
import { ApplicationFailure, condition, getExternalWorkflowHandle, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { z } from 'zod';
import type { Activities } from '../activities';
import { resetSupersededSignal } from './definitions';

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
    retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', nonRetryableErrorTypes: ['MailRejected'] },
  });
}

/** Validate a workflow input; a bad input fails the workflow at once instead of retrying a task forever. */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
    throw ApplicationFailure.nonRetryable(`invalid workflow input: ${detail}`, 'InvalidInput');
  }
  return parsed.data;
}

/**
 * Serialises update handlers and the main flow, so completion, cancellation and
 * expiry of one reset never interleave. (Re-checks after waking: several waiters
 * may wake on the same workflow activation.)
 */
export class Mutex {
  private held = false;

  async run<T>(fn: () => Promise<T>): Promise<T> {
    while (this.held) await condition(() => !this.held);
    this.held = true;
    try {
      return await fn();
    } finally {
      this.held = false;
    }
  }
}

/** Tell the workflows of links that a newer link or a password change ended; a link whose workflow already finished is skipped. */
export async function notifySuperseded(refs: readonly { workflowId: string }[]): Promise<void> {
  await Promise.all(
    refs.map((r) => getExternalWorkflowHandle(r.workflowId).signal(resetSupersededSignal).catch(() => undefined)),
  );
}
