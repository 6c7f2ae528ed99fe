const os = require('node:os');
const path = require('node:path');

// Where the suite writes what it proved (test/chaos/support/summary.ts) and the reporter reads it.
process.env.RESETFLOW_CHAOS_SUMMARY ??= path.join(os.tmpdir(), `resetflow-chaos-summary-${process.pid}.json`);

/**
 * `npm run test:chaos`: the production topology (npm run cluster) with faults injected by real
 * signals and real outages (test/chaos). One file, one cluster, scenarios in order; never part of
 * `npm test`.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/chaos'],
  testMatch: ['**/*.chaos.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }] },
  maxWorkers: 1,
  testTimeout: 240_000,
  verbose: true,
  // the cluster is stopped in afterAll; a scenario that failed half-way may leave a client open: never hang CI
  forceExit: true,
  reporters: ['default', '<rootDir>/test/chaos/summaryReporter.js'],
};
