import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../../dev/freePort';
import type { TestEnv } from './env';

/**
 * The real API process (dist/src/api/server.js, built by `npm test`) for this test env, on a free port,
 * resolved once it listens. Its links point at itself (PUBLIC_URL).
 */
export async function startApiProcess(env: TestEnv, extraEnv: Record<string, string> = {}): Promise<{ child: ChildProcess; baseUrl: string }> {
  const script = path.join(__dirname, '..', '..', 'dist', 'src', 'api', 'server.js');
  if (!fs.existsSync(script)) throw new Error('dist/src/api/server.js is missing: run the tests with `npm test`, which builds first');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env.processEnv(), PORT: String(port), PUBLIC_URL: baseUrl, ...extraEnv, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('"api listening"')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`api exited with ${code}: ${stderr}`)));
  });
  return { child, baseUrl };
}
