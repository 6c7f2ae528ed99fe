import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import { cancelResetUpdate, completeResetUpdate, linkIssuedUpdate, resetStatusQuery, resetSupersededSignal, type ResetEmailInput } from '../../src/contract/resetEmail';
import { FAILURE_TYPES } from '../../src/contract/failureTypes';
import type { FinalResetState } from '../../src/contract/vocabulary';
import { eventually } from '../support/env';
import { recorder, workflowHarness } from './harness';

const harness = workflowHarness();
const SEALED = 'v1.0123456789abcdef.aaaa.bbbb.cccc';

function input(ttlMs: number): ResetEmailInput {
  return {
    tenantId: 'unit-test', userId: randomUUID(), resetId: randomUUID(),
    expiresAt: new Date(Date.now() + ttlMs).toISOString(), actor: { type: 'admin', id: 'platform' }, revokeSessions: false,
  };
}

/** The link's activities as a database would answer them: issued, mailed, and each end recorded once. */
function linkActivities(o: { mail?: () => Promise<{ messageId: string }> } = {}) {
  const { calls, record } = recorder();
  const ended = (state: FinalResetState) => async () => state;
  return {
    calls,
    activities: {
      issueResetLink: record('issueResetLink', async () => ({ status: 'issued' as const, sealedToken: SEALED, superseded: [] })),
      sendResetEmail: record('sendResetEmail', o.mail ?? (async () => ({ messageId: 'm-1' }))),
      recordResetEmailSent: record('recordResetEmailSent', async () => 'sent' as const),
      expireResetLink: record('expireResetLink', ended('expired')),
      cancelResetLink: record('cancelResetLink', ended('cancelled')),
      recordDeliveryFailure: record('recordDeliveryFailure', ended('cancelled')),
      applyChosenPassword: record('applyChosenPassword', async () => ({ ok: true as const, invalidated: [], setAt: new Date().toISOString() })),
      revokeUserSessions: record('revokeUserSessions', async () => ({ revoked: 0 })),
      // the notice of a completed link (its own workflow): turned off here
      issueReportLink: record('issueReportLink', async () => ({ status: 'skipped' as const, reason: 'notices_off' as const })),
    },
  };
}

async function start(taskQueue: string, i: ResetEmailInput) {
  const handle = await harness().env.client.workflow.start('passwordResetEmailWorkflow', { taskQueue, workflowId: `unit/${i.resetId}`, args: [i] });
  expect(await handle.executeUpdate(linkIssuedUpdate)).toEqual({ issued: true });
  return handle;
}

test('a link nobody uses expires at its TTL: one expiry recorded, nothing else ended', async () => {
  const { calls, activities } = linkActivities();
  const result = await harness().withWorker(activities, async (tq) => (await start(tq, input(1500))).result());
  expect(result).toEqual({ state: 'expired' });
  expect(calls['expireResetLink']).toHaveLength(1);
  expect(calls['recordResetEmailSent']).toHaveLength(1);
  expect(calls['cancelResetLink']).toBeUndefined();
});

test('completion wins once: the workflow ends completed, and a later submission finds it closed', async () => {
  const { calls, activities } = linkActivities();
  await harness().withWorker(activities, async (tq) => {
    const handle = await start(tq, input(60_000));
    expect(await handle.executeUpdate(completeResetUpdate, { args: [{ sealedPassword: SEALED }] })).toEqual({ ok: true });
    expect(await handle.result()).toEqual({ state: 'completed' });
    // the caller (src/services/resetLinks.ts) answers a closed link's workflow as the lost race it is
    await expect(handle.executeUpdate(completeResetUpdate, { args: [{ sealedPassword: SEALED }] })).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });
  expect(calls['applyChosenPassword']).toHaveLength(1);
  expect(calls['expireResetLink']).toBeUndefined();
});

test('a completion that reaches the mutex after another outcome answers link_used and writes nothing', async () => {
  const { calls, activities } = linkActivities();
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  // the admin's cancellation holds the mutex (its activity is slow) while the user submits
  activities.cancelResetLink = async () => {
    await held;
    return 'cancelled';
  };
  await harness().withWorker(activities, async (tq) => {
    const handle = await start(tq, input(60_000));
    const accepted = async () => ((await handle.fetchHistory()).events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
    const cancel = handle.executeUpdate(cancelResetUpdate, { args: [{ actor: { type: 'admin', id: 'k1' } }] });
    // the user's submission comes second: sent once the cancellation is admitted (two RPCs in flight at once may arrive in either order)
    await eventually(async () => ((await accepted()) >= 1 ? true : undefined), 'the cancellation admitted');
    const complete = handle.executeUpdate(completeResetUpdate, { args: [{ sealedPassword: SEALED }] });
    // both updates admitted (in the history) while the cancellation holds the mutex
    await eventually(async () => ((await handle.fetchHistory()).events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length >= 2 || undefined, 'two accepted updates');
    release();
    expect(await cancel).toEqual({ cancelled: true });
    expect(await complete).toEqual({ ok: false, code: 'link_used', state: 'cancelled' });
    expect(await handle.result()).toEqual({ state: 'cancelled' });
  });
  expect(calls['applyChosenPassword']).toBeUndefined();
});

test('a newer link supersedes this one: no activity ends it (the newer link already did, in its transaction)', async () => {
  const { calls, activities } = linkActivities();
  await harness().withWorker(activities, async (tq) => {
    const handle = await start(tq, input(60_000));
    await handle.signal(resetSupersededSignal);
    expect(await handle.result()).toEqual({ state: 'superseded' });
    expect(await handle.query(resetStatusQuery)).toMatchObject({ state: 'superseded' });
  });
  expect(calls['expireResetLink']).toBeUndefined();
  expect(calls['cancelResetLink']).toBeUndefined();
});

test('the provider rejects the recipient for good: the link is cancelled with the reason, never retried', async () => {
  const { calls, activities } = linkActivities({
    mail: async () => {
      throw ApplicationFailure.nonRetryable('inactive recipient', FAILURE_TYPES.mailRejected, { reason: 'inactive_recipient', providerCode: 406 });
    },
  });
  const result = await harness().withWorker(activities, async (tq) => (await start(tq, input(60_000))).result());
  expect(result).toEqual({ state: 'cancelled' });
  expect(calls['sendResetEmail']).toHaveLength(1);
  expect(calls['recordDeliveryFailure']).toEqual([expect.objectContaining({ error: 'inactive_recipient' })]);
});

test('an input that breaks its schema fails the workflow at once, non-retryable', async () => {
  const { activities } = linkActivities();
  const err = await harness().withWorker(activities, async (tq) =>
    harness().env.client.workflow.execute('passwordResetEmailWorkflow', {
      taskQueue: tq, workflowId: `unit/${randomUUID()}`, args: [{ ...input(1000), tenantId: 'Not A Slug' }],
    }).catch((e: unknown) => e),
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  expect((err as WorkflowFailedError).cause).toMatchObject({ type: FAILURE_TYPES.invalidInput, nonRetryable: true });
});
