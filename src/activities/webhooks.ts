import { z } from 'zod';
import { inTransaction } from '../db/pool';
import { webhookSecretContext, type WebhookAttemptMetricOutcome, type WebhookAttemptOutcome } from '../contract/webhooks';
import { uuidSchema } from '../contract/ids';
import { WEBHOOK_DELIVERY_ACTOR } from '../domain/actors';
import { sendWebhook, type SendResult } from '../security/webhookSender';
import type { Resolver } from '../security/webhookUrl';
import { getAuditEvent, insertAuditEvent } from '../store/audit';
import {
  disableWebhookEndpoint,
  failPendingDeliveries,
  getWebhookDelivery,
  getWebhookEndpoint,
  recordDeliveryAttempt,
  recordEndpointOutcome,
  type WebhookEndpointRow,
} from '../store/webhooks';
import { checkedInput } from './checkedInput';
import type { ActivityDeps } from './deps';

/** How the worker delivers webhooks (config: WEBHOOK_*). */
export interface WebhookDeliveryDeps {
  /** WEBHOOK_ALLOW_LOOPBACK */
  allowLoopback: boolean;
  /** an endpoint failing every attempt this long is disabled (api.md: 5 days) */
  disableAfterMs: number;
  /** per attempt (api.md: 10 s) */
  timeoutMs: number;
  /** how host names are resolved (tests inject one to re-bind a name) */
  resolver?: Resolver | undefined;
}

const attemptInputSchema = z.object({
  deliveryId: uuidSchema,
  generation: z.number().int().min(0),
  attempt: z.number().int().min(1),
  /** how long the workflow waits before the next attempt; null: this is the last one */
  nextDelayMs: z.number().int().min(0).nullable(),
}).strict();
export type WebhookAttemptInput = z.infer<typeof attemptInputSchema>;

/** The body api.md promises: `{ type, timestamp, data }`, the same bytes on every attempt. */
async function bodyOf(deps: ActivityDeps, d: { tenantId: string; eventId: string; payload: unknown }): Promise<string | undefined> {
  if (d.payload !== null && d.payload !== undefined) return JSON.stringify(d.payload);
  const event = await getAuditEvent(deps.pool, d.tenantId, d.eventId);
  if (!event) return undefined;
  return JSON.stringify({ type: event.action, timestamp: event.occurredAt, data: event });
}

function secretsOf(deps: ActivityDeps, e: WebhookEndpointRow, now: Date): string[] {
  const context = webhookSecretContext(e.tenantId, e.id);
  const secrets = [deps.sealer.unseal(e.secretSealed, context)];
  if (e.previousSecretSealed && e.previousSecretExpiresAt && e.previousSecretExpiresAt > now) secrets.push(deps.sealer.unseal(e.previousSecretSealed, context));
  return secrets;
}

function metricOutcome(r: SendResult): WebhookAttemptMetricOutcome {
  if (r.kind !== 'answered') return r.kind;
  if (r.status >= 200 && r.status < 300) return 'succeeded';
  if (r.status === 410) return 'gone';
  if (r.status >= 300 && r.status < 400) return 'redirect';
  return 'http_error';
}

function errorOf(r: SendResult): string | null {
  switch (r.kind) {
    case 'answered':
      return r.status >= 200 && r.status < 300 ? null : r.status >= 300 && r.status < 400 ? `redirect (${r.status}) not followed` : `HTTP ${r.status}`;
    case 'forbidden_address':
      return `refused: ${r.detail}`;
    case 'timeout':
      return 'timed out';
    case 'network_error':
      return `network error: ${r.detail}`;
  }
}

export function webhookActivities(deps: ActivityDeps) {
  const w = deps.webhooks;
  return {
    /**
     * One attempt of one delivery. Reads the delivery, its endpoint and the event; signs with
     * the endpoint's secret (and the previous one during a rotation); POSTs (SSRF-checked,
     * 10 s, no redirects, bounded answer); then records the outcome in one transaction,
     * disabling the endpoint on 410 or after `disableAfterMs` of failures (audited). A retried
     * attempt may POST again (at least once: receivers deduplicate on webhook-id); the record
     * is written only while the delivery is pending in this generation.
     */
    async attemptWebhookDelivery(raw: WebhookAttemptInput): Promise<WebhookAttemptOutcome> {
      const input = checkedInput(attemptInputSchema, raw);
      const delivery = await getWebhookDelivery(deps.pool, input.deliveryId);
      if (!delivery || delivery.generation !== input.generation || delivery.state !== 'pending') return { result: 'stale' };
      const endpoint = await getWebhookEndpoint(deps.pool, delivery.tenantId, delivery.endpointId);
      if (!endpoint) return { result: 'stale' };
      const now = deps.clock();
      if (!endpoint.enabled) {
        await recordDeliveryAttempt(deps.pool, {
          id: delivery.id, generation: delivery.generation, attempt: 0, state: 'failed', status: null,
          error: `endpoint disabled${endpoint.disabledReason ? `: ${endpoint.disabledReason}` : ''}`, now, nextAttemptAt: null,
        });
        return { result: 'failed' };
      }
      const body = await bodyOf(deps, delivery);
      if (body === undefined) {
        await recordDeliveryAttempt(deps.pool, { id: delivery.id, generation: delivery.generation, attempt: input.attempt, state: 'failed', status: null, error: 'the event is gone', now, nextAttemptAt: null });
        return { result: 'failed' };
      }
      const sent = await sendWebhook({
        url: endpoint.url, id: delivery.eventId, body, secrets: secretsOf(deps, endpoint, now), now,
        policy: { allowLoopback: w.allowLoopback, ...(w.resolver ? { resolver: w.resolver } : {}) }, timeoutMs: w.timeoutMs,
      });
      const done = deps.clock();
      const outcome = metricOutcome(sent);
      const status = sent.kind === 'answered' ? sent.status : null;
      const succeeded = outcome === 'succeeded';
      const gone = outcome === 'gone';
      const last = input.nextDelayMs === null;
      const state = succeeded ? 'succeeded' : gone || last ? 'failed' : 'pending';
      const recorded = await inTransaction(deps.pool, async (c) => {
        const ok = await recordDeliveryAttempt(c, {
          id: delivery.id, generation: delivery.generation, attempt: input.attempt, state, status, error: errorOf(sent), now: done,
          nextAttemptAt: state === 'pending' ? new Date(done.getTime() + input.nextDelayMs!) : null,
        });
        if (!ok) return false;
        const failingSince = await recordEndpointOutcome(c, { id: endpoint.id, failed: !succeeded, now: done });
        const reason = gone ? 'gone: the endpoint answered 410' : failingSince && done.getTime() - failingSince.getTime() >= w.disableAfterMs ? 'failing: every delivery failed for 5 days' : undefined;
        if (reason && (await disableWebhookEndpoint(c, { id: endpoint.id, reason, now: done }))) {
          await failPendingDeliveries(c, { endpointId: endpoint.id, reason: `endpoint disabled: ${reason}`, now: done });
          await insertAuditEvent(c, {
            idempotencyKey: `webhook-endpoint:${endpoint.id}:disabled:${delivery.id}:${delivery.generation}:${input.attempt}`,
            tenantId: endpoint.tenantId, userId: null, actor: WEBHOOK_DELIVERY_ACTOR, occurredAt: done,
            action: 'webhook_endpoint.disabled', data: { endpointId: endpoint.id, url: endpoint.url, reason: reason.slice(0, 200) },
          });
        }
        return true;
      });
      if (!recorded) return { result: 'stale' };
      deps.metrics.webhookAttempt(outcome);
      if (succeeded) return { result: 'succeeded', status: status! };
      if (state === 'failed') return { result: 'failed', ...(status !== null ? { status } : {}) };
      return { result: 'retry', ...(status !== null ? { status } : {}) };
    },
  };
}
