import net from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { documentedCodes, SNAKE_CASE } from './codes';
import { allOperations, bodyForDisplay, describeRequest, escapeInvisible, passphraseArb, requestArbitrary, SESSION_PLACEHOLDER, sweepBaseCandidates, sweepRequests, type Fixtures, type FuzzRequest, type Operation } from './requests';
import { toJsonText, validate, valueArbitrary } from './schemaArbitraries';

/**
 * Property-based fuzzing of every route over HTTP. Needs only the service's
 * base URL, its /openapi.json, an admin key and a connection to its database
 * (to check that nothing was written when the answer is a 4xx).
 */

/** The part of pg.Pool the harness uses. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

export type Severity = 'must' | 'should' | 'note';

export interface FuzzResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  json?: unknown;
  ms: number;
  transport: 'fetch' | 'raw';
  /** no answer: connection reset, timeout */
  error?: string;
}

export interface Finding {
  check: string;
  severity: Severity;
  detail: string;
}

export interface Defect {
  signature: string;
  op: string;
  check: string;
  severity: Severity;
  detail: string;
  request: FuzzRequest;
  response: FuzzResponse;
  /** shrunk by fast-check, or a single-part mutation of the sweep */
  minimal: boolean;
  /** found by the sweep (not by a random run) */
  systematic?: boolean;
  seed: number;
  counterexamplePath: string | null;
}

export interface FuzzOptions {
  baseUrl: string;
  adminKey: string;
  openapi: unknown;
  pool: Queryable;
  /** runs per operation */
  runs: number;
  seed?: number;
  /** what exists; seeded through the API when absent */
  fixtures?: Fixtures;
  /**
   * whole Authorization values for security schemes whose credential is not an admin key, by
   * scheme name (the mail webhook's HTTP Basic, METRICS_TOKEN); other schemes get the admin keys
   */
  credentials?: Record<string, string[]>;
  /** operations to fuzz: ids ("POST /auth/sign-in") or substrings of them; all when absent */
  only?: string[];
  /**
   * assert: stop each operation at its first failure and shrink it (tests);
   * collect: keep going and gather every distinct defect, each shrunk (defect hunts)
   */
  mode?: 'assert' | 'collect';
  /** which severities fail: 'must' (default) or also 'should' */
  failOn?: Severity[];
  /** tables whose writes are expected on a 4xx (attempt counters) */
  ignoreTables?: string[];
  timeoutMs?: number;
  /** per operation, including shrinking */
  budgetMsPerOp?: number;
  /** for the whole run: each operation gets its share of what is left */
  totalBudgetMs?: number;
  /** in collect mode: how many distinct defects to shrink per operation */
  maxDefectsPerOp?: number;
  /** METRICS_TOKEN of the service, for GET /metrics (its own bearer scheme) */
  metricsToken?: string;
  /** the emails the service sent (a mail sink), to get a reset link token for the fixtures; optional */
  mailbox?: () => Promise<{ to: string; textBody: string }[]> | { to: string; textBody: string }[];
  /** before the random runs of each operation, send every single-part mutation of one valid request once (thousands of requests) */
  sweep?: boolean;
  /** also send each mutating request twice with one Idempotency-Key and different bodies */
  idempotencyProbe?: boolean;
  log?: (line: string) => void;
}

export interface OperationStats {
  runs: number;
  statuses: Record<string, number>;
  /** "part:kind → status" counts */
  byMutation: Record<string, Record<string, number>>;
  ms: number;
}

export interface FuzzReport {
  ok: boolean;
  /** one formatted minimal counterexample per failing operation (assert mode) or per defect (collect mode) */
  failures: string[];
  defects: Defect[];
  notes: Record<string, number>;
  stats: Record<string, OperationStats>;
  fixtures: Fixtures;
  operations: string[];
}

// ------------------------------------------------------------------ transport

const FETCH_SAFE_HEADER = /^[\t\x20-\x7e\x80-\xff]*$/;

function needsRawTransport(baseUrl: string, r: FuzzRequest): boolean {
  if (r.headers.some(([k, v]) => !FETCH_SAFE_HEADER.test(v) || /[^\x21-\x7e]/.test(k) || k.toLowerCase() === 'host')) return true;
  if ((r.method === 'GET' || r.method === 'HEAD') && r.body) return true;
  try {
    const u = new URL(baseUrl + r.path);
    return u.pathname + u.search !== r.path;
  } catch {
    return true;
  }
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

export async function send(baseUrl: string, r: FuzzRequest, timeoutMs = 30_000): Promise<FuzzResponse> {
  const started = Date.now();
  if (!needsRawTransport(baseUrl, r)) {
    try {
      const headers = new Headers();
      for (const [k, v] of r.headers) headers.append(k, v);
      const res = await fetch(baseUrl + r.path, {
        method: r.method, headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs),
        ...(r.body ? { body: r.body } : {}),
      });
      const text = await res.text();
      const out: Record<string, string> = {};
      res.headers.forEach((v, k) => (out[k] = v));
      return { status: res.status, headers: out, text, json: parseJson(text), ms: Date.now() - started, transport: 'fetch' };
    } catch (err) {
      if (!(err instanceof TypeError) || /fetch failed/.test(String(err))) {
        const cause = (err as { cause?: unknown }).cause;
        return { status: 0, headers: {}, text: '', ms: Date.now() - started, transport: 'fetch', error: `${String(err)}${cause ? ` (${String(cause)})` : ''}` };
      }
      // a header fetch refuses to send: fall through to the raw socket
    }
  }
  return sendRaw(baseUrl, r, timeoutMs, started);
}

/** HTTP/1.1 over a plain socket, for what fetch will not send (NUL in a header, dot segments, a GET with a body). */
function sendRaw(baseUrl: string, r: FuzzRequest, timeoutMs: number, started: number): Promise<FuzzResponse> {
  const u = new URL(baseUrl);
  const lines = [`${r.method} ${r.path} HTTP/1.1`];
  if (!r.headers.some(([k]) => k.toLowerCase() === 'host')) lines.push(`Host: ${u.host}`);
  for (const [k, v] of r.headers) lines.push(`${k}: ${v}`);
  if (r.body) lines.push(`Content-Length: ${r.body.length}`);
  lines.push('Connection: close', '', '');
  const head = Buffer.from(lines.join('\r\n'), 'utf8');
  return new Promise((resolvePromise) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(Number(u.port), u.hostname);
    const done = (error?: string) => {
      socket.destroy();
      const raw = Buffer.concat(chunks);
      const split = raw.indexOf('\r\n\r\n');
      if (split < 0) {
        resolvePromise({ status: 0, headers: {}, text: raw.toString('latin1'), ms: Date.now() - started, transport: 'raw', error: error ?? 'no HTTP response' });
        return;
      }
      const [statusLine, ...headerLines] = raw.subarray(0, split).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of headerLines) {
        const i = l.indexOf(':');
        if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      let body = raw.subarray(split + 4);
      if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
        const parts: Buffer[] = [];
        let at = 0;
        for (;;) {
          const eol = body.indexOf('\r\n', at);
          if (eol < 0) break;
          const size = parseInt(body.subarray(at, eol).toString('latin1'), 16);
          if (!size) break;
          parts.push(body.subarray(eol + 2, eol + 2 + size));
          at = eol + 2 + size + 2;
        }
        body = Buffer.concat(parts);
      }
      const text = body.toString('utf8');
      resolvePromise({ status: Number(statusLine?.split(' ')[1] ?? 0), headers, text, json: parseJson(text), ms: Date.now() - started, transport: 'raw' });
    };
    socket.setTimeout(timeoutMs, () => done('timeout'));
    socket.on('data', (c) => chunks.push(c));
    socket.on('end', () => done());
    socket.on('error', (e) => done(String(e)));
    socket.on('connect', () => {
      socket.write(head);
      if (r.body) socket.write(r.body);
    });
  });
}

// ------------------------------------------------------------------ "nothing written"

type Snapshot = Map<string, string>;

async function listTables(pool: Queryable, ignore: string[]): Promise<string[]> {
  const res = await pool.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  return res.rows.map((r) => String(r['table_name'])).filter((t) => !ignore.includes(t) && !/migration/i.test(t));
}

async function snapshot(pool: Queryable, tables: string[]): Promise<Snapshot> {
  if (tables.length === 0) return new Map();
  const sql = tables
    .map((t) => `SELECT '${t.replace(/'/g, "''")}' AS t, count(*)::text AS n, coalesce(sum(hashtext(x::text)::bigint), 0)::text AS h FROM "${t.replace(/"/g, '""')}" x`)
    .join(' UNION ALL ');
  const res = await pool.query(sql);
  return new Map(res.rows.map((r) => [String(r['t']), `${r['n']}:${r['h']}`]));
}

function diff(a: Snapshot, b: Snapshot): string[] {
  const out: string[] = [];
  for (const [t, v] of b) {
    const before = a.get(t);
    if (before !== v) {
      const [n1] = (before ?? '0:0').split(':');
      const [n2] = v.split(':');
      out.push(n1 === n2 ? `${t} (rows changed)` : `${t} (${n1} → ${n2} rows)`);
    }
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wait until background work (workflows started by an earlier request) stops writing. */
async function settle(pool: Queryable, tables: string[], quietMs = 200, maxMs = 5000): Promise<{ snap: Snapshot; settled: boolean }> {
  const deadline = Date.now() + maxMs;
  let prev = await snapshot(pool, tables);
  for (;;) {
    await sleep(quietMs);
    const next = await snapshot(pool, tables);
    if (diff(prev, next).length === 0) return { snap: next, settled: true };
    if (Date.now() > deadline) return { snap: next, settled: false };
    prev = next;
  }
}

// ------------------------------------------------------------------ checks

const HOSTILE_MARKUP = /<script>fz\d+<\/script>/;

export function checkResponse(op: Operation, req: FuzzRequest, res: FuzzResponse, codes: Set<string>): Finding[] {
  const f: Finding[] = [];
  const body = res.json as Record<string, unknown> | undefined;
  const code = body && typeof body === 'object' ? body['code'] : undefined;
  if (res.error || res.status === 0) {
    f.push({ check: 'no_response', severity: 'must', detail: res.error ?? 'no status' });
    return f;
  }
  if (!res.headers['content-type'] && res.text === '' && [400, 413, 414, 431].includes(res.status) && !res.headers['x-powered-by'] && !res.headers['content-security-policy']) {
    // Node's HTTP parser refused the request before the app saw it ("HTTP/1.1 400 Bad Request", no body)
    f.push({ check: 'http_parser_error', severity: 'should', detail: `${res.status} from Node's HTTP parser, with no body (server.on('clientError') can answer a problem document)` });
    return f;
  }
  if (res.status >= 500) {
    const documented503 = res.status === 503 && code === 'temporarily_unavailable' && (op.statuses.includes(503) || !op.documented);
    if (!documented503) f.push({ check: '5xx', severity: 'must', detail: `${res.status} ${res.text.slice(0, 300)}` });
  }
  const contentType = res.headers['content-type'] ?? '';
  if (op.kind === 'json' && res.status >= 400) {
    if (!/^application\/problem\+json/i.test(contentType)) {
      f.push({ check: 'not_problem', severity: 'must', detail: `${res.status} with Content-Type ${JSON.stringify(contentType)}: ${JSON.stringify(res.text.slice(0, 200))}` });
    } else if (!body || typeof body !== 'object') {
      f.push({ check: 'not_problem', severity: 'must', detail: `${res.status}: the problem document is not a JSON object: ${JSON.stringify(res.text.slice(0, 200))}` });
    } else {
      for (const k of ['type', 'title', 'detail', 'code']) {
        if (typeof body[k] !== 'string') f.push({ check: 'problem_shape', severity: 'must', detail: `"${k}" is ${JSON.stringify(body[k])}` });
      }
      if (body['status'] !== res.status) f.push({ check: 'problem_status', severity: 'must', detail: `body status ${JSON.stringify(body['status'])} ≠ HTTP ${res.status}` });
      if (typeof code === 'string' && !SNAKE_CASE.test(code)) f.push({ check: 'problem_code', severity: 'must', detail: `code ${JSON.stringify(code)} is not snake_case` });
      else if (typeof code === 'string' && !codes.has(code) && res.status < 500) f.push({ check: 'problem_code', severity: 'must', detail: `code ${JSON.stringify(code)} is not documented` });
      if (body['errors'] !== undefined && (!Array.isArray(body['errors']) || !(body['errors'] as unknown[]).every((e) => e && typeof e === 'object' && typeof (e as Record<string, unknown>)['field'] === 'string' && typeof (e as Record<string, unknown>)['code'] === 'string' && typeof (e as Record<string, unknown>)['message'] === 'string'))) {
        f.push({ check: 'problem_shape', severity: 'must', detail: `errors is not [{ field, code, message }]: ${JSON.stringify(body['errors']).slice(0, 200)}` });
      }
      if ((res.status === 429 || res.status === 503) && !res.headers['retry-after']) f.push({ check: 'retry_after', severity: 'should', detail: `${res.status} without Retry-After` });
    }
    if (op.documented && !op.statuses.includes(res.status)) f.push({ check: 'undocumented_status', severity: 'note', detail: `${res.status} ${String(code ?? '')}` });
  }
  if (op.kind !== 'json' && res.status >= 400 && !/text\/html|application\/problem\+json/i.test(contentType) && !(op.kind === 'static' && res.status === 404)) {
    f.push({ check: 'not_problem', severity: 'should', detail: `${res.status} with Content-Type ${JSON.stringify(contentType)} (neither a page nor a problem document): ${JSON.stringify(res.text.slice(0, 120))}` });
  }
  if (/text\/html/i.test(contentType) && HOSTILE_MARKUP.test(res.text)) {
    f.push({ check: 'xss', severity: 'must', detail: `the markup of the request is in the page unescaped: ${res.text.match(HOSTILE_MARKUP)![0]}` });
  }
  const accepted = res.status >= 200 && res.status < 400;
  const must = req.mutations.filter((m) => m.refuse === 'must');
  const should = req.mutations.filter((m) => m.refuse === 'should');
  if (accepted && must.length > 0) {
    f.push({ check: 'accepted_invalid', severity: 'must', detail: `${res.status} for ${must.map((m) => `${m.where}: ${m.why}`).join('; ')}` });
  } else if (accepted && should.length > 0) {
    f.push({ check: 'accepted_questionable', severity: 'should', detail: `${res.status} for ${should.map((m) => `${m.where}: ${m.why}`).join('; ')}` });
  }
  const only = req.mutations.length === 1 ? req.mutations[0]! : undefined;
  // a body over 64 KiB may be refused for its size before anything else is looked at (the contract: 413 for the body size)
  const refusedForSize = res.status === 413 && (req.body?.byteLength ?? 0) > 64 * 1024;
  if (only?.expect && !accepted && res.status < 500 && res.status !== 429 && !refusedForSize && !only.expect.includes(res.status)) {
    f.push({ check: 'unexpected_status', severity: only.refuse === 'must' ? 'must' : 'should', detail: `${res.status} ${String(code ?? '')} where ${only.expect.join(' or ')} was expected (${only.why})` });
  } else if (only?.expectCode && only.expect?.includes(res.status) && code !== undefined && code !== only.expectCode) {
    f.push({ check: 'unexpected_code', severity: 'should', detail: `code ${String(code)} where ${only.expectCode} was expected (${only.why})` });
  }
  if (accepted && op.kind === 'json' && op.responseSchemas[res.status]) {
    const problems = validate(op.responseSchemas[res.status]!, res.json, op.schemaRoot ?? {});
    if (problems.length > 0) f.push({ check: 'response_schema', severity: 'should', detail: `the ${res.status} body does not match the documented schema: ${problems.slice(0, 3).join('; ')}` });
  }
  return f;
}

// ------------------------------------------------------------------ fixtures

interface ApiAnswer {
  status: number;
  json: Record<string, unknown> | undefined;
  text: string;
}

async function call(baseUrl: string, method: string, path: string, body?: unknown, auth?: string): Promise<ApiAnswer> {
  const res = await fetch(baseUrl + path, {
    method,
    headers: { ...(auth ? { authorization: `Bearer ${auth}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: parseJson(text) as Record<string, unknown> | undefined, text };
}

/**
 * One tenant (and a second one, for cross-tenant ids), a password user, a second password user who must change
 * their password (for a change token), a federated user, a tenant key, a session, a reset link, a bulk operation
 * and cursors, all made through the API (the routes api.md fixes).
 */
export async function seedFixtures(o: { baseUrl: string; adminKey: string; openapi: unknown; log?: (l: string) => void; mailbox?: FuzzOptions['mailbox']; metricsToken?: string; credentials?: FuzzOptions['credentials'] }): Promise<Fixtures> {
  const log = o.log ?? (() => undefined);
  const k = o.adminKey;
  const hex = randomBytes(4).toString('hex');
  const tenant = `fz-${hex}`;
  const other = `fz-${hex}-other`;
  const password = fc.sample(passphraseArb, { numRuns: 1, seed: Date.now() })[0]!;
  const values: Record<string, string[]> = { tenantId: [tenant], tenant: [tenant], password: [password] };
  const cursors: Record<string, string[]> = {};
  const must = async (what: string, a: Promise<ApiAnswer>, ok: number[]): Promise<ApiAnswer | undefined> => {
    const r = await a;
    if (!ok.includes(r.status)) {
      log(`fixture ${what}: ${r.status} ${r.text.slice(0, 200)}`);
      return undefined;
    }
    return r;
  };
  const t1 = await must('tenant', call(o.baseUrl, 'POST', '/admin/tenants', { id: tenant, name: 'Fuzz Org' }, k), [201]);
  if (!t1) throw new Error('the harness could not create its tenant through POST /admin/tenants');
  await must('second tenant', call(o.baseUrl, 'POST', '/admin/tenants', { id: other, name: 'Fuzz Other Org' }, k), [201]);
  const mkUser = async (label: string, body: Record<string, unknown>, t = tenant) => {
    const r = await must(label, call(o.baseUrl, 'POST', `/admin/tenants/${t}/users`, body, k), [201]);
    return r?.json?.['id'] as string | undefined;
  };
  const emails = [`fz-pw-${hex}@example.com`, `fz-pw2-${hex}@example.com`, `fz-fed-${hex}@example.com`, `fz-session-${hex}@example.com`];
  const pw = await mkUser('password user', { email: emails[0], displayName: 'Fuzz Person', password });
  const pw2 = await mkUser('second password user', { email: emails[1], displayName: 'Fuzz Second', password });
  const fed = await mkUser('federated user', { email: emails[2], displayName: 'Fuzz Federated', federatedIdentities: [{ provider: 'google', subject: `fz-${hex}` }] });
  // the session user is no target of admin routes (a temporary password would end its sign-ins)
  const sessionUser = await mkUser('session user', { email: emails[3], displayName: 'Fuzz Session', password });
  const otherUser = await mkUser('other tenant user', { email: `fz-other-${hex}@example.com`, password }, other);
  values['userId'] = [pw, fed, pw2].filter((x): x is string => Boolean(x));
  values['email'] = emails;
  if (otherUser) values['userId@other'] = [otherUser];
  const key = await must('tenant key', call(o.baseUrl, 'POST', `/admin/tenants/${tenant}/api-keys`, { name: 'fuzz key' }, k), [201]);
  const otherKey = await must('other tenant key', call(o.baseUrl, 'POST', `/admin/tenants/${other}/api-keys`, { name: 'fuzz other key' }, k), [201]);
  if (key?.json?.['id']) values['keyId'] = [String(key.json['id'])];
  let sessionToken: string | undefined;
  if (sessionUser) {
    const s = await must('session', call(o.baseUrl, 'POST', '/auth/sign-in', { tenant, email: emails[3], password }), [200]);
    const session = s?.json?.['session'] as Record<string, string> | undefined;
    if (session) sessionToken = session['token'];
  }
  if (pw) {
    // a session of a target user, for the session routes of the admin API
    const s = await must('session of the password user', call(o.baseUrl, 'POST', '/auth/sign-in', { tenant, email: emails[0], password }), [200]);
    const session = s?.json?.['session'] as Record<string, string> | undefined;
    if (session) values['sessionId'] = [session['id']!];
    const reset = await must('reset link', call(o.baseUrl, 'POST', `/admin/tenants/${tenant}/users/${pw}/password-reset-email`, {}, k), [202]);
    if (reset?.json?.['resetId']) values['resetId'] = [String(reset.json['resetId'])];
    if (reset && o.mailbox) {
      for (let i = 0; i < 50 && !values['token']; i++) {
        const mail = (await o.mailbox()).filter((m) => m.to.toLowerCase() === emails[0]!.toLowerCase());
        const token = mail.map((m) => m.textBody.match(/reset-password\?token=([\w-]+)/)?.[1]).find(Boolean);
        if (token) values['token'] = [token];
        else await sleep(200);
      }
      if (!values['token']) log('fixture reset link token: no email arrived');
    }
  }
  const bulk = await must('bulk operation', call(o.baseUrl, 'POST', `/admin/tenants/${tenant}/force-password-reset`, { filter: { passwordSetBefore: '2000-01-01T00:00:00Z' } }, k), [202]);
  if (bulk?.json?.['operationId']) values['operationId'] = [String(bulk.json['operationId'])];
  if (pw2) {
    await must('forced reset', call(o.baseUrl, 'POST', `/admin/tenants/${tenant}/users/${pw2}/force-password-reset`, {}, k), [200]);
    const s = await must('change token', call(o.baseUrl, 'POST', '/auth/sign-in', { tenant, email: emails[1], password }), [200]);
    if (s?.json?.['changeToken']) values['changeToken'] = [String(s.json['changeToken'])];
  }
  // a webhook endpoint on a public address literal (no DNS; no dispatcher runs here, so nothing is sent) and a delivery
  const endpoint = await must('webhook endpoint', call(o.baseUrl, 'POST', `/admin/tenants/${tenant}/webhook-endpoints`, { url: 'https://93.184.216.34/fuzz' }, k), [201]);
  if (endpoint?.json?.['id']) {
    values['endpointId'] = [String(endpoint.json['id'])];
    const test = await must('webhook test event', call(o.baseUrl, 'POST', `/admin/tenants/${tenant}/webhook-endpoints/${String(endpoint.json['id'])}/test`, undefined, k), [202]);
    if (test?.json?.['deliveryId']) values['deliveryId'] = [String(test.json['deliveryId'])];
  }
  await must('rotation schedule', call(o.baseUrl, 'PUT', `/admin/tenants/${tenant}/password-rotation`, { cron: '0 3 1 1 *', maxPasswordAgeDays: 3650, paused: true }, k), [200]);
  for (const [template, path] of [
    ['/admin/tenants', '/admin/tenants?limit=1'],
    ['/admin/tenants/{tenantId}/users', `/admin/tenants/${tenant}/users?limit=1`],
    ['/admin/tenants/{tenantId}/audit-events', `/admin/tenants/${tenant}/audit-events?limit=1`],
  ] as const) {
    const r = await call(o.baseUrl, 'GET', path, undefined, k);
    const c = r.json?.['nextCursor'];
    if (typeof c === 'string') cursors[template] = [c];
  }
  const schemes = (o.openapi as { components?: { securitySchemes?: Record<string, { description?: string }> } }).components?.securitySchemes ?? {};
  const bearer: Record<string, string[]> = {};
  const authorization: Record<string, string[]> = {};
  for (const [name, s] of Object.entries(schemes)) {
    const given = o.credentials?.[name];
    if (given) {
      authorization[name] = given;
      continue;
    }
    const what = `${name} ${s.description ?? ''}`;
    bearer[name] = /session/i.test(what)
      ? (sessionToken ? [SESSION_PLACEHOLDER] : [])
      : /metrics/i.test(what)
        ? (o.metricsToken ? [o.metricsToken] : [])
        : [k, ...(key?.json?.['key'] ? [String(key.json['key'])] : [])];
  }
  if (otherKey?.json?.['key']) bearer['@other'] = [String(otherKey.json['key'])];
  log(`fixtures: tenant ${tenant}, users ${values['userId']?.length ?? 0}, session ${sessionToken ? 'yes' : 'no'}, reset ${values['resetId'] ? 'yes' : 'no'}${values['token'] ? ' (with its link token)' : ''}, bulk ${values['operationId'] ? 'yes' : 'no'}, change token ${values['changeToken'] ? 'yes' : 'no'}, cursors ${Object.keys(cursors).length}`);
  return {
    values, cursors, bearer, authorization,
    cookies: sessionToken ? { rf_session: [SESSION_PLACEHOLDER] } : {},
    session: sessionToken ? { tenant, email: emails[3]!, password, token: sessionToken } : undefined,
  };
}

/**
 * Keep the fixture session alive: valid sign-outs and revocations end it, a bulk forced reset makes its next
 * sign-in a password change. Returns the live token.
 */
export async function ensureSession(baseUrl: string, fixtures: Fixtures): Promise<string | undefined> {
  const s = fixtures.session;
  if (!s) return undefined;
  const probe = await fetch(`${baseUrl}/auth/session`, { headers: { authorization: `Bearer ${s.token}` } });
  await probe.arrayBuffer();
  if (probe.status === 200) return s.token;
  const signIn = await call(baseUrl, 'POST', '/auth/sign-in', { tenant: s.tenant, email: s.email, password: s.password });
  let session = signIn.json?.['session'] as Record<string, string> | undefined;
  if (!session && signIn.json?.['result'] === 'password_change_required') {
    const next = fc.sample(passphraseArb, { numRuns: 1, seed: Date.now() % 2 ** 31 })[0]!;
    const change = await call(baseUrl, 'POST', '/auth/password/change', { changeToken: signIn.json['changeToken'], newPassword: next });
    session = change.json?.['session'] as Record<string, string> | undefined;
    if (session) s.password = next;
  }
  if (session?.['token']) s.token = session['token'];
  return s.token;
}

function withLiveSession(r: FuzzRequest, token: string | undefined): FuzzRequest {
  if (!token || !r.headers.some(([, v]) => v.includes(SESSION_PLACEHOLDER))) return r;
  return { ...r, headers: r.headers.map(([k, v]) => [k, v.split(SESSION_PLACEHOLDER).join(token)] as [string, string]) };
}

// ------------------------------------------------------------------ the runner

class FuzzFailure extends Error {
  constructor(readonly findings: Finding[], readonly request: FuzzRequest, readonly response: FuzzResponse) {
    super(findings.map((f) => `${f.check} (${f.severity}): ${f.detail}`).join('\n'));
  }
}

function signature(op: Operation, f: Finding, req: FuzzRequest, res: FuzzResponse): string {
  if (f.check === 'http_parser_error') return `* | http_parser_error | ${res.status} | ${req.mutations.map((m) => `${m.part}:${m.kind}`).sort().join(',')}`;
  // one defect per kind of thing wrong: every non-JSON content type is the same 415 question
  const kind = (k: string) => (/^content_type:/.test(k) && !/json|none/i.test(k) ? 'content_type:non_json' : k.replace(/^(query_number|cursor:[^:]+):.*/, '$1'));
  const muts = req.mutations.map((m) => `${m.part}:${m.where.replace(/\[\d+\]/g, '[]')}:${kind(m.kind)}`).sort().join(',') || 'valid';
  const status = f.check === '5xx' || f.check === 'not_problem' ? String(res.status) : f.check === 'unexpected_status' ? `${res.status >= 400 && res.status < 500 ? '4xx' : res.status}` : f.check === 'write_on_4xx' ? f.detail.replace(/^\d+ \S* ?but wrote to /, '') : '';
  return `${op.id} | ${f.check} | ${status} | ${muts}`;
}

export function describeResponse(res: FuzzResponse): string {
  if (res.error) return `no response: ${res.error} (after ${res.ms} ms)`;
  const ct = res.headers['content-type'] ?? '(none)';
  const text = res.text.length > 600 ? `${res.text.slice(0, 600)}… (${res.text.length} chars)` : res.text;
  return `${res.status} ${ct} (${res.ms} ms, ${res.transport}): ${escapeInvisible(JSON.stringify(text))}`;
}

export function describeDefect(d: Defect): string {
  return [
    `✗ ${d.op} — ${d.check} [${d.severity}]: ${d.detail}`,
    `  request${d.systematic ? ' (sweep: one valid request with this one change)' : d.minimal ? ' (minimal, after shrinking)' : ''}:`,
    ...describeRequest(d.request).split('\n').map((l) => `    ${l}`),
    `  response: ${describeResponse(d.response)}`,
    d.systematic ? '  found by the sweep' : `  replay: seed ${d.seed}${d.counterexamplePath ? `, path "${d.counterexamplePath}"` : ''}`,
  ].join('\n');
}

/** Fuzz every operation of the document (and the pages it does not describe). */
export async function runFuzz(o: FuzzOptions): Promise<FuzzReport> {
  const log = o.log ?? (() => undefined);
  const mode = o.mode ?? 'assert';
  const failOn = new Set<Severity>(o.failOn ?? ['must']);
  const seed = o.seed ?? Date.now() % 2 ** 31;
  const codes = documentedCodes(o.openapi);
  const tables = await listTables(o.pool, o.ignoreTables ?? ['rate_limits']);
  const fixtures = o.fixtures ?? (await seedFixtures({ baseUrl: o.baseUrl, adminKey: o.adminKey, openapi: o.openapi, log, ...(o.mailbox ? { mailbox: o.mailbox } : {}), ...(o.metricsToken ? { metricsToken: o.metricsToken } : {}), ...(o.credentials ? { credentials: o.credentials } : {}) }));
  const operations = allOperations(o.openapi).filter((op) => !o.only || o.only.some((s) => op.id === s || op.id.includes(s)));
  const defects: Defect[] = [];
  const notes: Record<string, number> = {};
  const stats: Record<string, OperationStats> = {};
  const failures: string[] = [];
  const timeoutMs = o.timeoutMs ?? 30_000;
  let dirty = true; // background work may be writing: settle before the next 4xx is judged

  /** Send one request and judge its answer (and, for a 4xx, the database). */
  const exchange = async (op: Operation, template: FuzzRequest): Promise<{ req: FuzzRequest; res: FuzzResponse; findings: Finding[] }> => {
    const req = template.headers.some(([, v]) => v.includes(SESSION_PLACEHOLDER)) ? withLiveSession(template, await ensureSession(o.baseUrl, fixtures)) : template;
    let before: Snapshot;
    if (dirty) {
      const s = await settle(o.pool, tables, 150);
      before = s.snap;
      dirty = false;
    } else {
      before = await snapshot(o.pool, tables);
    }
    const res = await send(o.baseUrl, req, timeoutMs);
    const findings = checkResponse(op, req, res, codes);
    if (res.status >= 400 && res.status < 500) {
      const after = await snapshot(o.pool, tables);
      const changed = diff(before, after);
      if (changed.length > 0) {
        // background work, or this request? Let everything settle, then send it again.
        const quiet = await settle(o.pool, tables, 300, 8000);
        const again = await send(o.baseUrl, req, timeoutMs);
        const afterAgain = await snapshot(o.pool, tables);
        const changedAgain = diff(quiet.snap, afterAgain);
        if (again.status >= 400 && again.status < 500 && changedAgain.length > 0) {
          findings.push({ check: 'write_on_4xx', severity: 'must', detail: `${again.status} ${String((again.json as Record<string, unknown> | undefined)?.['code'] ?? '')} but wrote to ${changedAgain.join(', ')}` });
        } else {
          notes['write check: background writes (not this request)'] = (notes['write check: background writes (not this request)'] ?? 0) + 1;
        }
      }
    } else if (req.method !== 'GET' && req.method !== 'HEAD') {
      // a mutating request that was not refused may have started background work
      dirty = true;
    }
    const st = (stats[op.id] ??= { runs: 0, statuses: {}, byMutation: {}, ms: 0 });
    st.runs++;
    st.statuses[res.status] = (st.statuses[res.status] ?? 0) + 1;
    const key = req.mutations.map((m) => `${m.part}:${m.kind}`).join('+') || 'valid';
    const bm = (st.byMutation[key] ??= {});
    bm[res.status] = (bm[res.status] ?? 0) + 1;
    for (const f of findings.filter((x) => x.severity === 'note')) notes[`${op.id}: ${f.check} ${f.detail}`] = (notes[`${op.id}: ${f.check} ${f.detail}`] ?? 0) + 1;
    return { req, res, findings };
  };

  const deadline = o.totalBudgetMs ? Date.now() + o.totalBudgetMs : Infinity;
  const seen = new Map<string, Defect>();
  const known = new Set<string>();
  const described = new Set<string>();
  for (const [index, op] of operations.entries()) {
    const started = Date.now();
    const reportedBefore = failures.length;
    const arb = requestArbitrary(o.openapi, op, fixtures);
    const share = (deadline - Date.now()) / (operations.length - index);
    const budget = Math.max(1500, Math.min(o.budgetMsPerOp ?? (mode === 'assert' ? 60_000 : 600_000), share));
    const maxRounds = mode === 'collect' ? (o.maxDefectsPerOp ?? 25) : 1;
    let opRuns = 0;
    if (o.sweep) {
      // the base of the sweep: a body the service accepts (a schema cannot say "exactly one of a or b")
      let base: { baseValue?: unknown } = {};
      for (const candidate of sweepBaseCandidates(o.openapi, op, fixtures, seed)) {
        const [probe] = sweepRequests(o.openapi, op, fixtures, seed, { baseValue: candidate, validOnly: true });
        const r = await send(o.baseUrl, withLiveSession(probe!, await ensureSession(o.baseUrl, fixtures)), timeoutMs);
        dirty = true;
        if (r.status >= 200 && r.status < 300) {
          base = { baseValue: candidate };
          break;
        }
      }
      for (const req0 of sweepRequests(o.openapi, op, fixtures, seed, base)) {
        const { req, res, findings } = await exchange(op, req0);
        for (const f of findings.filter((x) => x.severity !== 'note')) {
          const sig = signature(op, f, req, res);
          if (seen.has(sig)) continue;
          const d: Defect = { signature: sig, op: op.id, check: f.check, severity: f.severity, detail: f.detail, request: req, response: res, minimal: true, systematic: true, seed, counterexamplePath: null };
          seen.set(sig, d);
          known.add(sig);
          if (failOn.has(f.severity)) {
            described.add(sig);
            failures.push(describeDefect(d));
            log(describeDefect(d));
          }
        }
      }
    }
    let inFlight: Promise<void> = Promise.resolve();
    for (let round = 0; round < maxRounds && Date.now() - started < budget; round++) {
      const roundSeed = (seed + round * 7919 + hash(op.id)) % 2 ** 31;
      const remaining = o.runs - opRuns;
      if (remaining <= 0) break;
      let details: fc.RunDetails<[FuzzRequest]>;
      try {
        details = await fc.check(
        fc.asyncProperty(arb, async (template) => {
          // fast-check's time limit races a run and drops the loser without stopping it: keep it to await below
          const run = exchange(op, template);
          inFlight = run.then(() => undefined, () => undefined);
          const { req, res, findings } = await run;
          const failing = findings.filter((f) => (mode === 'assert' ? failOn.has(f.severity) : f.severity !== 'note' && !known.has(signature(op, f, req, res))));
          for (const f of failing) {
            const sig = signature(op, f, req, res);
            if (!seen.has(sig)) seen.set(sig, { signature: sig, op: op.id, check: f.check, severity: f.severity, detail: f.detail, request: req, response: res, minimal: false, seed: roundSeed, counterexamplePath: null });
          }
          if (failing.length > 0) throw new FuzzFailure(failing, req, res);
        }),
        { numRuns: remaining, seed: roundSeed, interruptAfterTimeLimit: Math.max(1000, budget - (Date.now() - started)) },
        );
      } catch (err) {
        await inFlight;
        failures.push(`${op.id}: the harness itself failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        log(failures[failures.length - 1]!);
        break;
      }
      // a run the time limit interrupted still finishes (and may record a defect) before the next operation starts
      await inFlight;
      opRuns += Math.max(1, details.numRuns);
      if (!details.failed) break;
      const err = details.errorInstance;
      if (!(err instanceof FuzzFailure)) {
        failures.push(`${op.id}: the harness itself failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        break;
      }
      const sigs: string[] = [];
      for (const f of err.findings) {
        const sig = signature(op, f, err.request, err.response);
        sigs.push(sig);
        known.add(sig);
        described.add(sig);
        seen.set(sig, {
          signature: sig, op: op.id, check: f.check, severity: f.severity, detail: f.detail, request: err.request, response: err.response,
          minimal: true, seed: roundSeed, counterexamplePath: details.counterexamplePath,
        });
      }
      const text = [...new Set(sigs)].map((sig) => describeDefect(seen.get(sig)!)).join('\n');
      failures.push(text);
      log(text);
      if (mode === 'assert') break;
    }
    // a failing answer seen but never reported (a run the time limit interrupted) is reported as found, unshrunk:
    // the run fails on it, so it must say what it was (a shrink step's other failures add nothing to a report)
    for (const d of seen.values()) {
      if (failures.length > reportedBefore) break;
      if (d.op !== op.id || !failOn.has(d.severity) || described.has(d.signature)) continue;
      failures.push(`${describeDefect(d)}\n  (found in a run that was not shrunk)`);
      log(failures[failures.length - 1]!);
    }
    for (const d of seen.values()) if (d.op === op.id) described.add(d.signature);
    // what was seen while shrinking something else counts too
    for (const sig of seen.keys()) known.add(sig);
    const st = (stats[op.id] ??= { runs: 0, statuses: {}, byMutation: {}, ms: 0 });
    st.ms = Date.now() - started;
    log(`${op.id}: ${st.runs} requests in ${st.ms} ms; statuses ${JSON.stringify(st.statuses)}; ${[...seen.values()].filter((d) => d.op === op.id).length} defect(s)`);
  }
  defects.push(...seen.values());

  if (o.idempotencyProbe) defects.push(...(await idempotencyProbe(o, operations, fixtures, codes, log)));
  const failing = defects.filter((d) => failOn.has(d.severity));
  return { ok: failing.length === 0 && failures.every((f) => !f.includes('harness itself failed')), failures, defects, notes, stats, fixtures, operations: operations.map((op) => op.id) };
}

function hash(s: string): number {
  let h = 0;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) | 0;
  return Math.abs(h);
}

/**
 * api.md: "422 idempotency_key_reused: an Idempotency-Key sent again with a different request. The same key with
 * the same request returns the first outcome." For each mutating JSON operation: A with key K, A again, B with K.
 */
async function idempotencyProbe(o: FuzzOptions, operations: Operation[], fixtures: Fixtures, codes: Set<string>, log: (l: string) => void): Promise<Defect[]> {
  const out: Defect[] = [];
  for (const op of operations.filter((x) => x.kind === 'json' && ['POST', 'PUT', 'PATCH'].includes(x.method) && x.documented && !x.path.startsWith('/auth/'))) {
    const pathFor = () => op.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(fixtures.values[name]?.[0] ?? 'x'));
    const hints = (name: string) => {
      if (name === 'cron') return fc.constant('0 3 1 1 *');
      if (name === 'timezone') return fc.constantFrom('UTC', 'Europe/Berlin');
      if (/password/i.test(name)) return passphraseArb;
      return undefined;
    };
    const bodies = op.body ? fc.sample(valueArbitrary(op.body.schema, { root: o.openapi, hint: hints }), { numRuns: 12, seed: 42 }) : [undefined];
    // two bodies that differ, each accepted alone
    const key = `fz-${randomUUID()}`;
    const mk = (b: unknown): FuzzRequest => ({
      op: op.id, method: op.method, path: pathFor(),
      headers: [['Authorization', `Bearer ${o.adminKey}`], ['Idempotency-Key', key], ...(b !== undefined ? [['Content-Type', 'application/json'] as [string, string]] : [])],
      ...(b !== undefined ? { body: new Uint8Array(Buffer.from(toJsonText(b))) } : {}),
      mutations: [],
    });
    let first: { req: FuzzRequest; res: FuzzResponse } | undefined;
    for (const b of bodies) {
      const req = mk(b);
      const res = await send(o.baseUrl, req);
      if (res.status >= 200 && res.status < 300) {
        first = { req, res };
        break;
      }
    }
    if (!first) continue;
    const replay = await send(o.baseUrl, first.req);
    if (replay.status !== first.res.status) {
      out.push({ signature: `${op.id} | idempotent_replay`, op: op.id, check: 'idempotent_replay', severity: 'should', detail: `the same request with the same Idempotency-Key answered ${replay.status} after ${first.res.status} (api.md: returns the first outcome)`, request: first.req, response: replay, minimal: false, seed: 42, counterexamplePath: null });
    }
    const firstText = first.req.body ? Buffer.from(first.req.body).toString() : '';
    const different = bodies.find((b) => b !== undefined && toJsonText(b) !== firstText);
    if (op.body && different !== undefined) {
      const reqB = mk(different);
      const resB = await send(o.baseUrl, reqB);
      const code = (resB.json as Record<string, unknown> | undefined)?.['code'];
      // a different request with a used key must not run (a 4xx for what is wrong with B alone is no proof either way)
      if (resB.status >= 200 && resB.status < 300) {
        out.push({ signature: `${op.id} | idempotency_key_reused`, op: op.id, check: 'idempotency_key_reused', severity: 'should', detail: `another body with the same Idempotency-Key answered ${resB.status} ${String(code ?? '')}, not 422 idempotency_key_reused`, request: reqB, response: resB, minimal: false, seed: 42, counterexamplePath: null });
      }
    }
    void codes;
    log(`${op.id}: idempotency probe done`);
  }
  return out;
}

export { describeRequest, bodyForDisplay };
