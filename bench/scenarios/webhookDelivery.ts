import { randomBytes, randomUUID } from 'node:crypto';
import { DEFAULT_TENANT_SETTINGS } from '../../src/domain/tenantSettings';
import { sendWebhook } from '../../src/security/webhookSender';
import { insertTenant } from '../../src/store/tenants';
import { WebhookReceiver } from '../../test/support/webhookReceiver';
import type { Row, Scenario } from '../scenario';

/**
 * Issue 20's benchmark: N audit events (default 10,000) of a tenant with two webhook endpoints,
 * one answering 200 and one 503 for the first minute, delivered through the outbox, the worker's
 * dispatcher and one workflow per delivery. Reported: events delivered per second to the healthy
 * endpoint, against (a) a floor of the same signed POSTs sent by a plain loop (8 in flight, the
 * worker's activity slots) and (b) the same N events to two healthy endpoints, measured in the
 * same run (the same number of deliveries: what the failure itself costs the healthy endpoint), and (c) every
 * delivery of (b) against no-op workflows of one activity on the same Temporal server (what Temporal allows):
 * the failing endpoint must not slow the healthy one by more than 10 %. And the worker's peak RSS.
 */
export const webhookDelivery: Scenario = {
  name: 'webhook-delivery',
  summary: 'N audit events to 2 webhook endpoints (one 503 for the first minute) vs a plain loop of signed POSTs, and vs the same beside a second healthy endpoint',
  flags: { events: 'audit events (default 10000; --quick 1000)', 'fail-seconds': 'how long the failing endpoint answers 503 (default 60; --quick 15)' },
  inDefaultRun: false,
  async run(ctx) {
    const n = ctx.numberFlag('events', ctx.quick ? 1000 : 10_000);
    const failMs = ctx.numberFlag('fail-seconds', ctx.quick ? 15 : 60) * 1000;
    const infra = await ctx.infra();
    // the default schedule's first waits (5 s, then minutes), shortened after the first so a run ends: a receiver
    // failing for a minute costs each delivery 2 or 3 failed attempts, as it would in production
    const webhookEnv = { WEBHOOK_ALLOW_LOOPBACK: 'true', WEBHOOK_RETRY_SCHEDULE_SECONDS: '5,60,300,1800', WEBHOOK_DISPATCH_INTERVAL_MS: '1000' };
    const services = await ctx.services({ api: webhookEnv, worker: webhookEnv });
    const admin = async (path: string, body: unknown) => {
      const res = await fetch(services.baseUrl + path, { method: 'POST', headers: { authorization: `Bearer ${services.adminKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as { id: string; secret: string };
    };
    const healthy = new WebhookReceiver();
    const failing = new WebhookReceiver();
    const floorRx = new WebhookReceiver();
    await Promise.all([healthy.listen(0), failing.listen(0), floorRx.listen(0)]);
    try {
      // (1) the floor: N signed POSTs by a plain loop, 8 in flight
      const secret = 'whsec_' + randomBytes(32).toString('base64');
      const body = JSON.stringify({ type: 'user.updated', timestamp: new Date().toISOString(), data: { id: randomUUID(), action: 'user.updated', data: { before: {}, after: {} } } });
      let next = 0;
      const f0 = performance.now();
      await Promise.all(Array.from({ length: 8 }, async () => {
        while (next < n) {
          next += 1;
          await sendWebhook({ url: floorRx.url, id: randomUUID(), body, secrets: [secret], policy: { allowLoopback: true }, now: new Date() });
        }
      }));
      const floorS = (performance.now() - f0) / 1000;
      ctx.log(`  floor: ${n} signed POSTs in ${floorS.toFixed(1)} s`);

      /** N events of a fresh tenant with endpoints at `urls`; seconds until the healthy receiver (and the other) has them all. */
      const round = async (label: string, urls: string[], other: WebhookReceiver): Promise<{ healthyS: number; allS: number }> => {
        const tenant = `w${randomBytes(6).toString('hex')}`;
        await insertTenant(infra.pool, { id: tenant, name: `Webhooks ${label}`, settings: DEFAULT_TENANT_SETTINGS });
        for (const url of urls) await admin(`/admin/tenants/${tenant}/webhook-endpoints`, { url, eventTypes: ['user.updated'] });
        const seen = (rx: WebhookReceiver) => new Set(rx.received.filter((r) => r.status === 200 && r.json?.data?.tenantId === tenant).map((r) => r.headers['webhook-id'])).size;
        const t0 = performance.now();
        for (let i = 0; i < n; i += 1000) {
          // audit rows as the services write them; the outbox trigger adds their deliveries in the same statement
          await infra.pool.query(
            `INSERT INTO audit_events (id, tenant_id, user_id, occurred_at, action, actor, data, idempotency_key)
             SELECT gen_random_uuid(), $1, NULL, now(), 'user.updated', '{"type":"admin","id":"bench"}', '{"before":{},"after":{"displayName":"x"}}', $1 || ':' || g
               FROM generate_series($2::int, $3::int) AS g`,
            [tenant, i, Math.min(n, i + 1000) - 1],
          );
        }
        let healthyS = 0;
        const deadline = Date.now() + 3_600_000;
        for (;;) {
          const h = seen(healthy);
          if (!healthyS && h >= n) healthyS = (performance.now() - t0) / 1000;
          if (healthyS && seen(other) >= n) break;
          if (Date.now() > deadline) throw new Error(`${label}: only ${h} of ${n} delivered`);
          await new Promise((r) => setTimeout(r, 200));
        }
        return { healthyS, allS: (performance.now() - t0) / 1000 };
      };

      ctx.log(`  two healthy endpoints: ${n} events…`);
      const second = new WebhookReceiver();
      await second.listen(0);
      services.resetPeakRss();
      const alone = await round('two healthy', [healthy.url, second.url], second).finally(() => second.close());
      ctx.log(`  ${n} events delivered to the first in ${alone.healthyS.toFixed(1)} s`);

      ctx.log(`  two endpoints, one answering 503 for ${failMs / 1000} s: ${n} events…`);
      const failUntil = Date.now() + failMs;
      failing.respond = () => (Date.now() < failUntil ? 503 : 200);
      services.resetPeakRss();
      const both = await round('one failing', [healthy.url, failing.url], failing);
      const rss = services.peakRss();
      ctx.log(`  healthy endpoint: ${both.healthyS.toFixed(1)} s; the failing one had all ${n} after ${both.allS.toFixed(1)} s; worker peak RSS ${rss.worker} MiB`);

      // (c) Temporal's own floor on this machine: no-op workflows with one activity, 16 in flight (the shape of a
      // delivery that succeeds at once), against every delivery of the two-healthy round
      const noop = await ctx.floors.noopWorkflow(16);
      const deliveriesRate = (2 * n) / alone.allS;

      const aloneRate = n / alone.healthyS;
      const bothRate = n / both.healthyS;
      const floor = n / floorS;
      const common = { unit: 'events/s', p50Ms: null, p95Ms: null, p99Ms: null, count: n, errors: 0 } as const;
      const rows: Row[] = [
        {
          ...common,
          name: `webhooks: ${n} events to each of two healthy endpoints (outbox, dispatcher, a workflow per delivery)`,
          throughput: Number(aloneRate.toFixed(1)), floor: Number(floor.toFixed(1)), ratio: Number((aloneRate / floor).toFixed(3)), target: null,
          peakRssMb: null, floorNote: 'the same signed POSTs (standardwebhooks, SSRF check) from a plain loop, 8 in flight',
        },
        {
          ...common,
          name: `webhooks: every delivery of the two-healthy round (${2 * n} deliveries), against no-op workflows of one activity`,
          throughput: Number(deliveriesRate.toFixed(1)), floor: Number(noop.throughput.toFixed(1)), ratio: Number((deliveriesRate / noop.throughput).toFixed(3)), target: null,
          peakRssMb: null, floorNote: 'no-op workflows with one activity, 16 in flight, on the same Temporal server (a worker process of their own)',
        },
        {
          ...common,
          name: `webhooks: the healthy endpoint while another answers 503 for ${failMs / 1000} s (${n} events each; the failing one complete after ${both.allS.toFixed(0)} s)`,
          throughput: Number(bothRate.toFixed(1)), floor: Number(aloneRate.toFixed(1)), ratio: Number((bothRate / aloneRate).toFixed(3)), target: 0.9,
          peakRssMb: rss.worker, peakRssMbByProcess: { api: rss.api, worker: rss.worker },
          floorNote: 'the same endpoint beside a second healthy one, same run',
        },
      ];
      return rows;
    } finally {
      await Promise.all([healthy.close(), failing.close(), floorRx.close()]);
    }
  },
};
