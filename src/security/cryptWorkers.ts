import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * The imported hashes whose well-kept libraries are plain JavaScript (bcryptjs,
 * apache-md5's md5-crypt, unixcrypt's sha256-crypt and sha512-crypt) are computed
 * in worker threads, never on the event loop that serves HTTP and Temporal: a
 * bcrypt of cost 15 or a sha512-crypt of 5,000,000 rounds takes seconds.
 * (Node's scrypt, pbkdf2 and argon2 already run on libuv's thread pool.)
 *
 * The workers are started on first use and do not keep the process alive.
 */

export type CryptTask =
  | { kind: 'bcrypt'; password: string; hash: string }
  /** the crypt(3) string the password gives with this salt (`$1$salt$`, `$5$rounds=N$salt`, `$6$…`) */
  | { kind: 'md5-crypt' | 'sha-crypt'; password: string; salt: string };

/** bcrypt: whether it matches; the crypt kinds: the string computed (compared by the caller in constant time). */
export type CryptAnswer = { ok: true; value: boolean | string } | { ok: false; error: string };

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
const req = createRequire(workerData.base);
const bcrypt = req('bcryptjs');
const md5crypt = req('apache-md5');
const unixcrypt = import(workerData.unixcrypt);
parentPort.on('message', async (m) => {
  try {
    let value;
    if (m.task.kind === 'bcrypt') value = bcrypt.compareSync(m.task.password, m.task.hash);
    else if (m.task.kind === 'md5-crypt') value = md5crypt(m.task.password, m.task.salt);
    else value = (await unixcrypt).encrypt(m.task.password, m.task.salt);
    parentPort.postMessage({ id: m.id, answer: { ok: true, value } });
  } catch (err) {
    parentPort.postMessage({ id: m.id, answer: { ok: false, error: String(err && err.message || err) } });
  }
});
`;

/** unixcrypt is an ES module only: its file, found beside bcryptjs (a CommonJS package) in node_modules. */
function unixcryptUrl(): string {
  for (const dir of require.resolve.paths('unixcrypt') ?? []) {
    const manifest = path.join(dir, 'unixcrypt', 'package.json');
    if (!fs.existsSync(manifest)) continue;
    const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { exports?: { '.'?: { import?: { default?: string } } } };
    return pathToFileURL(path.join(dir, 'unixcrypt', pkg.exports?.['.']?.import?.default ?? 'dist/index.js')).href;
  }
  throw new Error('the unixcrypt package is not installed');
}

interface Slot {
  worker: Worker;
  busy: number;
  idle?: NodeJS.Timeout | undefined;
}

/** A worker idle this long is stopped (a sign-in of an imported user is rare: once per user). */
const IDLE_MS = 2000;

class CryptPool {
  private slots: Slot[] = [];
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (a: CryptAnswer) => void; slot: Slot }>();

  constructor(private readonly size: number) {}

  private spawn(): Slot {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { base: __filename, unixcrypt: unixcryptUrl() } });
    const slot: Slot = { worker, busy: 0 };
    worker.unref();
    worker.on('message', (m: { id: number; answer: CryptAnswer }) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      w.slot.busy -= 1;
      if (w.slot.busy === 0) this.stopWhenIdle(w.slot);
      w.resolve(m.answer);
    });
    worker.on('error', (err) => this.fail(slot, String(err)));
    worker.on('exit', () => this.fail(slot, 'the crypt worker exited'));
    return slot;
  }

  private stopWhenIdle(slot: Slot): void {
    clearTimeout(slot.idle);
    slot.idle = setTimeout(() => {
      if (slot.busy > 0) return;
      this.slots = this.slots.filter((s) => s !== slot);
      void slot.worker.terminate();
    }, IDLE_MS);
    slot.idle.unref();
  }

  /** A worker that died answers its pending tasks with an error and is replaced on next use. */
  private fail(slot: Slot, error: string): void {
    this.slots = this.slots.filter((s) => s !== slot);
    for (const [id, w] of this.waiting) {
      if (w.slot !== slot) continue;
      this.waiting.delete(id);
      w.resolve({ ok: false, error });
    }
  }

  run(task: CryptTask): Promise<CryptAnswer> {
    if (this.slots.length < this.size && this.slots.every((s) => s.busy > 0)) this.slots.push(this.spawn());
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    clearTimeout(slot.idle);
    slot.busy += 1;
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, { resolve, slot });
      slot.worker.postMessage({ id, task });
    });
  }
}

let pool: CryptPool | undefined;

/** Run one computation in the crypt worker threads (one per core at most). */
export function runCrypt(task: CryptTask): Promise<CryptAnswer> {
  pool ??= new CryptPool(Math.max(1, Math.min(4, os.availableParallelism())));
  return pool.run(task);
}
