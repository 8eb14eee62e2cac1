/** Provisioning tests and the shared metric declaration. The forwarder has its own jest config. */
module.exports = {
  // Coverage when COVERAGE=1 (.ci/run, `npm run coverage`): totals in coverage/coverage-summary.json,
  // checked against scripts/habits/coverage-thresholds.json by scripts/habits/coverage.mjs.
  collectCoverage: process.env.COVERAGE === '1',
  coverageProvider: 'v8',
  collectCoverageFrom: ['main.ts', 'constructs/**/*.ts', 'config/**/*.ts', 'scripts/**/*.ts', 'metric-declaration/src/**/*.ts'],
  coverageReporters: ['json-summary', 'text-summary'],
  // Three workers at least: on a 2-core machine jest's default (cores - 1) runs the files one by one,
  // while much of their time is waiting on child processes (synth, Chromium, Kafka, the forwarder,
  // the outage demo's timeline); a third worker fills that wait (docs/testbed.md, "Test time").
  maxWorkers: Math.max(3, require('node:os').availableParallelism()),
  // The minutes-long files first, so that the run does not end waiting on one of them alone.
  testSequencer: '<rootDir>/scripts/habits/long-tests-first.js',
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__', '<rootDir>/metric-declaration/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Type checking is done once by `npm run typecheck`; per-file checking over the large
    // Datadog bindings would multiply test time.
    '^.+\\.ts$': ['ts-jest', {}],
  },
};

// Coverage of untested files: jest looks for them among the roots, so the source folders are roots
// too (they hold no tests).
module.exports.roots.push('<rootDir>/constructs', '<rootDir>/config', '<rootDir>/scripts', '<rootDir>/metric-declaration/src');
