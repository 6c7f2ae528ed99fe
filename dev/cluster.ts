/**
 * The production topology on one machine (docker-compose.yml without Docker): one PostgreSQL
 * holding resetflow's database and Temporal's two, the real Temporal server (frontend, history,
 * matching and worker services), the one-shot migration, two resetflow workers and two API
 * processes with NODE_ENV=production, configured by environment variables only, exactly as
 * docker-compose.yml configures them; the local Postmark sink stands in for Postmark.
 * `npm run cluster` (scripts/cluster.ts) and the chaos suite (test/chaos) start it from here.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../src/log';
import { PROJECT_ROOT, WORKER_ARGS } from '../src/paths';
import { tiedToThisProcess } from './binaries';
import { loadClusterSecrets, type ClusterSecrets } from './clusterSecrets';
import { startEmbeddedPostgres } from './embeddedPostgres';
import { PostmarkSink } from './postmarkSink';
import { PwnedRangeServer } from './pwnedRangeServer';
import { SupervisedProcess } from './supervisor';
import { findTemporalServerBinaries, setUpTemporalSchema, startTemporalServer, TEMPORAL_SERVER_VERSION, type RunningTemporalServer } from './temporalServer';

export interface ClusterPorts {
  postgres: number;
  temporal: number;
  mailSink: number;
  /** one API process per port */
  apis: number[];
  /** one worker per port: its Prometheus exporter (WORKER_METRICS_ADDRESS) */
  workerMetrics: number[];
}

export interface ClusterOptions {
  /** secrets, the embedded PostgreSQL, Temporal's config and log, the mailbox, the processes' logs */
  dataDir: string;
  /**
   * An existing PostgreSQL instead of the embedded one: resetflow's database is this URL's
   * (created when missing), Temporal's `temporal` and `temporal_visibility` sit beside it,
   * with the same credentials.
   */
  databaseUrl?: string | undefined;
  ports: ClusterPorts;
  /** base of links in emails; the first API by default (a proxy serves it in production) */
  publicUrl?: string | undefined;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** OTEL_EXPORTER_OTLP_ENDPOINT for every process (traces to a collector); none by default */
  otlpEndpoint?: string | undefined;
  /** WEBHOOK_ALLOW_LOOPBACK=true for every process (webhook receivers on this machine); false by default, as docker-compose.yml */
  webhookAllowLoopback?: boolean | undefined;
  /** fixed when Temporal's database is first created */
  numHistoryShards?: number;
  /** every line a worker or API process writes */
  output: (name: string, line: string) => void;
  /** what the cluster has to say: restarts, stops */
  say: (line: string) => void;
  log: Logger;
}

/** Docker Compose's `restart: unless-stopped` for the servers the cluster runs itself. */
interface KeptAlive {
  /** stop on purpose (not restarted until start()) */
  stop(): Promise<void>;
  start(): Promise<void>;
  readonly restarts: number;
}

export interface ClusterPostgres extends KeptAlive {
  /** the embedded server's superuser URL (or the given DATABASE_URL), for checks and set-up */
  adminUrl: string;
  /** resetflow's database, as the API and the workers reach it */
  resetflowUrl: string;
  embedded: boolean;
  port: number;
  readonly pid: number | undefined;
}

export interface ClusterTemporal extends KeptAlive {
  address: string;
  namespace: string;
  restart(): Promise<void>;
  readonly pid: number | undefined;
  logFile: string;
}

export interface RunningCluster {
  dataDir: string;
  adminApiKey: string;
  secrets: ClusterSecrets;
  postgres: ClusterPostgres;
  temporal: ClusterTemporal;
  sink: PostmarkSink;
  sinkUrl: string;
  publicUrl: string;
  /** the environment every API and worker process gets (docker-compose.yml's), without PORT */
  env: Record<string, string>;
  apis: { process: SupervisedProcess; url: string; port: number }[];
  workers: SupervisedProcess[];
  /** each worker's Prometheus exporter port */
  workerMetricsPorts: number[];
  /** children first, then Temporal, then PostgreSQL */
  stop(): Promise<void>;
}

export const CLUSTER_TEMPORAL_DB = 'temporal';
export const CLUSTER_VISIBILITY_DB = 'temporal_visibility';
const TASK_QUEUE = 'password-resets';
const NAMESPACE = 'default';
/** docker-compose.yml's default; no Web UI runs here (its `ui` profile does) */
const TEMPORAL_UI_URL = 'http://localhost:8080';

/**
 * What docker-compose.yml's `x-resetflow` anchor gives every API and worker container, with
 * this machine's addresses; and the one addition, POSTMARK_API_HOST, which points the real
 * Postmark client at the local sink.
 */
export function composeEnvironment(o: {
  secrets: ClusterSecrets;
  databaseUrl: string;
  publicUrl: string;
  temporalAddress: string;
  mailSinkHost: string;
  pwnedPasswordsUrl: string;
  logLevel: string;
  otlpEndpoint?: string | undefined;
  /** outbound webhooks to loopback receivers (the chaos suite's); docker-compose.yml's default is false */
  webhookAllowLoopback?: boolean | undefined;
}): Record<string, string> {
  const s = o.secrets;
  return {
    NODE_ENV: 'production',
    DATABASE_URL: o.databaseUrl,
    ADMIN_API_KEY: s.adminApiKey,
    SECRETS_KEY: s.secretsKey,
    SECRETS_KEY_PREVIOUS: '',
    PUBLIC_URL: o.publicUrl,
    TEMPORAL_ADDRESS: o.temporalAddress,
    TEMPORAL_NAMESPACE: NAMESPACE,
    TEMPORAL_TASK_QUEUE: TASK_QUEUE,
    TEMPORAL_UI_URL,
    POSTMARK_SERVER_TOKEN: s.postmarkServerToken,
    MAIL_FROM: 'resetflow <no-reply@resetflow.localhost>',
    POSTMARK_WEBHOOK_USER: s.postmarkWebhookUser,
    POSTMARK_WEBHOOK_PASSWORD: s.postmarkWebhookPassword,
    METRICS_TOKEN: s.metricsToken,
    PWNED_PASSWORDS_URL: o.pwnedPasswordsUrl,
    // per process (startCluster): each worker's exporter on a port of its own; the API reads none
    WORKER_METRICS_ADDRESS: '',
    OTEL_EXPORTER_OTLP_ENDPOINT: o.otlpEndpoint ?? '',
    TRUST_PROXY: '',
    LOG_LEVEL: o.logLevel,
    POSTMARK_API_HOST: o.mailSinkHost,
    WEBHOOK_ALLOW_LOOPBACK: o.webhookAllowLoopback ? 'true' : 'false',
  };
}

/** Variables a container gets from its image, not from docker-compose.yml: nothing else of this shell leaks in. */
function baseEnvironment(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'];
  return Object.fromEntries(keep.flatMap((k) => (process.env[k] !== undefined ? [[k, process.env[k]!]] : [])));
}

export async function startCluster(o: ClusterOptions): Promise<RunningCluster> {
  const dataDir = path.resolve(o.dataDir);
  const logsDir = path.join(dataDir, 'logs');
  fs.mkdirSync(logsDir, { recursive: true });
  const secrets = loadClusterSecrets(dataDir);
  const stops: { name: string; stop: () => Promise<void> }[] = [];
  const stopAll = async () => {
    for (const s of stops.splice(0).reverse()) await s.stop().catch((err) => o.say(`could not stop ${s.name}: ${String(err)}`));
  };

  try {
    const binariesPromise = findTemporalServerBinaries(o.log);
    const postgres = await startDatabase(o, dataDir, secrets);
    stops.push({ name: 'PostgreSQL', stop: () => postgres.shutdown() });

    const binaries = await binariesPromise;
    await setUpTemporalSchema({ databaseUrl: postgres.temporalUrl, temporalDb: CLUSTER_TEMPORAL_DB, visibilityDb: CLUSTER_VISIBILITY_DB, binaries, log: o.log });
    const logFile = path.join(logsDir, 'temporal-server.log');
    const server = await startTemporalServer({
      databaseUrl: postgres.temporalUrl,
      temporalDb: CLUSTER_TEMPORAL_DB,
      visibilityDb: CLUSTER_VISIBILITY_DB,
      dir: path.join(dataDir, 'temporal'),
      frontendPort: o.ports.temporal,
      namespace: NAMESPACE,
      retentionDays: 7,
      // docker-compose.yml's NUM_HISTORY_SHARDS
      numHistoryShards: o.numHistoryShards ?? 128,
      logFile,
      server: binaries.server,
      ownProcessGroup: true,
    }, o.log);
    const temporal = keepTemporalAlive(server, logFile, o.say);
    stops.push({ name: 'Temporal', stop: () => temporal.shutdown() });

    const sink = new PostmarkSink(path.join(dataDir, 'mailbox.jsonl'), { serverToken: secrets.postmarkServerToken });
    await sink.listen(o.ports.mailSink);
    stops.push({ name: 'mail sink', stop: () => sink.close() });
    // the public Pwned Passwords API's stand-in, as the sink stands in for Postmark
    const pwned = new PwnedRangeServer();
    const pwnedPasswordsUrl = await pwned.listen(0);
    stops.push({ name: 'Pwned Passwords range server', stop: () => pwned.close() });

    const publicUrl = (o.publicUrl ?? `http://localhost:${o.ports.apis[0]}`).replace(/\/+$/, '');
    const env = composeEnvironment({
      secrets, databaseUrl: postgres.resetflowUrl, publicUrl, temporalAddress: server.address,
      mailSinkHost: `127.0.0.1:${o.ports.mailSink}`, pwnedPasswordsUrl, logLevel: o.logLevel ?? 'info', otlpEndpoint: o.otlpEndpoint,
      webhookAllowLoopback: o.webhookAllowLoopback,
    });
    const childEnv = { ...baseEnvironment(), ...env };

    // docker-compose.yml's `migrate` service: once, before any API or worker starts
    await runOnce('migrate', [path.join(PROJECT_ROOT, 'dist', 'scripts', 'migrate.js')], childEnv, o);

    const node = process.execPath;
    const workers = o.ports.workerMetrics.map((metricsPort, i) => new SupervisedProcess({
      name: `worker-${i + 1}`,
      command: node,
      args: [...WORKER_ARGS],
      env: { ...childEnv, WORKER_METRICS_ADDRESS: `127.0.0.1:${metricsPort}` },
      cwd: PROJECT_ROOT,
      ...(['debug', 'info'].includes(env['LOG_LEVEL']!) ? { readyLine: '"worker polling"' } : { probe: async () => true }),
      output: o.output,
      say: o.say,
    }));
    const apis = o.ports.apis.map((port, i) => ({
      port,
      url: `http://127.0.0.1:${port}`,
      process: new SupervisedProcess({
        name: `api-${i + 1}`,
        command: node,
        args: [path.join(PROJECT_ROOT, 'dist', 'src', 'api', 'server.js')],
        env: { ...childEnv, PORT: String(port) },
        cwd: PROJECT_ROOT,
        probe: async () => (await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) })).ok,
        output: o.output,
        say: o.say,
      }),
    }));
    const children = [...workers, ...apis.map((a) => a.process)];
    stops.push({ name: 'APIs and workers', stop: async () => void (await Promise.all(children.map((c) => c.stop()))) });
    await Promise.all(children.map((c) => c.start()));
    // like Postmark, the sink reports deliveries and bounces to the webhook (through the first API)
    sink.configureWebhooks({ url: `${apis[0]!.url}/webhooks/postmark`, user: secrets.postmarkWebhookUser, password: secrets.postmarkWebhookPassword });

    return {
      dataDir,
      adminApiKey: secrets.adminApiKey,
      secrets,
      postgres,
      temporal,
      sink,
      sinkUrl: `http://127.0.0.1:${o.ports.mailSink}`,
      publicUrl,
      env,
      apis,
      workers,
      workerMetricsPorts: o.ports.workerMetrics,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

// ---------------------------------------------------------------- PostgreSQL

type StartedPostgres = ClusterPostgres & { temporalUrl: string; shutdown(): Promise<void> };

async function startDatabase(o: ClusterOptions, dataDir: string, secrets: ClusterSecrets): Promise<StartedPostgres> {
  if (o.databaseUrl) {
    // an existing server: its databases are created when missing, with the URL's credentials
    await createDatabases(o.databaseUrl, [new URL(o.databaseUrl).pathname.slice(1) || 'resetflow', CLUSTER_TEMPORAL_DB, CLUSTER_VISIBILITY_DB]);
    const url = new URL(o.databaseUrl);
    return {
      adminUrl: o.databaseUrl,
      resetflowUrl: o.databaseUrl,
      temporalUrl: o.databaseUrl,
      embedded: false,
      port: Number(url.port || 5432),
      pid: undefined,
      restarts: 0,
      stop: () => Promise.reject(new Error('the cluster does not stop a PostgreSQL it did not start')),
      start: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    };
  }
  const server = await startEmbeddedPostgres({
    dir: path.join(dataDir, 'postgres'),
    logFile: path.join(dataDir, 'logs', 'postgres.log'),
    port: o.ports.postgres,
    user: 'postgres',
    password: secrets.postgresPassword,
    database: 'postgres',
  }, o.log);
  await createRolesAndDatabases(server.url, secrets);
  const at = (user: string, password: string, db: string) => `postgres://${user}:${password}@127.0.0.1:${o.ports.postgres}/${db}`;
  const kept = keepAlive('PostgreSQL', () => server.running, () => server.start(), () => server.stop(), o.say);
  return {
    adminUrl: server.url,
    resetflowUrl: at('resetflow', secrets.resetflowDbPassword, 'resetflow'),
    temporalUrl: at('temporal', secrets.temporalDbPassword, CLUSTER_TEMPORAL_DB),
    embedded: true,
    port: o.ports.postgres,
    get pid() {
      return server.process?.pid;
    },
    get restarts() {
      return kept.restarts;
    },
    stop: kept.stop,
    start: kept.start,
    shutdown: kept.shutdown,
  };
}

/** docker-compose.yml's `postgres-init`: a role and database for resetflow, a role and two databases for Temporal. */
async function createRolesAndDatabases(adminUrl: string, secrets: ClusterSecrets): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    for (const [role, password, databases] of [
      ['resetflow', secrets.resetflowDbPassword, ['resetflow']],
      ['temporal', secrets.temporalDbPassword, [CLUSTER_TEMPORAL_DB, CLUSTER_VISIBILITY_DB]],
    ] as const) {
      const exists = (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount;
      // hex passwords (clusterSecrets.ts): safe inside a literal
      await client.query(`${exists ? 'ALTER' : 'CREATE'} ROLE ${client.escapeIdentifier(role)} LOGIN PASSWORD ${client.escapeLiteral(password)}`);
      for (const db of databases) {
        if ((await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [db])).rowCount) continue;
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(db)} OWNER ${client.escapeIdentifier(role)}`);
      }
    }
  } finally {
    await client.end();
  }
}

async function createDatabases(url: string, names: string[]): Promise<void> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    for (const name of names) {
      if ((await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount) continue;
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    }
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------- Temporal

function keepTemporalAlive(server: RunningTemporalServer, logFile: string, say: (line: string) => void): ClusterTemporal & { shutdown(): Promise<void> } {
  const alive = () => server.process.exitCode === null && server.process.signalCode === null;
  const kept = keepAlive('the Temporal server', alive, () => server.start(), () => server.stop(), say);
  return {
    address: server.address,
    namespace: server.namespace,
    logFile,
    get pid() {
      return alive() ? server.process.pid : undefined;
    },
    get restarts() {
      return kept.restarts;
    },
    stop: kept.stop,
    start: kept.start,
    async restart() {
      await kept.stop();
      await kept.start();
    },
    shutdown: kept.shutdown,
  };
}

// ---------------------------------------------------------------- restarts and one-shot jobs

/**
 * Check every second that a server the cluster started still runs; start it again (1 s, doubling
 * to 30 s) when it stopped without being asked to. stop() is an outage on purpose: no restart.
 */
function keepAlive(name: string, alive: () => boolean, start: () => Promise<void>, stop: () => Promise<void>, say: (line: string) => void) {
  let down = false;
  let busy = false;
  let restarts = 0;
  let delayMs = 1000;
  let nextTry = 0;
  const timer = setInterval(() => {
    if (down || busy || alive() || Date.now() < nextTry) return;
    busy = true;
    restarts++;
    say(`${name} stopped unexpectedly; restarting (restart ${restarts})`);
    start().then(
      () => {
        delayMs = 1000;
        say(`${name} is back`);
      },
      (err) => {
        nextTry = Date.now() + delayMs;
        say(`${name} did not start: ${String(err instanceof Error ? err.message.split('\n')[0] : err)}; next try in ${delayMs / 1000} s`);
        delayMs = Math.min(delayMs * 2, 30_000);
      },
    ).finally(() => (busy = false));
  }, 1000);
  timer.unref();
  return {
    get restarts() {
      return restarts;
    },
    async stop() {
      down = true;
      await stop();
    },
    async start() {
      await start();
      down = false;
    },
    async shutdown() {
      clearInterval(timer);
      down = true;
      await stop();
    },
  };
}

async function runOnce(name: string, args: string[], env: Record<string, string>, o: ClusterOptions): Promise<void> {
  const [command, argv] = tiedToThisProcess(process.execPath, args);
  const child = spawn(command, argv, { env, cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (c: Buffer) => {
    output += c.toString();
    for (const line of c.toString().split('\n')) if (line.trim()) o.output(name, line);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c) => resolve(c));
  });
  if (code !== 0) throw new Error(`${name} failed (exit ${code}): ${output.trim().split('\n').slice(-5).join(' | ')}`);
}

export { TEMPORAL_SERVER_VERSION };
