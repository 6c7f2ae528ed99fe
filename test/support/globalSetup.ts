import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { bundleWorkflowCode } from '@temporalio/worker';
import { migrate } from '../../src/db/migrate';
import { startEmbeddedPostgres } from '../../src/local/embeddedPostgres';
import { findTemporalCli, startTemporalDevServer } from '../../src/local/temporalCli';
import { createLogger } from '../../src/log';
import { freePort } from './freePort';

/**
 * Starts the real servers the tests use, once per run: PostgreSQL (a scratch
 * database on DATABASE_URL when set, else an embedded server in a temp dir)
 * and a Temporal dev server (in memory, free ports). Also bundles the workflows
 * from source, so tests never run a stale bundle.
 */
export default async function globalSetup(): Promise<void> {
  const log = createLogger('test-setup', 'warn', (l) => process.stderr.write(l + '\n'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resetflow-test-'));
  fs.chmodSync(dir, 0o755); // the embedded server runs as the postgres user when tests run as root
  const stops: (() => Promise<void>)[] = [];

  const [databaseUrl, temporal, bundle] = await Promise.all([
    (async () => {
      const external = process.env['DATABASE_URL'];
      if (external) {
        const name = `resetflow_test_${randomBytes(4).toString('hex')}`;
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
    })(),
    (async () => {
      const server = await startTemporalDevServer(
        { binary: await findTemporalCli(log), port: await freePort(), uiPort: await freePort(), logFile: path.join(dir, 'temporal.log') },
        log,
      );
      stops.push(server.stop);
      return server;
    })(),
    bundleWorkflowCode({
      workflowsPath: require.resolve('../../src/workflows'),
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
    }),
  ]);
  await migrate(databaseUrl);
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, bundle.code);

  process.env['RESETFLOW_TEST_DATABASE_URL'] = databaseUrl;
  process.env['RESETFLOW_TEST_TEMPORAL_ADDRESS'] = temporal.address;
  process.env['RESETFLOW_TEST_WORKFLOW_BUNDLE'] = bundlePath;
  process.env['RESETFLOW_TEST_DIR'] = dir;
  (globalThis as { __resetflowStops?: typeof stops }).__resetflowStops = stops;
}
