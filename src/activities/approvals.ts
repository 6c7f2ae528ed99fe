import type { ApprovalDecision, ApprovalOpened } from '../contract/approvals';
import { approvalInputSchema, type ApprovalInput } from '../contract/workflowInputs';
import { inTransaction } from '../db/pool';
import { APPROVAL_EXPIRY_ACTOR } from '../domain/actors';
import { insertAuditEvent } from '../store/audit';
import { decideApproval, findPendingApproval, getApproval, insertApproval, setAppliedWorkflow } from '../store/approvals';
import { getTenant } from '../store/tenants';
import { getPasswordSubject } from '../store/users';
import { checkedInput } from './checkedInput';
import { currentExecution, stepKey, type ActivityDeps } from './deps';

/**
 * Second-admin approval (api.md, Approvals). The approvals row decides: the API writes
 * approve and reject as conditional updates, this workflow's timer writes the expiry the
 * same way, so of any number of concurrent decisions exactly one wins.
 */
export function approvalActivities(deps: ActivityDeps) {
  return {
    /** The request's first step: store the pending approval and audit `approval.requested`, once. */
    async openApproval(raw: ApprovalInput): Promise<ApprovalOpened> {
      const input = checkedInput(approvalInputSchema, raw);
      const exec = currentExecution();
      const subject = await getPasswordSubject(deps.pool, input.tenantId, input.userId);
      if (!subject) return { opened: false, code: 'user_not_found' };
      if (!subject.passwordHash) return { opened: false, code: 'no_password_identity' };
      const opened = await inTransaction(deps.pool, async (c): Promise<ApprovalOpened> => {
        // a retried step finds its own row
        const own = await getApproval(c, input.tenantId, input.approvalId);
        if (own) return { opened: true, expiresAt: own.expiresAt.toISOString() };
        const now = deps.clock();
        const insert = () => insertApproval(c, {
          id: input.approvalId, tenantId: input.tenantId, userId: input.userId, action: input.action, requestedBy: input.requestedBy,
          options: {
            revokeSessions: input.revokeSessions,
            ...(input.mustResetOnNextSignIn !== undefined ? { mustResetOnNextSignIn: input.mustResetOnNextSignIn } : {}),
            ...(input.notifyUser !== undefined ? { notifyUser: input.notifyUser } : {}),
          },
          requestedAt: now, expiresAt: new Date(input.expiresAt), workflowId: exec.workflowId,
        });
        // The partial unique index decides. Another pending row blocks this one unless it is past its expiry
        // (its workflow's timer has not settled it yet: a worker was down), which is expired here by the same
        // conditional write the timer uses. Between the refused insert and the next read, that timer may
        // settle it (or a decision may land): the row is then no longer pending and the insert is tried again.
        let row = await insert();
        let other: Awaited<ReturnType<typeof findPendingApproval>> = undefined;
        for (let attempt = 0; !row && attempt < 3; attempt++) {
          other = await findPendingApproval(c, input.tenantId, input.userId, input.action);
          if (other && other.expiresAt.getTime() > now.getTime()) break;
          const expired = other ? await decideApproval(c, { tenantId: input.tenantId, id: other.id, state: 'expired', actor: null, now }) : undefined;
          if (expired) {
            await insertAuditEvent(c, {
              idempotencyKey: `${expired.workflowId}:approval_expired`, tenantId: input.tenantId, userId: expired.userId,
              action: 'approval.expired', actor: APPROVAL_EXPIRY_ACTOR, data: { approvalId: expired.id, action: expired.action },
              occurredAt: now, workflowId: expired.workflowId,
            });
            deps.metrics.approvalExpired();
          }
          row = await insert();
        }
        if (!row) return { opened: false, code: 'approval_pending', approvalId: other?.id ?? input.approvalId };
        await insertAuditEvent(c, {
          idempotencyKey: stepKey(exec, 'approval_requested'), tenantId: input.tenantId, userId: input.userId,
          action: 'approval.requested', actor: input.requestedBy, data: { approvalId: input.approvalId, action: input.action },
          occurredAt: now, ...exec,
        });
        return { opened: true, expiresAt: row.expiresAt.toISOString() };
      });
      return opened;
    },

    /**
     * Where the approval stands, from its row. At (or past) its expiry a pending one is
     * expired here, by the same conditional update the decisions use (audited once).
     */
    async settleApproval(input: { tenantId: string; approvalId: string }): Promise<ApprovalDecision> {
      const exec = currentExecution();
      const now = deps.clock();
      let row = await getApproval(deps.pool, input.tenantId, input.approvalId);
      if (!row) throw new Error(`approval ${input.approvalId} not found`);
      if (row.state === 'pending' && row.expiresAt.getTime() <= now.getTime()) {
        row = await inTransaction(deps.pool, async (c) => {
          const expired = await decideApproval(c, { tenantId: input.tenantId, id: input.approvalId, state: 'expired', actor: null, now });
          if (expired) {
            await insertAuditEvent(c, {
              idempotencyKey: stepKey(exec, 'approval_expired'), tenantId: input.tenantId, userId: expired.userId,
              action: 'approval.expired', actor: APPROVAL_EXPIRY_ACTOR, data: { approvalId: expired.id, action: expired.action },
              occurredAt: now, ...exec,
            });
            deps.metrics.approvalExpired();
            return expired;
          }
          return (await getApproval(c, input.tenantId, input.approvalId))!;
        });
      }
      const decision: ApprovalDecision = { state: row.state, action: row.action, ...(row.decidedBy ? { decidedBy: row.decidedBy } : {}) };
      if (row.state === 'approved' && row.action === 'password_reset_email') {
        const tenant = await getTenant(deps.pool, input.tenantId);
        const ttl = tenant?.settings.resetLinkTtlSeconds ?? 86_400;
        decision.linkExpiresAt = new Date(now.getTime() + ttl * 1000).toISOString();
      }
      return decision;
    },

    /** The approved action's workflow, for the API and the console. */
    async recordApprovalApplied(input: { tenantId: string; approvalId: string; workflowId: string }): Promise<void> {
      await setAppliedWorkflow(deps.pool, input.tenantId, input.approvalId, input.workflowId);
    },
  };
}
