/** Second-admin approval (api.md, Approvals): the approval workflow's input, signal, updates and results. */
import { defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor } from './vocabulary';
import type { ApprovalAction } from './audit';
import type { ApprovalInput } from './workflowInputs';

// the input's zod schema lives in ./workflowInputs.ts: this file is imported by workflow code, which loads no zod
export type { ApprovalInput };

export type ApprovalWorkflowState = 'pending' | 'approved' | 'rejected' | 'expired';

/** What the request's first step found: the approval is stored and pending, or another one already waits. */
export type ApprovalOpened =
  | { opened: true; expiresAt: string }
  | { opened: false; code: 'approval_pending'; approvalId: string }
  | { opened: false; code: 'user_not_found' | 'no_password_identity' };

/** How the approval ended, and the workflow of the action it applied (approved only). */
export interface ApprovalSettled {
  state: Exclude<ApprovalWorkflowState, 'pending'> | 'not_opened';
  appliedWorkflowId?: string;
}

/** Answers once the approval is stored (or refused): the request's 202 or 409. */
export const approvalOpenedUpdate = defineUpdate<ApprovalOpened>('approvalOpened');
/** Answers once the approval is decided and, when approved, its action started (the API then waits for the action's own answer). */
export const approvalSettledUpdate = defineUpdate<ApprovalSettled>('approvalSettled');
/** An admin decided (the database already holds the decision: the workflow reads it). */
export const approvalDecidedSignal = defineSignal('approvalDecided');

/** What the workflow's settle step read (or, at the expiry, wrote). */
export interface ApprovalDecision {
  state: ApprovalWorkflowState;
  decidedBy?: Actor;
  /** path 1 on approval: when the link it issues expires (the tenant's resetLinkTtlSeconds from now) */
  linkExpiresAt?: string;
  action: ApprovalAction;
}
