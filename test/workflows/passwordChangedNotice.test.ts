import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { FAILURE_TYPES } from '../../src/contract/failureTypes';
import type { PasswordChangedNoticeInput } from '../../src/contract/passwordChangeNotice';
import { recorder, workflowHarness } from './harness';

const harness = workflowHarness();
const SEALED = 'v1.0123456789abcdef.aaaa.bbbb.cccc';

function input(): PasswordChangedNoticeInput {
  return { tenantId: 'unit-test', userId: randomUUID(), passwordSetAt: new Date().toISOString() };
}

async function run(activities: Parameters<ReturnType<typeof harness>['withWorker']>[0]) {
  const i = input();
  const result = await harness().withWorker(activities, (taskQueue) =>
    harness().env.client.workflow.execute('passwordChangedNoticeWorkflow', { taskQueue, workflowId: `unit/${randomUUID()}`, args: [i] }));
  return { i, result };
}

test('a link is issued for the password written, then mailed sealed, once', async () => {
  const { calls, record } = recorder();
  const { i, result } = await run({
    issueReportLink: record('issueReportLink', async () => ({ status: 'issued' as const, reportId: 'r-1', sealedToken: SEALED, expiresAt: new Date().toISOString() })),
    sendPasswordChangedNotice: record('sendPasswordChangedNotice', async () => ({ messageId: 'm-1' })),
  });
  expect(result).toEqual({ state: 'sent' });
  expect(calls['issueReportLink']).toEqual([{ ...i, notice: 'password_changed' }]);
  expect(calls['sendPasswordChangedNotice']).toEqual([{ tenantId: i.tenantId, userId: i.userId, changedAt: i.passwordSetAt, report: { reportId: 'r-1', sealedToken: SEALED } }]);
});

test('notices off (or the password changed since): no link, no email', async () => {
  const { calls, record } = recorder();
  const { result } = await run({
    issueReportLink: record('issueReportLink', async () => ({ status: 'skipped' as const, reason: 'password_changed_since' as const })),
    sendPasswordChangedNotice: record('sendPasswordChangedNotice', async () => ({ messageId: 'm-1' })),
  });
  expect(result).toEqual({ state: 'skipped', reason: 'password_changed_since' });
  expect(calls['sendPasswordChangedNotice']).toBeUndefined();
});

test('a recipient the provider refuses for good: the notice fails once, not retried, and the workflow completes', async () => {
  const { calls, record } = recorder();
  const { result } = await run({
    issueReportLink: async () => ({ status: 'issued' as const, reportId: 'r-1', sealedToken: SEALED, expiresAt: new Date().toISOString() }),
    sendPasswordChangedNotice: record('sendPasswordChangedNotice', async () => {
      throw ApplicationFailure.nonRetryable('inactive recipient', FAILURE_TYPES.mailRejected);
    }),
  });
  expect(result).toEqual({ state: 'failed' });
  expect(calls['sendPasswordChangedNotice']).toHaveLength(1);
});
