import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { freePort } from '../dev/freePort';
import { createApp } from '../src/api/app';
import { CHOSEN, eventually, INITIAL, TEMPORARY, TestEnv } from './support/env';
import { parsePrometheus, total, type Sample } from './support/prometheus';
import { kill, startWorkerProcess } from './support/workerProcess';

/**
 * GET /metrics on the API and the worker's exporter (WORKER_METRICS_ADDRESS),
 * scraped before and after each path: every counter moves by exactly what the
 * path did, once. The worker is the real process, so its metrics are the
 * Temporal Runtime's Prometheus exporter, as in production.
 */

const VIA_LINK = 'orbit-velvet-canyon-93';
const METRICS_TOKEN = `metrics-${randomBytes(12).toString('hex')}`;

let env: TestEnv;
let worker: ChildProcess;
let workerMetricsUrl: string;
beforeAll(async () => {
  env = await TestEnv.start({ worker: false, env: { METRICS_TOKEN } });
  const port = await freePort();
  workerMetricsUrl = `http://127.0.0.1:${port}/metrics`;
  worker = await startWorkerProcess(env, { WORKER_METRICS_ADDRESS: `127.0.0.1:${port}` });
});
afterAll(async () => {
  if (worker) await kill(worker);
  await env?.close();
});

async function scrapeApi(): Promise<Sample[]> {
  const res = await env.http('GET', '/metrics', { auth: METRICS_TOKEN });
  expect(res.status).toBe(200);
  return parsePrometheus(res.text);
}

async function scrapeWorker(): Promise<Sample[]> {
  const res = await fetch(workerMetricsUrl);
  expect(res.status).toBe(200);
  return parsePrometheus(await res.text());
}

type Expected = [name: string, labels: Record<string, string>, delta: number];

/**
 * Run `step` between two scrapes of each process and check the named series
 * moved by exactly `delta` (waiting for what the worker does after the API answers).
 */
async function expectMoves(step: () => Promise<void>, expected: { api?: Expected[]; worker?: Expected[] }): Promise<void> {
  const [apiBefore, workerBefore] = await Promise.all([scrapeApi(), scrapeWorker()]);
  await step();
  for (const [which, scrape, before, list] of [
    ['api', scrapeApi, apiBefore, expected.api ?? []],
    ['worker', scrapeWorker, workerBefore, expected.worker ?? []],
  ] as const) {
    if (list.length === 0) continue;
    const moved = (after: Sample[]) => list.map(([name, labels]) => total(after, name, labels) - total(before, name, labels));
    const want = list.map(([, , delta]) => delta);
    const after = await eventually(async () => {
      const samples = await scrape();
      return moved(samples).every((d, i) => d >= want[i]!) ? samples : undefined;
    }, `${which} metrics to move`, 20_000).catch(async () => scrape());
    expect(list.map(([name, labels], i) => [name, labels, moved(after)[i]])).toEqual(list);
  }
}

const started = (path: string, initiator: string): Expected => ['resetflow_resets_started_total', { path, initiator }, 1];
const ended = (path: string, outcome: string, n = 1): Expected => ['resetflow_resets_ended_total', { path, outcome }, n];
const request = (route: string, method: string, status: number): Expected => ['resetflow_http_requests_total', { route, method, status: String(status) }, 1];
const argon2 = (operation: string, n: number): Expected => ['resetflow_argon2_duration_seconds_count', { operation }, n];
const email = (template: string, outcome: string): Expected => ['resetflow_emails_total', { template, outcome }, 1];

test('GET /metrics wants METRICS_TOKEN when it is set', async () => {
  const none = await env.http('GET', '/metrics', { auth: null });
  expect(none.status).toBe(401);
  expect(none.body.code).toBe('unauthenticated');
  expect((await env.http('GET', '/metrics', { auth: `${METRICS_TOKEN}x` })).status).toBe(401);
  expect((await env.http('GET', '/metrics', { auth: env.adminKey })).status).toBe(401);
  const ok = await env.http('GET', '/metrics', { auth: METRICS_TOKEN });
  expect(ok.status).toBe(200);
  expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
  expect(ok.text).toContain('# TYPE resetflow_http_requests_total counter');
  expect(ok.text).toContain('process_cpu_user_seconds_total');
});

test('without METRICS_TOKEN, only the socket peer 127.0.0.1 or ::1 may scrape, whatever X-Forwarded-For says', async () => {
  // the same API without a token, trusting loopback proxies: X-Forwarded-For would make req.ip 127.0.0.1
  const server = http.createServer(createApp({ ...env.apiDeps, metricsToken: undefined, trustProxy: 'loopback' }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const get = (localAddress: string) =>
    new Promise<number>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path: '/metrics', localAddress, headers: { 'x-forwarded-for': '127.0.0.1' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      }).on('error', reject);
    });
  try {
    expect(await get('127.0.0.1')).toBe(200);
    expect(await get('127.0.0.2')).toBe(403);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

test('each path moves its counters by exactly what it did', async () => {
  // no password history: each password write is one argon2 hash in the worker, no verification
  const tenant = await env.tenant({ passwordPolicy: { historyCount: 0 } }, 'Metered Org');
  const user = await env.user(tenant, { password: INITIAL });
  const base = `/admin/tenants/${tenant}/users/${user.id}`;
  const secrets = [user.email, user.id, INITIAL, VIA_LINK, TEMPORARY, CHOSEN, env.adminKey, METRICS_TOKEN];

  // path 1, started by an admin: the link is mailed
  let token = '';
  await expectMoves(async () => {
    expect((await env.http('POST', `${base}/password-reset-email`, { body: {} })).status).toBe(202);
    token = (await env.resetLink(user.email)).token;
  }, {
    api: [started('reset_email', 'admin'), request('/admin/tenants/{tenantId}/users/{userId}/password-reset-email', 'POST', 202)],
    worker: [email('reset_link', 'sent'), ended('reset_email', 'completed', 0)],
  });
  secrets.push(token);

  // path 1, completed through the link (the page is opened first: its query string holds the token)
  await expectMoves(async () => {
    expect((await env.http('GET', `/reset-password?token=${token}`, { auth: null })).status).toBe(200);
    expect((await env.http('POST', '/auth/password-reset', { body: { token, newPassword: VIA_LINK }, auth: null })).status).toBe(200);
  }, {
    api: [request('/reset-password', 'GET', 200), request('/auth/password-reset', 'POST', 200), argon2('hash', 0), argon2('verify', 0)],
    worker: [ended('reset_email', 'completed'), argon2('hash', 1), argon2('verify', 0)],
  });

  // path 1, self-service, then superseded by an admin's link, which the admin cancels
  await expectMoves(async () => {
    const before = env.sink.messages.length;
    expect((await env.http('POST', '/auth/password-reset-request', { body: { tenant, email: user.email }, auth: null })).status).toBe(202);
    secrets.push((await env.resetLink(user.email, before)).token);
  }, { api: [started('reset_email', 'user')], worker: [email('reset_link', 'sent')] });
  await expectMoves(async () => {
    const before = env.sink.messages.length;
    expect((await env.http('POST', `${base}/password-reset-email`, { body: {} })).status).toBe(202);
    secrets.push((await env.resetLink(user.email, before)).token);
    expect((await env.http('DELETE', `${base}/password-reset-email`)).status).toBe(200);
  }, {
    api: [started('reset_email', 'admin')],
    worker: [ended('reset_email', 'superseded'), ended('reset_email', 'cancelled'), email('reset_link', 'sent')],
  });

  // path 2: a temporary password, with its notice
  await expectMoves(async () => {
    const res = await env.http('POST', `${base}/temporary-password`, { body: { password: TEMPORARY } });
    expect(res.status).toBe(200);
    // its workflow stays open, tracking the temporary password until it lapses or is replaced: wait for the notice
    await env.sink.waitFor((m) => m.to === user.email && m.tag === 'temporary-password');
  }, {
    api: [started('temporary_password', 'admin'), request('/admin/tenants/{tenantId}/users/{userId}/temporary-password', 'POST', 200)],
    worker: [ended('temporary_password', 'completed'), email('temporary_password', 'sent'), argon2('hash', 1)],
  });

  // the change at sign-in: the temporary password demands a new one
  await expectMoves(async () => {
    const signIn = await env.signIn(tenant, user.email, TEMPORARY);
    expect(signIn.body.result).toBe('password_change_required');
    secrets.push(signIn.body.changeToken);
    const changed = await env.http('POST', '/auth/password/change', { body: { changeToken: signIn.body.changeToken, newPassword: CHOSEN }, auth: null });
    expect(changed.status).toBe(200);
    secrets.push(changed.body.session.token);
  }, {
    api: [
      ['resetflow_sign_ins_total', { outcome: 'password_change_required' }, 1], ['resetflow_sign_ins_total', { outcome: 'signed_in' }, 0],
      started('sign_in_change', 'user'), argon2('verify', 1), argon2('hash', 0),
    ],
    worker: [ended('sign_in_change', 'completed'), argon2('hash', 1)],
  });

  // path 3: forced at the next sign-in (no argon2: a flag)
  await expectMoves(async () => {
    expect((await env.http('POST', `${base}/force-password-reset`, { body: {} })).status).toBe(200);
  }, {
    api: [started('force_reset', 'admin')],
    worker: [ended('force_reset', 'completed'), argon2('hash', 0)],
  });

  // a failed sign-in: one verification, counted by outcome
  await expectMoves(async () => {
    expect((await env.signIn(tenant, user.email, 'not-the-password-at-all')).status).toBe(401);
  }, {
    api: [['resetflow_sign_ins_total', { outcome: 'invalid_credentials' }, 1], argon2('verify', 1), request('/auth/sign-in', 'POST', 401)],
  });

  // a rate-limited request: five reset requests an hour per address, the sixth is refused
  const unknown = `nobody-${randomBytes(4).toString('hex')}@example.com`;
  secrets.push(unknown);
  for (let i = 0; i < 5; i++) {
    expect((await env.http('POST', '/auth/password-reset-request', { body: { tenant, email: unknown }, auth: null })).status).toBe(202);
  }
  await expectMoves(async () => {
    expect((await env.http('POST', '/auth/password-reset-request', { body: { tenant, email: unknown }, auth: null })).status).toBe(429);
  }, {
    api: [['resetflow_rate_limited_total', { limiter: 'reset_request' }, 1], request('/auth/password-reset-request', 'POST', 429), started('reset_email', 'user')].map(
      (e) => (e[0] === 'resetflow_resets_started_total' ? [e[0], e[1], 0] : e) as Expected,
    ),
  });

  // the latency histogram beside the counter, by the same labels
  const api = await scrapeApi();
  const route = { route: '/admin/tenants/{tenantId}/users/{userId}/temporary-password', method: 'POST', status: '200' };
  expect(total(api, 'resetflow_http_request_duration_seconds_count', route)).toBe(total(api, 'resetflow_http_requests_total', route));

  // no label anywhere holds an email, a user id, a token, a password or a concrete URL
  const [apiText, workerText] = await Promise.all([
    env.http('GET', '/metrics', { auth: METRICS_TOKEN }).then((r) => r.text),
    fetch(workerMetricsUrl).then((r) => r.text()),
  ]);
  for (const secret of secrets) {
    expect(apiText).not.toContain(secret);
    expect(workerText).not.toContain(secret);
  }
  for (const s of parsePrometheus(apiText).filter((x) => x.name === 'resetflow_http_requests_total')) {
    expect(s.labels['route']).not.toMatch(/[?]|[0-9a-f]{8}-[0-9a-f]{4}-/);
  }
});

test('a link that expires is counted as expired; the worker also exports the SDK\'s own metrics', async () => {
  const tenant = await env.tenant({ resetLinkTtlSeconds: 10 }, 'Expiring Org');
  const user = await env.user(tenant, { password: INITIAL });
  await expectMoves(async () => {
    const res = await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/password-reset-email`, { body: {} });
    expect(res.status).toBe(202);
    await env.client.workflow.getHandle(res.body.workflowId).result();
  }, {
    worker: [ended('reset_email', 'expired'), email('reset_link', 'sent'), ['resetflow_reset_links_expired_unsent_total', {}, 0]],
  });
  const samples = await scrapeWorker();
  expect(samples.some((s) => s.name.startsWith('temporal_') && s.labels['task_queue'] === env.taskQueue)).toBe(true);
});
