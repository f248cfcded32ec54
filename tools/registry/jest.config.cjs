/** @type {import('jest').Config} */
module.exports = {
  displayName: 'registry',
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
};
