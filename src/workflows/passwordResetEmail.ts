import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  log,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import {
  cancelResetUpdate,
  completeResetUpdate,
  deliveryReportedSignal,
  linkIssuedUpdate,
  resetStatusQuery,
  resetSupersededSignal,
  type CompleteResetResult,
  type DeliveryReport,
  type LinkIssuedResult,
  type ResetEmailInput,
  type ResetEmailResult,
} from '../contract/resetEmail';
import { FAILURE_TYPES } from '../contract/failureTypes';
import { searchAttributes } from '../contract/searchAttributes';
import type { DeliveryState, FinalResetState } from '../contract/vocabulary';
import { db, mailWithin } from './activityOptions';
import { Mutex } from './mutex';
import { actor, expectInput, is, ofShape, validator } from './guards';
import { notifyPasswordWritten, notifySuperseded } from './superseded';
import { startPasswordChangedNotice } from './passwordChangedNotice';

/**
 * Path 1: email the user a one-time link and wait, up to the tenant's TTL, for
 * them to choose a new password through it. Exactly one outcome: completed,
 * expired, superseded (a newer link or another password change) or cancelled.
 * The database decides races; this workflow serialises its own steps.
 */
export async function passwordResetEmailWorkflow(rawInput: ResetEmailInput): Promise<ResetEmailResult> {
  const input = expectInput(rawInput, {
    tenantId: is.tenantId, userId: is.uuid, resetId: is.uuid, expiresAt: is.instant, actor, revokeSessions: is.boolean, approvedBy: is.optional(actor),
  });
  const { tenantId, userId, resetId } = input;
  const ref = { tenantId, userId, resetId };
  const expiresAtMs = Date.parse(input.expiresAt);
  const mutex = new Mutex();
  let outcome: FinalResetState | undefined;
  let delivery: DeliveryState = 'pending';
  let issuedResult: LinkIssuedResult | undefined;
  /** when the password the user chose through this link was written: its notice follows, after the update has answered */
  let chosenSetAt: string | undefined;
  /** provider reports already recorded: a retried webhook is a second signal with the same report */
  const reported = new Set<string>();
  /** the provider reported on an email of this link, so one was sent: the send in flight is not cut short */
  let providerReported = false;

  setHandler(linkIssuedUpdate, async () => {
    await condition(() => issuedResult !== undefined);
    return issuedResult!;
  });

  setHandler(resetStatusQuery, () => ({ state: outcome ?? 'pending', expiresAt: input.expiresAt, delivery }));
  setHandler(resetSupersededSignal, () => {
    outcome ??= 'superseded';
  });
  setHandler(deliveryReportedSignal, (raw) =>
    mutex.run(async () => {
      const report = ofShape<DeliveryReport>(raw, {
        messageId: is.string, state: is.oneOf('delivered', 'bounced', 'complained'), at: is.instant,
        detail: is.optional(is.string), bounceType: is.optional(is.string),
      });
      if (!report) {
        log.warn('delivery report ignored: not a report');
        return;
      }
      providerReported = true;
      const key = `${report.messageId} ${report.state} ${report.at} ${report.bounceType ?? ''}`;
      if (reported.has(key)) return;
      reported.add(key);
      // the database decides: a hard bounce or a complaint ends the link if it is still pending
      const r = await db.recordEmailDelivery({ ...ref, report });
      delivery = r.delivery;
      if (r.ended) outcome ??= r.ended;
    }),
  );
  setHandler(
    completeResetUpdate,
    (args) =>
      mutex.run(async (): Promise<CompleteResetResult> => {
        if (outcome) return { ok: false, code: outcome === 'expired' ? 'link_expired' : 'link_used', state: outcome };
        const r = await db.applyChosenPassword({ tenantId, userId, sealedPassword: args.sealedPassword, proof: { kind: 'reset_link', resetId } });
        if (r.ok) {
          outcome = 'completed';
          if (r.notify !== false) chosenSetAt = r.setAt;
          await notifyPasswordWritten(r);
          return { ok: true };
        }
        if (r.code === 'password_policy') return r;
        if (r.code === 'invalid_token') return { ok: false, code: 'link_used', state: 'cancelled' };
        // the database already holds a final state; expiry is left to the timer, which audits it
        if (r.code === 'link_used') outcome = r.state;
        return r;
      }),
    { validator: validator({ sealedPassword: is.sealed }) },
  );
  setHandler(
    cancelResetUpdate,
    (args) =>
      mutex.run(async () => {
        if (outcome) return { cancelled: false as const, state: outcome };
        outcome = await db.cancelResetLink({ ...ref, actor: args.actor });
        return outcome === 'cancelled' ? { cancelled: true as const } : { cancelled: false as const, state: outcome };
      }),
    { validator: validator({ actor }) },
  );

  const issued = await db.issueResetLink(input);
  if (issued.status === 'not_applicable') {
    issuedResult = { issued: false, reason: issued.reason };
    await condition(allHandlersFinished);
    return { state: 'not_applicable', reason: issued.reason };
  }
  issuedResult = { issued: true };
  if (issued.status === 'ended') {
    outcome = issued.state;
  } else {
    await notifySuperseded(issued.superseded);
    if (input.revokeSessions) await db.revokeUserSessions({ tenantId, userId, actor: input.actor });
    await deliver(issued.sealedToken);
  }

  if (outcome === undefined && remainingMs() > 0) await condition(() => outcome !== undefined, remainingMs());
  await mutex.run(async () => {
    outcome ??= await db.expireResetLink(ref);
  });
  await condition(allHandlersFinished);
  if (chosenSetAt) await startPasswordChangedNotice({ tenantId, userId, sourceId: resetId, setAt: chosenSetAt });
  upsertSearchAttributes([{ key: searchAttributes.resetState, value: outcome! }]);
  return { state: outcome! };

  /** Send the email, retrying until the link's TTL; stop if the link ends meanwhile. */
  async function deliver(sealedToken: string): Promise<void> {
    if (remainingMs() <= 0) {
      delivery = 'failed';
      return;
    }
    const mail = mailWithin(remainingMs());
    const scope = new CancellationScope();
    // a link that ends meanwhile stops the retries; one the provider already reported on (a bounce) lets the send report back
    void condition(() => outcome !== undefined && !providerReported).then(() => scope.cancel());
    try {
      const { messageId } = await scope.run(() =>
        mail.sendResetEmail({ tenantId, userId, resetId, sealedToken, expiresAt: input.expiresAt }),
      );
      // under the mutex, so a provider report recorded meanwhile is not overwritten here
      await mutex.run(async () => {
        delivery = (await db.recordResetEmailSent({ ...ref, expiresAt: input.expiresAt, actor: input.actor, messageId, ...(input.approvedBy ? { approvedBy: input.approvedBy } : {}) }));
      });
    } catch (err) {
      if (isCancellation(err)) return;
      const cause = err instanceof ActivityFailure ? err.cause : undefined;
      if (cause instanceof ApplicationFailure && cause.type === FAILURE_TYPES.mailRejected) {
        const reason = String((cause.details?.[0] as { reason?: string } | undefined)?.reason ?? 'rejected');
        await mutex.run(async () => {
          outcome ??= await db.recordDeliveryFailure({ ...ref, error: reason });
        });
        delivery = 'failed';
        return;
      }
      if (err instanceof ActivityFailure) {
        delivery = 'failed'; // retried until the TTL: the link expires unsent
        return;
      }
      throw err;
    }
  }

  function remainingMs(): number {
    return expiresAtMs - Date.now();
  }
}
