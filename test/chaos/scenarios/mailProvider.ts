import { randomUUID } from 'node:crypto';
import { eventually, handedOver } from '../support/harness';
import { scenario, type Ctx } from '../support/scenario';
import { seconds } from '../support/summary';

const PASSWORD = 'postal-lantern-quartz-27';

export function mailProvider(ctx: Ctx): void {
  scenario(ctx, 'mail provider answering 503, then 429, then recovering; and 406 (inactive recipient)', (run) => {
    const out = {} as {
      flaky: { email: string; resetId: string; acceptedAfterMs: number; retried: { status: number; resetId: string } };
      inactive: { email: string; resetId: string; reset: any; audit: any[] };
    };

    beforeAll(async () => {
      const { chaos, sink, api1, api2, admin, tenant } = await run.setUp();
      const { a, b } = await run.users(tenant, PASSWORD, ['a', 'b']);
      const reset = (userId: string, key: string) =>
        api1.call('POST', `/admin/tenants/${tenant}/users/${userId}/password-reset-email`, { ...admin, body: {}, headers: { 'Idempotency-Key': key } });
      const state = async (resetId: string) => (await api2.call('GET', `/admin/tenants/${tenant}/password-resets/${resetId}`, admin)).body;

      // A: the provider is down (503), then rate-limits (429), then accepts
      sink.failNext({ status: 503, errorCode: 0, message: 'Service Unavailable' }, 1, (r) => r.to === a.email);
      sink.failNext({ status: 429, errorCode: 0, message: 'Rate limit exceeded' }, 1, (r) => r.to === a.email);
      const key = randomUUID();
      const started = await reset(a.id, key);
      if (started.status !== 202) throw new Error(`reset: ${started.status} ${started.text}`);
      const at = Date.now();
      await eventually(async () => (handedOver((await state(started.body.resetId)).delivery?.state) ? true : undefined), 'the email accepted after 503 and 429', 90_000, 250);
      const acceptedAfterMs = Date.now() - at;
      // the admin's client retries the same request: the first outcome, no second email
      const again = await reset(a.id, key);
      out.flaky = { email: a.email, resetId: started.body.resetId, acceptedAfterMs, retried: { status: again.status, resetId: again.body?.resetId } };
      chaos.summary.timing('mail: 503, then 429, then accepted', seconds(acceptedAfterMs), 'from the API\'s 202 to delivery "sent" (activity retries 5 s, then 10 s)');

      // B: the recipient is inactive (Postmark 422, ErrorCode 406): final, not retried
      sink.failNext({ status: 422, errorCode: 406, message: 'You tried to send to recipient(s) that have been marked as inactive.' }, 1, (r) => r.to === b.email);
      const rejected = await reset(b.id, randomUUID());
      if (rejected.status !== 202) throw new Error(`reset: ${rejected.status} ${rejected.text}`);
      const final = await eventually(async () => {
        const r = await state(rejected.body.resetId);
        return r.state !== 'pending' ? r : undefined;
      }, 'the link cancelled after the 406', 30_000, 250);
      const audit = (await api2.call('GET', `/admin/tenants/${tenant}/audit-events?userId=${b.id}`, admin)).body.items;
      out.inactive = { email: b.email, resetId: rejected.body.resetId, reset: final, audit };
    });

    test('after a 503 and a 429 the third request is accepted, and the link is recorded as sent', () => {
      const attempts = run.chaos.cluster.sink.attempts.filter((x) => x.to === out.flaky.email);
      expect(attempts.map((x) => [x.outcome, x.status])).toEqual([['failed', 503], ['failed', 429], ['accepted', 200]]);
    });

    test('the same request sent again (same Idempotency-Key) answers the same reset and sends nothing more', () => {
      expect(out.flaky.retried).toEqual({ status: 202, resetId: out.flaky.resetId });
      expect(run.chaos.cluster.sink.attempts.filter((x) => x.to === out.flaky.email && x.outcome === 'accepted')).toHaveLength(1);
    });

    test('a 406 (inactive recipient) is final: one request, the link cancelled with delivery failed, audited once', () => {
      expect(run.chaos.cluster.sink.attempts.filter((x) => x.to === out.inactive.email).map((x) => x.status)).toEqual([422]);
      expect(out.inactive.reset.state).toBe('cancelled');
      expect(out.inactive.reset.delivery.state).toBe('failed');
      expect(out.inactive.audit.map((e: any) => [e.action, e.data.reason])).toEqual([['user.password_reset_email_cancelled', 'delivery_failed']]);
    });
  });
}
