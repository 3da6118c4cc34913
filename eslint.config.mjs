// Lint rules for the whole workspace. Generated projects are excluded: they are regenerated, not edited.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', 'clusters/**', 'libs/k8s-apis/src/**', 'libs/schemas/src/generated/**', '**/*.mjs', '**/*.js'],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Projects import each other only through their public entry point (@flotilla/<name>).
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@flotilla/*/src/*', '@flotilla/*/*/src/*'], message: "import the project's public entry point, e.g. '@flotilla/core'" },
            { group: ['../../libs/*', '../../../libs/*', '../../charts/*', '../../../charts/*', '../../apps/*', '../../../apps/*'], message: 'cross-project imports go through @flotilla/<name>' },
          ],
        },
      ],
    },
  },
  {
    // Tests poke at rendered JSON; production code stays free of any.
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
