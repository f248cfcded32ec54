/** @type {import('jest').Config} */
module.exports = {
  displayName: 'nginx',
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  // The integration suites start real processes and wait for them with deadlines.
  testTimeout: 30_000,
  coverageDirectory: '../../coverage/docker/nginx',
};
