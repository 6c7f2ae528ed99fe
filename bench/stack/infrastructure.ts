import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Client } from '@temporalio/client';
import pg from 'pg';
import { createPool, type Pool } from '../../src/db/pool';
import { migrate } from '../../src/db/migrate';
import type { RunningDevServer } from '../../dev/temporalCli';
import { setUpTemporalSchema, startTemporalServer } from '../../dev/temporalServer';
import { freePort } from '../../dev/freePort';
import { SEARCH_ATTRIBUTE_NAMES } from '../../src/contract/searchAttributes';
import { startScratchDatabase, startScratchTemporal } from '../../dev/throwawayServers';
import type { Logger } from '../../src/log';
import { PostmarkSink } from '../../dev/postmarkSink';
import { connectClient, loadTemporalTarget } from '../../src/temporal/connection';

/** The servers the processes under test talk to, started by the bench on free ports in a temp dir. */
export interface Infrastructure {
  databaseUrl: string;
  temporal: { address: string; readonly process: ChildProcess; stop(): Promise<void> };
  /** the local Postmark-compatible sink, in the bench process */
  sink: PostmarkSink;
  sinkHost: string;
  /** the bench's own pool, for fixtures and the commit floor */
  pool: Pool;
  /** the bench's own Temporal client, for the no-op floor */
  client: Client;
  stop(): Promise<void>;
}

/**
 * A Temporal dev server persisting to a SQLite file in `dir` (a file, not memory,
 * so the SQLite pragmas matter as they do for `npm start`).
 */
export async function startDevServer(dir: string, name: string, log: Logger, sqlitePragmas = true): Promise<RunningDevServer> {
  return startScratchTemporal(dir, log, { dbFile: name, sqlitePragmas });
}

/**
 * The cluster's Temporal (`--cluster`): the real server (temporal-server, as `npm run
 * cluster` and docker-compose.yml run it) with its history and visibility stores in
 * databases beside resetflow's, on the bench's PostgreSQL.
 */
async function startClusterTemporal(dir: string, databaseUrl: string, log: Logger): Promise<Infrastructure['temporal']> {
  const base = new URL(databaseUrl).pathname.slice(1);
  const temporalDb = `${base}_temporal`;
  const visibilityDb = `${base}_visibility`;
  await setUpTemporalSchema({ databaseUrl, temporalDb, visibilityDb, log });
  const server = await startTemporalServer({
    databaseUrl, temporalDb, visibilityDb,
    dir: path.join(dir, 'temporal-server'),
    frontendPort: await freePort(),
    namespace: 'default',
    retentionDays: 1,
    searchAttributes: SEARCH_ATTRIBUTE_NAMES,
    // docker-compose.yml's NUM_HISTORY_SHARDS
    numHistoryShards: 128,
    logFile: path.join(dir, 'temporal-server.log'),
    logLevel: 'warn',
  }, log);
  return {
    address: server.address,
    get process() {
      return server.process;
    },
    async stop() {
      await server.stop();
      // an external PostgreSQL (DATABASE_URL) keeps databases: drop the two made here, as the scratch one is
      if (!process.env['DATABASE_URL']) return;
      const admin = new pg.Client({ connectionString: process.env['DATABASE_URL'] });
      await admin.connect();
      try {
        for (const db of [temporalDb, visibilityDb]) await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

export async function startInfrastructure(dir: string, log: Logger, o: { cluster?: boolean } = {}): Promise<Infrastructure> {
  fs.chmodSync(dir, 0o755); // the embedded server runs as the postgres user when the bench runs as root
  const stops: (() => Promise<void>)[] = [];
  try {
    const database = startScratchDatabase(dir, log, 'resetflow_bench').then((db) => {
      stops.push(db.stop);
      return db.url;
    });
    const [databaseUrl, temporal] = await Promise.all([
      database,
      (o.cluster ? database.then((url) => startClusterTemporal(dir, url, log)) : startDevServer(dir, 'temporal', log)).then((t) => {
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
