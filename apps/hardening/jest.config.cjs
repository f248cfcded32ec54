/**
 * The hardening suite: real processes, real load. One file at a time (maxWorkers 1), so that the
 * load of one check never skews the timings of another on a two-core machine.
 * @type {import('jest').Config}
 */
module.exports = {
  displayName: 'hardening',
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  maxWorkers: 1,
  // Slow-client cases wait out NGINX's 10 s client timeouts; the fuzzer runs about a minute.
  testTimeout: 120_000,
};
