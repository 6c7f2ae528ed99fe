import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import { bundleWorkflowCode } from '@temporalio/worker';
import { searchAttributes } from '../src/contract/searchAttributes';
import { ARGON2_PARAMS } from '../src/security/passwordHashing';
import type { Argon2ProbeInput } from './probes/argon2Probe';
import { completeUpdate, firstStepUpdate } from './probes/shapeUpdates';
import { closedLoop, OutOfFixtures, type LoadOptions, type LoadResult } from './load';
import { baseEnv, Spawned } from './stack/childProcess';
import type { CpuUsage } from './stack/cpuMeter';
import type { Infrastructure } from './stack/infrastructure';

export interface Measured extends LoadResult {
  /** MiB, the process doing the work; null where that is not one process (PostgreSQL) */
  peakRssMb: number | null;
  /** where the CPU went, when measured against the bench's servers */
  cpu?: CpuUsage;
  /** argon2 probes: CPU ms per hash in the probe process */
  cpuMsPerHash?: number | null;
}

/** Runs a load with CPU accounted over its measured window (BenchContext provides it). */
export type Metered = (load: (window: LoadOptions['window']) => Promise<LoadResult>) => Promise<{ result: LoadResult; cpu: CpuUsage }>;

export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export const PROJECT_ARGON2: Argon2Params = {
  memoryCost: ARGON2_PARAMS.memoryCost,
  timeCost: ARGON2_PARAMS.timeCost,
  parallelism: ARGON2_PARAMS.parallelism,
};

export const NOOP_TASK_QUEUE = 'bench-noop';

/**
 * The Temporal shape of each path (bench/probes/noopWorkflows.ts): the same calls
 * from the client, the same activities, updates and timers, doing nothing.
 */
export const SHAPES = {
  temporaryPassword: 'path 2: update-with-start answered after the first of 2 activities, then a lapse timer',
  resetEmailStart: 'path 1 start: update-with-start answered after the first of 3 activities, then a wait',
  resetEmailComplete: 'path 1 completion: an update running 1 activity on a waiting workflow, which then ends with a search attribute upserted',
  forceReset: 'path 3: a workflow executed with 1 local activity',
} as const;
export type Shape = keyof typeof SHAPES;

/**
 * The physical floors every path is judged against, each measured at most once
 * per run (memoised), so a scenario run alone measures the floors it needs in
 * the same invocation and a full run measures each once.
 */
export class Floors {
  private readonly memo = new Map<string, Promise<Measured>>();
  private noopWorker: Promise<Spawned> | undefined;
  private noopBundle: Promise<string> | undefined;
  private probes = 0;

  constructor(
    private readonly o: {
      dir: string;
      infra: () => Promise<Infrastructure>;
      durations: { warmupMs: number; measureMs: number };
      log: (msg: string) => void;
      metered: Metered;
      track: (name: string, pid: number) => void;
    },
  ) {}

  /** Memoised by `key`; `fresh` measures again (and keeps that one). */
  private once(key: string, measure: () => Promise<Measured>, fresh = false): Promise<Measured> {
    let m = fresh ? undefined : this.memo.get(key);
    if (!m) {
      m = measure();
      this.memo.set(key, m);
    }
    return m;
  }

  /** argon2id hashes/s with `params` and `inflight` hashes at once, in a process of its own. */
  argon2(inflight: number, params: Argon2Params = PROJECT_ARGON2, o: { measureMs?: number; env?: Record<string, string>; fresh?: boolean } = {}): Promise<Measured> {
    const key = `argon2:${params.memoryCost},${params.timeCost},${params.parallelism}:${inflight}:${o.measureMs ?? ''}:${JSON.stringify(o.env ?? {})}`;
    return this.once(key, async () => {
      this.o.log(`  floor: argon2id m=${params.memoryCost} t=${params.timeCost} p=${params.parallelism}, ${inflight} in flight`);
      const input: Argon2ProbeInput = { ...params, inflight, warmupMs: this.o.durations.warmupMs, measureMs: o.measureMs ?? this.o.durations.measureMs };
      const logFile = path.join(this.o.dir, `argon2-probe-${++this.probes}.log`);
      const probe = new Spawned({
        name: 'argon2 probe',
        args: [path.join(__dirname, 'probes', 'argon2Probe.js'), JSON.stringify(input)],
        // the libuv pool must hold every hash in flight, or the floor would measure queueing
        env: { ...baseEnv(), UV_THREADPOOL_SIZE: String(Math.max(4, inflight)), ...o.env },
        logFile,
      });
      const code = await probe.exited;
      probe.rss.stop();
      const line = fs.readFileSync(logFile, 'utf8').trim().split('\n').pop() ?? '';
      if (code !== 0) throw new Error(`argon2 probe failed (${code}): ${line}`);
      return JSON.parse(line) as Measured;
    }, o.fresh);
  }

  /**
   * The argon2id floor of a path with `concurrency` requests in flight, measured
   * now (paired with the path's own window, so both see the same background
   * load): the rate with min(concurrency, cores) hashes at once, since more than
   * one hash per core buys no throughput (the floors scenario shows 4 vs 2).
   */
  argon2For(concurrency: number): Promise<Measured> {
    return this.argon2(Math.min(concurrency, os.availableParallelism()), PROJECT_ARGON2, { fresh: true });
  }

  /** Single-row INSERT commits/s on the bench's PostgreSQL, `concurrency` connections at once. */
  pgCommits(concurrency: number): Promise<Measured> {
    return this.once(`pg:${concurrency}`, async () => {
      this.o.log(`  floor: PostgreSQL single-row commits, ${concurrency} at once`);
      const { pool } = await this.o.infra();
      await pool.query('CREATE TABLE IF NOT EXISTS bench_commits (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), payload text NOT NULL)');
      const { result, cpu } = await this.o.metered((window) => closedLoop({
        concurrency,
        ...this.o.durations,
        ...(window ? { window } : {}),
        op: async () => {
          await pool.query('INSERT INTO bench_commits (payload) VALUES ($1)', ['x']);
        },
      }));
      return { ...result, peakRssMb: null, cpu };
    });
  }

  private async noopBundlePath(): Promise<string> {
    this.noopBundle ??= (async () => {
      const { code } = await bundleWorkflowCode({
        workflowsPath: require.resolve('./probes/noopWorkflows'),
        logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
      });
      const file = path.join(this.o.dir, 'noop-workflow-bundle.js');
      fs.writeFileSync(file, code);
      return file;
    })();
    return this.noopBundle;
  }

  /** Environment of a no-op worker process on `taskQueue` of the given Temporal server. */
  async noopWorkerEnv(temporalAddress: string, taskQueue: string): Promise<Record<string, string>> {
    return { ...baseEnv(), TEMPORAL_ADDRESS: temporalAddress, BENCH_TASK_QUEUE: taskQueue, BENCH_WORKFLOW_BUNDLE: await this.noopBundlePath() };
  }

  async startNoopWorker(temporalAddress: string, taskQueue: string, name = 'noop-worker'): Promise<Spawned> {
    const worker = new Spawned({
      name,
      args: [path.join(__dirname, 'probes', 'noopWorker.js')],
      env: await this.noopWorkerEnv(temporalAddress, taskQueue),
      logFile: path.join(this.o.dir, `${name}.log`),
    });
    await worker.waitForOutput('noop worker polling', 60_000);
    return worker;
  }

  /** The no-op worker of the run's floors, started on first use, its CPU accounted as `noop-worker`. */
  private async sharedNoopWorker(): Promise<{ infra: Infrastructure; worker: Spawned }> {
    const infra = await this.o.infra();
    this.noopWorker ??= this.startNoopWorker(infra.temporal.address, NOOP_TASK_QUEUE);
    const worker = await this.noopWorker;
    this.o.track('noop-worker', worker.pid);
    return { infra, worker };
  }

  /**
   * No-op workflow (one activity) completions/s, `concurrency` executions at
   * once, on the bench's Temporal server with a worker process of its own.
   */
  noopWorkflow(concurrency: number, o: { fresh?: boolean } = {}): Promise<Measured> {
    return this.once(`noop:${concurrency}`, async () => {
      const { infra, worker } = await this.sharedNoopWorker();
      this.o.log(`  floor: no-op workflow with one activity, ${concurrency} at once`);
      return measureNoop(infra.client, NOOP_TASK_QUEUE, worker, concurrency, this.o.durations, this.o.metered);
    }, o.fresh);
  }

  /**
   * The no-op workflow with the Temporal shape of a path (`SHAPES`), `concurrency` at
   * once, through the same kind of client calls as the API makes (ids, search
   * attributes, summaries, conflict policies), served by the no-op worker process.
   */
  shape(shape: Shape, concurrency: number): Promise<Measured> {
    return this.once(`shape:${shape}:${concurrency}`, async () => {
      const { infra, worker } = await this.sharedNoopWorker();
      this.o.log(`  floor: no-op workflow shaped as ${SHAPES[shape]}, ${concurrency} at once`);
      return measureShape(infra.client, NOOP_TASK_QUEUE, worker, shape, concurrency, this.o.durations, this.o.metered);
    });
  }

  async stop(): Promise<void> {
    if (this.noopWorker) await (await this.noopWorker.catch(() => undefined))?.stop();
  }
}

/** Closed loop of no-op workflow executions through `client`, served by `worker`. */
export async function measureNoop(
  client: Infrastructure['client'],
  taskQueue: string,
  worker: Spawned,
  concurrency: number,
  durations: { warmupMs: number; measureMs: number },
  metered?: Metered,
): Promise<Measured> {
  return measureLoop(worker, concurrency, durations, async () => {
    await client.workflow.execute('noopWorkflow', { taskQueue, workflowId: `noop-${randomUUID()}` });
  }, metered);
}

/** `op` in a closed loop at `concurrency`, with the no-op worker's peak RSS over it (and CPU, when `metered`). */
async function measureLoop(worker: Spawned, concurrency: number, durations: { warmupMs: number; measureMs: number }, op: () => Promise<void>, metered?: Metered): Promise<Measured> {
  worker.rss.reset();
  const load = (window?: LoadOptions['window']) => closedLoop({ concurrency, ...durations, ...(window ? { window } : {}), op });
  if (!metered) return { ...(await load()), peakRssMb: worker.rss.peakMb() };
  const { result, cpu } = await metered(load);
  return { ...result, peakRssMb: worker.rss.peakMb(), cpu };
}

const ONCE = { workflowIdConflictPolicy: 'USE_EXISTING', workflowIdReusePolicy: 'REJECT_DUPLICATE' } as const;

function shapeStart(workflowType: string, taskQueue: string, withResetId: boolean): WithStartWorkflowOperation<() => Promise<void>> {
  const id = randomUUID();
  const attrs: SearchAttributePair[] = [
    { key: searchAttributes.tenantId, value: 'bench' },
    { key: searchAttributes.userId, value: id },
    { key: searchAttributes.resetPath, value: withResetId ? 'reset_email' : 'temporary_password' },
    ...(withResetId ? [{ key: searchAttributes.resetId, value: id }, { key: searchAttributes.resetState, value: 'pending' }] as SearchAttributePair[] : []),
  ];
  return new WithStartWorkflowOperation<() => Promise<void>>(workflowType, {
    taskQueue, workflowId: `shape-${id}`, typedSearchAttributes: attrs, staticSummary: `bench shape for ${id}`, ...ONCE,
  });
}

/** Closed loop of one path's no-op shape through `client`, served by `worker`. */
export async function measureShape(
  client: Infrastructure['client'],
  taskQueue: string,
  worker: Spawned,
  shape: Shape,
  concurrency: number,
  durations: { warmupMs: number; measureMs: number },
  metered: Metered,
): Promise<Measured> {
  const startReset = async () => {
    const start = shapeStart('shapeResetEmail', taskQueue, true);
    await client.workflow.executeUpdateWithStart(firstStepUpdate, { startWorkflowOperation: start });
    return start.workflowHandle();
  };
  let op: () => Promise<void>;
  if (shape === 'temporaryPassword') {
    op = async () => {
      await client.workflow.executeUpdateWithStart(firstStepUpdate, { startWorkflowOperation: shapeStart('shapeTemporaryPassword', taskQueue, false) });
    };
  } else if (shape === 'resetEmailStart') {
    op = async () => {
      await startReset();
    };
  } else if (shape === 'resetEmailComplete') {
    // waiting workflows started beforehand (untimed), as the path's links are issued beforehand
    const needed = Math.ceil((200 * (durations.warmupMs + durations.measureMs)) / 1000);
    const waiting: string[] = [];
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (waiting.length < needed) waiting.push((await startReset()).workflowId);
    }));
    let next = 0;
    op = async () => {
      const workflowId = waiting[next++];
      if (!workflowId) throw new OutOfFixtures('no waiting workflows left');
      await client.workflow.getHandle(workflowId).executeUpdate(completeUpdate);
    };
  } else {
    op = async () => {
      await client.workflow.execute('shapeForceReset', {
        taskQueue, workflowId: `shape-${randomUUID()}`, staticSummary: 'bench shape', ...ONCE,
        typedSearchAttributes: [{ key: searchAttributes.resetPath, value: 'force_reset' }],
      });
    };
  }
  return measureLoop(worker, concurrency, durations, op, metered);
}
