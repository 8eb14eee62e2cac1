/**
 * Three projects: unit tests of each pipeline stage (no services), the bench's own tests (its
 * intake, no broker), and integration tests against a real Kafka broker that the test bed's global
 * setup starts unless KAFKA_BROKER names one. The test bed itself (../testbed) has its own tests.
 */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }] };

module.exports = {
  // Coverage when COVERAGE=1 (.ci/run, `npm run coverage`), in-process code only: the forwarder
  // processes that the integration tests spawn are not counted.
  collectCoverage: process.env.COVERAGE === '1',
  coverageProvider: 'v8',
  collectCoverageFrom: ['src/**/*.ts'],
  coverageReporters: ['json-summary', 'text-summary'],
  // Two workers at least: on a 2-core machine jest's default (cores - 1) runs the files one by one,
  // while most of their time is waiting on child processes (synth, Chromium, Kafka, the forwarder)
  // or loading the provider bindings; two halve the wall time (docs/testbed.md, "Test time").
  maxWorkers: Math.max(2, require('node:os').availableParallelism() - 1),
  // The minutes-long files first (a fresh clone has no jest cache to order them by).
  testSequencer: '<rootDir>/../scripts/habits/long-tests-first.js',
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/unit'],
      testMatch: ['**/*.test.ts'],
      transform,
    },
    {
      displayName: 'bench',
      testEnvironment: 'node',
      roots: ['<rootDir>/bench'],
      testMatch: ['**/*.test.ts'],
      transform,
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/integration'],
      testMatch: ['**/*.test.ts'],
      transform,
      globalSetup: require.resolve('@algorithmia-datadog/testbed/src/kafka/jest-global-setup.ts'),
      globalTeardown: require.resolve('@algorithmia-datadog/testbed/src/kafka/jest-global-teardown.ts'),
    },
  ],
};

// Coverage of untested files: jest looks for them among each project's roots, so every project also
// has src as a root (it holds no tests).
for (const project of module.exports.projects) project.roots.push('<rootDir>/src');
