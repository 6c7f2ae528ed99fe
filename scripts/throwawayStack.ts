import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createActivityDeps } from '../src/activities/createDeps';
import { createApp } from '../src/api/app';
import { answerClientErrors } from '../src/api/clientErrors';
import { createHttpDeps } from '../src/api/deps';
import { loadConfig } from '../src/config';
import { createPool, type Pool } from '../src/db/pool';
import { migrate } from '../src/db/migrate';
import { startScratchDatabase, startScratchTemporal } from '../dev/throwawayServers';
import { createLogger, silentLogger } from '../src/log';
import { PostmarkSink } from '../dev/postmarkSink';
import { CONSOLE_DIR } from '../src/paths';
import { connectClient, loadTemporalTarget } from '../src/temporal/connection';
import { createResetflowWorker } from '../src/temporal/worker';

export interface ThrowawayStack {
  baseUrl: string;
  adminKey: string;
  sink: PostmarkSink;
  /** the stack's database, for seeding what the API cannot (old passwords, many users at once) */
  pool: Pool;
  stop(): Promise<void>;
}

/**
 * The whole service in one process for a script (screenshots, demos): a fresh
 * embedded PostgreSQL and an in-memory Temporal dev server on free ports in a
 * temporary folder, the worker, the API (serving the built console) and a mail
 * sink. Nothing touches the fixed ports or the data of `npm start`.
 */
export async function startThrowawayStack(o: { env?: Record<string, string> } = {}): Promise<ThrowawayStack> {
  const log = createLogger('stack', 'warn');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resetflow-stack-'));
  fs.chmodSync(dir, 0o755); // the embedded server runs as the postgres user when run as root
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const [pg, temporal] = await Promise.all([
      startScratchDatabase(dir, log, 'resetflow_demo'),
      startScratchTemporal(dir, log),
    ]);
    stops.push(pg.stop, temporal.stop);
    await migrate(pg.url);

    const sink = new PostmarkSink();
    const { port: sinkPort } = await sink.listen(0);
    stops.push(() => sink.close());
    const server = http.createServer();
    answerClientErrors(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    stops.push(() => new Promise((r) => { server.closeAllConnections(); server.close(r); }));

    const adminKey = `rf_demo_${randomBytes(18).toString('base64url')}`;
    const webhook = { user: 'postmark', password: randomBytes(18).toString('base64url') };
    sink.configureWebhooks({ url: `${baseUrl}/webhooks/postmark`, ...webhook });
    const config = loadConfig({
      NODE_ENV: 'test', DATA_DIR: dir, DATABASE_URL: pg.url, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_UI_URL: temporal.uiUrl,
      TEMPORAL_TASK_QUEUE: 'password-resets', ADMIN_API_KEY: adminKey, SECRETS_KEY: randomBytes(32).toString('base64'),
      POSTMARK_SERVER_TOKEN: 'demo', POSTMARK_API_HOST: `127.0.0.1:${sinkPort}`, PUBLIC_URL: baseUrl, LOG_LEVEL: 'warn',
      POSTMARK_WEBHOOK_USER: webhook.user, POSTMARK_WEBHOOK_PASSWORD: webhook.password,
      ...o.env,
    });
    const pool = createPool(config.database.url, 10);
    stops.push(() => pool.end());
    const client = await connectClient(loadTemporalTarget({ TEMPORAL_ADDRESS: temporal.address }));
    stops.push(() => client.connection.close());
    server.on('request', createApp(createHttpDeps(config, { pool, temporal: client, log: silentLogger }), { consoleDir: CONSOLE_DIR }));

    const connection = await NativeConnection.connect({ address: temporal.address });
    const worker: Worker = await createResetflowWorker({
      connection, namespace: 'default', taskQueue: config.temporal.taskQueue, deps: createActivityDeps(config, pool), maxConcurrentActivities: 8,
    });
    const running = worker.run();
    stops.push(async () => {
      worker.shutdown();
      await running;
      await connection.close();
    });
    return { baseUrl, adminKey, sink, pool, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
