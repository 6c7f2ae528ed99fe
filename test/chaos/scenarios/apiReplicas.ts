import { randomUUID } from 'node:crypto';
import type { Answer } from '../support/http';
import { scenario, type Ctx } from '../support/scenario';

const PASSWORD = 'replica-beacon-walnut-52';
/** docker-compose.yml leaves RATE_LIMIT_PER_ACCOUNT and RATE_LIMIT_PER_IP at their defaults */
const PER_ACCOUNT = 10;
const PER_IP = 60;

/** Two API replicas behind one address: what one replica learns, the other must know at once. */
export function apiReplicas(ctx: Ctx): void {
  scenario(ctx, 'two API replicas sharing rate limits, idempotency keys and revoked API keys', (run) => {
    const out = {} as {
      failures: Answer[];
      afterLimit: Answer[];
      perIp: Answer[];
      sameKey: Answer[];
      otherBody: Answer;
      sameKeyTemporary: Answer[];
      emails: number;
      key: { id: string; before: Answer[]; revoke: Answer; after: Answer[]; again: Answer; listed: Answer };
    };

    beforeAll(async () => {
      const { chaos, api1, api2, admin, tenant } = await run.setUp();
      const { user, other } = await run.users(tenant, PASSWORD, ['user', 'other']);

      // failed sign-ins for one account, alternating replicas: the limit counts them all
      out.failures = [];
      for (let i = 0; i < PER_ACCOUNT; i++) {
        out.failures.push(await [api1, api2][i % 2]!.call('POST', '/auth/sign-in', { body: { tenant, email: user.email, password: `wrong-${i}-password-xyz` } }));
      }
      out.afterLimit = [
        await api1.call('POST', '/auth/sign-in', { body: { tenant, email: user.email, password: 'wrong-again-password-xyz' } }),
        await api2.call('POST', '/auth/sign-in', { body: { tenant, email: user.email, password: PASSWORD } }),
      ];
      // per IP: requests from one address, alternating replicas
      const address = chaos.freshAddress();
      const sameAddress = [api1.from(address), api2.from(address)];
      out.perIp = [];
      for (let i = 0; i <= PER_IP; i++) {
        out.perIp.push(await sameAddress[i % 2]!.call('POST', '/auth/password-reset-request', { body: { tenant, email: `nobody-${i}@example.com` } }));
      }

      // one Idempotency-Key sent to both replicas: one reset, one email; another body with it: refused
      const key = randomUUID();
      const path = `/admin/tenants/${tenant}/users/${other.id}/password-reset-email`;
      out.sameKey = [
        await api1.call('POST', path, { ...admin, body: {}, headers: { 'Idempotency-Key': key } }),
        await api2.call('POST', path, { ...admin, body: {}, headers: { 'Idempotency-Key': key } }),
      ];
      out.otherBody = await api2.call('POST', path, { ...admin, body: { revokeSessions: true }, headers: { 'Idempotency-Key': key } });
      const tempKey = randomUUID();
      const temp = `/admin/tenants/${tenant}/users/${user.id}/temporary-password`;
      out.sameKeyTemporary = [
        await api2.call('POST', temp, { ...admin, body: { password: 'replica-temporary-otter-88', notifyUser: false }, headers: { 'Idempotency-Key': tempKey } }),
        await api1.call('POST', temp, { ...admin, body: { password: 'replica-temporary-otter-88', notifyUser: false }, headers: { 'Idempotency-Key': tempKey } }),
      ];
      await chaos.cluster.sink.waitFor((m) => m.to === other.email);
      out.emails = chaos.cluster.sink.attempts.filter((a) => a.to === other.email && a.tag === 'password-reset' && a.outcome === 'accepted').length;

      // a tenant key revoked on one replica is refused by the other at once
      const created = await api1.call('POST', `/admin/tenants/${tenant}/api-keys`, { ...admin, body: { name: 'chaos key' } });
      if (created.status !== 201) throw new Error(`api key: ${created.status} ${created.text}`);
      const tenantKey = { auth: created.body.key as string };
      const before = [await api1.call('GET', '/admin/key', tenantKey), await api2.call('GET', '/admin/key', tenantKey)];
      const revoke = await api1.call('DELETE', `/admin/tenants/${tenant}/api-keys/${created.body.id}`, admin);
      const after = [await api2.call('GET', '/admin/key', tenantKey), await api1.call('GET', `/admin/tenants/${tenant}/users/${user.id}`, tenantKey)];
      const again = await api2.call('DELETE', `/admin/tenants/${tenant}/api-keys/${created.body.id}`, admin);
      const listed = await api2.call('GET', `/admin/tenants/${tenant}/api-keys`, admin);
      out.key = { id: created.body.id, before, revoke, after, again, listed };
    });

    test(`failed sign-ins count on both replicas: after ${PER_ACCOUNT}, either refuses with 429 and Retry-After`, () => {
      expect(out.failures.map((a) => a.status)).toEqual(Array(PER_ACCOUNT).fill(401));
      expect(out.afterLimit.map((a) => [a.status, a.body?.code, !!a.headers['retry-after']])).toEqual([[429, 'rate_limited', true], [429, 'rate_limited', true]]);
    });

    test(`requests from one address count on both replicas: the ${PER_IP + 1}st in a minute answers 429`, () => {
      expect(out.perIp.slice(0, PER_IP).every((a) => a.status === 202)).toBe(true);
      expect(out.perIp[PER_IP]!.status).toBe(429);
    });

    test('one Idempotency-Key on both replicas: the first outcome again, one email; another body with it: 422 idempotency_key_reused', () => {
      expect(out.sameKey.map((a) => a.status)).toEqual([202, 202]);
      expect(out.sameKey[1]!.body.resetId).toBe(out.sameKey[0]!.body.resetId);
      expect(out.emails).toBe(1);
      expect([out.otherBody.status, out.otherBody.body?.code]).toEqual([422, 'idempotency_key_reused']);
      expect(out.sameKeyTemporary.map((a) => a.status)).toEqual([200, 200]);
      expect(out.sameKeyTemporary[1]!.body.workflowId).toBe(out.sameKeyTemporary[0]!.body.workflowId);
    });

    test('a tenant key revoked on one replica answers 401 at once on the other; revoking it again changes nothing', () => {
      expect(out.key.before.map((a) => a.status)).toEqual([200, 200]);
      expect(out.key.revoke.status).toBe(204);
      expect(out.key.after.map((a) => [a.status, a.body?.code])).toEqual([[401, 'unauthenticated'], [401, 'unauthenticated']]);
      expect([204, 404]).toContain(out.key.again.status);
      const listed = out.key.listed.body?.items?.find((k: any) => k.id === out.key.id);
      expect(listed?.revokedAt).toEqual(expect.any(String));
    });
  });
}
