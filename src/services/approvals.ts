import { randomUUID } from 'node:crypto';
import type { ApprovalAction } from '../contract/audit';
import type { Actor, ResetPath } from '../contract/vocabulary';
import { inTransaction } from '../db/pool';
import type { Page } from '../store/paging';
import { insertAuditEvent } from '../store/audit';
import {
  decideApproval,
  effectiveApprovalState,
  findPendingApproval,
  getApproval,
  listApprovals as listStoredApprovals,
  type ApprovalKey,
  type ApprovalRecord,
  type ApprovalState,
} from '../store/approvals';
import type { PasswordSubject } from '../store/users';
import type { Tenant } from '../store/tenants';
import type { ServiceDeps } from './deps';
import { notFound, refused, type ApprovalDecided, type ApprovalPending, type NotFound, type Refused } from './failures';
import { operationIdFor } from './idempotency';
import { awaitAppliedAction, settleApprovalWorkflow, startApprovalWorkflow } from './temporalCalls';

/**
 * Second-admin approval (api.md, Approvals; docs/approvals.md). When a tenant's
 * `approvals.requiredFor` covers the user, each of the three reset paths is held: its
 * approval workflow stores the approval and waits. Another admin approves or rejects it
 * here, by one conditional write on the approvals row (the requester never can), and the
 * workflow, told by a signal, applies the held action once.
 */

const RESET_PATH_OF: Record<ApprovalAction, ResetPath> = {
  password_reset_email: 'reset_email',
  temporary_password: 'temporary_password',
  force_password_reset: 'force_reset',
};

type Deps = Pick<ServiceDeps, 'pool' | 'temporal' | 'taskQueue' | 'workflowWaitMs' | 'log' | 'clock' | 'metrics'>;

/** Whether the tenant's approvals setting covers this user's resets. */
export function approvalRequired(tenant: Tenant, user: Pick<PasswordSubject, 'privileged'>): boolean {
  const scope = tenant.settings.approvals.requiredFor;
  return scope === 'all_users' || (scope === 'privileged_users' && user.privileged);
}

/** The 202 answer of a held reset. */
export interface Held {
  ok: true;
  held: { approvalId: string; state: 'pending'; expiresAt: string; workflowId: string };
}

/** Hold a reset for a second admin: nothing is applied, the approval waits in its workflow. */
export async function holdForApproval(
  deps: Deps & Pick<ServiceDeps, 'sealer'>,
  p: {
    tenant: Tenant; userId: string; action: ApprovalAction; actor: Actor; revokeSessions: boolean; idempotencyKey?: string | undefined;
    password?: string | undefined; mustResetOnNextSignIn?: boolean | undefined; notifyUser?: boolean | undefined;
  },
): Promise<Held | ApprovalPending | NotFound | Refused<'no_password_identity'>> {
  const approvalId = p.idempotencyKey ? operationIdFor(`approval:${p.action}:${p.tenant.id}:${p.userId}`, p.idempotencyKey) : randomUUID();
  // the quick answer; the workflow's first step decides under the unique index
  const waiting = await findPendingApproval(deps.pool, p.tenant.id, p.userId, p.action);
  if (waiting && waiting.id !== approvalId && effectiveApprovalState(waiting, deps.clock()) === 'pending') {
    return { ok: false, code: 'approval_pending', approvalId: waiting.id };
  }
  const expiresAt = new Date(deps.clock().getTime() + p.tenant.settings.approvals.ttlSeconds * 1000).toISOString();
  const { workflowId, result } = await startApprovalWorkflow(deps, {
    tenantId: p.tenant.id, userId: p.userId, approvalId, action: p.action, requestedBy: p.actor, expiresAt, revokeSessions: p.revokeSessions,
    password: p.password, mustResetOnNextSignIn: p.mustResetOnNextSignIn, notifyUser: p.notifyUser,
  });
  if (!result.opened) {
    if (result.code === 'approval_pending') return { ok: false, code: 'approval_pending', approvalId: result.approvalId };
    return result.code === 'no_password_identity' ? refused('no_password_identity') : notFound('The user');
  }
  deps.metrics.approval('requested');
  return { ok: true, held: { approvalId, state: 'pending', expiresAt: result.expiresAt, workflowId } };
}

export type ApprovalView = ApprovalRecord & { effectiveState: ApprovalState };

function view(a: ApprovalRecord, now: Date): ApprovalView {
  return { ...a, effectiveState: effectiveApprovalState(a, now) };
}

export async function readApproval(deps: Pick<ServiceDeps, 'pool' | 'clock'>, tenantId: string, approvalId: string): Promise<{ ok: true; approval: ApprovalView } | NotFound> {
  const a = await getApproval(deps.pool, tenantId, approvalId);
  return a ? { ok: true, approval: view(a, deps.clock()) } : notFound('The approval');
}

export async function listApprovals(
  deps: Pick<ServiceDeps, 'pool' | 'clock'>,
  q: { tenantId: string; userId?: string | undefined; state?: ApprovalState | undefined; limit: number; after?: ApprovalKey | undefined },
): Promise<Page<ApprovalView, ApprovalKey>> {
  const now = deps.clock();
  const page = await listStoredApprovals(deps.pool, { ...q, now });
  return { items: page.items.map((a) => view(a, now)), next: page.next };
}

/**
 * Approve or reject. The requester is refused (403), a decided or expired approval is
 * final (409); otherwise one conditional UPDATE decides, with its audit event in the same
 * transaction, so of N concurrent decisions (and the expiry timer) exactly one wins. An
 * approval then waits for its action to be applied (the held password stored, the link
 * issued, the change flagged).
 */
export async function decide(
  deps: Deps,
  p: { tenantId: string; approvalId: string; actor: Actor; decision: 'approved' | 'rejected'; reason?: string | undefined },
): Promise<{ ok: true; approval: ApprovalView } | NotFound | ApprovalDecided | Refused<'approver_is_requester'>> {
  const current = await getApproval(deps.pool, p.tenantId, p.approvalId);
  if (!current) return notFound('The approval');
  if (current.requestedBy.id === p.actor.id) return refused('approver_is_requester');
  const now = deps.clock();
  const won = await inTransaction(deps.pool, async (c) => {
    const row = await decideApproval(c, { tenantId: p.tenantId, id: p.approvalId, state: p.decision, actor: p.actor, reason: p.reason, now });
    if (!row) return undefined;
    const data = { approvalId: row.id, action: row.action, ...(p.reason ? { reason: p.reason } : {}) };
    await insertAuditEvent(c, {
      idempotencyKey: `approval:${row.id}:decided`, tenantId: p.tenantId, userId: row.userId,
      ...(p.decision === 'approved' ? { action: 'approval.approved' as const, data } : { action: 'approval.rejected' as const, data }),
      actor: p.actor, occurredAt: now, workflowId: row.workflowId,
    });
    return row;
  });
  if (!won) {
    const after = await getApproval(deps.pool, p.tenantId, p.approvalId);
    const state = after ? effectiveApprovalState(after, deps.clock()) : 'expired';
    // a decision whose signal was lost (the process died after the commit) is told again
    if (after && after.state !== 'pending') void settleApprovalWorkflow({ ...deps, workflowWaitMs: 1000 }, { workflowId: after.workflowId }).catch(() => undefined);
    return { ok: false, code: 'approval_decided', state: state === 'pending' ? 'expired' : state };
  }
  deps.metrics.approval(p.decision);
  const settled = await settleApprovalWorkflow(deps, { workflowId: won.workflowId });
  if (p.decision === 'approved' && settled?.appliedWorkflowId) {
    // the held reset starts now: counted as the requester's, as an unheld one is when it is asked for
    deps.metrics.resetStarted(RESET_PATH_OF[won.action], won.requestedBy.type);
    await awaitAppliedAction(deps, { action: won.action, workflowId: settled.appliedWorkflowId });
  }
  const fresh = (await getApproval(deps.pool, p.tenantId, p.approvalId)) ?? won;
  return { ok: true, approval: view(fresh, deps.clock()) };
}
