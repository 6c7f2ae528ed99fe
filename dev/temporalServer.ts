/**
 * A real Temporal server (not the CLI dev server) on PostgreSQL, for development and
 * production-like tests: the binaries and their schema, the schema set-up, and one process
 * running frontend, history, matching and worker.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection, isGrpcServiceError } from '@temporalio/client';
import pg from 'pg';
import { SEARCH_ATTRIBUTE_NAMES } from '../src/contract/searchAttributes';
import type { Logger } from '../src/log';
import { onPath, tiedToThisProcess } from './binaries';
import { renderDynamicConfig, renderTemporalServerConfig, TEMPORAL_SERVICES, type ServicePorts, type TemporalService } from './temporalServerConfig';

const run = promisify(execFile);

/** Server, SQL tool and schema all come from this tag of go.temporal.io/server (docker-compose.yml runs the same). */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
const SERVER_MODULE = 'go.temporal.io/server';


const GRPC_NOT_FOUND = 5;
const GRPC_ALREADY_EXISTS = 6;
const HEALTH_SERVING = 1;
const INDEXED_VALUE_TYPE_KEYWORD = 2;

// ---------------------------------------------------------------- binaries and schema

export interface TemporalServerBinaries {
  server: string;
  sqlTool: string;
  /** schema/postgresql/v12 of the server module: temporal/versioned and visibility/versioned */
  schemaDir: string;
  /** upstream's config/development-postgres12.yaml, which temporalServerConfig.ts follows */
  configTemplate: string;
}

function cacheDir(): string {
  return path.join(process.env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache'), 'resetflow', 'bin');
}

async function isVersion(binary: string): Promise<boolean> {
  try {
    const { stdout } = await run(binary, ['--version']);
    return stdout.includes(TEMPORAL_SERVER_VERSION.slice(1));
  } catch {
    return false;
  }
}

const BINARIES = [
  { name: 'temporal-server', pkg: 'cmd/server', built: 'server' },
  { name: 'temporal-sql-tool', pkg: 'cmd/tools/sql', built: 'sql' },
] as const;

/**
 * `temporal-server` and `temporal-sql-tool`: from PATH, else the copies cached in
 * ~/.cache/resetflow/bin, else built once with `go install` (several minutes) into a
 * temporary GOBIN and moved there. The schema comes from the module source Go downloaded.
 */
export async function findTemporalServerBinaries(log: Logger): Promise<TemporalServerBinaries> {
  const go = onPath('go');
  const found = new Map<string, string>();
  const missing: (typeof BINARIES)[number][] = [];
  for (const b of BINARIES) {
    const fromPath = onPath(b.name);
    if (fromPath) {
      if (!(await isVersion(fromPath))) log.warn(`${fromPath} is not Temporal ${TEMPORAL_SERVER_VERSION}, the version of the schema this uses`);
      found.set(b.name, fromPath);
      continue;
    }
    const cached = path.join(cacheDir(), b.name);
    if (fs.existsSync(cached) && (await isVersion(cached))) found.set(b.name, cached);
    else missing.push(b);
  }
  if (!go) {
    throw new Error(`Go is needed to ${missing.length ? `build ${missing.map((b) => b.name).join(' and ')} and ` : ''}locate the Temporal ${TEMPORAL_SERVER_VERSION} schema (go mod download). Install Go (https://go.dev/dl) or use the Temporal CLI dev server.`);
  }
  if (missing.length) {
    fs.mkdirSync(cacheDir(), { recursive: true });
    const gobin = fs.mkdtempSync(path.join(cacheDir(), '.build-'));
    log.info(`building ${missing.map((b) => b.name).join(' and ')} ${TEMPORAL_SERVER_VERSION} with Go (once; several minutes)`, { into: cacheDir() });
    try {
      await run(go, ['install', ...missing.map((b) => `${SERVER_MODULE}/${b.pkg}@${TEMPORAL_SERVER_VERSION}`)], {
        cwd: os.tmpdir(),
        env: { ...process.env, GOBIN: gobin },
        maxBuffer: 64 * 1024 * 1024,
      });
      for (const b of missing) {
        const target = path.join(cacheDir(), b.name);
        fs.renameSync(path.join(gobin, b.built), target);
        found.set(b.name, target);
      }
    } finally {
      fs.rmSync(gobin, { recursive: true, force: true });
    }
  }
  const { stdout } = await run(go, ['mod', 'download', '-json', `${SERVER_MODULE}@${TEMPORAL_SERVER_VERSION}`], { cwd: os.tmpdir() });
  const moduleDir = (JSON.parse(stdout) as { Dir?: string }).Dir;
  if (!moduleDir) throw new Error(`go mod download ${SERVER_MODULE}@${TEMPORAL_SERVER_VERSION} printed no Dir`);
  return {
    server: found.get('temporal-server')!,
    sqlTool: found.get('temporal-sql-tool')!,
    schemaDir: path.join(moduleDir, 'schema', 'postgresql', 'v12'),
    configTemplate: path.join(moduleDir, 'config', 'development-postgres12.yaml'),
  };
}

// ---------------------------------------------------------------- databases

interface PgEndpoint {
  host: string;
  port: number;
  user: string;
  password: string;
}

function pgEndpoint(databaseUrl: string): PgEndpoint {
  const url = new URL(databaseUrl);
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username) || process.env['PGUSER'] || os.userInfo().username,
    password: decodeURIComponent(url.password) || process.env['PGPASSWORD'] || '',
  };
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

async function createDatabasesIfMissing(databaseUrl: string, names: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const name of names) {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (rowCount) continue;
      try {
        await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
      } catch (err) {
        if ((err as { code?: string }).code !== '42P04') throw err; // created meanwhile
      }
    }
  } finally {
    await client.end();
  }
}

export interface TemporalSchemaOptions {
  /** postgres:// URL of any database on the server: host, port, user and password come from it */
  databaseUrl: string;
  temporalDb: string;
  visibilityDb: string;
  binaries?: Pick<TemporalServerBinaries, 'sqlTool' | 'schemaDir'>;
  log: Logger;
}

/**
 * Create both databases if missing and bring their schemas to the latest version with
 * temporal-sql-tool. Idempotent: on an up-to-date schema both steps change nothing.
 */
export async function setUpTemporalSchema(o: TemporalSchemaOptions): Promise<void> {
  const { sqlTool, schemaDir } = o.binaries ?? (await findTemporalServerBinaries(o.log));
  const db = pgEndpoint(o.databaseUrl);
  await createDatabasesIfMissing(o.databaseUrl, [o.temporalDb, o.visibilityDb]);
  for (const [database, schema] of [[o.temporalDb, 'temporal'], [o.visibilityDb, 'visibility']] as const) {
    // the password goes by environment, not argv, so `ps` does not show it
    const env = { ...process.env, SQL_PLUGIN: 'postgres12', SQL_HOST: db.host, SQL_PORT: String(db.port), SQL_USER: db.user, SQL_PASSWORD: db.password, SQL_DATABASE: database };
    for (const args of [['setup-schema', '-v', '0.0'], ['update-schema', '-d', path.join(schemaDir, schema, 'versioned')]]) {
      try {
        await run(sqlTool, args, { env, maxBuffer: 16 * 1024 * 1024 });
      } catch (err) {
        const e = err as { stdout?: string; stderr?: string };
        throw new Error(`temporal-sql-tool ${args[0]} failed on database ${database}: ${`${e.stderr ?? ''}${e.stdout ?? ''}`.trim() || String(err)}`, { cause: err });
      }
    }
    o.log.debug('temporal schema up to date', { database, schema });
  }
}

// ---------------------------------------------------------------- the server

export interface TemporalServerOptions {
  databaseUrl: string;
  temporalDb: string;
  visibilityDb: string;
  /** holds config/ (rendered at every start) and, by default, the log */
  dir: string;
  frontendPort: number;
  /** every other port: when not given, the last start's in this dir if free, else free ones in 20000-32767 */
  ports?: Partial<Record<TemporalService, Partial<ServicePorts>>>;
  host?: string;
  namespace?: string;
  retentionDays?: number;
  searchAttributes?: readonly string[];
  /** fixed when the cluster is first created: keep it across runs on the same database */
  numHistoryShards?: number;
  logFile?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** `temporal-server`; found (or built) when not given */
  server?: string;
  /**
   * Own process group, and it outlives this process unless stop() is called. Not detached
   * (the default), it gets SIGTERM when this process exits or dies, even by SIGKILL on Linux.
   */
  detached?: boolean;
  /**
   * Own process group, so Ctrl-C at a terminal reaches only the launcher (which stops this in
   * its turn), yet still tied to this process's lifetime as when not detached.
   */
  ownProcessGroup?: boolean;
  readyTimeoutMs?: number;
}

export interface RunningTemporalServer {
  address: string;
  namespace: string;
  /** the current server process (a new one after restart) */
  readonly process: ChildProcess;
  /** SIGTERM, then SIGKILL after 10 s */
  stop(): Promise<void>;
  /** start again after stop(), on the same config, ports and data */
  start(): Promise<void>;
  restart(): Promise<void>;
}

/**
 * Membership ports are stored in a PostgreSQL smallint (cluster_membership.rpc_port), so they
 * must be at most 32767; free ports are picked from 20000-32767, which is also below Linux's
 * ephemeral range, where an outgoing connection could take one before the server binds it.
 */
const PORT_RANGE = { min: 20000, max: 32767 } as const;

function canListen(host: string, port: number): Promise<net.Server | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, host, () => resolve(server));
  });
}

/**
 * The ports of the last start in this dir where still free, else free ones: a cluster member
 * that comes back at a new address leaves its old one in cluster_membership, and the next
 * stop then waits about 7 s on it instead of 1.
 */
async function choosePorts(o: TemporalServerOptions, host: string, file: string): Promise<Record<TemporalService, ServicePorts>> {
  let previous: Partial<Record<TemporalService, ServicePorts>> = {};
  try {
    previous = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof previous;
  } catch {
    // first start in this dir
  }
  const given = new Set([o.frontendPort, ...Object.values(o.ports ?? {}).flatMap((p) => [p.grpc, p.membership])]);
  const held: net.Server[] = []; // held open until all are chosen, so no two are the same
  const pick = async (port: number | undefined, before: number | undefined): Promise<number> => {
    if (port !== undefined) return port;
    for (let tries = 0; tries < 1000; tries++) {
      const candidate = tries === 0 && before !== undefined ? before : PORT_RANGE.min + Math.floor(Math.random() * (PORT_RANGE.max - PORT_RANGE.min + 1));
      const server = given.has(candidate) ? undefined : await canListen(host, candidate);
      if (server) {
        held.push(server);
        return candidate;
      }
    }
    throw new Error(`no free port on ${host} in ${PORT_RANGE.min}-${PORT_RANGE.max}`);
  };
  const ports = {} as Record<TemporalService, ServicePorts>;
  try {
    for (const name of TEMPORAL_SERVICES) {
      ports[name] = {
        grpc: name === 'frontend' ? o.frontendPort : await pick(o.ports?.[name]?.grpc, previous[name]?.grpc),
        membership: await pick(o.ports?.[name]?.membership, previous[name]?.membership),
      };
      if (ports[name].membership > PORT_RANGE.max) throw new Error(`the ${name} membership port must be at most ${PORT_RANGE.max} (Temporal keeps it in a smallint)`);
    }
  } finally {
    await Promise.all(held.map((s) => new Promise((resolve) => s.close(resolve))));
  }
  fs.writeFileSync(file, JSON.stringify(ports, null, 2) + '\n');
  return ports;
}

function logTail(logFile: string, lines = 15): string {
  try {
    const text = fs.readFileSync(logFile, 'utf8');
    return text.split('\n').filter(Boolean).slice(-lines).map((l) => `  ${l.slice(0, 500)}`).join('\n');
  } catch {
    return '';
  }
}

type RegisterNamespaceRequest = Parameters<Connection['workflowService']['registerNamespace']>[0];

async function ensureNamespace(connection: Connection, namespace: string, retentionDays: number): Promise<void> {
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return;
  } catch (err) {
    if (!isGrpcServiceError(err) || err.code !== GRPC_NOT_FOUND) throw err;
  }
  // protobufjs takes a number where the generated type says Long
  const retention = { seconds: retentionDays * 86_400 } as unknown as RegisterNamespaceRequest['workflowExecutionRetentionPeriod'];
  try {
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: retention });
  } catch (err) {
    if (!isGrpcServiceError(err) || err.code !== GRPC_ALREADY_EXISTS) throw err;
  }
}

async function ensureSearchAttributes(connection: Connection, namespace: string, names: readonly string[]): Promise<void> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = names.filter((name) => !customAttributes?.[name]);
  if (missing.length === 0) return;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((name) => [name, INDEXED_VALUE_TYPE_KEYWORD])),
  });
}

/**
 * Render the config into `dir`, start `temporal-server`, and resolve once the frontend serves,
 * the namespace exists and lists workflows, and the search attributes are registered.
 * The schema must be set up first (setUpTemporalSchema).
 */
export async function startTemporalServer(o: TemporalServerOptions, log: Logger): Promise<RunningTemporalServer> {
  const host = o.host ?? '127.0.0.1';
  const namespace = o.namespace ?? 'default';
  const dir = path.resolve(o.dir);
  const logFile = path.resolve(o.logFile ?? path.join(dir, 'temporal-server.log'));
  const address = `${host}:${o.frontendPort}`;
  const server = o.server ?? (await findTemporalServerBinaries(log)).server;
  const configDir = path.join(dir, 'config');
  fs.mkdirSync(configDir, { recursive: true });
  const ports = await choosePorts(o, host, path.join(configDir, 'ports.json'));
  const db = pgEndpoint(o.databaseUrl);
  const store = (databaseName: string, maxConns: number) => ({ connectAddr: `${db.host}:${db.port}`, user: db.user, password: db.password, databaseName, maxConns });

  const dynamicConfigFile = path.join(configDir, 'dynamicconfig.yaml');
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  // the server reads <root>/<config>/<env>.yaml, here dir/config/temporal.yaml
  fs.writeFileSync(path.join(configDir, 'temporal.yaml'), renderTemporalServerConfig({
    host,
    ports,
    defaultStore: store(o.temporalDb, 10),
    visibilityStore: store(o.visibilityDb, 4),
    numHistoryShards: o.numHistoryShards ?? 4,
    logLevel: o.logLevel ?? 'warn',
    dynamicConfigFile,
  }), { mode: 0o600 });
  fs.writeFileSync(dynamicConfigFile, renderDynamicConfig());
  const args = ['--root', dir, '--config', 'config', '--env', 'temporal', '--allow-no-auth', 'start'];
  // Linux: the kernel sends SIGTERM when this process dies, however it dies
  const [command, argv] = o.detached ? [server, args] : tiedToThisProcess(server, args);

  let child: ChildProcess | undefined;
  let alive = false;
  let exited: Promise<void> = Promise.resolve();
  const killOnExit = () => child?.kill('SIGTERM');
  const running = () => alive;

  async function waitUntilReady(): Promise<void> {
    const deadline = Date.now() + (o.readyTimeoutMs ?? 90_000);
    let lastError: unknown;
    for (;;) {
      if (!running()) {
        throw new Error(`temporal-server exited (${child?.exitCode ?? child?.signalCode}) while starting; see ${logFile}${lastError ? ` (last: ${String(lastError)})` : ''}\n${logTail(logFile)}`);
      }
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`temporal-server did not serve namespace ${namespace} on ${address} within ${(o.readyTimeoutMs ?? 90_000) / 1000} s; see ${logFile} (last: ${String(lastError)})\n${logTail(logFile)}`);
      }
      try {
        const connection = await Connection.connect({ address, connectTimeout: 1000 });
        try {
          await connection.withDeadline(Date.now() + 5000, async () => {
            const { status } = await connection.healthService.check({ service: 'temporal.api.workflowservice.v1.WorkflowService' });
            if (status !== HEALTH_SERVING) throw new Error(`frontend health is ${status}`);
            await connection.workflowService.getSystemInfo({});
            await ensureNamespace(connection, namespace, Math.max(1, o.retentionDays ?? 1));
            // through the namespace registry and the visibility store, as a client's first call goes
            await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 });
            await ensureSearchAttributes(connection, namespace, o.searchAttributes ?? SEARCH_ATTRIBUTE_NAMES);
          });
          return;
        } finally {
          await connection.close();
        }
      } catch (err) {
        lastError = err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  async function start(): Promise<void> {
    if (running()) return;
    const startedAt = Date.now();
    const out = fs.openSync(logFile, 'a');
    try {
      child = spawn(command, argv, { cwd: dir, stdio: ['ignore', out, out], detached: (o.detached ?? false) || (o.ownProcessGroup ?? false) });
    } finally {
      fs.closeSync(out);
    }
    const current = child;
    alive = true;
    exited = new Promise<void>((resolve) => {
      current.once('exit', () => {
        alive = false;
        resolve();
      });
      current.once('error', (err) => {
        alive = false;
        log.error('temporal-server could not be started', { error: String(err), command });
        resolve();
      });
    });
    process.removeListener('exit', killOnExit);
    if (!o.detached) process.once('exit', killOnExit);
    await waitUntilReady();
    log.info('temporal server ready', { address, namespace, seconds: (Date.now() - startedAt) / 1000, logFile });
  }

  async function stop(): Promise<void> {
    process.removeListener('exit', killOnExit);
    const current = child;
    if (!current || !running()) return;
    current.kill('SIGTERM');
    const timer = setTimeout(() => current.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  await start();
  return {
    address,
    namespace,
    get process() {
      return child!;
    },
    stop,
    start,
    async restart() {
      await stop();
      await start();
    },
  };
}
