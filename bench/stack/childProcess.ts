import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { PeakRss } from './peakRss';

/** The environment every child starts from: nothing inherited but what a shell needs, so stray TEMPORAL_* or PG_* variables never skew a run. */
export function baseEnv(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'];
  return Object.fromEntries(keep.flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : [])));
}

export interface SpawnedOptions {
  name: string;
  /** node script and its arguments */
  args: string[];
  env: Record<string, string>;
  logFile: string;
  cwd?: string;
}

/**
 * A Node child process of the bench (the API, the worker, a probe) with its
 * output in a log file, a way to wait for a line in that output, and its peak RSS.
 */
export class Spawned {
  readonly child: ChildProcess;
  readonly startedAt = performance.now();
  readonly rss: PeakRss;
  private output = '';
  private readonly waiters: (() => void)[] = [];
  readonly exited: Promise<number | null>;

  constructor(readonly o: SpawnedOptions) {
    const log = fs.openSync(o.logFile, 'a');
    this.child = spawn(process.execPath, o.args, { env: o.env, cwd: o.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      stream.on('data', (chunk: Buffer) => {
        fs.writeSync(log, chunk);
        // keep a tail only: enough to find a readiness line or show why it died
        this.output = (this.output + chunk.toString('utf8')).slice(-64 * 1024);
        for (const w of this.waiters.splice(0)) w();
      });
    }
    // 'close' comes after the last output, so the log is complete when this resolves
    this.exited = new Promise((resolve) => this.child.once('close', (code) => {
      fs.closeSync(log);
      resolve(code);
      for (const w of this.waiters.splice(0)) w();
    }));
    this.rss = new PeakRss(this.child.pid!);
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Resolves with the ms from spawn to the first output line containing `text`. */
  async waitForOutput(text: string, timeoutMs: number): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      if (this.output.includes(text)) return performance.now() - this.startedAt;
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`${this.o.name} exited (${this.child.exitCode ?? this.child.signalCode}) before "${text}"; see ${this.o.logFile}\n${this.output.slice(-2000)}`);
      }
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`${this.o.name}: no "${text}" within ${timeoutMs / 1000} s; see ${this.o.logFile}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1000));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    this.rss.stop();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}
