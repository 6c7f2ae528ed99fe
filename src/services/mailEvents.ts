import { timingSafeEqual } from 'node:crypto';
import { uuidSchema } from '../contract/ids';
import { deliveryReportSchema, type DeliveryReport } from '../contract/workflowInputs';
import { inTransaction } from '../db/pool';
import { withoutAddresses } from '../domain/mailDelivery';
import { recordReportDelivery } from '../store/passwordChangeReports';
import { findResetForMessage, recordDelivery } from '../store/resets';
import { hashToken } from '../security/tokens';
import type { ServiceDeps } from './deps';
import { signalResetDelivery } from './temporalCalls';

/**
 * What the mail provider reports about the emails it sent (Postmark's Delivery,
 * Bounce and SpamComplaint webhooks), reaching the reset each email was for.
 */

/** One webhook, as the HTTP edge read it: ids, times and the provider's words, never the address. */
export interface MailEvent {
  messageId: string;
  kind: 'delivered' | 'bounced' | 'complained';
  /** DeliveredAt or BouncedAt, ISO 8601 */
  at: string;
  /** Postmark's bounce type (Bounce and SpamComplaint records) */
  bounceType?: string | undefined;
  /** Postmark's description of the bounce */
  description?: string | undefined;
  /** the metadata the email was sent with (tenantId, userId, resetId for reset emails) */
  metadata: Record<string, unknown>;
}

export type MailEventOutcome =
  /** no reset email has this message id (a temporary-password notice, or another server's mail) */
  | 'ignored'
  /** handed to the link's running workflow, which records it (and ends a pending link on a hard bounce) */
  | 'signalled'
  /** the link's workflow has finished: recorded on the reset, nothing else changes */
  | 'recorded';

/** The HTTP Basic credentials Postmark sent, compared in constant time (both parts, always). */
export function mailWebhookCredentialsMatch(deps: Pick<ServiceDeps, 'mailWebhook'>, user: string, password: string): boolean {
  const expected = deps.mailWebhook;
  if (!expected) return false;
  const userOk = timingSafeEqual(hashToken(user), expected.user);
  const passwordOk = timingSafeEqual(hashToken(password), expected.password);
  return userOk && passwordOk;
}

/**
 * Find the reset the email was for (by the provider's message id, or by the ids in its
 * metadata), and let the reset's workflow record the report; when the workflow has
 * finished, record the delivery on the reset alone. Safe to repeat: Postmark retries
 * until it gets a 2xx, and a repeated report changes nothing.
 */
export async function receiveMailEvent(
  deps: Pick<ServiceDeps, 'pool' | 'temporal' | 'taskQueue' | 'workflowWaitMs' | 'log'>,
  e: MailEvent,
): Promise<{ ok: true; outcome: MailEventOutcome; resetId?: string }> {
  const tenantId = typeof e.metadata['tenantId'] === 'string' ? e.metadata['tenantId'] : undefined;
  const resetId = uuidSchema.safeParse(e.metadata['resetId']).data;
  if (!e.messageId && !resetId) return { ok: true, outcome: 'ignored' };
  const reset = await findResetForMessage(deps.pool, { messageId: e.messageId, tenantId, resetId });
  if (!reset) {
    // a password-change notice (its "this wasn't me" link) tracks its delivery too; nothing else follows from it
    const notice = e.messageId ? await recordReportDelivery(deps.pool, { messageId: e.messageId, state: e.kind, at: new Date(e.at) }) : false;
    return { ok: true, outcome: notice ? 'recorded' : 'ignored' };
  }

  const report: DeliveryReport = deliveryReportSchema.parse({
    messageId: e.messageId || reset.messageId || reset.id,
    state: e.kind,
    at: new Date(e.at).toISOString(),
    ...(e.description ? { detail: withoutAddresses(e.description).slice(0, 500) } : {}),
    ...(e.bounceType ? { bounceType: e.bounceType.slice(0, 100) } : {}),
  });
  if (await signalResetDelivery(deps, { workflowId: reset.workflowId, report })) {
    return { ok: true, outcome: 'signalled', resetId: reset.id };
  }
  await inTransaction(deps.pool, (c) =>
    recordDelivery(c, { tenantId: reset.tenantId, resetId: reset.id }, { state: report.state, at: new Date(report.at), detail: report.detail ?? null, bounceType: report.bounceType ?? null }),
  );
  return { ok: true, outcome: 'recorded', resetId: reset.id };
}
