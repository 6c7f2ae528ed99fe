import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, log, startChild, workflowInfo } from '@temporalio/workflow';
import { workflowIds } from '../contract/workflowIds';
import type { PasswordChangedNoticeInput, PasswordChangedNoticeResult } from '../contract/passwordChangeNotice';
import { searchAttributes } from '../contract/searchAttributes';
import { db, mailWithin } from './activityOptions';
import { expectInput, is } from './guards';

/** The notice may retry for a day, like path 2's. */
const NOTICE_RETRY_WINDOW_MS = 24 * 3600 * 1000;

/**
 * "Your password was changed" (api.md, Password change notices): after a password the user
 * chose, issue its one-time "this wasn't me" link (stored hashed, bound to that password) and
 * mail it. Its own workflow, started by the workflow that wrote the password and abandoned by
 * it, so the user's answer never waits for the email; its id is derived from that write, so
 * a replayed or retried parent starts it once.
 */
export async function passwordChangedNoticeWorkflow(rawInput: PasswordChangedNoticeInput): Promise<PasswordChangedNoticeResult> {
  const input = expectInput(rawInput, { tenantId: is.tenantId, userId: is.uuid, passwordSetAt: is.instant });
  const link = await db.issueReportLink({ ...input, notice: 'password_changed' });
  if (link.status === 'skipped') return { state: 'skipped', reason: link.reason };
  try {
    await mailWithin(NOTICE_RETRY_WINDOW_MS).sendPasswordChangedNotice({
      tenantId: input.tenantId, userId: input.userId, changedAt: input.passwordSetAt,
      report: { reportId: link.reportId, sealedToken: link.sealedToken },
    });
    return { state: 'sent' };
  } catch (err) {
    // the password is set either way; the failed notice stays visible in this history
    log.warn('password-changed notice not delivered', { error: String(err) });
    return { state: 'failed' };
  }
}

/** Start the notice of a password this workflow wrote (`sourceId`: the reset or change token that chose it). */
export async function startPasswordChangedNotice(p: { tenantId: string; userId: string; sourceId: string; setAt: string }): Promise<void> {
  try {
    await startChild(passwordChangedNoticeWorkflow, {
      workflowId: workflowIds.passwordChangedNotice(p.tenantId, p.userId, p.sourceId),
      args: [{ tenantId: p.tenantId, userId: p.userId, passwordSetAt: p.setAt }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      taskQueue: workflowInfo().taskQueue,
      typedSearchAttributes: [
        { key: searchAttributes.tenantId, value: p.tenantId },
        { key: searchAttributes.userId, value: p.userId },
      ],
      staticSummary: `Password changed notice for user ${p.userId}`,
    });
  } catch (err) {
    // already started (a reset workflow's id reused): the notice of this write is on its way
    if (err instanceof WorkflowExecutionAlreadyStartedError) return;
    throw err;
  }
}
