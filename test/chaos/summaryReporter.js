// @ts-check
/* global require, process, module */
/**
 * Prints, after the chaos suite, what it proved: every scenario against every invariant (what each
 * check looked at, and any violation), the timings it measured, and the run's wall time. The suite
 * writes the file (test/chaos/support/summary.ts); jest.chaos.config.js names it.
 */
const fs = require('node:fs');

class ChaosSummaryReporter {
  onRunStart() {
    this.startedAt = Date.now();
    const file = process.env.RESETFLOW_CHAOS_SUMMARY;
    if (file) fs.rmSync(file, { force: true });
  }

  onRunComplete(_contexts, results) {
    const file = process.env.RESETFLOW_CHAOS_SUMMARY;
    /** @type {any} */
    let summary;
    try {
      summary = JSON.parse(fs.readFileSync(String(file), 'utf8'));
    } catch {
      process.stdout.write('\nChaos summary: the suite recorded nothing (did the cluster start?)\n');
      return;
    }
    const ids = Object.keys(summary.invariantNames);
    const out = [];
    out.push('', 'Chaos suite summary', '');
    out.push('Invariants:');
    for (const id of ids) out.push(`  ${id}  ${summary.invariantNames[id]}`);
    out.push('');
    const rows = [['scenario', ...ids]];
    for (const s of summary.scenarios) rows.push([s.name, ...ids.map((id) => mark(s.invariants.find((i) => i.id === id)))]);
    out.push(table(rows), '');
    out.push('What each check looked at:');
    for (const s of summary.scenarios) {
      out.push(`  ${s.name}`);
      for (const i of s.invariants) {
        out.push(`    ${i.id} ${i.ok ? 'ok  ' : 'FAIL'} ${i.checked}`);
        for (const v of i.violations) out.push(`         ✗ ${v}`);
      }
    }
    if (summary.timings.length) {
      out.push('', 'Measured:');
      out.push(table([['what', 'value', 'how'], ...summary.timings.map((t) => [t.what, t.value, t.detail])]));
    }
    if (summary.notes.length) {
      out.push('', 'Observed:');
      for (const n of summary.notes) out.push(`  - ${n}`);
    }
    const tests = `${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numTotalTests} tests`;
    out.push('', `Chaos suite: ${tests}; wall time ${((Date.now() - this.startedAt) / 1000).toFixed(0)} s`, '');
    process.stdout.write(out.join('\n') + '\n');
  }
}

function mark(result) {
  if (!result) return '–';
  return result.ok ? 'ok' : 'FAIL';
}

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  const line = (r) => `| ${r.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

module.exports = ChaosSummaryReporter;
