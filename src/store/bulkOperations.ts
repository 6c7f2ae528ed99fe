import type { Queryable } from '../db/pool';
import type { BulkKind, ChangeRequired } from '../contract/vocabulary';

export interface BulkOperationRecord {
  id: string;
  tenantId: string;
  kind: BulkKind;
  workflowId: string;
  createdAt: Date;
}

export async function insertBulkOperation(q: Queryable, o: { id: string; tenantId: string; kind: BulkKind; workflowId: string }): Promise<void> {
  await q.query(
    'INSERT INTO bulk_operations (id, tenant_id, kind, workflow_id) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING',
    [o.id, o.tenantId, o.kind, o.workflowId],
  );
}

export async function getBulkOperation(q: Queryable, tenantId: string, id: string): Promise<BulkOperationRecord | undefined> {
  const res = await q.query('SELECT * FROM bulk_operations WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  const r = res.rows[0];
  return r ? { id: r.id, tenantId: r.tenant_id, kind: r.kind, workflowId: r.workflow_id, createdAt: r.created_at } : undefined;
}

/** Which password users an operation covers; users created after it started are not part of it. */
export interface BulkSelection {
  tenantId: string;
  /** only passwords set before this instant (rotation: now − maxPasswordAgeDays); undefined = all */
  passwordSetBefore?: string | undefined;
  /** only users that existed when the operation started */
  createdBefore: string;
}

export interface BatchResult {
  matched: number;
  done: number;
  skipped: number;
  /** the last user id of this batch; undefined when the scan is over */
  lastUserId: string | undefined;
}

export async function findBatch(q: Queryable, operationId: string, afterUserId: string): Promise<BatchResult | undefined> {
  const res = await q.query(
    'SELECT matched, done, skipped, last_user_id FROM bulk_operation_batches WHERE operation_id = $1 AND after_user_id = $2',
    [operationId, afterUserId],
  );
  const r = res.rows[0];
  return r ? { matched: r.matched, done: r.done, skipped: r.skipped, lastUserId: r.last_user_id ?? undefined } : undefined;
}

/**
 * Flag the next batch of matching users (in a transaction, see bulkResets activity):
 * one set-based statement. Users who already must change their password are matched
 * but skipped. Returns the batch's counts and the ids it flagged.
 */
export async function flagBatch(
  q: Queryable,
  p: BulkSelection & { afterUserId: string; limit: number; changeRequired: ChangeRequired },
): Promise<{ matched: number; lastUserId: string | undefined; flagged: string[] }> {
  const res = await q.query(
    `WITH batch AS (
       SELECT id FROM users
        WHERE tenant_id = $1 AND password_hash IS NOT NULL AND id > $2
          AND created_at <= $3 AND ($4::timestamptz IS NULL OR password_set_at < $4)
        ORDER BY id
        LIMIT $5
        FOR UPDATE
     ), flagged AS (
       UPDATE users u SET change_required = $6
         FROM batch b
        WHERE u.id = b.id AND u.change_required IS NULL
       RETURNING u.id
     )
     SELECT (SELECT count(*) FROM batch)::int AS matched,
            (SELECT max(id::text) FROM batch) AS last_id,
            COALESCE((SELECT array_agg(id) FROM flagged), '{}') AS flagged`,
    [p.tenantId, p.afterUserId, p.createdBefore, p.passwordSetBefore ?? null, p.limit, p.changeRequired],
  );
  const r = res.rows[0];
  return { matched: r.matched, lastUserId: r.last_id ?? undefined, flagged: r.flagged };
}

export async function insertBatch(q: Queryable, operationId: string, afterUserId: string, r: BatchResult): Promise<void> {
  await q.query(
    `INSERT INTO bulk_operation_batches (operation_id, after_user_id, last_user_id, matched, done, skipped)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [operationId, afterUserId, r.lastUserId ?? null, r.matched, r.done, r.skipped],
  );
}

export async function latestBulkOperation(q: Queryable, tenantId: string, kind: BulkKind): Promise<BulkOperationRecord | undefined> {
  const res = await q.query('SELECT * FROM bulk_operations WHERE tenant_id = $1 AND kind = $2 ORDER BY created_at DESC LIMIT 1', [tenantId, kind]);
  const r = res.rows[0];
  return r ? { id: r.id, tenantId: r.tenant_id, kind: r.kind, workflowId: r.workflow_id, createdAt: r.created_at } : undefined;
}

export async function countBatches(q: Queryable, operationId: string): Promise<{ matched: number; done: number; skipped: number }> {
  const res = await q.query(
    `SELECT COALESCE(sum(matched), 0)::int AS matched, COALESCE(sum(done), 0)::int AS done, COALESCE(sum(skipped), 0)::int AS skipped
       FROM bulk_operation_batches WHERE operation_id = $1`,
    [operationId],
  );
  return res.rows[0];
}
