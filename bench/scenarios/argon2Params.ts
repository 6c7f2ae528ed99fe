import os from 'node:os';
import { PROJECT_ARGON2, type Argon2Params } from '../floors';
import { progress, toRow } from '../rows';
import type { Row, Scenario } from '../scenario';

interface Candidate extends Argon2Params {
  source: string;
  /** measured only in a full run, one hash at a time (2 GiB a hash) */
  heavy?: boolean;
}

/**
 * The argon2id parameter sets the guidance offers. OWASP's five are equally
 * strong against an attacker (same time × memory product, trading one for the
 * other); RFC 9106's two are its recommendations for when the hardware allows.
 */
export const ARGON2_CANDIDATES: Candidate[] = [
  { source: 'OWASP 1', memoryCost: 47_104, timeCost: 1, parallelism: 1 },
  { source: 'OWASP 2', memoryCost: 19_456, timeCost: 2, parallelism: 1 },
  { source: 'OWASP 3', memoryCost: 12_288, timeCost: 3, parallelism: 1 },
  { source: 'OWASP 4', memoryCost: 9_216, timeCost: 4, parallelism: 1 },
  { source: 'OWASP 5', memoryCost: 7_168, timeCost: 5, parallelism: 1 },
  { source: 'RFC 9106 second', memoryCost: 65_536, timeCost: 3, parallelism: 4 },
  { source: 'RFC 9106 first', memoryCost: 2_097_152, timeCost: 1, parallelism: 4, heavy: true },
];

/**
 * Candidate argon2id parameters side by side: hashes/s with one hash per core in
 * flight (what a busy service gets), latency of one hash, memory. The project's
 * set is measured between every two candidates' turns, not once, so background
 * load drifting during the run does not favour one candidate.
 */
export const argon2Params: Scenario = {
  name: 'argon2-params',
  summary: "argon2id candidates (OWASP's five, RFC 9106's two) side by side: hashes/s with one per core in flight, latency, memory",
  async run(ctx) {
    const inflight = os.availableParallelism();
    const rows: Row[] = [];
    const isProject = (c: Argon2Params) =>
      c.memoryCost === PROJECT_ARGON2.memoryCost && c.timeCost === PROJECT_ARGON2.timeCost && c.parallelism === PROJECT_ARGON2.parallelism;
    // shorter windows than the paths': CPU per hash, the figure that decides, settles fast
    const measureMs = Math.min(ctx.durations.measureMs, 4000);
    for (const c of ARGON2_CANDIDATES) {
      if (c.heavy && ctx.quick) continue;
      const label = `argon2id m=${c.memoryCost} t=${c.timeCost} p=${c.parallelism} (${c.source}${isProject(c) ? ', current' : ''})`;
      // the reference: the project's parameters, measured again right before each candidate
      const reference = isProject(c) ? undefined : await ctx.floors.argon2(inflight, PROJECT_ARGON2, { fresh: true, measureMs });
      const k = c.heavy ? 1 : inflight;
      const m = await ctx.floors.argon2(k, c, { fresh: true, measureMs: c.heavy ? 8000 : measureMs });
      const row = toRow({
        name: `${label}, ${k} in flight`, unit: 'hashes/s', result: m, rss: m.peakRssMb, concurrency: k,
        ...(reference ? { floor: reference.throughput, floorNote: `the current parameters, ${inflight} in flight, measured just before` } : {}),
      });
      const withCpu = m.cpuMsPerHash ? { ...row, cpuMsPerOp: { probe: m.cpuMsPerHash } } : row;
      progress(ctx, withCpu);
      rows.push(withCpu);
    }
    return rows;
  },
};
