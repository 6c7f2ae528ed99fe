/**
 * `npm run trace:demo`: one reset link through the real, traced processes, printed as span trees.
 * Starts a scratch PostgreSQL and Temporal dev server (free ports, a temp dir), the local mail sink, a local
 * OTLP receiver, and the API and worker as `node dist/…` with nothing but OTEL_EXPORTER_OTLP_ENDPOINT set;
 * an admin sends a reset link, the user completes it; then prints both traces (docs/observability.md).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort } from '../dev/freePort';
import { OtlpReceiver } from '../dev/otlpReceiver';
import { PostmarkSink } from '../dev/postmarkSink';
import { renderSpanTree } from '../dev/spanTree';
import { startScratchDatabase, startScratchTemporal } from '../dev/throwawayServers';
import { migrate } from '../src/db/migrate';
import { createLogger } from '../src/log';
import { PROJECT_ROOT } from '../src/paths';

const ROUTE = '/admin/tenants/{tenantId}/users/{userId}/password-reset-email';

async function main(): Promise<void> {
  const log = createLogger('trace-demo', 'warn', (l) => process.stderr.write(l + '\n'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resetflow-trace-'));
  fs.chmodSync(dir, 0o755); // the embedded server runs as the postgres user when run as root
  const stops: (() => Promise<unknown>)[] = [];
  try {
    const [pg, temporal] = await Promise.all([startScratchDatabase(dir, log, 'resetflow_trace'), startScratchTemporal(dir, log)]);
    stops.push(pg.stop, temporal.stop);
    await migrate(pg.url);
    const sink = new PostmarkSink();
    const { port: sinkPort } = await sink.listen(0);
    stops.push(() => sink.close());
    const receiver = new OtlpReceiver();
    const { endpoint } = await receiver.listen();
    stops.push(() => receiver.close());

    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const adminKey = `rf_demo_${randomBytes(18).toString('base64url')}`;
    const env = {
      ...process.env, NODE_ENV: 'test', PORT: String(port), PUBLIC_URL: baseUrl, DATA_DIR: dir, DATABASE_URL: pg.url,
      TEMPORAL_ADDRESS: temporal.address, ADMIN_API_KEY: adminKey, SECRETS_KEY: randomBytes(32).toString('base64'),
      POSTMARK_SERVER_TOKEN: 'demo', POSTMARK_API_HOST: `127.0.0.1:${sinkPort}`, LOG_LEVEL: 'info',
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '100',
    };
    const worker = await run(path.join(PROJECT_ROOT, 'dist', 'worker.js'), env, '"worker polling"');
    stops.push(() => stop(worker));
    const api = await run(path.join(PROJECT_ROOT, 'dist', 'src', 'api', 'server.js'), env, '"api listening"');
    stops.push(() => stop(api));

    const call = async (method: string, p: string, body?: unknown, auth: string | null = adminKey) => {
      const res = await fetch(baseUrl + p, {
        method,
        headers: { ...(auth ? { authorization: `Bearer ${auth}` } : {}), 'content-type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
      return (await res.json().catch(() => undefined)) as Record<string, string>;
    };
    await call('POST', '/admin/tenants', { id: 'demo', name: 'Demo Org' });
    const user = await call('POST', '/admin/tenants/demo/users', { email: 'ada@example.com', displayName: 'Ada', password: 'glacier-ticket-marble-74' });
    const sent = await call('POST', `/admin/tenants/demo/users/${user['id']}/password-reset-email`, {});
    const mail = await sink.waitFor((m) => m.tag === 'password-reset');
    const token = mail.textBody.match(/token=([\w-]+)/)![1]!;
    await call('POST', '/auth/password-reset', { token, newPassword: 'orbit-velvet-canyon-93' }, null);

    const [start, complete] = await receiver.waitFor((spans) => {
      const root = spans.find((s) => s.attributes['http.route'] === ROUTE && !s.parentSpanId);
      const done = spans.find((s) => s.attributes['http.route'] === '/auth/password-reset' && !s.parentSpanId);
      const ended = spans.some((s) => s.name === 'RunWorkflow:passwordResetEmailWorkflow');
      const applied = done && spans.some((s) => s.traceId === done.traceId && s.name === 'RunActivity:applyChosenPassword');
      return root && done && ended && applied ? [root, done] : undefined;
    }, 'the spans of one reset link');
    process.stdout.write(`workflow ${sent['workflowId']}\n\nThe admin sends the link (one trace):\n\n${renderSpanTree(receiver.spans, start.traceId)}\n\n`);
    process.stdout.write(`The user chooses a new password through it (its own trace):\n\n${renderSpanTree(receiver.spans, complete.traceId)}\n`);
  } finally {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function run(script: string, env: NodeJS.ProcessEnv, ready: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => c.toString().includes(ready) && resolve());
    child.once('exit', (code) => reject(new Error(`${path.basename(script)} exited with ${code}`)));
  });
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
