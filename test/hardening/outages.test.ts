import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../src/api/app';
import { createHttpDeps } from '../../src/api/deps';
import { createPool } from '../../src/db/pool';
import { silentLogger } from '../../src/log';
import { freePort } from '../../dev/freePort';
import { eventually, INITIAL, useTestEnv } from '../support/env';

/**
 * Dependencies down: every route answers a fast 503 problem with Retry-After, /readyz
 * names what is down, and a write that may still land says so and converges on retry.
 */
// a short wait on Temporal, so the "worker gone" case needs seconds, not 15
const env = useTestEnv({ worker: false, workflowWaitMs: 3_000 });

/** A second API process's worth of app whose PostgreSQL or Temporal points at a port nobody listens on. */
async function apiWith(o: { deadDatabase?: boolean; deadTemporal?: boolean }) {
  const dead = await freePort();
  const pool = o.deadDatabase ? createPool(`postgres://postgres@127.0.0.1:${dead}/nothing`, 2) : env.pool;
  // (no gRPC retry interceptor on the dead connection: its retries would outlive the test and throw on a closed channel)
  const temporal = o.deadTemporal ? new Client({ connection: Connection.lazy({ address: `127.0.0.1:${dead}`, interceptors: [] }) }) : env.client;
  const deps = { ...createHttpDeps(env.config, { pool, temporal, log: silentLogger }), workflowWaitMs: 3_000 };
  const server = http.createServer(createApp(deps));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const call = async (method: string, path: string, body?: unknown) => {
    const started = Date.now();
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${env.adminKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined, ms: Date.now() - started };
  };
  const close = async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    if (o.deadDatabase) await pool.end();
    if (o.deadTemporal) await temporal.connection.close();
  };
  return { call, close };
}

function expectUnavailable(res: { status: number; headers: Headers; body: { code?: string; detail?: string } }, what: RegExp) {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status: 503, code: 'temporarily_unavailable' });
  expect(res.headers.get('retry-after')).toBeTruthy();
  expect(res.body.detail).toMatch(what);
}

test('PostgreSQL unreachable: every kind of route answers 503 at once; /readyz names PostgreSQL', async () => {
  const tenant = await env.tenant();
  const user = await env.user(tenant, { password: INITIAL });
  const api = await apiWith({ deadDatabase: true });
  try {
    for (const [method, path, body] of [
      ['GET', `/admin/tenants/${tenant}`],
      ['GET', `/admin/tenants/${tenant}/users/${user.id}`],
      ['POST', `/admin/tenants/${tenant}/users/${user.id}/force-password-reset`, {}],
      ['POST', '/auth/sign-in', { tenant, email: user.email, password: INITIAL }],
      ['POST', '/auth/password-reset', { token: 'A'.repeat(43), newPassword: INITIAL }],
      ['GET', `/admin/tenants/${tenant}/audit-events`],
    ] as const) {
      const res = await api.call(method, path, body);
      expectUnavailable(res, /database/i);
      expect({ path, slow: res.ms > 5_000 }).toEqual({ path, slow: false });
    }
    const ready = await api.call('GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.detail).toMatch(/PostgreSQL/);
    expect(ready.body.detail).not.toMatch(/Temporal/);
  } finally {
    await api.close();
  }
});

test('Temporal unreachable: the routes that need it answer 503 within the documented wait; /readyz names Temporal', async () => {
  const tenant = await env.tenant();
  const user = await env.user(tenant, { password: INITIAL });
  const api = await apiWith({ deadTemporal: true });
  try {
    const forced = await api.call('POST', `/admin/tenants/${tenant}/users/${user.id}/force-password-reset`, {});
    expectUnavailable(forced, /Temporal/);
    expect(forced.ms).toBeLessThan(3_000 + 1_000);
    expectUnavailable(await api.call('POST', `/admin/tenants/${tenant}/users/${user.id}/password-reset-email`, {}), /Temporal/);
    expectUnavailable(await api.call('GET', `/admin/tenants/${tenant}/password-rotation`), /Temporal/);
    // what needs only PostgreSQL still works
    expect((await api.call('GET', `/admin/tenants/${tenant}/users/${user.id}`)).status).toBe(200);
    const ready = await api.call('GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.detail).toMatch(/Temporal/);
    expect(ready.body.detail).not.toMatch(/PostgreSQL/);
  } finally {
    await api.close();
  }
});

test('no worker: a write answers 503 "may still be applied", and its retry with the same key converges on one outcome', async () => {
  const tenant = await env.tenant();
  const user = await env.user(tenant, { password: INITIAL });
  const path = `/admin/tenants/${tenant}/users/${user.id}/force-password-reset`;
  const started = Date.now();
  const first = await env.http('POST', path, { body: {}, headers: { 'idempotency-key': 'outage-1' } });
  expect({ status: first.status, code: first.body.code }).toEqual({ status: 503, code: 'temporarily_unavailable' });
  expect(Date.now() - started).toBeLessThan(3_000 + 1_000);
  expect(first.body.detail).toMatch(/may still be applied.*same Idempotency-Key/);

  await env.startWorker();
  try {
    await eventually(async () => {
      const r = await env.http('POST', path, { body: {}, headers: { 'idempotency-key': 'outage-1' } });
      return r.status === 200 ? r : undefined;
    }, 'the retry to succeed');
    expect((await env.audit(tenant, user.id)).filter((e) => e.action === 'user.force_password_reset_set')).toHaveLength(1);
  } finally {
    await env.stopWorker();
  }
  expect((await env.http('GET', '/readyz', { auth: null })).status).toBe(200);
});
