import type pg from 'pg';
import type { PostmarkSink, SinkAttempt } from '../../../dev/postmarkSink';
import { tenantWorkflows, type WorkflowFacts } from './histories';
import type { StateObserver } from './observer';
import { INVARIANTS, type InvariantId, type InvariantResult } from './summary';

/**
 * I1–I6, read after a scenario from the database, the workflow histories and what the mail
 * provider saw, for the scenario's tenants. Each check states what it looked at, so a check that
 * passes because there was nothing to check says so.
 */
export interface Scope {
  tenants: readonly string[];
  observer: StateObserver;
}

interface Snapshot {
  resets: { id: string; user_id: string; state: string; ended_at: Date | null; ended_by: string | null; workflow_id: string; delivery_state: string; message_id: string | null }[];
  audits: { id: string; action: string; user_id: string | null; workflow_id: string | null; occurred_at: Date; data: any; idempotency_key: string }[];
  users: { id: string; created_at: Date; password_set_at: Date | null }[];
  history: { user_id: string; set_at: Date }[];
  sessions: { id: string; user_id: string; revoked_at: Date | null }[];
  apiKeys: { id: string; revoked_at: Date | null }[];
  changeTokens: { id: string; used_at: Date | null }[];
  workflows: WorkflowFacts[];
  attempts: SinkAttempt[];
}

const FINAL = new Set(['completed', 'expired', 'superseded', 'cancelled']);
const CHANGE_ACTIONS = new Set(['user.password_reset_completed', 'user.password_set_by_admin']);
const TERMINAL_ACTION: Record<string, string | undefined> = {
  completed: 'user.password_reset_completed',
  expired: 'user.password_reset_link_expired',
  cancelled: 'user.password_reset_email_cancelled',
};

async function snapshot(db: pg.Pool, client: Parameters<typeof tenantWorkflows>[0], sink: PostmarkSink, tenants: readonly string[]): Promise<Snapshot> {
  const q = async <T>(sql: string) => (await db.query(sql, [tenants])).rows as T[];
  const [resets, audits, users, history, sessions, apiKeys, changeTokens, workflows] = await Promise.all([
    q<Snapshot['resets'][number]>('SELECT id, user_id, state, ended_at, ended_by, workflow_id, delivery_state, message_id FROM password_resets WHERE tenant_id = ANY($1)'),
    q<Snapshot['audits'][number]>('SELECT id, action, user_id, workflow_id, occurred_at, data, idempotency_key FROM audit_events WHERE tenant_id = ANY($1) ORDER BY seq'),
    q<Snapshot['users'][number]>('SELECT id, created_at, password_set_at FROM users WHERE tenant_id = ANY($1)'),
    q<Snapshot['history'][number]>('SELECT h.user_id, h.set_at FROM password_history h JOIN users u ON u.id = h.user_id WHERE u.tenant_id = ANY($1)'),
    q<Snapshot['sessions'][number]>('SELECT id, user_id, revoked_at FROM sessions WHERE tenant_id = ANY($1)'),
    q<Snapshot['apiKeys'][number]>('SELECT id, revoked_at FROM api_keys WHERE tenant_id = ANY($1)'),
    q<Snapshot['changeTokens'][number]>('SELECT id, used_at FROM change_tokens WHERE tenant_id = ANY($1)'),
    tenantWorkflows(client, tenants),
  ]);
  const attempts = sink.attempts.filter((a) => tenants.includes(a.metadata['tenantId'] ?? ''));
  return { resets, audits, users, history, sessions, apiKeys, changeTokens, workflows, attempts };
}

const t = (d: Date | null | undefined) => (d ? d.getTime() : undefined);

function countBy<T>(items: readonly T[], key: (x: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of items) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return m;
}

export async function checkInvariants(db: pg.Pool, client: Parameters<typeof tenantWorkflows>[0], sink: PostmarkSink, scope: Scope): Promise<InvariantResult[]> {
  await scope.observer.stop();
  const s = await snapshot(db, client, sink, scope.tenants);
  const byWorkflow = new Map<string, WorkflowFacts[]>();
  for (const w of s.workflows) byWorkflow.set(w.workflowId, [...(byWorkflow.get(w.workflowId) ?? []), w]);
  const lastRun = (id: string) => byWorkflow.get(id)?.find((w) => w.status !== 'continued_as_new') ?? byWorkflow.get(id)?.[0];
  const audits = (action: string, pred: (a: Snapshot['audits'][number]) => boolean = () => true) => s.audits.filter((a) => a.action === action && pred(a));
  const results: InvariantResult[] = [];
  const result = (id: InvariantId, checked: string, violations: string[]) => results.push({ id, ok: violations.length === 0, checked, violations: violations.slice(0, 10) });

  // I1: one terminal outcome per reset
  {
    const v: string[] = [];
    for (const r of s.resets) {
      const wf = lastRun(r.workflow_id);
      if (!wf) v.push(`reset ${r.id}: no workflow ${r.workflow_id}`);
      else if (wf.status === 'running') {
        if (r.state !== 'pending') v.push(`reset ${r.id} is ${r.state} but its workflow still runs`);
      } else if (wf.status !== 'completed') v.push(`reset ${r.id}: workflow ${wf.status}`);
      else if (wf.result?.state !== r.state) v.push(`reset ${r.id}: workflow ended ${wf.result?.state}, database says ${r.state}`);
      const terminal = Object.values(TERMINAL_ACTION).flatMap((action) => audits(action!, (a) => a.data?.resetId === r.id));
      const want = TERMINAL_ACTION[r.state] ? 1 : 0;
      if (terminal.length !== want) v.push(`reset ${r.id} (${r.state}): ${terminal.length} terminal audit rows (${terminal.map((a) => a.action).join(', ')}), want ${want}`);
    }
    for (const w of s.workflows) {
      if (w.closeEvents > 1) v.push(`${w.workflowId}: ${w.closeEvents} close events`);
      if (['failed', 'terminated', 'timed_out', 'canceled'].includes(w.status)) v.push(`${w.workflowId} ${w.type}: ${w.status}`);
    }
    const closed = s.workflows.filter((w) => w.status !== 'running').length;
    result('I1', `${s.resets.length} reset links, ${s.workflows.length} workflow runs (${closed} closed)`, v);
  }

  // I2: at most one password change per token or operation
  {
    const v: string[] = [];
    const changes = s.audits.filter((a) => CHANGE_ACTIONS.has(a.action));
    for (const [wf, n] of countBy(changes, (a) => a.workflow_id ?? '(none)')) if (n > 1) v.push(`${wf}: ${n} password changes`);
    for (const u of s.users) {
      const mine = changes.filter((a) => a.user_id === u.id);
      const rows = s.history.filter((h) => h.user_id === u.id);
      for (const a of mine) {
        const matching = rows.filter((h) => t(h.set_at) === t(a.occurred_at)).length;
        if (matching !== 1) v.push(`user ${u.id}: ${matching} password writes for the change audited at ${a.occurred_at.toISOString()}`);
      }
      const unexplained = rows.filter((h) => !mine.some((a) => t(a.occurred_at) === t(h.set_at)));
      // the password a user was created with is the one write no change audits
      if (unexplained.length > 1) v.push(`user ${u.id}: ${unexplained.length} password writes without an audited change`);
      if (mine.length > 0) {
        const newest = Math.max(...mine.map((a) => t(a.occurred_at)!));
        if (t(u.password_set_at) !== newest) v.push(`user ${u.id}: password set at ${u.password_set_at?.toISOString()}, newest change audited at ${new Date(newest).toISOString()}`);
      }
    }
    const completedPerReset = countBy(audits('user.password_reset_completed', (a) => a.data?.via === 'email_link'), (a) => String(a.data?.resetId));
    for (const [reset, n] of completedPerReset) if (n > 1) v.push(`reset ${reset}: completed ${n} times`);
    result('I2', `${changes.length} password changes of ${s.users.length} users, ${s.changeTokens.filter((c) => c.used_at).length} change tokens used`, v);
  }

  // I3: token state only moves forward
  {
    const v = [...scope.observer.violations];
    for (const r of s.resets) {
      if (FINAL.has(r.state) && (!r.ended_at || !r.ended_by)) v.push(`reset ${r.id} is ${r.state} with no end recorded`);
      if (r.state === 'pending' && r.ended_at) v.push(`reset ${r.id} is pending but ended at ${r.ended_at.toISOString()}`);
    }
    for (const w of s.workflows.filter((x) => x.type === 'passwordResetEmailWorkflow')) {
      const [first, ...rest] = w.resetStates;
      if (first !== undefined && first !== 'pending') v.push(`${w.workflowId}: started as ${first}`);
      if (rest.length > 1 || rest.includes('pending')) v.push(`${w.workflowId}: ResetState went ${w.resetStates.join(' → ')}`);
    }
    result('I3', `${scope.observer.samples} samples of ${s.resets.length} links, ${s.changeTokens.length} change tokens, ${s.apiKeys.length} API keys, ${s.sessions.length} sessions; ResetState in ${s.workflows.filter((x) => x.type === 'passwordResetEmailWorkflow').length} histories`, v);
  }

  // I4: each email sent at least once; not again once the provider accepted it
  {
    const v: string[] = [];
    let accepted = 0;
    for (const r of s.resets) {
      const tries = s.attempts.filter((a) => a.metadata['resetId'] === r.id);
      const ok = tries.filter((a) => a.outcome === 'accepted');
      accepted += ok.length;
      const wf = lastRun(r.workflow_id);
      const sends = wf?.activities.filter((a) => a.type === 'sendResetEmail') ?? [];
      const sent = sends.find((a) => a.outcome === 'completed');
      if (r.delivery_state === 'sent' || r.delivery_state === 'delivered') {
        if (!r.message_id || !ok.some((a) => a.messageId === r.message_id)) v.push(`reset ${r.id}: recorded message ${r.message_id} was never accepted by the provider`);
        else if (ok[ok.length - 1]!.messageId !== r.message_id) v.push(`reset ${r.id}: the provider accepted ${ok.length - 1 - ok.findIndex((a) => a.messageId === r.message_id)} more after the recorded one`);
      }
      if (sent && ok.length === 0) v.push(`reset ${r.id}: the mail activity completed but the provider accepted nothing`);
      const maxAttempt = Math.max(0, ...sends.map((a) => a.attempt));
      if (ok.length > maxAttempt) v.push(`reset ${r.id}: ${ok.length} emails accepted for ${maxAttempt} mail attempts`);
      if (r.delivery_state === 'failed' && ok.length > 0) v.push(`reset ${r.id}: delivery failed, yet ${ok.length} emails were accepted`);
      const issued = wf?.activities.find((a) => a.type === 'issueResetLink' && a.outcome === 'completed')?.result?.status === 'issued';
      const endedBeforeMail = ['superseded', 'cancelled'].includes(r.state) && !sent;
      if (wf?.status === 'completed' && issued && !endedBeforeMail && r.delivery_state === 'pending') v.push(`reset ${r.id} ended ${r.state} with its email never sent nor failed`);
    }
    const operations = new Map<string, WorkflowFacts[]>();
    for (const w of s.workflows.filter((x) => x.type === 'temporaryPasswordWorkflow')) operations.set(w.workflowId, [...(operations.get(w.workflowId) ?? []), w]);
    for (const [workflowId, runs] of operations) {
      const notices = runs.flatMap((r) => r.activities.filter((a) => a.type === 'sendTemporaryPasswordNotice'));
      if (notices.length === 0) continue;
      const sentBy = runs.filter((r) => r.activities.some((a) => a.type === 'sendTemporaryPasswordNotice' && a.outcome === 'completed'));
      if (sentBy.length > 1) v.push(`${workflowId}: one operation (one Idempotency-Key) sent its notice from ${sentBy.length} workflow runs`);
      const userId = workflowId.split('/')[2];
      if ([...operations.keys()].filter((id) => id.split('/')[2] === userId).length > 1) continue; // counts below are per user
      const ok = s.attempts.filter((a) => a.tag === 'temporary-password' && a.metadata['userId'] === userId && a.outcome === 'accepted');
      accepted += ok.length;
      const attempts = runs.reduce((n, r) => n + Math.max(0, ...r.activities.filter((a) => a.type === 'sendTemporaryPasswordNotice').map((a) => a.attempt)), 0);
      if (sentBy.length && ok.length === 0) v.push(`${workflowId}: notice sent per history, none accepted`);
      if (ok.length > attempts) v.push(`${workflowId}: ${ok.length} notices accepted for ${attempts} attempts`);
    }
    result('I4', `${s.attempts.length} requests to the provider, ${accepted} accepted, for ${s.resets.length} links and ${operations.size} temporary passwords`, v);
  }

  // I5: revocation idempotent
  {
    const v: string[] = [];
    const revokedAudits = audits('user.sessions_revoked');
    for (const [wf, n] of countBy(revokedAudits.filter((a) => a.workflow_id), (a) => a.workflow_id!)) if (n > 1) v.push(`${wf}: sessions revoked ${n} times`);
    for (const session of s.sessions.filter((x) => x.revoked_at)) {
      const by = revokedAudits.filter((a) => a.user_id === session.user_id && t(a.occurred_at) === t(session.revoked_at));
      if (by.length !== 1) v.push(`session ${session.id}: ${by.length} revocations audited at its revocation time`);
    }
    for (const a of revokedAudits) {
      const n = s.sessions.filter((x) => x.user_id === a.user_id && t(x.revoked_at) === t(a.occurred_at)).length;
      if (n !== Number(a.data?.count)) v.push(`audit ${a.id}: says ${a.data?.count} sessions revoked, ${n} were`);
    }
    for (const k of s.apiKeys) {
      const n = audits('api_key.revoked', (a) => a.data?.keyId === k.id).length;
      if (n !== (k.revoked_at ? 1 : 0)) v.push(`API key ${k.id}: ${n} revocation audits, revoked ${k.revoked_at ? 'once' : 'never'}`);
    }
    for (const r of s.resets.filter((x) => x.state === 'cancelled')) {
      const n = audits('user.password_reset_email_cancelled', (a) => a.data?.resetId === r.id).length;
      if (n !== 1) v.push(`reset ${r.id}: cancelled, ${n} cancellation audits`);
    }
    result('I5', `${s.sessions.filter((x) => x.revoked_at).length} revoked sessions, ${s.apiKeys.filter((k) => k.revoked_at).length}/${s.apiKeys.length} revoked API keys, ${s.resets.filter((x) => x.state === 'cancelled').length} cancelled links`, v);
  }

  // I6: one audit row per step
  {
    const v: string[] = [];
    const stepOf = (a: Snapshot['audits'][number]) => [a.workflow_id ?? 'api', a.action, a.user_id ?? '', a.data?.resetId ?? '', a.data?.keyId ?? '', a.data?.sessionId ?? ''].join(' ');
    // an admin's own revocation or settings change is a step per request (no workflow)
    const perRequest = (a: Snapshot['audits'][number]) => !a.workflow_id && (a.action === 'tenant.settings_changed' || a.action === 'user.sessions_revoked');
    for (const [step, n] of countBy(s.audits.filter((a) => !perRequest(a)), stepOf)) {
      if (n > 1) v.push(`${n} audit rows for one step: ${step}`);
    }
    const exactly = (wf: WorkflowFacts, action: string, want: number) => {
      const n = audits(action, (a) => a.workflow_id === wf.workflowId).length;
      if (n !== want) v.push(`${wf.workflowId}: ${n} × ${action}, want ${want}`);
    };
    let steps = 0;
    for (const wf of s.workflows) {
      const done = (type: string) => wf.activities.filter((a) => a.type === type && a.outcome === 'completed');
      if (wf.type === 'passwordResetEmailWorkflow') {
        if (done('recordResetEmailSent').length) {
          steps++;
          exactly(wf, 'user.password_reset_email_sent', 1);
        }
        if (wf.status === 'completed' && TERMINAL_ACTION[wf.result?.state]) {
          steps++;
          const reset = wf.workflowId.split('/')[2];
          const n = audits(TERMINAL_ACTION[wf.result.state]!, (a) => a.data?.resetId === reset).length;
          if (n !== 1) v.push(`${wf.workflowId} ended ${wf.result.state}: ${n} audit rows`);
        }
      } else if (wf.type === 'temporaryPasswordWorkflow' && wf.status === 'completed') {
        steps++;
        exactly(wf, 'user.password_set_by_admin', wf.result?.ok ? 1 : 0);
      } else if (wf.type === 'forcePasswordResetWorkflow' && wf.status === 'completed') {
        steps++;
        exactly(wf, 'user.force_password_reset_set', wf.result?.ok ? 1 : 0);
      } else if (wf.type === 'signInPasswordChangeWorkflow' && wf.status === 'completed') {
        steps++;
        exactly(wf, 'user.password_reset_completed', wf.result?.ok ? 1 : 0);
      } else if (wf.type === 'bulkForceResetWorkflow' && wf.status === 'completed') {
        steps++;
        const rows = audits('user.force_password_reset_set', (a) => a.workflow_id === wf.workflowId);
        const users = new Set(rows.map((a) => a.user_id)).size;
        if (rows.length !== wf.result?.done || users !== rows.length) v.push(`${wf.workflowId}: ${rows.length} flag audits for ${users} users, ${wf.result?.done} done`);
      }
    }
    result('I6', `${s.audits.length} audit rows; ${steps} audited steps read from histories`, v);
  }
  return results;
}

export { INVARIANTS };
