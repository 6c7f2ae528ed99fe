import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { FAILURE_TYPES } from '../../src/contract/failureTypes';
import { passwordAppliedUpdate, temporaryPasswordReplacedSignal, type TemporaryPasswordInput } from '../../src/contract/adminPasswords';
import { resetSupersededSignal } from '../../src/contract/resetEmail';
import { recorder, workflowHarness } from './harness';

const harness = workflowHarness();

function input(o: Partial<TemporaryPasswordInput> = {}): TemporaryPasswordInput {
  return {
    tenantId: 'unit-test', userId: randomUUID(), operationId: randomUUID(), sealedPassword: 'v1.0123456789abcdef.aaaa.bbbb.cccc',
    mustResetOnNextSignIn: true, notifyUser: true, revokeSessions: false, actor: { type: 'admin', id: 'platform' }, ...o,
  };
}

test('the update answers once the password is stored; older links are told; the notice follows', async () => {
  const { calls, record } = recorder();
  const superseded: string[] = [];
  await harness().withWorker({
    applyTemporaryPassword: record('applyTemporaryPassword', async () => ({ ok: true as const, setAt: new Date().toISOString(), invalidated: [{ resetId: 'r1', workflowId: 'unit/old-link' }] })),
    issueReportLink: async () => ({ status: 'skipped' as const, reason: 'notices_off' as const }),
    sendTemporaryPasswordNotice: record('sendTemporaryPasswordNotice', async () => ({ messageId: 'm-1' })),
  }, async (taskQueue) => {
    // a stand-in for the superseded link's workflow, which must receive the signal
    const old = await harness().env.client.workflow.start('passwordResetEmailWorkflow', {
      taskQueue: 'nobody-polls-this', workflowId: 'unit/old-link', args: [{}],
    });
    const i = input();
    const handle = await harness().env.client.workflow.start('temporaryPasswordWorkflow', { taskQueue, workflowId: `unit/${i.operationId}`, args: [i] });
    expect(await handle.executeUpdate(passwordAppliedUpdate)).toEqual({ ok: true });
    expect(await handle.result()).toEqual({ ok: true });
    for await (const e of (await old.fetchHistory()).events ?? []) if (e.workflowExecutionSignaledEventAttributes) superseded.push(e.workflowExecutionSignaledEventAttributes.signalName ?? '');
    await old.terminate();
  });
  expect(superseded).toEqual([resetSupersededSignal.name]);
  expect(calls['sendTemporaryPasswordNotice']).toEqual([expect.objectContaining({ mustReset: true })]);
});

test('a notice that cannot be delivered leaves the password set and the workflow completed', async () => {
  const { calls, record } = recorder();
  const result = await harness().withWorker({
    applyTemporaryPassword: record('applyTemporaryPassword', async () => ({ ok: true as const, setAt: new Date().toISOString(), invalidated: [] })),
    issueReportLink: async () => ({ status: 'skipped' as const, reason: 'notices_off' as const }),
    sendTemporaryPasswordNotice: record('sendTemporaryPasswordNotice', async () => {
      throw ApplicationFailure.nonRetryable('inactive recipient', FAILURE_TYPES.mailRejected);
    }),
  }, async (taskQueue) => {
    const i = input();
    return harness().env.client.workflow.execute('temporaryPasswordWorkflow', { taskQueue, workflowId: `unit/${i.operationId}`, args: [i] });
  });
  expect(result).toEqual({ ok: true });
  expect(calls['sendTemporaryPasswordNotice']).toHaveLength(1);
});

test('a policy refusal from the activity is the answer; nothing is mailed', async () => {
  const { calls, record } = recorder();
  const refusal = { ok: false as const, code: 'password_policy' as const, violations: [{ rule: 'reused' as const, message: 'used before' }] };
  const answer = await harness().withWorker({
    applyTemporaryPassword: record('applyTemporaryPassword', async () => refusal),
    issueReportLink: async () => ({ status: 'skipped' as const, reason: 'notices_off' as const }),
    sendTemporaryPasswordNotice: record('sendTemporaryPasswordNotice', async () => ({ messageId: 'm' })),
  }, async (taskQueue) => {
    const i = input();
    const handle = await harness().env.client.workflow.start('temporaryPasswordWorkflow', { taskQueue, workflowId: `unit/${i.operationId}`, args: [i] });
    return handle.executeUpdate(passwordAppliedUpdate);
  });
  expect(answer).toEqual(refusal);
  expect(calls['sendTemporaryPasswordNotice']).toBeUndefined();
});

describe('a temporary password is tracked until it lapses or is replaced', () => {
  test('it lapses at the expiry the activity stored: the expiry is audited once, then the workflow ends', async () => {
    const { calls, record } = recorder();
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const result = await harness().withWorker({
      applyTemporaryPassword: record('applyTemporaryPassword', async () => ({ ok: true as const, setAt: new Date().toISOString(), invalidated: [], expiresAt })),
      issueReportLink: async () => ({ status: 'skipped' as const, reason: 'notices_off' as const }),
      sendTemporaryPasswordNotice: record('sendTemporaryPasswordNotice', async () => ({ messageId: 'm-1' })),
      expireTemporaryPassword: record('expireTemporaryPassword', async () => ({ expired: true })),
    }, async (taskQueue) => {
      const i = input();
      const handle = await harness().env.client.workflow.start('temporaryPasswordWorkflow', { taskQueue, workflowId: `unit/${i.operationId}`, args: [i] });
      expect(await handle.executeUpdate(passwordAppliedUpdate)).toEqual({ ok: true });
      // answered at once; the durable timer then runs to the expiry
      const running = await handle.describe();
      expect(running.status.name).toBe('RUNNING');
      const r = await handle.result();
      expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(expiresAt));
      return r;
    });
    expect(result).toEqual({ ok: true });
    expect(calls['expireTemporaryPassword']).toEqual([{ tenantId: 'unit-test', userId: expect.any(String) }]);
  });

  test('a newer password write signals it: the workflow ends at once, and no expiry is audited', async () => {
    const { calls, record } = recorder();
    const result = await harness().withWorker({
      applyTemporaryPassword: record('applyTemporaryPassword', async () => ({ ok: true as const, setAt: new Date().toISOString(), invalidated: [], expiresAt: new Date(Date.now() + 3_600_000).toISOString() })),
      issueReportLink: async () => ({ status: 'skipped' as const, reason: 'notices_off' as const }),
      sendTemporaryPasswordNotice: record('sendTemporaryPasswordNotice', async () => ({ messageId: 'm-1' })),
      expireTemporaryPassword: record('expireTemporaryPassword', async () => ({ expired: true })),
    }, async (taskQueue) => {
      const i = input();
      const handle = await harness().env.client.workflow.start('temporaryPasswordWorkflow', { taskQueue, workflowId: `unit/${i.operationId}`, args: [i] });
      await handle.executeUpdate(passwordAppliedUpdate);
      await handle.signal(temporaryPasswordReplacedSignal);
      return handle.result();
    });
    expect(result).toEqual({ ok: true });
    expect(calls['expireTemporaryPassword']).toBeUndefined();
  });

  test('a password write that replaces an older temporary password tells that workflow', async () => {
    const signalled: string[] = [];
    await harness().withWorker({
      applyTemporaryPassword: async () => ({ ok: true as const, setAt: new Date().toISOString(), invalidated: [], endedTemporaryPassword: 'unit/older-temporary' }),
      issueReportLink: async () => ({ status: 'skipped' as const, reason: 'notices_off' as const }),
      sendTemporaryPasswordNotice: async () => ({ messageId: 'm-1' }),
    }, async (taskQueue) => {
      const older = await harness().env.client.workflow.start('temporaryPasswordWorkflow', { taskQueue: 'nobody-polls-this', workflowId: 'unit/older-temporary', args: [{}] });
      const i = input({ mustResetOnNextSignIn: false });
      expect(await harness().env.client.workflow.execute('temporaryPasswordWorkflow', { taskQueue, workflowId: `unit/${i.operationId}`, args: [i] })).toEqual({ ok: true });
      for await (const e of (await older.fetchHistory()).events ?? []) if (e.workflowExecutionSignaledEventAttributes) signalled.push(e.workflowExecutionSignaledEventAttributes.signalName ?? '');
      await older.terminate();
    });
    expect(signalled).toEqual([temporaryPasswordReplacedSignal.name]);
  });
});
