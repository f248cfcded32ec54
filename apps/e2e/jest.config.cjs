/**
 * The end-to-end suite. Without E2E_BASE_URL, the global setup starts a Pod (E2E_POD=processes,
 * the default, or E2E_POD=docker) and stops it afterwards; with it, the suite runs against that
 * Pod as it is (the kind cluster's Service, say).
 * @type {import('jest').Config}
 */
module.exports = {
  displayName: 'e2e',
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  globalSetup: '<rootDir>/src/global-setup.ts',
  globalTeardown: '<rootDir>/src/global-teardown.ts',
  testTimeout: 15_000,
};
