import type { Queryable } from '../db/pool';
import type { Actor, DeliveryState, ResetState } from '../contract/vocabulary';
import { mergeDelivery, sameDelivery, type Delivery } from '../domain/mailDelivery';
import { keysetPage, type Page } from './paging';
import { stateAsOfCondition } from './stateAsOf';

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
  /** the delivery as a whole: state, when, in words, Postmark's bounce type */
  delivery: Delivery;
  /** the provider's id of the last email sent for this link */
  messageId: string | null;
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
  delivery_at: Date | null;
  delivery_detail: string | null;
  delivery_bounce_type: string | null;
  message_id: string | null;
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
    delivery: { state: r.delivery_state, at: r.delivery_at, detail: r.delivery_detail, bounceType: r.delivery_bounce_type },
    messageId: r.message_id,
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

/**
 * Store a delivery (merged by the caller, under `lockReset`): a failure also keeps its
 * reason in `delivery_error`; `messageId` is the email the provider just accepted.
 */
export async function writeDelivery(q: Queryable, p: { resetId: string; delivery: Delivery; messageId?: string | undefined }): Promise<void> {
  const d = p.delivery;
  await q.query(
    `UPDATE password_resets SET delivery_state = $2, delivery_at = $3, delivery_detail = $4, delivery_bounce_type = $5,
            delivery_error = CASE WHEN $2 = 'failed' THEN $4 ELSE delivery_error END, message_id = COALESCE($6, message_id)
      WHERE id = $1`,
    [p.resetId, d.state, d.at, d.detail, d.bounceType, p.messageId ?? null],
  );
}

/**
 * Combine what is known of a link's delivery with `next` (src/domain/mailDelivery.ts)
 * under the row's lock, in the caller's transaction, and store it when anything
 * changed. Returns the delivery as it now stands.
 */
export async function recordDelivery(q: Queryable, ref: { tenantId: string; resetId: string }, next: Delivery, messageId?: string): Promise<Delivery> {
  const reset = await lockReset(q, ref.tenantId, ref.resetId);
  if (!reset) return next;
  const merged = mergeDelivery(reset.delivery, next);
  if (!sameDelivery(merged, reset.delivery) || (messageId !== undefined && messageId !== reset.messageId)) {
    await writeDelivery(q, { resetId: ref.resetId, delivery: merged, messageId });
  }
  return merged;
}

/**
 * The reset a provider webhook is about: the one whose last email has this message id,
 * else the one its metadata names (the webhook overtook the activity that records the
 * message id, or reports an earlier attempt's email of the same link).
 */
export async function findResetForMessage(
  q: Queryable,
  p: { messageId: string; tenantId?: string | undefined; resetId?: string | undefined },
): Promise<ResetRecord | undefined> {
  const res = await q.query<ResetRow>(
    `SELECT * FROM password_resets WHERE message_id = $1
     UNION ALL
     SELECT * FROM password_resets WHERE id = $3::uuid AND tenant_id = $2 AND message_id IS DISTINCT FROM $1
     LIMIT 1`,
    [p.messageId, p.tenantId ?? null, p.resetId ?? null],
  );
  return res.rows[0] ? toRecord(res.rows[0]) : undefined;
}

export interface ResetKey {
  createdAt: string;
  id: string;
}

export interface ResetListQuery {
  tenantId: string;
  userId?: string | undefined;
  /** the state as of `now`: a pending link past its expiry counts as expired */
  state?: ResetState | undefined;
  delivery?: readonly DeliveryState[] | undefined;
  now: Date;
  limit: number;
  after?: ResetKey | undefined;
}

/** A tenant's resets, newest first, keyset-paginated on (created_at, id). */
export async function listResets(q: Queryable, query: ResetListQuery): Promise<Page<ResetRecord, ResetKey>> {
  const res = await q.query<ResetRow>(
    `SELECT * FROM password_resets
      WHERE tenant_id = $1
        AND ($2::uuid IS NULL OR user_id = $2)
        AND ${stateAsOfCondition('$3', '$4')}
        AND ($5::text[] IS NULL OR delivery_state = ANY($5))
        AND ($6::timestamptz IS NULL OR (created_at, id) < ($6, $7::uuid))
      ORDER BY created_at DESC, id DESC
      LIMIT $8`,
    [query.tenantId, query.userId ?? null, query.state ?? null, query.now, query.delivery ?? null,
      query.after?.createdAt ?? null, query.after?.id ?? null, query.limit + 1],
  );
  return keysetPage(res.rows, query.limit, toRecord, (r) => ({ createdAt: r.created_at.toISOString(), id: r.id }));
}

/** The user's pending links (all of them: a report cancels every one). */
export async function listPendingResetsOfUser(q: Queryable, userId: string): Promise<{ id: string; workflowId: string }[]> {
  const res = await q.query<{ id: string; workflow_id: string }>(
    `SELECT id, workflow_id FROM password_resets WHERE user_id = $1 AND state = 'pending' FOR UPDATE`,
    [userId],
  );
  return res.rows.map((r) => ({ id: r.id, workflowId: r.workflow_id }));
}
