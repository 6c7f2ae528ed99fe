/**
 * The argon2id floor, in a process of its own (so its peak RSS is the hashing's):
 * hash back to back with `inflight` hashes at once for a fixed time and print one
 * JSON line with the load result. Started by the bench as
 * `node dist/bench/probes/argon2Probe.js '{"memoryCost":19456,"timeCost":2,"parallelism":1,"inflight":2,"warmupMs":1000,"measureMs":5000}'`.
 */
import fs from 'node:fs';
import argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import { closedLoop } from '../load';

export interface Argon2ProbeInput {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
  inflight: number;
  warmupMs: number;
  measureMs: number;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as Argon2ProbeInput;
  const params = { type: argon2.argon2id as 2, memoryCost: input.memoryCost, timeCost: input.timeCost, parallelism: input.parallelism };
  const password = randomBytes(12).toString('base64url');
  let hashes = 0;
  const cpuBefore = process.cpuUsage();
  const result = await closedLoop({
    concurrency: input.inflight,
    warmupMs: input.warmupMs,
    measureMs: input.measureMs,
    op: async () => {
      await argon2.hash(password, params);
      hashes++;
    },
  });
  const cpu = process.cpuUsage(cpuBefore);
  const hwm = fs.readFileSync('/proc/self/status', 'utf8').match(/^VmHWM:\s+(\d+) kB/m);
  process.stdout.write(JSON.stringify({
    ...result,
    peakRssMb: hwm ? Math.round(Number(hwm[1]) / 1024) : null,
    // CPU per hash over every hash (warm-up included): a loaded machine makes each hash cost more, not only wait longer
    cpuMsPerHash: hashes > 0 ? Number(((cpu.user + cpu.system) / 1000 / hashes).toFixed(1)) : null,
  }) + '\n');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
