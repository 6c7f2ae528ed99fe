import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/pool';
import type { AuditAction, AuditData, AuditPayload } from '../contract/audit';
import type { Actor } from '../contract/vocabulary';
import { keysetPage, type Page } from './paging';

/**
 * The audit log: every row is written here, exactly once. Writers pass an
 * idempotency key derived from the workflow and step (or the request), and the
 * row is inserted in the same transaction as the change it records, so a
 * retried activity adds nothing.
 */
interface NewAuditEventBase {
  /** Unique per logical action (workflow id + step): a second insert with the same key is a no-op. */
  idempotencyKey: string;
  tenantId: string;
  userId: string | null;
  actor: Actor;
  occurredAt: Date;
  workflowId?: string | undefined;
  runId?: string | undefined;
}

/** An event to write: its `data` is of its action's type (the audit catalogue, src/contract/audit.ts). */
export type NewAuditEvent = NewAuditEventBase & AuditPayload;

/** An event as read back (GET audit-events shows it so): `data` typed by its action. */
export type AuditEvent = {
  id: string;
  occurredAt: string;
  tenantId: string;
  userId: string | null;
  actor: Actor;
  workflowId?: string;
  runId?: string;
} & AuditPayload;

interface AuditRow {
  seq: number;
  id: string;
  occurred_at: Date;
  action: AuditAction;
  tenant_id: string;
  user_id: string | null;
  actor: Actor;
  data: Record<string, unknown>;
  workflow_id: string | null;
  run_id: string | null;
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

/**
 * One event per user in one statement (bulk operations): the key of each is
 * `keyPrefix:userId`, so a retried batch adds nothing.
 */
export async function insertAuditEventPerUser<A extends AuditAction>(
  q: Queryable,
  e: Omit<NewAuditEventBase, 'idempotencyKey' | 'userId'> & { action: A; keyPrefix: string; users: readonly { userId: string; data: AuditData<A> }[] },
): Promise<void> {
  if (e.users.length === 0) return;
  await q.query(
    `INSERT INTO audit_events (id, tenant_id, user_id, occurred_at, action, actor, data, workflow_id, run_id, idempotency_key)
     SELECT gen_random_uuid(), $1, u.user_id, $2, $3, $4, u.data, $5, $6, $7 || ':' || u.user_id::text
       FROM unnest($8::uuid[], $9::jsonb[]) AS u (user_id, data)
     ON CONFLICT (idempotency_key) DO NOTHING`,
    [e.tenantId, e.occurredAt, e.action, e.actor, e.workflowId ?? null, e.runId ?? null, e.keyPrefix,
      e.users.map((u) => u.userId), e.users.map((u) => JSON.stringify(u.data))],
  );
}

export async function findAuditEventByKey(q: Queryable, idempotencyKey: string): Promise<AuditEvent | undefined> {
  const res = await q.query<AuditRow>('SELECT * FROM audit_events WHERE idempotency_key = $1', [idempotencyKey]);
  return res.rows[0] ? toEvent(res.rows[0]) : undefined;
}

/** Which of a tenant's audit events a list or an export reads. */
export interface AuditFilter {
  tenantId: string;
  userId?: string | undefined;
  action?: string | undefined;
  /** the actor's id: an API key's id, `platform`, a user's id or a system actor's */
  actorId?: string | undefined;
  /** occurred at or after */
  from?: string | undefined;
  /** occurred before */
  to?: string | undefined;
}

/** One page of a filtered list. */
export interface AuditQuery extends AuditFilter {
  limit: number;
  /** `seq` of the last event of the previous page */
  beforeSeq?: number | undefined;
}

/** Newest first; the page's `next` is the `seq` to continue before. */
export async function listAuditEvents(q: Queryable, query: AuditQuery): Promise<Page<AuditEvent, number>> {
  const res = await q.query<AuditRow>(
    `SELECT * FROM audit_events
      WHERE tenant_id = $1
        AND ($2::uuid IS NULL OR user_id = $2)
        AND ($3::text IS NULL OR action = $3)
        AND ($4::bigint IS NULL OR seq < $4)
        AND ($6::text IS NULL OR actor->>'id' = $6)
        AND ($7::timestamptz IS NULL OR occurred_at >= $7)
        AND ($8::timestamptz IS NULL OR occurred_at < $8)
      ORDER BY seq DESC
      LIMIT $5`,
    [query.tenantId, query.userId ?? null, query.action ?? null, query.beforeSeq ?? null, query.limit + 1,
      query.actorId ?? null, query.from ?? null, query.to ?? null],
  );
  return keysetPage(res.rows, query.limit, toEvent, (r) => Number(r.seq));
}

function toEvent(r: AuditRow): AuditEvent {
  // rows are written only through insertAuditEvent, whose payload the catalogue types
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
  } as AuditEvent;
}

/** One event by id, as GET audit-events shows it (an outbound webhook's body carries it). */
export async function getAuditEvent(q: Queryable, tenantId: string, id: string): Promise<AuditEvent | undefined> {
  const res = await q.query<AuditRow>('SELECT * FROM audit_events WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  return res.rows[0] ? toEvent(res.rows[0]) : undefined;
}
