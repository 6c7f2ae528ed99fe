import { Webhook } from 'standardwebhooks';
import { WebhookReceiver } from '../../support/webhookReceiver';
import { eventually, type Processes } from '../support/harness';
import { scenario, type Ctx } from '../support/scenario';
import { seconds } from '../support/summary';

const PASSWORD = 'copper-lantern-willow-52';
const BEFORE = 12;
const WHILE_DOWN = 4;

/**
 * Issue 20: outbound webhooks survive a worker SIGKILLed mid-delivery and a Temporal restart.
 * The receiver holds its first requests unanswered (attempts in flight in the workers); both
 * workers are SIGKILLed; Temporal is stopped, events are written while it is down (their outbox
 * rows wait for the dispatcher), and it is started again. Every event must reach the receiver,
 * signed, and every delivery end `succeeded`.
 */
export function webhookDelivery(ctx: Ctx): void {
  scenario(ctx, 'Outbound webhooks: workers SIGKILLed mid-delivery, Temporal restarted, events written while it is down', (run) => {
    const rx = new WebhookReceiver();
    const out = {} as {
      secret: string;
      endpointId: string;
      tenant: string;
      eventIds: string[];
      held: number;
      deliveries: any[];
      killAt: number;
      doneAt: number;
      processesBefore: Processes;
      processesAfter: Processes;
    };
    afterAll(() => rx.close());

    beforeAll(async () => {
      const { chaos, api1, api2, admin, tenant } = await run.setUp();
      out.tenant = tenant;
      await rx.listen(0);
      // the first requests are held: never answered, so their attempts are in flight when the workers die
      rx.respond = () => 'hold';
      const created = await api1.call('POST', `/admin/tenants/${tenant}/webhook-endpoints`, { ...admin, body: { url: rx.url, eventTypes: ['user.updated'] } });
      if (created.status !== 201) throw new Error(`endpoint: ${created.status} ${created.text}`);
      out.secret = created.body.secret;
      out.endpointId = created.body.id;
      const users = Object.values(await run.users(tenant, PASSWORD, Array.from({ length: BEFORE + WHILE_DOWN }, (_, i) => `u${i}`)));
      const rename = async (u: { id: string }, i: number) => {
        const r = await api2.call('PATCH', `/admin/tenants/${tenant}/users/${u.id}`, { ...admin, body: { displayName: `Webhook ${i}` } });
        if (r.status !== 200) throw new Error(`rename: ${r.status} ${r.text}`);
      };
      for (let i = 0; i < BEFORE; i++) await rename(users[i]!, i);
      await eventually(async () => (rx.heldCount >= 4 ? true : undefined), 'attempts in flight at the receiver', 30_000, 100);
      out.held = rx.heldCount;
      out.processesBefore = chaos.processes();
      out.killAt = Date.now();
      for (const w of chaos.workers) w.signal('SIGKILL');
      await chaos.cluster.temporal.stop();
      // written while Temporal is down: the audit rows and their outbox rows commit; nothing can start yet
      for (let i = BEFORE; i < BEFORE + WHILE_DOWN; i++) await rename(users[i]!, i);
      await chaos.cluster.temporal.start();
      rx.respond = () => 200;
      rx.dropHeld();
      out.deliveries = await eventually(async () => {
        const r = await api1.call('GET', `/admin/tenants/${tenant}/webhook-endpoints/${out.endpointId}/deliveries?limit=200`, admin);
        const items = r.body?.items as any[] | undefined;
        return items && items.length === BEFORE + WHILE_DOWN && items.every((d) => d.state === 'succeeded') ? items : undefined;
      }, 'every delivery succeeded', 180_000, 500);
      out.doneAt = Date.now();
      out.processesAfter = chaos.processes();
      const audit = await api1.call('GET', `/admin/tenants/${tenant}/audit-events?action=user.updated&limit=200`, admin);
      out.eventIds = (audit.body.items as any[]).map((e) => e.id);
      chaos.summary.timing('webhooks: every delivery succeeded after SIGKILL of both workers and a Temporal restart', seconds(out.doneAt - out.killAt),
        `${BEFORE + WHILE_DOWN} events, ${out.held} attempts in flight when killed, ${WHILE_DOWN} written while Temporal was down`);
    });

    test('every event reached the receiver, signed with the endpoint’s secret, and every delivery ended succeeded', () => {
      expect(out.eventIds).toHaveLength(BEFORE + WHILE_DOWN);
      const answered = rx.received.filter((r) => r.status === 200);
      expect(new Set(answered.map((r) => r.headers['webhook-id']))).toEqual(new Set(out.eventIds));
      for (const r of answered) expect(new Webhook(out.secret).verify(r.body, r.headers)).toEqual(expect.objectContaining({ type: 'user.updated' }));
      expect(new Set(out.deliveries.map((d) => d.eventId))).toEqual(new Set(out.eventIds));
    });

    test('the workers were killed and restarted by their supervisor', () => {
      for (const w of run.chaos.workers) expect(out.processesAfter.restarts[w.name]).toBeGreaterThan(out.processesBefore.restarts[w.name]!);
    });
  });
}
