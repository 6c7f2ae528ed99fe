import { allHandlersFinished, condition, executeChild, ParentClosePolicy, setHandler, startChild, upsertSearchAttributes } from '@temporalio/workflow';
import {
  approvalDecidedSignal,
  approvalOpenedUpdate,
  approvalSettledUpdate,
  type ApprovalDecision,
  type ApprovalInput,
  type ApprovalOpened,
  type ApprovalSettled,
} from '../contract/approvals';
import { workflowIds } from '../contract/workflowIds';
import { searchAttributes } from '../contract/searchAttributes';
import type { Actor, ResetPath } from '../contract/vocabulary';
import { db } from './activityOptions';
import { actor, expectInput, is } from './guards';
import { forcePasswordResetWorkflow } from './forcePasswordReset';
import { passwordResetEmailWorkflow } from './passwordResetEmail';
import { temporaryPasswordWorkflow } from './temporaryPassword';

const PATH_OF: Record<ApprovalInput['action'], ResetPath> = {
  password_reset_email: 'reset_email',
  temporary_password: 'temporary_password',
  force_password_reset: 'force_reset',
};

/**
 * A reset held for a second admin (api.md, Approvals; docs/approvals.md). The first step
 * stores the approval (the request's 202, or 409 approval_pending); then the workflow
 * waits, durably, for a decision (the API writes it to the approvals row and signals) or
 * for the approval's TTL (a timer; the expiry is the same conditional write as a
 * decision, so exactly one of them wins). Approved, it applies the held action exactly
 * once: the action's own workflow, started as a child under an id made of the approval's
 * id, with the requester as actor and `approvedBy` in its audit event. A temporary
 * password is in this history only sealed, as in path 2's.
 */
export async function approvalWorkflow(rawInput: ApprovalInput): Promise<ApprovalSettled> {
  const input = expectInput(rawInput, {
    tenantId: is.tenantId, userId: is.uuid, approvalId: is.uuid,
    action: is.oneOf('password_reset_email', 'temporary_password', 'force_password_reset'),
    requestedBy: actor, expiresAt: is.instant, revokeSessions: is.boolean,
    sealedPassword: is.optional(is.sealed), mustResetOnNextSignIn: is.optional(is.boolean), notifyUser: is.optional(is.boolean),
  });
  const { tenantId, userId, approvalId } = input;
  let opened: ApprovalOpened | undefined;
  let settled: ApprovalSettled | undefined;
  let decided = false;
  setHandler(approvalOpenedUpdate, async () => {
    await condition(() => opened !== undefined);
    return opened!;
  });
  setHandler(approvalSettledUpdate, async () => {
    await condition(() => settled !== undefined);
    return settled!;
  });
  setHandler(approvalDecidedSignal, () => {
    decided = true;
  });

  opened = await db.openApproval(input);
  if (!opened.opened) {
    settled = { state: 'not_opened' };
    await condition(allHandlersFinished);
    return settled;
  }
  const expiresAtMs = Date.parse(opened.expiresAt);

  let decision: ApprovalDecision;
  for (;;) {
    const remaining = expiresAtMs - Date.now();
    if (remaining > 0) await condition(() => decided, remaining);
    decided = false;
    decision = await db.settleApproval({ tenantId, approvalId });
    if (decision.state !== 'pending') break;
  }
  upsertSearchAttributes([{ key: searchAttributes.approvalState, value: decision.state }]);

  if (decision.state === 'approved' && decision.decidedBy) {
    const appliedWorkflowId = await apply(decision.decidedBy, decision.linkExpiresAt);
    await db.recordApprovalApplied({ tenantId, approvalId, workflowId: appliedWorkflowId });
    settled = { state: 'approved', appliedWorkflowId };
  } else {
    settled = { state: decision.state === 'approved' ? 'approved' : decision.state };
  }
  await condition(allHandlersFinished);
  return settled;

  /** Start the held action's own workflow (once: its id is the approval's) and return its id. */
  async function apply(approvedBy: Actor, linkExpiresAt: string | undefined): Promise<string> {
    const common = {
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: [
        { key: searchAttributes.tenantId, value: tenantId },
        { key: searchAttributes.userId, value: userId },
        { key: searchAttributes.resetPath, value: PATH_OF[input.action] },
        { key: searchAttributes.approvalId, value: approvalId },
      ],
    };
    const base = { tenantId, userId, actor: input.requestedBy, revokeSessions: input.revokeSessions, approvedBy };
    switch (input.action) {
      case 'temporary_password': {
        const workflowId = workflowIds.temporaryPassword(tenantId, userId, approvalId);
        // it tracks the password's lapse for days: started, not awaited (the API waits for its passwordApplied)
        await startChild(temporaryPasswordWorkflow, {
          ...common, workflowId, staticSummary: `Temporary password for user ${userId} (approved)`,
          args: [{ ...base, operationId: approvalId, sealedPassword: input.sealedPassword!, mustResetOnNextSignIn: input.mustResetOnNextSignIn ?? true, notifyUser: input.notifyUser ?? true }],
        });
        return workflowId;
      }
      case 'force_password_reset': {
        const workflowId = workflowIds.forceReset(tenantId, userId, approvalId);
        await executeChild(forcePasswordResetWorkflow, {
          ...common, workflowId, staticSummary: `Forced password reset for user ${userId} (approved)`,
          args: [{ ...base, operationId: approvalId }],
        });
        return workflowId;
      }
      case 'password_reset_email': {
        const workflowId = workflowIds.resetEmail(tenantId, approvalId);
        await startChild(passwordResetEmailWorkflow, {
          ...common, workflowId, staticSummary: `Password reset email for user ${userId} (approved)`,
          typedSearchAttributes: [...common.typedSearchAttributes, { key: searchAttributes.resetId, value: approvalId }, { key: searchAttributes.resetState, value: 'pending' }],
          args: [{ ...base, resetId: approvalId, expiresAt: linkExpiresAt! }],
        });
        return workflowId;
      }
    }
  }
}
