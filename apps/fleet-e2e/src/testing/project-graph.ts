import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, run } from './workspace-copy';

/** One project of `nx graph --file`: its root and its targets as Nx resolves them (project.json over nx.json targetDefaults). */
export interface GraphProject {
  readonly root: string;
  readonly targets?: Record<string, { readonly executor?: string; readonly options?: { readonly command?: string } }>;
}

let nodes: Record<string, GraphProject> | undefined;

/** The workspace's project graph as Nx itself computes it (`nx graph --file`), read once per test file. */
export function projectGraph(): Record<string, GraphProject> {
  if (!nodes) {
    const dir = mkdtempSync(join(tmpdir(), 'flotilla-graph-'));
    try {
      const file = join(dir, 'graph.json');
      const result = run(repoRoot, 'nx', ['graph', `--file=${file}`]);
      if (result.code !== 0) throw new Error(`nx graph failed:\n${result.stderr}`);
      const graph = JSON.parse(readFileSync(file, 'utf8')) as { graph: { nodes: Record<string, { data: GraphProject }> } };
      nodes = Object.fromEntries(Object.entries(graph.graph.nodes).map(([name, node]) => [name, node.data]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return nodes;
}
