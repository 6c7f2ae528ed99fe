import fs from 'node:fs';
import type { Client } from '@temporalio/client';
import { createPool, type Pool } from '../../src/db/pool';
import { migrate } from '../../src/db/migrate';
import type { RunningDevServer } from '../../dev/temporalCli';
import { startScratchDatabase, startScratchTemporal } from '../../dev/throwawayServers';
import type { Logger } from '../../src/log';
import { PostmarkSink } from '../../dev/postmarkSink';
import { connectClient, loadTemporalTarget } from '../../src/temporal/connection';

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

/**
 * A Temporal dev server persisting to a SQLite file in `dir` (a file, not memory,
 * so the SQLite pragmas matter as they do for `npm start`).
 */
export async function startDevServer(dir: string, name: string, log: Logger, sqlitePragmas = true): Promise<RunningDevServer> {
  return startScratchTemporal(dir, log, { dbFile: name, sqlitePragmas });
}

export async function startInfrastructure(dir: string, log: Logger): Promise<Infrastructure> {
  fs.chmodSync(dir, 0o755); // the embedded server runs as the postgres user when the bench runs as root
  const stops: (() => Promise<void>)[] = [];
  try {
    const [databaseUrl, temporal] = await Promise.all([
      startScratchDatabase(dir, log, 'resetflow_bench').then((db) => {
        stops.push(db.stop);
        return db.url;
      }),
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
