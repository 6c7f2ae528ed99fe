import { useTestEnv } from './support/env';

const env = useTestEnv();

/** A history as text: every payload's bytes decoded, so a secret in any field, input, result or failure would show. */
function historyText(history: unknown): string {
  return JSON.stringify(history, (_k, v) => {
    if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
    if (v && typeof v === 'object' && v.type === 'Buffer' && Array.isArray(v.data)) return Buffer.from(v.data).toString('utf8');
    return v;
  });
}

test('no password, token, hash, email or name appears in any workflow history, search attribute or memo', async () => {
  const tenant = await env.tenant({ resetLinkTtlSeconds: 10 }, 'Secretive Org');
  const secrets = new Set<string>([env.adminKey, env.config.secretsKeys.primary.toString('base64')]);
  const remember = (...values: string[]) => values.forEach((v) => secrets.add(v));

  const initial = 'glacier-ticket-marble-74';
  const user = await env.user(tenant, { password: initial, displayName: 'Zebulon Quartermaine' });
  remember(initial, user.email, 'Zebulon Quartermaine');
  const base = `/admin/tenants/${tenant}/users/${user.id}`;
  const session = await env.signIn(tenant, user.email, initial);
  remember(session.body.session.token);

  // path 1: a weak attempt, then completion
  const sent = await env.http('POST', `${base}/password-reset-email`, { body: { revokeSessions: true }, headers: { 'idempotency-key': 'secrets-link' } });
  const link = await env.resetLink(user.email);
  remember(link.token, link.url);
  const weak = 'password1234';
  remember(weak);
  expect((await env.http('POST', '/auth/password-reset', { body: { token: link.token, newPassword: weak }, auth: null })).status).toBe(422);
  const viaLink = 'orbit-velvet-canyon-93';
  remember(viaLink);
  expect((await env.http('POST', '/auth/password-reset', { body: { token: link.token, newPassword: viaLink }, auth: null })).status).toBe(200);
  await env.client.workflow.getHandle(sent.body.workflowId).result();

  // path 1: cancelled, and expired
  await env.http('POST', `${base}/password-reset-email`, { body: {} });
  remember((await env.resetLink(user.email, env.sink.messages.length - 1)).token);
  expect((await env.http('DELETE', `${base}/password-reset-email`)).status).toBe(200);
  const expiring = await env.http('POST', `${base}/password-reset-email`, { body: {} });
  await env.client.workflow.getHandle(expiring.body.workflowId).result();
  for (const m of env.sink.messages) {
    const token = m.textBody.match(/token=([\w-]+)/)?.[1];
    if (token) remember(token);
  }

  // path 2 (a reuse attempt refused by the activity, then a good one), then the change at sign-in
  const reused = await env.http('POST', `${base}/temporary-password`, { body: { password: viaLink } });
  expect(reused.status).toBe(422);
  const temporary = 'lantern-oyster-kettle-21';
  remember(temporary);
  const temp = await env.http('POST', `${base}/temporary-password`, { body: { password: temporary, revokeSessions: true }, headers: { 'idempotency-key': 'secrets-temp' } });
  const tenantKey = await env.http('POST', `/admin/tenants/${tenant}/api-keys`, { body: { name: 'helpdesk' }, headers: { 'idempotency-key': 'secrets-key' } });
  remember(tenantKey.body.key);
  expect(temp.status).toBe(200);
  // the notice follows the revocation; the workflow then tracks the temporary password until the change below replaces it
  await env.sink.waitFor((m) => m.to === user.email && m.tag === 'temporary-password');
  const signIn = await env.signIn(tenant, user.email, temporary);
  remember(signIn.body.changeToken);
  const chosen = 'maple-harbor-quartz-88';
  remember(chosen);
  const changed = await env.http('POST', '/auth/password/change', { body: { changeToken: signIn.body.changeToken, newPassword: chosen }, auth: null });
  expect(changed.status).toBe(200);
  remember(changed.body.session.token);
  await env.client.workflow.getHandle(temp.body.workflowId).result();

  // path 3
  const forced = await env.http('POST', `${base}/force-password-reset`, { body: { revokeSessions: true } });
  expect(forced.status).toBe(200);

  // every hash ever stored for this user, whole and by its salt and digest
  const hashes = await env.pool.query('SELECT password_hash FROM password_history WHERE user_id = $1 UNION SELECT password_hash FROM users WHERE id = $1', [user.id]);
  for (const { password_hash: h } of hashes.rows) remember(h, ...h.split('$').slice(-2));
  expect(hashes.rows.length).toBeGreaterThanOrEqual(4);

  const executions = [];
  for await (const wf of env.client.workflow.list({ query: `TenantId = "${tenant}"` })) executions.push(wf);
  const types = new Set(executions.map((e) => e.type));
  expect(types).toEqual(new Set(['passwordResetEmailWorkflow', 'temporaryPasswordWorkflow', 'signInPasswordChangeWorkflow', 'forcePasswordResetWorkflow', 'passwordChangedNoticeWorkflow']));
  // every link mailed so far, the "this wasn't me" links of the notices included (issue 18)
  for (const m of env.sink.messages) for (const [, token] of m.textBody.matchAll(/token=([\w-]+)/g)) remember(token!);
  expect(executions.length).toBeGreaterThanOrEqual(7);

  for (const wf of executions) {
    const handle = env.client.workflow.getHandle(wf.workflowId, wf.runId);
    const described = await handle.describe();
    const text = [
      wf.workflowId,
      historyText(await handle.fetchHistory()),
      historyText(described.memo ?? {}),
      historyText(described.searchAttributes),
      historyText(described.typedSearchAttributes),
      historyText(await described.staticSummary?.() ?? ''),
    ].join('\n');
    // the histories are real and readable: ids are there in plain JSON
    expect(text).toContain(user.id);
    for (const secret of secrets) {
      if (text.includes(secret)) throw new Error(`${wf.workflowId} leaks a secret: ${secret.slice(0, 6)}…`);
    }
  }

  // nor in the stored Idempotency-Key outcomes, the API's logs or /metrics (issue 17)
  const stored = await env.pool.query(`SELECT * FROM idempotency_keys WHERE key IN ('secrets-link', 'secrets-temp', 'secrets-key')`);
  expect(stored.rows).toHaveLength(3);
  const places = {
    'the idempotency table': historyText(stored.rows),
    'the API log': env.logLines.join('\n'),
    '/metrics': await (await fetch(`${env.baseUrl}/metrics`)).text(),
  };
  for (const [place, text] of Object.entries(places)) {
    for (const secret of secrets) {
      if (secret.length >= 8 && text.includes(secret)) throw new Error(`${place} leaks a secret: ${secret.slice(0, 6)}…`);
    }
  }
});
