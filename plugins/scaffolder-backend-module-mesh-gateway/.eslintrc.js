module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  overrides: [
    {
      // Benchmarks (`yarn bench`) run only from the source tree, like tests.
      files: ['src/bench/**'],
      rules: {
        '@backstage/no-undeclared-imports': 'off',
        '@backstage/no-relative-monorepo-imports': 'off',
        'no-restricted-syntax': 'off',
      },
    },
  ],
});
