import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { eventually, TestEnv } from './support/env';
import { generatedVectors, KRATOS_VECTORS } from './support/hashVectors';
import { startApiProcess } from './support/apiProcess';
import { kill, startWorkerProcess } from './support/workerProcess';

const NDJSON = { 'content-type': 'application/x-ndjson' };
const TUNING = { IMPORT_BATCH_SIZE: '50', IMPORT_BATCHES_PER_ACTIVITY: '3', IMPORT_ACTIVITIES_PER_RUN: '2' };

describe('user import with existing password hashes', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await TestEnv.start({ env: TUNING });
  });
  afterAll(async () => {
    await env?.close();
  });

  const upload = (tenant: string, lines: (object | string)[], o: { auth?: string } = {}) =>
    env.http('POST', `/admin/tenants/${tenant}/user-imports`, {
      rawBody: lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n',
      headers: NDJSON,
      ...(o.auth ? { auth: o.auth } : {}),
    });

  async function finished(tenant: string, importId: string) {
    return eventually(async () => {
      const s = await env.http('GET', `/admin/tenants/${tenant}/user-imports/${importId}`);
      return s.body.state !== 'running' ? s.body : undefined;
    }, 'the import to end', 90_000);
  }

  async function userByEmail(tenant: string, email: string) {
    const list = await env.http('GET', `/admin/tenants/${tenant}/users?q=${encodeURIComponent(email)}`);
    return list.body.items[0];
  }

  test('every hash format signs in with the right password only, and is replaced by argon2id once', async () => {
    const tenant = await env.tenant();
    const password = `Imported-${randomBytes(4).toString('hex')}`;
    const vectors = [
      ...KRATOS_VECTORS.map(([algorithm, pw, hash]) => ({ algorithm, password: pw, hash })),
      ...(await generatedVectors(password)).map(([algorithm, hash]) => ({ algorithm, password, hash })),
    ].map((v, i) => ({ ...v, email: `u${i}-${v.algorithm}@example.com` }));
    const started = await upload(tenant, vectors.map((v) => ({ email: v.email, passwordHash: v.hash, displayName: `User ${v.algorithm}` })));
    expect(started.status).toBe(202);
    expect(started.body.workflowId).toBe(`user-import/${tenant}/${started.body.importId}`);
    const result = await finished(tenant, started.body.importId);
    expect(result).toMatchObject({ state: 'completed', lines: vectors.length, created: vectors.length, skipped: 0, failed: 0, errors: [] });

    const counts = await env.http('GET', `/admin/tenants/${tenant}/password-hashes`);
    expect(counts.status).toBe(200);
    const expected = new Map<string, number>();
    for (const v of vectors) expected.set(v.algorithm, (expected.get(v.algorithm) ?? 0) + 1);
    expect(new Map(counts.body.items.map((i: { algorithm: string; users: number }) => [i.algorithm, i.users]))).toEqual(expected);

    for (const v of vectors) {
      const before = await userByEmail(tenant, v.email);
      expect([v.email, before.passwordIdentity.legacyHash]).toEqual([v.email, v.algorithm]);
      expect([v.email, (await env.signIn(tenant, v.email, `${v.password}-wrong`)).status]).toEqual([v.email, 401]);
      const ok = await env.signIn(tenant, v.email, v.password);
      expect([v.email, ok.status, ok.body.result]).toEqual([v.email, 200, 'signed_in']);
      const after = await userByEmail(tenant, v.email);
      expect([v.email, after.passwordIdentity.legacyHash]).toEqual([v.email, null]);
      const stored = await env.pool.query('SELECT password_hash FROM users WHERE id = $1', [after.id]);
      expect(stored.rows[0].password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
      // the new hash is the same password, and a wrong one still fails
      expect((await env.signIn(tenant, v.email, v.password)).status).toBe(200);
      expect((await env.signIn(tenant, v.email, `${v.password}-wrong`)).status).toBe(401);
      const events = (await env.audit(tenant, after.id)).filter((e) => e.action === 'user.password_rehashed');
      expect([v.email, events.map((e) => e.data)]).toEqual([v.email, [{ from: v.algorithm }]]);
      expect(events[0]!.actor).toMatchObject({ type: 'user', id: after.id });
    }
    const end = await env.http('GET', `/admin/tenants/${tenant}/password-hashes`);
    expect(end.body).toEqual({ items: [], argon2idUsers: vectors.length });
  }, 240_000);

  test('bad lines are reported by number and code; the rest are imported', async () => {
    const tenant = await env.tenant();
    const existing = await env.user(tenant, { password: 'An existing password 123!' });
    const hash = bcrypt.hashSync('Fine password 123', 4);
    const lines: (object | string)[] = [
      { email: 'ok1@example.com', passwordHash: hash, locale: 'de', privileged: true, externalId: 'legacy-1' }, // 1
      '{not json', // 2
      { email: 'no-hash-no-identity@example.com' }, // 3
      { email: 'bad-hash@example.com', passwordHash: 'md5:5f4dcc3b5aa765d61d8327deb882cf99' }, // 4
      { email: existing.email.toUpperCase(), passwordHash: hash }, // 5
      { email: 'OK1@example.com', passwordHash: hash }, // 6
      '', // 7: a blank line is no user and no error
      { email: 'fed@example.com', federatedIdentities: [{ provider: 'google', subject: 'g-1' }] }, // 8
      { email: 'unknown-field@example.com', passwordHash: hash, role: 'admin' }, // 9
      { email: 'not-an-email', passwordHash: hash }, // 10
      { email: 'fed2@example.com', federatedIdentities: [{ provider: 'google', subject: 'g-1' }] }, // 11 (batch 1 ends at 50; same batch)
    ];
    const started = await upload(tenant, lines);
    expect(started.status).toBe(202);
    const result = await finished(tenant, started.body.importId);
    expect(result).toMatchObject({ state: 'completed', lines: 10, created: 2, skipped: 2, failed: 6, finishedAt: expect.any(String) });
    expect(result.errors.map((e: { line: number; code: string }) => [e.line, e.code])).toEqual([
      [2, 'invalid_line'], [3, 'invalid_line'], [4, 'unsupported_hash'], [5, 'email_taken'], [6, 'duplicate_in_file'],
      [9, 'invalid_line'], [10, 'invalid_line'], [11, 'invalid_line'],
    ]);
    for (const e of result.errors) expect(e.detail).not.toContain(hash);
    const ok1 = await userByEmail(tenant, 'ok1@example.com');
    expect(ok1).toMatchObject({ privileged: true, locale: 'de', passwordIdentity: { legacyHash: 'bcrypt' } });
    const fed = await userByEmail(tenant, 'fed@example.com');
    expect(fed).toMatchObject({ passwordIdentity: null, federatedIdentities: [{ provider: 'google', subject: 'g-1' }] });
    // imported hashes count in the password history: the same password is refused as reused
    const audits = await env.audit(tenant);
    expect(audits.filter((e) => e.action === 'user_import.started').map((e) => e.data)).toEqual([{ importId: started.body.importId }]);
    expect(audits.filter((e) => e.action === 'user_import.finished').map((e) => e.data)).toEqual([
      { importId: started.body.importId, created: 2, skipped: 2, failed: 6 },
    ]);
    // the staged lines are gone once the import ends
    const staged = await env.pool.query('SELECT count(*)::int AS n FROM user_import_lines WHERE import_id = $1', [started.body.importId]);
    expect(staged.rows[0].n).toBe(0);
  });

  test('a duplicate across batches is duplicate_in_file; 500 lines in batches of 50, continued as new; nothing of the file in the history', async () => {
    const tenant = await env.tenant();
    const hash = bcrypt.hashSync('Batch password 123', 4);
    const lines = Array.from({ length: 500 }, (_, i) => ({ email: `bulk-${i}@example.com`, passwordHash: hash }));
    lines.push({ email: 'BULK-3@example.com', passwordHash: hash });
    const started = await upload(tenant, lines);
    const result = await finished(tenant, started.body.importId);
    expect(result).toMatchObject({ state: 'completed', lines: 501, created: 500, skipped: 1, failed: 0, errors: [{ line: 501, code: 'duplicate_in_file' }] });
    const n = await env.pool.query('SELECT count(*)::int AS n FROM users WHERE tenant_id = $1', [tenant]);
    expect(n.rows[0].n).toBe(500);

    const runs = [];
    for await (const wf of env.client.workflow.list({ query: `WorkflowId = "${started.body.workflowId}"` })) runs.push(wf);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    for (const run of runs) {
      const history = JSON.stringify(await env.client.workflow.getHandle(started.body.workflowId, run.runId).fetchHistory());
      expect(history).not.toContain('bulk-1');
      expect(history).not.toContain(hash.slice(7, 29));
      expect(history).not.toContain(Buffer.from(hash).toString('base64').slice(8, 30));
    }
    const audit = await env.pool.query('SELECT data::text AS d FROM audit_events WHERE tenant_id = $1', [tenant]);
    for (const r of audit.rows) expect(r.d).not.toContain(hash.slice(7, 29));
  });

  test('cancelling stops the rest; users already created stay', async () => {
    const tenant = await env.tenant();
    const hash = bcrypt.hashSync('Cancel password 123', 4);
    const started = await upload(tenant, Array.from({ length: 3000 }, (_, i) => ({ email: `c-${i}@example.com`, passwordHash: hash })));
    expect(started.status).toBe(202);
    const { importId } = started.body;
    // hold the import's row, so the next batch waits, then cancel
    const blocker = await env.pool.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT 1 FROM user_imports WHERE id = $1 FOR UPDATE', [importId]);
      const cancelling = env.http('DELETE', `/admin/tenants/${tenant}/user-imports/${importId}`);
      // the cancel request has reached the workflow while its next batch waits on the row
      await eventually(async () => {
        const history = await env.client.workflow.getHandle(started.body.workflowId).fetchHistory();
        return history.events?.some((e) => e.workflowExecutionCancelRequestedEventAttributes) ? true : undefined;
      }, 'the cancel request in the history');
      await blocker.query('COMMIT');
      const cancelled = await cancelling;
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.state).toBe('cancelled');
      expect(cancelled.body.created).toBeLessThan(3000);
      const n = await env.pool.query('SELECT count(*)::int AS n FROM users WHERE tenant_id = $1', [tenant]);
      expect(n.rows[0].n).toBe(cancelled.body.created);
      const again = await env.http('GET', `/admin/tenants/${tenant}/user-imports/${importId}`);
      expect(again.body).toMatchObject({ state: 'cancelled', created: cancelled.body.created, finishedAt: expect.any(String) });
    } finally {
      blocker.release();
    }
  });

  test('tenant isolation, media type, size and ids', async () => {
    const a = await env.tenant();
    const b = await env.tenant();
    const started = await upload(a, [{ email: 'iso@example.com', passwordHash: bcrypt.hashSync('Isolated pass 123', 4) }]);
    await finished(a, started.body.importId);
    const keyB = await env.http('POST', `/admin/tenants/${b}/api-keys`, { body: { name: 'b' } });
    const other = await env.http('GET', `/admin/tenants/${a}/user-imports/${started.body.importId}`, { auth: keyB.body.key });
    expect(other.status).toBe(404);
    const cross = await env.http('GET', `/admin/tenants/${b}/user-imports/${started.body.importId}`);
    expect(cross.status).toBe(404);
    expect((await env.http('GET', `/admin/tenants/${b}/password-hashes`)).body).toEqual({ items: [], argon2idUsers: 0 });
    expect((await env.http('GET', `/admin/tenants/${a}/user-imports/not-a-uuid`)).status).toBe(400);
    const json = await env.http('POST', `/admin/tenants/${a}/user-imports`, { body: { email: 'x@example.com' } });
    expect(json.status).toBe(415);
    const huge = await env.http('POST', `/admin/tenants/${a}/user-imports`, { rawBody: 'x', headers: { ...NDJSON, 'content-length': String(101 * 1024 * 1024) } }).catch(() => undefined);
    if (huge) expect(huge.status).toBe(413);
  });
});

/** small batches, so the file takes long enough for a process to die in the middle of it */
const SLOW = { IMPORT_BATCH_SIZE: '5', IMPORT_BATCHES_PER_ACTIVITY: '4', IMPORT_ACTIVITIES_PER_RUN: '10' };

describe('a user import through crashes', () => {
  let env: TestEnv;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    env = await TestEnv.start({ worker: false, env: SLOW });
  });
  afterAll(async () => {
    for (const c of children) await kill(c);
    await env?.close();
  });

  test('the worker SIGKILLed and the API process restarted mid-file: every user created once, none twice, none missing', async () => {
    const tenant = await env.tenant();
    const hash = bcrypt.hashSync('Crash password 123', 4);
    const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ email: `crash-${i}@example.com`, passwordHash: hash }));
    // the upload goes to an API process of its own, which is killed once the import runs
    const api = await startApiProcess(env, SLOW);
    children.push(api.child);
    const started = await fetch(`${api.baseUrl}/admin/tenants/${tenant}/user-imports`, {
      method: 'POST', headers: { ...NDJSON, authorization: `Bearer ${env.adminKey}` }, body: lines.join('\n') + '\n',
    });
    expect(started.status).toBe(202);
    const { importId } = (await started.json()) as { importId: string };
    await kill(api.child);

    const first = await startWorkerProcess(env, SLOW);
    children.push(first);
    // some batches are in, the rest are not: the worker dies mid-file
    await eventually(async () => ((await env.pool.query('SELECT count(*)::int AS n FROM users WHERE tenant_id = $1', [tenant])).rows[0].n >= 100 ? true : undefined), 'a few batches imported', 60_000);
    expect((await env.pool.query('SELECT count(*)::int AS n FROM users WHERE tenant_id = $1', [tenant])).rows[0].n).toBeLessThan(3000);
    await kill(first);
    const second = await startWorkerProcess(env, SLOW);
    children.push(second);

    const result = await eventually(async () => {
      const s = await env.http('GET', `/admin/tenants/${tenant}/user-imports/${importId}`);
      return s.body.state !== 'running' ? s.body : undefined;
    }, 'the import to end', 120_000);
    expect(result).toMatchObject({ state: 'completed', lines: 3000, created: 3000, skipped: 0, failed: 0 });
    const users = await env.pool.query('SELECT lower(email) AS e, count(*)::int AS n FROM users WHERE tenant_id = $1 GROUP BY 1 HAVING count(*) > 1', [tenant]);
    expect(users.rows).toEqual([]);
    expect((await env.pool.query('SELECT count(*)::int AS n FROM users WHERE tenant_id = $1', [tenant])).rows[0].n).toBe(3000);
  });
});
