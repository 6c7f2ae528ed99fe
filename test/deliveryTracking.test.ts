import { bounceTypeFor } from '../dev/postmarkSink';
import type { SinkMessage } from '../dev/postmarkSink';
import { count, eventually, INITIAL, useTestEnv } from './support/env';

const env = useTestEnv();

/**
 * Postmark's webhook payloads as its developer documentation shows them (Delivery,
 * Bounce and SpamComplaint webhooks), with the ids of a real message filled in.
 */
const postmark = {
  delivery: (m: SinkMessage, deliveredAt = '2014-08-01T13:28:10.2735393-04:00') => ({
    MessageID: m.id,
    Recipient: m.to,
    DeliveredAt: deliveredAt,
    Details: 'Test delivery webhook details',
    Tag: m.tag,
    ServerID: 23,
    Metadata: m.metadata,
    RecordType: 'Delivery',
    MessageStream: 'outbound',
  }),
  bounce: (m: SinkMessage, o: { type?: string; typeCode?: number; description?: string; bouncedAt?: string } = {}) => ({
    RecordType: 'Bounce',
    MessageStream: 'outbound',
    // Postmark's documented example id: above 2^53, so JSON readers see it rounded (the schema takes any number)
    // eslint-disable-next-line no-loss-of-precision
    ID: 4323372036854775807,
    Type: o.type ?? 'HardBounce',
    TypeCode: o.typeCode ?? 1,
    Name: 'Hard bounce',
    Tag: m.tag,
    MessageID: m.id,
    Metadata: m.metadata,
    ServerID: 23,
    Description: o.description ?? 'The server was unable to deliver your message (ex: unknown user, mailbox not found).',
    Details: `smtp;550 5.1.1 <${m.to}>: Recipient address rejected: User unknown`,
    Email: m.to,
    From: 'sender@example.com',
    BouncedAt: o.bouncedAt ?? '2019-11-05T16:33:54.9070259Z',
    DumpAvailable: true,
    Inactive: true,
    CanActivate: true,
    Subject: 'Test subject',
    Content: 'Test content',
  }),
  spamComplaint: (m: SinkMessage) => ({
    RecordType: 'SpamComplaint',
    MessageStream: 'outbound',
    ID: 42,
    Type: 'SpamComplaint',
    TypeCode: 100001,
    Name: 'Spam complaint',
    Tag: m.tag,
    MessageID: m.id,
    Metadata: m.metadata,
    ServerID: 1234,
    Description: 'The subscriber explicitly marked this email as spam.',
    Details: 'Test spam complaint details',
    Email: m.to,
    From: 'sender@example.com',
    BouncedAt: '2019-11-05T16:33:54.9070259Z',
    DumpAvailable: true,
    Inactive: true,
    CanActivate: false,
    Subject: 'Test subject',
    Content: '<Abuse report dump>',
  }),
};

/** A user with a pending link whose email the sink accepted, with the sink's own webhooks off (the test posts Postmark's). */
async function pendingLink(o: { email?: string } = {}) {
  const tenant = await env.tenant();
  const user = await env.user(tenant, { password: INITIAL, ...(o.email ? { email: o.email } : {}) });
  const sent = await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/password-reset-email`, { body: {} });
  expect(sent.status).toBe(202);
  const message = await env.sink.waitFor((m) => m.to === user.email && m.tag === 'password-reset');
  // the link's email is recorded as handed over (with Postmark's message id) before the test reports on it
  await eventually(async () => ((await readReset(tenant, sent.body.resetId)).delivery.state === 'sent' ? true : undefined), 'delivery sent');
  return { tenant, user, resetId: sent.body.resetId as string, workflowId: sent.body.workflowId as string, message };
}

async function readReset(tenant: string, resetId: string) {
  const res = await env.http('GET', `/admin/tenants/${tenant}/password-resets/${resetId}`);
  expect(res.status).toBe(200);
  return res.body;
}

async function signalsOf(workflowId: string): Promise<string[]> {
  const names: string[] = [];
  for (const e of (await env.client.workflow.getHandle(workflowId).fetchHistory()).events ?? []) {
    if (e.workflowExecutionSignaledEventAttributes) names.push(e.workflowExecutionSignaledEventAttributes.signalName ?? '');
  }
  return names;
}

/** How many provider reports the link's workflow has recorded (completed recordEmailDelivery activities). */
async function recordedReports(workflowId: string): Promise<number> {
  const events = (await env.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const scheduled = new Map<string, string>();
  for (const e of events) {
    if (e.activityTaskScheduledEventAttributes) scheduled.set(String(e.eventId), e.activityTaskScheduledEventAttributes.activityType?.name ?? '');
  }
  return events.filter((e) => e.activityTaskCompletedEventAttributes && scheduled.get(String(e.activityTaskCompletedEventAttributes.scheduledEventId)) === 'recordEmailDelivery').length;
}

describe('Postmark webhooks through the HTTP edge into the workflow', () => {
  // the tests post Postmark's documented payloads themselves
  beforeAll(() => env.sink.configureWebhooks(undefined));
  afterAll(() => env.sink.configureWebhooks({ url: `${env.baseUrl}/webhooks/postmark`, ...env.webhookCredentials }));

  test('a Delivery webhook is recorded by the link: the reset and the user show it delivered, at DeliveredAt', async () => {
    const { tenant, user, resetId, workflowId, message } = await pendingLink();
    const res = await env.postmarkWebhook(postmark.delivery(message));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ outcome: 'signalled' });

    await eventually(async () => ((await readReset(tenant, resetId)).delivery.state === 'delivered' ? true : undefined), 'delivered');
    const reset = await readReset(tenant, resetId);
    expect(reset).toMatchObject({ state: 'pending', delivery: { state: 'delivered', at: '2014-08-01T17:28:10.273Z' } });
    const view = await env.http('GET', `/admin/tenants/${tenant}/users/${user.id}`);
    expect(view.body.pendingPasswordReset).toEqual({ resetId, expiresAt: reset.expiresAt, delivery: { state: 'delivered', at: '2014-08-01T17:28:10.273Z' } });
    expect(await signalsOf(workflowId)).toEqual(['deliveryReported']);
    // a delivery is not an audit event
    expect((await env.audit(tenant, user.id)).map((e) => e.action)).toEqual(['user.password_reset_email_sent']);
  });

  test('a hard bounce cancels the pending link with its reason, audited once however often Postmark retries', async () => {
    const { tenant, user, resetId, workflowId, message } = await pendingLink();
    const bounce = postmark.bounce(message);
    // Postmark retrying at once: both reach the running workflow
    const [first, second] = await Promise.all([env.postmarkWebhook(bounce), env.postmarkWebhook(bounce)]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await env.client.workflow.getHandle(workflowId).result()).toEqual({ state: 'cancelled' });

    const reset = await readReset(tenant, resetId);
    expect(reset).toMatchObject({
      state: 'cancelled',
      delivery: {
        state: 'bounced', bounceType: 'HardBounce', at: '2019-11-05T16:33:54.907Z',
        detail: 'The server was unable to deliver your message (ex: unknown user, mailbox not found).',
      },
    });
    // and later retries, after the workflow ended, change nothing
    const late = await env.postmarkWebhook(bounce);
    expect(late.status).toBe(200);
    expect(late.body).toEqual({ outcome: 'recorded' });
    expect((await readReset(tenant, resetId)).delivery).toEqual(reset.delivery);

    const events = await env.audit(tenant, user.id);
    expect(count(events, 'user.password_reset_email_bounced')).toBe(1);
    expect(count(events, 'user.password_reset_email_cancelled')).toBe(0);
    expect(events.find((e) => e.action === 'user.password_reset_email_bounced')).toMatchObject({
      data: { resetId, bounceType: 'HardBounce', description: 'The server was unable to deliver your message (ex: unknown user, mailbox not found).' },
      actor: { type: 'system', id: 'mail-delivery' },
      workflowId,
    });
    const view = await env.http('GET', `/admin/tenants/${tenant}/users/${user.id}`);
    expect(view.body.pendingPasswordReset).toBeNull();
    // the link in the email no longer works
    const token = message.textBody.match(/token=([\w-]+)/)![1];
    const use = await env.http('POST', '/auth/password-reset', { body: { token, newPassword: 'orbit-velvet-canyon-93' }, auth: null });
    expect(use.status).toBe(410);
    expect(use.body.code).toBe('link_used');
  });

  test('a spam complaint ends the pending link too (complained)', async () => {
    const { tenant, user, resetId, workflowId, message } = await pendingLink();
    expect((await env.postmarkWebhook(postmark.spamComplaint(message))).status).toBe(200);
    expect(await env.client.workflow.getHandle(workflowId).result()).toEqual({ state: 'cancelled' });
    expect((await readReset(tenant, resetId)).delivery).toEqual({
      state: 'complained', bounceType: 'SpamComplaint', at: '2019-11-05T16:33:54.907Z', detail: 'The subscriber explicitly marked this email as spam.',
    });
    const bounced = (await env.audit(tenant, user.id)).filter((e) => e.action === 'user.password_reset_email_bounced');
    expect(bounced.map((e) => e.data)).toEqual([{ resetId, bounceType: 'SpamComplaint', description: 'The subscriber explicitly marked this email as spam.' }]);
  });

  test('a soft bounce is recorded and the link stays pending; a later delivery wins, an older report does not undo it', async () => {
    const { tenant, user, resetId, workflowId, message } = await pendingLink();
    const soft = postmark.bounce(message, {
      type: 'SoftBounce', typeCode: 4096, bouncedAt: '2024-05-01T09:00:00Z',
      description: 'Unable to temporarily deliver message (i.e. mailbox full, account disabled, exceeds quota, out of disk space).',
    });
    expect((await env.postmarkWebhook(soft)).status).toBe(200);
    await eventually(async () => ((await readReset(tenant, resetId)).delivery.state === 'bounced' ? true : undefined), 'soft bounce recorded');
    expect(await readReset(tenant, resetId)).toMatchObject({ state: 'pending', delivery: { state: 'bounced', bounceType: 'SoftBounce', at: '2024-05-01T09:00:00.000Z' } });

    expect((await env.postmarkWebhook(postmark.delivery(message, '2024-05-01T09:14:00Z'))).status).toBe(200);
    await eventually(async () => ((await readReset(tenant, resetId)).delivery.state === 'delivered' ? true : undefined), 'delivered');
    // a soft bounce from before the delivery, arriving after it (Postmark does not promise order), leaves the delivery
    const older = { ...soft, BouncedAt: '2024-05-01T09:05:00Z' };
    expect((await env.postmarkWebhook(older)).status).toBe(200);
    // and the first soft bounce again (a retry) is the same report: the workflow records it once
    expect((await env.postmarkWebhook(soft)).status).toBe(200);
    // (signals that arrive while the workflow is busy show in its history once its task completes)
    await eventually(async () => ((await signalsOf(workflowId)).length === 4 ? true : undefined), 'four signals');
    expect(await signalsOf(workflowId)).toEqual(['deliveryReported', 'deliveryReported', 'deliveryReported', 'deliveryReported']);
    await eventually(async () => ((await recordedReports(workflowId)) === 3 ? true : undefined), 'three reports recorded');
    expect((await readReset(tenant, resetId)).delivery).toEqual({ state: 'delivered', at: '2024-05-01T09:14:00.000Z' });
    expect(count(await env.audit(tenant, user.id), 'user.password_reset_email_bounced')).toBe(0);

    // the link still works
    const token = message.textBody.match(/token=([\w-]+)/)![1];
    expect((await env.http('POST', '/auth/password-reset', { body: { token, newPassword: 'orbit-velvet-canyon-93' }, auth: null })).status).toBe(200);
    expect(await env.client.workflow.getHandle(workflowId).result()).toEqual({ state: 'completed' });
  });

  test('a webhook for a link that already ended is recorded on the reset; its state and audit stay', async () => {
    const { tenant, user, resetId, workflowId, message } = await pendingLink();
    const token = message.textBody.match(/token=([\w-]+)/)![1];
    expect((await env.http('POST', '/auth/password-reset', { body: { token, newPassword: 'orbit-velvet-canyon-93' }, auth: null })).status).toBe(200);
    expect(await env.client.workflow.getHandle(workflowId).result()).toEqual({ state: 'completed' });
    const before = await env.audit(tenant, user.id);

    const delivered = await env.postmarkWebhook(postmark.delivery(message));
    expect(delivered.body).toEqual({ outcome: 'recorded' });
    expect(await readReset(tenant, resetId)).toMatchObject({ state: 'completed', delivery: { state: 'delivered' } });
    // even a hard bounce now ends nothing and audits nothing
    const bounced = await env.postmarkWebhook(postmark.bounce(message));
    expect(bounced.status).toBe(200);
    expect(bounced.body).toEqual({ outcome: 'recorded' });
    expect(await readReset(tenant, resetId)).toMatchObject({ state: 'completed', delivery: { state: 'bounced', bounceType: 'HardBounce' } });
    expect(await env.audit(tenant, user.id)).toEqual(before);
    expect(await signalsOf(workflowId)).toEqual([]);
  });

  test('a webhook that overtakes the activity recording the message id still finds its reset, by the metadata the email carried', async () => {
    const { tenant, resetId, message } = await pendingLink();
    // as if the provider reported before the activity stored its message id (or on the email of an earlier attempt)
    await env.pool.query('UPDATE password_resets SET message_id = NULL WHERE id = $1', [resetId]);
    expect((await env.postmarkWebhook(postmark.delivery(message))).body).toEqual({ outcome: 'signalled' });
    await eventually(async () => ((await readReset(tenant, resetId)).delivery.state === 'delivered' ? true : undefined), 'delivered');
  });

  test('credentials, malformed payloads, unknown messages and other record types', async () => {
    const { tenant, resetId, message } = await pendingLink();
    const payload = postmark.delivery(message);

    const none = await env.postmarkWebhook(payload, { auth: null });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(none.body.code).toBe('unauthenticated');
    expect((await env.postmarkWebhook(payload, { auth: { user: env.webhookCredentials.user, password: 'not-the-password-at-all' } })).status).toBe(401);
    expect((await env.postmarkWebhook(payload, { auth: { user: 'someone-else', password: env.webhookCredentials.password } })).status).toBe(401);
    const bearer = await env.http('POST', '/webhooks/postmark', { body: payload });
    expect(bearer.status).toBe(401);
    // credentials come first: a malformed payload without them is a 401, not a 400
    expect((await env.postmarkWebhook('{ not json', { auth: null })).status).toBe(401);

    for (const bad of ['{ not json', { ...payload, DeliveredAt: 'yesterday' }, { ...payload, MessageID: 42 }, { Type: 'HardBounce' },
      (({ BouncedAt: _, ...rest }) => rest)(postmark.bounce(message))]) {
      const res = await env.postmarkWebhook(bad);
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'invalid_request' });
    }
    // nothing reached the link
    expect((await readReset(tenant, resetId)).delivery.state).toBe('sent');

    const unknown = await env.postmarkWebhook({ ...payload, MessageID: '00000000-0000-0000-0000-000000000000', Metadata: {} });
    expect(unknown.status).toBe(200);
    expect(unknown.body).toEqual({ outcome: 'ignored' });
    const open = await env.postmarkWebhook({ RecordType: 'Open', MessageID: message.id, Recipient: message.to, ReceivedAt: '2024-05-01T09:00:00Z' });
    expect(open.status).toBe(200);
    expect(open.body).toEqual({ outcome: 'ignored' });
    expect((await readReset(tenant, resetId)).delivery.state).toBe('sent');
  });
});

describe("the mail sink's webhooks, as Postmark's", () => {
  test("the sink reports each accepted email back to the API: a reset email shows delivered, a temporary password's notice is ignored", async () => {
    const tenant = await env.tenant();
    const user = await env.user(tenant, { password: INITIAL });
    const sent = await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/password-reset-email`, { body: {} });
    const message = await env.sink.waitFor((m) => m.to === user.email && m.tag === 'password-reset');
    const webhook = await env.sink.waitForWebhook((w) => w.payload['MessageID'] === message.id);
    expect(webhook).toMatchObject({ status: 200, payload: { RecordType: 'Delivery', Recipient: user.email, Metadata: { resetId: sent.body.resetId } } });
    await eventually(async () => ((await readReset(tenant, sent.body.resetId)).delivery.state === 'delivered' ? true : undefined), 'delivered');

    const other = await env.user(tenant, { password: INITIAL });
    await env.http('POST', `/admin/tenants/${tenant}/users/${other.id}/temporary-password`, { body: { password: 'lantern-oyster-kettle-21', mustResetOnNextSignIn: false } });
    const notice = await env.sink.waitFor((m) => m.to === other.email && m.tag === 'temporary-password');
    expect(await env.sink.waitForWebhook((w) => w.payload['MessageID'] === notice.id)).toMatchObject({ status: 200 });
  });

  test.each([
    ['HardBounce@bounce-testing.postmarkapp.com', 'HardBounce', 'cancelled', 1],
    ['softbounce@bounce-testing.postmarkapp.com', 'SoftBounce', 'pending', 0],
    ['BLOCKED@bounce-testing.postmarkapp.com', 'Blocked', 'pending', 0],
  ])('a reset email to %s bounces as %s: the link is %s', async (email, bounceType, state, audited) => {
    const tenant = await env.tenant();
    const user = await env.user(tenant, { password: INITIAL, email });
    const sent = await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/password-reset-email`, { body: {} });
    const message = await env.sink.waitFor((m) => m.to === email && m.tag === 'password-reset');
    const webhook = await env.sink.waitForWebhook((w) => w.payload['MessageID'] === message.id);
    expect(webhook).toMatchObject({ status: 200, payload: { RecordType: 'Bounce', Type: bounceType, Email: email } });
    const reset = await eventually(async () => {
      const r = await readReset(tenant, sent.body.resetId);
      return r.delivery.state === 'bounced' ? r : undefined;
    }, 'bounce recorded');
    expect(reset).toMatchObject({ delivery: { bounceType } });
    if (state === 'cancelled') expect(await env.client.workflow.getHandle(sent.body.workflowId).result()).toEqual({ state: 'cancelled' });
    expect((await readReset(tenant, sent.body.resetId)).state).toBe(state);
    expect(count(await env.audit(tenant, user.id), 'user.password_reset_email_bounced')).toBe(audited);
    // the hand-over is recorded too, even when the bounce overtook it
    await eventually(async () => (count(await env.audit(tenant, user.id), 'user.password_reset_email_sent') === 1 ? true : undefined), 'email_sent audited');
  });

  test("the black hole's addresses name their bounce type as Postmark documents them", () => {
    expect(bounceTypeFor('hardbounce@bounce-testing.postmarkapp.com')).toBe('HardBounce');
    expect(bounceTypeFor('Hard_Bounce@Bounce-Testing.PostmarkApp.com')).toBe('HardBounce');
    expect(bounceTypeFor('SpamNotification@bounce-testing.postmarkapp.com')).toBe('SpamNotification');
    expect(bounceTypeFor('dnserror@bounce-testing.postmarkapp.com')).toBe('DnsError');
    expect(bounceTypeFor('anyone@bounce-testing.postmarkapp.com')).toBe('HardBounce'); // Postmark's default
    expect(bounceTypeFor('spamcomplaint@bounce-testing.postmarkapp.com')).toBe('HardBounce'); // not generated by the black hole
    expect(bounceTypeFor('hardbounce@example.com')).toBeUndefined();
  });
});
