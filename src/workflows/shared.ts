/** Small helpers shared by the workflows (workflow-safe: deterministic, no Node APIs). */
import { ApplicationFailure, condition, getExternalWorkflowHandle, proxyActivities } from '@temporalio/workflow';
import type { z } from 'zod';
import type { Activities } from '../activities';
import { resetSupersededSignal } from './definitions';

/**
 * Database activities: short, idempotent, retried until the database answers
 * (a Postgres outage delays a reset, it never loses one).
 */
export const db = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

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
