/** Jest runs the TypeScript sources as native ES modules (middy v7 is ESM-only); tsconfig's isolatedModules keeps ts-jest to fast transpiling. */
// The AWS SDK warns about Node 20 on every client; the project supports Node 20 for local mode and tests.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true }],
  },
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  testTimeout: 60000,
  // The permission check: the platforms record every AWS call their functions make, and once at the end the
  // calls are held against the synthesized template's policies (tests/permissions/).
  globalSetup: '<rootDir>/tests/permissions/global-setup.ts',
  globalTeardown: '<rootDir>/tests/permissions/global-teardown.mjs',
  // Integration tests mostly wait on their sped-up clocks and DynamoDB Local: two workers on two cores.
  maxWorkers: 2,
};
