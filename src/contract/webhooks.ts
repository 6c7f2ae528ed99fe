/**
 * Outbound webhooks (api.md, "Outbound webhooks"): the vocabulary every layer shares, and the
 * delivery workflow's input. Ids and numbers only cross Temporal: no URL, secret or body.
 */
import { z } from 'zod';
import { uuidSchema, tenantIdSchema } from './ids';

export const WEBHOOK_DELIVERY_STATES = ['pending', 'succeeded', 'failed'] as const;
export type WebhookDeliveryState = (typeof WEBHOOK_DELIVERY_STATES)[number];

/** The event type of `POST …/webhook-endpoints/{id}/test`, which is not an audit action. */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

/** What an endpoint may subscribe to: the audit actions, and the test event (always delivered to its endpoint). */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** The sealing context of an endpoint's secrets: a sealed secret opens for its own endpoint only. */
export const webhookSecretContext = (tenantId: string, endpointId: string) => `webhook-secret:${tenantId}:${endpointId}`;

/** How long the previous secret keeps signing after a rotation (api.md: 24 h). */
export const PREVIOUS_SECRET_TTL_MS = 24 * 3600 * 1000;

/**
 * The default retry schedule, seconds between one attempt and the next (the Standard
 * Webhooks / Svix schedule): after the first attempt, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
 * 10 h, 10 h — about 37.5 h in all, more than the 24 h api.md asks for even before jitter
 * (which only lengthens a wait, by up to 20 %). WEBHOOK_RETRY_SCHEDULE_SECONDS replaces it.
 */
export const DEFAULT_RETRY_SCHEDULE_SECONDS = [5, 300, 1800, 7200, 18000, 36000, 36000, 36000];

/** Up to this share of a wait is added at random (deterministically, in the workflow). */
export const RETRY_JITTER = 0.2;

/** The delivery workflow's input: ids, the attempt plan, nothing secret. */
export const webhookDeliveryInputSchema = z.object({
  tenantId: tenantIdSchema,
  endpointId: uuidSchema,
  deliveryId: uuidSchema,
  eventType: z.string().min(1).max(100),
  /** bumped by each manual retry; an attempt of an older generation changes nothing */
  generation: z.number().int().min(0),
  /** waits between attempts, seconds; one more attempt than entries */
  retryScheduleSeconds: z.array(z.number().min(0).max(30 * 24 * 3600)).max(100),
}).strict();
export type WebhookDeliveryInput = z.infer<typeof webhookDeliveryInputSchema>;

/** What one attempt decided: `retry` means wait and try again (when the schedule has room). */
export type WebhookAttemptOutcome =
  | { result: 'succeeded'; status: number }
  | { result: 'retry'; status?: number }
  | { result: 'failed'; status?: number }
  /** the delivery is no longer this generation's to make (retried, already done, endpoint deleted or disabled) */
  | { result: 'stale' };

/** Attempt outcomes as the metric counts them. */
export const WEBHOOK_ATTEMPT_OUTCOMES = ['succeeded', 'http_error', 'gone', 'timeout', 'network_error', 'forbidden_address', 'redirect'] as const;
export type WebhookAttemptMetricOutcome = (typeof WEBHOOK_ATTEMPT_OUTCOMES)[number];
