import type { Queryable } from '../db/pool';
import type { ApprovalAction } from '../contract/audit';
import type { Actor } from '../contract/vocabulary';
import { keysetPage, type Page } from './paging';
import { stateAsOfCondition } from './stateAsOf';
import { stateAsOf } from '../domain/expiry';

/** Where a held reset stands (api.md, Approvals). */
export const APPROVAL_STATES = ['pending', 'approved', 'rejected', 'expired'] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];
export type DecidedState = Exclude<ApprovalState, 'pending'>;

/** The held request's options (never a password: a temporary password travels sealed in the workflow's input only). */
export interface HeldOptions {
  revokeSessions: boolean;
  mustResetOnNextSignIn?: boolean | undefined;
  notifyUser?: boolean | undefined;
}

export interface ApprovalRecord {
  id: string;
  tenantId: string;
  userId: string;
  action: ApprovalAction;
  /** as stored: a pending row past its expiry is `expired` as of now (effectiveApprovalState) */
  state: ApprovalState;
  requestedBy: Actor;
  decidedBy: Actor | null;
  reason: string | null;
  options: HeldOptions;
  requestedAt: Date;
  decidedAt: Date | null;
  expiresAt: Date;
  workflowId: string;
  appliedWorkflowId: string | null;
}

interface ApprovalRow {
  id: string;
  tenant_id: string;
  user_id: string;
  action: ApprovalAction;
  state: ApprovalState;
  requested_by: Actor;
  decided_by: Actor | null;
  reason: string | null;
  options: HeldOptions;
  requested_at: Date;
  decided_at: Date | null;
  expires_at: Date;
  workflow_id: string;
  applied_workflow_id: string | null;
}

function toRecord(r: ApprovalRow): ApprovalRecord {
  return {
    id: r.id, tenantId: r.tenant_id, userId: r.user_id, action: r.action, state: r.state, requestedBy: r.requested_by,
    decidedBy: r.decided_by, reason: r.reason, options: r.options, requestedAt: r.requested_at, decidedAt: r.decided_at,
    expiresAt: r.expires_at, workflowId: r.workflow_id, appliedWorkflowId: r.applied_workflow_id,
  };
}

/** A pending approval past its expiry is expired, whether or not its workflow's timer has fired yet. */
export function effectiveApprovalState(a: Pick<ApprovalRecord, 'state' | 'expiresAt'>, now: Date): ApprovalState {
  return stateAsOf(a, now);
}

/**
 * Insert a pending approval. Returns undefined when one is already pending for this
 * user and action (the partial unique index decides, under any concurrency).
 */
export async function insertApproval(q: Queryable, a: Omit<ApprovalRecord, 'state' | 'decidedBy' | 'reason' | 'decidedAt' | 'appliedWorkflowId'>): Promise<ApprovalRecord | undefined> {
  const res = await q.query<ApprovalRow>(
    `INSERT INTO approvals (id, tenant_id, user_id, action, state, requested_by, options, requested_at, expires_at, workflow_id)
     VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $9)
     ON CONFLICT (tenant_id, user_id, action) WHERE state = 'pending' DO NOTHING
     RETURNING *`,
    [a.id, a.tenantId, a.userId, a.action, a.requestedBy, a.options, a.requestedAt, a.expiresAt, a.workflowId],
  );
  return res.rows[0] ? toRecord(res.rows[0]) : undefined;
}

export async function getApproval(q: Queryable, tenantId: string, id: string): Promise<ApprovalRecord | undefined> {
  const res = await q.query<ApprovalRow>('SELECT * FROM approvals WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  return res.rows[0] ? toRecord(res.rows[0]) : undefined;
}

/** The approval pending for this user and action, if any (it may be past its expiry: the caller decides). */
export async function findPendingApproval(q: Queryable, tenantId: string, userId: string, action: ApprovalAction): Promise<ApprovalRecord | undefined> {
  const res = await q.query<ApprovalRow>(
    `SELECT * FROM approvals WHERE tenant_id = $1 AND user_id = $2 AND action = $3 AND state = 'pending'`,
    [tenantId, userId, action],
  );
  return res.rows[0] ? toRecord(res.rows[0]) : undefined;
}

/** The user's approvals pending as of `now` (the user page shows them in place of the actions they hold). */
export async function pendingApprovalsOf(q: Queryable, tenantId: string, userId: string, now: Date): Promise<ApprovalRecord[]> {
  const res = await q.query<ApprovalRow>(
    `SELECT * FROM approvals WHERE tenant_id = $1 AND user_id = $2 AND state = 'pending' AND expires_at > $3 ORDER BY requested_at`,
    [tenantId, userId, now],
  );
  return res.rows.map(toRecord);
}

/**
 * Decide a pending approval: one conditional UPDATE, so of N concurrent decisions (and
 * the expiry) exactly one wins. Approve and reject refuse the requester and a request
 * past its expiry; `expired` is the workflow's timer. Returns the row when this call
 * decided it, undefined when it was no longer pending (or was the requester's own).
 */
export async function decideApproval(
  q: Queryable,
  d: { tenantId: string; id: string; state: DecidedState; actor: Actor | null; reason?: string | undefined; now: Date },
): Promise<ApprovalRecord | undefined> {
  const res = await q.query<ApprovalRow>(
    `UPDATE approvals SET state = $3, decided_by = $4, reason = $5, decided_at = $6
      WHERE tenant_id = $1 AND id = $2 AND state = 'pending'
        AND ($3 = 'expired' OR (expires_at > $6 AND requested_by->>'id' <> ($4::jsonb)->>'id'))
      RETURNING *`,
    [d.tenantId, d.id, d.state, d.actor, d.reason ?? null, d.now],
  );
  return res.rows[0] ? toRecord(res.rows[0]) : undefined;
}

export async function setAppliedWorkflow(q: Queryable, tenantId: string, id: string, workflowId: string): Promise<void> {
  await q.query('UPDATE approvals SET applied_workflow_id = $3 WHERE tenant_id = $1 AND id = $2', [tenantId, id, workflowId]);
}

export interface ApprovalKey {
  createdAt: string;
  id: string;
}

/** A tenant's approvals, newest first; `state` as of `now` (a pending one past its expiry is expired). */
export async function listApprovals(
  q: Queryable,
  query: { tenantId: string; userId?: string | undefined; state?: ApprovalState | undefined; now: Date; limit: number; after?: ApprovalKey | undefined },
): Promise<Page<ApprovalRecord, ApprovalKey>> {
  const res = await q.query<ApprovalRow>(
    `SELECT * FROM approvals
      WHERE tenant_id = $1
        AND ($2::uuid IS NULL OR user_id = $2)
        AND ${stateAsOfCondition('$3', '$4')}
        AND ($5::timestamptz IS NULL OR (requested_at, id) < ($5, $6::uuid))
      ORDER BY requested_at DESC, id DESC
      LIMIT $7`,
    [query.tenantId, query.userId ?? null, query.state ?? null, query.now, query.after?.createdAt ?? null, query.after?.id ?? null, query.limit + 1],
  );
  return keysetPage(res.rows, query.limit, toRecord, (r) => ({ createdAt: r.requested_at.toISOString(), id: r.id }));
}
