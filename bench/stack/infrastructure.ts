import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Client } from '@temporalio/client';
import { createPool, type Pool } from '../../src/db/pool';
import { migrate } from '../../src/db/migrate';
import { startEmbeddedPostgres } from '../../src/local/embeddedPostgres';
import { findTemporalCli, startTemporalDevServer, type RunningDevServer } from '../../src/local/temporalCli';
import type { Logger } from '../../src/log';
import { PostmarkSink } from '../../src/mail/postmarkSink';
import { connectClient, loadTemporalTarget } from '../../src/temporal/connection';
import { freePort } from './freePort';

/** The servers the processes under test talk to, started by the bench on free ports in a temp dir. */
export interface Infrastructure {
  databaseUrl: string;
  temporal: RunningDevServer;
  /** the local Postmark-compatible sink, in the bench process */
  sink: PostmarkSink;
  sinkHost: string;
  /** the bench's own pool, for fixtures and the commit floor */
  pool: Pool;
  /** the bench's own Temporal client, for the no-op floor */
  client: Client;
  stop(): Promise<void>;
}

/** PostgreSQL: a scratch database on DATABASE_URL when set, else an embedded server in `dir`. */
async function startDatabase(dir: string, log: Logger, stops: (() => Promise<void>)[]): Promise<string> {
  const external = process.env['DATABASE_URL'];
  if (external) {
    const name = `resetflow_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: external });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    stops.push(async () => {
      const c = new pg.Client({ connectionString: external });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    });
    const url = new URL(external);
    url.pathname = `/${name}`;
    return url.toString();
  }
  const server = await startEmbeddedPostgres(
    { dir: path.join(dir, 'postgres'), port: await freePort(), user: 'postgres', password: randomBytes(12).toString('hex'), database: 'resetflow' },
    log,
  );
  stops.push(server.stop);
  return server.url;
}

/**
 * A Temporal dev server persisting to a SQLite file in `dir` (a file, not memory,
 * so the SQLite pragmas matter as they do for `npm start`).
 */
export async function startDevServer(dir: string, name: string, log: Logger, sqlitePragmas = true): Promise<RunningDevServer> {
  return startTemporalDevServer(
    {
      binary: await findTemporalCli(log),
      port: await freePort(),
      uiPort: await freePort(),
      dbFile: path.join(dir, `${name}.db`),
      logFile: path.join(dir, `${name}.log`),
      sqlitePragmas,
    },
    log,
  );
}

export async function startInfrastructure(dir: string, log: Logger): Promise<Infrastructure> {
  fs.chmodSync(dir, 0o755); // the embedded server runs as the postgres user when the bench runs as root
  const stops: (() => Promise<void>)[] = [];
  try {
    const [databaseUrl, temporal] = await Promise.all([
      startDatabase(dir, log, stops),
      startDevServer(dir, 'temporal', log).then((t) => {
        stops.push(t.stop);
        return t;
      }),
    ]);
    await migrate(databaseUrl);
    const sink = new PostmarkSink();
    const { port } = await sink.listen(0);
    stops.push(() => sink.close());
    const pool = createPool(databaseUrl, 20);
    stops.push(() => pool.end());
    const client = await connectClient(loadTemporalTarget({ TEMPORAL_ADDRESS: temporal.address }));
    stops.push(() => client.connection.close());
    return {
      databaseUrl,
      temporal,
      sink,
      sinkHost: `127.0.0.1:${port}`,
      pool,
      client,
      async stop() {
        for (const stop of stops.reverse()) await stop().catch(() => undefined);
      },
    };
  } catch (err) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    throw err;
  }
}
