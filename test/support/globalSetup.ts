import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { migrate } from '../../src/db/migrate';
import { startScratchDatabase, startScratchTemporal } from '../../dev/throwawayServers';
import { createLogger } from '../../src/log';

/**
 * Starts the real servers the tests use, once per run: PostgreSQL (a scratch
 * database on DATABASE_URL when set, else an embedded server in a temp dir)
 * and a Temporal dev server (in memory, free ports). Also bundles the workflows
 * from source, so tests never run a stale bundle. A set-up that fails stops what it
 * started (and the servers die with this process anyway: setpriv --pdeathsig on Linux).
 */
export default async function globalSetup(): Promise<void> {
  const log = createLogger('test-setup', 'warn', (l) => process.stderr.write(l + '\n'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resetflow-test-'));
  fs.chmodSync(dir, 0o755); // the embedded server runs as the postgres user when tests run as root
  const stops: (() => Promise<void>)[] = [];

  const database = startScratchDatabase(dir, log, 'resetflow_test').then((db) => (stops.push(db.stop), db));
  const temporal = startScratchTemporal(dir, log).then((t) => (stops.push(t.stop), t));
  const bundle = bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
  });
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  try {
    const [db, t, b] = await Promise.all([database, temporal, bundle]);
    await migrate(db.url);
    fs.writeFileSync(bundlePath, b.code);
    process.env['RESETFLOW_TEST_DATABASE_URL'] = db.url;
    process.env['RESETFLOW_TEST_TEMPORAL_ADDRESS'] = t.address;
  } catch (err) {
    // the others finish starting, so that each is stopped, not left running
    await Promise.allSettled([database, temporal, bundle]);
    await Promise.allSettled(stops.reverse().map((stop) => stop()));
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  process.env['RESETFLOW_TEST_WORKFLOW_BUNDLE'] = bundlePath;
  process.env['RESETFLOW_TEST_DIR'] = dir;
  (globalThis as { __resetflowStops?: typeof stops }).__resetflowStops = stops;
}
