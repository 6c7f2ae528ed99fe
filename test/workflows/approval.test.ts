import { randomUUID } from 'node:crypto';
import { approvalDecidedSignal, approvalOpenedUpdate, approvalSettledUpdate, type ApprovalDecision, type ApprovalInput } from '../../src/contract/approvals';
import { recorder, workflowHarness } from './harness';

/** The approval workflow alone (activities recorded): it waits, reads the decision, and applies the held path once. */
const harness = workflowHarness();
const SEALED = 'v1.0123456789abcdef.aaaa.bbbb.cccc';
const REQUESTER = { type: 'admin' as const, id: 'platform' };
const APPROVER = { type: 'admin' as const, id: 'key-2', name: 'Second admin' };

function input(o: Partial<ApprovalInput> = {}): ApprovalInput {
  return {
    tenantId: 'unit-test', userId: randomUUID(), approvalId: randomUUID(), action: 'temporary_password', requestedBy: REQUESTER,
    expiresAt: new Date(Date.now() + 60_000).toISOString(), revokeSessions: false, sealedPassword: SEALED, mustResetOnNextSignIn: true, notifyUser: false, ...o,
  };
}

test('approved: the decision is read on the signal and the held temporary password is applied once, as the requester, with approvedBy', async () => {
  const { calls, record } = recorder();
  const i = input();
  const result = await harness().withWorker({
    openApproval: record('openApproval', async () => ({ opened: true as const, expiresAt: i.expiresAt })),
    settleApproval: record('settleApproval', async (): Promise<ApprovalDecision> => ({ state: 'approved', action: 'temporary_password', decidedBy: APPROVER })),
    recordApprovalApplied: record('recordApprovalApplied', async () => undefined),
    applyTemporaryPassword: record('applyTemporaryPassword', async () => ({ ok: true as const, invalidated: [], setAt: new Date().toISOString() })),
  }, async (taskQueue) => {
    const handle = await harness().env.client.workflow.start('approvalWorkflow', { taskQueue, workflowId: `unit/approval/${i.approvalId}`, args: [i] });
    expect(await handle.executeUpdate(approvalOpenedUpdate)).toEqual({ opened: true, expiresAt: i.expiresAt });
    await handle.signal(approvalDecidedSignal);
    const settled = await handle.executeUpdate(approvalSettledUpdate);
    // the child runs on its own (abandoned by the parent): wait for it before the worker stops (no lapse to track here)
    expect(await harness().env.client.workflow.getHandle(settled.appliedWorkflowId!).result()).toEqual({ ok: true });
    return settled;
  });
  expect(result).toEqual({ state: 'approved', appliedWorkflowId: `temporary-password/unit-test/${i.userId}/${i.approvalId}` });
  expect(calls['settleApproval']).toHaveLength(1);
  expect(calls['applyTemporaryPassword']).toEqual([expect.objectContaining({ operationId: i.approvalId, sealedPassword: SEALED, actor: REQUESTER, approvedBy: APPROVER })]);
  expect(calls['recordApprovalApplied']).toEqual([{ tenantId: 'unit-test', approvalId: i.approvalId, workflowId: result.appliedWorkflowId }]);
});

test('undecided at the TTL: the timer settles it (expired) and nothing is applied', async () => {
  const { calls, record } = recorder();
  const i = input({ action: 'force_password_reset', sealedPassword: undefined, expiresAt: new Date(Date.now() + 1_500).toISOString() });
  const result = await harness().withWorker({
    openApproval: record('openApproval', async () => ({ opened: true as const, expiresAt: i.expiresAt })),
    settleApproval: record('settleApproval', async (): Promise<ApprovalDecision> => ({ state: 'expired', action: 'force_password_reset' })),
    flagPasswordChange: record('flagPasswordChange', async () => ({ ok: true as const })),
  }, async (taskQueue) => harness().env.client.workflow.execute('approvalWorkflow', { taskQueue, workflowId: `unit/approval/${i.approvalId}`, args: [i] }));
  expect(result).toEqual({ state: 'expired' });
  expect(calls['settleApproval']).toHaveLength(1);
  expect(calls['flagPasswordChange']).toBeUndefined();
});

test('another request already waits: the workflow ends without waiting, and says so', async () => {
  const { calls, record } = recorder();
  const i = input();
  const other = randomUUID();
  const opened = await harness().withWorker({
    openApproval: record('openApproval', async () => ({ opened: false as const, code: 'approval_pending' as const, approvalId: other })),
    settleApproval: record('settleApproval', async (): Promise<ApprovalDecision> => ({ state: 'expired', action: 'temporary_password' })),
  }, async (taskQueue) => {
    const handle = await harness().env.client.workflow.start('approvalWorkflow', { taskQueue, workflowId: `unit/approval/${i.approvalId}`, args: [i] });
    const answer = await handle.executeUpdate(approvalOpenedUpdate);
    expect(await handle.result()).toEqual({ state: 'not_opened' });
    return answer;
  });
  expect(opened).toEqual({ opened: false, code: 'approval_pending', approvalId: other });
  expect(calls['settleApproval']).toBeUndefined();
});

test('an input of the wrong shape fails the workflow at once', async () => {
  const i = { ...input(), sealedPassword: 'the password in clear' };
  await expect(harness().withWorker({}, async (taskQueue) =>
    harness().env.client.workflow.execute('approvalWorkflow', { taskQueue, workflowId: `unit/approval/${i.approvalId}`, args: [i] }))).rejects.toThrow(/failed/i);
});
