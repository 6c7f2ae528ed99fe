import type { ChildProcess } from 'node:child_process';
import { OtlpReceiver, type ReceivedSpan } from '../dev/otlpReceiver';
import { renderSpanTree } from '../dev/spanTree';
import { startApiProcess } from './support/apiProcess';
import { eventually, INITIAL, TestEnv } from './support/env';
import { kill, startWorkerProcess } from './support/workerProcess';

/**
 * The real API and worker processes, traced by nothing but the OTEL_* variables
 * (the API exports OTLP/HTTP JSON, the worker protobuf), send their spans to a
 * local OTLP receiver. One reset link makes one trace from the admin's request
 * to the mail activity, and nothing any process exported holds a secret.
 */

const WEAK = 'password1234';
const CHOSEN = 'orbit-velvet-canyon-93';
const ROUTE = '/admin/tenants/{tenantId}/users/{userId}/password-reset-email';
const SERVER = 2; // SpanKind.SERVER in OTLP

let env: TestEnv;
const receiver = new OtlpReceiver();
let api: { child: ChildProcess; baseUrl: string } | undefined;
let worker: ChildProcess | undefined;

beforeAll(async () => {
  const { endpoint } = await receiver.listen();
  env = await TestEnv.start({ worker: false });
  const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '100' };
  [api, worker] = await Promise.all([
    startApiProcess(env, { ...otel, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }),
    startWorkerProcess(env, { ...otel, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' }),
  ]);
});
afterAll(async () => {
  if (api) await kill(api.child);
  if (worker) await kill(worker);
  await env?.close();
  await receiver.close();
});

/** Call the traced API process. */
async function call(method: string, path: string, o: { body?: unknown; auth?: string | null } = {}) {
  const auth = o.auth === undefined ? env.adminKey : o.auth;
  const res = await fetch(api!.baseUrl + path, {
    method,
    headers: { ...(auth ? { authorization: `Bearer ${auth}` } : {}), ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}), cookie: 'probe=cookie-secret-value' },
    ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : undefined };
}

function ancestors(span: ReceivedSpan, byId: Map<string, ReceivedSpan>): ReceivedSpan[] {
  const chain: ReceivedSpan[] = [];
  for (let s: ReceivedSpan | undefined = span; s; s = s.parentSpanId ? byId.get(s.parentSpanId) : undefined) chain.push(s);
  return chain;
}

/** Every string a payload of these workflows' histories holds under a `sealed…` key (the sealed token and passwords). */
async function sealedValues(workflowId: string): Promise<string[]> {
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  const found: string[] = [];
  const visit = (v: unknown, key = ''): void => {
    if (v instanceof Uint8Array) {
      try {
        visit(JSON.parse(Buffer.from(v).toString('utf8')), key);
      } catch {
        // not JSON (metadata)
      }
    } else if (Array.isArray(v)) v.forEach((x) => visit(x, key));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, k);
    else if (typeof v === 'string' && /^sealed/i.test(key)) found.push(v);
  };
  visit(history);
  return found;
}

test('one reset link is one trace from POST …/password-reset-email to the mail activity, and no span holds a secret', async () => {
  const tenant = `t-trace-${Date.now().toString(36)}`;
  expect((await call('POST', '/admin/tenants', { body: { id: tenant, name: 'Traced Org' } })).status).toBe(201);
  const email = `traced-${Date.now().toString(36)}@example.com`;
  const user = await call('POST', `/admin/tenants/${tenant}/users`, { body: { email, displayName: 'Tracy Quillfeather', password: INITIAL } });
  expect(user.status).toBe(201);
  const userId: string = user.body.id;
  const session = await call('POST', '/auth/sign-in', { body: { tenant, email, password: INITIAL }, auth: null });
  expect(session.status).toBe(200);

  const sent = await call('POST', `/admin/tenants/${tenant}/users/${userId}/password-reset-email`, { body: {} });
  expect(sent.status).toBe(202);
  const link = await env.resetLink(email);
  // the worker builds links from its own PUBLIC_URL (the test's): open the page on the traced API
  expect((await fetch(`${api!.baseUrl}/reset-password?token=${link.token}`, { headers: { cookie: 'probe=cookie-secret-value' } })).status).toBe(200);
  expect((await call('POST', '/auth/password-reset', { body: { token: link.token, newPassword: WEAK }, auth: null })).status).toBe(422);
  expect((await call('POST', '/auth/password-reset', { body: { token: link.token, newPassword: CHOSEN }, auth: null })).status).toBe(200);
  await env.client.workflow.getHandle(sent.body.workflowId).result();

  // the trace: the admin's request, through the update-with-start and the workflow, to the mail activity
  const { root, mail, trace } = await receiver.waitFor((spans) => {
    const root = spans.find((s) => s.kind === SERVER && s.attributes['http.route'] === ROUTE);
    const mail = root && spans.find((s) => s.traceId === root.traceId && s.name === 'RunActivity:sendResetEmail');
    const run = root && spans.find((s) => s.traceId === root.traceId && s.name === 'RunWorkflow:passwordResetEmailWorkflow');
    const completed = spans.some((s) => s.name === 'RunActivity:applyChosenPassword');
    // spans arrive in export batches: a child (the password-changed notice's) may come before its parent
    const ids = new Set(spans.map((s) => s.spanId));
    const linked = root && spans.every((s) => s.traceId !== root.traceId || !s.parentSpanId || ids.has(s.parentSpanId));
    return root && mail && run && completed && linked ? { root, mail, trace: spans.filter((s) => s.traceId === root.traceId) } : undefined;
  }, 'the reset link\'s spans');
  const byId = new Map(trace.map((s) => [s.spanId, s]));
  console.log(`${renderSpanTree(receiver.spans, root.traceId)}\n`);

  expect(root.name).toBe(`POST ${ROUTE}`);
  expect(root.parentSpanId).toBeUndefined();
  expect(root.service).toBe('resetflow-api');
  expect(root.attributes['http.target']).toBe(`/admin/tenants/${tenant}/users/${userId}/password-reset-email`);
  // parent links intact: every span's parent is in the trace, and the mail activity's chain reaches the request
  for (const s of trace) if (s.parentSpanId) expect(byId.has(s.parentSpanId)).toBe(true);
  const chain = ancestors(mail, byId).map((s) => s.name);
  expect(chain[chain.length - 1]).toBe(`POST ${ROUTE}`);
  expect(chain).toEqual(expect.arrayContaining(['StartActivity:sendResetEmail', 'RunWorkflow:passwordResetEmailWorkflow', 'UpdateWithStartWorkflow:linkIssued']));
  expect(mail.service).toBe('resetflow-worker');
  // Temporal spans carry the workflow id (ids only)
  const start = trace.find((s) => s.name === 'UpdateWithStartWorkflow:linkIssued')!;
  expect(start.attributes['temporalWorkflowId']).toBe(sent.body.workflowId);
  // one span per SQL statement, in both processes, with placeholders
  const sql = trace.filter((s) => typeof s.attributes['db.statement'] === 'string');
  expect(new Set(sql.map((s) => s.service))).toEqual(new Set(['resetflow-api', 'resetflow-worker']));
  expect(sql.some((s) => /\$1/.test(String(s.attributes['db.statement'])))).toBe(true);
  const issue = trace.find((s) => s.name === 'RunActivity:issueResetLink')!;
  expect(sql.some((s) => ancestors(s, byId).includes(issue))).toBe(true);

  // the reset page: its span names the route, never the token in its query string
  const page = receiver.spans.find((s) => s.kind === SERVER && s.attributes['http.route'] === '/reset-password');
  expect(page).toMatchObject({ name: 'GET /reset-password', attributes: { 'http.target': '/reset-password' } });
  expect(String(page!.attributes['http.url'])).not.toContain('?');
  // no header is recorded (Authorization, Cookie)
  for (const s of receiver.spans) expect(Object.keys(s.attributes).filter((k) => /header|cookie|authorization/i.test(k))).toEqual([]);

  // nothing any process exported holds a password, the token, a hash, the email address, a key or a sealed payload
  const secrets = new Set([INITIAL, WEAK, CHOSEN, link.token, link.url.split('?')[1]!, email, encodeURIComponent(email), env.adminKey,
    session.body.session.token, 'cookie-secret-value', 'Tracy Quillfeather']);
  const hashes = await env.pool.query('SELECT password_hash FROM password_history WHERE user_id = $1 UNION SELECT password_hash FROM users WHERE id = $1', [userId]);
  for (const { password_hash: h } of hashes.rows) [h, ...h.split('$').slice(-2)].forEach((x: string) => secrets.add(x));
  expect(hashes.rows.length).toBeGreaterThanOrEqual(2);
  const sealed = await sealedValues(sent.body.workflowId);
  expect(sealed.length).toBeGreaterThanOrEqual(2);
  sealed.forEach((s) => secrets.add(s));

  // everything exported until the processes stop
  await eventually(async () => (receiver.spans.some((s) => s.name === 'RunWorkflow:passwordResetEmailWorkflow' && s.service === 'resetflow-worker') ? true : undefined), 'the workflow span');
  const exported = receiver.bodies.join('\n');
  expect(exported).toContain(userId);
  for (const secret of secrets) {
    if (exported.includes(secret)) throw new Error(`an exported span holds a secret: ${secret.slice(0, 6)}…`);
  }
});
