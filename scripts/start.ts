/**
 * `npm start`: everything resetflow needs on one machine, with no setup.
 * Starts what is not configured elsewhere (embedded PostgreSQL, the Temporal
 * dev server with its Web UI, the local Postmark sink), applies migrations,
 * then runs the worker and the API as separate processes, as in production; one
 * that crashes is started again (with back-off, and a line saying so).
 * Ctrl-C stops it all; a second `npm start` resumes with every reset intact.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadLocalSecrets } from '../src/localSecrets';
import { loadConfig } from '../src/config';
import { migrate } from '../src/db/migrate';
import { EmbeddedPostgresUnavailable, startEmbeddedPostgres } from '../dev/embeddedPostgres';
import { SupervisedProcess } from '../dev/supervisor';
import { findTemporalCli, startTemporalDevServer } from '../dev/temporalCli';
import { createLogger } from '../src/log';
import { PostmarkSink } from '../dev/postmarkSink';
import { PwnedRangeServer } from '../dev/pwnedRangeServer';
import { PROJECT_ROOT, WORKER_ARGS } from '../src/paths';

const DEV_TEMPORAL_PORT = 7233;
const DEV_TEMPORAL_UI_PORT = 8233;

function say(line = ''): void {
  process.stdout.write(line + '\n');
}

/** A dev server left behind by a launcher that was killed hard would hold the port: stop it first. */
function stopStale(pidFile: string): void {
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8'));
  try {
    if (pid > 0) process.kill(-pid, 'SIGTERM');
  } catch {
    // already gone
  }
  fs.rmSync(pidFile, { force: true });
}

async function main(): Promise<void> {
  const config = loadConfig(process.env, { localSecrets: loadLocalSecrets });
  const log = createLogger('start', config.logLevel);
  const stops: { name: string; stop: () => Promise<void> }[] = [];
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: config.dataDir };
  let stopping = false;

  async function stopAll(code: number): Promise<never> {
    if (stopping) return new Promise(() => undefined);
    stopping = true;
    say('\nStopping…');
    for (const s of stops.reverse()) {
      await s.stop().catch((err) => log.warn(`could not stop ${s.name}`, { error: String(err) }));
    }
    process.exit(code);
  }
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    if (config.database.embedded) {
      say('Starting PostgreSQL (embedded, data in ' + path.relative(process.cwd(), config.database.embedded.dir) + ')…');
      const pg = await startEmbeddedPostgres({ ...config.database.embedded, database: 'resetflow' }, log);
      stops.push({ name: 'PostgreSQL', stop: pg.stop });
    }

    let temporalUi = config.temporal.uiUrl;
    if (!process.env['TEMPORAL_ADDRESS']) {
      const pidFile = path.join(config.dataDir, 'temporal.pid');
      stopStale(pidFile);
      say('Starting the Temporal dev server…');
      const binary = await findTemporalCli(log);
      const dev = await startTemporalDevServer({
        binary, port: DEV_TEMPORAL_PORT, uiPort: DEV_TEMPORAL_UI_PORT,
        dbFile: path.join(config.dataDir, 'temporal.db'), logFile: path.join(config.dataDir, 'temporal.log'), detached: true,
      }, log);
      fs.writeFileSync(pidFile, String(dev.process.pid));
      stops.push({ name: 'Temporal', stop: async () => { await dev.stop(); fs.rmSync(pidFile, { force: true }); } });
      env['TEMPORAL_ADDRESS'] = dev.address;
      temporalUi = process.env['TEMPORAL_UI_URL'] ?? dev.uiUrl;
    }

    let mailbox: string | undefined;
    if (config.mail.sink) {
      // it reports deliveries and bounces back to the API, as Postmark's webhooks would
      const webhooks = config.mail.webhook ? { url: `http://127.0.0.1:${config.port}/webhooks/postmark`, ...config.mail.webhook } : undefined;
      // a token of its own for this run: only this stack's worker can make it send, or report on, a message
      const serverToken = `sink-${randomBytes(18).toString('base64url')}`;
      env['MAIL_SINK_TOKEN'] = serverToken;
      const sink = new PostmarkSink(path.join(config.dataDir, 'mailbox.jsonl'), { webhooks, serverToken });
      await sink.listen(config.mail.sink.port);
      stops.push({ name: 'mail sink', stop: () => sink.close() });
      mailbox = `http://localhost:${config.mail.sink.port}/dev/mailbox`;
    }

    // breached-password lookups stay on this machine: a local range API built from the common-password list
    let pwned: string | undefined;
    if (!process.env['PWNED_PASSWORDS_URL']) {
      const range = new PwnedRangeServer();
      env['PWNED_PASSWORDS_URL'] = pwned = await range.listen(0);
      stops.push({ name: 'Pwned Passwords range server', stop: () => range.close() });
    }

    // outbound webhooks may go to receivers on this machine (http://127.0.0.1:…): api.md, Configuration
    env['WEBHOOK_ALLOW_LOOPBACK'] ??= 'true';

    await migrate(config.database.url, (m) => log.debug(m));

    const run = (name: string, args: readonly string[], probe?: () => Promise<boolean>) => {
      const child = new SupervisedProcess({
        name,
        command: process.execPath,
        args: [...args],
        env,
        ...(probe ? { probe } : { readyLine: '"worker polling"' }),
        output: (_name, line) => say(line),
        say: (line) => say(`resetflow: ${line}`),
      });
      stops.push({ name, stop: () => child.stop() });
      return child.start();
    };
    const worker = run('worker', WORKER_ARGS, config.logLevel === 'debug' || config.logLevel === 'info' ? undefined : async () => true);
    const api = run('API', [path.join(PROJECT_ROOT, 'dist', 'src', 'api', 'server.js')], async () => (await fetch(`http://127.0.0.1:${config.port}/healthz`, { signal: AbortSignal.timeout(1000) })).ok);
    await Promise.all([worker, api]);

    say('');
    say('resetflow is running');
    say(`  API            ${config.publicUrl}   (OpenAPI: ${config.publicUrl}/openapi.json)`);
    say(`  Console        ${config.publicUrl}/console   (sign in with the admin key below)`);
    say(`  Temporal UI    ${temporalUi}`);
    if (mailbox) say(`  Dev mailbox    ${mailbox}`);
    if (pwned) say(`  Breach check   ${pwned} (a local Pwned Passwords range API; PWNED_PASSWORDS_URL to change)`);
    say(`  Admin API key  ${config.adminApiKey}`);
    say(`  Data           ${config.dataDir}`);
    say('  Try it         npm run seed   (demo tenant and users)');
    say('  A worker or API process that crashes is started again (1 s back-off, doubling).');
    say('  Ctrl-C stops everything; `npm start` again resumes where you left off.');
    say('');
  } catch (err) {
    if (err instanceof EmbeddedPostgresUnavailable) say(err.message);
    else log.error(String(err instanceof Error ? err.message : err));
    await stopAll(1);
  }
}

void main();
