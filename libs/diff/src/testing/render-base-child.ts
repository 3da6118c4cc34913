// `renderBase` in its own process, for the test that stops it with a signal (bundled by the test with
// esbuild): node render-base-child.mjs <repo> <base> <tempParent>. Prints 'ok <commit>' or the error.
import { renderBase } from '../lib/base-render';

const [repoRoot, base, tempParent] = process.argv.slice(2) as [string, string, string];
renderBase({ repoRoot, base, tempParent, cacheDir: false }).then(
  (render) => process.stdout.write(`ok ${render.commit}\n`),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
