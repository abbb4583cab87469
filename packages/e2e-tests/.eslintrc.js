module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  overrides: [
    {
      // This package only runs from the source tree (tests and `yarn bench`), never built, so
      // `__dirname` is where the file is.
      files: ['src/portal.ts', 'src/bench/**'],
      rules: {
        'no-restricted-syntax': 'off',
      },
    },
    {
      // The benchmarks share the result table of plugins/mesh-gateway-backend/src/bench.
      files: ['src/bench/**'],
      rules: {
        '@backstage/no-undeclared-imports': 'off',
        '@backstage/no-relative-monorepo-imports': 'off',
      },
    },
  ],
});
