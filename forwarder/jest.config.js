/**
 * Three projects: unit tests of each pipeline stage (no services), the test bed's own tests
 * (the Datadog double and the bench's intake, no broker), and integration tests against a real
 * Kafka broker that the global setup starts unless KAFKA_BROKER names one.
 */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }] };

module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/unit'],
      testMatch: ['**/*.test.ts'],
      transform,
    },
    {
      displayName: 'testbed',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/support', '<rootDir>/bench'],
      testMatch: ['**/*.test.ts'],
      transform,
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/integration'],
      testMatch: ['**/*.test.ts'],
      transform,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
