import { Context } from '@temporalio/activity';
import type { Pool } from '../db/pool';
import type { Mailer } from '../mail/mailer';
import type { ActivityMetrics } from '../observability/metrics';
import type { PasswordHasher } from '../security/passwordHashing';
import type { Sealer } from '../security/sealing';
import type { BreachedPasswordChecker } from '../security/breachedPasswords';
import type { WebhookDeliveryDeps } from './webhooks';

/** Everything an activity touches, injected by worker.ts (or a test). */
export interface ActivityDeps {
  pool: Pool;
  mailer: Mailer;
  clock: () => Date;
  sealer: Sealer;
  hasher: PasswordHasher;
  /** Pwned Passwords range lookups (fail open) */
  breachCheck: BreachedPasswordChecker;
  /** outcomes (resets ended, emails), counted once each, after the write that decides them commits */
  metrics: ActivityMetrics;
  /** base of links in emails (PUBLIC_URL) */
  publicUrl: string;
  /** outbound webhook delivery (SSRF policy, timeouts, when a failing endpoint is disabled) */
  webhooks: WebhookDeliveryDeps;
}

export interface Execution {
  workflowId: string;
  runId: string;
}

/** The workflow run this activity works for: it names audit rows and keys every write. */
export function currentExecution(): Execution {
  const exec = Context.current().info.workflowExecution;
  if (!exec) throw new Error('resetflow activities run only on behalf of a workflow');
  return { workflowId: exec.workflowId, runId: exec.runId };
}

/** One key per logical step of one workflow: the same step retried writes nothing twice. */
export function stepKey(exec: Execution, step: string): string {
  return `${exec.workflowId}:${step}`;
}
