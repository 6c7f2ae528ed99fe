import { WorkflowNotFoundError } from '@temporalio/client';
import type { SinkMessage } from '../dev/postmarkSink';
import { CHOSEN, INITIAL, TEMPORARY, count, eventually, expectProblem, useTestEnv } from './support/env';

/**
 * "Your password was changed — this wasn't me" (issue 18, part 2; api.md, Password change notices):
 * the notice after every password the user chose, its one-time report link, and the report that
 * locks the password, ends every session and cancels pending links, exactly once.
 */
const env = useTestEnv();

const REPORT_URL = /https?:\/\/\S+\/report-password-change\?token=[\w-]+/;

function reportToken(m: SinkMessage): string {
  const url = m.textBody.match(REPORT_URL)?.[0];
  if (!url) throw new Error(`no report link in "${m.subject}"`);
  return new URL(url).searchParams.get('token')!;
}

/** The "your password was changed" notice to `to`, the first one after message index `after`. */
async function changedNotice(to: string, after = 0): Promise<SinkMessage> {
  return env.sink.waitFor((m) => m.to === to && m.tag === 'password-changed' && env.sink.messages.indexOf(m) >= after);
}

function noticesTo(to: string): SinkMessage[] {
  return env.sink.messages.filter((m) => m.to === to && m.tag === 'password-changed');
}

async function report(token: string) {
  return env.http('POST', '/auth/password-change-report', { body: { token }, auth: null });
}

async function userView(tenant: string, userId: string) {
  return (await env.http('GET', `/admin/tenants/${tenant}/users/${userId}`)).body;
}

/** Path 1 to completion: an admin sends a link, the user chooses `password` through it. */
async function resetThroughLink(tenant: string, user: { id: string; email: string }, password: string): Promise<{ resetId: string; workflowId: string }> {
  const mark = env.sink.messages.length;
  const sent = await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/password-reset-email`, { body: {} });
  expect(sent.status).toBe(202);
  const link = await env.resetLink(user.email, mark);
  expect((await env.http('POST', '/auth/password-reset', { body: { token: link.token, newPassword: password }, auth: null })).status).toBe(200);
  return { resetId: sent.body.resetId, workflowId: sent.body.workflowId };
}

/** No notice workflow for this password, once the workflow that wrote it (`writtenBy`) has finished. */
async function noNoticeWorkflow(tenant: string, userId: string, sourceId: string, writtenBy: string): Promise<void> {
  await env.client.workflow.getHandle(writtenBy).result();
  await expect(env.client.workflow.getHandle(`password-changed-notice/${tenant}/${userId}/${sourceId}`).describe()).rejects.toThrow(WorkflowNotFoundError);
}

/** The notice workflow's result; it starts once the password's own workflow has answered the user. */
async function noticeResult(tenant: string, userId: string, sourceId: string): Promise<unknown> {
  const handle = env.client.workflow.getHandle(`password-changed-notice/${tenant}/${userId}/${sourceId}`);
  await eventually(() => handle.describe().then(() => true, () => undefined), 'the notice workflow');
  return handle.result();
}

test('a completed reset link is followed by the notice; reporting it locks the password, ends every session and cancels pending links, once; a new link ends the lock', async () => {
  const tenant = await env.tenant({}, 'Globex');
  const user = await env.user(tenant, { password: INITIAL });
  const { resetId } = await resetThroughLink(tenant, user, CHOSEN);

  const notice = await changedNotice(user.email);
  expect(notice.subject).toBe('Your Globex password was changed');
  expect(notice.textBody + notice.htmlBody).not.toContain(CHOSEN);
  const token = reportToken(notice);
  expect(notice.htmlBody).toContain('/report-password-change?token=');
  expect(await noticeResult(tenant, user.id, resetId)).toEqual({ state: 'sent' });
  // stored as its SHA-256 only, bound to the password it reports
  const row = (await env.pool.query(
    `SELECT r.token_hash = sha256($2::bytea) AS hashed, r.password_set_at = u.password_set_at AS bound, r.expires_at - r.created_at AS ttl, r.message_id IS NOT NULL AS tracked
       FROM password_change_reports r JOIN users u ON u.id = r.user_id WHERE r.user_id = $1`, [user.id, Buffer.from(token)])).rows;
  expect(row).toEqual([{ hashed: true, bound: true, ttl: { days: 7 }, tracked: true }]);

  // a session, and a pending link, that the report must end
  const session = await env.signIn(tenant, user.email, CHOSEN);
  expect(session.body.result).toBe('signed_in');
  const pending = await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/password-reset-email`, { body: {} });
  const pendingLink = await env.resetLink(user.email, env.sink.messages.length - 1);

  // the page asks and consumes nothing, however often it is opened (mail scanners open links)
  for (let i = 0; i < 2; i++) {
    const page = await env.http('GET', `/report-password-change?token=${token}`, { auth: null });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.text).toContain('action="/auth/password-change-report"');
    expect(page.text).toContain(user.email);
  }

  const res = await report(token);
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ result: 'password_locked' });
  expectProblem(await report(token), 410, 'link_used');

  // that password now fails like a wrong one; the session is gone; the pending link is cancelled, in the database and its workflow
  const locked = await env.signIn(tenant, user.email, CHOSEN);
  expectProblem(locked, 401, 'invalid_credentials');
  expect(locked.body).toEqual((await env.signIn(tenant, user.email, 'not-the-password-at-all-7')).body);
  expect((await env.http('GET', '/auth/session', { auth: session.body.session.token })).status).toBe(401);
  expect((await env.http('GET', `/admin/tenants/${tenant}/password-resets/${pending.body.resetId}`)).body.state).toBe('cancelled');
  expectProblem(await env.http('POST', '/auth/password-reset', { body: { token: pendingLink.token, newPassword: 'copper-meadow-lantern-52' }, auth: null }), 410, 'link_used');
  expect(await env.client.workflow.getHandle(pending.body.workflowId).result()).toEqual({ state: 'cancelled' });

  const view = await userView(tenant, user.id);
  expect(view.passwordIdentity.lockedAt).toEqual(expect.any(String));
  expect(view.pendingPasswordReset).toBeNull();
  expect(view.actions).toEqual({
    sendPasswordResetEmail: { enabled: true }, setTemporaryPassword: { enabled: true },
    forcePasswordReset: { enabled: false, reason: 'password_locked' }, revokeSessions: { enabled: true },
  });
  const events = await env.audit(tenant, user.id);
  const reported = events.filter((e) => e.action === 'user.password_change_reported');
  expect(reported).toEqual([expect.objectContaining({ actor: { type: 'user', id: user.id }, data: { lockedAt: view.passwordIdentity.lockedAt } })]);
  expect(events.filter((e) => e.action === 'user.password_reset_email_cancelled')).toEqual([
    expect.objectContaining({ data: { resetId: pending.body.resetId, reason: 'password_change_reported' } }),
  ]);
  expect(events.filter((e) => e.action === 'user.sessions_revoked')).toEqual([expect.objectContaining({ data: { count: 1, reason: 'password_change_reported' } })]);
  const metric = await env.apiDeps.metrics.registry.getSingleMetricAsString('resetflow_password_change_reports_total');
  expect(metric).toMatch(/outcome="password_locked"\} [1-9]/);
  expect(metric).toMatch(/outcome="link_used"\} [1-9]/);

  // the way out: a newly sent link, completed, ends the lock (and is itself followed by a notice with a new link)
  const mark = env.sink.messages.length;
  await resetThroughLink(tenant, user, 'harbor-tulip-compass-31');
  expect((await userView(tenant, user.id)).passwordIdentity.lockedAt).toBeNull();
  expect((await env.signIn(tenant, user.email, 'harbor-tulip-compass-31')).body.result).toBe('signed_in');
  expect(reportToken(await changedNotice(user.email, mark))).not.toBe(token);
});

test('a change at sign-in is followed by the notice; notifyPasswordChanged off sends none', async () => {
  const on = await env.tenant();
  const off = await env.tenant({ notifyPasswordChanged: false });
  for (const tenant of [on, off]) {
    const user = await env.user(tenant, { password: INITIAL });
    expect((await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/force-password-reset`, { body: {} })).status).toBe(200);
    const signIn = await env.signIn(tenant, user.email, INITIAL);
    expect(signIn.body.result).toBe('password_change_required');
    expect((await env.http('POST', '/auth/password/change', { body: { changeToken: signIn.body.changeToken, newPassword: CHOSEN }, auth: null })).status).toBe(200);
    const changeTokenId = (await env.pool.query('SELECT id FROM change_tokens WHERE user_id = $1', [user.id])).rows[0].id as string;
    if (tenant === on) {
      expect(reportToken(await changedNotice(user.email))).toEqual(expect.any(String));
      expect(await noticeResult(tenant, user.id, changeTokenId)).toEqual({ state: 'sent' });
    } else {
      // notices off: the change starts no notice workflow at all
      await noNoticeWorkflow(tenant, user.id, changeTokenId, `password-change/${tenant}/${user.id}/${changeTokenId}`);
      expect(noticesTo(user.email)).toEqual([]);
      expect((await env.pool.query('SELECT count(*)::int AS n FROM password_change_reports WHERE user_id = $1', [user.id])).rows[0].n).toBe(0);
    }
  }
  // a completed link too: none when off
  const user = await env.user(off, { password: INITIAL });
  const { resetId, workflowId } = await resetThroughLink(off, user, CHOSEN);
  await noNoticeWorkflow(off, user.id, resetId, workflowId);
  expect(noticesTo(user.email)).toEqual([]);
});

test("path 2's notice carries the link: reporting locks the temporary password; a new temporary password ends the lock", async () => {
  const tenant = await env.tenant();
  const user = await env.user(tenant, { password: INITIAL });
  expect((await env.setTemporaryPassword(tenant, user.id, { password: TEMPORARY })).status).toBe(200);
  const notice = await env.sink.waitFor((m) => m.to === user.email && m.tag === 'temporary-password');
  expect(notice.textBody + notice.htmlBody).not.toContain(TEMPORARY);
  const token = reportToken(notice);
  // whoever holds the temporary password has signed in with it: their change token must not outlive the report
  const pendingChange = await env.signIn(tenant, user.email, TEMPORARY);
  expect(pendingChange.body.result).toBe('password_change_required');

  expect((await report(token)).status).toBe(200);
  expectProblem(await env.http('POST', '/auth/password/change', { body: { changeToken: pendingChange.body.changeToken, newPassword: CHOSEN }, auth: null }), 410, 'token_used');
  expect((await userView(tenant, user.id)).passwordIdentity.lockedAt).toEqual(expect.any(String));
  expectProblem(await env.signIn(tenant, user.email, TEMPORARY), 401, 'invalid_credentials');
  expect((await userView(tenant, user.id)).passwordIdentity.lockedAt).toEqual(expect.any(String));

  const again = await env.setTemporaryPassword(tenant, user.id, { password: 'velvet-anchor-prairie-64', notifyUser: false });
  expect(again.status).toBe(200);
  expect((await userView(tenant, user.id)).passwordIdentity.lockedAt).toBeNull();
  expect((await env.signIn(tenant, user.email, 'velvet-anchor-prairie-64')).body.result).toBe('password_change_required');
  // a notice the admin turned off holds no link
  expect((await env.pool.query('SELECT count(*)::int AS n FROM password_change_reports WHERE user_id = $1', [user.id])).rows[0].n).toBe(1);
});

test('concurrent reports of one link: one locks, every other is 410 link_used, and everything happens once', async () => {
  const tenant = await env.tenant();
  const user = await env.user(tenant, { password: INITIAL });
  await resetThroughLink(tenant, user, CHOSEN);
  const token = reportToken(await changedNotice(user.email));
  await Promise.all([1, 2, 3].map(() => env.signIn(tenant, user.email, CHOSEN)));
  await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/password-reset-email`, { body: {} });

  const answers = await Promise.all(Array.from({ length: 8 }, () => report(token)));
  expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
  for (const a of answers.filter((x) => x.status !== 200)) expectProblem(a, 410, 'link_used');

  const events = await env.audit(tenant, user.id);
  expect(count(events, 'user.password_change_reported')).toBe(1);
  expect(count(events, 'user.password_reset_email_cancelled')).toBe(1);
  expect(events.filter((e) => e.action === 'user.sessions_revoked')).toEqual([expect.objectContaining({ data: { count: 3, reason: 'password_change_reported' } })]);
});

test('a link whose password changed since is 410 link_used; a link older than 7 days is 410 link_expired; an unknown one 400 invalid_token', async () => {
  const tenant = await env.tenant();
  const stale = await env.user(tenant, { password: INITIAL });
  await resetThroughLink(tenant, stale, CHOSEN);
  const staleToken = reportToken(await changedNotice(stale.email));
  expect((await env.setTemporaryPassword(tenant, stale.id, { password: TEMPORARY, notifyUser: false })).status).toBe(200);
  expect((await env.http('GET', `/report-password-change?token=${staleToken}`, { auth: null })).status).toBe(410);
  expectProblem(await report(staleToken), 410, 'link_used');
  expect((await userView(tenant, stale.id)).passwordIdentity.lockedAt).toBeNull();
  expect((await env.signIn(tenant, stale.email, TEMPORARY)).body.result).toBe('password_change_required');

  const old = await env.user(tenant, { password: INITIAL });
  await resetThroughLink(tenant, old, CHOSEN);
  const oldToken = reportToken(await changedNotice(old.email));
  // seven days pass (the row's clock, not the test's)
  await env.pool.query(`UPDATE password_change_reports SET created_at = created_at - interval '7 days 1 minute', expires_at = expires_at - interval '7 days 1 minute' WHERE user_id = $1`, [old.id]);
  const page = await env.http('GET', `/report-password-change?token=${oldToken}`, { auth: null });
  expect(page.status).toBe(410);
  expect(page.text).toContain('Link expired');
  expectProblem(await report(oldToken), 410, 'link_expired');
  expect((await env.signIn(tenant, old.email, CHOSEN)).body.result).toBe('signed_in');

  for (const token of ['nope', 'x'.repeat(43), `${oldToken}x`]) {
    expectProblem(await report(token), 400, 'invalid_token');
    expect((await env.http('GET', `/report-password-change?token=${token}`, { auth: null })).status).toBe(400);
  }
  expect((await env.http('GET', '/report-password-change', { auth: null })).status).toBe(400);
  expect((await env.http('POST', '/auth/password-change-report', { body: { token: 5 }, auth: null })).status).toBe(400);
});

test('the form posts from this site only; from the page it locks and says so', async () => {
  const tenant = await env.tenant();
  const user = await env.user(tenant, { password: INITIAL });
  await resetThroughLink(tenant, user, CHOSEN);
  const token = reportToken(await changedNotice(user.email));
  const form = (origin: string) => env.http('POST', '/auth/password-change-report', {
    rawBody: new URLSearchParams({ token }).toString(), auth: null,
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin, 'sec-fetch-site': origin === env.baseUrl ? 'same-origin' : 'cross-site' },
  });
  expect((await form('https://evil.example')).status).toBe(403);
  expect((await userView(tenant, user.id)).passwordIdentity.lockedAt).toBeNull();
  const done = await form(env.baseUrl);
  expect(done.status).toBe(200);
  expect(done.text).toContain('Password locked');
  expect((await userView(tenant, user.id)).passwordIdentity.lockedAt).toEqual(expect.any(String));
});

test('the report token is never in a workflow history or a log line', async () => {
  const tenant = await env.tenant();
  const user = await env.user(tenant, { password: INITIAL });
  const { resetId, workflowId } = await resetThroughLink(tenant, user, CHOSEN);
  const token = reportToken(await changedNotice(user.email));
  await env.setTemporaryPassword(tenant, user.id, { password: TEMPORARY });
  const tempToken = reportToken(await env.sink.waitFor((m) => m.to === user.email && m.tag === 'temporary-password'));
  expect((await report(tempToken)).status).toBe(200);
  await eventually(async () => ((await userView(tenant, user.id)).passwordIdentity.lockedAt ? true : undefined), 'the lock');

  const ids = [workflowId, `password-changed-notice/${tenant}/${user.id}/${resetId}`];
  for await (const wf of env.client.workflow.list({ query: `TenantId = "${tenant}"` })) ids.push(wf.workflowId);
  const text = (await Promise.all([...new Set(ids)].map(async (id) => JSON.stringify(await env.client.workflow.getHandle(id).fetchHistory(), (_k, v) =>
    v && typeof v === 'object' && v.type === 'Buffer' && Array.isArray(v.data) ? Buffer.from(v.data).toString('utf8') : v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : v)))).join('\n');
  expect(text).toContain('sendPasswordChangedNotice');
  for (const t of [token, tempToken]) {
    expect(text).not.toContain(t);
    expect(env.logLines.join('\n')).not.toContain(t);
    expect(JSON.stringify(await env.audit(tenant, user.id))).not.toContain(t);
  }
});
