// Lint rules for the whole workspace. Generated projects are excluded: they are regenerated, not edited.
import { createProjectGraphAsync } from '@nx/devkit';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// The boundary rule judges imports by Nx's cached project graph (and skips when there is none). Inside an Nx task
// the graph was just computed; a plain `eslint .` refreshes it first, so a new tag or project is never judged stale.
if (!process.env.NX_TASK_TARGET_PROJECT) await createProjectGraphAsync({ exitOnError: false });

/**
 * The layers, outermost first: application → units → constructs → engine → model. A project may import its own
 * layer and the layers below it; nothing imports an application, and the generated APIs import nothing of ours.
 */
export const LAYERS = [
  // Applications may also use the build tools (the Lambda apps' bundles).
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:unit', 'type:construct', 'type:engine', 'type:model', 'type:generated', 'type:tool'] },
  // Units compose constructs; a unit may use another unit's public API (e.g. a workload binding the AppConfig chain).
  { sourceTag: 'type:unit', onlyDependOnLibsWithTags: ['type:unit', 'type:construct', 'type:engine', 'type:model', 'type:generated'] },
  { sourceTag: 'type:construct', onlyDependOnLibsWithTags: ['type:construct', 'type:engine', 'type:model', 'type:generated'] },
  { sourceTag: 'type:engine', onlyDependOnLibsWithTags: ['type:engine', 'type:model'] },
  { sourceTag: 'type:model', onlyDependOnLibsWithTags: ['type:model'] },
  { sourceTag: 'type:generated', onlyDependOnLibsWithTags: ['type:generated'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:model'] },
  // Vendored inputs and the policy library: data, whose maintenance scripts may use the model.
  { sourceTag: 'type:data', onlyDependOnLibsWithTags: ['type:model'] },
];

const boundaries = (depConstraints) => ({
  '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints }],
});

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', 'clusters/**', 'libs/k8s-apis/src/**', 'libs/schemas/src/generated/**', '**/*.mjs', '**/*.js'],
  },
  ...tseslint.configs.recommended,
  {
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      ...boundaries(LAYERS),
      // Projects import each other only through their public entry point (@flotilla/<name>).
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@flotilla/*/src/*', '@flotilla/*/*/src/*', '@flotilla/*/*/*/src/*'], message: "import the project's public entry point, e.g. '@flotilla/core'" },
            { group: ['../../libs/*', '../../../libs/*', '../../charts/*', '../../../charts/*', '../../apps/*', '../../../apps/*'], message: 'cross-project imports go through @flotilla/<name>' },
          ],
        },
      ],
    },
  },
  {
    // The code generator of the typed APIs reads the schema engine; the generated APIs (src/, regenerated) import nothing of ours.
    files: ['libs/k8s-apis/codegen/**'],
    rules: boundaries(LAYERS.map((layer) => (layer.sourceTag === 'type:generated' ? { ...layer, onlyDependOnLibsWithTags: ['type:generated', 'type:engine', 'type:model'] } : layer))),
  },
  {
    // Tests poke at rendered JSON; production code stays free of any.
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
