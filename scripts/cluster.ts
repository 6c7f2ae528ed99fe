/**
 * `npm run cluster`: the production topology of docker-compose.yml on this machine, without
 * Docker (dev/cluster.ts): PostgreSQL, the real Temporal server, the migration, two workers and
 * two API processes with NODE_ENV=production. Ports never collide with `npm start`'s.
 * Ctrl-C stops the APIs and workers, then Temporal, then PostgreSQL; the next start resumes.
 */
import path from 'node:path';
import { z } from 'zod';
import { startCluster, TEMPORAL_SERVER_VERSION, type RunningCluster } from '../dev/cluster';
import { clusterDiagram } from '../dev/clusterDiagram';
import { EmbeddedPostgresUnavailable } from '../dev/embeddedPostgres';
import { createLogger } from '../src/log';

const port = (def: number) => z.coerce.number().int().min(1).max(65535).default(def);
const launcherEnv = z.object({
  DATA_DIR: z.string().default('.data'),
  DATABASE_URL: z.string().trim().optional().transform((s) => s || undefined),
  PUBLIC_URL: z.string().trim().optional().transform((s) => s || undefined).pipe(z.url().optional()),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  CLUSTER_API_PORT: port(3100),
  CLUSTER_APIS: z.coerce.number().int().min(1).max(8).default(2),
  CLUSTER_WORKERS: z.coerce.number().int().min(1).max(8).default(2),
  CLUSTER_TEMPORAL_PORT: port(7243),
  CLUSTER_POSTGRES_PORT: port(54339),
  CLUSTER_MAIL_SINK_PORT: port(3125),
  CLUSTER_WORKER_METRICS_PORT: port(9470),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().trim().optional().transform((s) => s || undefined),
});

function say(line = ''): void {
  process.stdout.write(line + '\n');
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

function whatRunsWhere(c: RunningCluster): string {
  const pid = (n: number | undefined) => (n ? String(n) : '-');
  const rel = (p: string) => (path.relative(process.cwd(), p).startsWith('..') ? p : path.relative(process.cwd(), p) || '.');
  return table([
    ['process', 'pid', 'where', 'what'],
    [c.postgres.embedded ? 'PostgreSQL (embedded)' : 'PostgreSQL (DATABASE_URL)', pid(c.postgres.pid), `127.0.0.1:${c.postgres.port}`,
      `databases resetflow, temporal, temporal_visibility${c.postgres.embedded ? `; data in ${rel(path.join(c.dataDir, 'postgres'))}` : ''}`],
    [`Temporal server ${TEMPORAL_SERVER_VERSION}`, pid(c.temporal.pid), c.temporal.address, `frontend, history, matching, worker; namespace ${c.temporal.namespace}; log ${rel(c.temporal.logFile)}`],
    ...c.apis.map((a) => [a.process.name, pid(a.process.pid), `http://localhost:${a.port}`, 'node dist/src/api/server.js (API, console at /console)']),
    ...c.workers.map((w, i) => [w.name, pid(w.pid), `task queue ${c.env['TEMPORAL_TASK_QUEUE']}`, `node dist/worker.js; metrics http://127.0.0.1:${c.workerMetricsPorts[i]}/metrics`]),
    ['mail sink (in this launcher)', String(process.pid), c.sinkUrl, `POSTMARK_API_HOST for every process; mailbox ${c.sinkUrl}/dev/mailbox`],
  ]);
}

async function main(): Promise<void> {
  const parsed = launcherEnv.safeParse(process.env);
  if (!parsed.success) {
    console.error(`Invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
    process.exit(1);
  }
  const e = parsed.data;
  const log = createLogger('cluster', e.LOG_LEVEL === 'debug' ? 'debug' : 'warn');
  const dataDir = path.resolve(e.DATA_DIR, 'cluster');
  const apis = Array.from({ length: e.CLUSTER_APIS }, (_, i) => e.CLUSTER_API_PORT + i);
  const workerMetrics = Array.from({ length: e.CLUSTER_WORKERS }, (_, i) => e.CLUSTER_WORKER_METRICS_PORT + i);
  const ports = { postgres: e.CLUSTER_POSTGRES_PORT, temporal: e.CLUSTER_TEMPORAL_PORT, mailSink: e.CLUSTER_MAIL_SINK_PORT, apis, workerMetrics };
  let cluster: RunningCluster | undefined;
  let stopping = false;

  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('\nStopping the APIs and workers, then Temporal, then PostgreSQL…');
    await cluster?.stop();
    say('Stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  say(`Starting the production topology (state in ${path.relative(process.cwd(), dataDir)})…`);
  try {
    cluster = await startCluster({
      dataDir,
      databaseUrl: e.DATABASE_URL,
      ports,
      publicUrl: e.PUBLIC_URL,
      otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
      logLevel: e.LOG_LEVEL,
      output: (name, line) => say(`${name.padEnd(9)}│ ${line}`),
      say: (line) => say(`cluster  │ ${line}`),
      log,
    });
  } catch (err) {
    if (stopping) return;
    console.error(err instanceof EmbeddedPostgresUnavailable ? err.message : err);
    process.exit(1);
  }
  if (stopping) return;
  say('');
  say('resetflow is running in the production topology (NODE_ENV=production, as docker-compose.yml configures it):');
  say('');
  say(whatRunsWhere(cluster));
  say('');
  say(clusterDiagram(ports));
  say('');
  say(`  Admin API key  ${cluster.adminApiKey}`);
  say(`  Secrets        ${path.relative(process.cwd(), path.join(dataDir, 'cluster-secrets.json'))} (generated once; docker-compose.yml asks for the same)`);
  say(`  Logs           ${path.relative(process.cwd(), path.join(dataDir, 'logs'))}`);
  say('  A worker or API process that exits is started again (1 s back-off, doubling).');
  say('  Ctrl-C stops everything; `npm run cluster` again resumes with every reset intact.');
  say('');
}

void main();
