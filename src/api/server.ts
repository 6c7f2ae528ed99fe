// first: sizes libuv's pool (argon2) before anything uses it
import '../threadpool';
// second: OpenTelemetry when OTEL_EXPORTER_OTLP_ENDPOINT is set, before http, express and pg load
import '../observability/startApiTracing';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../config';
import { createPool } from '../db/pool';
import { migrate } from '../db/migrate';
import { createLogger } from '../log';
import { shutdownTracing } from '../observability/tracing';
import { CONSOLE_DIR } from '../paths';
import { connectClient, loadTemporalTarget } from '../temporal/connection';
import { loadLocalSecrets } from '../localSecrets';
import { createApp } from './app';
import { answerClientErrors } from './clientErrors';
import { createHttpDeps } from './deps';

/** The API process: validates config, applies migrations, connects to Temporal and serves HTTP. */
async function main(): Promise<void> {
  // development secrets nobody configured: generated once under DATA_DIR (never in production)
  const config = loadConfig(process.env, process.env['NODE_ENV'] === 'production' ? {} : { localSecrets: loadLocalSecrets });
  const log = createLogger('api', config.logLevel);
  if (config.env === 'production' && !config.metrics.token) {
    log.warn('METRICS_TOKEN is not set: GET /metrics answers only requests from localhost (127.0.0.1, ::1)');
  }
  await migrate(config.database.url, (m) => log.debug(m));
  const pool = createPool(config.database.url, config.pgPoolSize, { applicationName: 'resetflow-api', queryTimeoutMs: 5_000 });
  const temporal = await connectClient(loadTemporalTarget(), { lazy: true });
  const deps = createHttpDeps(config, { pool, temporal, log });
  const app = createApp(deps, { consoleDir: CONSOLE_DIR });
  const listening = () => {
    log.info('api listening', { host: config.host ?? 'every interface', port: (server.address() as AddressInfo).port, publicUrl: config.publicUrl });
  };
  const server = config.host === undefined ? app.listen(config.port, listening) : app.listen(config.port, config.host, listening);
  answerClientErrors(server);
  const stop = () => {
    log.info('api stopping');
    server.close(() => {
      void Promise.allSettled([pool.end(), temporal.connection.close(), shutdownTracing()]).then(() => process.exit(0));
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err instanceof Error && err.name === 'ConfigError' ? err.message : err);
  process.exit(1);
});
