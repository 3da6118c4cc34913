import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AffectedRange } from './affected-projects';

type Input = string | Record<string, unknown>;

interface TargetOwner {
  readonly project: string;
  readonly root: string;
  readonly inputs: readonly Input[];
}

/**
 * A changed file that makes the fleet-level synth target affected, read from git and the input patterns
 * (`{workspaceRoot}`/`{projectRoot}`) of every synth target whose project.json declares its own inputs
 * (the unit projects take theirs from nx.json), the way Nx marks a project touched by its inputs. Then
 * Nx's answer is known (one full render; always a correct one) and not worth asking for. Undefined when
 * no such file changed, or when git cannot tell (Nx decides then).
 */
export function fleetLevelChange(repoRoot: string, projectRoots: ReadonlyMap<string, string>, range: AffectedRange): { file: string; project: string } | undefined {
  const owners: TargetOwner[] = [];
  for (const [project, root] of projectRoots) {
    const file = join(repoRoot, root, 'project.json');
    if (!existsSync(file)) continue;
    const inputs = (JSON.parse(readFileSync(file, 'utf8')) as { targets?: Record<string, { inputs?: Input[] }> }).targets?.synth?.inputs;
    if (inputs) owners.push({ project, root, inputs });
  }
  if (owners.length === 0) return undefined;
  const changed = changedFiles(repoRoot, range);
  if (!changed) return undefined;
  const named = (JSON.parse(readFileSync(join(repoRoot, 'nx.json'), 'utf8')) as { namedInputs?: Record<string, Input[]> }).namedInputs ?? {};
  for (const owner of owners) {
    const patterns = expand(owner.inputs, named, owner.root, new Set());
    const include = patterns.filter((pattern) => !pattern.startsWith('!')).map(globToRegExp);
    const exclude = patterns.filter((pattern) => pattern.startsWith('!')).map((pattern) => globToRegExp(pattern.slice(1)));
    const file = changed.find((path) => include.some((re) => re.test(path)) && !exclude.some((re) => re.test(path)));
    if (file) return { file, project: owner.project };
  }
  return undefined;
}

/** File patterns (repo-relative, `!` for exclusions) of a target's inputs; dependency inputs (`^…`) and objects are Nx's to judge. */
function expand(inputs: readonly Input[], named: Record<string, Input[]>, root: string, seen: Set<string>): string[] {
  return inputs.flatMap((input) => {
    if (typeof input !== 'string' || input.startsWith('^')) return [];
    const negated = input.startsWith('!');
    const body = negated ? input.slice(1) : input;
    if (body.startsWith('{workspaceRoot}/') || body.startsWith('{projectRoot}/')) {
      const path = body.replace('{workspaceRoot}/', '').replace('{projectRoot}/', `${root}/`);
      return [`${negated ? '!' : ''}${path}`];
    }
    if (named[input] && !seen.has(input)) return expand(named[input]!, named, root, new Set([...seen, input]));
    return [];
  });
}

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else source += char.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** Files that differ between base and head (or the working tree, untracked files included). */
function changedFiles(repoRoot: string, range: AffectedRange): string[] | undefined {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
  try {
    const diff = range.head ? git('diff', '--name-only', range.base, range.head) : git('diff', '--name-only', range.base) + git('ls-files', '--others', '--exclude-standard');
    return diff.split('\n').filter(Boolean);
  } catch {
    return undefined;
  }
}
