/**
 * `npm run bench`: how fast resetflow does its job on this machine, each figure
 * beside its physical floor measured in the same run. Progress on stderr; the
 * table (or with --json one JSON object) on stdout. Never part of `npm test`.
 */
import os from 'node:os';
import { parseArgs } from './cli';
import { BenchContext } from './context';
import { describeMachine } from './machine';
import { markdown, type Report } from './report';
import type { Row } from './scenario';
import { SCENARIOS } from './scenarios';

const USAGE = `usage: npm run bench -- [scenario…] [--quick] [--json] [--keep] [--profile] [--seconds N] [--cluster] [--<flag> <value>…]

  (no scenario)  every scenario in the default run, floors first
  --quick        shorter windows and fewer levels: a smoke check
  --json         one JSON object on stdout: { machine, date, scenarios: [...] }
                 (npm prints its own banner first: use npm run -s bench -- --json to pipe it)
  --keep         keep the temp dir (process logs) and print where it is
  --seconds N    length of each measured window (default 6, --quick 3)
  --profile      V8 CPU profiles of the API and worker processes, summarised at the end (kept)
  --cluster      against the cluster's Temporal (temporal-server on PostgreSQL, as npm run cluster
                 and docker-compose.yml run it) instead of the dev server
  --worker-env K=V,…  the worker's environment for every scenario (e.g. WORKER_MAX_CACHED_WORKFLOWS=2000)
  --worker-node-flags "…"  node's flags for the worker instead of src/paths.ts WORKER_NODE_FLAGS
  --list         the scenarios and their flags`;

function list(): string {
  return SCENARIOS.map((s) =>
    `  ${s.name.padEnd(20)} ${s.summary}${s.inDefaultRun === false ? ' (only when named)' : ''}` +
    Object.entries(s.flags ?? {}).map(([f, help]) => `\n  ${''.padEnd(20)}   --${f} ${help}`).join(''),
  ).join('\n');
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(`${USAGE}\n\nscenarios:\n${list()}\n`);
    return 0;
  }
  if (args.list) {
    process.stdout.write(`${list()}\n`);
    return 0;
  }
  const unknown = args.scenarios.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length > 0) {
    process.stderr.write(`unknown scenario: ${unknown.join(', ')}\nscenarios:\n${list()}\n`);
    return 2;
  }
  const selected = args.scenarios.length > 0
    ? SCENARIOS.filter((s) => args.scenarios.includes(s.name))
    : SCENARIOS.filter((s) => s.inDefaultRun !== false);

  const machine = describeMachine();
  const report: Report = { machine, date: new Date().toISOString(), quick: args.quick, temporal: args.cluster ? 'cluster' : 'dev server', scenarios: [] };
  const ctx = new BenchContext(args.quick, args.flags, args.profile, args.cluster);
  const started = Date.now();
  let failed = false;
  const stop = () => {
    process.stderr.write('\ninterrupted: stopping what the bench started…\n');
    void ctx.close(args.keep).finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    for (const s of selected) {
      ctx.log(`\n== ${s.name}: ${s.summary}`);
      const t0 = Date.now();
      try {
        const rows: Row[] = await s.run(ctx);
        report.scenarios.push(...rows);
      } catch (err) {
        failed = true;
        ctx.log(`!! ${s.name} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      }
      ctx.log(`   (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    }
  } finally {
    await ctx.close(args.keep);
  }
  machine.loadAverage.end = Number(os.loadavg()[0]!.toFixed(2));
  ctx.log(`\nbench finished in ${((Date.now() - started) / 1000).toFixed(0)} s${args.keep ? `; logs in ${ctx.dir}` : ''}`);
  process.stdout.write(args.json ? JSON.stringify(report, null, 2) + '\n' : markdown(report));
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  },
);
