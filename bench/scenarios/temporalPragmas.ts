import type { RunningDevServer } from '../../dev/temporalCli';
import { connectClient, loadTemporalTarget } from '../../src/temporal/connection';
import { createLogger } from '../../src/log';
import { measureNoop } from '../floors';
import { progress, toRow } from '../rows';
import type { Row, Scenario } from '../scenario';
import { startDevServer } from '../stack/infrastructure';
import type { Spawned } from '../stack/childProcess';

interface Variant {
  name: string;
  pragmas: boolean;
  server?: RunningDevServer;
  worker?: Spawned;
}

/**
 * The Temporal dev server's SQLite pragmas (`journal_mode=wal`, `synchronous=normal`)
 * against SQLite's defaults (rollback journal, `synchronous=full`: an fsync per
 * commit): no-op workflows/s on two fresh file-backed servers, measured in turns.
 */
export const temporalPragmas: Scenario = {
  name: 'temporal-pragmas',
  summary: 'no-op workflows/s on a file-backed dev server with the SQLite pragmas vs without (two fresh servers, measured in turns)',
  flags: { concurrency: 'levels, e.g. 8,32' },
  async run(ctx) {
    const log = createLogger('bench', 'warn', (l) => process.stderr.write(l + '\n'));
    const variants: Variant[] = [
      { name: 'with the SQLite pragmas', pragmas: true },
      { name: 'without (SQLite defaults)', pragmas: false },
    ];
    const rows: Row[] = [];
    try {
      await Promise.all(variants.map(async (v) => {
        v.server = await startDevServer(ctx.dir, `temporal-pragmas-${v.pragmas ? 'on' : 'off'}`, log, v.pragmas);
        v.worker = await ctx.floors.startNoopWorker(v.server.address, 'bench-noop', `noop-worker-pragmas-${v.pragmas ? 'on' : 'off'}`);
      }));
      for (const c of ctx.levels('concurrency', [8, 32], [8])) {
        const measured = [];
        for (const v of variants) {
          const client = await connectClient(loadTemporalTarget({ TEMPORAL_ADDRESS: v.server!.address }));
          try {
            ctx.log(`  no-op workflows ${v.name}, ${c} at once…`);
            measured.push(await measureNoop(client, 'bench-noop', v.worker!, c, ctx.durations));
          } finally {
            await client.connection.close();
          }
        }
        const [on, off] = measured as [typeof measured[0], typeof measured[0]];
        for (const [v, m] of [[variants[0]!, on], [variants[1]!, off]] as const) {
          const row = toRow({
            name: `dev server ${v.name}: no-op workflow, ${c} at once`, unit: 'workflows/s', result: m, rss: m.peakRssMb, concurrency: c,
            ...(v.pragmas ? {} : { floor: on.throughput, floorNote: 'the same with the pragmas' }),
          });
          progress(ctx, row);
          rows.push(row);
        }
      }
    } finally {
      await Promise.all(variants.map(async (v) => {
        await v.worker?.stop();
        await v.server?.stop();
      }));
    }
    return rows;
  },
};
