import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_NAMES } from '../src/contract/searchAttributes';
import type { Logger } from '../src/log';
import { onPath, tiedToThisProcess } from './binaries';

const run = promisify(execFile);

/** The newest CLI tag `go install` accepts (later tags carry a replace directive). */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

function cacheDir(): string {
  return path.join(process.env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache'), 'resetflow', 'bin');
}

/**
 * The `temporal` CLI: from PATH (e.g. `brew install temporal`), else the copy
 * cached in ~/.cache/resetflow/bin, else built once from the Go module proxy.
 */
export async function findTemporalCli(log: Logger): Promise<string> {
  const fromPath = onPath('temporal');
  if (fromPath) return fromPath;
  const cached = path.join(cacheDir(), 'temporal');
  if (fs.existsSync(cached)) return cached;
  const go = onPath('go');
  if (!go) {
    throw new Error('The Temporal CLI is not installed and Go is not available to build it. Install it (https://docs.temporal.io/cli, or `brew install temporal`) or set TEMPORAL_ADDRESS to a running Temporal server.');
  }
  log.info(`building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go (once; a few minutes)`, { into: cacheDir() });
  fs.mkdirSync(cacheDir(), { recursive: true });
  await run(go, ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`], {
    env: { ...process.env, GOBIN: cacheDir() },
    maxBuffer: 64 * 1024 * 1024,
  });
  return cached;
}

export interface DevServerOptions {
  binary: string;
  port: number;
  uiPort: number;
  /** persist to this SQLite file; in memory when undefined */
  dbFile?: string | undefined;
  logFile?: string | undefined;
  /**
   * Own process group (Ctrl-C reaches the launcher, which stops this last), and it outlives this
   * process unless stop() is called. Not detached (the default), it gets SIGTERM when this
   * process exits or dies, even by SIGKILL on Linux: a crashed test run leaves no server behind.
   */
  detached?: boolean;
  /**
   * SQLite in WAL mode with `synchronous=normal` (default true): a file-backed dev server
   * then commits without an fsync per write. `npm run bench -- temporal-pragmas` measures both.
   */
  sqlitePragmas?: boolean;
}

/** The SQLite pragmas the dev server runs with unless `sqlitePragmas: false`. */
export const DEV_SERVER_SQLITE_PRAGMAS = ['journal_mode=wal', 'synchronous=normal'] as const;

export interface RunningDevServer {
  address: string;
  uiUrl: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** The dev server ended before it answered (a port it wanted was taken, a bad flag): see its log. */
export class DevServerExited extends Error {
  override name = 'DevServerExited';
}

/** `temporal server start-dev` with the Web UI and resetflow's search attributes, resolved once it answers. */
export async function startTemporalDevServer(o: DevServerOptions, log: Logger): Promise<RunningDevServer> {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(o.port), '--ui-port', String(o.uiPort),
    '--log-level', 'warn',
    ...(o.sqlitePragmas === false ? [] : DEV_SERVER_SQLITE_PRAGMAS.flatMap((p) => ['--sqlite-pragma', p])),
    ...SEARCH_ATTRIBUTE_NAMES.flatMap((name) => ['--search-attribute', `${name}=Keyword`])];
  if (o.dbFile) {
    fs.mkdirSync(path.dirname(o.dbFile), { recursive: true });
    args.push('--db-filename', o.dbFile);
  }
  const out = o.logFile ? fs.openSync(o.logFile, 'a') : 'ignore';
  const [command, argv] = o.detached ? [o.binary, args] : tiedToThisProcess(o.binary, args);
  const child = spawn(command, argv, { stdio: ['ignore', out, out], detached: o.detached ?? false });
  if (typeof out === 'number') fs.closeSync(out);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const address = `127.0.0.1:${o.port}`;

  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new DevServerExited(`temporal server start-dev exited with code ${child.exitCode}${o.logFile ? ` (see ${o.logFile})` : ''}; is port ${o.port} or ${o.uiPort} taken?`);
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        break;
      } finally {
        await connection.close();
      }
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`temporal server start-dev did not answer on ${address} within 2 minutes`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  log.debug('temporal dev server ready', { address });
  return {
    address,
    uiUrl: `http://localhost:${o.uiPort}`,
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
