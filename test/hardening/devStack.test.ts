import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { PostmarkSink } from '../../dev/postmarkSink';
import { loadConfig } from '../../src/config';
import { startApiProcess } from '../support/apiProcess';
import { TestEnv } from '../support/env';

/**
 * The development stack hands nobody else the reset links (issue 17): the API listens on this machine only
 * unless HOST says otherwise, GET /dev/mailbox answers only a loopback peer naming a loopback Host, and the
 * local mail sink takes mail only with the token it was started with and shows each message sandboxed.
 */
const PASSWORD = 'glacier-ticket-marble-74';

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, setHost: !headers['host'] }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}

describe('GET /dev/mailbox on the API', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await TestEnv.start({ worker: true, env: { POSTMARK_SERVER_TOKEN: '' } });
  });
  afterAll(async () => {
    await env?.close();
  });

  test('answers this machine, and only under a loopback Host (DNS rebinding sends its own name)', async () => {
    const tenant = await env.tenant();
    const user = await env.user(tenant, { password: PASSWORD });
    await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/password-reset-email`, { body: {} });
    await env.resetLink(user.email);
    const port = new URL(env.baseUrl).port;
    const local = await get(`http://127.0.0.1:${port}/dev/mailbox`, { host: `localhost:${port}` });
    expect(local.status).toBe(200);
    expect(local.body).toContain(user.email);
    for (const host of [`rebind.attacker.example:${port}`, 'attacker.example', `192.0.2.2:${port}`]) {
      const rebound = await get(`http://127.0.0.1:${port}/dev/mailbox`, { host });
      expect(rebound.status).toBe(404);
      expect(rebound.body).not.toContain(user.email);
    }
  });

  test('a peer on the network gets 404, whatever Host it names', async () => {
    const address = Object.values(os.networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    expect(address).toBeDefined(); // a machine with a network: the test is about its neighbours
    // the same app, reached through an address of this machine's network (its peer is not loopback)
    const api = (env as unknown as { server: http.Server }).server;
    const exposed = http.createServer((req, res) => api.emit('request', req, res));
    await new Promise<void>((resolve) => exposed.listen(0, address, resolve));
    try {
      const port = (exposed.address() as AddressInfo).port;
      const remote = await get(`http://${address}:${port}/dev/mailbox`, { host: `localhost:${port}` });
      expect(remote.status).toBe(404);
      expect(remote.body).not.toContain('reset-password?token=');
    } finally {
      await new Promise<void>((resolve) => exposed.close(() => resolve()));
    }
  });
});

test('the API listens on 127.0.0.1 in development unless HOST says otherwise; on every interface (IPv6 and IPv4) in production', () => {
  const base = { ADMIN_API_KEY: 'x'.repeat(32), SECRETS_KEY: Buffer.alloc(32, 1).toString('base64'), DATABASE_URL: 'postgres://localhost/x' };
  expect(loadConfig({ ...base, NODE_ENV: 'development' }).host).toBe('127.0.0.1');
  expect(loadConfig({ ...base, NODE_ENV: 'development', HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  expect(loadConfig({ ...base, NODE_ENV: 'production', PUBLIC_URL: 'https://reset.example', POSTMARK_SERVER_TOKEN: 'POSTMARK_API_TEST' }).host).toBeUndefined();
});

describe('the local mail sink', () => {
  const sink = new PostmarkSink(undefined, { serverToken: 'sink-token-of-this-run' });
  let base = '';
  beforeAll(async () => {
    const { port } = await sink.listen(0);
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(() => sink.close());

  const send = (token: string | undefined, extra: Record<string, unknown> = {}) =>
    fetch(`${base}/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { 'x-postmark-server-token': token } : {}) },
      body: JSON.stringify({ From: 'a@example.com', To: 'victim@example.com', Subject: 'hi', HtmlBody: '<script>fetch("/dev/mailbox")</script>', ...extra }),
    });

  test('takes mail only with the token it was started with', async () => {
    expect((await send(undefined)).status).toBe(401);
    expect((await send('POSTMARK_API_TEST', { Metadata: { resetId: 'another-tenants-reset' } })).status).toBe(401);
    expect(sink.messages).toHaveLength(0);
    expect((await send('sink-token-of-this-run')).status).toBe(200);
    expect(sink.messages).toHaveLength(1);
  });

  test("serves a message's HTML sandboxed (no script on the mailbox's origin), and the mailbox only under a loopback Host", async () => {
    const id = sink.messages[0]!.id;
    const page = await get(`${base}/dev/mailbox/${id}`, { accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/(^|;\s*)sandbox(;|$)/);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    const list = await get(`${base}/dev/mailbox`, { accept: 'text/html' });
    expect(list.headers['content-security-policy']).toContain("default-src 'none'");
    expect((await get(`${base}/dev/mailbox`, { host: 'rebind.attacker.example' })).status).toBe(404);
    expect((await get(`${base}/dev/mailbox/${id}`, { host: 'rebind.attacker.example' })).status).toBe(404);
  });
});

describe('the API process itself', () => {
  let env: TestEnv;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    env = await TestEnv.start({ worker: false });
  });
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await env?.close();
  });

  /** This machine's first IPv4 address that is not loopback (the test is skipped without one). */
  const external = Object.values(os.networkInterfaces()).flat().find((i) => i && !i.internal && i.family === 'IPv4')?.address;

  // the config test above says what HOST defaults to; this one that server.js listens where the config says
  (external ? test : test.skip)("listens on 127.0.0.1 by default: answers there, refuses the connection at the machine's other address", async () => {
    const started = await startApiProcess(env);
    child = started.child;
    const port = Number(new URL(started.baseUrl).port);
    expect((await get(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const elsewhere = await get(`http://${external}:${port}/healthz`).then((r) => r.status, (err: NodeJS.ErrnoException) => err.code);
    expect(elsewhere).toBe('ECONNREFUSED');
  });
});
