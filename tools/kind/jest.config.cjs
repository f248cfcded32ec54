/** @type {import('jest').Config} */
module.exports = {
  displayName: 'kind',
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  // The kind CLI runs a few times per spec (the first run after a build is slow to start).
  testTimeout: 60_000,
};
