import { eventually, INITIAL, useTestEnv } from './support/env';

const CHOSEN = 'harbor-quill-saffron-81';
/** the smallest sticky cache the SDK runs with: every link but the newest two is evicted */
const CACHE = 2;

const env = useTestEnv({ env: { WORKER_MAX_CACHED_WORKFLOWS: String(CACHE) } });

describe('a bounded workflow cache (WORKER_MAX_CACHED_WORKFLOWS)', () => {
  test('links whose workflows were evicted replay from history: one completes once, one is cancelled, the others stay pending', async () => {
    const tenant = await env.tenant();
    const users = [];
    for (let i = 0; i < 6; i++) users.push(await env.user(tenant, { password: INITIAL }));
    const resets: string[] = [];
    for (const u of users) {
      const sent = await env.http('POST', `/admin/tenants/${tenant}/users/${u.id}/password-reset-email`, { body: {} });
      expect(sent.status).toBe(202);
      resets.push(sent.body.resetId);
    }
    const links = [];
    for (const u of users) links.push(await env.resetLink(u.email));
    // the worker holds at most CACHE of the six waiting workflows
    await eventually(async () => (env.cachedWorkflows() <= CACHE ? true : undefined), 'the cache bounded');

    // the oldest link, long evicted: its workflow replays, takes the update, and the password changes once
    const done = await env.http('POST', '/auth/password-reset', { body: { token: links[0]!.token, newPassword: CHOSEN }, auth: null });
    expect(done.status).toBe(200);
    expect((await env.signIn(tenant, users[0]!.email, CHOSEN)).status).toBe(200);
    const again = await env.http('POST', '/auth/password-reset', { body: { token: links[0]!.token, newPassword: 'another-fine-passphrase-7' }, auth: null });
    expect(again.status).toBe(410);

    // the second, evicted too: an admin cancels it, and the link is dead
    const cancelled = await env.http('DELETE', `/admin/tenants/${tenant}/users/${users[1]!.id}/password-reset-email`);
    expect(cancelled.status).toBe(200);
    const late = await env.http('POST', '/auth/password-reset', { body: { token: links[1]!.token, newPassword: CHOSEN }, auth: null });
    expect(late.status).toBe(410);

    const states = await Promise.all(resets.slice(0, 3).map(async (id) => (await env.http('GET', `/admin/tenants/${tenant}/password-resets/${id}`)).body.state));
    expect(states).toEqual(['completed', 'cancelled', 'pending']);
    const audit = await env.http('GET', `/admin/tenants/${tenant}/audit-events?userId=${users[0]!.id}`);
    expect(audit.body.items.filter((e: { action: string }) => e.action === 'user.password_reset_completed')).toHaveLength(1);
  });
});
