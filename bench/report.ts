import type { Machine } from './machine';
import type { Row } from './scenario';

export interface Report {
  machine: Machine;
  date: string;
  quick: boolean;
  scenarios: Row[];
}

const num = (n: number | null, digits = 1) => (n === null ? '–' : n.toFixed(digits));

/**
 * The README's table: one line per measurement, its floor and the ratio between
 * them; CPU ms/op sums every process of the run (API, worker, Temporal,
 * PostgreSQL, the bench), "other load" is the machine's CPU used by anything else.
 */
export function markdown(report: Report): string {
  const m = report.machine;
  const lines = [
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}; ` +
      `load average ${m.loadAverage.start} at start, ${m.loadAverage.end ?? '?'} at end. Date: ${report.date}${report.quick ? ' (--quick)' : ''}.`,
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
  return lines.join('\n') + '\n';
}
