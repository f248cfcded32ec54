/** @type {import('jest').Config} */
module.exports = {
  displayName: 'testkit',
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  // The specs start the real nginx and wait for it with deadlines.
  testTimeout: 30_000,
};
