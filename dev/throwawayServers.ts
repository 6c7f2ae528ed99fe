import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../src/log';
import { startEmbeddedPostgres } from './embeddedPostgres';
import { freePort } from './freePort';
import { DevServerExited, findTemporalCli, startTemporalDevServer, type RunningDevServer } from './temporalCli';

/**
 * Real servers for one test run, benchmark or script, on free ports in a temp dir:
 * nothing touches the data or the fixed ports of `npm start`.
 */

/** PostgreSQL: a scratch database on DATABASE_URL when set (dropped at stop), else an embedded server in `dir`. */
export async function startScratchDatabase(dir: string, log: Logger, prefix: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const external = process.env['DATABASE_URL'];
  if (external) {
    const name = `${prefix}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: external });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(external);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      async stop() {
        const c = new pg.Client({ connectionString: external });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  return startEmbeddedPostgres(
    { dir: path.join(dir, 'postgres'), port: await freePort(), user: 'postgres', password: randomBytes(12).toString('hex'), database: 'resetflow' },
    log,
  );
}

/** A Temporal dev server with the Web UI; in memory unless `dbFile` names a SQLite file in `dir`. */
export async function startScratchTemporal(
  dir: string,
  log: Logger,
  o: { dbFile?: string; sqlitePragmas?: boolean } = {},
): Promise<RunningDevServer> {
  const binary = await findTemporalCli(log);
  // A free port can be taken between freePort() and the server's bind, and the dev server binds more ports of
  // its own choosing: it then exits at once (seen in CI, code 2). Such an early exit is tried again on new ports.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startTemporalDevServer(
        {
          binary,
          port: await freePort(),
          uiPort: await freePort(),
          logFile: path.join(dir, `${o.dbFile ?? 'temporal'}.log`),
          ...(o.dbFile ? { dbFile: path.join(dir, `${o.dbFile}.db`) } : {}),
          ...(o.sqlitePragmas !== undefined ? { sqlitePragmas: o.sqlitePragmas } : {}),
        },
        log,
      );
    } catch (err) {
      if (attempt >= 3 || !(err instanceof DevServerExited)) throw err;
      log.warn('temporal dev server exited while starting; trying again on other ports', { attempt });
    }
  }
}
