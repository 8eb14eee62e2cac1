/** Provisioning tests and the shared metric declaration. The forwarder has its own jest config. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__', '<rootDir>/metric-declaration/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Type checking is done once by `npm run typecheck`; per-file checking over the large
    // Datadog bindings would multiply test time.
    '^.+\\.ts$': ['ts-jest', {}],
  },
};
