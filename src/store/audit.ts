import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/pool';
import type { Actor } from '../domain/actor';

export type AuditAction =
  | 'user.password_reset_email_sent'
  | 'user.password_set_by_admin'
  | 'user.force_password_reset_set'
  | 'user.password_reset_completed'
  | 'user.password_reset_link_expired'
  | 'user.password_reset_email_cancelled'
  | 'user.sessions_revoked';

export interface NewAuditEvent {
  /** Unique per logical action (workflow id + step): a second insert with the same key is a no-op. */
  idempotencyKey: string;
  tenantId: string;
  userId: string | null;
  action: AuditAction;
  actor: Actor;
  data: Record<string, unknown>;
  occurredAt: Date;
  workflowId?: string | undefined;
  runId?: string | undefined;
}

export interface AuditEvent {
  id: string;
  occurredAt: string;
  action: AuditAction;
  tenantId: string;
  userId: string | null;
  actor: Actor;
  data: Record<string, unknown>;
  workflowId?: string;
  runId?: string;
}

/** Insert once. Returns false when an event with this key already exists (a retried activity). */
export async function insertAuditEvent(q: Queryable, e: NewAuditEvent): Promise<boolean> {
  const res = await q.query(
    `INSERT INTO audit_events (id, tenant_id, user_id, occurred_at, action, actor, data, workflow_id, run_id, idempotency_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (idempotency_key) DO NOTHING`,
    [randomUUID(), e.tenantId, e.userId, e.occurredAt, e.action, e.actor, e.data, e.workflowId ?? null, e.runId ?? null, e.idempotencyKey],
  );
  return res.rowCount === 1;
}

export async function findAuditEventByKey(q: Queryable, idempotencyKey: string): Promise<AuditEvent | undefined> {
  const res = await q.query('SELECT * FROM audit_events WHERE idempotency_key = $1', [idempotencyKey]);
  return res.rows[0] ? toEvent(res.rows[0]) : undefined;
}

export interface AuditQuery {
  tenantId: string;
  userId?: string | undefined;
  action?: string | undefined;
  limit: number;
  /** `seq` of the last event of the previous page */
  before?: number | undefined;
}

export async function listAuditEvents(q: Queryable, query: AuditQuery): Promise<{ items: AuditEvent[]; lastSeq: number | undefined }> {
  const res = await q.query(
    `SELECT * FROM audit_events
      WHERE tenant_id = $1
        AND ($2::uuid IS NULL OR user_id = $2)
        AND ($3::text IS NULL OR action = $3)
        AND ($4::bigint IS NULL OR seq < $4)
      ORDER BY seq DESC
      LIMIT $5`,
    [query.tenantId, query.userId ?? null, query.action ?? null, query.before ?? null, query.limit + 1],
  );
  const rows = res.rows.slice(0, query.limit);
  const hasMore = res.rows.length > query.limit;
  return { items: rows.map(toEvent), lastSeq: hasMore ? Number(rows[rows.length - 1].seq) : undefined };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function toEvent(r: any): AuditEvent {
  return {
    id: r.id,
    occurredAt: r.occurred_at.toISOString(),
    action: r.action,
    tenantId: r.tenant_id,
    userId: r.user_id,
    actor: r.actor,
    data: r.data,
    ...(r.workflow_id ? { workflowId: r.workflow_id } : {}),
    ...(r.run_id ? { runId: r.run_id } : {}),
  };
}
