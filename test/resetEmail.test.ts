import { count, eventually, INITIAL, useTestEnv } from './support/env';

const GOOD = 'orbit-velvet-canyon-93';

const env = useTestEnv();

async function sendResetEmail(tenant: string, userId: string, body: unknown = {}) {
  return env.http('POST', `/admin/tenants/${tenant}/users/${userId}/password-reset-email`, { body });
}

describe('path 1: reset email', () => {
  test('admin sends a link; the user sets a new password through the page and signs in with it', async () => {
    const tenant = await env.tenant();
    const user = await env.user(tenant, { password: INITIAL });

    const sent = await sendResetEmail(tenant, user.id);
    expect(sent.status).toBe(202);
    expect(sent.body).toEqual({ resetId: expect.any(String), workflowId: `password-reset-email/${tenant}/${sent.body.resetId}`, expiresAt: expect.any(String) });
    expect(Date.parse(sent.body.expiresAt) - Date.now()).toBeGreaterThan(23 * 3600 * 1000);

    const view = await env.http('GET', `/admin/tenants/${tenant}/users/${user.id}`);
    // the email is on its way, or already reported delivered by the sink's webhook
    expect(view.body.pendingPasswordReset).toEqual({
      resetId: sent.body.resetId, expiresAt: sent.body.expiresAt, delivery: expect.objectContaining({ state: expect.stringMatching(/^(pending|sent|delivered)$/) }),
    });

    const link = await env.resetLink(user.email);
    expect(link.url.startsWith(`${env.baseUrl}/reset-password?token=`)).toBe(true);
    expect(link.token).toMatch(/^[\w-]{43}$/); // 256 random bits

    // opening the page (twice: mail scanners prefetch) shows the form and consumes nothing
    for (let i = 0; i < 2; i++) {
      const page = await fetch(link.url);
      expect(page.status).toBe(200);
      expect(page.headers.get('referrer-policy')).toBe('strict-origin'); // no URL is sent as a referrer; the form's own post still names its origin
      expect(page.headers.get('cache-control')).toBe('no-store');
      const html = await page.text();
      expect(html).toContain('<form method="post" action="/auth/password-reset"');
      expect(html).not.toMatch(/<script|https?:\/\/(?!127\.0\.0\.1)/);
    }

    // a weak password is refused with the rule, and the link stays usable
    const weak = await env.http('POST', '/auth/password-reset', { body: { token: link.token, newPassword: 'password1234' }, auth: null });
    expect(weak.status).toBe(422);
    expect(weak.body.code).toBe('password_policy');
    expect(weak.body.errors).toEqual([expect.objectContaining({ field: 'newPassword', code: 'common_password' })]);

    // the form posts urlencoded and gets a plain answer
    const done = await fetch(`${env.baseUrl}/auth/password-reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: link.token, newPassword: GOOD, confirmPassword: GOOD }).toString(),
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Password changed');

    const again = await env.http('POST', '/auth/password-reset', { body: { token: link.token, newPassword: 'another-fine-passphrase-7' }, auth: null });
    expect(again.status).toBe(410);
    expect(again.body.code).toBe('link_used');

    expect((await env.signIn(tenant, user.email, INITIAL)).status).toBe(401);
    const signedIn = await env.signIn(tenant, user.email, GOOD);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.result).toBe('signed_in');

    const result = await env.client.workflow.getHandle(sent.body.workflowId).result();
    expect(result).toEqual({ state: 'completed' });
    const reset = await env.http('GET', `/admin/tenants/${tenant}/password-resets/${sent.body.resetId}`);
    expect(reset.body).toMatchObject({ state: 'completed', userId: user.id, workflowId: sent.body.workflowId });
    expect(['sent', 'delivered']).toContain(reset.body.delivery.state);
    expect(reset.body.completedAt).toEqual(expect.any(String));
    expect(reset.body.runId).toEqual(expect.any(String));

    const events = await env.audit(tenant, user.id);
    expect(count(events, 'user.password_reset_email_sent')).toBe(1);
    expect(count(events, 'user.password_reset_completed')).toBe(1);
    expect(events.find((e) => e.action === 'user.password_reset_completed')).toMatchObject({
      data: { via: 'email_link' },
      actor: { type: 'user', id: user.id },
      workflowId: sent.body.workflowId,
    });
    expect(events.find((e) => e.action === 'user.password_reset_email_sent')).toMatchObject({
      data: { resetId: sent.body.resetId, expiresAt: sent.body.expiresAt },
      actor: { type: 'admin', id: 'platform' },
    });
    const after = await env.http('GET', `/admin/tenants/${tenant}/users/${user.id}`);
    expect(after.body.pendingPasswordReset).toBeNull();
  });

  test('a link expires at the tenant TTL, once, and then answers link_expired', async () => {
    const tenant = await env.tenant({ resetLinkTtlSeconds: 10 });
    const user = await env.user(tenant, { password: INITIAL });
    const sent = await sendResetEmail(tenant, user.id);
    const link = await env.resetLink(user.email);

    expect(await env.client.workflow.getHandle(sent.body.workflowId).result()).toEqual({ state: 'expired' });
    const late = await env.http('POST', '/auth/password-reset', { body: { token: link.token, newPassword: GOOD }, auth: null });
    expect(late.status).toBe(410);
    expect(late.body.code).toBe('link_expired');
    const page = await fetch(link.url);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('expired');

    const events = await env.audit(tenant, user.id);
    expect(count(events, 'user.password_reset_link_expired')).toBe(1);
    expect(events.find((e) => e.action === 'user.password_reset_link_expired')?.data).toEqual({ resetId: sent.body.resetId });
    expect(count(events, 'user.password_reset_completed')).toBe(0);
    expect((await env.signIn(tenant, user.email, INITIAL)).status).toBe(200);
  });

  test('sending again supersedes the older link: only the newest works', async () => {
    const tenant = await env.tenant();
    const user = await env.user(tenant, { password: INITIAL });
    const first = await sendResetEmail(tenant, user.id);
    const firstLink = await env.resetLink(user.email);
    const mark = env.sink.messages.length;
    const second = await sendResetEmail(tenant, user.id);
    const secondLink = await env.resetLink(user.email, mark);
    expect(secondLink.token).not.toBe(firstLink.token);

    expect(await env.client.workflow.getHandle(first.body.workflowId).result()).toEqual({ state: 'superseded' });
    const old = await env.http('POST', '/auth/password-reset', { body: { token: firstLink.token, newPassword: GOOD }, auth: null });
    expect(old.status).toBe(410);
    expect(old.body.code).toBe('link_used');

    const ok = await env.http('POST', '/auth/password-reset', { body: { token: secondLink.token, newPassword: GOOD }, auth: null });
    expect(ok.status).toBe(200);
    expect(await env.client.workflow.getHandle(second.body.workflowId).result()).toEqual({ state: 'completed' });
    expect((await env.http('GET', `/admin/tenants/${tenant}/password-resets/${first.body.resetId}`)).body.state).toBe('superseded');
  });

  test('an admin cancels a pending link; cancelling twice finds nothing', async () => {
    const tenant = await env.tenant();
    const user = await env.user(tenant, { password: INITIAL });
    const sent = await sendResetEmail(tenant, user.id);
    const link = await env.resetLink(user.email);

    const cancel = await env.http('DELETE', `/admin/tenants/${tenant}/users/${user.id}/password-reset-email`);
    expect(cancel.status).toBe(200);
    expect(cancel.body).toEqual({ resetId: sent.body.resetId, state: 'cancelled' });
    expect((await env.http('DELETE', `/admin/tenants/${tenant}/users/${user.id}/password-reset-email`)).status).toBe(404);
    expect(await env.client.workflow.getHandle(sent.body.workflowId).result()).toEqual({ state: 'cancelled' });

    const use = await env.http('POST', '/auth/password-reset', { body: { token: link.token, newPassword: GOOD }, auth: null });
    expect(use.status).toBe(410);
    expect(use.body.code).toBe('link_used');
    const events = await env.audit(tenant, user.id);
    expect(count(events, 'user.password_reset_email_cancelled')).toBe(1);
    expect(events.find((e) => e.action === 'user.password_reset_email_cancelled')).toMatchObject({ data: { resetId: sent.body.resetId }, actor: { type: 'admin' } });
  });

  test('a link submitted twice at the same moment succeeds exactly once', async () => {
    const tenant = await env.tenant();
    const user = await env.user(tenant, { password: INITIAL });
    const sent = await sendResetEmail(tenant, user.id);
    const link = await env.resetLink(user.email);
    const passwords = ['first-choice-of-words-1', 'second-choice-of-words-2'];

    const answers = await Promise.all(
      passwords.map((newPassword) => env.http('POST', '/auth/password-reset', { body: { token: link.token, newPassword }, auth: null })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 410]);
    const winner = passwords[answers.findIndex((a) => a.status === 200)]!;
    const loser = passwords.find((p) => p !== winner)!;
    expect((await env.signIn(tenant, user.email, winner)).status).toBe(200);
    expect((await env.signIn(tenant, user.email, loser)).status).toBe(401);
    expect(await env.client.workflow.getHandle(sent.body.workflowId).result()).toEqual({ state: 'completed' });
    expect(count(await env.audit(tenant, user.id), 'user.password_reset_completed')).toBe(1);
  });

  test('a password set by an admin invalidates the outstanding link', async () => {
    const tenant = await env.tenant();
    const user = await env.user(tenant, { password: INITIAL });
    const sent = await sendResetEmail(tenant, user.id);
    const link = await env.resetLink(user.email);
    const set = await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/temporary-password`, { body: { password: 'temporary-pass-phrase-55', notifyUser: false } });
    expect(set.status).toBe(200);
    expect(await env.client.workflow.getHandle(sent.body.workflowId).result()).toEqual({ state: 'superseded' });
    const use = await env.http('POST', '/auth/password-reset', { body: { token: link.token, newPassword: GOOD }, auth: null });
    expect(use.body.code).toBe('link_used');
  });

  test('forgot password: a link for a real password account, the same 202 for anyone else', async () => {
    const tenant = await env.tenant();
    const user = await env.user(tenant, { password: INITIAL });
    const federated = await env.user(tenant, { federated: true });
    // counted by address: a password-changed notice of an earlier test may reach the provider meanwhile
    const before = env.sink.attempts.filter((a) => ['nobody@example.com', federated.email, user.email].includes(a.to)).length;
    for (const email of ['nobody@example.com', federated.email]) {
      const res = await env.http('POST', '/auth/password-reset-request', { body: { tenant, email }, auth: null });
      expect(res.status).toBe(202);
    }
    const res = await env.http('POST', '/auth/password-reset-request', { body: { tenant, email: user.email.toUpperCase() }, auth: null });
    expect(res.status).toBe(202);
    const link = await env.resetLink(user.email);
    expect(env.sink.attempts.filter((a) => ['nobody@example.com', federated.email, user.email].includes(a.to)).length).toBe(before + 1);
    expect((await env.http('POST', '/auth/password-reset', { body: { token: link.token, newPassword: GOOD }, auth: null })).status).toBe(200);
    const sentEvent = await eventually(async () => (await env.audit(tenant, user.id)).find((e) => e.action === 'user.password_reset_email_sent'), 'email_sent audit');
    expect(sentEvent.actor).toEqual({ type: 'user', id: user.id });
  });

  test('a recipient Postmark rejects for good ends the link with the reason recorded; a 503 is retried', async () => {
    const tenant = await env.tenant();
    const user = await env.user(tenant, { password: INITIAL });
    // only this user's email fails: a password-changed notice of an earlier test may reach the provider meanwhile
    env.sink.failNext({ status: 422, errorCode: 406, message: `You tried to send to recipient(s) that have been marked as inactive. Found inactive addresses: ${user.email}.` }, 1, (r) => r.to === user.email);
    const sent = await sendResetEmail(tenant, user.id);
    expect(await env.client.workflow.getHandle(sent.body.workflowId).result()).toEqual({ state: 'cancelled' });
    const reset = await env.http('GET', `/admin/tenants/${tenant}/password-resets/${sent.body.resetId}`);
    expect(reset.body).toMatchObject({ state: 'cancelled', delivery: { state: 'failed', error: 'inactive_recipient' } });
    const events = await env.audit(tenant, user.id);
    expect(count(events, 'user.password_reset_email_sent')).toBe(0);
    expect(events.find((e) => e.action === 'user.password_reset_email_cancelled')).toMatchObject({
      data: { resetId: sent.body.resetId, reason: 'delivery_failed' },
      actor: { type: 'system' },
    });

    const user2 = await env.user(tenant, { password: INITIAL });
    env.sink.failNext({ status: 503, errorCode: 0 }, 1, (r) => r.to === user2.email);
    const sent2 = await sendResetEmail(tenant, user2.id);
    const link = await env.resetLink(user2.email);
    expect((await env.http('POST', '/auth/password-reset', { body: { token: link.token, newPassword: GOOD }, auth: null })).status).toBe(200);
    expect(await env.client.workflow.getHandle(sent2.body.workflowId).result()).toEqual({ state: 'completed' });
  });
});
