import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { startCluster, type RunningCluster } from '../../../dev/cluster';
import { freePort } from '../../../dev/freePort';
import type { SupervisedProcess } from '../../../dev/supervisor';
import { createLogger } from '../../../src/log';
import { Api } from './http';
import { Summary } from './summary';

/** Temporal keeps membership ports in a smallint; the frontend's is picked from the same range. */
async function portBelow32768(): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12768);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (ok) return port;
  }
}

/** Every process's pid and its supervisor's restart count, by process name (Chaos.processes()). */
export interface Processes {
  pids: Record<string, number | undefined>;
  restarts: Record<string, number>;
}

/**
 * The topology of `npm run cluster` on free ports in a temporary directory, with its own
 * embedded PostgreSQL (so the suite may stop it), and what the suite needs to watch it: the
 * superuser's pool on resetflow's database, a Temporal client for the histories, the logs.
 */
export class Chaos {
  readonly summary = new Summary();
  private nextAddress = 10;

  private constructor(
    readonly cluster: RunningCluster,
    readonly dir: string,
    readonly db: pg.Pool,
    /** the superuser's URL of resetflow's database (row locks, checks) */
    readonly dbUrl: string,
    readonly temporal: Client,
    /** what the cluster said (restarts), with times */
    readonly lines: string[],
  ) {}

  static async start(): Promise<Chaos> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resetflow-chaos-'));
    fs.chmodSync(dir, 0o755); // as root, PostgreSQL runs as the postgres account
    const logs = path.join(dir, 'logs');
    fs.mkdirSync(logs, { recursive: true });
    const streams = new Map<string, fs.WriteStream>();
    const lines: string[] = [];
    const cluster = await startCluster({
      dataDir: dir,
      ports: {
        postgres: await freePort(), temporal: await portBelow32768(), mailSink: await freePort(),
        apis: [await freePort(), await freePort()], workerMetrics: [await freePort(), await freePort()],
      },
      output: (name, line) => {
        let s = streams.get(name);
        if (!s) streams.set(name, (s = fs.createWriteStream(path.join(logs, `${name}.log`), { flags: 'a' })));
        s.write(line + '\n');
      },
      say: (line) => {
        lines.push(`${new Date().toISOString()} ${line}`);
        fs.appendFileSync(path.join(logs, 'cluster.log'), `${new Date().toISOString()} ${line}\n`);
      },
      log: createLogger('chaos-cluster', 'warn', (l) => process.stderr.write(l + '\n')),
      // outbound webhooks to the suite's receivers on 127.0.0.1
      webhookAllowLoopback: true,
    });
    const dbUrl = new URL(cluster.postgres.adminUrl);
    dbUrl.pathname = '/resetflow';
    const db = new pg.Pool({ connectionString: dbUrl.toString(), max: 4, application_name: 'chaos-suite' });
    db.on('error', () => undefined);
    const connection = await Connection.connect({ address: cluster.temporal.address });
    return new Chaos(cluster, dir, db, dbUrl.toString(), new Client({ connection, namespace: cluster.temporal.namespace }), lines);
  }

  get adminKey(): string {
    return this.cluster.adminApiKey;
  }

  /** The API replicas, called from a loopback address of the caller's own (see Api). */
  apis(address = '127.0.0.2'): Api[] {
    return this.cluster.apis.map((a) => new Api(a.process.name, a.url, address));
  }

  /** A loopback address no other scenario calls from. */
  freshAddress(): string {
    return `127.0.0.${this.nextAddress++}`;
  }

  get workers(): SupervisedProcess[] {
    return this.cluster.workers;
  }

  workerByPid(pid: number | undefined): SupervisedProcess | undefined {
    return this.cluster.workers.find((w) => w.pid === pid);
  }

  /** Every worker, API, Temporal and PostgreSQL restart so far (the suite checks none happened unasked). */
  restartCounts(): Record<string, number> {
    return Object.fromEntries([
      ...this.cluster.workers.map((w) => [w.name, w.restarts] as const),
      ...this.cluster.apis.map((a) => [a.process.name, a.process.restarts] as const),
      ['temporal', this.cluster.temporal.restarts] as const,
      ['postgres', this.cluster.postgres.restarts] as const,
    ]);
  }

  pids(): Record<string, number | undefined> {
    return Object.fromEntries([
      ...this.cluster.workers.map((w) => [w.name, w.pid] as const),
      ...this.cluster.apis.map((a) => [a.process.name, a.process.pid] as const),
      ['temporal', this.cluster.temporal.pid] as const,
      ['postgres', this.cluster.postgres.pid] as const,
    ]);
  }

  /** Both, at one moment: compared before and after a fault (expectNoRestartExcept, support/scenario.ts). */
  processes(): Processes {
    return { pids: this.pids(), restarts: this.restartCounts() };
  }

  async tenant(api: Api, settings: Record<string, unknown> = {}): Promise<string> {
    const id = `chaos-${randomBytes(4).toString('hex')}`;
    const res = await api.call('POST', '/admin/tenants', { auth: this.adminKey, body: { id, name: `Chaos ${id}`, settings } });
    if (res.status !== 201) throw new Error(`tenant: ${res.status} ${res.text}`);
    return id;
  }

  async user(api: Api, tenantId: string, password: string): Promise<{ id: string; email: string }> {
    const email = `u-${randomBytes(4).toString('hex')}@example.com`;
    const res = await api.call('POST', `/admin/tenants/${tenantId}/users`, { auth: this.adminKey, body: { email, displayName: 'Chaos Person', password } });
    if (res.status !== 201) throw new Error(`user: ${res.status} ${res.text}`);
    return { id: res.body.id, email };
  }

  async stop(): Promise<void> {
    await this.temporal.connection.close().catch(() => undefined);
    await this.db.end().catch(() => undefined);
    await this.cluster.stop();
    if (!process.env['RESETFLOW_CHAOS_KEEP']) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Poll until `probe` gives something other than undefined. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The provider took the email: `sent`, or `delivered` once its webhook reported the delivery. */
export function handedOver(state: string | undefined): boolean {
  return state === 'sent' || state === 'delivered';
}
