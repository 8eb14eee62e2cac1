// ESLint flat config for every package (the CDKTF app, metric-declaration, the forwarder).
// Type-aware typescript-eslint rules catch the bugs the compiler lets through: promises nobody
// awaits or catches, async functions where a callback's result is ignored, `any` leaking into
// typed code, expressions whose result is thrown away. Layout is Prettier's job (.prettierrc),
// so no stylistic rules here. `npm run lint` checks; `npm run lint:fix` applies the fixable ones.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Code that ships: the forwarder, the shared package, the CDKTF app. */
const PRODUCT_CODE = ['forwarder/src/**/*.ts', 'metric-declaration/src/**/*.ts', 'constructs/**/*.ts', 'config/**/*.ts', 'main.ts'];
const FROM_TEST_FOLDERS = {
  regex: '(^|/)(test|__tests__)(/|$)',
  message:
    'Nothing outside tests imports from a test folder: what tests, the bench and the demo share is the test bed (@algorithmia-datadog/testbed).',
};
const FROM_TESTBED = {
  regex: '(^|/)testbed(/|$)',
  message: 'Product code does not depend on the test bed (@algorithmia-datadog/testbed): only tests, the bench and scripts do.',
};

export default tseslint.config(
  {
    ignores: ['**/node_modules/', '**/dist/', '**/coverage/', 'cdktf.out/', '.gen/', '.kafka/', 'bench-results/', 'docs/api/', '.cache/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // One program per tsconfig: the app (with its tests and scripts), the forwarder with its
        // tests and benches, the shared declaration package, the test bed with its tests.
        project: ['./tsconfig.json', './forwarder/tsconfig.test.json', './metric-declaration/tsconfig.json', './testbed/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Bugs: a promise nobody awaits or catches, an async callback where void is expected.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // `async` without `await` is how a callback that must return a promise is written (kafkajs's
      // eachBatch, the test bed's stop()); the rule would only move code around.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      // Passing a caught error on unchanged is fine.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // Bugs: a result computed and dropped.
      '@typescript-eslint/no-unused-expressions': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // `any` leaking into typed code.
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unsafe-argument': 'error',
      '@typescript-eslint/no-unsafe-assignment': 'error',
      '@typescript-eslint/no-unsafe-call': 'error',
      '@typescript-eslint/no-unsafe-member-access': 'error',
      '@typescript-eslint/no-unsafe-return': 'error',
      // A switch over a union that forgets a member.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // Cheap to keep right, fixed automatically.
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      'prefer-const': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // What ships and what runs for users never leans on tests: product code imports neither test
    // folders nor the test bed (nothing of it is in the image or the synthesized app).
    files: PRODUCT_CODE,
    rules: { 'no-restricted-imports': ['error', { patterns: [FROM_TEST_FOLDERS, FROM_TESTBED] }] },
  },
  {
    // Scripts and the bench may use the test bed (a declared dependency: the root's devDependencies,
    // the forwarder's), through its package, never a test folder's files.
    files: ['scripts/**/*.ts', 'forwarder/bench/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [FROM_TEST_FOLDERS] }] },
  },
  {
    // The test bed stands for Datadog and Kafka on its own: it imports nothing of the forwarder it checks.
    files: ['testbed/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            FROM_TEST_FOLDERS,
            { regex: '(^|/)forwarder(/|$)', message: 'The test bed must not depend on the forwarder it tests.' },
          ],
        },
      ],
    },
  },
  {
    // Tests and the test bed read synthesized Terraform JSON and Datadog payloads, untyped by
    // nature, through `any` on purpose; the promise and unused-result rules still apply to them.
    files: ['__tests__/**/*.ts', '**/test/**/*.ts', '**/*.test.ts', 'testbed/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      // Stripping ANSI colours from command output.
      'no-control-regex': 'off',
    },
  },
  {
    // The docs tests run the examples in the docs as written.
    files: ['__tests__/docs/**/*.ts'],
    rules: { '@typescript-eslint/no-implied-eval': 'off' },
  },
  {
    // Plain JavaScript (jest configs, the Kafka probe): CommonJS under Node, no type information.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The preview page's script runs in the browser, after Chart.js.
    files: ['scripts/preview/page-client.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser, Chart: 'readonly' } },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module' },
  },
);
