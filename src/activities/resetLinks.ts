import type { AuditPayloadOf } from '../contract/audit';
import type { DeliveryReport, ResetEmailInput } from '../contract/resetEmail';
import { sealContext } from '../contract/sealing';
import { deliveryReportSchema, resetEmailInputSchema } from '../contract/workflowInputs';
import { checkedInput } from './checkedInput';
import type { Actor, DeliveryState, FinalResetState } from '../contract/vocabulary';
import { LINK_EXPIRY_ACTOR, MAIL_DELIVERY_ACTOR } from '../domain/actors';
import { isPermanentFailure, type Delivery } from '../domain/mailDelivery';
import { inTransaction, type PoolClient } from '../db/pool';
import { insertAuditEvent, findAuditEventByKey } from '../store/audit';
import { endReset, getReset, lockReset, recordDelivery, supersedePendingResets, upsertPendingReset, type ResetRef } from '../store/resets';
import { lockPasswordSubject } from '../store/users';
import { hashToken, newToken } from '../security/tokens';
import { currentExecution, stepKey, type ActivityDeps } from './deps';

export type IssueResult =
  | { status: 'issued'; sealedToken: string; superseded: ResetRef[] }
  | { status: 'not_applicable'; reason: 'user_not_found' | 'no_password_identity' }
  | { status: 'ended'; state: FinalResetState };

/** What recording a provider's report did: the delivery now stored, and the outcome if it ended the link. */
export interface DeliveryRecorded {
  delivery: DeliveryState;
  /** `cancelled` when this report (a hard bounce or a complaint) ended the pending link */
  ended?: FinalResetState;
}

interface ResetRefInput {
  tenantId: string;
  userId: string;
  resetId: string;
}

export function resetLinkActivities(deps: ActivityDeps) {
  return {
    /**
     * Create the link (or, on a retry, give the still-pending link a new token: the
     * previous one never left this activity) and end the user's older links.
     * The raw token leaves only sealed, for the mail activity.
     */
    async issueResetLink(raw: ResetEmailInput): Promise<IssueResult> {
      const input = checkedInput(resetEmailInputSchema, raw);
      const exec = currentExecution();
      const token = newToken();
      type Stored = Exclude<IssueResult, { status: 'issued' }> | { status: 'issued'; superseded: ResetRef[] };
      const result = await inTransaction(deps.pool, async (c): Promise<Stored> => {
        const subject = await lockPasswordSubject(c, input.tenantId, input.userId);
        if (!subject) return { status: 'not_applicable', reason: 'user_not_found' };
        if (!subject.passwordHash) return { status: 'not_applicable', reason: 'no_password_identity' };
        const now = deps.clock();
        // a link that already ended (a replayed request, a retried start) stays as it ended and ends nothing else
        const existing = await lockReset(c, input.tenantId, input.resetId);
        if (existing && existing.state !== 'pending') return { status: 'ended', state: existing.state };
        const superseded = await supersedePendingResets(c, {
          userId: input.userId,
          exceptResetId: input.resetId,
          now,
          endedBy: exec.workflowId,
        });
        const state = await upsertPendingReset(c, {
          id: input.resetId,
          tenantId: input.tenantId,
          userId: input.userId,
          tokenHash: hashToken(token),
          createdAt: now,
          expiresAt: new Date(input.expiresAt),
          workflowId: exec.workflowId,
          runId: exec.runId,
          requestedBy: input.actor,
        });
        if (state !== 'pending') return { status: 'ended', state };
        return { status: 'issued', superseded };
      });
      if (result.status !== 'issued') return result;
      deps.metrics.resetEnded('reset_email', 'superseded', result.superseded.length);
      return { ...result, sealedToken: deps.sealer.seal(token, sealContext.resetToken(input.tenantId, input.resetId)) };
    },

    /** The email was handed to the mail provider. Returns the delivery as it now stands (a webhook may have come first). */
    async recordResetEmailSent(input: ResetRefInput & { expiresAt: string; actor: Actor; messageId: string; approvedBy?: Actor | undefined }): Promise<DeliveryState> {
      const exec = currentExecution();
      return inTransaction(deps.pool, async (c) => {
        const now = deps.clock();
        const delivery = await recordDelivery(c, input, { state: 'sent', at: now, detail: null, bounceType: null }, input.messageId);
        await insertAuditEvent(c, {
          idempotencyKey: stepKey(exec, 'email_sent'),
          tenantId: input.tenantId,
          userId: input.userId,
          action: 'user.password_reset_email_sent',
          actor: input.actor,
          data: { resetId: input.resetId, expiresAt: input.expiresAt, ...(input.approvedBy ? { approvedBy: input.approvedBy } : {}) },
          occurredAt: now,
          ...exec,
        });
        return delivery.state;
      });
    },

    /**
     * The provider's webhook reported on the email (through the link's workflow).
     * Records the delivery; a hard bounce or a spam complaint also ends a pending link
     * `cancelled` and audits `user.password_reset_email_bounced`, in the same
     * transaction and once (a retried webhook or activity finds the row and the key).
     */
    async recordEmailDelivery(input: ResetRefInput & { report: DeliveryReport }): Promise<DeliveryRecorded> {
      checkedInput(deliveryReportSchema, input.report);
      const exec = currentExecution();
      const key = stepKey(exec, 'email_bounced');
      const r = input.report;
      const reported: Delivery = { state: r.state, at: new Date(r.at), detail: r.detail ?? null, bounceType: r.bounceType ?? null };
      return inTransaction(deps.pool, async (c): Promise<DeliveryRecorded> => {
        const delivery = await recordDelivery(c, input, reported);
        if (!isPermanentFailure(reported)) return { delivery: delivery.state };
        if (await findAuditEventByKey(c, key)) return { delivery: delivery.state, ended: 'cancelled' };
        const now = deps.clock();
        if (!(await endReset(c, { resetId: input.resetId, state: 'cancelled', now, endedBy: exec.workflowId }))) return { delivery: delivery.state };
        await insertAuditEvent(c, {
          idempotencyKey: key,
          tenantId: input.tenantId,
          userId: input.userId,
          action: 'user.password_reset_email_bounced',
          actor: MAIL_DELIVERY_ACTOR,
          data: { resetId: input.resetId, bounceType: r.bounceType ?? (r.state === 'complained' ? 'SpamComplaint' : 'HardBounce'), description: r.detail ?? '' },
          occurredAt: now,
          ...exec,
        });
        return { delivery: delivery.state, ended: 'cancelled' };
      });
    },

    /** The provider refused the recipient for good: the link can never arrive, so it is cancelled. */
    async recordDeliveryFailure(input: ResetRefInput & { error: string }): Promise<FinalResetState> {
      return endOnce(deps, input, { state: 'cancelled', step: 'delivery_failed',
        action: 'user.password_reset_email_cancelled', actor: MAIL_DELIVERY_ACTOR,
        data: { resetId: input.resetId, reason: 'delivery_failed', error: input.error } },
        async (c) => void (await recordDelivery(c, input, { state: 'failed', at: deps.clock(), detail: input.error, bounceType: null })));
    },

    /** The link reached its TTL. */
    async expireResetLink(input: ResetRefInput): Promise<FinalResetState> {
      return endOnce(deps, input, { state: 'expired', step: 'link_expired',
        action: 'user.password_reset_link_expired', actor: LINK_EXPIRY_ACTOR, data: { resetId: input.resetId } });
    },

    /** An admin cancelled the link. Returns the link's final state: `cancelled` if this call (or its earlier attempt) ended it. */
    async cancelResetLink(input: ResetRefInput & { actor: Actor }): Promise<FinalResetState> {
      return endOnce(deps, input, { state: 'cancelled', step: 'cancelled',
        action: 'user.password_reset_email_cancelled', actor: input.actor, data: { resetId: input.resetId } });
    },
  };
}

/**
 * Move a pending link to a final state and audit it, in one transaction. When the
 * link had already ended (another outcome won the race, or this step ran before),
 * nothing is written and the state it ended in is returned.
 */
async function endOnce(
  deps: ActivityDeps,
  input: ResetRefInput,
  o: {
    state: FinalResetState;
    step: string;
    actor: Actor;
  } & AuditPayloadOf<'user.password_reset_link_expired' | 'user.password_reset_email_cancelled'>,
  alsoInTransaction?: (c: PoolClient) => Promise<void>,
): Promise<FinalResetState> {
  const exec = currentExecution();
  const key = stepKey(exec, o.step);
  if (await findAuditEventByKey(deps.pool, key)) return o.state;
  let ended = false;
  let unsent = false;
  const state = await inTransaction(deps.pool, async (c) => {
    const now = deps.clock();
    await alsoInTransaction?.(c);
    if (await endReset(c, { resetId: input.resetId, state: o.state, now, endedBy: exec.workflowId })) {
      ended = true;
      // never handed to the provider: still pending, or refused (a delivery or bounce report means it was handed over)
      const delivery = (await getReset(c, input.tenantId, input.resetId))?.deliveryState;
      unsent = delivery === undefined || delivery === 'pending' || delivery === 'failed';
      await insertAuditEvent(c, {
        idempotencyKey: key,
        tenantId: input.tenantId,
        userId: input.userId,
        action: o.action,
        actor: o.actor,
        data: o.data,
        occurredAt: now,
        ...exec,
      });
      return o.state;
    }
    const reset = await getReset(c, input.tenantId, input.resetId);
    return reset && reset.state !== 'pending' ? reset.state : o.state;
  });
  if (ended) {
    deps.metrics.resetEnded('reset_email', o.state);
    if (o.state === 'expired' && unsent) deps.metrics.linkExpiredUnsent();
  }
  return state;
}
