import type { Scenario, Row } from '../scenario';
import { progress, toRow } from '../rows';
import { NOOP_LEVELS } from './levels';

/** Scenario 1: what the hardware and Temporal allow, measured before anything that is judged against it. */
export const floors: Scenario = {
  name: 'floors',
  summary: 'argon2id hashes/s (project parameters) at 1, 2, 4 in flight; PostgreSQL single-row commits/s; no-op workflow (one activity) completions/s',
  async run(ctx) {
    const rows: Row[] = [];
    const add = (row: Row) => {
      rows.push(row);
      progress(ctx, row);
    };
    for (const k of [1, 2, 4]) {
      const m = await ctx.floors.argon2(k);
      const row = toRow({ name: `floor: argon2id hash, ${k} in flight`, unit: 'hashes/s', result: m, rss: m.peakRssMb, concurrency: k });
      add(m.cpuMsPerHash ? { ...row, cpuMsPerOp: { probe: m.cpuMsPerHash } } : row);
    }
    for (const c of [1, 10]) {
      const m = await ctx.floors.pgCommits(c);
      add(toRow({ name: `floor: PostgreSQL single-row commit, ${c} at once`, unit: 'commits/s', result: m, concurrency: c, ...(m.cpu ? { cpu: m.cpu } : {}) }));
    }
    for (const c of ctx.levels('concurrency', NOOP_LEVELS.full, NOOP_LEVELS.quick)) {
      const m = await ctx.floors.noopWorkflow(c);
      add(toRow({ name: `floor: no-op workflow, ${c} at once`, unit: 'workflows/s', result: m, rss: m.peakRssMb, concurrency: c, ...(m.cpu ? { cpu: m.cpu } : {}) }));
    }
    return rows;
  },
};
