import { randomUUID } from 'node:crypto';
import type { SupervisedProcess } from '../../../dev/supervisor';
import { eventually, handedOver } from '../support/harness';
import { tenantWorkflows, type WorkflowFacts } from '../support/histories';
import { untilNot503, type Answer } from '../support/http';
import { RowLock } from '../support/rowLocks';
import { scenario, type Ctx } from '../support/scenario';
import { processOwningPort } from '../support/sockets';
import { seconds } from '../support/summary';

const PASSWORD = 'kestrel-mosaic-harbor-64';
const CHOSEN = 'saffron-glacier-tunnel-83';
const TEMPORARY = 'temporary-walnut-prism-19';

/** One step of one path where a worker is stopped from outside, then killed. */
interface Step {
  label: string;
  /** the process holding it when it was killed */
  worker?: SupervisedProcess;
  /** how it was held: a row lock (a worker's transaction waits) or the mail provider holding the request */
  hold: string;
}

/**
 * Every step of every path, stopped in a worker from outside (a row lock its transaction waits
 * for, or the mail provider holding its request), seen stopped, then the worker killed with
 * SIGKILL. All steps are set up first and the workers holding them killed at once; the supervisor
 * starts them again, and each step must finish exactly once on a live worker.
 */
export function workerKills(ctx: Ctx): void {
  scenario(ctx, 'SIGKILL to a worker at each step of each path, then a restart', (run) => {
    const steps: Record<string, Step> = {};
    const out = {} as {
      killAt: number;
      killed: string[];
      tenant: string;
      users: Record<string, { id: string; email: string }>;
      answers: Record<string, Answer[]>;
      resets: Record<string, any>;
      signIns: Record<string, any>;
      workflows: WorkflowFacts[];
      sessionsBefore: number;
      sessionsAfter: number;
    };

    let cleanup = async () => undefined as void;
    afterAll(() => cleanup());

    beforeAll(async () => {
      const { chaos, sink, api1, api2, admin, tenant } = await run.setUp();
      out.tenant = tenant;
      const names = ['issue', 'mail', 'record', 'complete', 'temporary', 'notice', 'force', 'change'] as const;
      out.users = await run.users(tenant, PASSWORD, names);
      const u = out.users;
      const base = (n: string) => `/admin/tenants/${tenant}/users/${u[n]!.id}`;
      const keys = Object.fromEntries(names.map((n) => [n, randomUUID()]));
      const withKey = (n: string) => ({ 'Idempotency-Key': keys[n]! });
      out.answers = {};
      const answer = (n: string, a: Answer): void => void (out.answers[n] ??= []).push(a);
      const pending: Promise<void>[] = [];
      const background = (n: string, call: () => Promise<Answer>) => pending.push(call().then((a) => answer(n, a)));
      const locks: RowLock[] = [];
      cleanup = async () => {
        sink.dropHeld();
        sink.releaseHeld();
        await Promise.all(locks.map((l) => l.release()));
      };
      const pids = () => chaos.workers.map((w) => w.pid!).filter(Boolean);
      const lockWaiterOwner = async (lock: RowLock, label: string, hold: string, inTx: boolean) => {
        const waiter = await lock.waiter(chaos.dbUrl);
        if (inTx && !waiter.inTransaction) throw new Error(`${label}: the waiting statement is not inside a transaction: ${waiter.query}`);
        steps[label] = { label, hold: `${hold} (waiting: ${waiter.query.replace(/\s+/g, ' ').slice(0, 60)}…)`, worker: chaos.workerByPid(processOwningPort(pids(), waiter.clientPort)) };
      };
      const signIn = (n: string, password: string) => api2.call('POST', '/auth/sign-in', { body: { tenant, email: u[n]!.email, password } });

      // ready-made for the steps that need a link or a change token first
      await signIn('issue', PASSWORD); // a session, revoked by the reset below (revokeSessions: true)
      out.sessionsBefore = (await api1.call('GET', `${base('issue')}/sessions`, admin)).body.items.length;
      const first = await api1.call('POST', `${base('complete')}/password-reset-email`, { ...admin, body: {} });
      const mail = await sink.waitFor((m) => m.to === u['complete']!.email && m.tag === 'password-reset');
      const token = /token=([\w-]+)/.exec(mail.textBody)![1]!;
      await eventually(async () => (handedOver((await api1.call('GET', `/admin/tenants/${tenant}/password-resets/${first.body.resetId}`, admin)).body.delivery?.state) ? true : undefined), 'the first link recorded as sent');
      const forced = await api1.call('POST', `${base('change')}/force-password-reset`, { ...admin, body: {} });
      if (forced.status !== 200) throw new Error(`force: ${forced.status} ${forced.text}`);
      const required = await signIn('change', PASSWORD);
      if (required.body?.result !== 'password_change_required') throw new Error(`sign-in: ${required.status} ${required.text}`);

      // path 1, before the link is stored: issueResetLink waits for the user's row
      locks.push(await RowLock.hold(chaos.dbUrl, 'users', u['issue']!.id));
      background('issue', () => api1.call('POST', `${base('issue')}/password-reset-email`, { ...admin, body: { revokeSessions: true }, headers: withKey('issue') }));
      await lockWaiterOwner(locks.at(-1)!, 'path 1: before the link is stored', 'row lock on the user', true);

      // path 1, after the mail, before the audit row: recordResetEmailSent waits for the link's row
      sink.hold((r) => r.to === u['record']!.email);
      const recorded = await api1.call('POST', `${base('record')}/password-reset-email`, { ...admin, body: {}, headers: withKey('record') });
      answer('record', recorded);
      await sink.waitForHeld((r) => r.to === u['record']!.email);
      locks.push(await RowLock.hold(chaos.dbUrl, 'password_resets', recorded.body.resetId));
      sink.releaseHeld();
      await lockWaiterOwner(locks.at(-1)!, 'path 1: after the mail is accepted, before the audit row', 'row lock on the link', true);

      // path 1 after the link is stored, and path 2 after the password is stored: the provider holds the mail
      sink.hold((r) => r.to === u['mail']!.email || r.to === u['notice']!.email);
      answer('mail', await api1.call('POST', `${base('mail')}/password-reset-email`, { ...admin, body: {}, headers: withKey('mail') }));
      answer('notice', await api2.call('POST', `${base('notice')}/temporary-password`, { ...admin, body: { password: TEMPORARY, mustResetOnNextSignIn: false }, headers: withKey('notice') }));
      for (const [n, label] of [['mail', 'path 1: after the link is stored, before the mail is accepted'], ['notice', 'path 2: after the password is stored, before the notice is accepted']] as const) {
        const held = await sink.waitForHeld((r) => r.to === u[n]!.email);
        steps[label] = { label, hold: 'the mail provider holds the request', worker: chaos.workerByPid(processOwningPort(pids(), held.remotePort!)) };
      }

      // inside the password-write transactions: each waits for the user's row, its transaction open
      const inWrite: [string, string, () => Promise<Answer>][] = [
        ['complete', 'path 1: inside the password-write transaction (the link completed)', () =>
          api2.call('POST', '/auth/password-reset', { body: { token, newPassword: CHOSEN } })],
        ['temporary', 'path 2: inside the password-write transaction', () =>
          api1.call('POST', `${base('temporary')}/temporary-password`, { ...admin, body: { password: TEMPORARY }, headers: withKey('temporary') })],
        ['force', 'path 3: inside the flag transaction (a local activity)', () =>
          api2.call('POST', `${base('force')}/force-password-reset`, { ...admin, body: {}, headers: withKey('force') })],
        ['change', 'change at sign-in: inside the password-write transaction (a local activity)', () =>
          api1.call('POST', '/auth/password/change', { body: { changeToken: required.body.changeToken, newPassword: CHOSEN } })],
      ];
      for (const [n, label, call] of inWrite) {
        locks.push(await RowLock.hold(chaos.dbUrl, 'users', u[n]!.id));
        background(n, call);
        await lockWaiterOwner(locks.at(-1)!, label, 'row lock on the user', true);
      }

      // every step is held in a worker: kill those workers, at once
      const victims = [...new Set(Object.values(steps).map((s) => s.worker))];
      if (victims.some((w) => !w)) throw new Error(`a held step belongs to no worker: ${JSON.stringify(Object.values(steps).map((s) => [s.label, s.worker?.name]))}`);
      const exits = victims.map((w) => new Promise((r) => w!.once('exit', r)));
      const back = victims.map((w) => w!.nextReady());
      out.killAt = Date.now();
      for (const w of victims) w!.signal('SIGKILL');
      out.killed = victims.map((w) => w!.name);
      await Promise.all(exits);
      sink.dropHeld(); // the provider never accepted those two: their sender died first
      sink.releaseHeld();
      await Promise.all(locks.map((l) => l.release()));
      await Promise.all(back);

      // the clients of the requests that were cut off retry them, as the contract says they may
      await Promise.all(pending);
      const retry = (n: string, call: () => Promise<Answer>) => untilNot503(call, { timeoutMs: 120_000 }).then((a) => answer(n, a));
      await Promise.all([
        retry('issue', () => api2.call('POST', `${base('issue')}/password-reset-email`, { ...admin, body: { revokeSessions: true }, headers: withKey('issue') })),
        retry('mail', () => api2.call('POST', `${base('mail')}/password-reset-email`, { ...admin, body: {}, headers: withKey('mail') })),
        retry('temporary', () => api2.call('POST', `${base('temporary')}/temporary-password`, { ...admin, body: { password: TEMPORARY }, headers: withKey('temporary') })),
        retry('force', () => api1.call('POST', `${base('force')}/force-password-reset`, { ...admin, body: {}, headers: withKey('force') })),
      ]);

      // everything settles: links sent, the completed one completed, the notices accepted
      const reset = async (n: string) => {
        const id = out.answers[n]!.map((a) => a.body?.resetId).find(Boolean) ?? (n === 'complete' ? first.body.resetId : undefined);
        return (await api1.call('GET', `/admin/tenants/${tenant}/password-resets/${id}`, admin)).body;
      };
      out.resets = {};
      for (const n of ['issue', 'mail', 'record'] as const) {
        out.resets[n] = await eventually(async () => {
          const r = await reset(n);
          return handedOver(r?.delivery?.state) ? r : undefined;
        }, `the ${n} link sent`, 120_000, 250);
      }
      out.resets['complete'] = await eventually(async () => {
        const r = await reset('complete');
        return r?.state === 'completed' ? r : undefined;
      }, 'the link completed', 120_000, 250);
      await eventually(async () => (sink.attempts.some((a) => a.to === u['notice']!.email && a.outcome === 'accepted') ? true : undefined), 'the notice accepted', 120_000, 250);
      // the user whose completion was cut off tries again
      answer('complete', await untilNot503(() => api2.call('POST', '/auth/password-reset', { body: { token, newPassword: CHOSEN } }), { timeoutMs: 120_000 }));
      if (!out.answers['change']!.some((a) => a.status === 200)) {
        answer('change', await untilNot503(() => api1.call('POST', '/auth/password/change', { body: { changeToken: required.body.changeToken, newPassword: CHOSEN } }), { timeoutMs: 120_000 }));
      }
      // the path-1 link of the first step is used, end to end
      const issued = await sink.waitFor((m) => m.to === u['issue']!.email && m.tag === 'password-reset');
      answer('issue', await api1.call('POST', '/auth/password-reset', { body: { token: /token=([\w-]+)/.exec(issued.textBody)![1]!, newPassword: CHOSEN } }));

      out.signIns = {
        issue: (await signIn('issue', CHOSEN)).body,
        complete: (await signIn('complete', CHOSEN)).body,
        temporary: (await signIn('temporary', TEMPORARY)).body,
        notice: (await signIn('notice', TEMPORARY)).body,
        force: (await signIn('force', PASSWORD)).body,
        change: (await signIn('change', CHOSEN)).body,
      };
      out.sessionsAfter = (await api1.call('GET', `${base('issue')}/sessions`, admin)).body.items.length;
      out.workflows = await tenantWorkflows(chaos.temporal, [tenant]);

      // how long a killed worker's work took to be picked up again
      const activities = out.workflows.flatMap((w) => w.activities);
      const regular = activities.filter((a) => ['issueResetLink', 'recordResetEmailSent', 'applyChosenPassword', 'applyTemporaryPassword'].includes(a.type)
        && a.attempt > 1 && a.outcome === 'completed' && a.closedAt! > out.killAt);
      if (regular.length) {
        const afterKill = regular.map((a) => a.closedAt! - out.killAt);
        const afterSchedule = regular.map((a) => a.closedAt! - a.scheduledAt);
        chaos.summary.timing('killed worker: a database activity retried and done', `${seconds(Math.min(...afterKill))}–${seconds(Math.max(...afterKill))} after SIGKILL`,
          `${regular.length} activities; ${seconds(Math.min(...afterSchedule))}–${seconds(Math.max(...afterSchedule))} after first scheduled (start-to-close timeout 30 s, then a 1 s retry)`);
      }
      const mails = activities.filter((a) => (a.type === 'sendResetEmail' || a.type === 'sendTemporaryPasswordNotice') && a.attempt > 1 && a.outcome === 'completed');
      if (mails.length) {
        chaos.summary.timing('killed worker: a mail activity retried and accepted', `${seconds(Math.min(...mails.map((a) => a.closedAt! - out.killAt)))}–${seconds(Math.max(...mails.map((a) => a.closedAt! - out.killAt)))} after SIGKILL`,
          `${mails.length} activities (start-to-close timeout 15 s, then a 5 s retry)`);
      }
      const local = out.workflows.filter((w) => (w.type === 'forcePasswordResetWorkflow' || w.type === 'signInPasswordChangeWorkflow') && w.closedAt && w.closedAt > out.killAt);
      if (local.length) {
        chaos.summary.timing('killed worker: a local activity (paths 3 and sign-in change) redone', `${seconds(Math.min(...local.map((w) => w.closedAt! - out.killAt)))}–${seconds(Math.max(...local.map((w) => w.closedAt! - out.killAt)))} after SIGKILL`,
          `${local.length} workflows, closed by another worker (workflow task timeout 10 s)`);
      }
    });

    test('each step was reached, held in a worker and killed there with SIGKILL', () => {
      expect(Object.keys(steps).sort()).toEqual([
        'change at sign-in: inside the password-write transaction (a local activity)',
        'path 1: after the link is stored, before the mail is accepted',
        'path 1: after the mail is accepted, before the audit row',
        'path 1: before the link is stored',
        'path 1: inside the password-write transaction (the link completed)',
        'path 2: after the password is stored, before the notice is accepted',
        'path 2: inside the password-write transaction',
        'path 3: inside the flag transaction (a local activity)',
      ]);
      for (const s of Object.values(steps)) expect(out.killed).toContain(s.worker!.name);
    });

    test('the supervisor started every killed worker again, with a line saying so', () => {
      for (const name of out.killed) expect(run.chaos.lines.some((l) => l.includes(`${name} killed by SIGKILL`) && l.includes('restarting in'))).toBe(true);
    });

    test('path 1, before the link is stored: the retried request (same Idempotency-Key) gets the link, mailed once, used once; sessions revoked once', () => {
      const resetIds = out.answers['issue']!.filter((a) => a.status === 202).map((a) => a.body.resetId);
      expect(resetIds.length).toBeGreaterThan(0);
      expect(new Set(resetIds).size).toBe(1);
      expect(out.answers['issue']!.map((a) => `${a.status} ${a.body?.code ?? a.body?.result ?? ''}`).filter((a) => !/^(202|503|200) /.test(a))).toEqual([]);
      expect(run.chaos.cluster.sink.attempts.filter((a) => a.to === out.users['issue']!.email && a.tag === 'password-reset' && a.outcome === 'accepted')).toHaveLength(1);
      expect(out.signIns['issue'].result).toBe('signed_in');
      expect([out.sessionsBefore, out.sessionsAfter]).toEqual([1, 1]); // the old one revoked, the sign-in above is new
    });

    test('path 1, after the link is stored: the mail is retried and accepted once; the same request again sends nothing', () => {
      const attempts = run.chaos.cluster.sink.attempts.filter((a) => a.to === out.users['mail']!.email && a.tag === 'password-reset');
      expect(attempts.map((a) => a.outcome)).toEqual(['dropped', 'accepted']);
      expect(new Set(out.answers['mail']!.map((a) => a.body.resetId)).size).toBe(1);
      expect(['sent', 'delivered']).toContain(out.resets['mail'].delivery.state);
    });

    test('path 1, after the mail, before the audit row: the audit step is retried; one email, one audit row', () => {
      expect(run.chaos.cluster.sink.attempts.filter((a) => a.to === out.users['record']!.email && a.tag === 'password-reset').map((a) => a.outcome)).toEqual(['accepted']);
      expect(['sent', 'delivered']).toContain(out.resets['record'].delivery.state);
    });

    test('path 1, inside the password-write transaction: the password is written once; the user signs in with it', () => {
      expect(out.resets['complete'].state).toBe('completed');
      expect(out.signIns['complete'].result).toBe('signed_in');
      // cut off (503), then asked again: changed, or the link already spent by the first request
      expect(out.answers['complete']!.map((a) => a.status).every((s) => [200, 410, 503].includes(s))).toBe(true);
    });

    test('path 2, inside the password-write transaction: the retried request applies the temporary password once', () => {
      const ok = out.answers['temporary']!.filter((a) => a.status === 200);
      expect(ok.length).toBeGreaterThan(0);
      expect(new Set(ok.map((a) => a.body.workflowId)).size).toBe(1);
      expect(out.signIns['temporary'].result).toBe('password_change_required');
    });

    test('path 2, after the password is stored: the notice is retried and accepted once', () => {
      const attempts = run.chaos.cluster.sink.attempts.filter((a) => a.to === out.users['notice']!.email && a.tag === 'temporary-password');
      expect(attempts.map((a) => a.outcome)).toEqual(['dropped', 'accepted']);
      expect(out.signIns['notice'].result).toBe('signed_in');
    });

    test('path 3, inside the flag transaction: another worker redoes the local activity; flagged once', () => {
      expect(out.answers['force']!.some((a) => a.status === 200)).toBe(true);
      expect(out.signIns['force']).toMatchObject({ result: 'password_change_required', reason: 'admin_forced' });
    });

    test('change at sign-in, inside the password-write transaction: changed once; the user signs in with the new password', () => {
      expect(out.answers['change']!.some((a) => a.status === 200)).toBe(true);
      expect(out.signIns['change'].result).toBe('signed_in');
    });
  });
}
