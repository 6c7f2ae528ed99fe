import { proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { WebhookAttemptOutcome, WebhookDeliveryInput } from '../contract/webhooks';
import { expectInput, is, type Check } from './guards';

/** Up to this share of a wait is added at random (src/contract/webhooks.ts: RETRY_JITTER). */
const JITTER = 0.2;

const attempts = proxyActivities<Activities>({
  // above the attempt's own 10 s bound (DNS, connect, answer) plus the database writes; a worker
  // killed mid-attempt is noticed when it runs out, and the attempt made again
  startToCloseTimeout: '30 seconds',
  // only the database failing makes an attempt throw: retried until it answers
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const schedule: Check = (v) => Array.isArray(v) && v.length <= 100 && v.every((s) => typeof s === 'number' && s >= 0 && Number.isFinite(s));

/**
 * One delivery of one event to one endpoint (workflow id `webhook-delivery-<deliveryId>`):
 * an attempt, then a wait from the schedule lengthened by up to 20 % at random (the
 * workflow's seeded Math.random: deterministic on replay), then the next, until one
 * succeeds, the endpoint answers 410 (disabled), or the schedule is spent (`failed`).
 * Each delivery is its own workflow, so a slow or dead endpoint delays only its own
 * deliveries; its history holds ids, statuses and timers, never the URL, body or secret.
 */
export async function webhookDeliveryWorkflow(rawInput: WebhookDeliveryInput): Promise<WebhookAttemptOutcome['result']> {
  const input = expectInput(rawInput, {
    tenantId: is.tenantId, endpointId: is.uuid, deliveryId: is.uuid, eventType: is.string, generation: is.count, retryScheduleSeconds: schedule,
  });
  for (let attempt = 1; ; attempt++) {
    const wait = input.retryScheduleSeconds[attempt - 1];
    const nextDelayMs = wait === undefined ? null : Math.round(wait * 1000 * (1 + Math.random() * JITTER));
    const outcome = await attempts.attemptWebhookDelivery({ deliveryId: input.deliveryId, generation: input.generation, attempt, nextDelayMs });
    if (outcome.result !== 'retry' || nextDelayMs === null) return outcome.result;
    await sleep(nextDelayMs);
  }
}
