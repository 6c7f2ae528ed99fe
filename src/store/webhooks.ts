import type { Queryable } from '../db/pool';
import type { WebhookDeliveryState } from '../contract/webhooks';
import { keysetPage, type Page } from './paging';

/**
 * Outbound webhook endpoints and their deliveries (the outbox). Delivery rows of audit events
 * are written by the database itself, in the audit row's transaction (the trigger of migration
 * 1700000000060); the rest is here.
 */

export interface WebhookEndpointRow {
  id: string;
  tenantId: string;
  url: string;
  description: string;
  /** null: every action */
  eventTypes: string[] | null;
  enabled: boolean;
  disabledReason: string | null;
  secretSealed: string;
  previousSecretSealed: string | null;
  previousSecretExpiresAt: Date | null;
  failingSince: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

interface EndpointDbRow {
  id: string;
  tenant_id: string;
  url: string;
  description: string;
  event_types: string[] | null;
  enabled: boolean;
  disabled_reason: string | null;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_expires_at: Date | null;
  failing_since: Date | null;
  created_at: Date;
  updated_at: Date;
}

function toEndpoint(r: EndpointDbRow): WebhookEndpointRow {
  return {
    id: r.id, tenantId: r.tenant_id, url: r.url, description: r.description, eventTypes: r.event_types, enabled: r.enabled,
    disabledReason: r.disabled_reason, secretSealed: r.secret_sealed, previousSecretSealed: r.previous_secret_sealed,
    previousSecretExpiresAt: r.previous_secret_expires_at, failingSince: r.failing_since, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

export async function insertWebhookEndpoint(
  q: Queryable,
  e: { id: string; tenantId: string; url: string; description: string; eventTypes: string[] | null; enabled: boolean; secretSealed: string; now: Date },
): Promise<WebhookEndpointRow> {
  const res = await q.query<EndpointDbRow>(
    `INSERT INTO webhook_endpoints (id, tenant_id, url, description, event_types, enabled, secret_sealed, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING *`,
    [e.id, e.tenantId, e.url, e.description, e.eventTypes, e.enabled, e.secretSealed, e.now],
  );
  return toEndpoint(res.rows[0]!);
}

export async function listWebhookEndpoints(q: Queryable, tenantId: string): Promise<WebhookEndpointRow[]> {
  const res = await q.query<EndpointDbRow>('SELECT * FROM webhook_endpoints WHERE tenant_id = $1 ORDER BY created_at, id', [tenantId]);
  return res.rows.map(toEndpoint);
}

export async function getWebhookEndpoint(q: Queryable, tenantId: string, id: string, o: { forUpdate?: boolean } = {}): Promise<WebhookEndpointRow | undefined> {
  const res = await q.query<EndpointDbRow>(
    `SELECT * FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2${o.forUpdate ? ' FOR UPDATE' : ''}`,
    [tenantId, id],
  );
  return res.rows[0] ? toEndpoint(res.rows[0]) : undefined;
}

export async function updateWebhookEndpoint(
  q: Queryable,
  e: { tenantId: string; id: string; url: string; description: string; eventTypes: string[] | null; enabled: boolean; now: Date },
): Promise<WebhookEndpointRow | undefined> {
  const res = await q.query<EndpointDbRow>(
    `UPDATE webhook_endpoints
        SET url = $3, description = $4, event_types = $5, enabled = $6, updated_at = $7,
            disabled_reason = CASE WHEN $6 THEN NULL ELSE disabled_reason END,
            failing_since = CASE WHEN $6 AND NOT enabled THEN NULL ELSE failing_since END
      WHERE tenant_id = $1 AND id = $2 RETURNING *`,
    [e.tenantId, e.id, e.url, e.description, e.eventTypes, e.enabled, e.now],
  );
  return res.rows[0] ? toEndpoint(res.rows[0]) : undefined;
}

export async function deleteWebhookEndpoint(q: Queryable, tenantId: string, id: string): Promise<WebhookEndpointRow | undefined> {
  const res = await q.query<EndpointDbRow>('DELETE FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2 RETURNING *', [tenantId, id]);
  return res.rows[0] ? toEndpoint(res.rows[0]) : undefined;
}

/** The new secret signs; the current one keeps signing until `previousExpiresAt`. */
export async function rotateWebhookSecret(
  q: Queryable,
  e: { tenantId: string; id: string; secretSealed: string; previousExpiresAt: Date; now: Date },
): Promise<boolean> {
  const res = await q.query(
    `UPDATE webhook_endpoints
        SET previous_secret_sealed = secret_sealed, previous_secret_expires_at = $4, secret_sealed = $3, updated_at = $5
      WHERE tenant_id = $1 AND id = $2`,
    [e.tenantId, e.id, e.secretSealed, e.previousExpiresAt, e.now],
  );
  return res.rowCount === 1;
}

/** Disable (410 Gone, or failing for too long). Returns false when it was disabled already. */
export async function disableWebhookEndpoint(q: Queryable, e: { id: string; reason: string; now: Date }): Promise<boolean> {
  const res = await q.query(
    `UPDATE webhook_endpoints SET enabled = false, disabled_reason = $2, updated_at = $3 WHERE id = $1 AND enabled`,
    [e.id, e.reason, e.now],
  );
  return res.rowCount === 1;
}

/** An attempt's effect on the endpoint's failure streak; the time of the streak's first failure after it. */
export async function recordEndpointOutcome(q: Queryable, e: { id: string; failed: boolean; now: Date }): Promise<Date | null> {
  const res = await q.query<{ failing_since: Date | null }>(
    `UPDATE webhook_endpoints
        SET failing_since = CASE WHEN $2 THEN coalesce(failing_since, $3) ELSE NULL END
      WHERE id = $1 RETURNING failing_since`,
    [e.id, e.failed, e.now],
  );
  return res.rows[0]?.failing_since ?? null;
}

// ---------------------------------------------------------------- deliveries

export interface WebhookDeliveryRow {
  seq: number;
  id: string;
  tenantId: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  payload: unknown;
  state: WebhookDeliveryState;
  attempts: number;
  lastAttemptAt: Date | null;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
  generation: number;
  createdAt: Date;
}

interface DeliveryDbRow {
  seq: string;
  id: string;
  tenant_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  payload: unknown;
  state: WebhookDeliveryState;
  attempts: number;
  last_attempt_at: Date | null;
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: Date | null;
  generation: number;
  created_at: Date;
}

function toDelivery(r: DeliveryDbRow): WebhookDeliveryRow {
  return {
    seq: Number(r.seq), id: r.id, tenantId: r.tenant_id, endpointId: r.endpoint_id, eventId: r.event_id, eventType: r.event_type,
    payload: r.payload, state: r.state, attempts: r.attempts, lastAttemptAt: r.last_attempt_at, lastStatus: r.last_status,
    lastError: r.last_error, nextAttemptAt: r.next_attempt_at, generation: r.generation, createdAt: r.created_at,
  };
}

/** A delivery of an event that is not an audit row (webhook.test): its body is stored with it. */
export async function insertPayloadDelivery(
  q: Queryable,
  d: { id: string; tenantId: string; endpointId: string; eventId: string; eventType: string; payload: unknown; now: Date },
): Promise<void> {
  await q.query(
    `INSERT INTO webhook_deliveries (id, tenant_id, endpoint_id, event_id, event_type, payload, created_at, next_attempt_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
    [d.id, d.tenantId, d.endpointId, d.eventId, d.eventType, JSON.stringify(d.payload), d.now],
  );
  await notifyDispatcher(q);
}

/** Wake the worker's dispatcher when the transaction commits. */
async function notifyDispatcher(q: Queryable): Promise<void> {
  await q.query(`SELECT pg_notify('webhook_deliveries', '')`);
}

export async function getWebhookDelivery(q: Queryable, id: string): Promise<WebhookDeliveryRow | undefined> {
  const res = await q.query<DeliveryDbRow>('SELECT * FROM webhook_deliveries WHERE id = $1', [id]);
  return res.rows[0] ? toDelivery(res.rows[0]) : undefined;
}

/** Newest first; `beforeSeq` continues a page. */
export async function listWebhookDeliveries(
  q: Queryable,
  f: { tenantId: string; endpointId: string; state?: WebhookDeliveryState | undefined; limit: number; beforeSeq?: number | undefined },
): Promise<Page<WebhookDeliveryRow, number>> {
  const res = await q.query<DeliveryDbRow>(
    `SELECT * FROM webhook_deliveries
      WHERE tenant_id = $1 AND endpoint_id = $2 AND ($3::text IS NULL OR state = $3) AND ($4::bigint IS NULL OR seq < $4)
      ORDER BY seq DESC LIMIT $5`,
    [f.tenantId, f.endpointId, f.state ?? null, f.beforeSeq ?? null, f.limit + 1],
  );
  return keysetPage(res.rows, f.limit, toDelivery, (r) => Number(r.seq));
}

/** A failed delivery goes again: a new generation, a new workflow. Returns false unless it was failed. */
export async function retryWebhookDelivery(q: Queryable, d: { tenantId: string; endpointId: string; id: string; now: Date }): Promise<'retried' | 'not_failed' | 'not_found'> {
  const res = await q.query<{ state: string }>(
    `UPDATE webhook_deliveries
        SET state = CASE WHEN state = 'failed' THEN 'pending' ELSE state END,
            generation = CASE WHEN state = 'failed' THEN generation + 1 ELSE generation END,
            generation_base = CASE WHEN state = 'failed' THEN attempts ELSE generation_base END,
            dispatched = CASE WHEN state = 'failed' THEN false ELSE dispatched END,
            next_attempt_at = CASE WHEN state = 'failed' THEN $4 ELSE next_attempt_at END
      WHERE tenant_id = $1 AND endpoint_id = $2 AND id = $3
      RETURNING (SELECT state FROM webhook_deliveries WHERE id = $3) AS state`,
    [d.tenantId, d.endpointId, d.id, d.now],
  );
  if (res.rowCount !== 1) return 'not_found';
  if (res.rows[0]!.state !== 'failed') return 'not_failed';
  await notifyDispatcher(q);
  return 'retried';
}

/** Deliveries no workflow was started for yet, oldest first, locked for this dispatcher (SKIP LOCKED). */
export async function claimUndispatched(
  q: Queryable,
  o: { limit: number; tenantIds?: readonly string[] | undefined },
): Promise<WebhookDeliveryRow[]> {
  const res = await q.query<DeliveryDbRow>(
    `SELECT * FROM webhook_deliveries
      WHERE NOT dispatched AND ($2::text[] IS NULL OR tenant_id = ANY ($2))
      ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [o.limit, o.tenantIds ?? null],
  );
  return res.rows.map(toDelivery);
}

export async function markDispatched(q: Queryable, ids: readonly { id: string; generation: number }[]): Promise<void> {
  if (ids.length === 0) return;
  await q.query(
    `UPDATE webhook_deliveries d SET dispatched = true
       FROM unnest($1::uuid[], $2::int[]) AS x (id, generation)
      WHERE d.id = x.id AND d.generation = x.generation`,
    [ids.map((i) => i.id), ids.map((i) => i.generation)],
  );
}

/**
 * One attempt's outcome, written only while the delivery is pending in this generation (a stale
 * attempt writes nothing). `attempt` counts within the generation; `attempts` counts them all.
 */
export async function recordDeliveryAttempt(
  q: Queryable,
  a: {
    id: string; generation: number; attempt: number; state: WebhookDeliveryState; status: number | null; error: string | null;
    now: Date; nextAttemptAt: Date | null;
  },
): Promise<boolean> {
  const res = await q.query(
    `UPDATE webhook_deliveries
        SET state = $3, attempts = greatest(attempts, generation_base + $4), last_attempt_at = $5, last_status = $6, last_error = $7, next_attempt_at = $8
      WHERE id = $1 AND generation = $2 AND state = 'pending'`,
    [a.id, a.generation, a.state, a.attempt, a.now, a.status, a.error, a.nextAttemptAt],
  );
  return res.rowCount === 1;
}

/** Pending deliveries of an endpoint that was disabled end failed (a manual retry can send them again). */
export async function failPendingDeliveries(q: Queryable, e: { endpointId: string; reason: string; now: Date }): Promise<number> {
  const res = await q.query(
    `UPDATE webhook_deliveries SET state = 'failed', last_error = $2, next_attempt_at = NULL
      WHERE endpoint_id = $1 AND state = 'pending'`,
    [e.endpointId, e.reason],
  );
  return res.rowCount ?? 0;
}

/** Seconds since the oldest pending delivery was created (0 when none). */
export async function oldestPendingDeliveryAgeSeconds(q: Queryable, now: Date): Promise<number> {
  const res = await q.query<{ oldest: Date | null }>(`SELECT min(created_at) AS oldest FROM webhook_deliveries WHERE state = 'pending'`);
  const oldest = res.rows[0]?.oldest;
  return oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0;
}
