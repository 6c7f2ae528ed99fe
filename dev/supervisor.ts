import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import readline from 'node:readline';
import { tiedToThisProcess } from './binaries';

/**
 * One long-running child process of a launcher (`npm start`, `npm run cluster`), kept running:
 * when it exits without being asked to, it is started again after a back-off (1 s, doubling to
 * 30 s, back to 1 s once an instance has run for a minute), with a line saying so, as Docker's
 * `restart: unless-stopped` does. The child gets SIGTERM when the launcher dies, however it
 * dies (Linux), and runs in its own process group, so Ctrl-C reaches only the launcher, which
 * stops its children in order.
 */
export interface SupervisedOptions {
  name: string;
  command: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** when a started instance counts as ready: `readyLine` on its output, else `probe` answering */
  readyLine?: string;
  probe?: () => Promise<boolean>;
  /** every line the child writes (stdout and stderr) */
  output: (name: string, line: string) => void;
  /** the supervisor's own lines: exits and restarts */
  say: (line: string) => void;
  readyTimeoutMs?: number;
  backoff?: { initialMs: number; maxMs: number; resetAfterMs: number };
  stopTimeoutMs?: number;
}

export interface ExitRecord {
  at: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  ranMs: number;
  expected: boolean;
}

const DEFAULT_BACKOFF = { initialMs: 1000, maxMs: 30_000, resetAfterMs: 60_000 };

export class SupervisedProcess extends EventEmitter {
  readonly name: string;
  /** unexpected exits followed by a restart */
  restarts = 0;
  readonly exits: ExitRecord[] = [];
  private child: ChildProcess | undefined;
  private startedAt = 0;
  private stopping = false;
  private delayMs: number;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly backoff: { initialMs: number; maxMs: number; resetAfterMs: number };

  constructor(private readonly o: SupervisedOptions) {
    super();
    this.name = o.name;
    this.backoff = o.backoff ?? DEFAULT_BACKOFF;
    this.delayMs = this.backoff.initialMs;
  }

  /** the current instance's pid, while one runs */
  get pid(): number | undefined {
    return this.alive ? this.child?.pid : undefined;
  }

  get alive(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Start the first instance and resolve once it is ready. */
  async start(): Promise<void> {
    this.stopping = false;
    await this.spawnOne();
  }

  /** Resolves when the next instance (after an exit) is ready. */
  nextReady(timeoutMs = 120_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('ready', onReady);
        reject(new Error(`${this.name} was not ready again within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      this.once('ready', onReady);
    });
  }

  /** Send a signal to the running instance (it is restarted when it exits, unless stopping). */
  signal(sig: NodeJS.Signals): boolean {
    const child = this.child;
    if (!child || !this.alive) return false;
    return child.kill(sig);
  }

  /** Stop for good: SIGTERM, then SIGKILL after `stopTimeoutMs`; no restart. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || !this.alive) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), this.o.stopTimeoutMs ?? 20_000);
    await exited;
    clearTimeout(timer);
  }

  private async spawnOne(): Promise<void> {
    const [command, args] = tiedToThisProcess(this.o.command, this.o.args);
    const child = spawn(command, args, { env: this.o.env, cwd: this.o.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child = child;
    this.startedAt = Date.now();
    let ready = false;
    let markReady: () => void = () => undefined;
    const readyPromise = new Promise<void>((resolve) => (markReady = resolve));
    const onLine = (line: string) => {
      this.o.output(this.name, line);
      if (!ready && this.o.readyLine && line.includes(this.o.readyLine)) markReady();
    };
    readline.createInterface({ input: child.stdout! }).on('line', onLine);
    readline.createInterface({ input: child.stderr! }).on('line', onLine);
    const exited = new Promise<void>((resolve) => {
      child.once('error', (err) => {
        this.o.say(`${this.name} could not be started: ${String(err)}`);
        resolve();
      });
      child.once('exit', (code, signal) => {
        this.onExit(child, code, signal);
        resolve();
      });
    });
    if (this.o.probe && !this.o.readyLine) void this.probeUntilReady(child).then(markReady, () => undefined);
    const timeoutMs = this.o.readyTimeoutMs ?? 120_000;
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      readyPromise.then(() => 'ready' as const),
      exited.then(() => 'exited' as const),
      new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (outcome === 'ready') {
      ready = true;
      this.emit('ready', child.pid);
      return;
    }
    if (outcome === 'timeout') throw new Error(`${this.name} was not ready within ${timeoutMs / 1000} s`);
    throw new Error(`${this.name} exited while starting (${child.exitCode ?? child.signalCode})`);
  }

  private async probeUntilReady(child: ChildProcess): Promise<void> {
    while (child.exitCode === null && child.signalCode === null) {
      if (await this.o.probe!().catch(() => false)) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('exited');
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child) return;
    const ranMs = Date.now() - this.startedAt;
    const expected = this.stopping;
    this.exits.push({ at: Date.now(), code, signal, ranMs, expected });
    this.emit('exit', { code, signal, expected });
    if (expected) return;
    if (ranMs >= this.backoff.resetAfterMs) this.delayMs = this.backoff.initialMs;
    const delay = this.delayMs;
    this.delayMs = Math.min(this.delayMs * 2, this.backoff.maxMs);
    this.restarts++;
    const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
    this.o.say(`${this.name} ${how} after ${(ranMs / 1000).toFixed(1)} s; restarting in ${(delay / 1000).toFixed(delay < 1000 ? 1 : 0)} s (restart ${this.restarts})`);
    this.restartTimer = setTimeout(() => {
      if (this.stopping) return;
      this.spawnOne().then(
        () => this.o.say(`${this.name} is back (pid ${this.child?.pid})`),
        (err) => this.o.say(`${this.name} did not come back: ${String(err instanceof Error ? err.message : err)}`),
      );
    }, delay);
  }
}
