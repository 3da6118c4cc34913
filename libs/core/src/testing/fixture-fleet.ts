import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiObject } from 'cdk8s';
import type { ClusterConfig, Fleet, Layer, Unit } from '@flotilla/config';

/** A unit that renders the given ConfigMaps (name → data) in `namespace`; enough to exercise synth. */
export function configMapUnit(name: string, layer: Layer, maps: Record<string, Record<string, string>>, extra: Partial<Unit> = {}): Unit {
  return {
    name,
    project: name.split('.')[0],
    layer,
    ...extra,
    render(scope) {
      for (const [mapName, data] of Object.entries(maps)) {
        new ApiObject(scope, mapName, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: mapName, namespace: 'demo' }, data });
      }
    },
  };
}

export function fixtureCluster(name: string, units: Unit[], overrides: Partial<ClusterConfig> = {}): ClusterConfig {
  return {
    name,
    account: '123456789012',
    region: 'eu-north-1',
    environment: 'dev',
    kubernetesVersion: '1.35',
    identity: { oidcIssuerUrl: 'https://oidc.eks.eu-north-1.amazonaws.com/id/EXAMPLE' },
    discoveryTag: { key: 'karpenter.sh/discovery', value: name },
    git: { url: 'ssh://git@example.com/fleet' },
    bootstrap: { ackIamControllerRoleArn: 'arn:aws:iam::123456789012:role/ack-iam' },
    units,
    ...overrides,
  };
}

export function fixtureFleet(...clusters: ClusterConfig[]): Fleet {
  return { clusters };
}

/** A throwaway repo root with the given project names registered. */
export function tempRepo(): string {
  const root = mkdtempSync(join(tmpdir(), 'flotilla-synth-'));
  mkdirSync(join(root, 'clusters'));
  return root;
}

export function projectRootsFor(fleet: Fleet): Map<string, string> {
  const roots = new Map<string, string>();
  for (const cluster of fleet.clusters) for (const unit of cluster.units) roots.set(unit.project, `apps/${unit.project}`);
  return roots;
}

/** Every file under `dir`, relative path → content (a symlink → `symlink -> <target>`, never followed). */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (relative: string) => {
    for (const entry of readdirSync(join(dir, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) visit(child);
      else if (entry.isSymbolicLink()) files.set(child, `symlink -> ${readlinkSync(join(dir, child))}`);
      else files.set(child, readFileSync(join(dir, child), 'utf8'));
    }
  };
  visit('');
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}

/** The `clusters/` part of `readTree(repo)`: what synth owns (its journal and lock in `.flotilla/` are left out). */
export function clustersTree(repo: string): Map<string, string> {
  return new Map([...readTree(repo)].filter(([file]) => file.startsWith('clusters/')));
}

export function writeFile(root: string, relative: string, content: string): void {
  mkdirSync(join(root, relative, '..'), { recursive: true });
  writeFileSync(join(root, relative), content);
}
