import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../src/log';
import { Fixtures, ResetLinks } from './fixtures';
import { Floors } from './floors';
import { HttpClient } from './httpClient';
import { summarizeProfile } from './profileSummary';
import { metered } from './rows';
import { CpuMeter, findProcessRoots, type CpuGroups } from './stack/cpuMeter';
import { startInfrastructure, type Infrastructure } from './stack/infrastructure';
import { Services, type ServiceSettings } from './stack/services';

export interface Durations {
  warmupMs: number;
  measureMs: number;
}

/**
 * What a scenario can ask for. Everything is started on first use and shared by
 * the scenarios of one run: the infrastructure (PostgreSQL, Temporal dev server,
 * mail sink), the API and worker processes, the memoised floors.
 */
export class BenchContext {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resetflow-bench-'));
  readonly durations: Durations;
  readonly floors: Floors;
  private infraStarted: Promise<Infrastructure> | undefined;
  private servicesStarted: Services | undefined;
  private fixturesMade: Fixtures | undefined;
  private linksMade: ResetLinks | undefined;
  private httpMade: HttpClient | undefined;
  private readonly cleanups: (() => Promise<void>)[] = [];
  /** other processes to account CPU to (probes, extra workers), by name */
  private readonly tracked = new Map<string, number>();
  private postgresPids: number[] | undefined;

  constructor(
    readonly quick: boolean,
    /** `--name value` flags from the command line, for scenarios to read */
    readonly flags: Record<string, string>,
    /** V8 CPU profiles of the API and worker processes, summarised at the end (`--profile`) */
    readonly profile = false,
    /** the cluster's Temporal instead of the dev server (`--cluster`) */
    readonly cluster = false,
  ) {
    const seconds = Number(flags['seconds']);
    this.durations = {
      warmupMs: quick ? 1000 : 2000,
      measureMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : quick ? 3000 : 6000,
    };
    this.floors = new Floors({
      dir: this.dir,
      infra: () => this.infra(),
      durations: this.durations,
      log: (m) => this.log(m),
      metered: (load) => metered(this, load),
      track: (name, pid) => this.track(name, pid),
    });
  }

  log(message: string): void {
    process.stderr.write(`${message}\n`);
  }

  /** A numeric flag (`--users 500`), or `fallback`. */
  numberFlag(name: string, fallback: number): number {
    const v = Number(this.flags[name]);
    return Number.isFinite(v) && v > 0 ? v : fallback;
  }

  /** A list flag (`--concurrency 1,4,16`), or `fallback` (`quick` in a --quick run). */
  levels(name: string, full: number[], quick: number[]): number[] {
    const v = this.flags[name];
    if (v) return v.split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
    return this.quick ? quick : full;
  }

  infra(): Promise<Infrastructure> {
    this.infraStarted ??= (async () => {
      this.log(`starting PostgreSQL and ${this.cluster ? "the cluster's Temporal server" : 'the Temporal dev server'} on free ports…`);
      const infra = await startInfrastructure(this.dir, createLogger('bench', 'warn', (l) => process.stderr.write(l + '\n')), { cluster: this.cluster });
      this.cleanups.push(() => infra.stop());
      return infra;
    })();
    return this.infraStarted;
  }

  /**
   * The API and worker processes with `settings` (project defaults where not given), restarted when they
   * differ from what runs; `freshWorker`: a new worker process in any case (its cache and heap empty).
   */
  async services(asked: ServiceSettings = {}, o: { freshWorker?: boolean } = {}): Promise<Services> {
    const infra = await this.infra();
    // --worker-env K=V,K=V: the worker's environment for every scenario of the run (a scenario's own settings win)
    const extra = Object.fromEntries((this.flags['worker-env'] ?? '').split(',').filter(Boolean).map((kv) => kv.split('=', 2) as [string, string]));
    const flags = this.flags['worker-node-flags'];
    const settings: ServiceSettings = {
      ...asked,
      ...(Object.keys(extra).length > 0 ? { worker: { ...extra, ...asked.worker } } : {}),
      ...(flags ? { workerNodeFlags: flags.split(' ').filter(Boolean) } : {}),
    };
    if (!this.servicesStarted) {
      this.servicesStarted = new Services(infra, this.dir, this.profile ? this.profileDir : undefined);
      const s = this.servicesStarted;
      this.cleanups.push(() => s.stop());
    }
    const before = this.servicesStarted.baseUrl;
    await this.servicesStarted.ensure(settings, o);
    if (!before) this.log(`API and worker running (${this.servicesStarted.baseUrl}, logs in ${this.dir})`);
    return this.servicesStarted;
  }

  /** A keep-alive client of the API, with the platform admin key. */
  async http(): Promise<HttpClient> {
    const s = await this.services();
    this.httpMade ??= new HttpClient(s.baseUrl, s.adminKey);
    return this.httpMade;
  }

  async fixtures(): Promise<Fixtures> {
    this.fixturesMade ??= new Fixtures((await this.infra()).pool);
    return this.fixturesMade;
  }

  async resetLinks(): Promise<ResetLinks> {
    this.linksMade ??= new ResetLinks((await this.infra()).sink);
    return this.linksMade;
  }

  /** Account the CPU of `pid` (and its children) to `name` in the windows measured from now on. */
  track(name: string, pid: number): void {
    this.tracked.set(name, pid);
  }

  /**
   * A CPU meter over the processes of this run: the API, the worker, the
   * Temporal server, the embedded PostgreSQL, tracked probes, and the bench
   * itself (its load generator and the mail sink).
   */
  async cpuMeter(): Promise<CpuMeter> {
    const infra = await this.infra();
    this.postgresPids ??= findProcessRoots(path.join(this.dir, 'postgres'));
    return new CpuMeter((): CpuGroups => ({
      ...(this.servicesStarted?.api ? { api: [this.servicesStarted.api.pid] } : {}),
      ...(this.servicesStarted?.worker ? { worker: [this.servicesStarted.worker.pid] } : {}),
      ...Object.fromEntries([...this.tracked].map(([name, pid]) => [name, [pid]])),
      temporal: infra.temporal.process.pid ? [infra.temporal.process.pid] : [],
      postgres: this.postgresPids ?? [],
      // last: whatever the bench started that no group above claimed
      bench: [process.pid],
    }));
  }

  get profileDir(): string {
    return path.join(this.dir, 'profiles');
  }

  /** Stop everything this run started and remove its temp dir (kept with --keep, for the logs). */
  async close(keep: boolean): Promise<void> {
    this.httpMade?.close();
    await this.floors.stop();
    for (const c of this.cleanups.splice(0).reverse()) await c().catch((err) => this.log(`cleanup: ${String(err)}`));
    if (this.profile && fs.existsSync(this.profileDir)) {
      for (const proc of fs.readdirSync(this.profileDir).sort()) {
        for (const f of fs.readdirSync(path.join(this.profileDir, proc)).sort()) {
          this.log(`\nCPU profile of the ${proc} process, ${summarizeProfile(path.join(this.profileDir, proc, f))}`);
        }
      }
      this.log(`profiles kept in ${this.profileDir} (open them in Chrome DevTools)`);
      keep = true;
    }
    if (!keep) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
