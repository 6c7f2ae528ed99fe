import { searchAttributes } from '../src/contract/searchAttributes';
import { count, eventually, expectProblem, INITIAL, TEMPORARY, useTestEnv } from './support/env';
import { kill, startWorkerProcess } from './support/workerProcess';

/**
 * Second-admin approval (issue 18, api.md "Approvals"): each reset path held and applied
 * on approval, rejected, expired; the requester refused; one winner among concurrent
 * decisions and the expiry; the worker stopped while an approval waits and while an
 * approve call is on its way; the held temporary password never in a history.
 */
const env = useTestEnv();

const HOLD_ALL = { approvals: { requiredFor: 'all_users' as const, ttlSeconds: 300 } };
const HOLD_PRIVILEGED = { approvals: { requiredFor: 'privileged_users' as const, ttlSeconds: 300 } };

async function tenantKey(tenant: string, name: string): Promise<string> {
  const res = await env.http('POST', `/admin/tenants/${tenant}/api-keys`, { body: { name } });
  expect(res.status).toBe(201);
  return res.body.key;
}

const base = (tenant: string, userId: string) => `/admin/tenants/${tenant}/users/${userId}`;
const approvalPath = (tenant: string, approvalId: string) => `/admin/tenants/${tenant}/approvals/${approvalId}`;

/** Every event of a workflow's history as JSON text, each payload's data decoded (what the Web UI shows). */
async function historyText(workflowId: string): Promise<string> {
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  const json = JSON.stringify(history, (_k, v) => (typeof v === 'bigint' ? String(v) : v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v));
  const decoded = [...json.matchAll(/"data":"([A-Za-z0-9+/=]+)"/g)].map((m) => Buffer.from(m[1]!, 'base64').toString('utf8'));
  return [json, ...decoded].join('\n');
}

test('a privileged user\'s temporary password is held (202), applied once when another admin approves, and never in a history', async () => {
  const tenant = await env.tenant(HOLD_PRIVILEGED);
  const user = await env.user(tenant, { password: INITIAL });
  const other = await env.user(tenant, { password: INITIAL });
  const patched = await env.http('PATCH', base(tenant, user.id), { body: { privileged: true } });
  expect(patched.status).toBe(200);
  expect(patched.body.privileged).toBe(true);
  const approver = await tenantKey(tenant, 'Second admin');

  // a user the setting does not cover is not held
  expect((await env.setTemporaryPassword(tenant, other.id, { password: TEMPORARY, notifyUser: false })).status).toBe(200);

  const held = await env.setTemporaryPassword(tenant, user.id, { password: TEMPORARY, notifyUser: false });
  expect(held.status).toBe(202);
  expect(held.body).toEqual({ approvalId: expect.any(String), state: 'pending', expiresAt: expect.any(String), workflowId: expect.any(String) });
  const { approvalId } = held.body;
  // nothing applied: the old password still signs in
  expect((await env.signIn(tenant, user.email, INITIAL)).body.result).toBe('signed_in');

  // a second request for the same user and action waits behind the first
  const again = await env.setTemporaryPassword(tenant, user.id, { password: TEMPORARY, notifyUser: false });
  expectProblem(again, 409, 'approval_pending');
  expect(again.body.approvalId).toBe(approvalId);

  const listed = await env.http('GET', `/admin/tenants/${tenant}/approvals?state=pending`);
  expect(listed.body.items.map((a: { approvalId: string }) => a.approvalId)).toEqual([approvalId]);
  expect(listed.body.items[0]).toMatchObject({ userId: user.id, action: 'temporary_password', state: 'pending', requestedBy: { type: 'admin', id: 'platform' } });
  expect(listed.text).not.toContain(TEMPORARY);

  // the requester cannot approve their own request
  expectProblem(await env.http('POST', `${approvalPath(tenant, approvalId)}/approve`, { body: {} }), 403, 'approver_is_requester');

  const approved = await env.http('POST', `${approvalPath(tenant, approvalId)}/approve`, { body: {}, auth: approver });
  expect(approved.status).toBe(200);
  expect(approved.body).toMatchObject({ approvalId, state: 'approved', decidedBy: { type: 'admin', name: 'Second admin' }, appliedWorkflowId: expect.any(String) });
  // applied when the answer comes
  expect((await env.signIn(tenant, user.email, TEMPORARY)).body.result).toBe('password_change_required');

  // a decision is final
  const twice = await env.http('POST', `${approvalPath(tenant, approvalId)}/approve`, { body: {}, auth: approver });
  expectProblem(twice, 409, 'approval_decided');
  expect(twice.body.state).toBe('approved');

  const events = await env.audit(tenant, user.id);
  expect(count(events, 'approval.requested')).toBe(1);
  expect(count(events, 'approval.approved')).toBe(1);
  expect(count(events, 'user.password_set_by_admin')).toBe(1);
  const set = events.find((e) => e.action === 'user.password_set_by_admin')!;
  expect(set.actor).toMatchObject({ type: 'admin', id: 'platform' });
  expect(set.data).toMatchObject({ approvedBy: { type: 'admin', name: 'Second admin' } });
  expect(events.find((e) => e.action === 'approval.approved')).toMatchObject({ data: { approvalId, action: 'temporary_password' }, actor: { name: 'Second admin' } });

  // the password is sealed in the approval's history and the applied path's, never in clear
  for (const workflowId of [held.body.workflowId, approved.body.appliedWorkflowId]) {
    const text = await historyText(workflowId);
    // the payloads are read as text: the sealed password is there, so a clear one would be found too
    expect(text).toMatch(/"sealedPassword":"v2\.[\w-]+\./);
    expect(text).not.toContain(TEMPORARY);
  }
  expect(JSON.stringify(events)).not.toContain(TEMPORARY);
  expect(await env.client.workflow.getHandle(held.body.workflowId).result()).toEqual({ state: 'approved', appliedWorkflowId: approved.body.appliedWorkflowId });

  // counted in /metrics, and findable in the Temporal Web UI by its search attributes
  const metrics = (await env.http('GET', '/metrics')).text;
  expect(metrics).toMatch(/resetflow_approvals_total\{outcome="requested"\} [1-9]/);
  expect(metrics).toMatch(/resetflow_approvals_total\{outcome="approved"\} [1-9]/);
  const described = await env.client.workflow.getHandle(held.body.workflowId).describe();
  expect(described.typedSearchAttributes.get(searchAttributes.approvalState)).toBe('approved');
  expect(described.typedSearchAttributes.get(searchAttributes.approvalId)).toBe(approvalId);
});

test('path 1 and path 3 held for every user (all_users), applied on approval with approvedBy', async () => {
  const tenant = await env.tenant(HOLD_ALL);
  const user = await env.user(tenant, { password: INITIAL });
  const approver = await tenantKey(tenant, 'Approver');

  const forced = await env.http('POST', `${base(tenant, user.id)}/force-password-reset`, { body: {} });
  expect(forced.status).toBe(202);
  const email = await env.http('POST', `${base(tenant, user.id)}/password-reset-email`, { body: {} });
  expect(email.status).toBe(202);
  expect(email.body).toMatchObject({ state: 'pending', approvalId: expect.any(String) });
  expect(email.body.resetId).toBeUndefined();
  expect((await env.signIn(tenant, user.email, INITIAL)).body.result).toBe('signed_in');
  expect(env.sink.messages.filter((m) => m.to === user.email)).toHaveLength(0);

  expect((await env.http('POST', `${approvalPath(tenant, forced.body.approvalId)}/approve`, { body: {}, auth: approver })).status).toBe(200);
  expect((await env.signIn(tenant, user.email, INITIAL)).body.result).toBe('password_change_required');
  expect((await env.http('POST', `${approvalPath(tenant, email.body.approvalId)}/approve`, { body: {}, auth: approver })).status).toBe(200);
  await env.resetLink(user.email);

  const events = await eventually(async () => {
    const all = await env.audit(tenant, user.id);
    return count(all, 'user.password_reset_email_sent') === 1 ? all : undefined;
  }, 'the approved email sent');
  expect(count(events, 'user.force_password_reset_set')).toBe(1);
  expect(count(events, 'approval.approved')).toBe(2);
  for (const action of ['user.force_password_reset_set', 'user.password_reset_email_sent'] as const) {
    const e = events.find((x) => x.action === action)!;
    expect(e.actor).toMatchObject({ id: 'platform' });
    expect(e.data).toMatchObject({ approvedBy: { name: 'Approver' } });
  }
});

test('rejected: nothing applied, the reason audited, a second decision refused', async () => {
  const tenant = await env.tenant(HOLD_ALL);
  const user = await env.user(tenant, { password: INITIAL });
  const approver = await tenantKey(tenant, 'Reviewer');
  const held = await env.setTemporaryPassword(tenant, user.id, { password: TEMPORARY, notifyUser: false });
  expect(held.status).toBe(202);
  const rejected = await env.http('POST', `${approvalPath(tenant, held.body.approvalId)}/reject`, { body: { reason: 'caller could not verify' }, auth: approver });
  expect(rejected.status).toBe(200);
  expect(rejected.body).toMatchObject({ state: 'rejected', reason: 'caller could not verify' });
  expect(await env.client.workflow.getHandle(held.body.workflowId).result()).toEqual({ state: 'rejected' });
  expect((await env.signIn(tenant, user.email, INITIAL)).body.result).toBe('signed_in');
  expectProblem(await env.http('POST', `${approvalPath(tenant, held.body.approvalId)}/approve`, { body: {}, auth: approver }), 409, 'approval_decided');
  const events = await env.audit(tenant, user.id);
  expect(events.find((e) => e.action === 'approval.rejected')).toMatchObject({ data: { approvalId: held.body.approvalId, reason: 'caller could not verify' } });
  expect(count(events, 'user.password_set_by_admin')).toBe(0);
  // a new request may be made once the first is decided
  expect((await env.setTemporaryPassword(tenant, user.id, { password: TEMPORARY, notifyUser: false })).status).toBe(202);
});

test('expired: the TTL passes undecided, the expiry is audited once and the approval cannot be decided', async () => {
  const tenant = await env.tenant(HOLD_ALL);
  const user = await env.user(tenant, { password: INITIAL });
  const approver = await tenantKey(tenant, 'Late');
  // the API's clock runs 297 s behind for this request: the 300 s approval expires 3 s from now
  const realClock = env.apiDeps.clock;
  env.apiDeps.clock = () => new Date(Date.now() - 297_000);
  let held;
  try {
    held = await env.http('POST', `${base(tenant, user.id)}/force-password-reset`, { body: {} });
  } finally {
    env.apiDeps.clock = realClock;
  }
  expect(held.status).toBe(202);
  expect(Date.parse(held.body.expiresAt) - Date.now()).toBeLessThan(4_000);
  expect(await env.client.workflow.getHandle(held.body.workflowId).result()).toEqual({ state: 'expired' });
  const late = await env.http('POST', `${approvalPath(tenant, held.body.approvalId)}/approve`, { body: {}, auth: approver });
  expectProblem(late, 409, 'approval_decided');
  expect(late.body.state).toBe('expired');
  const events = await env.audit(tenant, user.id);
  expect(count(events, 'approval.expired')).toBe(1);
  expect(events.find((e) => e.action === 'approval.expired')!.actor).toMatchObject({ type: 'system', id: 'approval-expiry' });
  expect(count(events, 'user.force_password_reset_set')).toBe(0);
  expect((await env.http('GET', approvalPath(tenant, held.body.approvalId))).body.state).toBe('expired');
});

test('N concurrent approvals and rejections: exactly one decision wins, the action is applied at most once', async () => {
  const tenant = await env.tenant(HOLD_ALL);
  const user = await env.user(tenant, { password: INITIAL });
  const keys = await Promise.all(Array.from({ length: 6 }, (_, i) => tenantKey(tenant, `Admin ${i}`)));
  const held = await env.setTemporaryPassword(tenant, user.id, { password: TEMPORARY, notifyUser: false });
  expect(held.status).toBe(202);
  const answers = await Promise.all(keys.map((key, i) =>
    env.http('POST', `${approvalPath(tenant, held.body.approvalId)}/${i % 2 ? 'reject' : 'approve'}`, { body: {}, auth: key })));
  const winners = answers.filter((a) => a.status === 200);
  expect(winners).toHaveLength(1);
  for (const a of answers.filter((x) => x.status !== 200)) expectProblem(a, 409, 'approval_decided');
  const state = winners[0]!.body.state;
  expect(['approved', 'rejected']).toContain(state);
  const events = await env.audit(tenant, user.id);
  expect(count(events, 'approval.approved') + count(events, 'approval.rejected')).toBe(1);
  expect(count(events, 'user.password_set_by_admin')).toBe(state === 'approved' ? 1 : 0);
  expect((await env.signIn(tenant, user.email, state === 'approved' ? TEMPORARY : INITIAL)).status).toBe(200);
});

test('the worker stopped while an approval waits, and again while the approve call is on its way: applied once', async () => {
  const tenant = await env.tenant(HOLD_ALL);
  const user = await env.user(tenant, { password: INITIAL });
  const approver = await tenantKey(tenant, 'Night shift');
  const held = await env.setTemporaryPassword(tenant, user.id, { password: TEMPORARY, notifyUser: false });
  expect(held.status).toBe(202);

  await env.stopWorker();
  await env.startWorker();
  await env.stopWorker();
  // the decision is written and signalled while no worker runs; the call waits for the workflow to apply it
  const approving = env.http('POST', `${approvalPath(tenant, held.body.approvalId)}/approve`, { body: {}, auth: approver });
  await eventually(async () => ((await env.http('GET', approvalPath(tenant, held.body.approvalId))).body.state === 'approved' ? true : undefined), 'the decision written');
  await env.startWorker();
  const approved = await approving;
  expect([200, 503]).toContain(approved.status);
  await eventually(async () => ((await env.signIn(tenant, user.email, TEMPORARY)).body.result === 'password_change_required' ? true : undefined), 'the password applied');
  expect(await env.client.workflow.getHandle(held.body.workflowId).result()).toMatchObject({ state: 'approved' });
  const events = await env.audit(tenant, user.id);
  expect(count(events, 'approval.approved')).toBe(1);
  expect(count(events, 'user.password_set_by_admin')).toBe(1);
});

test('approvals: malformed ids are 400, unknown ones 404; the setting is validated and only the platform key may loosen it', async () => {
  const tenant = await env.tenant(HOLD_ALL);
  expectProblem(await env.http('GET', `/admin/tenants/${tenant}/approvals/not-a-uuid`), 400, 'invalid_request');
  expectProblem(await env.http('GET', `/admin/tenants/${tenant}/approvals/00000000-0000-4000-8000-000000000000`), 404, 'not_found');
  expectProblem(await env.http('POST', `/admin/tenants/${tenant}/approvals/00000000-0000-4000-8000-000000000000/approve`, { body: {} }), 404, 'not_found');
  expectProblem(await env.http('POST', `/admin/tenants/${tenant}/approvals/00000000-0000-4000-8000-000000000000/reject`, { body: { reason: 1 } }), 400, 'invalid_request');
  expect((await env.http('PATCH', `/admin/tenants/${tenant}`, { body: { settings: { approvals: { ttlSeconds: 299 } } } })).status).toBe(400);
  const key = await tenantKey(tenant, 'Helpdesk');
  const loosen = await env.http('PATCH', `/admin/tenants/${tenant}`, { body: { settings: { approvals: { requiredFor: 'none' } } }, auth: key });
  expect(loosen.status).toBe(403);

  // a tenant key may make a user privileged, never take it back (that would take the user out of the approvals)
  const user = await env.user(tenant, { password: INITIAL });
  const up = await env.http('PATCH', base(tenant, user.id), { body: { privileged: true }, auth: key });
  expect(up.status).toBe(200);
  expectProblem(await env.http('PATCH', base(tenant, user.id), { body: { privileged: false }, auth: key }), 403, 'forbidden');
  expect((await env.http('PATCH', base(tenant, user.id), { body: { privileged: false } })).body.privileged).toBe(false);
  const updated = (await env.audit(tenant, user.id)).filter((e) => e.action === 'user.updated');
  expect(updated.map((e) => (e.data as { after: { privileged?: boolean } }).after.privileged)).toEqual([false, true]);
});

test('the worker process SIGKILLed while an approval waits, and again right after the approve call: applied exactly once', async () => {
  const tenant = await env.tenant(HOLD_ALL);
  const user = await env.user(tenant, { password: INITIAL });
  const approver = await tenantKey(tenant, 'Day shift');
  await env.stopWorker();
  let worker = await startWorkerProcess(env);
  try {
    const held = await env.setTemporaryPassword(tenant, user.id, { password: TEMPORARY, notifyUser: false });
    expect(held.status).toBe(202);
    await kill(worker); // while the approval waits on its timer
    worker = await startWorkerProcess(env);

    const approving = env.http('POST', `${approvalPath(tenant, held.body.approvalId)}/approve`, { body: {}, auth: approver });
    await eventually(async () => ((await env.http('GET', approvalPath(tenant, held.body.approvalId))).body.state === 'approved' ? true : undefined), 'the decision written');
    await kill(worker); // right after the approve call: the workflow may be applying it
    worker = await startWorkerProcess(env);
    expect([200, 503]).toContain((await approving).status);

    await eventually(async () => ((await env.signIn(tenant, user.email, TEMPORARY)).body.result === 'password_change_required' ? true : undefined), 'the password applied', 60_000);
    expect(await env.client.workflow.getHandle(held.body.workflowId).result()).toMatchObject({ state: 'approved' });
    const events = await env.audit(tenant, user.id);
    expect(count(events, 'approval.requested')).toBe(1);
    expect(count(events, 'approval.approved')).toBe(1);
    expect(count(events, 'user.password_set_by_admin')).toBe(1);
  } finally {
    await kill(worker);
    await env.startWorker();
  }
});

test('a request past its expiry whose timer has not fired (no worker) does not block a new one; its expiry is audited once', async () => {
  const tenant = await env.tenant(HOLD_ALL);
  const user = await env.user(tenant, { password: INITIAL });
  const realClock = env.apiDeps.clock;
  env.apiDeps.clock = () => new Date(Date.now() - 298_000);
  let first;
  try {
    first = await env.http('POST', `${base(tenant, user.id)}/force-password-reset`, { body: {} });
  } finally {
    env.apiDeps.clock = realClock;
  }
  expect(first.status).toBe(202);
  await env.stopWorker();
  try {
    await eventually(async () => ((await env.http('GET', approvalPath(tenant, first.body.approvalId))).body.state === 'expired' ? true : undefined), 'past its expiry');
  } finally {
    await env.startWorker();
  }
  // the old workflow's timer and the new request race to expire it: one of them does, once
  const second = await env.http('POST', `${base(tenant, user.id)}/force-password-reset`, { body: {} });
  expect(second.status).toBe(202);
  expect(second.body.approvalId).not.toBe(first.body.approvalId);
  expect(await env.client.workflow.getHandle(first.body.workflowId).result()).toEqual({ state: 'expired' });
  const events = await env.audit(tenant, user.id);
  expect(count(events, 'approval.expired')).toBe(1);
  expect(count(events, 'approval.requested')).toBe(2);
});

test('a blocking request settled by someone else between the refused insert and the read does not block a new one', async () => {
  const tenant = await env.tenant(HOLD_ALL);
  const user = await env.user(tenant, { password: INITIAL });
  const first = await env.http('POST', `${base(tenant, user.id)}/force-password-reset`, { body: {} });
  expect(first.status).toBe(202);
  // past its expiry, while its workflow's timer is still minutes away
  await env.pool.query(`UPDATE approvals SET expires_at = now() - interval '1 second' WHERE id = $1`, [first.body.approvalId]);
  // another session (the old workflow's timer, as it were) holds the row and will settle it
  const settler = await env.pool.connect();
  try {
    await settler.query('BEGIN');
    await settler.query('SELECT id FROM approvals WHERE id = $1 FOR UPDATE', [first.body.approvalId]);
    const second = env.http('POST', `${base(tenant, user.id)}/force-password-reset`, { body: {} });
    // the new request's first step has found the old row pending and waits to expire it
    await eventually(async () => {
      const waiting = await env.pool.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE approvals SET state%'`);
      return waiting.rowCount ? true : undefined;
    }, 'the new request waiting on the old row');
    await settler.query(`UPDATE approvals SET state = 'expired', decided_at = now() WHERE id = $1`, [first.body.approvalId]);
    await settler.query('COMMIT');
    const answered = await second;
    expect(answered.status).toBe(202);
    expect(answered.body.approvalId).not.toBe(first.body.approvalId);
  } finally {
    await settler.query('ROLLBACK').catch(() => undefined);
    settler.release();
    await env.client.workflow.getHandle(first.body.workflowId).terminate('test over').catch(() => undefined);
  }
});
