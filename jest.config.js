// Four projects: unit tests next to the plugin's services, integration tests that boot the real
// app (tests/integration), fault tests (tests/faults) and browser tests of the built admin
// (tests/e2e). `npm test` runs unit and integration; `npm run test:faults` the faults;
// `npm run test:e2e` the browser tests, which need the admin build (rebuilt when stale).
const transform = {
  '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
};

module.exports = {
  // Project-level testTimeout is ignored by Jest 30: set it here. Integration tests boot Strapi
  // and drive Chromium on a shared 2-core machine, hence the generous bound.
  testTimeout: 120000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      roots: ['<rootDir>/plugins/certify'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/'],
      setupFiles: ['<rootDir>/tests/helpers/env.js'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      roots: ['<rootDir>/tests/integration'],
      testMatch: ['**/*.test.ts'],
      setupFiles: ['<rootDir>/tests/helpers/env.js'],
      globalSetup: '<rootDir>/tests/helpers/global-setup.js',
      globalTeardown: '<rootDir>/tests/helpers/global-teardown.js',
    },
    {
      // Faults injected into real parts (a Redis of the test's own restarted, storage failing, …):
      // `npm run test:faults`, not part of `npm test`.
      displayName: 'faults',
      testEnvironment: 'node',
      transform,
      roots: ['<rootDir>/tests/faults'],
      testMatch: ['**/*.test.ts'],
      setupFiles: ['<rootDir>/tests/helpers/env.js'],
      globalSetup: '<rootDir>/tests/helpers/global-setup.js',
      globalTeardown: '<rootDir>/tests/helpers/global-teardown.js',
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      transform,
      roots: ['<rootDir>/tests/e2e'],
      testMatch: ['**/*.test.ts'],
    },
  ],
};
