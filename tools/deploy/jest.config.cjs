/** @type {import('jest').Config} */
module.exports = {
  displayName: 'deploy',
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  // helm renders the chart a few times per spec; shellcheck reads every script.
  testTimeout: 60_000,
};
