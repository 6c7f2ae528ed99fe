import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker, type WorkerInterceptors } from '@temporalio/worker';
import { createActivityDeps } from '../../src/activities/createDeps';
import type { ActivityDeps } from '../../src/activities/deps';
import { createApp } from '../../src/api/app';
import { answerClientErrors } from '../../src/api/clientErrors';
import { createHttpDeps, type HttpDeps } from '../../src/api/deps';
import { loadConfig, type Config } from '../../src/config';
import { createPool, type Pool } from '../../src/db/pool';
import { createLogger } from '../../src/log';
import { PostmarkSink } from '../../dev/postmarkSink';
import { PwnedRangeServer } from '../../dev/pwnedRangeServer';
import { CONSOLE_DIR } from '../../src/paths';
import { connectClient, loadTemporalTarget } from '../../src/temporal/connection';
import { createResetflowWorker } from '../../src/temporal/worker';
import { startWebhookDispatcher, type WebhookDispatcher } from '../../src/temporal/webhookDispatcher';
import { createResetflowClient, type Middleware, type RequestBody, type ResetflowClient, type ResponseBody } from '../../clients/typescript';

/** The password a test's users start with (it passes every default policy rule). */
export const INITIAL = 'glacier-ticket-marble-74';
/** A temporary password an admin sets (path 2), where a test needs one. */
export const TEMPORARY = 'lantern-oyster-kettle-21';
/** A new password a user chooses (a reset link, a change at sign-in), where a test needs one. */
export const CHOSEN = 'maple-harbor-quartz-88';

export interface HttpResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface TestEnvOptions {
  /** interceptors for the in-process worker (fault injection) */
  interceptors?: WorkerInterceptors;
  /** start the in-process worker (default true); tests that run the real worker process say false */
  worker?: boolean;
  env?: Record<string, string>;
  /** how long a request waits on Temporal before its 503 (the service's 15 s, shortened where a test waits for it) */
  workflowWaitMs?: number;
  /**
   * run the outbound webhooks' dispatcher beside the worker (as worker.ts does), limited to this
   * environment's tenants: other test files share the database
   */
  webhooks?: boolean;
}

/**
 * One test file's slice of the real stack: its own task queue, worker, API
 * server and Postmark sink, on the run's shared PostgreSQL and Temporal.
 */
export class TestEnv {
  readonly adminKey = `rf_test_${randomBytes(18).toString('base64url')}`;
  readonly taskQueue = `test-${randomBytes(6).toString('hex')}`;
  readonly sink = new PostmarkSink();
  /** the local Pwned Passwords range API every new password is looked up in (a test may add() a breached one) */
  readonly pwned = new PwnedRangeServer();
  private pwnedUrl = '';
  /** the HTTP Basic credentials of /webhooks/postmark, which the sink posts its webhooks with */
  readonly webhookCredentials = { user: 'postmark-test', password: randomBytes(18).toString('base64url') };
  config!: Config;
  pool!: Pool;
  client!: Client;
  apiDeps!: HttpDeps;
  activityDeps!: ActivityDeps;
  baseUrl!: string;
  /** the API's log lines (debug and up) since start */
  readonly logLines: string[] = [];
  /**
   * The typed API client (clients/typescript, generated from /openapi.json) with the platform
   * admin key: what tests call the API with. `apiAs(key)` gives one with another key, a
   * session token or none. Raw `http()` stays for requests a typed client cannot send
   * (malformed, hostile or deliberately wrong ones).
   */
  api!: ResetflowClient;
  private server!: http.Server;
  private connection: NativeConnection | undefined;
  private worker: Worker | undefined;
  private running: Promise<void> | undefined;
  /** the tenants env.tenant() made: the webhook dispatcher of this environment serves only these */
  readonly tenantIds: string[] = [];
  dispatcher: WebhookDispatcher | undefined;
  private webhooks = false;

  static async start(options: TestEnvOptions = {}): Promise<TestEnv> {
    const env = new TestEnv();
    await env.init(options);
    return env;
  }

  /** useTestEnv(): an environment started in beforeAll and closed in afterAll of the calling file or describe block. */
  static forSuite(options: TestEnvOptions = {}): TestEnv {
    const env = new TestEnv();
    beforeAll(() => env.init(options));
    afterAll(() => env.close());
    return env;
  }

  /** The environment a separate worker or API process of this test needs. */
  processEnv(): Record<string, string> {
    return {
      NODE_ENV: 'test',
      DATABASE_URL: process.env['RESETFLOW_TEST_DATABASE_URL']!,
      TEMPORAL_ADDRESS: process.env['RESETFLOW_TEST_TEMPORAL_ADDRESS']!,
      TEMPORAL_TASK_QUEUE: this.taskQueue,
      ADMIN_API_KEY: this.adminKey,
      SECRETS_KEY: this.secretsKey,
      POSTMARK_SERVER_TOKEN: 'test-server-token',
      POSTMARK_API_HOST: this.sinkHost,
      PUBLIC_URL: this.baseUrl ?? 'http://localhost',
      RATE_LIMIT_PER_IP: '100000',
      RATE_LIMIT_PER_ACCOUNT: '1000',
      RATE_LIMIT_ACCOUNT_CEILING: '100000',
      LOG_LEVEL: 'warn',
      POSTMARK_WEBHOOK_USER: this.webhookCredentials.user,
      POSTMARK_WEBHOOK_PASSWORD: this.webhookCredentials.password,
      PWNED_PASSWORDS_URL: this.pwnedUrl || 'off',
    };
  }

  private readonly secretsKey = randomBytes(32).toString('base64');
  private sinkHost = '';

  private async init(options: TestEnvOptions): Promise<void> {
    const { port: sinkPort } = await this.sink.listen(0);
    this.pwnedUrl = await this.pwned.listen(0);
    this.sinkHost = `127.0.0.1:${sinkPort}`;
    // the API listens first, so PUBLIC_URL (the base of links in emails) is its real address
    this.server = http.createServer();
    answerClientErrors(this.server);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.api = this.apiAs(this.adminKey);
    // the sink reports deliveries and bounces back, as Postmark does (a test may turn it off: sink.configureWebhooks(undefined))
    this.sink.configureWebhooks({ url: `${this.baseUrl}/webhooks/postmark`, ...this.webhookCredentials });

    this.config = loadConfig({ ...this.processEnv(), ...options.env });
    this.pool = createPool(this.config.database.url, 10);
    this.client = await connectClient(loadTemporalTarget({ TEMPORAL_ADDRESS: process.env['RESETFLOW_TEST_TEMPORAL_ADDRESS']! }));
    // every line the API logs, at debug, kept for tests that read the logs back (no secret may be in them)
    const log = createLogger('api', 'debug', (line) => {
      if (this.logLines.length < 50_000) this.logLines.push(line);
      if (process.env['RESETFLOW_TEST_LOGS']) process.stdout.write(line + '\n');
    });
    this.apiDeps = createHttpDeps(this.config, { pool: this.pool, temporal: this.client, log });
    if (options.workflowWaitMs !== undefined) this.apiDeps.workflowWaitMs = options.workflowWaitMs;
    this.activityDeps = createActivityDeps(this.config, this.pool);
    // the built console (npm run build, which npm test runs first), as the API process serves it
    this.server.on('request', createApp(this.apiDeps, { consoleDir: CONSOLE_DIR }));
    this.webhooks = options.webhooks ?? false;
    if (options.worker !== false) await this.startWorker(options.interceptors);
  }

  async startWorker(interceptors?: WorkerInterceptors): Promise<void> {
    // Expected failures (injected, scripted by the mail sink) would fill the output with warnings.
    if (!Runtime._instance) Runtime.install({ logger: new DefaultLogger(process.env['RESETFLOW_TEST_LOGS'] ? 'INFO' : 'ERROR') });
    this.connection ??= await NativeConnection.connect({ address: process.env['RESETFLOW_TEST_TEMPORAL_ADDRESS']! });
    this.worker = await createResetflowWorker({
      connection: this.connection,
      namespace: 'default',
      taskQueue: this.taskQueue,
      deps: this.activityDeps,
      maxConcurrentActivities: 8,
      maxCachedWorkflows: this.config.workerMaxCachedWorkflows,
      workflowBundlePath: process.env['RESETFLOW_TEST_WORKFLOW_BUNDLE'],
      ...(interceptors ? { interceptors } : {}),
    });
    this.running = this.worker.run();
    if (this.webhooks && !this.dispatcher) {
      this.dispatcher = startWebhookDispatcher({
        pool: this.pool, temporal: this.client, taskQueue: this.taskQueue, retryScheduleSeconds: this.config.webhooks.retryScheduleSeconds,
        intervalMs: this.config.webhooks.dispatchIntervalMs, log: createLogger('dispatcher', 'error'), tenantIds: () => this.tenantIds,
      });
    }
  }

  /** workflows the test's worker holds in its sticky cache now */
  cachedWorkflows(): number {
    return this.worker?.getStatus().numCachedWorkflows ?? 0;
  }

  async stopWorker(): Promise<void> {
    if (!this.worker) return;
    this.worker.shutdown();
    await this.running;
    this.worker = undefined;
  }

  /** Stops what was started (also after a start that failed half-way). */
  async close(): Promise<void> {
    await this.dispatcher?.stop();
    await this.stopWorker();
    await this.connection?.close();
    if (this.server) {
      this.server.closeAllConnections();
      await new Promise((r) => this.server.close(r));
    }
    await this.sink.close();
    await this.pwned.close();
    await this.client?.connection.close();
    await this.pool?.end();
  }

  /** Call the API. `auth`: a bearer token; defaults to the platform admin key. */
  async http<T = any>(method: string, path: string, o: { body?: unknown; auth?: string | null; headers?: Record<string, string>; rawBody?: string } = {}): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = { ...o.headers };
    const auth = o.auth === undefined ? this.adminKey : o.auth;
    if (auth) headers['authorization'] = `Bearer ${auth}`;
    let body: string | undefined;
    if (o.rawBody !== undefined) body = o.rawBody;
    else if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.baseUrl + path, { method, headers, ...(body !== undefined ? { body } : {}), redirect: 'manual' });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // HTML or empty
    }
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }

  /** A typed client of this test's API, authenticated with `key` (an admin key or a session token; null: none). */
  apiAs(key: string | null): ResetflowClient {
    const client = createResetflowClient({ baseUrl: this.baseUrl, key: key ?? undefined, redirect: 'manual' });
    client.use(keepRawText);
    return client;
  }

  /** A fresh tenant for one test: nothing crosses tenants, so tests never see each other's rows. */
  async tenant(settings: NonNullable<RequestBody<'createTenant'>['settings']> = {}, name = 'Example Org'): Promise<string> {
    const id = `t-${randomBytes(5).toString('hex')}`;
    const { data, response } = await this.api.POST('/admin/tenants', { body: { id, name, settings } });
    if (!data) throw new Error(`tenant: ${response.status} ${rawText(response)}`);
    this.tenantIds.push(data.id);
    return data.id;
  }

  async user(tenantId: string, o: { password?: string; federated?: boolean; email?: string; displayName?: string } = {}): Promise<{ id: string; email: string }> {
    const email = o.email ?? `user-${randomBytes(4).toString('hex')}@example.com`;
    const body: RequestBody<'createUser'> = { email, displayName: o.displayName ?? 'Test Person' };
    if (o.password !== undefined) body.password = o.password;
    if (o.federated) body.federatedIdentities = [{ provider: 'google', subject: randomBytes(8).toString('hex') }];
    const { data, response } = await this.api.POST('/admin/tenants/{tenantId}/users', { params: { path: { tenantId } }, body });
    if (!data) throw new Error(`user: ${response.status} ${rawText(response)}`);
    return { id: data.id, email };
  }

  async audit(tenantId: string, userId?: string): Promise<ResponseBody<'listAuditEvents'>['items']> {
    const { data, response } = await this.api.GET('/admin/tenants/{tenantId}/audit-events', {
      params: { path: { tenantId }, query: { limit: 200, ...(userId ? { userId } : {}) } },
    });
    if (!data) throw new Error(`audit: ${response.status} ${rawText(response)}`);
    return data.items;
  }

  /** The reset link of the newest email to `to`. */
  async resetLink(to: string, after = 0): Promise<{ url: string; token: string }> {
    const message = await this.sink.waitFor((m) => m.to === to && m.tag === 'password-reset' && this.sink.messages.indexOf(m) >= after);
    const url = message.textBody.match(/https?:\/\/\S+\/reset-password\?token=[\w-]+/)![0];
    return { url, token: new URL(url).searchParams.get('token')! };
  }

  /** POST a webhook to /webhooks/postmark as Postmark would (with the configured credentials unless `auth` says otherwise). */
  async postmarkWebhook(payload: unknown, o: { auth?: { user: string; password: string } | null } = {}): Promise<HttpResponse> {
    const creds = o.auth === undefined ? this.webhookCredentials : o.auth;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (creds) headers['authorization'] = `Basic ${Buffer.from(`${creds.user}:${creds.password}`).toString('base64')}`;
    return this.http('POST', '/webhooks/postmark', { rawBody: typeof payload === 'string' ? payload : JSON.stringify(payload), headers, auth: null });
  }

  async signIn(tenant: string, email: string, password: string): Promise<HttpResponse> {
    return asHttpResponse(await this.apiAs(null).POST('/auth/sign-in', { body: { tenant, email, password } }));
  }

  /** Path 2: POST …/temporary-password with `body` as given (what it leaves out, the API's defaults decide). */
  async setTemporaryPassword(tenantId: string, userId: string, body: Record<string, unknown>): Promise<HttpResponse> {
    return this.http('POST', `/admin/tenants/${tenantId}/users/${userId}/temporary-password`, { body });
  }
}

/**
 * The set-up every API test file (or describe block) shares: one TestEnv on the run's PostgreSQL
 * and Temporal, started before its tests and closed after them. The instance is there at once
 * (`const env = useTestEnv()`); its API, pool and client are ready in the tests and in any
 * beforeAll declared after this call.
 */
export function useTestEnv(options: TestEnvOptions = {}): TestEnv {
  return TestEnv.forSuite(options);
}

/** An answer that must be an RFC 9457 problem document with this status and code. */
export function expectProblem(res: { status: number; body: any; headers: Headers }, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toEqual(expect.objectContaining({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String), code }));
}

/** How many audit events have `action`. */
export function count(events: readonly { action: string }[], action: string): number {
  return events.filter((e) => e.action === action).length;
}

/** How many audit events of each action there are. */
export function counts(events: readonly { action: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of events) out[e.action] = (out[e.action] ?? 0) + 1;
  return out;
}

/** Each answer's body exactly as sent (openapi-fetch parses it), for tests that compare bytes. */
const rawTexts = new WeakMap<Response, string>();
const keepRawText: Middleware = {
  async onResponse({ response }) {
    rawTexts.set(response, await response.clone().text());
  },
};
const rawText = (response: Response): string => rawTexts.get(response) ?? '';

/** A typed call's answer in the shape `http()` gives: status, headers, the parsed body (success or problem) and the raw text. */
export function asHttpResponse<T = any>(r: { data?: unknown; error?: unknown; response: Response }): HttpResponse<T> {
  return { status: r.response.status, headers: r.response.headers, body: (r.data ?? r.error) as T, text: rawText(r.response) };
}

/** Poll until `probe` returns something other than undefined (for effects that finish after a response). */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
