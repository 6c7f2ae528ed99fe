import { INITIAL, useTestEnv } from './support/env';

const env = useTestEnv();

/** RFC 4180, read back: quoted fields, doubled quotes, CRLF line ends. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell || row.length) throw new Error('the CSV does not end with CRLF');
  return rows;
}

const HEADER = ['id', 'occurredAt', 'action', 'userId', 'actorType', 'actorId', 'actorName', 'workflowId', 'runId', 'data'];

/** `count` events of one tenant written straight to the table, one second apart, newest first by seq. */
async function seedEvents(tenant: string, count: number, o: { action?: string; from?: Date } = {}): Promise<void> {
  const start = o.from ?? new Date('2024-01-01T00:00:00Z');
  await env.pool.query(
    `INSERT INTO audit_events (id, tenant_id, user_id, occurred_at, action, actor, data, idempotency_key)
     SELECT gen_random_uuid(), $1, NULL, $2::timestamptz + i * interval '1 second', $3, '{"type":"system","id":"seed"}', jsonb_build_object('n', i), 'seed:' || $1 || ':' || i
       FROM generate_series(1, $4::int) AS i ORDER BY i`,
    [tenant, start, o.action ?? 'user.sessions_revoked', count],
  );
}

describe('GET /admin/tenants/{t}/audit-events: filters', () => {
  test('by actor, action, user and time (from inclusive, to exclusive), on every page', async () => {
    const tenant = await env.tenant();
    const key = await env.http('POST', `/admin/tenants/${tenant}/api-keys`, { body: { name: 'Helpdesk' } });
    const ada = await env.user(tenant, { password: INITIAL });
    const bob = await env.user(tenant, { password: INITIAL });
    await env.http('POST', `/admin/tenants/${tenant}/users/${ada.id}/force-password-reset`, { body: {} });
    await env.http('POST', `/admin/tenants/${tenant}/users/${bob.id}/force-password-reset`, { body: {}, auth: key.body.key });
    await env.http('POST', `/admin/tenants/${tenant}/users/${ada.id}/force-password-reset`, { body: {}, auth: key.body.key });

    const list = async (q: string) => {
      const res = await env.http('GET', `/admin/tenants/${tenant}/audit-events?${q}`);
      expect(res.status).toBe(200);
      return res.body;
    };
    const byKey = await list(`actorId=${key.body.id}`);
    expect(byKey.items.map((e: any) => [e.userId, e.actor])).toEqual([
      [ada.id, { type: 'admin', id: key.body.id, name: 'Helpdesk' }],
      [bob.id, { type: 'admin', id: key.body.id, name: 'Helpdesk' }],
    ]);
    expect((await list('actorId=platform')).items.map((e: any) => [e.action, e.userId])).toEqual([['user.force_password_reset_set', ada.id], ['api_key.created', null]]);
    expect((await list(`actorId=${key.body.id}&userId=${ada.id}&action=user.force_password_reset_set`)).items).toHaveLength(1);
    expect((await list('actorId=nobody')).items).toEqual([]);

    // paging keeps the filter
    const first = await list(`actorId=${key.body.id}&limit=1`);
    expect(first.items).toHaveLength(1);
    const second = await list(`actorId=${key.body.id}&limit=1&cursor=${first.nextCursor}`);
    expect(second.items.map((e: any) => e.userId)).toEqual([bob.id]);
    expect(second.nextCursor).toBeNull();

    // time: seeded events a second apart from 2024-01-01T00:00:01Z
    const old = await env.tenant();
    await seedEvents(old, 10);
    const window = await env.http('GET', `/admin/tenants/${old}/audit-events?from=2024-01-01T00:00:03Z&to=2024-01-01T00:00:06Z`);
    expect(window.body.items.map((e: any) => e.data.n)).toEqual([5, 4, 3]);
    const offset = await env.http('GET', `/admin/tenants/${old}/audit-events?from=2024-01-01T01:00:08%2B01:00`);
    expect(offset.body.items.map((e: any) => e.data.n)).toEqual([10, 9, 8]);
    expect((await env.http('GET', `/admin/tenants/${old}/audit-events?to=2024-01-01`)).body.items).toEqual([]);
    expect((await env.http('GET', `/admin/tenants/${old}/audit-events?from=2024-01-01&to=2024-01-02`)).body.items).toHaveLength(10);
    // a range that ends before it starts matches nothing
    expect((await env.http('GET', `/admin/tenants/${old}/audit-events?from=2024-01-02&to=2024-01-01`)).body.items).toEqual([]);
  });

  test('a time that is not one, or that PostgreSQL cannot store, is a 400 naming the field', async () => {
    const tenant = await env.tenant();
    for (const [q, field] of [
      ['from=2024-02-30T00:00:00Z', 'from'], ['to=yesterday', 'to'], ['from=2024-13-01', 'from'], ['to=2024-05-01T25:00:00Z', 'to'],
      ['from=%2B275760-09-13T00:00:00Z', 'from'], ['from=1899-12-31', 'from'], ['actorId=', 'actorId'],
    ] as const) {
      const res = await env.http('GET', `/admin/tenants/${tenant}/audit-events?${q}`);
      expect({ q, status: res.status, code: res.body.code }).toEqual({ q, status: 400, code: 'invalid_request' });
      expect(res.body.errors.map((e: any) => e.field)).toContain(field);
    }
  });
});

describe('Accept: text/csv', () => {
  test('every matching event as CSV: a header row, RFC 4180 quoting, formulas defused, the same filters', async () => {
    const tenant = await env.tenant();
    const name = '=HYPERLINK("http://evil.example","click"), "quoted"';
    const key = await env.http('POST', `/admin/tenants/${tenant}/api-keys`, { body: { name } });
    const user = await env.user(tenant, { password: INITIAL });
    await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/force-password-reset`, { body: {}, auth: key.body.key });
    await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/password-reset-email`, { body: {} });

    const res = await env.http('GET', `/admin/tenants/${tenant}/audit-events?limit=1`, { headers: { accept: 'text/csv' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="audit-${tenant}.csv"`);
    const rows = parseCsv(res.text);
    expect(rows[0]).toEqual(HEADER);
    // limit does not apply: all of them, newest first
    const json = (await env.audit(tenant)).map((e: any) => e.id);
    expect(rows.slice(1).map((r) => r[0])).toEqual(json);
    const forced = rows.find((r) => r[2] === 'user.force_password_reset_set')!;
    expect(forced).toEqual([
      expect.any(String), expect.stringMatching(/^\d{4}-\d\d-\d\dT/), 'user.force_password_reset_set', user.id, 'admin', key.body.id,
      `'${name}`, expect.stringMatching(/^force-password-reset\//), expect.any(String), '{"reason":"admin"}',
    ]);
    // in the file itself: quoted, quotes doubled, the leading = behind an apostrophe
    expect(res.text).toContain(`"'=HYPERLINK(""http://evil.example"",""click""), ""quoted"""`);

    const filtered = await env.http('GET', `/admin/tenants/${tenant}/audit-events?actorId=${key.body.id}`, { headers: { accept: 'text/csv' } });
    expect(parseCsv(filtered.text).slice(1).map((r) => r[2])).toEqual(['user.force_password_reset_set']);
    // JSON stays the default
    expect((await env.http('GET', `/admin/tenants/${tenant}/audit-events`, { headers: { accept: '*/*' } })).headers.get('content-type')).toMatch(/json/);
    // a filter the CSV cannot honour is the same 400
    expect((await env.http('GET', `/admin/tenants/${tenant}/audit-events?from=2024-02-30`, { headers: { accept: 'text/csv' } })).status).toBe(400);
  });

  test('a large export streams page by page: rows arrive while the last page has not been read from the database', async () => {
    const tenant = await env.tenant();
    const pageSize = 500;
    const total = 12 * pageSize;
    await seedEvents(tenant, total);
    const originalPageSize = env.apiDeps.auditExportPageSize;
    env.apiDeps.auditExportPageSize = pageSize;

    // hold the export's last page query until the client has received the rows of every page before it
    const query = env.pool.query.bind(env.pool) as (...args: unknown[]) => Promise<unknown>;
    let pagesAsked = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    (env.pool as any).query = async (...args: unknown[]) => {
      const [text, values] = args as [string, unknown[] | undefined];
      if (typeof text === 'string' && text.startsWith('SELECT * FROM audit_events') && values?.[0] === tenant) {
        pagesAsked++;
        if (pagesAsked === total / pageSize) await gate;
      }
      return query(...args);
    };
    try {
      const stuck = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the first pages never arrived: the export is not streamed')), 30_000).unref());
      const res = await Promise.race([fetch(`${env.baseUrl}/admin/tenants/${tenant}/audit-events`, { headers: { authorization: `Bearer ${env.adminKey}`, accept: 'text/csv' } }), stuck]);
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const lines = () => text.split('\r\n').length - 1;
      const readUntil = async (n: number) => {
        while (lines() < n) {
          const { done, value } = await reader.read();
          if (done) break;
          text += decoder.decode(value, { stream: true });
        }
      };
      await Promise.race([readUntil(1 + total - pageSize), stuck]);
      // the header and eleven pages are here, and the twelfth page's query is still held
      expect(lines()).toBeGreaterThanOrEqual(1 + total - pageSize);
      expect(pagesAsked).toBe(total / pageSize);
      release();
      await readUntil(Number.MAX_SAFE_INTEGER);
      const rows = parseCsv(text);
      expect(rows[0]).toEqual(HEADER);
      expect(rows).toHaveLength(1 + total);
      const ns = rows.slice(1).map((r) => JSON.parse(r[9]!).n as number);
      expect(ns[0]).toBe(total);
      expect(ns[total - 1]).toBe(1);
      expect(new Set(ns).size).toBe(total);
      expect(ns.every((n, i) => i === 0 || n === ns[i - 1]! - 1)).toBe(true);
    } finally {
      release();
      (env.pool as any).query = query;
      env.apiDeps.auditExportPageSize = originalPageSize;
    }
  });
});
