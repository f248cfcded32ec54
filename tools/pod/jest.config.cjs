/** @type {import('jest').Config} */
module.exports = {
  displayName: 'pod',
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  // The Docker Pod waits for real probes and a graceful stop.
  testTimeout: 60_000,
  // One file at a time: they run make, Docker and real ports, and each would slow the others.
  maxWorkers: 1,
};
