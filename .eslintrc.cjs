/* ESLint 9 in legacy-config mode (ESLINT_USE_FLAT_CONFIG=false, set by the npm scripts). */
module.exports = {
  root: true,
  parser: '@typescript-eslint/parser',
  parserOptions: {
    project: ['./tsconfig.json'],
    tsconfigRootDir: __dirname,
    sourceType: 'module',
  },
  plugins: ['@typescript-eslint'],
  extends: [
    'eslint:recommended',
    'plugin:@typescript-eslint/strict-type-checked',
    'plugin:@typescript-eslint/stylistic-type-checked',
  ],
  env: { node: true, es2023: true },
  ignorePatterns: ['node_modules/', 'dist/', 'coverage/', 'src/generated/', '.data/', 'artifacts/', '*.cjs', '*.mjs'],
  rules: {
    '@typescript-eslint/no-floating-promises': 'error',
    '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    '@typescript-eslint/no-non-null-assertion': 'off',
    // Fastify plugins are async functions by convention, with or without an await.
    '@typescript-eslint/require-await': 'off',
    '@typescript-eslint/no-confusing-void-expression': 'off',
    // `value || fallback` on strings is deliberate: an empty environment variable counts as unset.
    '@typescript-eslint/prefer-nullish-coalescing': ['error', { ignorePrimitives: { string: true } }],
    'no-console': 'error',
  },
  overrides: [
    {
      files: ['tests/**/*.ts', 'bench/**/*.ts', 'examples/**/*.ts'],
      // vitest's asymmetric matchers (expect.any, expect.stringMatching) are typed `any`.
      rules: { 'no-console': 'off', '@typescript-eslint/no-unsafe-assignment': 'off' },
    },
  ],
};
