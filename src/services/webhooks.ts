import { randomUUID } from 'node:crypto';
import { AUDIT_ACTIONS, type AuditAction } from '../contract/audit';
import type { Actor } from '../contract/vocabulary';
import { PREVIOUS_SECRET_TTL_MS, WEBHOOK_TEST_EVENT, webhookSecretContext, type WebhookDeliveryState } from '../contract/webhooks';
import { inTransaction } from '../db/pool';
import { newWebhookSecret } from '../security/webhookSender';
import { checkWebhookUrl, type Resolver } from '../security/webhookUrl';
import { insertAuditEvent } from '../store/audit';
import type { Page } from '../store/paging';
import {
  deleteWebhookEndpoint as deleteStoredEndpoint,
  getWebhookEndpoint as getStoredEndpoint,
  insertPayloadDelivery,
  insertWebhookEndpoint,
  listWebhookDeliveries as listStoredDeliveries,
  listWebhookEndpoints as listStoredEndpoints,
  oldestPendingDeliveryAgeSeconds,
  retryWebhookDelivery as retryStoredDelivery,
  rotateWebhookSecret as rotateStoredSecret,
  updateWebhookEndpoint as updateStoredEndpoint,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
} from '../store/webhooks';
import type { ServiceDeps } from './deps';
import { notFound, type NotFound, type Refused, type WebhookUrlForbidden } from './failures';

/**
 * Outbound webhook endpoints (api.md, "Outbound webhooks"): create (the secret shown once,
 * stored sealed), read, change, delete, rotate the secret, send a test event, list and retry
 * deliveries. Deliveries of audit events are written by the database in the audit row's
 * transaction and sent by the worker (src/temporal/webhookDispatcher.ts, the
 * webhookDeliveryWorkflow); nothing here talks to Temporal.
 */

/** How the API checks webhook URLs (config: WEBHOOK_ALLOW_LOOPBACK). */
export interface WebhookServiceConfig {
  allowLoopback: boolean;
  /** how host names are resolved (tests inject one) */
  resolver?: Resolver | undefined;
}

type WebhookDeps = Pick<ServiceDeps, 'pool' | 'clock' | 'sealer' | 'webhooks'>;

/** An endpoint as the API shows it: never a secret. */
export interface WebhookEndpointView {
  id: string;
  url: string;
  description: string;
  /** the audit actions delivered; every action when the endpoint was created without a list */
  eventTypes: AuditAction[];
  /** true when no list was given: actions added to the catalogue later are delivered too */
  allEventTypes: boolean;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
  disabledReason?: string;
  /** while the previous secret still signs, after a rotation */
  previousSecretExpiresAt?: string;
}

export interface WebhookDeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  state: WebhookDeliveryState;
  attempts: number;
  lastAttemptAt?: string;
  lastStatus?: number;
  lastError?: string;
  nextAttemptAt?: string;
  createdAt: string;
  /** the workflow making (or that made) the delivery */
  workflowId: string;
}

function view(e: WebhookEndpointRow, now: Date): WebhookEndpointView {
  return {
    id: e.id, url: e.url, description: e.description,
    eventTypes: (e.eventTypes ?? AUDIT_ACTIONS) as AuditAction[], allEventTypes: e.eventTypes === null,
    enabled: e.enabled, createdAt: e.createdAt.toISOString(), updatedAt: e.updatedAt.toISOString(),
    ...(e.disabledReason ? { disabledReason: e.disabledReason } : {}),
    ...(e.previousSecretExpiresAt && e.previousSecretExpiresAt > now ? { previousSecretExpiresAt: e.previousSecretExpiresAt.toISOString() } : {}),
  };
}

export function deliveryView(d: WebhookDeliveryRow, workflowIdOf: (id: string, generation: number) => string): WebhookDeliveryView {
  return {
    id: d.id, eventId: d.eventId, eventType: d.eventType, state: d.state, attempts: d.attempts,
    ...(d.lastAttemptAt ? { lastAttemptAt: d.lastAttemptAt.toISOString() } : {}),
    ...(d.lastStatus !== null ? { lastStatus: d.lastStatus } : {}),
    ...(d.lastError ? { lastError: d.lastError } : {}),
    ...(d.nextAttemptAt && d.state === 'pending' ? { nextAttemptAt: d.nextAttemptAt.toISOString() } : {}),
    createdAt: d.createdAt.toISOString(),
    workflowId: workflowIdOf(d.id, d.generation),
  };
}

async function checkUrl(deps: WebhookDeps, url: string): Promise<WebhookUrlForbidden | undefined> {
  const verdict = await checkWebhookUrl(url, deps.webhooks);
  return verdict.ok ? undefined : { ok: false, code: 'webhook_url_forbidden', reason: verdict.reason };
}

/** `eventTypes` as stored: null for every action (the default). */
const storedTypes = (eventTypes: readonly AuditAction[] | undefined): string[] | null => (eventTypes === undefined ? null : [...new Set(eventTypes)]);

export async function createWebhookEndpoint(
  deps: WebhookDeps,
  p: { tenantId: string; actor: Actor; url: string; description?: string | undefined; eventTypes?: AuditAction[] | undefined; enabled?: boolean | undefined },
): Promise<{ ok: true; endpoint: WebhookEndpointView; secret: string } | WebhookUrlForbidden> {
  const forbidden = await checkUrl(deps, p.url);
  if (forbidden) return forbidden;
  const id = randomUUID();
  const secret = newWebhookSecret();
  const now = deps.clock();
  const row = await inTransaction(deps.pool, async (c) => {
    const row = await insertWebhookEndpoint(c, {
      id, tenantId: p.tenantId, url: p.url, description: p.description ?? '', eventTypes: storedTypes(p.eventTypes), enabled: p.enabled ?? true,
      secretSealed: deps.sealer.seal(secret, webhookSecretContext(p.tenantId, id)), now,
    });
    await insertAuditEvent(c, {
      idempotencyKey: `webhook-endpoint:${id}:created`, tenantId: p.tenantId, userId: null, action: 'webhook_endpoint.created',
      actor: p.actor, occurredAt: now, data: { endpointId: id, url: p.url },
    });
    return row;
  });
  return { ok: true, endpoint: view(row, now), secret };
}

export async function listWebhookEndpoints(deps: WebhookDeps, tenantId: string): Promise<WebhookEndpointView[]> {
  const now = deps.clock();
  return (await listStoredEndpoints(deps.pool, tenantId)).map((e) => view(e, now));
}

export async function getWebhookEndpoint(deps: WebhookDeps, tenantId: string, id: string): Promise<{ ok: true; endpoint: WebhookEndpointView } | NotFound> {
  const row = await getStoredEndpoint(deps.pool, tenantId, id);
  return row ? { ok: true, endpoint: view(row, deps.clock()) } : notFound('The webhook endpoint');
}

export async function updateWebhookEndpoint(
  deps: WebhookDeps,
  p: { tenantId: string; id: string; actor: Actor; url?: string | undefined; description?: string | undefined; eventTypes?: AuditAction[] | undefined; enabled?: boolean | undefined },
): Promise<{ ok: true; endpoint: WebhookEndpointView } | NotFound | WebhookUrlForbidden> {
  if (p.url !== undefined) {
    const forbidden = await checkUrl(deps, p.url);
    if (forbidden) return forbidden;
  }
  const now = deps.clock();
  return inTransaction(deps.pool, async (c) => {
    const current = await getStoredEndpoint(c, p.tenantId, p.id, { forUpdate: true });
    if (!current) return notFound('The webhook endpoint');
    const row = (await updateStoredEndpoint(c, {
      tenantId: p.tenantId, id: p.id, url: p.url ?? current.url, description: p.description ?? current.description,
      eventTypes: p.eventTypes === undefined ? current.eventTypes : storedTypes(p.eventTypes), enabled: p.enabled ?? current.enabled, now,
    }))!;
    await insertAuditEvent(c, {
      idempotencyKey: `api:${randomUUID()}`, tenantId: p.tenantId, userId: null, action: 'webhook_endpoint.updated',
      actor: p.actor, occurredAt: now, data: { endpointId: p.id, url: row.url },
    });
    return { ok: true as const, endpoint: view(row, now) };
  });
}

/** Delete the endpoint and its deliveries (their workflows find nothing to send and end). */
export async function deleteWebhookEndpoint(deps: WebhookDeps, p: { tenantId: string; id: string; actor: Actor }): Promise<{ ok: true } | NotFound> {
  const now = deps.clock();
  return inTransaction(deps.pool, async (c) => {
    const gone = await deleteStoredEndpoint(c, p.tenantId, p.id);
    if (!gone) return notFound('The webhook endpoint');
    await insertAuditEvent(c, {
      idempotencyKey: `webhook-endpoint:${p.id}:deleted`, tenantId: p.tenantId, userId: null, action: 'webhook_endpoint.deleted',
      actor: p.actor, occurredAt: now, data: { endpointId: p.id, url: gone.url },
    });
    return { ok: true as const };
  });
}

/** A new secret, shown once; the current one keeps signing for 24 h (both signatures are sent). */
export async function rotateWebhookSecret(deps: WebhookDeps, p: { tenantId: string; id: string; actor: Actor }): Promise<{ ok: true; secret: string; previousSecretExpiresAt: string } | NotFound> {
  const secret = newWebhookSecret();
  const now = deps.clock();
  const previousExpiresAt = new Date(now.getTime() + PREVIOUS_SECRET_TTL_MS);
  return inTransaction(deps.pool, async (c) => {
    const rotated = await rotateStoredSecret(c, {
      tenantId: p.tenantId, id: p.id, secretSealed: deps.sealer.seal(secret, webhookSecretContext(p.tenantId, p.id)), previousExpiresAt, now,
    });
    if (!rotated) return notFound('The webhook endpoint');
    const row = (await getStoredEndpoint(c, p.tenantId, p.id))!;
    await insertAuditEvent(c, {
      idempotencyKey: `api:${randomUUID()}`, tenantId: p.tenantId, userId: null, action: 'webhook_endpoint.updated',
      actor: p.actor, occurredAt: now, data: { endpointId: p.id, url: row.url, reason: 'secret rotated' },
    });
    return { ok: true as const, secret, previousSecretExpiresAt: previousExpiresAt.toISOString() };
  });
}

/** A `webhook.test` event to this endpoint alone (an endpoint that is disabled fails it at once: enable it first). */
export async function sendTestEvent(deps: WebhookDeps, p: { tenantId: string; id: string; actor: Actor }): Promise<{ ok: true; deliveryId: string; eventId: string } | NotFound> {
  const endpoint = await getStoredEndpoint(deps.pool, p.tenantId, p.id);
  if (!endpoint) return notFound('The webhook endpoint');
  const deliveryId = randomUUID();
  const eventId = randomUUID();
  const now = deps.clock();
  const payload = {
    type: WEBHOOK_TEST_EVENT,
    timestamp: now.toISOString(),
    data: { id: eventId, occurredAt: now.toISOString(), action: WEBHOOK_TEST_EVENT, tenantId: p.tenantId, userId: null, actor: p.actor, data: { endpointId: p.id } },
  };
  await insertPayloadDelivery(deps.pool, { id: deliveryId, tenantId: p.tenantId, endpointId: p.id, eventId, eventType: WEBHOOK_TEST_EVENT, payload, now });
  return { ok: true, deliveryId, eventId };
}

export async function listWebhookDeliveries(
  deps: WebhookDeps,
  f: { tenantId: string; endpointId: string; state?: WebhookDeliveryState | undefined; limit: number; beforeSeq?: number | undefined },
): Promise<{ ok: true; page: Page<WebhookDeliveryRow, number> } | NotFound> {
  if (!(await getStoredEndpoint(deps.pool, f.tenantId, f.endpointId))) return notFound('The webhook endpoint');
  return { ok: true, page: await listStoredDeliveries(deps.pool, f) };
}

/** A failed delivery is sent again (a new workflow, attempts from the start of the schedule). */
export async function retryWebhookDelivery(
  deps: WebhookDeps,
  p: { tenantId: string; endpointId: string; deliveryId: string },
): Promise<{ ok: true } | NotFound | Refused<'webhook_delivery_not_failed'>> {
  const r = await retryStoredDelivery(deps.pool, { tenantId: p.tenantId, endpointId: p.endpointId, id: p.deliveryId, now: deps.clock() });
  if (r === 'not_found') return notFound('The delivery');
  if (r === 'not_failed') return { ok: false, code: 'webhook_delivery_not_failed' };
  return { ok: true };
}

/** The backlog gauge of /metrics, read when it is scraped. */
export async function refreshWebhookGauges(deps: Pick<ServiceDeps, 'pool' | 'clock' | 'metrics'>): Promise<void> {
  deps.metrics.webhookOldestPendingAge(await oldestPendingDeliveryAgeSeconds(deps.pool, deps.clock()));
}
