import { seedUsers } from '../../support/seed';
import { eventually, handedOver, type Processes } from '../support/harness';
import { tenantWorkflows } from '../support/histories';
import { RowLock } from '../support/rowLocks';
import { expectNoRestartExcept, scenario, type Ctx } from '../support/scenario';
import { seconds } from '../support/summary';
import { describeAnswers, Traffic, type Sample } from '../support/traffic';

const PASSWORD = 'tidal-copper-meadow-36';
const BULK_USERS = 3000;
const TTL_SECONDS = 10;
const DOWN_MS = 3000;

export function temporalRestart(ctx: Ctx): void {
  scenario(ctx, 'Temporal server restarted while links wait for their TTL and a bulk run is in flight', (run) => {
    const out = {} as {
      links: { resetId: string; expiresAt: string; due: 'while down' | 'after the restart' }[];
      expired: any[];
      /**
       * per link: how late its TTL timer fired, or, when none fired, how late its workflow closed (a link
       * mailed or reported delivered only after its TTL is ended by the database as expired, no timer needed)
       */
      timing: { timer: boolean; lateMs: number }[];
      bulk: any;
      downMs: number;
      restartedAt: number;
      backAt: number;
      samples: Sample[];
      processesBefore: Processes;
      processesAfter: Processes;
    };
    let lock: RowLock | undefined;
    afterAll(() => lock?.release());

    beforeAll(async () => {
      const { chaos, api1, api2, admin, tenant: links } = await run.setUp({ resetLinkTtlSeconds: TTL_SECONDS });
      const bulk = await run.tenant();
      const users = Object.values(await run.users(links, PASSWORD, ['down1', 'down2', 'later1', 'later2']));
      out.links = [];
      const link = async (u: { id: string }, due: 'while down' | 'after the restart') => {
        const r = await api1.call('POST', `/admin/tenants/${links}/users/${u.id}/password-reset-email`, { ...admin, body: {} });
        if (r.status !== 202) throw new Error(`reset: ${r.status} ${r.text}`);
        out.links.push({ resetId: r.body.resetId, expiresAt: r.body.expiresAt, due });
      };
      // two links whose TTL ends while the server is down (it stops 2.5 s before)
      for (const u of users.slice(0, 2)) await link(u, 'while down');
      const ids = await seedUsers(chaos.db, bulk, BULK_USERS);

      // the bulk run's second batch of 1,000 waits for a row in its middle: in flight, visibly
      const middle = [...ids].sort()[Math.floor(BULK_USERS / 2)]!;
      lock = await RowLock.hold(chaos.dbUrl, 'users', middle);
      const started = await api2.call('POST', `/admin/tenants/${bulk}/force-password-reset`, { ...admin, body: { filter: { all: true } } });
      if (started.status !== 202) throw new Error(`bulk: ${started.status} ${started.text}`);
      await lock.waiter(chaos.dbUrl);
      await eventually(async () => {
        for (const l of out.links) {
          const r = await api1.call('GET', `/admin/tenants/${links}/password-resets/${l.resetId}`, admin);
          if (!handedOver(r.body?.delivery?.state)) return undefined;
        }
        return true;
      }, 'every link mailed', 20_000);

      await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(out.links[0]!.expiresAt) - 3000 - Date.now())));
      // two whose TTL ends after the restart: their timers wait through the outage
      for (const u of users.slice(2)) await link(u, 'after the restart');
      out.processesBefore = chaos.processes();
      const traffic = new Traffic(run.apis, [
        { what: 'GET /readyz', call: (api) => api.call('GET', '/readyz', { timeoutMs: 20_000 }) },
        { what: 'GET bulk operation', call: (api) => api.call('GET', `/admin/tenants/${bulk}/bulk-operations/${started.body.operationId}`, { ...admin, timeoutMs: 20_000 }) },
      ], 200).start();
      // stopped (SIGTERM), down for 3 s, started again on the same database
      out.restartedAt = Date.now();
      await chaos.cluster.temporal.stop();
      await new Promise((r) => setTimeout(r, DOWN_MS));
      await chaos.cluster.temporal.start();
      out.backAt = Date.now();
      out.downMs = out.backAt - out.restartedAt;
      await new Promise((r) => setTimeout(r, 1000));
      await lock.release();
      await traffic.stop();
      out.samples = traffic.samples;
      chaos.summary.note(`Temporal restart, while down: ${describeAnswers(traffic.between(out.restartedAt, out.backAt))}`);

      out.bulk = await eventually(async () => {
        const r = await api1.call('GET', `/admin/tenants/${bulk}/bulk-operations/${started.body.operationId}`, admin);
        return r.body?.state && r.body.state !== 'running' ? r.body : undefined;
      }, 'the bulk run finished', 120_000, 250);
      out.expired = [];
      for (const l of out.links) {
        out.expired.push(await eventually(async () => {
          const r = await api2.call('GET', `/admin/tenants/${links}/password-resets/${l.resetId}`, admin);
          return r.body?.state === 'expired' ? r.body : undefined;
        }, 'the link expired', 60_000, 250));
      }
      // the database says expired first; the link's workflow closes right after
      const histories = await eventually(async () => {
        const h = await tenantWorkflows(chaos.temporal, [links]);
        return out.links.every((l) => h.find((w) => w.workflowId.endsWith(l.resetId))?.status !== 'running') ? h : undefined;
      }, 'every link workflow closed', 60_000, 250);
      out.timing = out.links.map((l) => {
        const wf = histories.find((w) => w.workflowId.endsWith(l.resetId))!;
        const due = Date.parse(l.expiresAt);
        if (wf.timersFired.length > 0) return { timer: true, lateMs: Math.max(...wf.timersFired) - due };
        return { timer: false, lateMs: (wf.closedAt ?? -Infinity) - due };
      });
      const chunks = (await tenantWorkflows(chaos.temporal, [bulk])).flatMap((w) => w.activities.filter((a) => a.type === 'flagUsersChunk'));
      chaos.summary.note(`Temporal restart: the bulk run's batch activities: ${chunks.length}, of which ${chunks.filter((a) => a.attempt > 1).length} ran more than once (held past its 10 s heartbeat timeout, retried while the first attempt still waited)`);
      out.processesAfter = chaos.processes();
      chaos.summary.timing('Temporal server down (stop, 3 s pause, start, serving)', seconds(out.downMs), `SIGTERM, ${DOWN_MS / 1000} s down, then the same database: frontend SERVING and the namespace answering`);
      for (const due of ['while down', 'after the restart'] as const) {
        const late = out.links.map((l, i) => [l, out.timing[i]!] as const).filter(([l, t]) => l.due === due && t.timer).map(([, t]) => t.lateMs);
        if (late.length === 0) continue;
        const dueAt = out.links.filter((l) => l.due === due).map((l) => Date.parse(l.expiresAt));
        const where = due === 'while down'
          ? `due ${seconds(Math.min(...dueAt) - out.restartedAt)} after the stop; the server served again ${seconds(out.backAt - Math.min(...dueAt))} after that`
          : `due ${seconds(Math.min(...dueAt) - out.backAt)} after the server served again`;
        chaos.summary.timing(`timer due ${due}: fired late by`, `${seconds(Math.min(...late))}–${seconds(Math.max(...late))}`,
          `${late.length} links with a ${TTL_SECONDS} s TTL, ${where}; TimerFired minus the link's expiresAt`);
      }
    });

    test('every link waiting for its TTL expires once, its timer firing after the restart', () => {
      expect(out.expired.map((r) => r.state)).toEqual(out.links.map(() => 'expired'));
      // no link ends before its TTL; the two due while the server was down fire their timers after it
      // (one due later may instead be ended as expired by its late delivery report, which is right)
      for (const t of out.timing) expect(t.lateMs).toBeGreaterThanOrEqual(0);
      expect(out.links.map((l, i) => [l.due, out.timing[i]!.timer]).filter(([due]) => due === 'while down')).toEqual([['while down', true], ['while down', true]]);
    });

    test(`the bulk run in flight finishes after the restart: ${BULK_USERS} matched, ${BULK_USERS} flagged`, () => {
      expect(out.bulk).toMatchObject({ state: 'completed', matched: BULK_USERS, done: BULK_USERS, skipped: 0 });
    });

    test('no worker or API process restarted: each reconnected to the new server by itself', () => {
      expectNoRestartExcept('temporal', out.processesBefore, out.processesAfter);
    });

    test('while Temporal was down the API answered 503 problem documents, and /readyz named Temporal', () => {
      const down = out.samples.filter((s) => s.at >= out.restartedAt && s.at < out.backAt - 500);
      const failures = down.filter((s) => s.status !== 200);
      expect(failures.length).toBeGreaterThan(0);
      for (const s of failures) {
        expect(`${s.what} ${s.status} ${s.code}`).toBe(`${s.what} 503 temporarily_unavailable`);
        expect(s.contentType).toMatch(/application\/problem\+json/);
      }
      const ready = failures.filter((s) => s.what === 'GET /readyz');
      expect(ready.length).toBeGreaterThan(0);
      for (const s of ready) expect(JSON.stringify(s.body)).toMatch(/temporal/i);
    });
  });
}
