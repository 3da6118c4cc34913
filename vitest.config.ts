import { defineConfig } from 'vitest/config';

// One test run for the whole workspace; each project keeps its tests next to its sources.
export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    include: ['{libs,charts,apps,policies}/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'dist/**', 'clusters/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
