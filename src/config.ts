import type { UserImportTuning } from './contract/userImport';
import path from 'node:path';
import { z } from 'zod';
import type { BulkTuning } from './contract/bulkReset';
import { DEFAULT_RETRY_SCHEDULE_SECONDS } from './contract/webhooks';

/**
 * Process configuration, read from environment variables and validated once at
 * start-up. Every entry point (API, worker, launcher, tests) calls
 * `loadConfig()` and passes the result down; nothing reads `process.env` later.
 * Development secrets nobody configured come from src/localSecrets.ts (asked for only outside production),
 * never from here.
 *
 * Temporal connection variables (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_API_KEY, TEMPORAL_TLS_*) are read by `@temporalio/envconfig` in
 * src/temporal/connection.ts, so they behave exactly as in every Temporal SDK.
 */

const base64Key = z
  .string()
  .refine((s) => Buffer.from(s, 'base64').length === 32, 'must be 32 bytes, base64-encoded (openssl rand -base64 32)');

const optionalString = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const intFrom = (def: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(def);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: intFrom(3000, 0, 65535),
  HOST: optionalString,
  PUBLIC_URL: optionalString.pipe(z.url().optional()),
  DATABASE_URL: optionalString,
  DATA_DIR: z.string().default('.data'),
  ADMIN_API_KEY: optionalString.pipe(z.string().min(24, 'must be at least 24 characters').optional()),
  SECRETS_KEY: optionalString.pipe(base64Key.optional()),
  SECRETS_KEY_PREVIOUS: optionalString.pipe(base64Key.optional()),
  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('password-resets'),
  TEMPORAL_UI_URL: optionalString.pipe(z.url().optional()),
  POSTMARK_SERVER_TOKEN: optionalString,
  POSTMARK_API_HOST: optionalString,
  MAIL_SINK_PORT: intFrom(3025, 1, 65535),
  MAIL_SINK_TOKEN: optionalString,
  EMBEDDED_POSTGRES_PORT: intFrom(54329, 1, 65535),
  MAIL_FROM: z.string().default('resetflow <no-reply@resetflow.localhost>'),
  POSTMARK_MESSAGE_STREAM: z.string().default('outbound'),
  POSTMARK_WEBHOOK_USER: optionalString.pipe(z.string().max(200).refine((s) => !s.includes(':'), 'must not contain ":" (HTTP Basic)').optional()),
  POSTMARK_WEBHOOK_PASSWORD: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').max(200).optional()),
  PG_POOL_SIZE: intFrom(10, 1, 200),
  WORKER_ACTIVITY_CONCURRENCY: intFrom(8, 1, 1000),
  // every pending link and lapsing temporary password is an open workflow; the SDK's default cache (sized
  // from the heap, about 2,300 here) held 1.6 GiB with 10,000 links pending (npm run bench -- pending-links)
  WORKER_MAX_CACHED_WORKFLOWS: intFrom(250, 0, 100_000),
  SESSION_TTL_SECONDS: intFrom(12 * 3600, 60, 90 * 24 * 3600),
  TRUST_PROXY: optionalString,
  RATE_LIMIT_PER_IP: intFrom(60, 1, 1_000_000),
  RATE_LIMIT_PER_ACCOUNT: intFrom(10, 1, 1_000_000),
  RATE_LIMIT_ACCOUNT_CEILING: intFrom(30, 1, 1_000_000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  BULK_BATCH_SIZE: intFrom(1000, 1, 100_000),
  BULK_BATCHES_PER_ACTIVITY: intFrom(5, 1, 1000),
  BULK_ACTIVITIES_PER_RUN: intFrom(20, 1, 1000),
  PWNED_PASSWORDS_URL: optionalString.pipe(z.union([z.literal('off'), z.url({ protocol: /^https?$/, error: 'must be an http(s) URL or off' })]).optional()),
  IMPORT_BATCH_SIZE: intFrom(2000, 1, 10_000),
  IMPORT_BATCHES_PER_ACTIVITY: intFrom(20, 1, 1000),
  IMPORT_ACTIVITIES_PER_RUN: intFrom(50, 1, 1000),
  METRICS_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  WORKER_METRICS_ADDRESS: optionalString.pipe(
    z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[\w.-]+):\d{1,5}$/, 'must be host:port (for example 0.0.0.0:9464)').optional(),
  ),
  WEBHOOK_ALLOW_LOOPBACK: z.enum(['true', 'false', '1', '0', '']).default('false').transform((v) => v === 'true' || v === '1'),
  // seconds between attempts, comma-separated (tests shorten it); one attempt more than entries
  WEBHOOK_RETRY_SCHEDULE_SECONDS: optionalString.pipe(
    z.string().regex(/^\d+(\.\d+)?(,\d+(\.\d+)?){0,99}$/, 'must be seconds, comma-separated (for example 5,300,1800)').optional(),
  ),
  WEBHOOK_DISABLE_AFTER_SECONDS: intFrom(5 * 24 * 3600, 1, 365 * 24 * 3600),
  WEBHOOK_TIMEOUT_MS: intFrom(10_000, 100, 60_000),
  WEBHOOK_DISPATCH_INTERVAL_MS: intFrom(5_000, 50, 600_000),
});

export type Env = z.input<typeof envSchema>;

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  /** the address the API listens on: this machine only in development (the dev mailbox holds every link); undefined: every interface, IPv6 and IPv4 (production) */
  host: string | undefined;
  publicUrl: string;
  database: {
    url: string;
    /** set when DATABASE_URL is unset: the embedded PostgreSQL `npm start` runs under DATA_DIR */
    embedded: { port: number; dir: string; user: string; password: string } | undefined;
  };
  dataDir: string;
  adminApiKey: string;
  secretsKeys: { primary: Buffer; previous: Buffer | undefined };
  temporal: { taskQueue: string; uiUrl: string };
  mail: {
    /** Postmark's server token; the fixed test token when the local sink is in use */
    postmarkServerToken: string;
    /** host:port of a Postmark-compatible API reached over plain HTTP (the local sink); undefined: Postmark itself */
    apiHost: string | undefined;
    /** set when POSTMARK_SERVER_TOKEN is unset: the local Postmark-compatible sink `npm start` runs */
    sink: { port: number } | undefined;
    from: string;
    messageStream: string;
    /** HTTP Basic credentials Postmark sends with its webhooks (in the webhook URL); undefined: /webhooks/postmark answers 401 */
    webhook: { user: string; password: string } | undefined;
  };
  pgPoolSize: number;
  workerActivityConcurrency: number;
  /** workflows a worker keeps in memory (each pending reset link is one); undefined: the SDK's memory-based default */
  workerMaxCachedWorkflows: number;
  sessionTtlSeconds: number;
  trustProxy: string | undefined;
  /** attempts per IP a minute; failed sign-ins per account and IP per 15 minutes; per account from all IPs a minute */
  rateLimit: { perIp: number; perAccount: number; accountCeilingPerMinute: number };
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** how rotation runs and bulk forced resets slice their work (docs/rotation-and-bulk-resets.md) */
  bulkTuning: BulkTuning;
  /** the Pwned Passwords range API new passwords are looked up in; undefined: lookups are off */
  pwnedPasswordsUrl: string | undefined;
  /** how user imports slice their work (lines a transaction, batches an activity, activities a run) */
  importTuning: UserImportTuning;
  /** outbound webhooks (docs/webhooks.md) */
  webhooks: {
    /** WEBHOOK_ALLOW_LOOPBACK: http:// (and https://) endpoints on loopback addresses are allowed */
    allowLoopback: boolean;
    /** seconds between attempts; an attempt more than entries */
    retryScheduleSeconds: number[];
    /** an endpoint failing every attempt this long is disabled */
    disableAfterMs: number;
    /** per attempt */
    timeoutMs: number;
    /** how often the worker's dispatcher sweeps for deliveries no workflow was started for (besides LISTEN/NOTIFY) */
    dispatchIntervalMs: number;
  };
  metrics: {
    /** bearer token GET /metrics demands; undefined: /metrics answers requests from localhost only */
    token: string | undefined;
    /** host:port of the worker's Prometheus exporter (the Temporal Runtime's); undefined: off */
    workerAddress: string | undefined;
  };
}

export type { BulkTuning };

/** Secrets a development machine generates once and keeps in DATA_DIR (src/localSecrets.ts, asked for only outside production). */
export interface LocalSecrets {
  adminApiKey: string;
  secretsKey: string;
  postgresPassword: string;
  /** the credentials of /webhooks/postmark, which the local mail sink posts its webhooks with */
  postmarkWebhookUser: string;
  postmarkWebhookPassword: string;
}

export interface LoadConfigOptions {
  /** where a development process gets the secrets nobody configured (given by the launcher) */
  localSecrets?: (dataDir: string) => LocalSecrets;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: LoadConfigOptions = {}): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);

  if (e.NODE_ENV === 'production') {
    const missing = (['ADMIN_API_KEY', 'SECRETS_KEY', 'DATABASE_URL', 'PUBLIC_URL'] as const).filter((k) => !e[k]);
    if (missing.length > 0) {
      throw new ConfigError(`Invalid configuration:\n  ${missing.join(', ')} must be set when NODE_ENV=production`);
    }
  }
  if (!e.POSTMARK_WEBHOOK_USER !== !e.POSTMARK_WEBHOOK_PASSWORD) {
    throw new ConfigError('Invalid configuration:\n  POSTMARK_WEBHOOK_USER and POSTMARK_WEBHOOK_PASSWORD must be set together');
  }
  // Postmark itself (not the local sink, not Postmark's test token) must be able to report deliveries and bounces
  const realPostmark = e.POSTMARK_SERVER_TOKEN !== undefined && e.POSTMARK_SERVER_TOKEN !== 'POSTMARK_API_TEST' && !e.POSTMARK_API_HOST;
  if (e.NODE_ENV === 'production' && realPostmark && !e.POSTMARK_WEBHOOK_USER) {
    throw new ConfigError('Invalid configuration:\n  POSTMARK_WEBHOOK_USER, POSTMARK_WEBHOOK_PASSWORD must be set when NODE_ENV=production with POSTMARK_SERVER_TOKEN');
  }
  // In development, secrets nobody configured are generated once and kept in DATA_DIR,
  // so the API, the worker and a later `npm start` all agree on them.
  const needsLocal = !e.ADMIN_API_KEY || !e.SECRETS_KEY || !e.DATABASE_URL;
  if (needsLocal && !options.localSecrets) {
    const missing = (['ADMIN_API_KEY', 'SECRETS_KEY', 'DATABASE_URL'] as const).filter((k) => !e[k]);
    throw new ConfigError(`Invalid configuration:\n  ${missing.join(', ')} must be set (only \`npm start\` generates them for development)`);
  }
  // webhook credentials nobody configured: generated like the admin key, where the launcher offers local secrets
  const localWebhook = !e.POSTMARK_WEBHOOK_USER && e.NODE_ENV !== 'production' && options.localSecrets !== undefined;
  const local = needsLocal || localWebhook ? options.localSecrets!(dataDir) : undefined;
  const webhook = e.POSTMARK_WEBHOOK_USER && e.POSTMARK_WEBHOOK_PASSWORD
    ? { user: e.POSTMARK_WEBHOOK_USER, password: e.POSTMARK_WEBHOOK_PASSWORD }
    : localWebhook ? { user: local!.postmarkWebhookUser, password: local!.postmarkWebhookPassword } : undefined;
  const embedded = e.DATABASE_URL
    ? undefined
    : { port: e.EMBEDDED_POSTGRES_PORT, dir: path.join(dataDir, 'postgres'), user: 'postgres', password: local!.postgresPassword };
  const sink = e.POSTMARK_SERVER_TOKEN ? undefined : { port: e.MAIL_SINK_PORT };

  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST ?? (e.NODE_ENV === 'production' ? undefined : '127.0.0.1'),
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    database: {
      url: e.DATABASE_URL ?? `postgres://${embedded!.user}:${embedded!.password}@127.0.0.1:${embedded!.port}/resetflow`,
      embedded,
    },
    dataDir,
    adminApiKey: e.ADMIN_API_KEY ?? local!.adminApiKey,
    secretsKeys: {
      primary: Buffer.from(e.SECRETS_KEY ?? local!.secretsKey, 'base64'),
      previous: e.SECRETS_KEY_PREVIOUS ? Buffer.from(e.SECRETS_KEY_PREVIOUS, 'base64') : undefined,
    },
    temporal: {
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      uiUrl: (e.TEMPORAL_UI_URL ?? 'http://localhost:8233').replace(/\/+$/, ''),
    },
    mail: {
      // the local sink takes only the token the launcher started it with (MAIL_SINK_TOKEN)
      postmarkServerToken: e.POSTMARK_SERVER_TOKEN ?? e.MAIL_SINK_TOKEN ?? 'POSTMARK_API_TEST',
      apiHost: e.POSTMARK_API_HOST ?? (sink ? `127.0.0.1:${sink.port}` : undefined),
      sink,
      from: e.MAIL_FROM,
      messageStream: e.POSTMARK_MESSAGE_STREAM,
      webhook,
    },
    pgPoolSize: e.PG_POOL_SIZE,
    workerActivityConcurrency: e.WORKER_ACTIVITY_CONCURRENCY,
    workerMaxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
    sessionTtlSeconds: e.SESSION_TTL_SECONDS,
    trustProxy: e.TRUST_PROXY,
    rateLimit: { perIp: e.RATE_LIMIT_PER_IP, perAccount: e.RATE_LIMIT_PER_ACCOUNT, accountCeilingPerMinute: e.RATE_LIMIT_ACCOUNT_CEILING },
    logLevel: e.LOG_LEVEL,
    bulkTuning: { batchSize: e.BULK_BATCH_SIZE, batchesPerActivity: e.BULK_BATCHES_PER_ACTIVITY, activitiesPerRun: e.BULK_ACTIVITIES_PER_RUN },
    // production asks the public API unless told otherwise; development and tests only the local range
    // server npm start runs (or none): a developer's passwords never leave the machine by default
    pwnedPasswordsUrl: e.PWNED_PASSWORDS_URL === 'off' ? undefined : e.PWNED_PASSWORDS_URL ?? (e.NODE_ENV === 'production' ? 'https://api.pwnedpasswords.com' : undefined),
    importTuning: { batchSize: e.IMPORT_BATCH_SIZE, batchesPerActivity: e.IMPORT_BATCHES_PER_ACTIVITY, activitiesPerRun: e.IMPORT_ACTIVITIES_PER_RUN },
    metrics: { token: e.METRICS_TOKEN, workerAddress: e.WORKER_METRICS_ADDRESS },
    webhooks: {
      allowLoopback: e.WEBHOOK_ALLOW_LOOPBACK,
      retryScheduleSeconds: e.WEBHOOK_RETRY_SCHEDULE_SECONDS ? e.WEBHOOK_RETRY_SCHEDULE_SECONDS.split(',').map(Number) : DEFAULT_RETRY_SCHEDULE_SECONDS,
      disableAfterMs: e.WEBHOOK_DISABLE_AFTER_SECONDS * 1000,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      dispatchIntervalMs: e.WEBHOOK_DISPATCH_INTERVAL_MS,
    },
  };
}
