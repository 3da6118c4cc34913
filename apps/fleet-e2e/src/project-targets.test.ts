import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { projectGraph, repoRoot } from './testing';

// `nx affected -t lint|typecheck|test` (the pull-request workflow) checks only projects that have the target: a
// project without one would drop out silently. So every project with TypeScript sources has all three.
const REQUIRED = ['lint', 'typecheck', 'test'];

/** The project each tracked file belongs to: the one with the longest root that contains it. */
function projectOf(file: string, roots: readonly [string, string][]): string | undefined {
  return roots.find(([, root]) => file.startsWith(`${root}/`))?.[0];
}

describe('Nx targets', () => {
  it('gives every project with TypeScript sources lint, typecheck and test targets', () => {
    const graph = projectGraph();
    const roots = Object.entries(graph)
      .map(([name, project]): [string, string] => [name, project.root])
      .sort(([, a], [, b]) => b.length - a.length);
    const files = execFileSync('git', ['ls-files', '--', '*.ts'], { cwd: repoRoot, encoding: 'utf8' }).split('\n').filter(Boolean);
    const withSources = new Set(files.map((file) => projectOf(file, roots)).filter((name): name is string => name !== undefined));
    expect(withSources.size).toBeGreaterThan(30);
    const missing = [...withSources].sort().flatMap((name) => REQUIRED.filter((target) => !graph[name]!.targets?.[target]).map((target) => `${name}:${target}`));
    expect(missing).toEqual([]);
  });

  it('tests the policy library (YAML, no TypeScript) with its gator-format suites', () => {
    expect(projectGraph().policies?.targets?.test?.options?.command).toMatch(/flotilla\.js policy verify policies$/);
  });
});
