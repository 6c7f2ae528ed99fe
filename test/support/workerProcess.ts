import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { WORKER_NODE_FLAGS } from '../../src/paths';
import type { TestEnv } from './env';

/** The real worker process (dist/worker.js, built by `npm test`) for this test env, resolved once it polls. */
export async function startWorkerProcess(env: TestEnv, extraEnv: Record<string, string> = {}): Promise<ChildProcess> {
  const script = path.join(__dirname, '..', '..', 'dist', 'worker.js');
  if (!fs.existsSync(script)) throw new Error('dist/worker.js is missing: run the tests with `npm test`, which builds first');
  const child = spawn(process.execPath, [...WORKER_NODE_FLAGS, script], {
    env: { ...process.env, ...env.processEnv(), ...extraEnv, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('"worker polling"')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
  return child;
}

export async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}
