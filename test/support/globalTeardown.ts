import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const stops = (globalThis as { __resetflowStops?: (() => Promise<void>)[] }).__resetflowStops ?? [];
  await Promise.allSettled(stops.reverse().map((stop) => stop()));
  const dir = process.env['RESETFLOW_TEST_DIR'];
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
