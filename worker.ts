/**
 * The worker process: runs every resetflow workflow and activity on
 * TEMPORAL_TASK_QUEUE. Stops cleanly on SIGINT/SIGTERM (in-flight activities finish).
 */
// first: sizes libuv's pool (argon2) before anything uses it
import './src/threadpool';
// second: OpenTelemetry when OTEL_EXPORTER_OTLP_ENDPOINT is set, before http and pg load
import './src/observability/startWorkerTracing';
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createActivityDeps } from './src/activities/createDeps';
import { loadLocalSecrets } from './src/localSecrets';
import { loadConfig } from './src/config';
import { createPool } from './src/db/pool';
import { createLogger } from './src/log';
import { shutdownTracing } from './src/observability/tracing';
import { loadTemporalTarget } from './src/temporal/connection';
import { installWorkerRuntime } from './src/temporal/runtime';
import { ensureSearchAttributes } from './src/temporal/searchAttributes';
import { startWebhookDispatcher } from './src/temporal/webhookDispatcher';
import { createResetflowWorker } from './src/temporal/worker';

async function main(): Promise<void> {
  // development secrets nobody configured: generated once under DATA_DIR (never in production)
  const config = loadConfig(process.env, process.env['NODE_ENV'] === 'production' ? {} : { localSecrets: loadLocalSecrets });
  const log = createLogger('worker', config.logLevel);
  const runtime = installWorkerRuntime({ metricsAddress: config.metrics.workerAddress });
  const target = loadTemporalTarget();
  const pool = createPool(config.database.url, config.pgPoolSize, { applicationName: 'resetflow-worker', queryTimeoutMs: 60_000 });
  const connection = await NativeConnection.connect(target.connectionOptions);
  await ensureSearchAttributes(connection, target.namespace, (m) => log.warn(m));
  const worker = await createResetflowWorker({
    connection,
    namespace: target.namespace,
    taskQueue: config.temporal.taskQueue,
    deps: createActivityDeps(config, pool, runtime.metricMeter),
    maxConcurrentActivities: config.workerActivityConcurrency,
    maxCachedWorkflows: config.workerMaxCachedWorkflows,
  });
  // the outbox's drain: a workflow per outbound webhook delivery (src/temporal/webhookDispatcher.ts)
  const dispatcher = startWebhookDispatcher({
    pool, temporal: new Client({ connection, namespace: target.namespace }), taskQueue: config.temporal.taskQueue,
    retryScheduleSeconds: config.webhooks.retryScheduleSeconds, intervalMs: config.webhooks.dispatchIntervalMs, log,
  });
  log.info('worker polling', { taskQueue: config.temporal.taskQueue, namespace: target.namespace, metrics: config.metrics.workerAddress ?? 'off' });
  await worker.run();
  await dispatcher.stop();
  await pool.end();
  await connection.close();
  await shutdownTracing();
  log.info('worker stopped');
}

main().catch((err) => {
  console.error(err instanceof Error && err.name === 'ConfigError' ? err.message : err);
  process.exit(1);
});
