import type { Machine } from './machine';
import type { Row } from './scenario';

export interface Report {
  machine: Machine;
  date: string;
  quick: boolean;
  /** which Temporal served the run */
  temporal: 'dev server' | 'cluster';
  scenarios: Row[];
}

const num = (n: number | null, digits = 1) => (n === null ? '–' : n.toFixed(digits));

/**
 * The table in docs/performance.md: one line per measurement, its floor and the ratio between
 * them; CPU ms/op sums every process of the run (API, worker, Temporal,
 * PostgreSQL, the bench), "other load" is the machine's CPU used by anything else.
 */
export function markdown(report: Report): string {
  const m = report.machine;
  const lines = [
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}; ` +
      `load average ${m.loadAverage.start} at start, ${m.loadAverage.end ?? '?'} at end. Date: ${report.date}${report.quick ? ' (--quick)' : ''}. ` +
      `Temporal: ${report.temporal === 'cluster' ? 'the cluster\'s (temporal-server on PostgreSQL, --cluster)' : 'the CLI dev server (SQLite file)'}.`,
    '',
    '| scenario | throughput | floor | ratio | target | p50 ms | p95 ms | p99 ms | peak RSS MiB | CPU ms/op | other load |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of report.scenarios) {
    const rss = r.peakRssMbByProcess
      ? Object.entries(r.peakRssMbByProcess).map(([k, v]) => `${k} ${v}`).join(', ')
      : num(r.peakRssMb, 0);
    const failed = r.errors ? ` (${r.errors} failed)` : '';
    const cpu = r.cpuMsPerOp ? num(Object.values(r.cpuMsPerOp).reduce((a, b) => a + b, 0), 0) : '–';
    const other = r.otherLoadPct !== undefined ? `${r.otherLoadPct}%` : '–';
    lines.push(
      `| ${r.name} | ${num(r.throughput)} ${r.unit}${failed} | ${num(r.floor)} | ${num(r.ratio, 2)} | ${num(r.target, 2)} | ${num(r.p50Ms)} | ${num(r.p95Ms)} | ${num(r.p99Ms)} | ${rss} | ${cpu} | ${other} |`,
    );
  }
  const paths = report.scenarios.filter((r) => r.composedFloor !== undefined);
  if (paths.length > 0) {
    lines.push(
      '',
      'Against the composed floor (argon2id runs + a no-op workflow of the same Temporal shape, both measured in this run); CPU ms per request:',
      '',
      '| path | throughput | argon2id floor ratio | composed floor | composed ratio | API + worker CPU | of which argon2id | own overhead | shaped no-op CPU (worker, Temporal, client) |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const r of paths) {
      const ours = (r.cpuMsPerOp?.['api'] ?? 0) + (r.cpuMsPerOp?.['worker'] ?? 0);
      const s = r.shapeCpuMsPerOp ?? {};
      const shape = `${num(s['noop-worker'] ?? null)}, ${num(s['temporal'] ?? null)}, ${num(s['bench'] ?? null)}`;
      const argonRatio = r.floorNote?.startsWith('argon2id') ? num(r.ratio, 2) : '–';
      lines.push(
        `| ${r.name} | ${num(r.throughput)} ${r.unit} | ${argonRatio} | ${num(r.composedFloor ?? null)} | ${num(r.composedRatio ?? null, 2)} | ${num(ours)} | ${num(r.argon2CpuMsPerOp ?? null)} | **${num(r.ownOverheadMsPerOp ?? null)}** | ${shape} |`,
      );
    }
  }
  return lines.join('\n') + '\n';
}
