/**
 * After a refresh: regenerate what is generated from the vendored files (the same commands as the
 * Nx `generate` targets) and say what changed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Folders the generators write, relative to the workspace root. */
export const GENERATED_OUTPUT = ['libs/k8s-apis/src', 'libs/schemas/src/generated', 'libs/instance-types/data'];

const SCHEMAS_DIR = 'libs/schemas/src/generated';

/** Every kind the schema bundles serve: `<family>: <group>/<version>/<Kind>`, built-ins per Kubernetes version. */
export function servedKinds(root: string): Set<string> {
  const dir = join(root, SCHEMAS_DIR);
  const kinds = new Set<string>();
  if (!existsSync(dir)) return kinds;
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.json') || file === 'index.json') continue;
    const bundle = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { kinds?: Record<string, unknown> };
    const family = file.replace(/\.json$/, '');
    for (const key of Object.keys(bundle.kinds ?? {})) kinds.add(`${family}: ${key}`);
  }
  return kinds;
}

export interface KindChanges {
  readonly added: string[];
  readonly removed: string[];
}

export function diffKinds(before: ReadonlySet<string>, after: ReadonlySet<string>): KindChanges {
  return { added: [...after].filter((k) => !before.has(k)).sort(), removed: [...before].filter((k) => !after.has(k)).sort() };
}

/** Runs a workspace script with the workspace's tsx; throws with its output when it fails. */
function tsx(root: string, script: string): string {
  const result = spawnSync(join(root, 'node_modules/.bin/tsx'), [script], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tsx ${script} failed (exit ${result.status}):\n${result.stderr || result.stdout}`);
  return result.stdout.trim();
}

/** Regenerates the typed APIs and schemas (and the instance-type catalog when its reference changed). */
export function regenerate(root: string, options: { instanceTypes: boolean }): string[] {
  const out = [tsx(root, 'libs/k8s-apis/codegen/generate.ts'), tsx(root, 'libs/schemas/codegen/generate.ts')];
  if (options.instanceTypes) out.push(tsx(root, 'libs/instance-types/scripts/import-reference.ts'));
  return out;
}

/** `git diff --stat` of the vendored files and the generated output, plus new (untracked) files. */
export function diffStat(root: string): string {
  const paths = ['libs/upstream', ...GENERATED_OUTPUT];
  try {
    const stat = execFileSync('git', ['diff', '--stat=160', '--', ...paths], { cwd: root, encoding: 'utf8' }).trimEnd();
    const added = execFileSync('git', ['ls-files', '--others', '--exclude-standard', '--', ...paths], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((file) => ` ${file} (new)`);
    return [stat, ...added].filter(Boolean).join('\n');
  } catch (error) {
    return `(no git diff: ${(error as Error).message.split('\n')[0]})`;
  }
}
