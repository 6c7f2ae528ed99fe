/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // the chaos suite starts its own cluster: npm run test:chaos (jest.chaos.config.js)
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/chaos/'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }] },
  // One real PostgreSQL and one real Temporal dev server for the whole run (test/support/globalSetup.ts).
  globalSetup: '<rootDir>/test/support/globalSetup.ts',
  globalTeardown: '<rootDir>/test/support/globalTeardown.ts',
  // Test files share those two servers and argon2 is CPU-bound: one file at a time on a 2-core machine.
  maxWorkers: 1,
  testTimeout: 120_000,
  verbose: true,
};
