import { eventually, handedOver } from '../support/harness';
import { tenantWorkflows } from '../support/histories';
import { scenario, type Ctx } from '../support/scenario';
import { processOwningPort } from '../support/sockets';
import { seconds } from '../support/summary';

const PASSWORD = 'drain-harbor-violet-58';

export function sigtermDrain(ctx: Ctx): void {
  scenario(ctx, 'SIGTERM to a worker with an activity in flight', (run) => {
    const out = {} as {
      resetId: string; workflowId: string; email: string; worker: string; exit: { code: number | null; signal: string | null };
      aliveAfterSigterm: boolean; drainMs: number; restarted: boolean;
    };

    beforeAll(async () => {
      const { chaos, sink, api1: api, admin, tenant } = await run.setUp();
      const { user } = await run.users(tenant, PASSWORD, ['user']);
      out.email = user.email;
      sink.hold((r) => r.to === user.email); // the provider is slow: the mail activity is in flight
      const sent = await api.call('POST', `/admin/tenants/${tenant}/users/${user.id}/password-reset-email`, { ...admin, body: {} });
      if (sent.status !== 202) throw new Error(`reset: ${sent.status} ${sent.text}`);
      out.resetId = sent.body.resetId;
      out.workflowId = sent.body.workflowId;
      const held = await sink.waitForHeld((r) => r.to === user.email);
      const pid = processOwningPort(chaos.workers.map((w) => w.pid!), held.remotePort!);
      const worker = chaos.workerByPid(pid);
      if (!worker) throw new Error(`no worker holds the mail request (port ${held.remotePort})`);
      out.worker = worker.name;
      const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => worker.once('exit', (e: { code: number | null; signal: string | null }) => resolve({ code: e.code, signal: e.signal })));
      const back = worker.nextReady();
      const sigtermAt = Date.now();
      worker.signal('SIGTERM');
      // draining: still alive while its activity waits on the provider
      await new Promise((r) => setTimeout(r, 1500));
      out.aliveAfterSigterm = worker.alive;
      sink.releaseHeld();
      out.exit = await exited;
      out.drainMs = Date.now() - sigtermAt;
      await back;
      out.restarted = worker.alive;
      await eventually(async () => {
        const r = await api.call('GET', `/admin/tenants/${tenant}/password-resets/${out.resetId}`, admin);
        return handedOver(r.body?.delivery?.state) ? true : undefined;
      }, 'the reset email recorded as sent');
      chaos.summary.timing('SIGTERM to a worker exit, activity in flight', seconds(out.drainMs), 'the mail activity finished (provider released 1.5 s after the signal), then the worker exited 0');
    });

    test('the worker stays up after SIGTERM until its activity finishes, then exits 0 and is started again', () => {
      expect(out.aliveAfterSigterm).toBe(true);
      expect(out.exit).toEqual({ code: 0, signal: null });
      expect(out.restarted).toBe(true);
    });

    test('the activity in flight completed on its first attempt: nothing was retried, one email was sent', async () => {
      const [wf] = await tenantWorkflows(run.chaos.temporal, run.tenants);
      const mail = wf!.activities.filter((a) => a.type === 'sendResetEmail');
      expect(mail.map((a) => [a.outcome, a.attempt])).toEqual([['completed', 1]]);
      expect(wf!.activities.every((a) => a.attempt === 1)).toBe(true);
      expect(run.chaos.cluster.sink.attempts.filter((a) => a.to === out.email && a.tag === 'password-reset').map((a) => a.outcome)).toEqual(['accepted']);
    });
  });
}
