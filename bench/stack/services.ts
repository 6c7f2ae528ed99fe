import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { PROJECT_ROOT, WORKER_NODE_FLAGS, WORKER_SCRIPT } from '../../src/paths';
import { baseEnv, Spawned } from './childProcess';
import { freePort } from '../../dev/freePort';
import type { Infrastructure } from './infrastructure';

export const API_SCRIPT = path.join(PROJECT_ROOT, 'dist', 'src', 'api', 'server.js');

/** Settings varied by the bench: any of the processes' environment variables (PG_POOL_SIZE, UV_THREADPOOL_SIZE, ...). */
export interface ServiceSettings {
  api?: Record<string, string>;
  worker?: Record<string, string>;
  /** node's flags for the worker instead of WORKER_NODE_FLAGS (a larger heap for a larger cache) */
  workerNodeFlags?: string[];
}

/**
 * The API and the worker, as the real separate processes (`node dist/src/api/server.js`,
 * `node dist/worker.js`) configured by environment variables only, so their peak
 * RSS is their own. Settings not given are the project's defaults.
 */
export class Services {
  readonly adminKey = `rf_bench_${randomBytes(18).toString('base64url')}`;
  readonly taskQueue = `bench-${randomBytes(4).toString('hex')}`;
  private readonly secretsKey = randomBytes(32).toString('base64');
  api: Spawned | undefined;
  worker: Spawned | undefined;
  baseUrl = '';
  private current: ServiceSettings = {};

  constructor(
    private readonly infra: Infrastructure,
    private readonly dir: string,
    /** write a V8 CPU profile of each process into this dir when it exits (`--profile`) */
    private readonly profileDir?: string,
  ) {}

  /** What both processes share; the bench raises the rate limits so they never answer 429. */
  env(port: number, extra: Record<string, string> = {}): Record<string, string> {
    return {
      ...baseEnv(),
      NODE_ENV: 'production',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATA_DIR: path.join(this.dir, 'data'),
      DATABASE_URL: this.infra.databaseUrl,
      TEMPORAL_ADDRESS: this.infra.temporal.address,
      TEMPORAL_TASK_QUEUE: this.taskQueue,
      ADMIN_API_KEY: this.adminKey,
      SECRETS_KEY: this.secretsKey,
      POSTMARK_SERVER_TOKEN: 'bench-server-token',
      POSTMARK_API_HOST: this.infra.sinkHost,
      RATE_LIMIT_PER_IP: '1000000',
      RATE_LIMIT_PER_ACCOUNT: '1000000',
      RATE_LIMIT_ACCOUNT_CEILING: '1000000',
      LOG_LEVEL: 'info',
      ...extra,
    };
  }

  /** Start both processes, or restart the ones whose settings differ from what runs now (`freshWorker`: the worker in any case). */
  async ensure(settings: ServiceSettings = {}, o: { freshWorker?: boolean } = {}): Promise<void> {
    const same = (a?: Record<string, string>, b?: Record<string, string>) => JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});
    const port = this.baseUrl ? Number(new URL(this.baseUrl).port) : await freePort();
    const jobs: Promise<void>[] = [];
    if (o.freshWorker || !this.worker || !same(settings.worker, this.current.worker) || String(settings.workerNodeFlags) !== String(this.current.workerNodeFlags)) {
      jobs.push((async () => {
        await this.worker?.stop();
        this.worker = new Spawned({ name: 'worker', args: [...this.profileArgs('worker'), ...(settings.workerNodeFlags ?? WORKER_NODE_FLAGS), WORKER_SCRIPT], env: this.env(port, settings.worker), logFile: path.join(this.dir, 'worker.log') });
        await this.worker.waitForOutput('worker polling', 120_000);
      })());
    }
    if (!this.api || !same(settings.api, this.current.api)) {
      jobs.push((async () => {
        await this.api?.stop();
        this.api = new Spawned({ name: 'api', args: [...this.profileArgs('api'), API_SCRIPT], env: this.env(port, settings.api), logFile: path.join(this.dir, 'api.log') });
        await this.api.waitForOutput('api listening', 60_000);
        this.baseUrl = `http://127.0.0.1:${port}`;
      })());
    }
    await Promise.all(jobs);
    this.current = settings;
  }

  /** Node names each file CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile, one per thread (workflows run on worker threads). */
  private profileArgs(name: string): string[] {
    return this.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(this.profileDir, name)}`] : [];
  }

  resetPeakRss(): void {
    this.api?.rss.reset();
    this.worker?.rss.reset();
  }

  peakRss(): { api: number; worker: number } {
    return { api: this.api?.rss.peakMb() ?? 0, worker: this.worker?.rss.peakMb() ?? 0 };
  }

  async stop(): Promise<void> {
    await Promise.all([this.api?.stop(), this.worker?.stop()]);
  }
}
