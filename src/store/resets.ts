import type { Queryable } from '../db/pool';
import type { Actor, DeliveryState, ResetState } from '../contract/vocabulary';

export interface ResetRecord {
  id: string;
  tenantId: string;
  userId: string;
  state: ResetState;
  createdAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
  workflowId: string;
  runId: string | null;
  deliveryState: DeliveryState;
  deliveryError: string | null;
}

export interface ResetRef {
  resetId: string;
  workflowId: string;
}

interface ResetRow {
  id: string;
  tenant_id: string;
  user_id: string;
  state: ResetState;
  created_at: Date;
  expires_at: Date;
  ended_at: Date | null;
  workflow_id: string;
  run_id: string | null;
  delivery_state: DeliveryState;
  delivery_error: string | null;
}

function toRecord(r: ResetRow): ResetRecord {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    userId: r.user_id,
    state: r.state,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    endedAt: r.ended_at,
    workflowId: r.workflow_id,
    runId: r.run_id,
    deliveryState: r.delivery_state,
    deliveryError: r.delivery_error,
  };
}

export async function getReset(q: Queryable, tenantId: string, resetId: string): Promise<ResetRecord | undefined> {
  const res = await q.query<ResetRow>('SELECT * FROM password_resets WHERE tenant_id = $1 AND id = $2', [tenantId, resetId]);
  return res.rows[0] ? toRecord(res.rows[0]) : undefined;
}

export async function lockReset(q: Queryable, tenantId: string, resetId: string): Promise<ResetRecord | undefined> {
  const res = await q.query<ResetRow>('SELECT * FROM password_resets WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [tenantId, resetId]);
  return res.rows[0] ? toRecord(res.rows[0]) : undefined;
}

export async function findResetByTokenHash(q: Queryable, tokenHash: Buffer): Promise<ResetRecord | undefined> {
  const res = await q.query<ResetRow>('SELECT * FROM password_resets WHERE token_hash = $1', [tokenHash]);
  return res.rows[0] ? toRecord(res.rows[0]) : undefined;
}

export async function findPendingReset(q: Queryable, tenantId: string, userId: string): Promise<ResetRecord | undefined> {
  const res = await q.query<ResetRow>(
    `SELECT * FROM password_resets WHERE tenant_id = $1 AND user_id = $2 AND state = 'pending'`,
    [tenantId, userId],
  );
  return res.rows[0] ? toRecord(res.rows[0]) : undefined;
}

/**
 * End every pending link of a user but `exceptResetId` (a newer link, or a completed password
 * change, invalidates them). Returns the links this operation has ended, including those a
 * previous attempt of the same operation ended, so a retried step still learns of them.
 */
export async function supersedePendingResets(
  q: Queryable,
  p: { userId: string; exceptResetId?: string; now: Date; endedBy: string },
): Promise<ResetRef[]> {
  await q.query(
    `UPDATE password_resets SET state = 'superseded', ended_at = $3, ended_by = $4
      WHERE user_id = $1 AND state = 'pending' AND id IS DISTINCT FROM $2::uuid`,
    [p.userId, p.exceptResetId ?? null, p.now, p.endedBy],
  );
  return listSupersededBy(q, p.userId, p.endedBy);
}

/** The links an operation (workflow id) has superseded. */
export async function listSupersededBy(q: Queryable, userId: string, endedBy: string): Promise<ResetRef[]> {
  const res = await q.query<{ id: string; workflow_id: string }>(
    `SELECT id, workflow_id FROM password_resets WHERE user_id = $1 AND ended_by = $2 AND state = 'superseded' ORDER BY created_at`,
    [userId, endedBy],
  );
  return res.rows.map((r) => ({ resetId: r.id, workflowId: r.workflow_id }));
}

export interface NewReset {
  id: string;
  tenantId: string;
  userId: string;
  tokenHash: Buffer;
  createdAt: Date;
  expiresAt: Date;
  workflowId: string;
  runId: string;
  requestedBy: Actor;
}

/**
 * Insert the link, or (a retried step whose token never left the activity) give the
 * still-pending link a fresh token. Returns the link's state after the write.
 */
export async function upsertPendingReset(q: Queryable, r: NewReset): Promise<ResetState> {
  const res = await q.query<{ state: ResetState }>(
    `INSERT INTO password_resets (id, tenant_id, user_id, token_hash, state, created_at, expires_at, workflow_id, run_id, requested_by)
     VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $9)
     ON CONFLICT (id) DO UPDATE SET token_hash = EXCLUDED.token_hash WHERE password_resets.state = 'pending'
     RETURNING state`,
    [r.id, r.tenantId, r.userId, r.tokenHash, r.createdAt, r.expiresAt, r.workflowId, r.runId, r.requestedBy],
  );
  if (res.rows[0]) return res.rows[0].state;
  return (await getReset(q, r.tenantId, r.id))!.state;
}

/** Move a pending link to a final state. Returns false when it was no longer pending. */
export async function endReset(
  q: Queryable,
  p: { resetId: string; state: Exclude<ResetState, 'pending'>; now: Date; endedBy: string },
): Promise<boolean> {
  const res = await q.query(
    `UPDATE password_resets SET state = $2, ended_at = $3, ended_by = $4 WHERE id = $1 AND state = 'pending'`,
    [p.resetId, p.state, p.now, p.endedBy],
  );
  return res.rowCount === 1;
}

export async function recordDelivery(
  q: Queryable,
  p: { resetId: string } & ({ state: 'sent'; messageId: string } | { state: 'failed'; error: string }),
): Promise<void> {
  await q.query(
    'UPDATE password_resets SET delivery_state = $2, message_id = $3, delivery_error = $4 WHERE id = $1',
    [p.resetId, p.state, p.state === 'sent' ? p.messageId : null, p.state === 'failed' ? p.error : null],
  );
}
