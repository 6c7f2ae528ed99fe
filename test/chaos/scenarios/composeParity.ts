import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../../src/paths';
import type { Ctx } from '../support/scenario';

const run = promisify(execFile);

/** A running process's environment, read from /proc (Linux). */
function environOf(pid: number): Record<string, string> {
  const raw = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
  return Object.fromEntries(raw.split('\0').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
}

/** docker-compose.yml's environment for a service, as compose-go (docker compose's loader) resolves it. */
async function composeEnvironment(service: string): Promise<Record<string, string | null>> {
  const { stdout } = await run('bash', [path.join(PROJECT_ROOT, 'scripts', 'check-compose.sh'), '--env', service], { cwd: PROJECT_ROOT, maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

/** The variables docker-compose.yml leaves to each machine: secrets and addresses. */
const PER_MACHINE = new Set(['ADMIN_API_KEY', 'DATABASE_URL', 'MAIL_FROM', 'METRICS_TOKEN', 'POSTMARK_SERVER_TOKEN', 'POSTMARK_WEBHOOK_PASSWORD',
  'POSTMARK_WEBHOOK_USER', 'PUBLIC_URL', 'SECRETS_KEY', 'TEMPORAL_ADDRESS', 'WORKER_METRICS_ADDRESS', 'PWNED_PASSWORDS_URL', 'WEBHOOK_ALLOW_LOOPBACK']);
/** What the cluster adds: the local sink in Postmark's place, and one port per API process (a container's is fixed). */
const ADDED = { api: ['POSTMARK_API_HOST', 'PORT'], worker: ['POSTMARK_API_HOST'] } as const;
/** What a container gets from its image and the cluster passes through from the shell. */
const FROM_THE_IMAGE = new Set(['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ']);

export function composeParity(ctx: Ctx): void {
  describe('the cluster configures every process as docker-compose.yml does', () => {
    for (const service of ['api', 'worker'] as const) {
      test(`each ${service} process runs with exactly docker-compose.yml's ${service} environment (NODE_ENV=production), plus ${ADDED[service].join(' and ')}`, async () => {
        const compose = await composeEnvironment(service);
        const processes = service === 'api' ? ctx.chaos.cluster.apis.map((a) => a.process) : ctx.chaos.cluster.workers;
        expect(processes).toHaveLength(2);
        for (const p of processes) {
          const env = environOf(p.pid!);
          const own = Object.keys(env).filter((k) => !FROM_THE_IMAGE.has(k)).sort();
          expect(own).toEqual([...Object.keys(compose), ...ADDED[service]].sort());
          for (const [key, value] of Object.entries(compose)) {
            if (!PER_MACHINE.has(key)) expect(`${key}=${env[key]}`).toBe(`${key}=${value ?? ''}`);
          }
          expect(env['NODE_ENV']).toBe('production');
          expect(env['DATABASE_URL']).toMatch(/^postgres:\/\/resetflow:[0-9a-f]+@127\.0\.0\.1:\d+\/resetflow$/);
        }
      });
    }
  });
}
