import { asHttpResponse, INITIAL, useTestEnv } from './support/env';

/** `GET /dev/mailbox` on the API: api.md's JSON, read from the local mail sink while it is the mail transport. */

describe('with the local mail sink as the mail transport (POSTMARK_SERVER_TOKEN unset)', () => {
  const env = useTestEnv({ env: { POSTMARK_SERVER_TOKEN: '' } });

  test('answers every email the sink received, newest first, in api.md\'s fields (sentAt, and receivedAt beside it)', async () => {
    const tenant = await env.tenant();
    const first = await env.user(tenant, { password: INITIAL });
    const second = await env.user(tenant, { password: INITIAL });
    for (const user of [first, second]) {
      const sent = await env.api.POST('/admin/tenants/{tenantId}/users/{userId}/password-reset-email', {
        params: { path: { tenantId: tenant, userId: user.id } },
        body: {},
      });
      expect(sent.response.status).toBe(202);
      await env.resetLink(user.email); // delivered to the sink before the next one is sent
    }

    const { data, response } = await env.api.GET('/dev/mailbox');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const items = data!.items.filter((m) => m.to === first.email || m.to === second.email);
    expect(items.map((m) => m.to)).toEqual([second.email, first.email]);
    for (const m of items) {
      expect(m).toEqual(expect.objectContaining({
        id: expect.any(String), subject: expect.any(String), textBody: expect.stringContaining('/reset-password?token='),
        htmlBody: expect.stringContaining('/reset-password?token='), sentAt: m.receivedAt, receivedAt: expect.any(String),
      }));
      expect(new Date(m.sentAt).toISOString()).toBe(m.sentAt);
    }
    expect(items[0]!.sentAt >= items[1]!.sentAt).toBe(true);
    // the sink's own messages, mapped: same ids, same bodies
    const sinkMessage = env.sink.messages.find((m) => m.id === items[0]!.id)!;
    expect(items[0]).toMatchObject({ to: sinkMessage.to, subject: sinkMessage.subject, textBody: sinkMessage.textBody, sentAt: sinkMessage.receivedAt });

    const onlyFirst = await env.api.GET('/dev/mailbox', { params: { query: { to: first.email.toUpperCase() } } });
    expect(onlyFirst.data!.items.map((m) => m.to)).toEqual([first.email]);
  });

  test('a sink that does not answer is a 503 problem, not a 500', async () => {
    await env.sink.close();
    const res = asHttpResponse(await env.api.GET('/dev/mailbox'));
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'temporarily_unavailable', detail: expect.stringContaining('mail sink') });
    expect(res.headers.get('retry-after')).toBe('5');
  });
});

describe('with Postmark as the mail transport', () => {
  const env = useTestEnv({ worker: false });

  test('there is no mailbox: 404 not_found, and nothing is read from the sink', async () => {
    env.sink.messages.push({ id: 'x', receivedAt: new Date().toISOString(), from: 'a@example.com', to: 'b@example.com', subject: 's', textBody: 't', htmlBody: '', tag: null, metadata: {} });
    const res = asHttpResponse(await env.api.GET('/dev/mailbox'));
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found', detail: expect.stringContaining('mail sink') });
  });
});
