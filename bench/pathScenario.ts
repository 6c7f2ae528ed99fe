import type { BenchContext } from './context';
import type { Fixtures } from './fixtures';
import type { HttpClient } from './httpClient';
import { measurePath, type Composition, type LevelFloor } from './pathLevels';
import type { Row, Scenario } from './scenario';

/** One concurrency level of a path scenario, as its `prepare` sees it. */
export interface PathLevel {
  c: number;
  /** the level's floor, measured on first call (so `prepare` decides whether before or after its fixtures) and then kept */
  floor: () => Promise<LevelFloor>;
  http: HttpClient;
  fixtures: Fixtures;
  tenant: string;
}

/**
 * The shape every path scenario shares: one tenant, then for each concurrency
 * level a floor measured in the same run, fresh fixtures, and one closed-loop
 * window of the path's request against that floor.
 */
export function pathScenario(o: {
  name: string;
  summary: string;
  levels: { full: number[]; quick: number[] };
  /** the row's name at `c` in flight */
  rowName: (c: number) => string;
  floor: (ctx: BenchContext, c: number) => Promise<LevelFloor>;
  /** the path's Temporal shape and argon2id runs, for its composed floor (none: a path with no workflow) */
  composition?: Composition;
  /** the request to repeat, with whatever fixtures it needs (untimed); a floor not asked for here is measured right after */
  prepare: (ctx: BenchContext, level: PathLevel) => Promise<(slot: number) => Promise<void>>;
}): Scenario {
  return {
    name: o.name,
    summary: o.summary,
    flags: { concurrency: `levels, e.g. ${o.levels.full.join(',')}` },
    async run(ctx) {
      const http = await ctx.http();
      const fixtures = await ctx.fixtures();
      const tenant = await fixtures.tenant();
      const rows: Row[] = [];
      for (const c of ctx.levels('concurrency', o.levels.full, o.levels.quick)) {
        let measured: Promise<LevelFloor> | undefined;
        const floor = () => (measured ??= o.floor(ctx, c));
        const op = await o.prepare(ctx, { c, floor, http, fixtures, tenant });
        rows.push(await measurePath(ctx, { name: o.rowName(c), c, floor: await floor(), ...(o.composition ? { composition: o.composition } : {}), op }));
      }
      return rows;
    },
  };
}
