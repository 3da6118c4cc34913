import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from './testing';

interface FluxKustomization {
  metadata: { name: string; namespace: string };
  spec: { path: string; sourceRef: { kind: string; name: string; namespace?: string }; dependsOn?: { name: string; namespace?: string }[] };
}

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
const kubectlMissing = kubectl.status !== 0;
const clusters = readdirSync(join(repoRoot, 'clusters'));

/** Every Flux object in a cluster folder (the sync/ Kustomizations and bootstrap's gotk-sync.yaml). */
function fluxObjects(clusterDir: string): { kind: string; object: FluxKustomization }[] {
  const found: { kind: string; object: FluxKustomization }[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith('.yaml') && entry.name !== 'kustomization.yaml') {
        for (const doc of parseAllDocuments(readFileSync(path, 'utf8'))) {
          const object = doc.toJS() as { apiVersion?: string; kind: string } & FluxKustomization;
          if (object?.apiVersion?.includes('toolkit.fluxcd.io')) found.push({ kind: object.kind, object });
        }
      }
    }
  };
  visit(clusterDir);
  return found;
}

describe.each(clusters)('Flux can build cluster %s', (cluster) => {
  const objects = fluxObjects(join(repoRoot, 'clusters', cluster));
  const kustomizations = objects.filter((o) => o.kind === 'Kustomization').map((o) => o.object);

  it('every dependsOn and sourceRef names an object that exists', () => {
    const exists = (kind: string, name: string, namespace: string) =>
      objects.some((o) => o.kind === kind && o.object.metadata.name === name && o.object.metadata.namespace === namespace);
    expect(kustomizations.length).toBeGreaterThan(1);
    for (const k of kustomizations) {
      const ns = k.metadata.namespace;
      expect(exists(k.spec.sourceRef.kind, k.spec.sourceRef.name, k.spec.sourceRef.namespace ?? ns), `${k.metadata.name} sourceRef`).toBe(true);
      for (const dep of k.spec.dependsOn ?? []) {
        expect(exists('Kustomization', dep.name, dep.namespace ?? ns), `${k.metadata.name} dependsOn ${dep.name}`).toBe(true);
      }
    }
  });

  it('kubectl kustomize builds every path a Flux Kustomization points to', () => {
    if (kubectlMissing) {
      throw new Error('kubectl is not installed, so this test cannot prove that Flux can build clusters/; install kubectl (it bundles kustomize v5, the library Flux uses)');
    }
    // Work on a copy: bootstrap's gotk-components.yaml is not in Git until `flux bootstrap` runs,
    // so the copy gets a stand-in with the flux-system Namespace it would contain.
    const sandbox = mkdtempSync(join(tmpdir(), 'flotilla-kustomize-'));
    cpSync(join(repoRoot, 'clusters'), join(sandbox, 'clusters'), { recursive: true });
    const components = join(sandbox, 'clusters', cluster, 'flux-system', 'gotk-components.yaml');
    if (!existsSync(components)) writeFileSync(components, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n');
    // Kustomizations of other sources (e.g. the upstream Gateway API CRDs) point into repositories
    // this test cannot fetch; their sources are proven to exist by the test above.
    // The cluster's own source is the bootstrap GitRepository, or for OCI delivery the OCIRepository
    // whose artifact holds clusters/<cluster>/ at the same paths.
    const own = kustomizations.filter((k) => ['GitRepository', 'OCIRepository'].includes(k.spec.sourceRef.kind) && k.spec.sourceRef.name === 'flux-system');
    expect(own.length).toBeGreaterThan(1);
    for (const k of own) {
      const output = execFileSync('kubectl', ['kustomize', join(sandbox, k.spec.path)], { encoding: 'utf8' });
      const built = parseAllDocuments(output).map((doc) => doc.toJS()).filter(Boolean);
      expect(built.length, `${k.spec.path} builds to at least one object`).toBeGreaterThan(0);
      expect(built.length, `${k.spec.path} stays small enough for a fast Flux build`).toBeLessThan(500);
    }
  });
});
