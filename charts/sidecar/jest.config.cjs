/** @type {import('jest').Config} */
module.exports = {
  displayName: 'chart',
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  // Each spec renders the chart with helm a few times; a cold helm binary takes a moment.
  testTimeout: 30_000,
};
