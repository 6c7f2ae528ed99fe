import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SupervisedProcess } from '../dev/supervisor';

/** A child that says it is ready, then exits with `code` after `ms` (or never, when ms < 0). */
const child = (code: number, ms: number) => ['-e', `console.log('child ready'); ${ms >= 0 ? `setTimeout(() => process.exit(${code}), ${ms})` : 'setInterval(() => {}, 1000)'}`];

/** Running, not merely a zombie waiting for its new parent to reap it. */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('the launchers keep their worker and API processes running (dev/supervisor.ts)', () => {
  test('a child that exits is started again after a back-off that doubles, with a line saying so; stop() ends it for good', async () => {
    const lines: string[] = [];
    const p = new SupervisedProcess({
      name: 'worker', command: process.execPath, args: child(3, 300), env: process.env, readyLine: 'child ready',
      output: () => undefined, say: (l) => lines.push(l), backoff: { initialMs: 200, maxMs: 1000, resetAfterMs: 60_000 },
    });
    await p.start();
    await p.nextReady();
    await p.nextReady();
    expect(lines.filter((l) => l.includes('restarting'))).toEqual([
      expect.stringMatching(/^worker exited with code 3 after 0\.\d s; restarting in 0\.2 s \(restart 1\)$/),
      expect.stringMatching(/^worker exited with code 3 after 0\.\d s; restarting in 0\.4 s \(restart 2\)$/),
    ]);
    expect(p.exits.slice(0, 2).map((e) => e.code)).toEqual([3, 3]);
    await p.stop();
    const restarts = p.restarts;
    await new Promise((r) => setTimeout(r, 800));
    expect(p.restarts).toBe(restarts);
    expect(p.alive).toBe(false);
  });

  test('a child killed by a signal is started again; one that keeps running is ready once', async () => {
    const lines: string[] = [];
    const p = new SupervisedProcess({
      name: 'api', command: process.execPath, args: child(0, -1), env: process.env, readyLine: 'child ready',
      output: () => undefined, say: (l) => lines.push(l), backoff: { initialMs: 100, maxMs: 1000, resetAfterMs: 60_000 },
    });
    await p.start();
    const first = p.pid!;
    const back = p.nextReady();
    p.signal('SIGKILL');
    await back;
    expect(p.pid).not.toBe(first);
    expect(lines[0]).toMatch(/^api killed by SIGKILL after \d+\.\d s; restarting in 0\.1 s \(restart 1\)$/);
    await p.stop();
  });

  test('the children of a launcher killed with SIGKILL do not outlive it (Linux)', async () => {
    if (process.platform !== 'linux') return;
    const launcher = `
      const { SupervisedProcess } = require(${JSON.stringify(path.join(__dirname, '..', 'dist', 'dev', 'supervisor.js'))});
      const p = new SupervisedProcess({ name: 'c', command: process.execPath, args: ${JSON.stringify(child(0, -1))}, env: process.env,
        readyLine: 'child ready', output: () => {}, say: () => {} });
      p.start().then(() => console.log('pid ' + p.pid));`;
    const parent = spawn(process.execPath, ['-e', launcher], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = await new Promise<number>((resolve) => parent.stdout!.on('data', (c: Buffer) => {
      const m = /pid (\d+)/.exec(c.toString());
      if (m) resolve(Number(m[1]));
    }));
    expect(alive(pid)).toBe(true);
    parent.kill('SIGKILL');
    const deadline = Date.now() + 5000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(alive(pid)).toBe(false);
  });
});
