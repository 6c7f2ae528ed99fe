import { randomUUID } from 'node:crypto';
import { eventually, handedOver, type Processes } from '../support/harness';
import { untilNot503, type Answer } from '../support/http';
import { expectNoRestartExcept, scenario, type Ctx } from '../support/scenario';
import { seconds } from '../support/summary';
import { describeAnswers, percentile, Traffic, type Sample } from '../support/traffic';

const PASSWORD = 'granite-ferry-orchid-45';
const CHOSEN = 'lagoon-cipher-maple-72';
const OUTAGE_MS = 30_000;

export function postgresOutage(ctx: Ctx): void {
  scenario(ctx, 'PostgreSQL stopped for 30 s while resets are pending and requests keep arriving', (run) => {
    const out = {} as {
      stoppedAt: number;
      /** PostgreSQL's process has exited */
      downAt: number;
      /** just before PostgreSQL is started again: a request answered before this met no PostgreSQL */
      restartingAt: number;
      startedAt: number;
      samples: Sample[];
      readyBefore: number[];
      readyAfter: number[];
      retried: Answer[];
      completed: Answer[];
      revoked: Answer[];
      duringOutage: Answer[];
      processesBefore: Processes;
      processesAfter: Processes;
      firstSuccessMs: number;
      allSucceedMs: number;
    };

    beforeAll(async () => {
      const { chaos, sink, api1, api2, admin, tenant } = await run.setUp();
      const { pending1, pending2, pending3, signedIn, requested } = await run.users(tenant, PASSWORD, ['pending1', 'pending2', 'pending3', 'signedIn', 'requested']);

      // three links pending, mailed; a session to revoke
      const tokens: string[] = [];
      const resetIds: string[] = [];
      for (const u of [pending1, pending2, pending3]) {
        const r = await api1.call('POST', `/admin/tenants/${tenant}/users/${u.id}/password-reset-email`, { ...admin, body: {} });
        if (r.status !== 202) throw new Error(`reset: ${r.status} ${r.text}`);
        resetIds.push(r.body.resetId);
        const m = await sink.waitFor((x) => x.to === u.email && x.tag === 'password-reset');
        tokens.push(/token=([\w-]+)/.exec(m.textBody)![1]!);
      }
      await api2.call('POST', '/auth/sign-in', { body: { tenant, email: signedIn.email, password: PASSWORD } });
      out.readyBefore = [(await api1.call('GET', '/readyz')).status, (await api2.call('GET', '/readyz')).status];

      // requests keep arriving: new resets (each with its own Idempotency-Key), reads, readiness
      const traffic = new Traffic(run.apis, [
        { what: 'GET /readyz', call: (api) => api.call('GET', '/readyz', { timeoutMs: 30_000 }) },
        {
          what: 'POST password-reset-email', call: (api) => {
            const key = randomUUID();
            return api.call('POST', `/admin/tenants/${tenant}/users/${requested.id}/password-reset-email`, { ...admin, body: {}, headers: { 'Idempotency-Key': key }, timeoutMs: 30_000 })
              .then((a) => ({ ...a, tag: key }));
          },
        },
        { what: 'GET user', call: (api) => api.call('GET', `/admin/tenants/${tenant}/users/${pending1.id}`, { ...admin, timeoutMs: 30_000 }) },
        { what: 'GET reset', call: (api) => api.call('GET', `/admin/tenants/${tenant}/password-resets/${resetIds[1]}`, { ...admin, timeoutMs: 30_000 }) },
      ], 250).start();
      await new Promise((r) => setTimeout(r, 1500));
      out.processesBefore = chaos.processes();

      out.stoppedAt = Date.now();
      await chaos.cluster.postgres.stop();
      out.downAt = Date.now();
      await new Promise((r) => setTimeout(r, 3000));
      // an end user completing a link, an admin revoking sessions: both refused for now
      out.duringOutage = [
        await api1.call('POST', '/auth/password-reset', { body: { token: tokens[0], newPassword: CHOSEN }, timeoutMs: 30_000 }),
        await api2.call('DELETE', `/admin/tenants/${tenant}/users/${signedIn.id}/sessions`, { ...admin, timeoutMs: 30_000 }),
      ];
      await new Promise((r) => setTimeout(r, Math.max(0, out.stoppedAt + OUTAGE_MS - Date.now())));
      out.restartingAt = Date.now();
      await chaos.cluster.postgres.start();
      out.startedAt = Date.now();

      // until every kind of request that succeeded before the outage has succeeded again on both replicas
      const kinds = [...new Set(traffic.between(0, out.stoppedAt).filter((s) => s.status < 300).map((s) => s.what))];
      await eventually(async () => {
        const after = traffic.between(out.startedAt, Date.now());
        const ok = kinds.every((k) => run.apis.every((a) => after.some((s) => s.what === k && s.api === a.name && s.status < 300)));
        return ok ? true : undefined;
      }, 'every request succeeding on both replicas after the outage', 120_000, 250);
      await traffic.stop();
      out.samples = traffic.samples;
      chaos.summary.note(`PostgreSQL outage, before: ${describeAnswers(traffic.between(0, out.stoppedAt))}`);
      chaos.summary.note(`PostgreSQL outage, during: ${describeAnswers(traffic.between(out.stoppedAt, out.startedAt))}`);
      chaos.summary.note(`PostgreSQL outage, after: ${describeAnswers(traffic.between(out.startedAt, Infinity))}`);
      const after = out.samples.filter((s) => s.at >= out.startedAt);
      out.firstSuccessMs = Math.min(...after.filter((s) => s.status < 300).map((s) => s.at + s.ms)) - out.startedAt;
      out.allSucceedMs = Math.max(...kinds.map((k) => Math.min(...after.filter((s) => s.what === k && s.status < 300).map((s) => s.at + s.ms)))) - out.startedAt;

      // what was refused is asked again, and lands once
      const refused = out.samples.filter((s) => s.what === 'POST password-reset-email' && s.status !== 202).map((s) => s.tag!);
      out.retried = [];
      for (const key of refused.slice(0, 5)) {
        out.retried.push(await untilNot503(() => api1.call('POST', `/admin/tenants/${tenant}/users/${requested.id}/password-reset-email`, { ...admin, body: {}, headers: { 'Idempotency-Key': key } }), { timeoutMs: 90_000 }));
      }
      out.completed = [];
      for (const token of tokens) {
        out.completed.push(await untilNot503(() => api2.call('POST', '/auth/password-reset', { body: { token, newPassword: CHOSEN } }), { timeoutMs: 90_000 }));
      }
      out.revoked = [
        await untilNot503(() => api1.call('DELETE', `/admin/tenants/${tenant}/users/${signedIn.id}/sessions`, admin), { timeoutMs: 60_000 }),
        await api2.call('DELETE', `/admin/tenants/${tenant}/users/${signedIn.id}/sessions`, admin),
      ];
      // the newest link of `requested` is mailed once Temporal and the workers caught up
      const newest = [...out.samples.filter((x) => x.what === 'POST password-reset-email' && x.status === 202).sort((a, b) => a.at - b.at).map((x) => x.body), ...out.retried.map((a) => a.body)]
        .filter((b) => b?.resetId).pop();
      await eventually(async () => {
        const r = await api1.call('GET', `/admin/tenants/${tenant}/password-resets/${newest.resetId}`, admin);
        return handedOver(r.body?.delivery?.state) || r.body?.state === 'superseded' ? true : undefined;
      }, 'the newest requested link mailed', 120_000, 500);
      out.readyAfter = [(await api1.call('GET', '/readyz')).status, (await api2.call('GET', '/readyz')).status];
      out.processesAfter = chaos.processes();

      // refusals: 503 by the contract (any 5xx is counted here, and the test below says which it was)
      const refusal = (x: Sample) => x.status >= 500 && x.what !== 'GET /readyz';
      const outage = out.samples.filter((x) => x.at >= out.stoppedAt && x.at < out.startedAt && x.what !== 'GET /readyz');
      const refusedMs = outage.filter(refusal).map((x) => x.ms);
      const statuses = [...new Set(outage.filter(refusal).map((x) => x.status))].join('/');
      const refusedEnds = out.samples.filter(refusal).map((x) => x.at + x.ms);
      chaos.summary.timing('PostgreSQL down: refusals answered in', refusedMs.length ? `p50 ${percentile(refusedMs, 50)} ms, max ${Math.max(...refusedMs)} ms` : 'none',
        `${refusedMs.length} of ${outage.length} API requests during the ${OUTAGE_MS / 1000} s outage answered ${statuses || '-'}, both replicas`);
      if (refusedEnds.length) {
        chaos.summary.timing('PostgreSQL down: requests refused for', seconds(Math.max(...refusedEnds) - Math.min(...refusedEnds)),
          `first refusal ${seconds(Math.min(...refusedEnds) - out.stoppedAt)} after the stop, the last ${seconds(Math.abs(Math.max(...refusedEnds) - out.startedAt))} ${Math.max(...refusedEnds) >= out.startedAt ? 'after' : 'before'} PostgreSQL accepted connections again`);
      }
      chaos.summary.timing('PostgreSQL back: first request succeeded', `${seconds(out.firstSuccessMs)} after`, `every kind of request on both replicas within ${seconds(out.allSucceedMs)}; no process restarted`);
    });

    test('during the outage every request answers at once with a 503 problem document (temporarily_unavailable, Retry-After)', () => {
      // requests wholly inside the outage: one still open when PostgreSQL came back may rightly succeed
      const outage = out.samples.filter((s) => s.at >= out.downAt && s.at + s.ms < out.restartingAt);
      expect(outage.length).toBeGreaterThan(50);
      const wrong = outage.filter((s) => s.status !== 503 || s.code !== 'temporarily_unavailable' || !s.retryAfter || !/problem\+json/.test(s.contentType ?? '') || s.ms > 5000);
      expect(wrong.map((s) => `${s.what} on ${s.api}: ${s.status} ${s.code} in ${s.ms} ms, Retry-After ${s.retryAfter}`).slice(0, 10)).toEqual([]);
      expect(out.duringOutage.map((a) => [a.status, a.body?.code])).toEqual([[503, 'temporarily_unavailable'], [503, 'temporarily_unavailable']]);
    });

    test('/readyz answers 200 before and after, and 503 naming PostgreSQL during the outage', () => {
      expect(out.readyBefore).toEqual([200, 200]);
      expect(out.readyAfter).toEqual([200, 200]);
      const during = out.samples.filter((s) => s.what === 'GET /readyz' && s.at >= out.downAt && s.at + s.ms < out.restartingAt);
      expect(during.length).toBeGreaterThan(5);
      for (const s of during) expect(`${s.status} ${JSON.stringify(s.body)}`).toMatch(/^503 .*postgres/i);
    });

    test('after PostgreSQL is back every API, worker and the Temporal server carry on without a restart', () => {
      expectNoRestartExcept('postgres', out.processesBefore, out.processesAfter);
    });

    test('what the outage refused lands once when asked again: resets requested (same Idempotency-Key), links completed, sessions revoked', () => {
      expect(out.retried.every((a) => a.status === 202)).toBe(true);
      expect(out.completed.map((a) => a.status)).toEqual([200, 200, 200]);
      expect(out.revoked.map((a) => [a.status, a.body?.revoked])).toEqual([[200, 1], [200, 0]]);
    });
  });
}
